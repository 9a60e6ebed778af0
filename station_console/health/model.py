"""Types of camera health: fault kinds, probe results, picture verdicts, and the interfaces
the drivers implement (probing cameras, diagnosing pictures, reading live streams).

The core decides what a result *means* (rules.py, faults.py); the drivers only measure.
Nothing here touches the network, OpenCV or Qt.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from station_console.i18n import QT_TRANSLATE_NOOP


class FaultKind(enum.StrEnum):
    # Found by the health monitor.
    OFFLINE = "offline"  # neither ONVIF nor RTSP answers
    SIGNAL_LOSS = "signal_loss"  # the camera answers but has no video (RTSP 5xx, blue screen)
    STREAM_STALLED = "stream_stalled"  # RTSP session open, no packets (seen on the wall)
    AUTH_FAILED = "auth_failed"  # the stored password no longer works
    CLOCK_DRIFT = "clock_drift"  # the camera's clock is off: timestamps in footage are wrong
    BLACK = "black"
    FROZEN = "frozen"
    BLURRED = "blurred"
    COVERED = "covered"
    COLOUR_CAST = "colour_cast"
    SNOW = "snow"
    # Logged by people (inspection rounds, reports).
    DIRTY_LENS = "dirty_lens"
    POLE_TILTED = "pole_tilted"
    CABLE_CUT = "cable_cut"
    POWER = "power"
    VANDALISM = "vandalism"
    OTHER = "other"


FAULT_KIND_LABELS: dict[FaultKind, str] = {
    FaultKind.OFFLINE: QT_TRANSLATE_NOOP("faults", "Offline"),
    FaultKind.SIGNAL_LOSS: QT_TRANSLATE_NOOP("faults", "Video signal lost"),
    FaultKind.STREAM_STALLED: QT_TRANSLATE_NOOP("faults", "Video stream stalled"),
    FaultKind.AUTH_FAILED: QT_TRANSLATE_NOOP("faults", "Password refused"),
    FaultKind.CLOCK_DRIFT: QT_TRANSLATE_NOOP("faults", "Clock wrong"),
    FaultKind.BLACK: QT_TRANSLATE_NOOP("faults", "Black picture"),
    FaultKind.FROZEN: QT_TRANSLATE_NOOP("faults", "Frozen picture"),
    FaultKind.BLURRED: QT_TRANSLATE_NOOP("faults", "Blurred / out of focus"),
    FaultKind.COVERED: QT_TRANSLATE_NOOP("faults", "Lens covered"),
    FaultKind.COLOUR_CAST: QT_TRANSLATE_NOOP("faults", "Colour cast"),
    FaultKind.SNOW: QT_TRANSLATE_NOOP("faults", "Snow / noise"),
    FaultKind.DIRTY_LENS: QT_TRANSLATE_NOOP("faults", "Dirty lens"),
    FaultKind.POLE_TILTED: QT_TRANSLATE_NOOP("faults", "Pole tilted"),
    FaultKind.CABLE_CUT: QT_TRANSLATE_NOOP("faults", "Cable cut"),
    FaultKind.POWER: QT_TRANSLATE_NOOP("faults", "Power failure"),
    FaultKind.VANDALISM: QT_TRANSLATE_NOOP("faults", "Vandalism"),
    FaultKind.OTHER: QT_TRANSLATE_NOOP("faults", "Other"),
}

#: What a picture can be diagnosed as (the VQD classes, besides normal).
PICTURE_KINDS = (
    FaultKind.BLACK,
    FaultKind.FROZEN,
    FaultKind.BLURRED,
    FaultKind.COVERED,
    FaultKind.COLOUR_CAST,
    FaultKind.SNOW,
    FaultKind.SIGNAL_LOSS,
)
#: Kinds an officer logs by hand (anything may be logged by hand; these only by hand).
PHYSICAL_KINDS = (
    FaultKind.DIRTY_LENS,
    FaultKind.POLE_TILTED,
    FaultKind.CABLE_CUT,
    FaultKind.POWER,
    FaultKind.VANDALISM,
    FaultKind.OTHER,
)
#: Kinds that mean "the camera shows nothing": they raise an alarm in the monitoring room.
ALARM_KINDS = frozenset(
    {FaultKind.OFFLINE, FaultKind.SIGNAL_LOSS, FaultKind.STREAM_STALLED, FaultKind.COVERED,
     FaultKind.BLACK}
)  # fmt: skip


class Severity(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_LABELS: dict[Severity, str] = {
    Severity.HIGH: QT_TRANSLATE_NOOP("faults", "High"),
    Severity.MEDIUM: QT_TRANSLATE_NOOP("faults", "Medium"),
    Severity.LOW: QT_TRANSLATE_NOOP("faults", "Low"),
}

_BASE_SEVERITY: dict[FaultKind, Severity] = {
    FaultKind.OFFLINE: Severity.HIGH,
    FaultKind.SIGNAL_LOSS: Severity.HIGH,
    FaultKind.COVERED: Severity.HIGH,
    FaultKind.BLACK: Severity.HIGH,
    FaultKind.CABLE_CUT: Severity.HIGH,
    FaultKind.POWER: Severity.HIGH,
    FaultKind.VANDALISM: Severity.HIGH,
    FaultKind.STREAM_STALLED: Severity.MEDIUM,
    FaultKind.FROZEN: Severity.MEDIUM,
    FaultKind.BLURRED: Severity.MEDIUM,
    FaultKind.SNOW: Severity.MEDIUM,
    FaultKind.AUTH_FAILED: Severity.MEDIUM,
    FaultKind.DIRTY_LENS: Severity.MEDIUM,
    FaultKind.POLE_TILTED: Severity.MEDIUM,
    FaultKind.COLOUR_CAST: Severity.LOW,
    FaultKind.CLOCK_DRIFT: Severity.LOW,
    FaultKind.OTHER: Severity.LOW,
}


def severity_for(kind: FaultKind, key_place: bool) -> Severity:
    """A key place's camera is one step more urgent than the same fault elsewhere."""
    base = _BASE_SEVERITY[kind]
    if key_place and base is Severity.MEDIUM:
        return Severity.HIGH
    if key_place and base is Severity.LOW:
        return Severity.MEDIUM
    return base


class FaultStatus(enum.StrEnum):
    """The synced status order (sync/merge.py): it only ever moves forward."""

    OPEN = "open"
    OWNER_NOTIFIED = "owner_notified"
    IN_REPAIR = "in_repair"
    RESOLVED = "resolved"
    CLOSED = "closed"


STATUS_LABELS: dict[FaultStatus, str] = {
    FaultStatus.OPEN: QT_TRANSLATE_NOOP("faults", "Open"),
    FaultStatus.OWNER_NOTIFIED: QT_TRANSLATE_NOOP("faults", "Owner notified"),
    FaultStatus.IN_REPAIR: QT_TRANSLATE_NOOP("faults", "In repair"),
    FaultStatus.RESOLVED: QT_TRANSLATE_NOOP("faults", "Resolved"),
    FaultStatus.CLOSED: QT_TRANSLATE_NOOP("faults", "Verified / closed"),
}
RECOVERED_LABEL = QT_TRANSLATE_NOOP("faults", "Recovered — awaiting verification")

SOURCE_LABELS: dict[str, str] = {
    "auto": QT_TRANSLATE_NOOP("faults", "Health monitor"),
    "manual": QT_TRANSLATE_NOOP("faults", "Logged by officer"),
    "inspection": QT_TRANSLATE_NOOP("faults", "Inspection round"),
}


class CameraState(enum.StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    DEGRADED = "degraded"  # video flows but something is wrong (picture, clock, password)
    OFFLINE = "offline"


CAMERA_STATE_LABELS: dict[CameraState, str] = {
    CameraState.UNKNOWN: QT_TRANSLATE_NOOP("health", "Not checked yet"),
    CameraState.ONLINE: QT_TRANSLATE_NOOP("health", "Online"),
    CameraState.DEGRADED: QT_TRANSLATE_NOOP("health", "Degraded"),
    CameraState.OFFLINE: QT_TRANSLATE_NOOP("health", "Offline"),
}


# -- what crosses the driver boundary --------------------------------------------------------


@dataclass(frozen=True)
class ProbeTarget:
    """One camera to check. ``password`` is decrypted only for the probe and never logged."""

    camera_id: str
    onvif_url: str
    rtsp_url: str
    username: str
    password: str = field(repr=False)
    snapshot_uri: str = ""


class ProbeError(enum.StrEnum):
    """How a probe failed, in the small set the rules act on."""

    UNREACHABLE = "unreachable"  # connection refused / reset / no route
    TIMEOUT = "timeout"
    AUTH = "auth"  # 401 with our credentials
    NO_VIDEO = "no_video"  # the camera answers but refuses video (5xx, no SDP)
    NOT_FOUND = "not_found"  # 404 for the stored stream path
    BAD_REPLY = "bad_reply"  # not RTSP/SOAP, unreadable


@dataclass(frozen=True)
class ProbeResult:
    """What one check of one camera found (no decoding involved)."""

    camera_id: str
    checked_at: float  # time.time()
    onvif_ok: bool
    rtsp_ok: bool
    onvif_error: ProbeError | None = None
    rtsp_error: ProbeError | None = None
    clock_offset_s: float | None = None
    rtt_ms: float | None = None
    detail: str = ""  # short technical text, credentials masked
    snapshot_uri: str = ""  # learnt from ONVIF when the target had none


@dataclass(frozen=True)
class Picture:
    """A picture to diagnose: JPEG bytes (snapshot) or an encoded key frame (gateway)."""

    camera_id: str
    taken_at: float
    data: bytes = field(repr=False)
    format: str = "jpeg"  # "jpeg" | "h264"
    source: str = "snapshot"  # "snapshot" | "wall"


@dataclass(frozen=True)
class Diagnosis:
    """A picture's verdict. ``kind`` None means normal. ``baseline`` is the camera's updated
    baseline (opaque to the core, stored as JSON); ``measurements`` go into the evidence."""

    kind: FaultKind | None
    measurements: Mapping[str, float]
    baseline: Mapping[str, Any]
    signature: bytes = b""  # a tiny thumbnail to compare the next picture with (frozen)


class Prober(Protocol):
    """Checks cameras without decoding video (drivers/health_probe.py; a fake in tests)."""

    def check(self, targets: Sequence[ProbeTarget], timeout: float) -> list[ProbeResult]: ...

    def snapshot(self, target: ProbeTarget, timeout: float) -> bytes: ...

    def close(self) -> None: ...


class Diagnoser(Protocol):
    """Video quality diagnosis of one picture (drivers/vqd.py)."""

    def diagnose(
        self,
        picture: Picture,
        baseline: Mapping[str, Any],
        previous: bytes | None,
    ) -> Diagnosis: ...


class LiveStreams(Protocol):
    """The wall's live streams as the monitor sees them (the stream gateway)."""

    def live_cameras(self) -> dict[str, str]:
        """Cameras on the wall: camera id → "" when its stream is live, else the gateway's
        problem code ("stalled", "unreachable", "auth_failed", ...)."""
        ...

    def keyframe(self, camera_id: str) -> Picture | None: ...
