"""One virtual camera: its identity, settings, clock, PTZ head, streams, servers and faults.

A camera lives on the precinct's event loop: its ONVIF/snapshot HTTP server and RTSP server
are asyncio servers, its encoders are threads that run only while an RTSP session plays.
Everything that changes a camera's behaviour at run time (faults, clock, hostname) goes through
here, so the protocol modules stay stateless about it.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import cv2
import numpy as np

from simulator import digest, scene
from simulator.encoder import MAIN, SUB, StreamEncoder, StreamProfile
from simulator.faults import PICTURE_FAULTS, Fault, FaultState, normalise_args
from simulator.http_server import HttpServer, Request, Response
from simulator.identity import CameraIdentity
from simulator.onvif_service import SOAP_CONTENT_TYPE, OnvifService
from simulator.ptz import PtzHead
from simulator.rtsp_server import RtspServer

log = logging.getLogger(__name__)

PROFILE_TOKENS = {"Profile_1": MAIN, "Profile_2": SUB}
LIGHT_PICTURES = 4
_light_cache: dict[tuple[Any, ...], list[bytes]] = {}
_light_lock = threading.Lock()


def light_snapshot(active: dict[Fault, dict[str, Any]], counter: int) -> bytes:
    """Light mode: one of a few pre-rendered 640×360 JPEGs for the camera's picture faults
    (shared by every camera), so thousands of snapshots cost no rendering."""
    picture = {f: a for f, a in active.items() if f in PICTURE_FAULTS}
    key = tuple(sorted((f.value, tuple(sorted(a.items()))) for f, a in picture.items()))
    with _light_lock:
        shots = _light_cache.get(key)
        if shots is None:
            shots = []
            for i in range(LIGHT_PICTURES):
                now = 1_790_000_000.0 + 7.0 * i
                osd = scene.OSD(
                    "CAM light", i, time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now))
                )
                img = scene.render(640, 360, now, scene.View(), osd, picture)
                _ok, jpeg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
                shots.append(jpeg.tobytes())
            _light_cache[key] = shots
    return shots[0] if Fault.FROZEN in active else shots[counter % len(shots)]


@dataclass
class CameraSettings:
    """What an installer can change over ONVIF."""

    hostname: str
    datetime_type: str = "NTP"
    ntp_from_dhcp: bool = False
    ntp_servers: list[str] = field(default_factory=lambda: ["ntp.precinct.local"])
    clock_offset: float = 0.0  # set by SetSystemDateAndTime(Manual)


@dataclass(frozen=True)
class CameraUrls:
    device: str
    media: str
    ptz: str
    snapshot_base: str


class VirtualCamera:
    """All of one camera. Create, then ``await start()`` on the precinct loop."""

    def __init__(
        self,
        identity: CameraIdentity,
        *,
        host: str,
        onvif_port: int,
        rtsp_port: int,
        username: str,
        password: str,
        loop: asyncio.AbstractEventLoop,
        light: bool = False,
    ) -> None:
        self.identity = identity
        self.light = light
        self._light_shots = 0
        self.name = identity.name
        self.realm = f"{identity.vendor}-{identity.serial[-6:]}"
        self.host = host
        self.username = username
        self.password = password
        self.faults = FaultState()
        self.settings = CameraSettings(hostname=f"cam-{identity.index + 1:03d}")
        self.ptz = PtzHead() if identity.has_ptz else None
        self.boot_time = time.time()
        self._loop = loop
        self._frozen: dict[str, np.ndarray] = {}
        self._frozen_lock = threading.Lock()
        self._nonces: collections.deque[str] = collections.deque(maxlen=32)
        self._reboot_task: asyncio.Task[None] | None = None
        label = f"{identity.index}"
        self.streams = {
            "main": StreamEncoder(MAIN, self._renderer("main"), loop, f"{label}-main"),
            "sub": StreamEncoder(SUB, self._renderer("sub"), loop, f"{label}-sub"),
        }
        self.onvif = OnvifService(self)
        self.http = HttpServer(self._handle_http, host, onvif_port, identity.name)
        self.rtsp = RtspServer(self, host, rtsp_port)

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def urls(self) -> CameraUrls:
        base = f"http://{self.host}:{self.http.port}/onvif"
        return CameraUrls(
            f"{base}/device_service", f"{base}/media_service", f"{base}/ptz_service", base
        )

    async def start(self) -> None:
        await self.http.start()
        await self.rtsp.start()

    async def _go_down(self) -> None:
        await self.http.stop()
        await self.rtsp.stop()

    async def _come_up(self) -> None:
        if not self.http.listening:
            await self.http.start()
        await self.rtsp.start()

    async def stop(self) -> list[threading.Thread]:
        if self._reboot_task is not None:
            self._reboot_task.cancel()
        await self._go_down()
        return [t for t in (s.close() for s in self.streams.values()) if t is not None]

    # -- faults ------------------------------------------------------------------------------

    async def inject(self, fault: Fault | str, args: dict[str, Any]) -> None:
        fault = Fault.parse(fault)
        args = normalise_args(fault, args)
        was_down = Fault.OFFLINE in self.faults or Fault.REBOOT in self.faults
        self.faults.set(fault, args)
        if fault is Fault.FROZEN:
            with self._frozen_lock:
                self._frozen.clear()
        if fault in (Fault.OFFLINE, Fault.REBOOT) and not was_down:
            await self._go_down()
        if fault is Fault.REBOOT:
            if self._reboot_task is not None:
                self._reboot_task.cancel()
            self._reboot_task = asyncio.ensure_future(self._reboot(float(args["seconds"])))
        if fault is Fault.SIGNAL_LOSS:
            self.rtsp.drop_sessions()
        log.info("%s: fault %s %s", self.name, fault.value, args)

    async def _reboot(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self.faults.discard(Fault.REBOOT)
        self.boot_time = time.time()
        if Fault.OFFLINE not in self.faults:
            await self._come_up()
        self._reboot_task = None

    async def clear(self, fault: Fault | str | None = None) -> None:
        parsed = None if fault is None else Fault.parse(fault)
        if parsed in (None, Fault.REBOOT) and self._reboot_task is not None:
            self._reboot_task.cancel()
            self._reboot_task = None
        self.faults.discard(parsed)
        down = Fault.OFFLINE in self.faults or Fault.REBOOT in self.faults
        if not down and not self.http.listening:
            await self._come_up()
        log.info("%s: cleared %s", self.name, "all faults" if fault is None else parsed)

    # -- state the protocol modules ask for --------------------------------------------------

    def credentials(self) -> tuple[str, str]:
        if Fault.WRONG_PASSWORD in self.faults:
            return self.username, self.password + "-changed"
        return self.username, self.password

    def clock(self) -> float:
        """The camera's idea of the time (epoch seconds), skew fault included."""
        skew = self.faults.get(Fault.CLOCK_SKEW)
        return time.time() + self.settings.clock_offset + (float(skew["seconds"]) if skew else 0)

    def set_clock(self, kind: str, epoch: float | None) -> None:
        self.settings.datetime_type = kind
        self.settings.clock_offset = 0.0 if epoch is None else epoch - time.time()

    def scopes(self) -> list[str]:
        ident = self.identity
        return [
            "onvif://www.onvif.org/type/video_encoder",
            "onvif://www.onvif.org/type/Network_Video_Transmitter",
            *(["onvif://www.onvif.org/type/ptz"] if ident.has_ptz else []),
            "onvif://www.onvif.org/Profile/Streaming",
            f"onvif://www.onvif.org/name/{ident.name.replace(' ', '_')}",
            f"onvif://www.onvif.org/hardware/{ident.model}",
            "onvif://www.onvif.org/location/precinct",
        ]

    def profile_tokens(self) -> list[str]:
        return list(PROFILE_TOKENS)

    def profile(self, token: str) -> StreamProfile:
        return PROFILE_TOKENS[token]

    def rtsp_url(self, token: str) -> str:
        path = self.identity.main_path if PROFILE_TOKENS[token] is MAIN else self.identity.sub_path
        return f"rtsp://{self.host}:{self.rtsp.port}{path}"

    def snapshot_url(self, token: str) -> str:
        return f"{self.urls.snapshot_base}/snapshot.jpg?profile={token}"

    def stream_for_path(self, path: str) -> StreamEncoder | None:
        if path.rstrip("/") == self.identity.main_path:
            return self.streams["main"]
        if path.rstrip("/") == self.identity.sub_path:
            return self.streams["sub"]
        return None

    # -- pictures ----------------------------------------------------------------------------

    def render(self, width: int, height: int, now: float, key: str = "snapshot") -> np.ndarray:
        """Render the picture as this camera sees it now, faults applied."""
        active = self.faults.snapshot()
        if Fault.FROZEN in active:
            with self._frozen_lock:
                frozen = self._frozen.get(key)
            if frozen is not None:
                return frozen
        view = self.ptz.view() if self.ptz is not None else scene.View()
        clock = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.clock() + 8 * 3600))
        osd = scene.OSD(self.name, self.identity.index, clock)
        picture = {f: a for f, a in active.items() if f in PICTURE_FAULTS}
        img = scene.render(width, height, now, view, osd, picture)
        if Fault.FROZEN in active:
            with self._frozen_lock:
                img = self._frozen.setdefault(key, img)
        return img

    def _renderer(self, key: str):  # type: ignore[no-untyped-def]
        def render(width: int, height: int, now: float) -> np.ndarray:
            return self.render(width, height, now, key)

        return render

    # -- HTTP --------------------------------------------------------------------------------

    async def _handle_http(self, request: Request) -> Response:
        parts = urlsplit(request.path)
        if request.method == "POST" and parts.path.startswith("/onvif/"):
            status, body = await self.onvif.handle(request.body)
            return Response(status, body, SOAP_CONTENT_TYPE)
        if request.method == "GET" and parts.path == "/onvif/snapshot.jpg":
            return await self._snapshot(request, parse_qs(parts.query))
        return Response(404, b"not found")

    async def _snapshot(self, request: Request, query: dict[str, list[str]]) -> Response:
        user, password = self.credentials()
        if not digest.verify(
            request.headers.get("authorization"),
            request.method,
            self.realm,
            set(self._nonces),
            user,
            password,
        ):
            nonce = digest.new_nonce()
            self._nonces.append(nonce)
            challenge = digest.challenge(self.realm, nonce, qop=True)
            return Response(401, b"unauthorized", headers={"WWW-Authenticate": challenge})
        if Fault.SIGNAL_LOSS in self.faults:
            return Response(503, b"no video signal")
        token = query.get("profile", ["Profile_1"])[0]
        profile = PROFILE_TOKENS.get(token)
        if profile is None:
            return Response(404, b"no such profile")
        if self.light:
            self._light_shots += 1
            return Response(200, light_snapshot(self.faults.snapshot(), self._light_shots),
                            "image/jpeg")  # fmt: skip
        loop = asyncio.get_running_loop()

        def encode() -> bytes:
            img = self.render(profile.width, profile.height, time.time())
            ok, jpeg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
            if not ok:
                raise RuntimeError("JPEG encoding failed")
            return jpeg.tobytes()

        return Response(200, await loop.run_in_executor(None, encode), "image/jpeg")
