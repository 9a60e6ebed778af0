"""The wall's side of the stream gateway: who holds which stream, and health as signals.

The gateway (drivers.gateway) is created on first use, so a console whose officer never
opens a camera starts no server and no thread. Acquiring and releasing streams touch the
network and the disk (credentials), so they run on the task runner; health changes arrive
on gateway threads and are re-emitted here as a Qt signal on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from drivers.gateway import StreamGateway, StreamHealth, StreamSource
from station_console.domain import Camera
from station_console.station import Station

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenedStream:
    """A stream the gateway now holds for a tile, and the viewing record it opened."""

    camera: Camera
    key: str
    profile: str
    url: str
    viewing_id: int | None


def stream_key(camera_id: str, profile: str) -> str:
    return f"{camera_id}:{profile}"


class WallStreams(QObject):
    """Owns the console's stream gateway; emits :attr:`health` for every state change."""

    health = Signal(object)  # StreamHealth

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self._gateway: StreamGateway | None = None
        self._lock = threading.Lock()
        self._unsubscribe: object = None
        self.closed = False

    @property
    def gateway(self) -> StreamGateway:
        """The gateway, started on first use (any thread)."""
        with self._lock:
            if self.closed:
                raise RuntimeError("the wall is closed")
            if self._gateway is None:
                ring = float(self.station.settings.get("ring_buffer_seconds"))
                gateway = StreamGateway(ring_seconds=ring)
                gateway.start()
                self._unsubscribe = gateway.add_listener(self.health.emit)
                self._gateway = gateway
            return self._gateway

    def started(self) -> bool:
        return self._gateway is not None

    # -- run on the task runner --------------------------------------------------------

    def open(
        self,
        camera_id: str,
        large: bool,
        *,
        tiles_on_wall: int,
        source: str = "manual",
        plan_id: str | None = None,
        record: bool = True,
    ) -> OpenedStream:
        """Look the camera up, acquire its stream and record the viewing (worker thread)."""
        inv = self.station.inventory
        camera = inv.camera(camera_id)
        profile = "main" if large or not camera.sub.uri else "sub"
        info = camera.main if profile == "main" else camera.sub
        if not info.uri:
            from station_console.errors import ValidationError

            raise ValidationError(
                "wall", "Camera {name} has no stream address: provision it first.", name=camera.name
            )
        creds = inv.credentials(camera_id)
        key = stream_key(camera_id, profile)
        url = self.gateway.acquire(
            StreamSource(
                key=key,
                url=info.uri,
                username=creds.username,
                password=creds.password,
                transport=str(self.station.settings.get("rtsp_transport")),
            )
        )
        viewing = None
        if record:
            viewing = self.station.wall.open_viewing(
                camera_id,
                tiles_on_wall=tiles_on_wall,
                large=large,
                stream=profile,
                source=source,
                plan_id=plan_id,
            )
        return OpenedStream(camera, key, profile, url, viewing)

    def close_stream(self, key: str, viewing_id: int | None) -> None:
        """Release the stream and close the viewing record (worker thread)."""
        try:
            if self._gateway is not None and key:
                self._gateway.release(key)
        finally:
            if viewing_id is not None:
                self.station.wall.close_viewing(viewing_id)

    def health_of(self, key: str) -> StreamHealth | None:
        return self._gateway.health(key) if self._gateway is not None else None

    def shutdown(self) -> None:
        """Stop the gateway and its threads (blocks briefly: call at close)."""
        with self._lock:
            self.closed = True
            gateway, self._gateway = self._gateway, None
        if gateway is not None:
            if callable(self._unsubscribe):
                self._unsubscribe()
            gateway.close()
