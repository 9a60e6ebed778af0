"""The stream gateway as the health monitor's view of the wall (``LiveStreams``).

Cameras on the wall are watched for free: the gateway already knows, within a second or
two, when a stream stops. This adapter turns its per-stream health into "camera id → live
or the problem", and hands over the latest key frame for picture diagnosis.
"""

from __future__ import annotations

from collections.abc import Callable

from drivers.gateway import StreamGateway, StreamState
from station_console.health.model import Picture


class GatewayLive:
    def __init__(self, gateway: Callable[[], StreamGateway | None]) -> None:
        self._gateway = gateway

    def live_cameras(self) -> dict[str, str]:
        gw = self._gateway()
        if gw is None:
            return {}
        out: dict[str, str] = {}
        for h in gw.all_health():
            camera_id = h.key.rsplit(":", 1)[0]
            if h.state is StreamState.LIVE:
                out[camera_id] = ""
            elif h.state is StreamState.CONNECTING:
                out.setdefault(camera_id, "")
            elif out.get(camera_id) != "":
                out[camera_id] = h.problem.value if h.problem else "unreachable"
        return out

    def keyframe(self, camera_id: str) -> Picture | None:
        gw = self._gateway()
        if gw is None:
            return None
        for profile in ("sub", "main"):
            try:
                got = gw.latest_keyframe(f"{camera_id}:{profile}")
            except Exception:  # noqa: S112 - not held by the gateway: try the other profile
                continue
            if got is not None:
                when, data = got
                return Picture(camera_id, when, data, format="h264", source="wall")
        return None
