"""The mechanical state of a simulated PTZ head: position, motion, presets.

Kept apart from SOAP so the scene (on encoder threads) and the ONVIF service (on the event
loop) can share it under one lock. Position is integrated lazily from the velocity and the time
the move began, so nothing needs a timer to make the head move or stop at its timeout.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from simulator.scene import View

#: Generic-space units per second at velocity 1.0: a full pan sweep (-1 → 1) takes 4 s.
UNITS_PER_SECOND = 0.5


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


@dataclass
class Preset:
    token: str
    name: str
    view: View


class PtzHead:
    """Pan/tilt in [-1, 1] and zoom in [0, 1], ONVIF generic spaces."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._base = View()
        self._velocity = (0.0, 0.0, 0.0)
        self._since = time.monotonic()
        self._until: float | None = None
        self._presets: dict[str, Preset] = {}
        self._next_preset = 1

    def _integrate(self, now: float) -> View:
        end = now if self._until is None else min(now, self._until)
        dt = max(end - self._since, 0.0) * UNITS_PER_SECOND
        vp, vt, vz = self._velocity
        return View(
            pan=_clamp(self._base.pan + vp * dt, -1.0, 1.0),
            tilt=_clamp(self._base.tilt + vt * dt, -1.0, 1.0),
            zoom=_clamp(self._base.zoom + vz * dt, 0.0, 1.0),
        )

    def view(self) -> View:
        with self._lock:
            return self._integrate(time.monotonic())

    def moving(self) -> tuple[bool, bool]:
        """(pan/tilt moving, zoom moving)."""
        with self._lock:
            now = time.monotonic()
            active = self._until is None or now < self._until
            vp, vt, vz = self._velocity
            return active and (vp != 0 or vt != 0), active and vz != 0

    def _rebase(self, now: float) -> None:
        self._base = self._integrate(now)
        self._since = now

    def continuous_move(self, pan: float, tilt: float, zoom: float, timeout: float | None) -> None:
        with self._lock:
            now = time.monotonic()
            self._rebase(now)
            self._velocity = (
                _clamp(pan, -1.0, 1.0),
                _clamp(tilt, -1.0, 1.0),
                _clamp(zoom, -1.0, 1.0),
            )
            self._until = now + timeout if timeout else None

    def stop(self, pan_tilt: bool = True, zoom: bool = True) -> None:
        with self._lock:
            self._rebase(time.monotonic())
            vp, vt, vz = self._velocity
            self._velocity = (0.0 if pan_tilt else vp, 0.0 if pan_tilt else vt, 0.0 if zoom else vz)

    def absolute_move(self, pan: float | None, tilt: float | None, zoom: float | None) -> None:
        with self._lock:
            now = time.monotonic()
            current = self._integrate(now)
            self._base = View(
                pan=_clamp(current.pan if pan is None else pan, -1.0, 1.0),
                tilt=_clamp(current.tilt if tilt is None else tilt, -1.0, 1.0),
                zoom=_clamp(current.zoom if zoom is None else zoom, 0.0, 1.0),
            )
            self._since = now
            self._velocity = (0.0, 0.0, 0.0)

    def presets(self) -> list[Preset]:
        with self._lock:
            return list(self._presets.values())

    def set_preset(self, name: str | None, token: str | None) -> str:
        with self._lock:
            view = self._integrate(time.monotonic())
            if token is None:
                token = f"Preset_{self._next_preset}"
                self._next_preset += 1
            elif token not in self._presets:
                raise KeyError(token)
            self._presets[token] = Preset(token, name or token, view)
            return token

    def goto_preset(self, token: str) -> None:
        with self._lock:
            preset = self._presets[token]
        self.absolute_move(preset.view.pan, preset.view.tilt, preset.view.zoom)
