"""What a check means: pure rules from observations to confirmed problems and recoveries.

Kept free of I/O so every rule is a unit test: which failures mean "offline" rather than
"no video", when one bad look is not enough (a dropped packet is not a fault: a problem is
confirmed by a second look a few seconds later), and what an observation can and cannot
say (an offline camera says nothing about its picture, so a covered-lens fault is neither
confirmed nor recovered while the camera is dark).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from station_console.health.model import (
    PICTURE_KINDS,
    CameraState,
    FaultKind,
    ProbeError,
    ProbeResult,
)

#: Looks needed before a problem is a fault. Clock drift is a measurement, not a glitch.
CONFIRMATIONS: dict[FaultKind, int] = {FaultKind.CLOCK_DRIFT: 1}
DEFAULT_CONFIRMATIONS = 2
#: Good looks needed before a problem is considered recovered.
RECOVERY_LOOKS = 1

CONNECTIVITY_KINDS = frozenset(
    {FaultKind.OFFLINE, FaultKind.SIGNAL_LOSS, FaultKind.AUTH_FAILED, FaultKind.STREAM_STALLED}
)
DOWN_KINDS = frozenset({FaultKind.OFFLINE, FaultKind.SIGNAL_LOSS, FaultKind.STREAM_STALLED})


@dataclass(frozen=True)
class Observation:
    """What one look found, and which kinds it can speak about (its scope)."""

    found: frozenset[FaultKind]
    scope: frozenset[FaultKind]
    online: bool  # video can be had from the camera now
    detail: str = ""


def observe_probe(
    result: ProbeResult, drift_limit_s: float, live_problem: str | None = None
) -> Observation:
    """Classify a probe result (plus, for a camera on the wall, the gateway's view).

    ``live_problem``: None when the camera is not on the wall, "" when the wall's stream is
    live, else the gateway's problem code (e.g. "stalled", "unreachable").
    """
    onvif_down = not result.onvif_ok and result.onvif_error in (
        ProbeError.UNREACHABLE,
        ProbeError.TIMEOUT,
        None,
    )
    rtsp_down = not result.rtsp_ok and result.rtsp_error in (
        ProbeError.UNREACHABLE,
        ProbeError.TIMEOUT,
        None,
    )
    found: set[FaultKind] = set()
    if onvif_down and rtsp_down:
        return Observation(
            frozenset({FaultKind.OFFLINE}), frozenset({FaultKind.OFFLINE}), False, result.detail
        )
    scope = {FaultKind.OFFLINE}
    if result.rtsp_error is ProbeError.AUTH:
        found.add(FaultKind.AUTH_FAILED)
        scope.add(FaultKind.AUTH_FAILED)
    else:
        scope |= {FaultKind.AUTH_FAILED, FaultKind.SIGNAL_LOSS}
        if not result.rtsp_ok:
            found.add(FaultKind.SIGNAL_LOSS)
    if result.onvif_ok and result.clock_offset_s is not None:
        scope.add(FaultKind.CLOCK_DRIFT)
        if abs(result.clock_offset_s) > drift_limit_s:
            found.add(FaultKind.CLOCK_DRIFT)
    online = result.rtsp_ok
    if live_problem is not None and result.rtsp_ok:
        scope.add(FaultKind.STREAM_STALLED)
        if live_problem == "stalled":
            found.add(FaultKind.STREAM_STALLED)
            online = False
    return Observation(frozenset(found), frozenset(scope), online, result.detail)


def observe_picture(kind: FaultKind | None) -> Observation:
    """A diagnosed picture speaks about every picture kind, and proves video flows."""
    found = frozenset({kind}) if kind is not None else frozenset()
    return Observation(found, frozenset(PICTURE_KINDS), True)


@dataclass
class Tracker:
    """One camera's problems as the monitor follows them between looks."""

    confirmed: set[FaultKind] = field(default_factory=set)
    pending: dict[FaultKind, int] = field(default_factory=dict)
    good: dict[FaultKind, int] = field(default_factory=dict)

    def step(self, obs: Observation) -> tuple[set[FaultKind], set[FaultKind], bool]:
        """Apply a look: returns (newly confirmed, newly recovered, look again soon)."""
        confirmed: set[FaultKind] = set()
        recovered: set[FaultKind] = set()
        for kind in obs.scope:
            if kind in obs.found:
                self.good.pop(kind, None)
                if kind in self.confirmed:
                    continue
                n = self.pending.get(kind, 0) + 1
                if n >= CONFIRMATIONS.get(kind, DEFAULT_CONFIRMATIONS):
                    self.pending.pop(kind, None)
                    self.confirmed.add(kind)
                    confirmed.add(kind)
                else:
                    self.pending[kind] = n
            else:
                self.pending.pop(kind, None)
                if kind in self.confirmed:
                    n = self.good.get(kind, 0) + 1
                    if n >= RECOVERY_LOOKS:
                        self.good.pop(kind, None)
                        self.confirmed.discard(kind)
                        recovered.add(kind)
                    else:
                        self.good[kind] = n
        again = any(k in obs.scope for k in self.pending) or any(k in obs.scope for k in self.good)
        return confirmed, recovered, again

    def state(self, online: bool | None) -> CameraState:
        if online is None:
            return CameraState.UNKNOWN
        if not online:
            return CameraState.OFFLINE
        return CameraState.DEGRADED if self.confirmed else CameraState.ONLINE

    def problem(self, preferred: Iterable[FaultKind] = ()) -> str:
        order = [*preferred, *sorted(self.confirmed)]
        for kind in order:
            if kind in self.confirmed:
                return kind.value
        return ""
