"""The health monitor against the simulated precinct over real sockets: ONVIF clock, RTSP
DESCRIBE, snapshots and OpenCV diagnosis find each injected fault; recovery is noticed."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from drivers.health_probe import HealthProber
from drivers.vqd import Vqd
from simulator import Precinct
from station_console.health.model import FaultKind
from station_console.station import Station


@pytest.fixture
def precinct() -> Iterator[Precinct]:
    with Precinct(cameras=6, light=True) as p:
        yield p


def wait_for(cond, timeout: float = 40.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.2)


def test_monitor_finds_injected_faults_and_recovery(station: Station, precinct: Precinct) -> None:
    station.inventory.add_site({"name": "人民广场", "kind": "key_place", "community": "东城社区"})
    ids = []
    for cam in precinct.cameras:
        ids.append(
            station.inventory.add_camera(
                {"name": cam.name, "site": "人民广场", "onvif_url": cam.device_url,
                 "main_stream_uri": cam.rtsp_main, "sub_stream_uri": cam.rtsp_sub,
                 "username": cam.username},
                password=cam.password,
            ).id
        )  # fmt: skip
    for key, value in (("health_check_seconds", 5), ("health_key_place_seconds", 3),
                       ("vqd_check_seconds", 5)):  # fmt: skip
        station.settings.set(key, value)
    faults = {0: ("covered", FaultKind.COVERED), 1: ("offline", FaultKind.OFFLINE),
              2: ("wrong-password", FaultKind.AUTH_FAILED), 3: ("signal-loss", FaultKind.SIGNAL_LOSS),
              4: ("clock-skew", FaultKind.CLOCK_DRIFT)}  # fmt: skip
    prober = HealthProber()
    monitor = station.health.monitor(station, prober, Vqd())
    monitor.start()
    desk = station.health.faults
    try:
        wait_for(lambda: monitor.stats().online == 6)  # healthy first: baselines learnt
        for index, (fault, _) in faults.items():
            precinct.cameras[index].inject(fault)
        wait_for(lambda: all(kind in desk.open_kinds().get(ids[i], set())
                             for i, (_, kind) in faults.items()))  # fmt: skip
        assert ids[5] not in desk.open_kinds()
        covered = next(f for f in desk.faults() if f.kind is FaultKind.COVERED)
        assert covered.evidence[-1]["measurements"]["luma"] < 60
        assert desk.picture_path(covered.evidence[-1]["file"]).read_bytes()[:2] == b"\xff\xd8"
        precinct.cameras[1].clear()
        wait_for(lambda: desk.fault(next(f.id for f in desk.faults() if f.camera_id == ids[1]))
                 .recovered)  # fmt: skip
    finally:
        monitor.stop()
        prober.close()
