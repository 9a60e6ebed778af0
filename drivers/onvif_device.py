"""ONVIF device client on onvif-zeep's WSDLs and zeep: identity, profiles, stream URIs, PTZ.

Why it is built this way:

* Parsing the ONVIF WSDLs takes ~0.3 s per service. They are parsed once per process and
  every device gets a light zeep ``Client`` over the shared ``Document``, so a fleet of 200
  costs one parse, not 600.
* Cameras with wrong clocks reject WS-UsernameToken digests made with our time. We read the
  camera's clock first (``GetSystemDateAndTime`` needs no login) and sign every request with
  the camera's own time.
* A camera is untrusted input: DTDs, entities and external references are refused, replies
  are cut off at :data:`MAX_REPLY_BYTES`, every request has connect and read timeouts and an
  overall deadline, so one slow or hostile camera never delays the others.
* Every failure becomes a :class:`DeviceError` of one named kind.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep.transports import Transport
from zeep.wsdl import Document
from zeep.wsse.username import UsernameToken

from station_console.devices import (
    DeviceDetails,
    DeviceError,
    DeviceErrorKind,
    PtzPreset,
    StreamProfile,
)
from station_console.validation import strip_credentials

log = logging.getLogger(__name__)
for noisy in ("zeep", "zeep.transports", "zeep.wsdl", "zeep.xsd", "urllib3"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

MAX_REPLY_BYTES = 2 * 1024 * 1024
CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 5.0
CALL_DEADLINE_S = 8.0


def wsdl_dir() -> Path:
    """onvif-zeep installs its WSDLs in a top-level ``wsdl`` folder of site-packages."""
    import onvif

    candidates = [
        Path(onvif.__file__).resolve().parent.parent / "wsdl",
        Path(onvif.__file__).parent / "wsdl",
    ]
    for c in candidates:
        if (c / "devicemgmt.wsdl").exists():
            return c
    raise FileNotFoundError("ONVIF WSDL files not found next to onvif-zeep")


SERVICES = {
    "device": ("devicemgmt.wsdl", "{http://www.onvif.org/ver10/device/wsdl}DeviceBinding"),
    "media": ("media.wsdl", "{http://www.onvif.org/ver10/media/wsdl}MediaBinding"),
    "ptz": ("ptz.wsdl", "{http://www.onvif.org/ver20/ptz/wsdl}PTZBinding"),
}

SETTINGS = zeep.Settings(
    strict=False, xml_huge_tree=False, forbid_dtd=True, forbid_entities=True, forbid_external=True
)


class ReplyTooLarge(Exception):
    pass


class NotSoapReply(Exception):
    """An HTTP answer that is not XML at all: a web page, a router, another service."""


class BoundedTransport(Transport):
    """zeep transport with connect/read timeouts, an overall deadline and a size cap."""

    def __init__(
        self, *, read_timeout: float = READ_TIMEOUT_S, deadline: float = CALL_DEADLINE_S
    ) -> None:
        session = requests.Session()
        # Cameras are on the station's own network: no proxies, no .netrc. (Looking those up
        # costs more per request than the SOAP call itself.)
        session.trust_env = False
        super().__init__(session=session, timeout=10, operation_timeout=read_timeout)
        self.read_timeout = read_timeout
        self.deadline = deadline

    def post(self, address: str, message: Any, headers: dict[str, str]) -> requests.Response:
        start = time.monotonic()
        response = self.session.post(
            address,
            data=message,
            headers=headers,
            timeout=(CONNECT_TIMEOUT_S, self.read_timeout),
            stream=True,
        )
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(65536):
                size += len(chunk)
                if size > MAX_REPLY_BYTES:
                    raise ReplyTooLarge(f"reply larger than {MAX_REPLY_BYTES // 1024} KiB")
                if time.monotonic() - start > self.deadline:
                    raise requests.exceptions.ReadTimeout("overall deadline passed")
                chunks.append(chunk)
        finally:
            response.close()
        response._content = b"".join(chunks)
        ctype = response.headers.get("Content-Type", "").lower()
        if "xml" not in ctype and not response.content.lstrip().startswith(b"<?xml"):
            raise NotSoapReply(f"HTTP {response.status_code} {ctype or 'no content type'}")
        return response

    def close(self) -> None:
        self.session.close()


class _Documents:
    """Parsed WSDLs, shared by every device client in the process."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}
        self._lock = threading.Lock()

    def get(self, service: str) -> Document:
        with self._lock:
            doc = self._docs.get(service)
            if doc is None:
                path = wsdl_dir() / SERVICES[service][0]
                doc = Document(str(path), Transport(), settings=SETTINGS)
                self._docs[service] = doc
            return doc


DOCUMENTS = _Documents()


def parse_wsdls() -> None:
    """Parse the device, media and PTZ WSDLs now (blocks: a worker thread).

    They are parsed once per process and kept (16 MB, 35,000 objects; 0.2 s on an idle PC).
    Not done when the console starts: measured there it made the window usable 0.2 s later
    (bench/gui_start.py) to save the same 0.2 s on the first PTZ command.
    """
    for service in SERVICES:
        DOCUMENTS.get(service)


class CameraTimeToken(UsernameToken):
    """WS-UsernameToken (digest) stamped with the camera's clock, not ours."""

    def __init__(self, username: str, password: str, offset: dt.timedelta) -> None:
        super().__init__(username, password, use_digest=True)
        self.offset = offset

    def apply(self, envelope: Any, headers: Any) -> Any:
        self.created = dt.datetime.now(dt.UTC).replace(tzinfo=None) + self.offset
        try:
            return super().apply(envelope, headers)
        finally:
            self.created = None


def _same_host(xaddr: str, address: str) -> str:
    """Point a service address at the host we reached the device on (cameras behind NAT
    often advertise their internal address)."""
    if not xaddr:
        return xaddr
    a, x = urlsplit(address), urlsplit(xaddr)
    if x.hostname == a.hostname and x.port == a.port:
        return xaddr
    return urlunsplit((x.scheme or a.scheme, a.netloc, x.path, x.query, x.fragment))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass
class OnvifSession:
    """One device's zeep services, signed with the camera's time."""

    address: str
    username: str
    password: str
    read_timeout: float = READ_TIMEOUT_S

    def __post_init__(self) -> None:
        self.transport = BoundedTransport(read_timeout=self.read_timeout)
        self.offset = dt.timedelta(0)
        self.offset_known = False
        self._services: dict[str, Any] = {}
        self.xaddrs: dict[str, str] = {"device": self.address}

    def _client(self, service: str, signed: bool) -> Any:
        key = f"{service}:{signed}"
        if key not in self._services:
            wsse = CameraTimeToken(self.username, self.password, self.offset) if signed else None
            client = zeep.Client(
                wsdl=DOCUMENTS.get(service), wsse=wsse, transport=self.transport, settings=SETTINGS
            )
            self._services[key] = client.create_service(SERVICES[service][1], self.xaddrs[service])
        return self._services[key]

    def call(
        self, service: str, operation: str, *args: Any, signed: bool = True, **kwargs: Any
    ) -> Any:
        try:
            return getattr(self._client(service, signed), operation)(*args, **kwargs)
        except Exception as exc:
            raise self.classify(exc) from exc

    def read_clock(self) -> float:
        """Read the camera's UTC clock (no login needed); returns camera − local seconds."""
        reply = self.call("device", "GetSystemDateAndTime", signed=False)
        utc = getattr(reply, "UTCDateTime", None)
        if utc is None:
            raise DeviceError(DeviceErrorKind.MALFORMED, self.address, detail="no UTCDateTime")
        d, t = utc.Date, utc.Time
        camera = dt.datetime(
            int(d.Year), int(d.Month), int(d.Day), int(t.Hour), int(t.Minute), int(t.Second)
        )
        local = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.offset = camera - local
        self.offset_known = True
        return self.offset.total_seconds()

    def classify(self, exc: BaseException) -> DeviceError:
        """Name a failure in one of the kinds an officer can act on."""
        if isinstance(exc, DeviceError):
            return exc
        addr = self.address
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return DeviceError(DeviceErrorKind.UNREACHABLE, addr)
        if isinstance(exc, requests.exceptions.ReadTimeout | requests.exceptions.Timeout):
            return DeviceError(DeviceErrorKind.TIMEOUT, addr, seconds=round(self.read_timeout))
        if isinstance(
            exc, requests.exceptions.ConnectionError | requests.exceptions.InvalidURL | OSError
        ):
            return DeviceError(DeviceErrorKind.UNREACHABLE, addr)
        if isinstance(exc, NotSoapReply):
            return DeviceError(DeviceErrorKind.NOT_ONVIF, addr)
        if isinstance(exc, ReplyTooLarge):
            return DeviceError(DeviceErrorKind.MALFORMED, addr, detail=str(exc))
        if isinstance(
            exc,
            zeep.exceptions.DTDForbidden
            | zeep.exceptions.EntitiesForbidden
            | zeep.exceptions.ExternalReferenceForbidden,
        ):
            return DeviceError(
                DeviceErrorKind.MALFORMED, addr, detail="forbidden XML (DTD/entities)"
            )
        if isinstance(exc, zeep.exceptions.Fault):
            text = " ".join(
                _text(x)
                for x in (exc.message, exc.code, getattr(exc, "subcodes", None), exc.detail)
            )
            if (
                "NotAuthorized" in text
                or "Sender not Authorized" in text
                or "authoriz" in text.lower()
            ):
                if not self.offset_known:
                    return DeviceError(DeviceErrorKind.CLOCK_SKEW, addr)
                return DeviceError(DeviceErrorKind.AUTH_FAILED, addr)
            return DeviceError(DeviceErrorKind.MALFORMED, addr, detail=_text(exc.message)[:120])
        if isinstance(exc, zeep.exceptions.TransportError):
            if exc.status_code in (401, 403):
                return DeviceError(DeviceErrorKind.AUTH_FAILED, addr)
            return DeviceError(DeviceErrorKind.NOT_ONVIF, addr)
        if isinstance(exc, zeep.exceptions.XMLSyntaxError | etree.XMLSyntaxError):
            return DeviceError(
                DeviceErrorKind.NOT_ONVIF if b"<html" in _body(exc) else DeviceErrorKind.MALFORMED,
                addr,
                detail="not XML",
            )
        if isinstance(
            exc, zeep.exceptions.Error | etree.LxmlError | ValueError | AttributeError | TypeError
        ):
            return DeviceError(DeviceErrorKind.MALFORMED, addr, detail=type(exc).__name__)
        return DeviceError(DeviceErrorKind.MALFORMED, addr, detail=type(exc).__name__)

    def close(self) -> None:
        self.transport.close()


def _body(exc: BaseException) -> bytes:
    content = getattr(exc, "content", b"") or b""
    return content if isinstance(content, bytes) else str(content).encode()


class OnvifDeviceClient:
    """Probes cameras: identity, clock offset, profiles with stream URIs, snapshot, PTZ."""

    def __init__(self, read_timeout: float = READ_TIMEOUT_S) -> None:
        self.read_timeout = read_timeout

    def session(self, address: str, username: str, password: str) -> OnvifSession:
        return OnvifSession(normalise_address(address), username, password, self.read_timeout)

    def probe(
        self, address: str, username: str, password: str, *, hostname: bool = False
    ) -> DeviceDetails:
        """Everything provisioning needs; ``hostname`` adds one more request per camera."""
        s = self.session(address, username, password)
        try:
            return self._probe(s, with_hostname=hostname)
        finally:
            s.close()

    def _probe(self, s: OnvifSession, with_hostname: bool) -> DeviceDetails:
        try:
            offset = s.read_clock()
        except DeviceError as err:
            if err.kind in (
                DeviceErrorKind.UNREACHABLE,
                DeviceErrorKind.TIMEOUT,
                DeviceErrorKind.NOT_ONVIF,
                DeviceErrorKind.MALFORMED,
            ):
                raise
            offset = 0.0  # some cameras want a login even for the clock: sign with ours
        info = s.call("device", "GetDeviceInformation")
        caps = s.call("device", "GetCapabilities", Category="All")
        media_x = _same_host(_text(getattr(getattr(caps, "Media", None), "XAddr", None)), s.address)
        ptz_x = _same_host(_text(getattr(getattr(caps, "PTZ", None), "XAddr", None)), s.address)
        if not media_x:
            raise DeviceError(DeviceErrorKind.NOT_ONVIF, s.address)
        s.xaddrs["media"] = media_x
        profiles_raw = s.call("media", "GetProfiles") or []
        profiles: list[StreamProfile] = []
        for p in profiles_raw:
            vec = getattr(p, "VideoEncoderConfiguration", None)
            res = getattr(vec, "Resolution", None)
            rate = getattr(vec, "RateControl", None)
            uri = s.call(
                "media",
                "GetStreamUri",
                StreamSetup={"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                ProfileToken=p.token,
            )
            profiles.append(
                StreamProfile(
                    token=_text(p.token),
                    name=_text(getattr(p, "Name", "")),
                    encoding=_text(getattr(vec, "Encoding", "")),
                    width=int(getattr(res, "Width", 0) or 0),
                    height=int(getattr(res, "Height", 0) or 0),
                    fps=float(getattr(rate, "FrameRateLimit", 0) or 0),
                    bitrate_kbps=int(getattr(rate, "BitrateLimit", 0) or 0),
                    uri=strip_credentials(_text(getattr(uri, "Uri", ""))),
                )
            )
        main = max(profiles, key=lambda p: p.width * p.height, default=None)
        snapshot = ""
        if main is not None:
            try:
                snap = s.call("media", "GetSnapshotUri", ProfileToken=main.token)
                snapshot = strip_credentials(_text(getattr(snap, "Uri", "")))
            except DeviceError as err:
                if err.kind in (DeviceErrorKind.UNREACHABLE, DeviceErrorKind.TIMEOUT):
                    raise
        presets: list[PtzPreset] = []
        has_ptz = bool(ptz_x) and any(
            getattr(p, "PTZConfiguration", None) is not None for p in profiles_raw
        )
        if has_ptz and main is not None:
            s.xaddrs["ptz"] = ptz_x
            for pr in s.call("ptz", "GetPresets", ProfileToken=main.token) or []:
                presets.append(PtzPreset(_text(pr.token), _text(getattr(pr, "Name", ""))))
        hostname = ""
        if with_hostname:
            try:
                hostname = _text(getattr(s.call("device", "GetHostname"), "Name", ""))
            except DeviceError as err:
                if err.kind in (DeviceErrorKind.UNREACHABLE, DeviceErrorKind.TIMEOUT):
                    raise
        return DeviceDetails(
            address=s.address,
            manufacturer=_text(info.Manufacturer),
            model=_text(info.Model),
            firmware=_text(info.FirmwareVersion),
            serial=_text(info.SerialNumber),
            hardware_id=_text(info.HardwareId),
            clock_offset_s=offset,
            profiles=profiles,
            snapshot_uri=snapshot,
            has_ptz=has_ptz,
            presets=presets,
            hostname=hostname,
        )

    def probe_many(
        self, targets: Iterable[tuple[str, str, str]], workers: int = 32
    ) -> list[DeviceDetails | DeviceError]:
        """Probe many cameras at once; each result is details or the named failure."""
        parse_wsdls()  # once, up front, not in 32 threads at once

        def one(t: tuple[str, str, str]) -> DeviceDetails | DeviceError:
            try:
                return self.probe(*t)
            except DeviceError as err:
                return err

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="onvif-probe") as pool:
            return list(pool.map(one, targets))


def normalise_address(address: str) -> str:
    """``host``, ``host:port`` or a full URL → the device service URL."""
    a = address.strip()
    if "://" not in a:
        a = f"http://{a}/onvif/device_service"
    parts = urlsplit(a)
    if not parts.path or parts.path == "/":
        a = urlunsplit((parts.scheme, parts.netloc, "/onvif/device_service", "", ""))
    return strip_credentials(a)


def set_camera_clock(
    address: str, username: str, password: str, when: dt.datetime | None = None
) -> float:
    """Set the camera's UTC clock (default: now); returns the offset it had before, in s."""
    s = OnvifSession(normalise_address(address), username, password)
    try:
        before = s.read_clock()
        now = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        s.call(
            "device",
            "SetSystemDateAndTime",
            DateTimeType="Manual",
            DaylightSavings=False,
            TimeZone={"TZ": "CST-8"},
            UTCDateTime={
                "Date": {"Year": now.year, "Month": now.month, "Day": now.day},
                "Time": {"Hour": now.hour, "Minute": now.minute, "Second": now.second},
            },
        )
        return before
    finally:
        s.close()


def set_camera_hostname(address: str, username: str, password: str, hostname: str) -> None:
    s = OnvifSession(normalise_address(address), username, password)
    try:
        s.read_clock()
        s.call("device", "SetHostname", Name=hostname)
    finally:
        s.close()


def fetch_snapshot(uri: str, username: str, password: str, timeout: float = 5.0) -> bytes:
    """The camera's snapshot JPEG (HTTP digest auth), capped in size and time."""
    start = time.monotonic()
    try:
        with requests.Session() as http:
            http.trust_env = False
            with http.get(
                uri,
                auth=requests.auth.HTTPDigestAuth(username, password),
                timeout=(CONNECT_TIMEOUT_S, timeout),
                stream=True,
            ) as r:
                if r.status_code in (401, 403):
                    raise DeviceError(DeviceErrorKind.AUTH_FAILED, uri)
                if r.status_code != 200:
                    raise DeviceError(
                        DeviceErrorKind.MALFORMED, uri, detail=f"HTTP {r.status_code}"
                    )
                data = bytearray()
                for chunk in r.iter_content(65536):
                    data += chunk
                    if len(data) > 8 * MAX_REPLY_BYTES or time.monotonic() - start > timeout:
                        raise DeviceError(
                            DeviceErrorKind.MALFORMED, uri, detail="snapshot too large or slow"
                        )
    except requests.exceptions.Timeout as exc:
        raise DeviceError(DeviceErrorKind.TIMEOUT, uri, seconds=round(timeout)) from exc
    except requests.exceptions.RequestException as exc:
        raise DeviceError(DeviceErrorKind.UNREACHABLE, uri) from exc
    if not data.startswith(b"\xff\xd8"):
        raise DeviceError(DeviceErrorKind.MALFORMED, uri, detail="not a JPEG")
    return bytes(data)
