"""Fixtures for the simulator's own tests: a small precinct, clients that share no code with it.

Clients used: onvif-zeep for ONVIF, ffprobe and PyAV (libavformat's RTSP client) for RTSP,
urllib for raw HTTP, the ``wsdiscovery`` package for discovery. Tests marked ``netns`` are
re-run inside a private network namespace by the hooks of ``simulator.pytest_netns`` and
skipped with a reason when that is impossible.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy as np
import pytest
import requests
from onvif import ONVIFCamera
from zeep.transports import Transport

from simulator.precinct import Camera, Precinct
from simulator.pytest_netns import (  # noqa: F401 - pytest finds hooks and fixtures here
    netns_run,
    pytest_pyfunc_call,
    pytest_runtest_setup,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def precinct() -> Iterator[Precinct]:
    """Three cameras: 0 Hikvision bullet, 1 Dahua bullet, 2 Uniview PTZ dome."""
    with Precinct(3) as p:
        yield p


@pytest.fixture
def cam(precinct: Precinct) -> Iterator[Camera]:
    """A bullet camera with no faults, cleared again after the test."""
    camera = precinct.cameras[0]
    camera.clear()
    yield camera
    camera.clear()


OnvifFactory = Callable[..., ONVIFCamera]


@pytest.fixture
def onvif() -> Iterator[OnvifFactory]:
    """Make onvif-zeep clients whose HTTP sessions are closed after the test."""
    sessions: list[requests.Session] = []

    def make(cam: Camera, password: str | None = None, adjust_time: bool = False) -> ONVIFCamera:
        session = requests.Session()
        sessions.append(session)
        transport = Transport(session=session, timeout=10, operation_timeout=10)
        return ONVIFCamera(
            cam.host,
            cam.onvif_port,
            cam.username,
            password or cam.password,
            adjust_time=adjust_time,
            transport=transport,
        )

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def dome(precinct: Precinct) -> Iterator[Camera]:
    camera = precinct.cameras[2]
    camera.clear()
    yield camera
    camera.clear()


def with_credentials(url: str, user: str, password: str) -> str:
    return url.replace("rtsp://", f"rtsp://{user}:{password}@", 1)


def ffprobe(url: str, transport: str = "tcp", timeout: float = 20.0) -> subprocess.CompletedProcess:
    """ffprobe the first video stream; -timeout bounds every socket wait (microseconds)."""
    return subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-rtsp_transport",
            transport,
            "-timeout",
            "3000000",
            "-show_entries",
            "stream=codec_name,width,height",
            "-of",
            "csv=p=0",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def grab_frames(
    camera: Camera,
    count: int = 3,
    stream: str = "sub",
    transport: str = "tcp",
    skip: int = 2,
    password: str | None = None,
) -> list[tuple[float, np.ndarray]]:
    """Decode ``count`` frames (after ``skip``) with PyAV; each with its arrival time."""
    url = with_credentials(
        camera.rtsp_sub if stream == "sub" else camera.rtsp_main,
        camera.username,
        password or camera.password,
    )
    options = {
        "rtsp_transport": transport,
        "timeout": "4000000",
        "fflags": "nobuffer",
        "flags": "low_delay",
    }
    frames: list[tuple[float, np.ndarray]] = []
    with av.open(url, options=options, timeout=5.0) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i < skip:
                continue
            frames.append((time.time(), frame.to_ndarray(format="bgr24")))
            if len(frames) >= count:
                break
    return frames


def picture(img: np.ndarray) -> np.ndarray:
    """The scene without OSD: drop the time-code strip, the name row and the clock row."""
    h = img.shape[0]
    return img[int(h * 0.25) : int(h * 0.85)]
