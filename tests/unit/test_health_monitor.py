"""Health rules for every fault kind, and the monitor's schedule with fake drivers."""

from __future__ import annotations

import time

import pytest

from drivers.health_fake import FakeDiagnoser, FakeProber
from station_console.health.model import (
    PICTURE_KINDS,
    CameraState,
    FaultKind,
    ProbeError,
    ProbeResult,
)
from station_console.health.rules import Tracker, observe_picture, observe_probe
from station_console.station import Station
from tests.unit.test_health_desk import estate


def probe(**kw: object) -> ProbeResult:
    base: dict[str, object] = {"camera_id": "c", "checked_at": 0.0, "onvif_ok": True,
                               "rtsp_ok": True, "clock_offset_s": 0.2}  # fmt: skip
    base.update(kw)
    return ProbeResult(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("result", "live", "kind"),
    [
        (probe(onvif_ok=False, rtsp_ok=False, onvif_error=ProbeError.UNREACHABLE,
               rtsp_error=ProbeError.UNREACHABLE), None, FaultKind.OFFLINE),
        (probe(rtsp_ok=False, rtsp_error=ProbeError.NO_VIDEO), None, FaultKind.SIGNAL_LOSS),
        (probe(rtsp_ok=False, rtsp_error=ProbeError.AUTH), None, FaultKind.AUTH_FAILED),
        (probe(clock_offset_s=3600.0), None, FaultKind.CLOCK_DRIFT),
        (probe(), "stalled", FaultKind.STREAM_STALLED),
    ],
)  # fmt: skip
def test_connection_kinds_need_a_second_look(result: ProbeResult, live: str | None,
                                             kind: FaultKind) -> None:  # fmt: skip
    tracker = Tracker()
    obs = observe_probe(result, 60.0, live)
    assert kind in obs.found
    confirmed, _, again = tracker.step(obs)
    if kind is FaultKind.CLOCK_DRIFT:  # a measurement, not a glitch
        assert confirmed == {kind}
        return
    assert not confirmed and again
    confirmed, _, again = tracker.step(obs)
    assert confirmed == {kind} and not again
    _, recovered, _ = tracker.step(observe_probe(probe(), 60.0, "" if live else None))
    assert recovered == {kind}


@pytest.mark.parametrize("kind", PICTURE_KINDS)
def test_picture_kinds_confirm_and_recover(kind: FaultKind) -> None:
    tracker = Tracker()
    assert tracker.step(observe_picture(kind))[0] == set()
    assert tracker.step(observe_picture(kind))[0] == {kind}
    assert tracker.state(True) is CameraState.DEGRADED
    assert tracker.step(observe_picture(None))[1] == {kind}


def test_an_offline_camera_says_nothing_about_its_picture() -> None:
    tracker = Tracker(confirmed={FaultKind.COVERED})
    down = probe(onvif_ok=False, rtsp_ok=False, onvif_error=ProbeError.UNREACHABLE,
                 rtsp_error=ProbeError.TIMEOUT)  # fmt: skip
    for _ in range(3):
        tracker.step(observe_probe(down, 60.0))
    assert tracker.confirmed == {FaultKind.COVERED, FaultKind.OFFLINE}
    assert tracker.state(False) is CameraState.OFFLINE


def test_a_single_glitch_is_not_a_fault() -> None:
    tracker = Tracker()
    tracker.step(observe_probe(probe(rtsp_ok=False, rtsp_error=ProbeError.TIMEOUT,
                                     onvif_ok=False, onvif_error=ProbeError.TIMEOUT), 60.0))  # fmt: skip
    confirmed, recovered, again = tracker.step(observe_probe(probe(), 60.0))
    assert not confirmed and not recovered and not again and not tracker.confirmed


def wait_for(cond, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_monitor_opens_dedupes_and_recovers_with_fakes(station: Station) -> None:
    cams = estate(station, 4)
    station.settings.set("health_check_seconds", 5)
    station.settings.set("health_key_place_seconds", 3)
    station.settings.set("vqd_check_seconds", 5)
    prober = FakeProber()
    monitor = station.health.monitor(station, prober, FakeDiagnoser(prober))
    desk = station.health.faults
    prober.flag(cams[0]).offline = True
    prober.flag(cams[1]).picture = FaultKind.COVERED
    prober.flag(cams[2]).auth = True
    monitor.start()
    try:
        wait_for(lambda: set(desk.open_kinds()) >= {cams[0], cams[1], cams[2]})
        kinds = desk.open_kinds()
        assert kinds[cams[0]] == {FaultKind.OFFLINE}
        assert kinds[cams[1]] == {FaultKind.COVERED}
        assert kinds[cams[2]] == {FaultKind.AUTH_FAILED}
        covered = next(f for f in desk.faults() if f.camera_id == cams[1])
        assert covered.evidence and covered.evidence[-1].get("file")
        # One site: one "down" alarm (offline) and one "tamper" alarm (covered).
        assert sorted(a.kind for a in station.health.alarms.alarms()) == ["down", "tamper"]
        prober.flag(cams[0]).offline = False
        prober.flag(cams[1]).picture = None
        wait_for(lambda: not desk.open_kinds().get(cams[0]) and not desk.open_kinds().get(cams[1]))
        assert monitor.stats().cameras == 4
    finally:
        monitor.stop()
    rows = station.db.query("SELECT kind, occurrences, recovered_at FROM fault_tickets")
    assert len(rows) == 3 and all(r["occurrences"] == 1 for r in rows)
    assert station.db.scalar("SELECT sum(checks) FROM camera_health_hourly") >= 8
