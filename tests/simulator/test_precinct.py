"""The embedding API: identities, start/stop hygiene, and that idle cameras encode nothing."""

from __future__ import annotations

import socket
import threading

import pytest

from simulator import Precinct
from simulator.faults import Fault
from tests.simulator.conftest import grab_frames


def test_identities_are_distinct_and_mixed() -> None:
    with Precinct(6) as precinct:
        infos = [c.info for c in precinct.cameras]
        assert len({i.serial for i in infos}) == 6
        assert len({i.mac for i in infos}) == 6
        assert len({i.onvif_port for i in infos} | {i.rtsp_port for i in infos}) == 12
        assert {i.kind for i in infos} == {"bullet", "dome"}
        assert len({i.vendor for i in infos}) == 3
        assert all(c.encoders_running() == 0 for c in precinct.cameras)


def test_stop_releases_ports_and_threads() -> None:
    before = {t.ident for t in threading.enumerate()}
    precinct = Precinct(2)
    precinct.start()
    cam = precinct.cameras[0]
    port = cam.onvif_port
    grab_frames(cam, count=1, skip=0)
    precinct.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    leftover = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
    assert [t.name for t in leftover if t.name.startswith(("enc-", "precinct"))] == []


def test_unknown_fault_and_bad_arguments_are_rejected() -> None:
    with Precinct(1) as precinct:
        cam = precinct.cameras[0]
        with pytest.raises(ValueError):
            cam.inject("melted")
        with pytest.raises(ValueError):
            cam.inject(Fault.MALFORMED_SOAP, mode="polite")
        with pytest.raises(ValueError):
            cam.inject("black", seconds=3)


def test_fixed_port_base() -> None:
    with Precinct(2, port_base=0) as probe:
        base = probe.cameras[0].onvif_port  # a port that was free a moment ago
    try:
        with Precinct(2, port_base=base) as precinct:
            ports = [(c.onvif_port, c.rtsp_port) for c in precinct.cameras]
    except OSError:
        pytest.skip("port range taken meanwhile")
    assert ports == [(base, base + 1), (base + 2, base + 3)]
