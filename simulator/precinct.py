"""The embedding API: ``Precinct(cameras=16)`` runs a whole simulated camera estate.

Everything runs in one process on one asyncio loop thread (ONVIF, RTSP, discovery, control),
plus one encoder thread per stream that somebody is watching. That is what lets 200 cameras
start in seconds in well under 1 GB: an idle camera is two listening sockets and a few objects.

Addressing: every camera has its own ONVIF/snapshot HTTP port and its own RTSP port on
``host`` (127.0.0.1 by default). With ``port_base=0`` the ports are picked by the kernel;
with ``port_base=P`` camera *i* gets ONVIF port P+2i and RTSP port P+2i+1, stable across runs.

Thread model for callers: all public methods are safe to call from any thread except the loop
thread itself; they hand work to the loop and wait for it with a timeout.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Coroutine
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from simulator.camera import VirtualCamera
from simulator.faults import Fault
from simulator.identity import make_identity

log = logging.getLogger(__name__)

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "Admin12345"  # noqa: S105 - a simulator's published default, not a secret
CALL_TIMEOUT_S = 30.0
T = TypeVar("T")


@dataclass(frozen=True)
class CameraInfo:
    """What a client needs to know about one virtual camera (JSON-friendly)."""

    index: int
    name: str
    kind: str
    vendor: str
    model: str
    serial: str
    mac: str
    host: str
    onvif_port: int
    rtsp_port: int
    device_url: str
    rtsp_main: str
    rtsp_sub: str
    snapshot_url: str
    username: str
    password: str
    has_ptz: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Camera:
    """A handle on one running virtual camera, usable from any thread."""

    def __init__(self, precinct: Precinct, camera: VirtualCamera) -> None:
        self._precinct = precinct
        self._camera = camera
        cam = camera
        ident = cam.identity
        self.info = CameraInfo(
            index=ident.index,
            name=ident.name,
            kind=ident.kind,
            vendor=ident.vendor,
            model=ident.model,
            serial=ident.serial,
            mac=ident.mac,
            host=cam.host,
            onvif_port=cam.http.port,
            rtsp_port=cam.rtsp.port,
            device_url=cam.urls.device,
            rtsp_main=cam.rtsp_url("Profile_1"),
            rtsp_sub=cam.rtsp_url("Profile_2"),
            snapshot_url=cam.snapshot_url("Profile_1"),
            username=cam.username,
            password=cam.password,
            has_ptz=ident.has_ptz,
        )

    # The identity and endpoints, as typed properties (the same values as ``info``).

    @property
    def index(self) -> int:
        return self.info.index

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def kind(self) -> str:
        return self.info.kind

    @property
    def vendor(self) -> str:
        return self.info.vendor

    @property
    def model(self) -> str:
        return self.info.model

    @property
    def serial(self) -> str:
        return self.info.serial

    @property
    def mac(self) -> str:
        return self.info.mac

    @property
    def host(self) -> str:
        return self.info.host

    @property
    def onvif_port(self) -> int:
        return self.info.onvif_port

    @property
    def rtsp_port(self) -> int:
        return self.info.rtsp_port

    @property
    def device_url(self) -> str:
        return self.info.device_url

    @property
    def rtsp_main(self) -> str:
        return self.info.rtsp_main

    @property
    def rtsp_sub(self) -> str:
        return self.info.rtsp_sub

    @property
    def snapshot_url(self) -> str:
        return self.info.snapshot_url

    @property
    def username(self) -> str:
        return self.info.username

    @property
    def password(self) -> str:
        return self.info.password

    @property
    def has_ptz(self) -> bool:
        return self.info.has_ptz

    def __repr__(self) -> str:
        return f"<Camera {self.info.index} {self.info.name!r} {self.info.kind}>"

    def inject(self, fault: Fault | str, **args: Any) -> None:
        """Switch a fault on, e.g. ``cam.inject("clock-skew", seconds=-600)``."""
        self._precinct.call(self._camera.inject(fault, args))

    def clear(self, fault: Fault | str | None = None) -> None:
        """Switch one fault off, or all of them."""
        self._precinct.call(self._camera.clear(fault))

    def faults(self) -> dict[str, dict[str, Any]]:
        return {f.value: a for f, a in self._camera.faults.snapshot().items()}

    def encoders_running(self) -> int:
        return sum(s.running for s in self._camera.streams.values())


class Precinct:
    """A simulated precinct of ``cameras`` virtual cameras. Use as a context manager."""

    def __init__(
        self,
        cameras: int = 16,
        *,
        host: str = "127.0.0.1",
        port_base: int = 0,
        username: str = DEFAULT_USERNAME,
        password: str = DEFAULT_PASSWORD,
        discovery: bool = False,
        control_port: int | None = None,
        light: bool = False,
        link_to: int | None = None,
    ) -> None:
        if cameras < 1:
            raise ValueError("a precinct needs at least one camera")
        self.count = cameras
        self.host = host
        self.port_base = port_base
        self.username = username
        self.password = password
        self.discovery_enabled = discovery
        self.control_port = control_port
        # Light mode (health benchmarks): ONVIF and RTSP DESCRIBE answered, PLAY refused,
        # snapshots from a few cached pictures; thousands of cameras cost next to nothing.
        self.light = light
        # With ``link_to`` (the hub's port), a relay the console reaches the hub through and
        # that the control API can cut: the demo's district link.
        self.link_to = link_to
        self.link: Any = None
        self.cameras: list[Camera] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._virtual: list[VirtualCamera] = []
        self._discovery: Any = None
        self._control: Any = None
        self.started_in_s: float | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Precinct:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 60.0) -> None:
        if self._thread is not None:
            raise RuntimeError("precinct already started")
        t0 = time.monotonic()
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="precinct", daemon=True)
        self._thread.start()
        try:
            self.call(self._start(), timeout)
        except BaseException:
            self.stop()
            raise
        self.cameras = [Camera(self, cam) for cam in self._virtual]
        self.started_in_s = time.monotonic() - t0
        log.info("precinct of %d cameras up in %.2f s", self.count, self.started_in_s)

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        for i in range(self.count):
            onvif_port = rtsp_port = 0
            if self.port_base:
                onvif_port, rtsp_port = self.port_base + 2 * i, self.port_base + 2 * i + 1
            self._virtual.append(
                VirtualCamera(
                    make_identity(i),
                    host=self.host,
                    onvif_port=onvif_port,
                    rtsp_port=rtsp_port,
                    username=self.username,
                    password=self.password,
                    loop=loop,
                    light=self.light,
                )
            )
        for cam in self._virtual:
            await cam.start()
        if self.link_to is not None:
            from simulator.link import DistrictLink

            self.link = DistrictLink(self.host, self.link_to)
            await self.link.start()
        if self.control_port is not None:
            from simulator.control import ControlServer

            self._control = ControlServer(self, self.host, self.control_port)
            await self._control.start()
            self.control_port = self._control.port
        if self.discovery_enabled:
            from simulator.discovery import DiscoveryResponder

            self._discovery = DiscoveryResponder(self._virtual)
            await self._discovery.start()

    def stop(self) -> None:
        """Stop everything: Bye, servers, sessions, encoder threads, the loop thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        encoder_threads: list[threading.Thread] = []
        if loop.is_running():
            try:
                encoder_threads = self.call(self._stop(), CALL_TIMEOUT_S)
            except Exception:
                log.exception("precinct did not stop cleanly")
            loop.call_soon_threadsafe(loop.stop)
        thread.join(CALL_TIMEOUT_S)
        for t in encoder_threads:
            t.join(5.0)
        loop.close()
        self._loop = self._thread = None
        self.cameras = []
        self._virtual = []

    async def _stop(self) -> list[threading.Thread]:
        threads: list[threading.Thread] = []
        if self._discovery is not None:
            await self._discovery.stop()
            self._discovery = None
        if self._control is not None:
            await self._control.stop()
            self._control = None
        if self.link is not None:
            await self.link.cut()
        for cam in self._virtual:
            threads += await cam.stop()
        # Let aborted transports finish closing before the loop goes away.
        await asyncio.sleep(0.05)
        return threads

    # -- helpers -----------------------------------------------------------------------------

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT_S) -> T:
        """Run ``coro`` on the precinct loop and wait for its result."""
        if self._loop is None:
            coro.close()
            raise RuntimeError("precinct is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def camera(self, key: int | str) -> Camera:
        """Find a camera by index, name, or serial."""
        for cam in self.cameras:
            if key in (cam.info.index, cam.info.name, cam.info.serial, str(cam.info.index)):
                return cam
        raise KeyError(key)

    def describe(self) -> list[dict[str, Any]]:
        return [cam.info.to_dict() for cam in self.cameras]
