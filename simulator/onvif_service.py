"""ONVIF Device, Media and PTZ services of a virtual camera, as SOAP 1.2 over HTTP.

Requests are parsed with lxml with entity resolution, DTD loading and network access off, and
a request carrying a DTD is refused: a camera must not be the thing that falls over. Replies
are hand-written templates (what real firmware does too); the tests check that onvif-zeep parses
every one. Authentication is WS-UsernameToken (PasswordDigest or PasswordText) checked against
the camera's own clock, so clock skew breaks auth exactly as it does on site. Only
GetSystemDateAndTime is answered whatever the credentials, because clients need it to measure
that skew; the other pre-auth operations of the ONVIF Core spec (GetCapabilities, GetServices,
GetHostname...) are answered without a token but refused with a wrong one.

Faults handled here: slow SOAP (reply delayed) and malformed SOAP (garbage, a billion-laughs
DTD, an oversized body). Offline and reboot are the HTTP server's business.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from lxml import etree

from simulator.faults import Fault

if TYPE_CHECKING:
    from simulator.camera import VirtualCamera

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "ter": "http://www.onvif.org/ver10/error",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
}
SOAP_CONTENT_TYPE = "application/soap+xml; charset=utf-8"
#: How far a UsernameToken's Created may be from the camera clock (seconds).
AUTH_CLOCK_TOLERANCE_S = 10.0
#: Operations answered without a UsernameToken (ONVIF Core PRE_AUTH access class).
PRE_AUTH = {
    "GetSystemDateAndTime",
    "GetCapabilities",
    "GetServices",
    "GetServiceCapabilities",
    "GetHostname",
    "GetWsdlUrl",
    "GetEndpointReference",
}
OVERSIZED_BYTES = 16 * 1024 * 1024
PTZ_SPACE = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
ZOOM_SPACE = "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


class SoapFault(Exception):
    """An ONVIF fault: ``code`` is env:Sender/env:Receiver, ``subcode`` a ter: name."""

    def __init__(self, code: str, subcode: str, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.code, self.subcode, self.reason, self.status = code, subcode, reason, status


def not_authorized() -> SoapFault:
    return SoapFault("env:Sender", "ter:NotAuthorized", "Sender not Authorized")


def envelope(body: str) -> bytes:
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items() if k not in ("wsse", "wsu"))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope {ns}><env:Body>{body}'
        "</env:Body></env:Envelope>"
    ).encode()


def fault_body(fault: SoapFault) -> bytes:
    return envelope(
        f"<env:Fault><env:Code><env:Value>{fault.code}</env:Value><env:Subcode>"
        f"<env:Value>{fault.subcode}</env:Value></env:Subcode></env:Code><env:Reason>"
        f'<env:Text xml:lang="en">{escape(fault.reason)}</env:Text></env:Reason></env:Fault>'
    )


def _local(el: etree._Element) -> str:
    return str(etree.QName(el).localname)


def _child(el: etree._Element | None, *names: str) -> etree._Element | None:
    """Follow a path of child local names, ignoring namespaces."""
    for name in names:
        if el is None:
            return None
        el = next((c for c in el if isinstance(c.tag, str) and _local(c) == name), None)
    return el


def _text(el: etree._Element | None, *names: str) -> str | None:
    found = _child(el, *names)
    return None if found is None or found.text is None else str(found.text).strip()


def _float_attr(el: etree._Element | None, name: str) -> float | None:
    if el is None or el.get(name) is None:
        return None
    try:
        return float(el.get(name, ""))
    except ValueError as err:
        raise SoapFault("env:Sender", "ter:InvalidArgVal", f"bad number {name}") from err


def _b(value: bool) -> str:
    return "true" if value else "false"


def _datetime_xml(tag: str, when: dt.datetime) -> str:
    return (
        f"<tt:{tag}><tt:Time><tt:Hour>{when.hour}</tt:Hour><tt:Minute>{when.minute}</tt:Minute>"
        f"<tt:Second>{when.second}</tt:Second></tt:Time><tt:Date><tt:Year>{when.year}</tt:Year>"
        f"<tt:Month>{when.month}</tt:Month><tt:Day>{when.day}</tt:Day></tt:Date></tt:{tag}>"
    )


def _parse_duration(text: str | None) -> float | None:
    """Parse the xs:duration forms PTZ clients send (PT5S, PT1.5S, PT1M)."""
    if not text:
        return None
    text = text.strip().upper()
    if not text.startswith("PT"):
        return None
    seconds, number = 0.0, ""
    for ch in text[2:]:
        if ch.isdigit() or ch == ".":
            number += ch
            continue
        unit = {"H": 3600, "M": 60, "S": 1}.get(ch)
        if unit is None or not number:
            return None
        seconds += float(number) * unit
        number = ""
    return seconds


def check_username_token(header: etree._Element | None, camera: VirtualCamera) -> bool | None:
    """None when there is no token; True/False for a valid/invalid one."""
    token = None
    if header is not None:
        token = header.find(f".//{{{NS['wsse']}}}UsernameToken")
    if token is None:
        return None
    username = _text(token, "Username")
    password_el = _child(token, "Password")
    nonce_text = _text(token, "Nonce") or ""
    created_text = _text(token, "Created") or ""
    user, password = camera.credentials()
    if username != user or password_el is None:
        return False
    supplied = (password_el.text or "").strip()
    if password_el.get("Type", "").endswith("#PasswordText"):
        ok = secrets.compare_digest(supplied, password)
    else:
        try:
            nonce = base64.b64decode(nonce_text, validate=True)
        except ValueError:
            return False
        expected = base64.b64encode(
            # SHA-1 is what WS-Security UsernameToken Profile 1.0 specifies.
            hashlib.sha1(
                nonce + created_text.encode() + password.encode(), usedforsecurity=False
            ).digest()
        ).decode()
        ok = secrets.compare_digest(supplied, expected)
    if not ok:
        return False
    try:
        created = dt.datetime.fromisoformat(created_text.replace("Z", "+00:00"))
    except ValueError:
        return False
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    return abs(created.timestamp() - camera.clock()) <= AUTH_CLOCK_TOLERANCE_S


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE env:Envelope ['
        + "".join(entities)
        + "]>"
    ).encode() + envelope(
        "<tds:GetDeviceInformationResponse><tds:Manufacturer>&lol9;</tds:Manufacturer>"
        "<tds:Model>x</tds:Model><tds:FirmwareVersion>x</tds:FirmwareVersion>"
        "<tds:SerialNumber>x</tds:SerialNumber><tds:HardwareId>x</tds:HardwareId>"
        "</tds:GetDeviceInformationResponse>"
    ).split(b"\n", 1)[1]


def malformed_reply(mode: str) -> bytes:
    """The broken bodies of the malformed-soap fault."""
    if mode == "dtd":
        return _billion_laughs()
    if mode == "oversized":
        pad = b"<!--" + b"x" * OVERSIZED_BYTES + b"-->"
        return envelope("<tds:GetDeviceInformationResponse>").replace(
            b"<env:Body>", b"<env:Body>" + pad
        )
    return b"<env:Envelope><<<\x00\xff garbage \xfe" + secrets.token_bytes(512)


class OnvifService:
    """Answers SOAP requests for one camera."""

    def __init__(self, camera: VirtualCamera) -> None:
        self.camera = camera
        self._ops: dict[str, Callable[[etree._Element], str]] = {
            "GetSystemDateAndTime": self.get_system_date_and_time,
            "SetSystemDateAndTime": self.set_system_date_and_time,
            "GetDeviceInformation": self.get_device_information,
            "GetCapabilities": self.get_capabilities,
            "GetServices": self.get_services,
            "GetScopes": self.get_scopes,
            "GetNetworkInterfaces": self.get_network_interfaces,
            "GetHostname": self.get_hostname,
            "SetHostname": self.set_hostname,
            "GetNTP": self.get_ntp,
            "SetNTP": self.set_ntp,
            "GetProfiles": self.get_profiles,
            "GetStreamUri": self.get_stream_uri,
            "GetSnapshotUri": self.get_snapshot_uri,
            "GetVideoEncoderConfigurations": self.get_video_encoder_configurations,
        }
        if camera.ptz is not None:
            self._ops.update(
                {
                    "ContinuousMove": self.continuous_move,
                    "Stop": self.stop,
                    "AbsoluteMove": self.absolute_move,
                    "GetStatus": self.get_status,
                    "GetPresets": self.get_presets,
                    "SetPreset": self.set_preset,
                    "GotoPreset": self.goto_preset,
                }
            )

    async def handle(self, body: bytes) -> tuple[int, bytes]:
        """Return (HTTP status, SOAP envelope) for a request body."""
        faults = self.camera.faults
        slow = faults.get(Fault.SLOW_SOAP)
        if slow is not None:
            await asyncio.sleep(float(slow["seconds"]))
        malformed = faults.get(Fault.MALFORMED_SOAP)
        if malformed is not None:
            return 200, malformed_reply(str(malformed["mode"]))
        try:
            return 200, envelope(self._dispatch(body))
        except SoapFault as fault:
            return fault.status, fault_body(fault)

    def _dispatch(self, body: bytes) -> str:
        try:
            root = etree.fromstring(body, _PARSER)
        except etree.XMLSyntaxError as err:
            raise SoapFault("env:Sender", "ter:WellFormed", "XML not well-formed") from err
        if root.getroottree().docinfo.internalDTD is not None:
            raise SoapFault("env:Sender", "ter:WellFormed", "DTD not allowed")
        if root.tag != f"{{{NS['env']}}}Envelope":
            raise SoapFault("env:Sender", "ter:WellFormed", "not a SOAP 1.2 envelope")
        body_el = _child(root, "Body")
        children = [] if body_el is None else [c for c in body_el if isinstance(c.tag, str)]
        request = children[0] if children else None
        if request is None:
            raise SoapFault("env:Sender", "ter:WellFormed", "empty SOAP body")
        op = _local(request)
        auth = check_username_token(_child(root, "Header"), self.camera)
        if op != "GetSystemDateAndTime" and (
            auth is False or (auth is None and op not in PRE_AUTH)
        ):
            raise not_authorized()
        handler = self._ops.get(op)
        if handler is None:
            raise SoapFault(
                "env:Receiver", "ter:ActionNotSupported", f"{op} is not supported", status=500
            )
        return handler(request)

    # -- Device ------------------------------------------------------------------------------

    def get_system_date_and_time(self, req: etree._Element) -> str:
        cam = self.camera
        utc = dt.datetime.fromtimestamp(cam.clock(), dt.UTC)
        local = utc + dt.timedelta(hours=8)
        return (
            "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            f"<tt:DateTimeType>{cam.settings.datetime_type}</tt:DateTimeType>"
            "<tt:DaylightSavings>false</tt:DaylightSavings>"
            "<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>"
            f"{_datetime_xml('UTCDateTime', utc)}{_datetime_xml('LocalDateTime', local)}"
            "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
        )

    def set_system_date_and_time(self, req: etree._Element) -> str:
        kind = _text(req, "DateTimeType") or "Manual"
        if kind not in ("Manual", "NTP"):
            raise SoapFault("env:Sender", "ter:InvalidArgVal", "bad DateTimeType")
        when = None
        utc = _child(req, "UTCDateTime")
        if kind == "Manual":
            if utc is None:
                raise SoapFault("env:Sender", "ter:InvalidArgVal", "UTCDateTime missing")
            try:
                when = dt.datetime(
                    int(_text(utc, "Date", "Year") or ""),
                    int(_text(utc, "Date", "Month") or ""),
                    int(_text(utc, "Date", "Day") or ""),
                    int(_text(utc, "Time", "Hour") or ""),
                    int(_text(utc, "Time", "Minute") or ""),
                    int(_text(utc, "Time", "Second") or ""),
                    tzinfo=dt.UTC,
                )
            except ValueError as err:
                raise SoapFault("env:Sender", "ter:InvalidDateTime", "bad date/time") from err
        self.camera.set_clock(kind, None if when is None else when.timestamp())
        return "<tds:SetSystemDateAndTimeResponse/>"

    def get_device_information(self, req: etree._Element) -> str:
        ident = self.camera.identity
        return (
            "<tds:GetDeviceInformationResponse>"
            f"<tds:Manufacturer>{escape(ident.vendor)}</tds:Manufacturer>"
            f"<tds:Model>{escape(ident.model)}</tds:Model>"
            f"<tds:FirmwareVersion>{escape(ident.firmware)}</tds:FirmwareVersion>"
            f"<tds:SerialNumber>{escape(ident.serial)}</tds:SerialNumber>"
            f"<tds:HardwareId>{escape(ident.hardware_id)}</tds:HardwareId>"
            "</tds:GetDeviceInformationResponse>"
        )

    def get_capabilities(self, req: etree._Element) -> str:
        categories = {(c.text or "").strip() for c in req if _local(c) == "Category"} or {"All"}
        want = (lambda name: True) if "All" in categories else categories.__contains__
        cam = self.camera
        parts = []
        if want("Device"):
            parts.append(
                f"<tt:Device><tt:XAddr>{cam.urls.device}</tt:XAddr><tt:System>"
                "<tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>true"
                "</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery>"
                "<tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false"
                "</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>"
                "<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor>"
                "</tt:SupportedVersions></tt:System></tt:Device>"
            )
        if want("Media"):
            parts.append(
                f"<tt:Media><tt:XAddr>{cam.urls.media}</tt:XAddr><tt:StreamingCapabilities>"
                "<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>"
                "<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>"
            )
        if want("PTZ") and cam.ptz is not None:
            parts.append(f"<tt:PTZ><tt:XAddr>{cam.urls.ptz}</tt:XAddr></tt:PTZ>")
        if not parts:
            raise SoapFault("env:Receiver", "ter:ActionNotSupported", "no such capability", 500)
        return (
            "<tds:GetCapabilitiesResponse><tds:Capabilities>"
            + "".join(parts)
            + "</tds:Capabilities></tds:GetCapabilitiesResponse>"
        )

    def get_services(self, req: etree._Element) -> str:
        cam = self.camera
        services = [(NS["tds"], cam.urls.device, 2, 60), (NS["trt"], cam.urls.media, 2, 60)]
        if cam.ptz is not None:
            services.append((NS["tptz"], cam.urls.ptz, 2, 60))
        return (
            "<tds:GetServicesResponse>"
            + "".join(
                f"<tds:Service><tds:Namespace>{ns}</tds:Namespace><tds:XAddr>{xaddr}</tds:XAddr>"
                f"<tds:Version><tt:Major>{major}</tt:Major><tt:Minor>{minor}</tt:Minor>"
                "</tds:Version></tds:Service>"
                for ns, xaddr, major, minor in services
            )
            + "</tds:GetServicesResponse>"
        )

    def get_scopes(self, req: etree._Element) -> str:
        return (
            "<tds:GetScopesResponse>"
            + "".join(
                f"<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>{escape(s)}"
                "</tt:ScopeItem></tds:Scopes>"
                for s in self.camera.scopes()
            )
            + "</tds:GetScopesResponse>"
        )

    def get_network_interfaces(self, req: etree._Element) -> str:
        cam = self.camera
        return (
            '<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0">'
            "<tt:Enabled>true</tt:Enabled><tt:Info><tt:Name>eth0</tt:Name>"
            f"<tt:HwAddress>{cam.identity.mac}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>"
            "<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual>"
            f"<tt:Address>{cam.host}</tt:Address><tt:PrefixLength>8</tt:PrefixLength>"
            "</tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4>"
            "</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>"
        )

    def get_hostname(self, req: etree._Element) -> str:
        return (
            "<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP>"
            f"<tt:Name>{escape(self.camera.settings.hostname)}</tt:Name>"
            "</tds:HostnameInformation></tds:GetHostnameResponse>"
        )

    def set_hostname(self, req: etree._Element) -> str:
        name = _text(req, "Name") or ""
        if not name or len(name) > 63 or not all(c.isalnum() or c in "-." for c in name):
            raise SoapFault("env:Sender", "ter:InvalidHostname", "invalid hostname")
        self.camera.settings.hostname = name
        return "<tds:SetHostnameResponse/>"

    def get_ntp(self, req: etree._Element) -> str:
        settings = self.camera.settings
        servers = "".join(
            "<tt:NTPManual><tt:Type>DNS</tt:Type>"
            f"<tt:DNSname>{escape(s)}</tt:DNSname></tt:NTPManual>"
            for s in settings.ntp_servers
        )
        return (
            "<tds:GetNTPResponse><tds:NTPInformation>"
            f"<tt:FromDHCP>{_b(settings.ntp_from_dhcp)}</tt:FromDHCP>{servers}"
            "</tds:NTPInformation></tds:GetNTPResponse>"
        )

    def set_ntp(self, req: etree._Element) -> str:
        from_dhcp = (_text(req, "FromDHCP") or "false").lower() in ("true", "1")
        servers = []
        for host in req:
            if not isinstance(host.tag, str) or _local(host) != "NTPManual":
                continue
            value = _text(host, "DNSname") or _text(host, "IPv4Address") or ""
            if value:
                servers.append(value)
        self.camera.settings.ntp_from_dhcp = from_dhcp
        self.camera.settings.ntp_servers = servers
        return "<tds:SetNTPResponse/>"

    # -- Media -------------------------------------------------------------------------------

    def _encoder_xml(self, tag: str, token: str) -> str:
        profile = self.camera.profile(token)
        return (
            f'<{tag} token="VideoEncoder_{profile.name}"><tt:Name>{profile.name}</tt:Name>'
            "<tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>"
            f"<tt:Resolution><tt:Width>{profile.width}</tt:Width>"
            f"<tt:Height>{profile.height}</tt:Height></tt:Resolution>"
            "<tt:Quality>4</tt:Quality><tt:RateControl>"
            f"<tt:FrameRateLimit>{profile.fps}</tt:FrameRateLimit>"
            "<tt:EncodingInterval>1</tt:EncodingInterval>"
            f"<tt:BitrateLimit>{profile.bitrate_kbps}</tt:BitrateLimit></tt:RateControl>"
            f"<tt:H264><tt:GovLength>{profile.fps}</tt:GovLength>"
            "<tt:H264Profile>Baseline</tt:H264Profile></tt:H264>"
            "<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type>"
            "<tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>"
            "<tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
            f"<tt:SessionTimeout>PT60S</tt:SessionTimeout></{tag}>"
        )

    def get_profiles(self, req: etree._Element) -> str:
        cam = self.camera
        out = []
        for token in cam.profile_tokens():
            profile = cam.profile(token)
            ptz = ""
            if cam.ptz is not None:
                ptz = (
                    '<tt:PTZConfiguration token="PTZConfig_1"><tt:Name>PTZ</tt:Name>'
                    "<tt:UseCount>2</tt:UseCount><tt:NodeToken>PTZNode_1</tt:NodeToken>"
                    f"<tt:DefaultAbsolutePantTiltPositionSpace>{PTZ_SPACE}"
                    "</tt:DefaultAbsolutePantTiltPositionSpace>"
                    f"<tt:DefaultAbsoluteZoomPositionSpace>{ZOOM_SPACE}"
                    "</tt:DefaultAbsoluteZoomPositionSpace>"
                    "<tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout></tt:PTZConfiguration>"
                )
            out.append(
                f'<trt:Profiles token="{token}" fixed="true"><tt:Name>{profile.name}</tt:Name>'
                '<tt:VideoSourceConfiguration token="VideoSourceConfig_1">'
                "<tt:Name>VideoSource</tt:Name><tt:UseCount>2</tt:UseCount>"
                "<tt:SourceToken>VideoSource_1</tt:SourceToken>"
                '<tt:Bounds x="0" y="0" width="1280" height="720"/>'
                "</tt:VideoSourceConfiguration>"
                f"{self._encoder_xml('tt:VideoEncoderConfiguration', token)}{ptz}</trt:Profiles>"
            )
        return "<trt:GetProfilesResponse>" + "".join(out) + "</trt:GetProfilesResponse>"

    def _profile_token(self, req: etree._Element) -> str:
        token = _text(req, "ProfileToken") or ""
        if token not in self.camera.profile_tokens():
            raise SoapFault("env:Sender", "ter:NoProfile", f"no profile {token!r}")
        return token

    @staticmethod
    def _media_uri(tag: str, uri: str) -> str:
        return (
            f"<{tag}><trt:MediaUri><tt:Uri>{escape(uri)}</tt:Uri>"
            "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
            "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>"
            f"<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></{tag}>"
        )

    def get_stream_uri(self, req: etree._Element) -> str:
        token = self._profile_token(req)
        return self._media_uri("trt:GetStreamUriResponse", self.camera.rtsp_url(token))

    def get_snapshot_uri(self, req: etree._Element) -> str:
        token = self._profile_token(req)
        return self._media_uri("trt:GetSnapshotUriResponse", self.camera.snapshot_url(token))

    def get_video_encoder_configurations(self, req: etree._Element) -> str:
        return (
            "<trt:GetVideoEncoderConfigurationsResponse>"
            + "".join(
                self._encoder_xml("trt:Configurations", t) for t in self.camera.profile_tokens()
            )
            + "</trt:GetVideoEncoderConfigurationsResponse>"
        )

    # -- PTZ ---------------------------------------------------------------------------------

    @property
    def _head(self):  # type: ignore[no-untyped-def]
        assert self.camera.ptz is not None
        return self.camera.ptz

    def continuous_move(self, req: etree._Element) -> str:
        self._profile_token(req)
        pan_tilt = _child(req, "Velocity", "PanTilt")
        zoom = _child(req, "Velocity", "Zoom")
        self._head.continuous_move(
            _float_attr(pan_tilt, "x") or 0.0,
            _float_attr(pan_tilt, "y") or 0.0,
            _float_attr(zoom, "x") or 0.0,
            _parse_duration(_text(req, "Timeout")),
        )
        return "<tptz:ContinuousMoveResponse/>"

    def stop(self, req: etree._Element) -> str:
        self._profile_token(req)
        pan_tilt = (_text(req, "PanTilt") or "true").lower() in ("true", "1")
        zoom = (_text(req, "Zoom") or "true").lower() in ("true", "1")
        self._head.stop(pan_tilt, zoom)
        return "<tptz:StopResponse/>"

    def absolute_move(self, req: etree._Element) -> str:
        self._profile_token(req)
        pan_tilt = _child(req, "Position", "PanTilt")
        zoom = _child(req, "Position", "Zoom")
        self._head.absolute_move(
            _float_attr(pan_tilt, "x"), _float_attr(pan_tilt, "y"), _float_attr(zoom, "x")
        )
        return "<tptz:AbsoluteMoveResponse/>"

    @staticmethod
    def _vector(tag: str, pan: float, tilt: float, zoom: float) -> str:
        return (
            f'<{tag}><tt:PanTilt x="{pan:.4f}" y="{tilt:.4f}" space="{PTZ_SPACE}"/>'
            f'<tt:Zoom x="{zoom:.4f}" space="{ZOOM_SPACE}"/></{tag}>'
        )

    def get_status(self, req: etree._Element) -> str:
        self._profile_token(req)
        view = self._head.view()
        pt_moving, zoom_moving = self._head.moving()
        now = dt.datetime.fromtimestamp(self.camera.clock(), dt.UTC)
        return (
            "<tptz:GetStatusResponse><tptz:PTZStatus>"
            + self._vector("tt:Position", view.pan, view.tilt, view.zoom)
            + "<tt:MoveStatus>"
            f"<tt:PanTilt>{'MOVING' if pt_moving else 'IDLE'}</tt:PanTilt>"
            f"<tt:Zoom>{'MOVING' if zoom_moving else 'IDLE'}</tt:Zoom></tt:MoveStatus>"
            f"<tt:UtcTime>{now.strftime('%Y-%m-%dT%H:%M:%SZ')}</tt:UtcTime>"
            "</tptz:PTZStatus></tptz:GetStatusResponse>"
        )

    def get_presets(self, req: etree._Element) -> str:
        self._profile_token(req)
        return (
            "<tptz:GetPresetsResponse>"
            + "".join(
                f'<tptz:Preset token="{p.token}"><tt:Name>{escape(p.name)}</tt:Name>'
                + self._vector("tt:PTZPosition", p.view.pan, p.view.tilt, p.view.zoom)
                + "</tptz:Preset>"
                for p in self._head.presets()
            )
            + "</tptz:GetPresetsResponse>"
        )

    def set_preset(self, req: etree._Element) -> str:
        self._profile_token(req)
        try:
            token = self._head.set_preset(_text(req, "PresetName"), _text(req, "PresetToken"))
        except KeyError as err:
            raise SoapFault("env:Sender", "ter:NoToken", "no such preset") from err
        return f"<tptz:SetPresetResponse><tptz:PresetToken>{token}</tptz:PresetToken>" + (
            "</tptz:SetPresetResponse>"
        )

    def goto_preset(self, req: etree._Element) -> str:
        self._profile_token(req)
        try:
            self._head.goto_preset(_text(req, "PresetToken") or "")
        except KeyError as err:
            raise SoapFault("env:Sender", "ter:NoToken", "no such preset") from err
        return "<tptz:GotoPresetResponse/>"
