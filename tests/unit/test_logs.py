"""Logs never carry credentials; the in-memory tail feeds the log view and crash reports."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from station_console.logs import TAIL, setup_logging, shutdown_logging
from station_console.station import Station
from station_console.validation import mask_credentials


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    yield
    shutdown_logging()


def test_credentials_are_masked_in_file_and_tail(tmp_path: Path) -> None:
    setup_logging(tmp_path / "logs")
    log = logging.getLogger("station_console.test")
    log.warning("connecting to %s", "rtsp://admin:topsecret@127.0.0.1:554/main")
    log.error("failed: http://u:pw2@127.0.0.1/onvif")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (tmp_path / "logs" / "console.log").read_text(encoding="utf-8")
    tail = "\n".join(TAIL.snapshot())
    for body in (text, tail):
        assert "topsecret" not in body and "pw2" not in body
        assert "rtsp://***@127.0.0.1:554/main" in body


def test_camera_password_never_logged(tmp_path: Path, station: Station) -> None:
    setup_logging(tmp_path / "logs", verbose=True)
    cam = station.inventory.add_camera(
        {"name": "a", "main_stream_uri": "rtsp://u:topsecret@127.0.0.1/x"}, password="topsecret"
    )
    station.inventory.credentials(cam.id)
    assert not any("topsecret" in line for line in TAIL.snapshot())
    assert "topsecret" not in (tmp_path / "logs" / "console.log").read_text(encoding="utf-8")


def test_mask_credentials() -> None:
    assert mask_credentials("opening rtsp://admin:pw@10.0.0.1/s") == "opening rtsp://***@10.0.0.1/s"
    assert mask_credentials("no url here") == "no url here"
