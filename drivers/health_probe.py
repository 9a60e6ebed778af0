"""Camera health probing without decoding: ONVIF clock, RTSP DESCRIBE, snapshots.

Why it is built this way:

* 2,000 cameras every 10–20 s is 100–200 requests a second. zeep builds and parses a
  SOAP message in milliseconds of CPU; a health check needs one fixed request
  (``GetSystemDateAndTime``, which needs no login) and four numbers out of the reply. So
  the check is a hand-written envelope over a raw keep-alive HTTP connection, read with a
  bounded regular expression (no XML parser, so no entity or DTD tricks either).
* One asyncio loop on its own thread holds a persistent connection per camera and service
  (ONVIF HTTP, RTSP, snapshot HTTP); a DESCRIBE on an open RTSP connection with a cached
  digest challenge is one round trip. A connection the camera closed is reopened once;
  a refused one means the camera is unreachable.
* Every exchange has a timeout and a size cap, and every failure is one
  :class:`ProbeError` kind. Credentials never appear in ``detail`` or logs.
* The snapshot URI is learnt once per camera (signed GetCapabilities, GetProfiles,
  GetSnapshotUri with WS-UsernameToken in the camera's own time) and stored by the core.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from station_console.health.model import ProbeError, ProbeResult, ProbeTarget

log = logging.getLogger(__name__)

MAX_HEAD = 16 * 1024
MAX_SOAP = 256 * 1024
MAX_SNAPSHOT = 8 * 1024 * 1024
SNAPSHOT_URI_RETRY_S = 300.0

_CLOCK_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
    b'<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'
    b"</s:Body></s:Envelope>"
)
_UTC_BLOCK = re.compile(rb"UTCDateTime>(.{0,2000}?)</[\w:]*UTCDateTime", re.S)
_FIELD = {
    name: re.compile(rb"<(?:[\w]+:)?" + name.encode() + rb">\s*(\d{1,4})\s*<")
    for name in ("Year", "Month", "Day", "Hour", "Minute", "Second")
}
_PARAM = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))')


class _Failed(Exception):
    def __init__(self, kind: ProbeError, detail: str = "") -> None:
        super().__init__(detail or kind.value)
        self.kind = kind
        self.detail = detail or kind.value


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _endpoint(url: str, default_port: int) -> tuple[str, int, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise _Failed(ProbeError.BAD_REPLY, "no host in address")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return host, parts.port or default_port, path


def masked(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return parts._replace(netloc=netloc).geturl()


@dataclass
class _Challenge:
    scheme: str  # "digest" | "basic"
    params: dict[str, str] = field(default_factory=dict)
    nc: int = 0

    @classmethod
    def parse(cls, header: str) -> _Challenge | None:
        scheme, _, rest = header.strip().partition(" ")
        if scheme.lower() == "basic":
            return cls("basic")
        if scheme.lower() != "digest":
            return None
        params = {m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _PARAM.finditer(rest)}
        return cls("digest", params)

    def answer(self, method: str, uri: str, user: str, password: str) -> str:
        if self.scheme == "basic":
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            return f"Basic {token}"
        realm, nonce = self.params.get("realm", ""), self.params.get("nonce", "")
        ha1 = _md5(f"{user}:{realm}:{password}")
        ha2 = _md5(f"{method}:{uri}")
        header = (
            f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
            "algorithm=MD5"
        )
        qop = self.params.get("qop", "")
        if "auth" in [q.strip() for q in qop.split(",")] if qop else False:
            self.nc += 1
            nc = f"{self.nc:08x}"
            cnonce = secrets.token_hex(8)
            response = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            header += f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            response = _md5(f"{ha1}:{nonce}:{ha2}")
        if self.params.get("opaque"):
            header += f', opaque="{self.params["opaque"]}"'
        return header + f', response="{response}"'


@dataclass
class _Reply:
    status: int
    headers: dict[str, str]
    body: bytes


class _Link:
    """One persistent TCP connection speaking HTTP/1.1 or RTSP/1.0, one request at a time."""

    def __init__(self, host: str, port: int, protocol: str) -> None:
        self.host, self.port, self.protocol = host, port, protocol
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.lock = asyncio.Lock()
        self.challenge: _Challenge | None = None
        self.cseq = 0

    async def _connect(self, timeout: float) -> None:
        self.close()
        try:
            self.reader, self.writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port, limit=MAX_HEAD), timeout
            )
        except TimeoutError as exc:
            raise _Failed(ProbeError.TIMEOUT, "connect timed out") from exc
        except OSError as exc:
            raise _Failed(ProbeError.UNREACHABLE, exc.strerror or type(exc).__name__) from exc

    def close(self) -> None:
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.transport.abort()
        self.reader = self.writer = None

    async def request(
        self, method: str, target: str, headers: dict[str, str], body: bytes, timeout: float,
        max_body: int,
    ) -> _Reply:  # fmt: skip
        """Send one request; reopen once when a kept-alive connection turned out closed."""
        async with self.lock:
            fresh = self.writer is None
            for attempt in range(2):
                if self.writer is None:
                    await self._connect(timeout)
                    fresh = True
                try:
                    return await asyncio.wait_for(
                        self._exchange(method, target, headers, body, max_body), timeout
                    )
                except TimeoutError as exc:
                    self.close()
                    raise _Failed(ProbeError.TIMEOUT, f"no answer to {method}") from exc
                except (ConnectionError, asyncio.IncompleteReadError, EOFError) as exc:
                    self.close()
                    if fresh or attempt:
                        raise _Failed(
                            ProbeError.UNREACHABLE, f"connection lost ({type(exc).__name__})"
                        ) from exc
                except _Failed:
                    self.close()
                    raise
            raise _Failed(ProbeError.UNREACHABLE, "connection lost")

    async def _exchange(
        self, method: str, target: str, headers: dict[str, str], body: bytes, max_body: int
    ) -> _Reply:
        assert self.reader is not None and self.writer is not None
        if self.protocol == "RTSP":
            self.cseq += 1
            lines = [f"{method} {target} RTSP/1.0", f"CSeq: {self.cseq}"]
        else:
            lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        while True:
            try:
                head = await self.reader.readuntil(b"\r\n\r\n")
            except asyncio.LimitOverrunError as exc:
                raise _Failed(ProbeError.BAD_REPLY, "reply header too large") from exc
            if head.startswith(b"$"):  # interleaved data from an earlier session: not ours
                raise _Failed(ProbeError.BAD_REPLY, "unexpected interleaved data")
            text = head.decode("latin-1").split("\r\n")
            status_parts = text[0].split(" ", 2)
            if len(status_parts) < 2 or not status_parts[1].isdigit():
                raise _Failed(ProbeError.BAD_REPLY, f"not {self.protocol}")
            reply_headers: dict[str, str] = {}
            for line in text[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    reply_headers.setdefault(k.strip().lower(), v.strip())
            status = int(status_parts[1])
            payload = await self._body(reply_headers, max_body)
            if status == 100:
                continue
            if reply_headers.get("connection", "").lower() == "close":
                self.close()
            return _Reply(status, reply_headers, payload)

    async def _body(self, headers: dict[str, str], max_body: int) -> bytes:
        assert self.reader is not None
        if "chunked" in headers.get("transfer-encoding", "").lower():
            out = bytearray()
            while True:
                size_line = await self.reader.readuntil(b"\r\n")
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    return bytes(out)
                if len(out) + size > max_body:
                    raise _Failed(ProbeError.BAD_REPLY, "reply too large")
                out += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
        try:
            length = int(headers.get("content-length", "0") or 0)
        except ValueError as exc:
            raise _Failed(ProbeError.BAD_REPLY, "bad Content-Length") from exc
        if length < 0 or length > max_body:
            raise _Failed(ProbeError.BAD_REPLY, "reply too large")
        return await self.reader.readexactly(length) if length else b""


def parse_camera_clock(body: bytes) -> dt.datetime:
    """The UTC time out of a GetSystemDateAndTime reply (bounded, no XML parser)."""
    block = _UTC_BLOCK.search(body[:MAX_SOAP])
    if block is None:
        raise _Failed(ProbeError.BAD_REPLY, "no UTCDateTime in the clock reply")
    values = {}
    for name, rx in _FIELD.items():
        m = rx.search(block.group(1))
        if m is None:
            raise _Failed(ProbeError.BAD_REPLY, f"no {name} in the clock reply")
        values[name] = int(m.group(1))
    try:
        return dt.datetime(
            values["Year"], values["Month"], values["Day"],
            values["Hour"], values["Minute"], values["Second"],
        )  # fmt: skip
    except ValueError as exc:
        raise _Failed(ProbeError.BAD_REPLY, "impossible date in the clock reply") from exc


def _username_token(user: str, password: str, offset: dt.timedelta) -> str:
    nonce = os.urandom(16)
    created = (dt.datetime.now(dt.UTC).replace(tzinfo=None) + offset).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    digest = base64.b64encode(
        hashlib.sha1(nonce + created.encode() + password.encode(), usedforsecurity=False).digest()
    ).decode()
    return (
        '<s:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/'
        'oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/'
        '2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>'
        f"<wsse:Username>{_xml_escape(user)}</wsse:Username>"
        '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-'
        f'username-token-profile-1.0#PasswordDigest">{digest}</wsse:Password>'
        '<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-'
        f'soap-message-security-1.0#Base64Binary">{base64.b64encode(nonce).decode()}'
        f"</wsse:Nonce><wsu:Created>{created}</wsu:Created></wsse:UsernameToken>"
        "</wsse:Security></s:Header>"
    )


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_XADDR_MEDIA = re.compile(rb"<(?:\w+:)?Media>\s*<(?:\w+:)?XAddr>([^<]{1,500})</", re.S)
_PROFILE_TOKEN = re.compile(rb"<(?:\w+:)?Profiles[^>]{0,300}?token=\"([^\"]{1,100})\"")
_URI = re.compile(rb"<(?:\w+:)?Uri>([^<]{1,1000})</")


class HealthProber:
    """The real :class:`~station_console.health.model.Prober` (thread-safe, blocking API)."""

    def __init__(self, concurrency: int = 200) -> None:
        self.concurrency = concurrency
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="health-prober",
                                        daemon=True)  # fmt: skip
        self._thread.start()
        self._links: dict[tuple[str, str, int], _Link] = {}
        self._offsets: dict[str, dt.timedelta] = {}
        self._snapshot_tries: dict[str, float] = {}
        self._sem: asyncio.Semaphore | None = None
        self._closed = False

    # -- blocking API (any thread) ---------------------------------------------------------

    def check(self, targets: Sequence[ProbeTarget], timeout: float) -> list[ProbeResult]:
        if self._closed:
            raise RuntimeError("prober closed")
        fut = asyncio.run_coroutine_threadsafe(self._check_all(list(targets), timeout), self._loop)
        return fut.result(timeout * 4 + 10 + len(targets) * 0.01)

    def snapshot(self, target: ProbeTarget, timeout: float) -> bytes:
        fut = asyncio.run_coroutine_threadsafe(self._snapshot(target, timeout), self._loop)
        try:
            return fut.result(timeout + 5)
        except _Failed as exc:
            raise ConnectionError(f"snapshot of {target.camera_id}: {exc.detail}") from None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True

        async def shut() -> None:
            for link in self._links.values():
                link.close()
            self._links.clear()
            await asyncio.sleep(0)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    # -- on the loop -----------------------------------------------------------------------

    def _link(self, kind: str, host: str, port: int, protocol: str) -> _Link:
        key = (kind, host, port)
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = _Link(host, port, protocol)
        return link

    async def _check_all(self, targets: list[ProbeTarget], timeout: float) -> list[ProbeResult]:
        if self._sem is None:
            self._sem = asyncio.Semaphore(self.concurrency)
        return list(await asyncio.gather(*(self._check(t, timeout) for t in targets)))

    async def _check(self, t: ProbeTarget, timeout: float) -> ProbeResult:
        assert self._sem is not None
        async with self._sem:
            onvif_ok, onvif_err, offset, rtt = False, None, None, None
            details = []
            if t.onvif_url:
                try:
                    offset, rtt = await self._clock(t, timeout)
                    onvif_ok = True
                except _Failed as exc:
                    onvif_err = exc.kind
                    details.append(f"ONVIF: {exc.detail}")
            rtsp_ok, rtsp_err = False, None
            if t.rtsp_url:
                try:
                    await self._describe(t, timeout)
                    rtsp_ok = True
                except _Failed as exc:
                    rtsp_err = exc.kind
                    details.append(f"RTSP: {exc.detail}")
            snapshot_uri = ""
            if onvif_ok and not t.snapshot_uri and t.username:
                snapshot_uri = await self._learn_snapshot_uri(t, timeout)
            return ProbeResult(
                camera_id=t.camera_id,
                checked_at=time.time(),
                onvif_ok=onvif_ok,
                rtsp_ok=rtsp_ok,
                onvif_error=onvif_err,
                rtsp_error=rtsp_err,
                clock_offset_s=offset,
                rtt_ms=rtt,
                detail="; ".join(details),
                snapshot_uri=snapshot_uri,
            )

    async def _soap(self, url: str, body: bytes, timeout: float) -> tuple[_Reply, float]:
        host, port, path = _endpoint(url, 80)
        link = self._link("onvif", host, port, "HTTP")
        start = time.monotonic()
        reply = await link.request(
            "POST", path,
            {"Content-Type": "application/soap+xml; charset=utf-8", "Connection": "keep-alive"},
            body, timeout, MAX_SOAP,
        )  # fmt: skip
        return reply, (time.monotonic() - start) * 1000.0

    async def _clock(self, t: ProbeTarget, timeout: float) -> tuple[float, float]:
        reply, rtt = await self._soap(t.onvif_url, _CLOCK_BODY, timeout)
        if reply.status != 200:
            kind = ProbeError.AUTH if reply.status in (401, 403) else ProbeError.BAD_REPLY
            raise _Failed(kind, f"ONVIF answered HTTP {reply.status}")
        camera = parse_camera_clock(reply.body)
        local = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(milliseconds=rtt / 2)
        offset = camera - local
        self._offsets[t.camera_id] = offset
        return offset.total_seconds(), rtt

    async def _describe(self, t: ProbeTarget, timeout: float) -> None:
        host, port, _ = _endpoint(t.rtsp_url, 554)
        url = masked(t.rtsp_url)
        link = self._link("rtsp", host, port, "RTSP")
        headers = {"Accept": "application/sdp", "User-Agent": "StationConsole-health/1"}
        for _attempt in range(2):
            h = dict(headers)
            if link.challenge is not None and t.username:
                h["Authorization"] = link.challenge.answer("DESCRIBE", url, t.username, t.password)
            reply = await link.request("DESCRIBE", url, h, b"", timeout, MAX_SOAP)
            if reply.status == 401:
                # First 401: learn the challenge. Second: the password (or a stale nonce,
                # already retried with the new one) was refused.
                link.challenge = _Challenge.parse(reply.headers.get("www-authenticate", ""))
                if link.challenge is None or not t.username or _attempt:
                    raise _Failed(ProbeError.AUTH, "RTSP refused the password")
                continue
            if reply.status == 200:
                if b"m=video" not in reply.body:
                    raise _Failed(ProbeError.NO_VIDEO, "no video track in the SDP")
                return
            if reply.status == 404:
                raise _Failed(ProbeError.NOT_FOUND, "RTSP 404: stream path unknown")
            if 500 <= reply.status < 600:
                raise _Failed(ProbeError.NO_VIDEO, f"RTSP {reply.status}")
            raise _Failed(ProbeError.BAD_REPLY, f"RTSP {reply.status}")
        raise _Failed(ProbeError.AUTH, "RTSP refused the password")

    async def _learn_snapshot_uri(self, t: ProbeTarget, timeout: float) -> str:
        last = self._snapshot_tries.get(t.camera_id, 0.0)
        if time.monotonic() - last < SNAPSHOT_URI_RETRY_S and last:
            return ""
        self._snapshot_tries[t.camera_id] = time.monotonic()
        offset = self._offsets.get(t.camera_id, dt.timedelta(0))

        async def call(url: str, ns: str, op: str, inner: str = "") -> bytes:
            env = (
                '<?xml version="1.0" encoding="UTF-8"?><s:Envelope '
                'xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
                f"{_username_token(t.username, t.password, offset)}<s:Body>"
                f'<{op} xmlns="{ns}">{inner}</{op}></s:Body></s:Envelope>'
            ).encode()
            reply, _ = await self._soap(url, env, timeout)
            if reply.status != 200:
                raise _Failed(ProbeError.BAD_REPLY, f"{op}: HTTP {reply.status}")
            return reply.body

        try:
            caps = await call(
                t.onvif_url, "http://www.onvif.org/ver10/device/wsdl", "GetCapabilities",
                "<Category>Media</Category>",
            )  # fmt: skip
            m = _XADDR_MEDIA.search(caps)
            media = m.group(1).decode().strip() if m else t.onvif_url
            h, p, _ = _endpoint(t.onvif_url, 80)
            mp = urlsplit(media)
            if mp.hostname != h or (mp.port or 80) != p:  # cameras behind NAT: use our address
                media = mp._replace(netloc=f"{h}:{p}").geturl()
            media_ns = "http://www.onvif.org/ver10/media/wsdl"
            profiles = await call(media, media_ns, "GetProfiles")
            tokens = _PROFILE_TOKEN.findall(profiles)
            if not tokens:
                return ""
            reply = await call(
                media, media_ns, "GetSnapshotUri",
                f"<ProfileToken>{_xml_escape(tokens[0].decode())}</ProfileToken>",
            )  # fmt: skip
            u = _URI.search(reply)
            if u is None:
                return ""
            uri = u.group(1).decode().strip().replace("&amp;", "&")
            su = urlsplit(uri)
            if su.scheme not in ("http", "https"):
                return ""
            if su.hostname != h:
                uri = su._replace(netloc=f"{h}:{su.port or p}").geturl()
            return masked(uri)
        except (_Failed, UnicodeDecodeError, ValueError) as exc:
            log.debug("snapshot URI of %s not learnt: %s", t.camera_id, exc)
            return ""

    async def _snapshot(self, t: ProbeTarget, timeout: float) -> bytes:
        if not t.snapshot_uri:
            raise _Failed(ProbeError.NOT_FOUND, "no snapshot address")
        host, port, path = _endpoint(t.snapshot_uri, 80)
        link = self._link("snap", host, port, "HTTP")
        for attempt in range(2):
            h = {"Connection": "keep-alive"}
            if link.challenge is not None:
                h["Authorization"] = link.challenge.answer("GET", path, t.username, t.password)
            reply = await link.request("GET", path, h, b"", timeout, MAX_SNAPSHOT)
            if reply.status == 401:
                link.challenge = _Challenge.parse(reply.headers.get("www-authenticate", ""))
                if link.challenge is None or attempt:
                    raise _Failed(ProbeError.AUTH, "snapshot refused the password")
                continue
            if reply.status == 200 and reply.body.startswith(b"\xff\xd8"):
                return reply.body
            if 500 <= reply.status < 600:
                raise _Failed(ProbeError.NO_VIDEO, f"snapshot HTTP {reply.status}")
            raise _Failed(ProbeError.BAD_REPLY, f"snapshot HTTP {reply.status}")
        raise _Failed(ProbeError.AUTH, "snapshot refused the password")
