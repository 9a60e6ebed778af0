"""WS-Discovery client: find ONVIF cameras by multicast, by unicast over an address range,
and passively from their Hello/Bye announcements.

Why: a technician plugs in cameras and expects them in the list without typing addresses.
UDP is lossy and cameras answer at random delays, so a probe is sent several times and we
listen for a window, deduplicating by endpoint reference (the camera's stable identity, not
its address, which DHCP may change). Cameras on another subnet never hear multicast: for
them the technician gives a range and each address is probed by unicast.

Replies are untrusted: parsed with a parser that refuses DTDs, entities and network access,
and datagrams over 64 KiB are dropped. Everything is bounded by the caller's timeout.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import logging
import select
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree

log = logging.getLogger(__name__)

GROUP = "239.255.255.250"
PORT = 3702
MAX_DATAGRAM = 65535
NS_SOAP = "http://www.w3.org/2003/05/soap-envelope"
NS_WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
NS_WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
NS_DN = "http://www.onvif.org/ver10/network/wsdl"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True
)


@dataclass
class DiscoveredDevice:
    """One camera found on the network (merged over all its replies)."""

    endpoint: str
    xaddrs: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    source: str = ""  # address the reply came from
    how: str = "multicast"  # multicast | unicast | hello

    @property
    def address(self) -> str:
        """host[:port] of the first service address, else the source."""
        for x in self.xaddrs:
            parts = urlsplit(x)
            if parts.hostname:
                return f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
        return self.source

    def _scope(self, kind: str) -> str:
        prefix = f"onvif://www.onvif.org/{kind}/"
        for s in self.scopes:
            if s.startswith(prefix):
                return unquote(s[len(prefix) :])
        return ""

    @property
    def name(self) -> str:
        return self._scope("name")

    @property
    def hardware(self) -> str:
        return self._scope("hardware")

    def to_json(self) -> dict[str, object]:
        return {
            "address": self.address,
            "xaddrs": self.xaddrs,
            "endpoint": self.endpoint,
            "scopes": self.scopes,
            "name": self.name,
            "hardware": self.hardware,
            "how": self.how,
        }


def probe_message(message_id: str | None = None) -> bytes:
    mid = message_id or f"urn:uuid:{uuid.uuid4()}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<s:Envelope xmlns:s="{NS_SOAP}" xmlns:a="{NS_WSA}" xmlns:d="{NS_WSD}" xmlns:dn="{NS_DN}">'
        f"<s:Header><a:MessageID>{mid}</a:MessageID>"
        "<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>"
        "<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>"
        "<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body>"
        "</s:Envelope>"
    ).encode()


def parse_message(data: bytes, source: str = "") -> tuple[str, list[DiscoveredDevice]]:
    """(kind, devices) for a ProbeMatches / Hello / Bye datagram; ("", []) for anything else."""
    if len(data) > MAX_DATAGRAM:
        return "", []
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return "", []
    if root.getroottree().docinfo.internalDTD is not None:
        return "", []  # a DTD in a discovery reply is hostile or broken
    body = root.find(f"{{{NS_SOAP}}}Body")
    if body is None or len(body) == 0:
        return "", []
    msg = body[0]
    kind = etree.QName(msg).localname
    if kind == "ProbeMatches":
        items = msg.findall(f"{{{NS_WSD}}}ProbeMatch")
    elif kind in ("Hello", "Bye"):
        items = [msg]
    else:
        return "", []
    found = []
    for item in items:
        epr = (item.findtext(f"{{{NS_WSA}}}EndpointReference/{{{NS_WSA}}}Address") or "").strip()
        if not epr or len(epr) > 512:
            continue
        found.append(
            DiscoveredDevice(
                endpoint=epr,
                xaddrs=(item.findtext(f"{{{NS_WSD}}}XAddrs") or "").split()[:8],
                scopes=(item.findtext(f"{{{NS_WSD}}}Scopes") or "").split()[:64],
                types=(item.findtext(f"{{{NS_WSD}}}Types") or "").split()[:16],
                source=source,
                how="hello" if kind == "Hello" else "multicast",
            )
        )
    return kind, found


def ipv4_interfaces() -> list[str]:
    """IPv4 addresses of the interfaces that are up (Linux ioctl; loopback last)."""
    addrs: list[str] = []
    try:
        names = [n for _, n in socket.if_nameindex()]
    except OSError:
        names = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for name in names:
            try:
                packed = fcntl.ioctl(
                    s.fileno(), 0x8915, struct.pack("256s", name[:15].encode())
                )  # SIOCGIFADDR
            except OSError:
                continue
            addrs.append(socket.inet_ntoa(packed[20:24]))
    addrs.sort(key=lambda a: ipaddress.ip_address(a).is_loopback)
    return addrs or ["0.0.0.0"]  # noqa: S104 - let the OS pick when we cannot list interfaces


class _Collector:
    def __init__(self, on_found: Callable[[DiscoveredDevice], None] | None) -> None:
        self.devices: dict[str, DiscoveredDevice] = {}
        self.on_found = on_found

    def add(self, dev: DiscoveredDevice) -> None:
        known = self.devices.get(dev.endpoint)
        if known is None:
            self.devices[dev.endpoint] = dev
            if self.on_found:
                self.on_found(dev)
            return
        for x in dev.xaddrs:
            if x not in known.xaddrs:
                known.xaddrs.append(x)


def _listen(
    socks: list[socket.socket],
    deadline: float,
    collector: _Collector,
    resend: Callable[[float], None],
) -> None:
    while True:
        now = time.monotonic()
        if now >= deadline:
            return
        resend(now)
        ready, _, _ = select.select(socks, [], [], min(0.05, deadline - now))
        for s in ready:
            try:
                data, addr = s.recvfrom(MAX_DATAGRAM + 1)
            except OSError:
                continue
            kind, devices = parse_message(data, addr[0])
            if kind in ("ProbeMatches", "Hello"):
                for d in devices:
                    collector.add(d)


def discover(
    timeout: float = 3.0,
    *,
    probes: int = 3,
    interfaces: Iterable[str] | None = None,
    on_found: Callable[[DiscoveredDevice], None] | None = None,
) -> list[DiscoveredDevice]:
    """Multicast Probe on every IPv4 interface, repeated, listening for ``timeout`` seconds."""
    socks: list[socket.socket] = []
    try:
        for iface in interfaces or ipv4_interfaces():
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
            try:
                s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
                s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
                s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface))
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
                s.bind((iface, 0))
                s.setblocking(False)
            except OSError as exc:
                log.info("discovery: interface %s skipped (%s)", iface, exc)
                s.close()
                continue
            socks.append(s)
        if not socks:
            return []
        collector = _Collector(on_found)
        start = time.monotonic()
        # Probes at 0, 0.3, 0.9, ... s: early answers come fast, stragglers get more chances.
        schedule = [start + 0.3 * (2**i - 1) for i in range(max(probes, 1))]
        schedule = [t for t in schedule if t < start + timeout * 0.8] or [start]

        def resend(now: float) -> None:
            while schedule and schedule[0] <= now:
                schedule.pop(0)
                message = probe_message()
                for s in socks:
                    with contextlib.suppress(OSError):
                        s.sendto(message, (GROUP, PORT))

        _listen(socks, start + timeout, collector, resend)
        return list(collector.devices.values())
    finally:
        for s in socks:
            s.close()


def unicast_probe(
    network: str,
    timeout: float = 3.0,
    *,
    on_found: Callable[[DiscoveredDevice], None] | None = None,
    max_hosts: int = 4096,
) -> list[DiscoveredDevice]:
    """Probe every host of ``network`` (CIDR) directly on UDP 3702 (for other subnets)."""
    net = ipaddress.ip_network(network, strict=False)
    if net.num_addresses > max_hosts:
        raise ValueError(f"{network} has more than {max_hosts} addresses")
    hosts = [str(h) for h in (net.hosts() if net.num_addresses > 2 else net)]
    collector = _Collector(on_found)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.setblocking(False)
        start = time.monotonic()
        pending = list(hosts) * 2  # each address twice: UDP may drop one

        def resend(now: float) -> None:
            for _ in range(64):  # paced: at most 64 datagrams per 50 ms tick
                if not pending:
                    return
                host = pending.pop(0)
                with contextlib.suppress(OSError):
                    s.sendto(probe_message(), (host, PORT))

        def tag(dev: DiscoveredDevice) -> None:
            dev.how = "unicast"
            if on_found:
                on_found(dev)

        collector.on_found = tag
        _listen([s], start + timeout, collector, resend)
    return list(collector.devices.values())


class AnnouncementListener:
    """Listens for Hello/Bye so a newly plugged camera appears by itself."""

    def __init__(
        self,
        on_hello: Callable[[DiscoveredDevice], None],
        on_bye: Callable[[str], None],
        interface: str = "0.0.0.0",  # noqa: S104 - membership is per interface below
    ) -> None:
        self.on_hello, self.on_bye = on_hello, on_bye
        self.interface = interface
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    def start(self) -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.bind(("", PORT))
        for iface in ipv4_interfaces():
            with contextlib.suppress(OSError):
                s.setsockopt(
                    socket.IPPROTO_IP,
                    socket.IP_ADD_MEMBERSHIP,
                    struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton(iface)),
                )
        s.settimeout(0.2)
        self._sock = s
        self._thread = threading.Thread(target=self._run, name="ws-discovery-listener", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                data, addr = self._sock.recvfrom(MAX_DATAGRAM + 1)
            except (TimeoutError, OSError):
                continue
            kind, devices = parse_message(data, addr[0])
            for d in devices:
                try:
                    if kind == "Hello":
                        self.on_hello(d)
                    elif kind == "Bye":
                        self.on_bye(d.endpoint)
                except Exception:
                    log.exception("announcement callback failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        if self._sock:
            self._sock.close()
