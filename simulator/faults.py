"""The faults a virtual camera can be told to have, and the state that records them.

Faults are what make the simulator worth having: every failure the console must survive in a
monitoring room (a camera unplugged, a lens sprayed, a clock drifting, firmware answering
garbage) can be switched on and off at run time, from the Python API, the loopback control API
or ``python -m simulator ctl``. This module only names faults and validates their arguments;
the camera, scene, ONVIF and RTSP modules decide what each one looks like on the wire.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Fault(StrEnum):
    """A fault a virtual camera can be given. Values are the names used on the command line."""

    OFFLINE = "offline"  # ONVIF and RTSP ports refuse connections
    REBOOT = "reboot"  # offline for ``seconds`` (default 5), then back with sessions dropped
    BLACK = "black"  # black picture (OSD still drawn, as real encoders do)
    FROZEN = "frozen"  # the same frame, time code included, repeated forever
    BLURRED = "blurred"  # heavy defocus
    COVERED = "covered"  # lens covered: almost uniform dark grey with sensor noise
    COLOUR_CAST = "colour-cast"  # strong tint, ``colour`` red/green/blue (default red)
    SNOW = "snow"  # random noise over the picture
    SIGNAL_LOSS = "signal-loss"  # RTSP sessions dropped and refused (503), ONVIF still answers
    WRONG_PASSWORD = "wrong-password"  # noqa: S105 - the camera's password changed: ONVIF and RTSP say 401
    CLOCK_SKEW = "clock-skew"  # camera clock off by ``seconds`` (may be negative)
    SLOW_SOAP = "slow-soap"  # every SOAP answer delayed by ``seconds`` (default 5)
    MALFORMED_SOAP = "malformed-soap"  # ``mode`` garbage | dtd | oversized
    RTSP_STALL = "rtsp-stall"  # RTSP answers, the connection stays open, no RTP is sent

    @classmethod
    def parse(cls, name: str | Fault) -> Fault:
        """Accept ``colour-cast``, ``colour_cast``, ``COLOUR_CAST`` and the like."""
        if isinstance(name, Fault):
            return name
        return cls(name.strip().lower().replace("_", "-"))


#: Picture faults, applied in this order when several are active.
PICTURE_FAULTS = (
    Fault.BLURRED,
    Fault.COLOUR_CAST,
    Fault.COVERED,
    Fault.SNOW,
    Fault.BLACK,
)

MALFORMED_MODES = ("garbage", "dtd", "oversized")
CAST_COLOURS = ("red", "green", "blue")


def normalise_args(fault: Fault, args: dict[str, Any]) -> dict[str, Any]:
    """Check and fill in a fault's arguments; raise ValueError on anything unknown."""
    allowed: dict[Fault, dict[str, Any]] = {
        Fault.REBOOT: {"seconds": 5.0},
        Fault.COLOUR_CAST: {"colour": "red"},
        Fault.CLOCK_SKEW: {"seconds": 3600.0},
        Fault.SLOW_SOAP: {"seconds": 5.0},
        Fault.MALFORMED_SOAP: {"mode": "garbage"},
    }
    defaults = allowed.get(fault, {})
    unknown = set(args) - set(defaults)
    if unknown:
        raise ValueError(f"fault {fault.value} takes no argument(s) {sorted(unknown)}")
    out = dict(defaults)
    for key, value in args.items():
        out[key] = float(value) if key == "seconds" else str(value)
    if fault is Fault.MALFORMED_SOAP and out["mode"] not in MALFORMED_MODES:
        raise ValueError(f"malformed-soap mode must be one of {MALFORMED_MODES}")
    if fault is Fault.COLOUR_CAST and out["colour"] not in CAST_COLOURS:
        raise ValueError(f"colour-cast colour must be one of {CAST_COLOURS}")
    if fault in (Fault.REBOOT, Fault.SLOW_SOAP) and out["seconds"] < 0:
        raise ValueError("seconds must not be negative")
    return out


@dataclass
class FaultState:
    """The faults currently active on one camera. Thread-safe: encoders read it off-loop."""

    _active: dict[Fault, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set(self, fault: Fault, args: dict[str, Any]) -> None:
        with self._lock:
            self._active[fault] = args

    def discard(self, fault: Fault | None = None) -> list[Fault]:
        """Remove one fault, or all when ``fault`` is None; return what was removed."""
        with self._lock:
            if fault is None:
                gone = list(self._active)
                self._active.clear()
                return gone
            return [fault] if self._active.pop(fault, None) is not None else []

    def get(self, fault: Fault) -> dict[str, Any] | None:
        with self._lock:
            return self._active.get(fault)

    def __contains__(self, fault: object) -> bool:
        with self._lock:
            return fault in self._active

    def snapshot(self) -> dict[Fault, dict[str, Any]]:
        with self._lock:
            return {k: dict(v) for k, v in self._active.items()}
