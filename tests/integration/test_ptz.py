"""PTZ over ONVIF against a simulated dome: move, stop, presets, and named failures."""

from __future__ import annotations

import time
from collections.abc import Iterator

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
