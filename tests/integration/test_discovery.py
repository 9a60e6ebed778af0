"""WS-Discovery against the simulated precinct, inside a private network namespace.

The outer test re-runs this file inside ``unshare --net`` (loopback only, multicast routed
on lo), so no discovery packet ever reaches the host's network. Skipped, with the reason,
where namespaces cannot be made (not root).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from simulator import netns

pytestmark = pytest.mark.netns
inside = pytest.mark.skipif(not netns.inside(), reason="runs only inside the test namespace")


def test_discovery_suite_in_a_private_namespace() -> None:
    if netns.inside():
        pytest.skip("this is the namespace run itself")
    reason = netns.unavailable_reason()
    if reason:
        pytest.skip(reason)
    result = netns.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(Path(__file__)),
            "-k",
            "inside_",
        ],
        cwd=Path(__file__).resolve().parents[2],
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "6 passed" in result.stdout, result.stdout[-2000:]


@inside
def test_inside_multicast_finds_every_camera_with_names() -> None:
    from drivers.discovery import discover
    from simulator.precinct import Precinct

    with Precinct(12, discovery=True) as p:
        found = discover(2.0)
        by_epr = {d.endpoint: d for d in found}
        assert len(by_epr) == 12
        urls = {c.device_url for c in p.cameras}
        assert {d.xaddrs[0] for d in found} == urls
        assert all(d.name and d.hardware for d in found)


@inside
def test_inside_a_camera_plugged_in_while_listening_appears_by_itself() -> None:
    from drivers.discovery import AnnouncementListener
    from simulator.precinct import Precinct

    hellos: list[str] = []
    byes: list[str] = []
    listener = AnnouncementListener(lambda d: hellos.append(d.endpoint), byes.append)
    listener.start()
    try:
        time.sleep(0.2)
        with Precinct(1, discovery=True):
            deadline = time.monotonic() + 5
            while not hellos and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(hellos) == 1
        deadline = time.monotonic() + 5
        while not byes and time.monotonic() < deadline:
            time.sleep(0.05)
        assert byes == hellos
    finally:
        listener.stop()


@inside
def test_inside_unicast_range_probe() -> None:
    from drivers.discovery import unicast_probe
    from simulator.precinct import Precinct

    with Precinct(3, discovery=True):
        found = unicast_probe("127.0.0.0/30", 2.0)
        assert len({d.endpoint for d in found}) == 3
        assert {d.how for d in found} == {"unicast"}


@inside
def test_inside_a_camera_multicast_cannot_reach_is_found_by_range() -> None:
    """A camera 'on another subnet': it answers unicast probes only (no multicast membership),
    like a camera behind a router. Multicast discovery misses it; the range probe finds it."""
    import socket

    from drivers.discovery import PORT, discover, parse_message, unicast_probe
    from simulator.precinct import Precinct

    with Precinct(1, host="127.0.0.5") as p:
        cam = p.cameras[0]
        epr = f"urn:uuid:{uuid.uuid4()}"
        stop = threading.Event()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.5", PORT))
        sock.settimeout(0.1)

        def answer() -> None:
            while not stop.is_set():
                try:
                    data, addr = sock.recvfrom(65535)
                except TimeoutError:
                    continue
                if b"Probe" not in data:
                    continue
                reply = (
                    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
                    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
                    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body>'
                    f"<d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>{epr}"
                    "</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types>"
                    "<d:Scopes>onvif://www.onvif.org/name/Remote onvif://www.onvif.org/hardware/X1</d:Scopes>"
                    f"<d:XAddrs>{cam.device_url}</d:XAddrs></d:ProbeMatch></d:ProbeMatches>"
                    "</s:Body></s:Envelope>"
                ).encode()
                assert parse_message(reply)[1]
                sock.sendto(reply, addr)

        t = threading.Thread(target=answer, daemon=True)
        t.start()
        try:
            assert [d for d in discover(1.0) if d.endpoint == epr] == []
            found = unicast_probe("127.0.0.4/30", 1.5)
            assert [(d.endpoint, d.xaddrs, d.name, d.how) for d in found] == [
                (epr, [cam.device_url], "Remote", "unicast")
            ]
        finally:
            stop.set()
            t.join(2)
            sock.close()


@inside
def test_inside_hostile_replies_are_ignored() -> None:
    """A responder that sends a DTD bomb and garbage does not crash or hang discovery."""
    import socket

    from drivers.discovery import GROUP, PORT, discover

    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<x>&b;</x>"
    )
    stop = threading.Event()

    def hostile() -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", PORT))
        s.setsockopt(
            socket.IPPROTO_IP,
            socket.IP_ADD_MEMBERSHIP,
            socket.inet_aton(GROUP) + socket.inet_aton("127.0.0.1"),
        )
        s.settimeout(0.2)
        while not stop.is_set():
            try:
                _, addr = s.recvfrom(65535)
            except TimeoutError:
                continue
            for payload in (bomb, b"\x00garbage", b"<a>" * 5000):
                s.sendto(payload, addr)
        s.close()

    t = threading.Thread(target=hostile, daemon=True)
    t.start()
    try:
        started = time.monotonic()
        assert discover(1.0) == []
        assert time.monotonic() - started < 3
    finally:
        stop.set()
        t.join(2)


@inside
def test_inside_cli_discover_json() -> None:
    from simulator.precinct import Precinct

    with Precinct(4, discovery=True):
        out = subprocess.run(
            [sys.executable, "-m", "main", "discover", "--json", "--timeout", "1.5"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 4
    assert all(
        {"address", "xaddrs", "endpoint", "scopes", "name", "hardware"} <= set(r) for r in rows
    )
