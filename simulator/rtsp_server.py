"""A small RTSP 1.0 server (RFC 2326) serving one camera's H.264 streams over RTP.

Enough of RTSP for ffmpeg, libVLC and the console's gateway: OPTIONS, DESCRIBE (SDP with
sprop-parameter-sets), SETUP over TCP-interleaved or UDP unicast, PLAY, PAUSE, GET_PARAMETER
keep-alives and TEARDOWN, with digest auth. RTP packetisation is RFC 6184 (single NAL unit and
FU-A). Each connection holds at most one session with one video track. Faults decide whether
a request is answered (signal loss: 503) and whether packets flow (RTSP stall). The server never
encodes: it subscribes sessions to the camera's ``StreamEncoder``s, which encode only while
someone is subscribed.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import secrets
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from simulator import digest
from simulator.connections import Connections
from simulator.encoder import AccessUnit, StreamEncoder, parameter_sets
from simulator.faults import Fault, FaultState

log = logging.getLogger(__name__)

MAX_RTP_PAYLOAD = 1400
MAX_REQUEST = 16 * 1024
#: A TCP client further behind than this loses frames up to the next keyframe.
MAX_BACKLOG = 4 * 1024 * 1024
SESSION_TIMEOUT_S = 60
IO_TIMEOUT_S = 120.0
Reply = tuple[str, dict[str, str], bytes]  # status line, extra headers, body


class RtspBackend(Protocol):
    """What the server needs from its camera."""

    name: str
    realm: str
    faults: FaultState

    def credentials(self) -> tuple[str, str]: ...

    def stream_for_path(self, path: str) -> StreamEncoder | None: ...


def _rtp_packets(unit: AccessUnit, seq: int, ssrc: int) -> tuple[list[bytes], int]:
    """Packetise one access unit; return the packets and the next sequence number."""
    payloads: list[bytes] = []
    for nal in unit.nals:
        if nal[0] & 0x1F == 9:  # access unit delimiters carry nothing RTP needs
            continue
        if len(nal) <= MAX_RTP_PAYLOAD:
            payloads.append(nal)
            continue
        indicator = (nal[0] & 0xE0) | 28
        nal_type = nal[0] & 0x1F
        body = nal[1:]
        chunk = MAX_RTP_PAYLOAD - 2
        for offset in range(0, len(body), chunk):
            start = 0x80 if offset == 0 else 0
            end = 0x40 if offset + chunk >= len(body) else 0
            header = bytes((indicator, start | end | nal_type))
            payloads.append(header + body[offset : offset + chunk])
    packets = []
    for i, payload in enumerate(payloads):
        marker = 0x80 if i == len(payloads) - 1 else 0
        header = struct.pack(
            "!BBHII", 0x80, marker | 96, seq & 0xFFFF, unit.rtp_timestamp, ssrc & 0xFFFFFFFF
        )
        packets.append(header + payload)
        seq += 1
    return packets, seq


@dataclass
class _Session:
    """One SETUP'd track on one connection."""

    session_id: str
    stream: StreamEncoder
    writer: asyncio.StreamWriter
    faults: FaultState
    interleaved: int | None = None  # RTP channel when over TCP
    udp: asyncio.DatagramTransport | None = None
    client_ports: tuple[int, int] = (0, 0)
    ssrc: int = field(default_factory=lambda: secrets.randbits(32))
    seq: int = field(default_factory=lambda: secrets.randbits(16))
    playing: bool = False
    waiting_for_keyframe: bool = True
    packets_sent: int = 0

    def on_unit(self, unit: AccessUnit) -> None:
        if Fault.RTSP_STALL in self.faults:
            return
        if self.waiting_for_keyframe:
            if not unit.keyframe:
                return
            self.waiting_for_keyframe = False
        packets, self.seq = _rtp_packets(unit, self.seq, self.ssrc)
        if self.udp is not None:
            if self.udp.is_closing():
                return
            for packet in packets:
                self.udp.sendto(packet)
        else:
            transport = self.writer.transport
            if transport.is_closing():
                return
            if transport.get_write_buffer_size() > MAX_BACKLOG:
                self.waiting_for_keyframe = True  # slow client: drop to the next keyframe
                return
            channel = self.interleaved or 0
            self.writer.write(
                b"".join(struct.pack("!BBH", 0x24, channel, len(p)) + p for p in packets)
            )
        self.packets_sent += len(packets)

    def start(self) -> None:
        if not self.playing:
            self.playing = True
            self.waiting_for_keyframe = True
            self.stream.subscribe(self.on_unit)

    def pause(self) -> None:
        if self.playing:
            self.playing = False
            self.stream.unsubscribe(self.on_unit)

    def close(self) -> None:
        self.pause()
        if self.udp is not None:
            self.udp.close()
            self.udp = None


class RtspServer:
    """The RTSP endpoint of one camera, on ``host``:``port`` (0 picks a free port)."""

    def __init__(self, backend: RtspBackend, host: str, port: int) -> None:
        self.backend = backend
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._connections = Connections()

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, limit=MAX_REQUEST, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    def drop_sessions(self) -> None:
        """Close every client connection (reboot, signal loss)."""
        self._connections.reset_all()

    async def stop(self) -> None:
        """Stop listening and drop everyone; the port is kept for a later ``start``."""
        server, self._server = self._server, None
        await self._connections.drop_all(server)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = self._connections.enter(writer)
        conn = _Connection(self, reader, writer)
        try:
            await conn.run()
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("RTSP connection to %s failed", self.backend.name)
        finally:
            conn.close()
            self._connections.leave(writer, task)


class _Connection:
    def __init__(
        self, server: RtspServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.server = server
        self.backend = server.backend
        self.reader = reader
        self.writer = writer
        self.nonce = digest.new_nonce()
        self.session: _Session | None = None
        peer = writer.get_extra_info("peername")
        self.peer_host: str = peer[0] if peer else "127.0.0.1"

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    async def run(self) -> None:
        while True:
            first = await asyncio.wait_for(self.reader.readexactly(1), IO_TIMEOUT_S)
            if first == b"$":  # interleaved RTCP from the client: read and ignore
                header = await asyncio.wait_for(self.reader.readexactly(3), IO_TIMEOUT_S)
                await self.reader.readexactly(struct.unpack("!H", header[1:])[0])
                continue
            head = first + await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), IO_TIMEOUT_S)
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3:
                return
            method, url, _version = parts
            headers: dict[str, str] = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            length = int(headers.get("content-length", "0") or 0)
            if length > MAX_REQUEST:
                return
            if length:
                await asyncio.wait_for(self.reader.readexactly(length), IO_TIMEOUT_S)
            status, extra, body = await self.handle(method.upper(), url, headers)
            self.reply(headers.get("cseq", "0"), status, extra, body)
            await self.writer.drain()
            if method.upper() == "TEARDOWN":
                return

    def reply(self, cseq: str, status: str, extra: dict[str, str], body: bytes) -> None:
        lines = [f"RTSP/1.0 {status}", f"CSeq: {cseq}", "Server: StationSim/1.0"]
        lines += [f"{k}: {v}" for k, v in extra.items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    def _authorised(self, method: str, headers: dict[str, str]) -> bool:
        user, password = self.backend.credentials()
        return digest.verify(
            headers.get("authorization"),
            method,
            self.backend.realm,
            {self.nonce},
            user,
            password,
        )

    async def handle(self, method: str, url: str, headers: dict[str, str]) -> Reply:
        if method == "OPTIONS":
            public = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER"
            return "200 OK", {"Public": public}, b""
        if not self._authorised(method, headers):
            challenge = digest.challenge(self.backend.realm, self.nonce, qop=False)
            return "401 Unauthorized", {"WWW-Authenticate": challenge}, b""
        if Fault.SIGNAL_LOSS in self.backend.faults and method in ("DESCRIBE", "SETUP", "PLAY"):
            return "503 Service Unavailable", {}, b""
        if getattr(self.backend, "light", False) and method in ("SETUP", "PLAY"):
            return "453 Not Enough Bandwidth", {}, b""  # light mode: nothing is encoded
        handler: Callable[[str, dict[str, str]], object] | None = {
            "DESCRIBE": self.describe,
            "SETUP": self.setup,
            "PLAY": self.play,
            "PAUSE": self.pause,
            "TEARDOWN": self.teardown,
            "GET_PARAMETER": self.keepalive,
            "SET_PARAMETER": self.keepalive,
        }.get(method)
        if handler is None:
            return "405 Method Not Allowed", {}, b""
        result = handler(url, headers)
        if asyncio.iscoroutine(result):
            result = await result
        return result  # type: ignore[return-value]

    def _stream(self, url: str) -> StreamEncoder | None:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.backend.stream_for_path(path)

    async def describe(self, url: str, headers: dict[str, str]) -> Reply:
        stream = self._stream(url)
        if stream is None:
            return "404 Not Found", {}, b""
        loop = asyncio.get_running_loop()
        sps, pps = await loop.run_in_executor(None, parameter_sets, stream.profile)
        sprop = ",".join(base64.b64encode(x).decode() for x in (sps, pps))
        sdp = "\r\n".join(
            [
                "v=0",
                f"o=- {secrets.randbits(31)} 1 IN IP4 {self.server.host}",
                f"s={self.backend.name}",
                "c=IN IP4 0.0.0.0",
                "t=0 0",
                "a=control:*",
                "a=range:npt=0-",
                "m=video 0 RTP/AVP 96",
                "a=rtpmap:96 H264/90000",
                f"a=fmtp:96 packetization-mode=1;profile-level-id={sps[1:4].hex()};"
                f"sprop-parameter-sets={sprop}",
                f"a=framerate:{stream.profile.fps}",
                f"a=x-dimensions:{stream.profile.width},{stream.profile.height}",
                "a=control:trackID=1",
                "",
            ]
        ).encode()
        base = url if url.endswith("/") else url + "/"
        return "200 OK", {"Content-Base": base, "Content-Type": "application/sdp"}, sdp

    async def setup(self, url: str, headers: dict[str, str]) -> Reply:
        # SETUP names the track: strip it to find the stream the DESCRIBE named.
        track_url = url.rsplit("/trackID=", 1)[0]
        stream = self._stream(track_url)
        if stream is None:
            return "404 Not Found", {}, b""
        if self.session is not None:
            self.session.close()
        transport = headers.get("transport", "")
        fields = [f.strip() for f in transport.split(",")[0].split(";")]
        session = _Session(
            session_id=secrets.token_hex(8).upper(),
            stream=stream,
            writer=self.writer,
            faults=self.backend.faults,
        )
        params = {k: v for k, _, v in (f.partition("=") for f in fields)}
        if fields and fields[0].upper().endswith("/TCP"):
            channels = params.get("interleaved", "0-1")
            session.interleaved = int(channels.split("-")[0])
            reply = f"RTP/AVP/TCP;unicast;interleaved={channels};ssrc={session.ssrc:08X}"
        elif "client_port" in params:
            ports = [int(p) for p in params["client_port"].split("-")]
            rtp_port = ports[0]
            rtcp_port = ports[1] if len(ports) > 1 else rtp_port + 1
            loop = asyncio.get_running_loop()
            udp, _ = await loop.create_datagram_endpoint(
                asyncio.DatagramProtocol,
                local_addr=(self.server.host, 0),
                remote_addr=(self.peer_host, rtp_port),
            )
            session.udp = udp
            session.client_ports = (rtp_port, rtcp_port)
            server_port = udp.get_extra_info("sockname")[1]
            reply = (
                f"RTP/AVP;unicast;client_port={rtp_port}-{rtcp_port};"
                f"server_port={server_port}-{server_port + 1};ssrc={session.ssrc:08X}"
            )
        else:
            return "461 Unsupported Transport", {}, b""
        self.session = session
        return (
            "200 OK",
            {"Transport": reply, "Session": f"{session.session_id};timeout={SESSION_TIMEOUT_S}"},
            b"",
        )

    def _session_header(self) -> dict[str, str]:
        if self.session is None:
            return {}
        return {"Session": self.session.session_id}

    def play(self, url: str, headers: dict[str, str]) -> Reply:
        if self.session is None:
            return "454 Session Not Found", {}, b""
        self.session.start()
        return "200 OK", {**self._session_header(), "Range": "npt=0.000-"}, b""

    def pause(self, url: str, headers: dict[str, str]) -> Reply:
        if self.session is None:
            return "454 Session Not Found", {}, b""
        self.session.pause()
        return "200 OK", self._session_header(), b""

    def teardown(self, url: str, headers: dict[str, str]) -> Reply:
        extra = self._session_header()
        self.close()
        return "200 OK", extra, b""

    def keepalive(self, url: str, headers: dict[str, str]) -> Reply:
        return "200 OK", self._session_header(), b""
