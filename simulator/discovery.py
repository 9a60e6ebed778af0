"""WS-Discovery (2005/04, as ONVIF uses it) for all cameras of a precinct, on UDP 3702.

One socket answers for every camera: each matching camera sends its own ProbeMatches message,
as separate devices would. Hello is multicast when the responder starts, Bye when it stops.

Containment: multicast is sent only via the loopback interface (IP_MULTICAST_IF 127.0.0.1,
TTL 1), and probes from outside 127.0.0.0/8 are ignored, so even on a host network nothing
leaves the machine. Tests run it in a private namespace anyway (see ``simulator.netns``),
because the precinct disables discovery unless asked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import struct
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from lxml import etree

if TYPE_CHECKING:
    from simulator.camera import VirtualCamera

log = logging.getLogger(__name__)

GROUP = "239.255.255.250"
PORT = 3702
NS_SOAP = "http://www.w3.org/2003/05/soap-envelope"
NS_WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
NS_WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
NS_DN = "http://www.onvif.org/ver10/network/wsdl"
NS_TDS = "http://www.onvif.org/ver10/device/wsdl"
ACTION = NS_WSD + "/{}"
TO_DISCOVERY = "urn:schemas-xmlsoap-org:ws:2005:04:discovery"
ANONYMOUS = NS_WSA + "/role/anonymous"
#: The QNames each camera claims, as (namespace, local name).
TYPES = {(NS_DN, "NetworkVideoTransmitter"), (NS_TDS, "Device")}
MAX_DATAGRAM = 65507

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _types_match(requested: list[tuple[str, str]]) -> bool:
    return all(t in TYPES for t in requested)


def _scopes_match(requested: list[str], ours: list[str]) -> bool:
    """RFC 3986 prefix matching by path segment (the default MatchBy)."""

    def match(want: str) -> bool:
        want = want.rstrip("/")
        return any(s == want or s.startswith(want + "/") for s in ours)

    return all(match(w) for w in requested)


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, responder: DiscoveryResponder) -> None:
        self.responder = responder
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            self.responder.on_datagram(data, addr)
        except Exception:
            log.exception("bad WS-Discovery datagram from %s", addr)


class DiscoveryResponder:
    """Answers Probes for ``cameras``; sends Hello on ``start`` and Bye on ``stop``."""

    def __init__(self, cameras: Sequence[VirtualCamera]) -> None:
        self.cameras = list(cameras)
        self._protocol: _Protocol | None = None
        self._instance = 1
        self._message_number = 0

    async def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(("", PORT))
        loopback = socket.inet_aton("127.0.0.1")
        sock.setsockopt(
            socket.IPPROTO_IP,
            socket.IP_ADD_MEMBERSHIP,
            struct.pack("4s4s", socket.inet_aton(GROUP), loopback),
        )
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, loopback)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_datagram_endpoint(lambda: _Protocol(self), sock=sock)
        self._protocol = protocol
        for cam in self.cameras:
            self._send(self._announce(cam, "Hello"), (GROUP, PORT))

    async def stop(self) -> None:
        if self._protocol is None or self._protocol.transport is None:
            return
        for cam in self.cameras:
            self._send(self._announce(cam, "Bye"), (GROUP, PORT))
        await asyncio.sleep(0.05)  # let the Byes leave before the socket closes
        self._protocol.transport.close()
        self._protocol = None

    def _send(self, data: bytes, addr: tuple[str, int]) -> None:
        if self._protocol is not None and self._protocol.transport is not None:
            self._protocol.transport.sendto(data, addr)

    # -- messages ----------------------------------------------------------------------------

    def _header(self, action: str, to: str, relates_to: str | None = None) -> str:
        self._message_number += 1
        relates = f"<wsa:RelatesTo>{escape(relates_to)}</wsa:RelatesTo>" if relates_to else ""
        return (
            f"<s:Header><wsa:MessageID>urn:uuid:{uuid.uuid4()}</wsa:MessageID>{relates}"
            f"<wsa:To>{to}</wsa:To><wsa:Action>{ACTION.format(action)}</wsa:Action>"
            f'<d:AppSequence InstanceId="{self._instance}" '
            f'MessageNumber="{self._message_number}"/></s:Header>'
        )

    @staticmethod
    def _envelope(header: str, body: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<s:Envelope xmlns:s="{NS_SOAP}" xmlns:wsa="{NS_WSA}" xmlns:d="{NS_WSD}" '
            f'xmlns:dn="{NS_DN}" xmlns:tds="{NS_TDS}">{header}<s:Body>{body}</s:Body>'
            "</s:Envelope>"
        ).encode()

    @staticmethod
    def _endpoint(cam: VirtualCamera, with_details: bool = True) -> str:
        epr = (
            "<wsa:EndpointReference><wsa:Address>urn:uuid:"
            f"{cam.identity.endpoint_uuid}</wsa:Address></wsa:EndpointReference>"
        )
        if not with_details:
            return epr
        return (
            f"{epr}<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>"
            f"<d:Scopes>{escape(' '.join(cam.scopes()))}</d:Scopes>"
            f"<d:XAddrs>{escape(cam.urls.device)}</d:XAddrs>"
            "<d:MetadataVersion>1</d:MetadataVersion>"
        )

    def _announce(self, cam: VirtualCamera, kind: str) -> bytes:
        body = f"<d:{kind}>{self._endpoint(cam, kind == 'Hello')}</d:{kind}>"
        return self._envelope(self._header(kind, TO_DISCOVERY), body)

    def on_datagram(self, data: bytes, addr: tuple[str, int]) -> None:
        if not ipaddress.ip_address(addr[0]).is_loopback:
            return  # never answer (or send anything) beyond this machine
        if len(data) > MAX_DATAGRAM:
            return
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            return
        if root.getroottree().docinfo.internalDTD is not None:
            return
        probe = root.find(f"{{{NS_SOAP}}}Body/{{{NS_WSD}}}Probe")
        if probe is None:
            return
        message_id = root.findtext(f"{{{NS_SOAP}}}Header/{{{NS_WSA}}}MessageID")
        if not message_id:
            return
        types: list[tuple[str, str]] = []
        types_el = probe.find(f"{{{NS_WSD}}}Types")
        if types_el is not None and types_el.text:
            for item in types_el.text.split():
                prefix, _, local = item.rpartition(":")
                types.append((types_el.nsmap.get(prefix or None, ""), local))
        scopes_el = probe.find(f"{{{NS_WSD}}}Scopes")
        scopes = scopes_el.text.split() if scopes_el is not None and scopes_el.text else []
        if not _types_match(types):
            return
        for cam in self.cameras:
            if not cam.http.listening or not _scopes_match(scopes, cam.scopes()):
                continue
            body = f"<d:ProbeMatches><d:ProbeMatch>{self._endpoint(cam)}</d:ProbeMatch></d:ProbeMatches>"
            header = self._header("ProbeMatches", ANONYMOUS, relates_to=message_id)
            self._send(self._envelope(header, body), addr)
