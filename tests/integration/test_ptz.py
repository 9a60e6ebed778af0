"""PTZ over ONVIF against a simulated dome: move, stop, presets, and named failures."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from drivers.ptz import PtzController
from simulator.precinct import Camera, Precinct
from station_console.devices import DeviceError, DeviceErrorKind


@pytest.fixture(scope="module")
def precinct() -> Iterator[Precinct]:
    with Precinct(3) as p:
        yield p


@pytest.fixture
def dome(precinct: Precinct) -> Iterator[Camera]:
    cam = next(c for c in precinct.cameras if c.has_ptz)
    cam.clear()
    yield cam
    cam.clear()


def wait_until(predicate, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_move_right_then_stop(dome: Camera) -> None:
    ptz = PtzController(dome.device_url, dome.username, dome.password)
    try:
        start = ptz.position()
        ptz.move(0.8, 0.0)
        assert wait_until(lambda: ptz.position().pan > start.pan + 0.02)
        ptz.stop()
        stopped = ptz.position()
        assert not stopped.moving
        time.sleep(0.3)
        assert ptz.position().pan == pytest.approx(stopped.pan, abs=1e-3)
    finally:
        ptz.close()


def test_save_rename_and_go_to_preset(dome: Camera) -> None:
    ptz = PtzController(dome.device_url, dome.username, dome.password)
    try:
        token = ptz.save_preset("大门")
        here = ptz.position()
        ptz.move(-0.9, 0.5, 0.3)
        assert wait_until(lambda: abs(ptz.position().pan - here.pan) > 0.02)
        ptz.stop()
        moved = ptz.position()
        ptz.goto_preset(token)
        assert wait_until(lambda: abs(ptz.position().pan - here.pan) < 0.02)
        ptz.move(0.9, 0.0)
        assert wait_until(lambda: abs(ptz.position().pan - here.pan) > 0.02)
        ptz.stop()
        ptz.rename_preset(token, "正门")  # keeps the token and the stored position
        assert ("正门", token) in {(p.name, p.token) for p in ptz.presets()}
        assert abs(ptz.position().pan - here.pan) < 0.02
        assert abs(moved.pan - here.pan) > 0.02
    finally:
        ptz.close()


def test_bullet_camera_and_wrong_password_are_named(precinct: Precinct, dome: Camera) -> None:
    bullet = next(c for c in precinct.cameras if not c.has_ptz)
    with pytest.raises(DeviceError) as err:
        PtzController(bullet.device_url, bullet.username, bullet.password).move(0.5, 0)
    assert err.value.kind is DeviceErrorKind.NOT_ONVIF
    with pytest.raises(DeviceError) as err:
        PtzController(dome.device_url, dome.username, "wrong-password").move(0.5, 0)
    assert err.value.kind is DeviceErrorKind.AUTH_FAILED


def _client_sockets_to(port: int) -> int:
    """Connections this process holds *to* ``port`` (any state but LISTEN), from /proc."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        with open(table, encoding="ascii") as f:
            for line in f.read().splitlines()[1:]:
                fields = line.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                if remote_port == port and fields[3] != "0A" and fields[9] in inodes:
                    count += 1
    return count


def test_released_controller_keeps_no_socket_and_still_works(dome: Camera) -> None:
    port = urlsplit(dome.device_url).port
    assert port is not None
    gc.collect()  # controllers other tests dropped without close() let their sockets go
    others = _client_sockets_to(port)  # other tests' clients, if any
    ptz = PtzController(dome.device_url, dome.username, dome.password)
    try:
        ptz.position()
        assert _client_sockets_to(port) == others + 1  # kept alive while the pad is on it
        ptz.release_connections()
        assert _client_sockets_to(port) == others
        assert not ptz.position().moving  # the next call opens a new connection
        assert _client_sockets_to(port) == others + 1
    finally:
        ptz.close()
    assert _client_sockets_to(port) == others
