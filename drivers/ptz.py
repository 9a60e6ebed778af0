"""PTZ control of a dome camera over ONVIF: move, zoom, stop, presets.

One :class:`PtzController` per camera, kept while its tile is on screen, so the camera's
clock, its PTZ address and profile token are looked up once and a key press becomes one
SOAP request. Every call blocks on the network (with the session's read timeout) and must
therefore run off the GUI thread; failures are :class:`DeviceError` of a named kind.

Keyboard PTZ is "move while the key is down": the wall calls :meth:`move` on key press and
:meth:`stop` on release. A camera keeps moving if a Stop is lost, so :meth:`move` takes a
``timeout`` (ONVIF ``Timeout``) after which the camera stops by itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from drivers.onvif_device import OnvifSession, _same_host, _text, normalise_address
from station_console.devices import DeviceError, DeviceErrorKind, PtzPreset

#: A continuous move stops by itself after this long without a new command.
MOVE_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class PtzPosition:
    pan: float
    tilt: float
    zoom: float
    moving: bool


def _clamp(value: float) -> float:
    return max(-1.0, min(1.0, float(value)))


class PtzController:
    """Moves one camera. Thread-safe: calls for one camera are serialised."""

    def __init__(
        self, address: str, username: str, password: str, read_timeout: float = 3.0
    ) -> None:
        self.session = OnvifSession(normalise_address(address), username, password, read_timeout)
        self._token: str | None = None
        self._lock = threading.Lock()

    def _ready(self) -> str:
        """Clock, PTZ address and profile token, fetched on first use."""
        if self._token is not None:
            return self._token
        s = self.session
        try:
            s.read_clock()
        except DeviceError as err:
            if err.kind in (DeviceErrorKind.UNREACHABLE, DeviceErrorKind.TIMEOUT):
                raise
        caps = s.call("device", "GetCapabilities", Category="All")
        media_x = _same_host(_text(getattr(getattr(caps, "Media", None), "XAddr", None)), s.address)
        ptz_x = _same_host(_text(getattr(getattr(caps, "PTZ", None), "XAddr", None)), s.address)
        if not ptz_x or not media_x:
            raise DeviceError(DeviceErrorKind.NOT_ONVIF, s.address)
        s.xaddrs["media"], s.xaddrs["ptz"] = media_x, ptz_x
        profiles = [
            p
            for p in (s.call("media", "GetProfiles") or [])
            if getattr(p, "PTZConfiguration", None) is not None
        ]
        if not profiles:
            raise DeviceError(DeviceErrorKind.MALFORMED, s.address, detail="no PTZ profile")
        self._token = _text(profiles[0].token)
        return self._token

    def move(self, pan: float, tilt: float, zoom: float = 0.0) -> None:
        """Start moving at the given speeds (−1…1 each); the camera keeps going until stop."""
        with self._lock:
            token = self._ready()
            self.session.call(
                "ptz",
                "ContinuousMove",
                ProfileToken=token,
                Velocity={
                    "PanTilt": {"x": _clamp(pan), "y": _clamp(tilt)},
                    "Zoom": {"x": _clamp(zoom)},
                },
                Timeout=f"PT{MOVE_TIMEOUT_S:g}S",
            )

    def stop(self) -> None:
        with self._lock:
            token = self._ready()
            self.session.call("ptz", "Stop", ProfileToken=token, PanTilt=True, Zoom=True)

    def position(self) -> PtzPosition:
        with self._lock:
            token = self._ready()
            status = self.session.call("ptz", "GetStatus", ProfileToken=token)
        pos = getattr(status, "Position", None)
        pan_tilt = getattr(pos, "PanTilt", None)
        zoom = getattr(pos, "Zoom", None)
        move = getattr(status, "MoveStatus", None)
        moving = (
            "MOVING" in _text(getattr(move, "PanTilt", "")).upper()
            or "MOVING" in _text(getattr(move, "Zoom", "")).upper()
        )
        return PtzPosition(
            float(getattr(pan_tilt, "x", 0) or 0),
            float(getattr(pan_tilt, "y", 0) or 0),
            float(getattr(zoom, "x", 0) or 0),
            moving,
        )

    def presets(self) -> list[PtzPreset]:
        with self._lock:
            token = self._ready()
            found = self.session.call("ptz", "GetPresets", ProfileToken=token) or []
        return [PtzPreset(_text(p.token), _text(getattr(p, "Name", ""))) for p in found]

    def goto_preset(self, preset_token: str) -> None:
        with self._lock:
            token = self._ready()
            self.session.call("ptz", "GotoPreset", ProfileToken=token, PresetToken=preset_token)

    def save_preset(self, name: str, preset_token: str | None = None) -> str:
        """Store the current position as ``name``; with ``preset_token``, overwrite/rename it."""
        with self._lock:
            token = self._ready()
            kwargs = {"PresetName": name}
            if preset_token:
                kwargs["PresetToken"] = preset_token
            reply = self.session.call("ptz", "SetPreset", ProfileToken=token, **kwargs)
        return _text(getattr(reply, "PresetToken", reply)) or (preset_token or "")

    def rename_preset(self, preset_token: str, name: str, settle_s: float = 5.0) -> None:
        """Rename a preset without moving it.

        ONVIF has no rename: SetPreset with an existing token stores the *current* position
        under the new name. So go to the preset, wait until the camera stops, then store.
        """
        self.goto_preset(preset_token)
        deadline = time.monotonic() + settle_s
        while time.monotonic() < deadline and self.position().moving:
            time.sleep(0.1)
        self.save_preset(name, preset_token)

    def release_connections(self) -> None:
        """Close the idle keep-alive connection to the camera; the next call opens a new one.

        Why: a controller lives as long as the wall (it keeps the camera's profile token), but
        an officer controls one dome at a time, and cameras accept few connections. Without
        this, every dome ever selected kept a socket open, and one whose camera had rebooted
        sat half-closed (CLOSE_WAIT) until the console quit (seen in the wall soak). A call
        in flight keeps its connection until it finishes.
        """
        self.session.close()

    def close(self) -> None:
        self.session.close()
