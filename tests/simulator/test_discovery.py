"""WS-Discovery, checked with the ``wsdiscovery`` package inside a private network namespace."""

from __future__ import annotations

import pytest
from wsdiscovery import QName, Scope
from wsdiscovery.discovery import ThreadedWSDiscovery

from simulator.precinct import Precinct

NVT = QName("http://www.onvif.org/ver10/network/wsdl", "NetworkVideoTransmitter")


@pytest.mark.netns
def test_multicast_probe_finds_every_camera_and_hello_bye_are_sent() -> None:
    wsd = ThreadedWSDiscovery()
    wsd.start()
    try:
        with Precinct(3, discovery=True) as precinct:
            expected = {cam.device_url for cam in precinct.cameras}
            services = wsd.searchServices(types=[NVT], timeout=1.5)
            found = {x for s in services for x in s.getXAddrs()}
            assert found == expected
            domes = wsd.searchServices(
                scopes=[Scope("onvif://www.onvif.org/type/ptz")], timeout=1.0
            )
            assert {x for s in domes for x in s.getXAddrs()} == {
                c.device_url for c in precinct.cameras if c.has_ptz
            }
    finally:
        wsd.stop()


@pytest.mark.netns
def test_unicast_probe_gets_one_probe_match_per_camera() -> None:
    """A Probe sent straight to 127.0.0.1:3702, built and parsed by the wsdiscovery package."""
    import socket

    from wsdiscovery.actions.probe import constructProbe
    from wsdiscovery.message import createSOAPMessage, parseSOAPMessage

    probe = constructProbe([NVT], [])
    with Precinct(2, discovery=True) as precinct:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.settimeout(2)
        try:
            sock.sendto(createSOAPMessage(probe).encode(), ("127.0.0.1", 3702))
            replies = [parseSOAPMessage(sock.recv(65535), "127.0.0.1") for _ in range(2)]
        finally:
            sock.close()
        assert {r.getRelatesTo() for r in replies} == {probe.getMessageId()}
        xaddrs = {x for r in replies for m in r.getProbeResolveMatches() for x in m.getXAddrs()}
        assert xaddrs == {c.device_url for c in precinct.cameras}


@pytest.mark.netns
def test_hello_and_bye_reach_a_listener() -> None:
    import socket
    import struct

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("", 3702))
    mreq = struct.pack("4s4s", socket.inet_aton("239.255.255.250"), socket.inet_aton("127.0.0.1"))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    sock.settimeout(2)
    seen: list[bytes] = []
    try:
        with Precinct(1, discovery=True):
            seen.append(sock.recv(65535))
        seen.append(sock.recv(65535))
    finally:
        sock.close()
    assert b"/discovery/Hello" in seen[0]
    assert b"/discovery/Bye" in seen[1]


def test_netns_run_isolates_the_network(netns_run) -> None:  # type: ignore[no-untyped-def]
    """Inside, only loopback exists and multicast is routed through it."""
    result = netns_run(["sh", "-c", "ip -o link; ip route"], timeout=20)
    assert result.returncode == 0, result.stderr
    links = [line.split(":")[1].strip() for line in result.stdout.splitlines() if ": " in line]
    assert [name for name in links if not name.startswith("224.")] == ["lo"]
    assert "224.0.0.0/4 dev lo" in result.stdout
