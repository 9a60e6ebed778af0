"""Incident domain types: categories, life cycle, outcomes, evidence, response times.

Plain dataclasses and enums that cross every layer (service, drivers, UI, CLI). Labels are
marked for translation here once; the UI shows them with ``QCoreApplication.translate`` and
the incident sheet renders them in Chinese through the ``.ts`` catalogue.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from station_console.i18n import QT_TRANSLATE_NOOP, Message


class Category(enum.StrEnum):
    SUSPICIOUS_PERSON = "suspicious_person"
    SUSPICIOUS_VEHICLE = "suspicious_vehicle"
    FIGHT = "fight"
    THEFT = "theft"
    TRAFFIC = "traffic"
    FIRE = "fire"
    CROWD = "crowd"
    OTHER = "other"


class Priority(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    CRITICAL = "critical"


class State(enum.StrEnum):
    """Where an incident is: captured locally, then the report-to-outcome loop."""

    CAPTURED = "captured"  # evidence taken, not yet reported to the command centre
    REPORTED = "reported"
    DISPATCHED = "dispatched"
    ON_SCENE = "on_scene"
    CLOSED = "closed"


class Outcome(enum.StrEnum):
    NONE = ""
    FALSE_ALARM = "false_alarm"
    HANDLED_ON_SCENE = "handled_on_scene"
    CLUE_PROVIDED = "clue_provided"
    CURRENT_CASE_SOLVED = "current_case_solved"
    BACKLOG_CASE_SOLVED = "backlog_case_solved"


class ReportStatus(enum.StrEnum):
    """The report's way to the command centre (derived from the outbox and the hub's answers)."""

    NOT_REPORTED = "not_reported"
    QUEUED = "queued"  # in the outbox, the hub has not confirmed it yet
    SENT = "sent"  # the hub committed every change of it
    ACKNOWLEDGED = "acknowledged"  # the command centre answered (an instruction linked to it)


class ClipState(enum.StrEnum):
    NONE = "none"
    PENDING = "pending"
    SAVED = "saved"
    FAILED = "failed"


CATEGORY_LABELS: dict[Category, str] = {
    Category.SUSPICIOUS_PERSON: QT_TRANSLATE_NOOP("incidents", "Suspicious person"),
    Category.SUSPICIOUS_VEHICLE: QT_TRANSLATE_NOOP("incidents", "Suspicious vehicle"),
    Category.FIGHT: QT_TRANSLATE_NOOP("incidents", "Fight"),
    Category.THEFT: QT_TRANSLATE_NOOP("incidents", "Theft"),
    Category.TRAFFIC: QT_TRANSLATE_NOOP("incidents", "Traffic"),
    Category.FIRE: QT_TRANSLATE_NOOP("incidents", "Fire"),
    Category.CROWD: QT_TRANSLATE_NOOP("incidents", "Crowd gathering"),
    Category.OTHER: QT_TRANSLATE_NOOP("incidents", "Other"),
}
PRIORITY_LABELS: dict[Priority, str] = {
    Priority.NORMAL: QT_TRANSLATE_NOOP("incidents", "Normal"),
    Priority.URGENT: QT_TRANSLATE_NOOP("incidents", "Urgent"),
    Priority.CRITICAL: QT_TRANSLATE_NOOP("incidents", "Critical"),
}
STATE_LABELS: dict[State, str] = {
    State.CAPTURED: QT_TRANSLATE_NOOP("incidents", "Captured, not reported"),
    State.REPORTED: QT_TRANSLATE_NOOP("incidents", "Reported"),
    State.DISPATCHED: QT_TRANSLATE_NOOP("incidents", "Dispatched"),
    State.ON_SCENE: QT_TRANSLATE_NOOP("incidents", "On scene"),
    State.CLOSED: QT_TRANSLATE_NOOP("incidents", "Closed"),
}
OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.NONE: QT_TRANSLATE_NOOP("incidents", "No outcome yet"),
    Outcome.FALSE_ALARM: QT_TRANSLATE_NOOP("incidents", "False alarm"),
    Outcome.HANDLED_ON_SCENE: QT_TRANSLATE_NOOP("incidents", "Handled on scene"),
    Outcome.CLUE_PROVIDED: QT_TRANSLATE_NOOP("incidents", "Video clue provided"),
    Outcome.CURRENT_CASE_SOLVED: QT_TRANSLATE_NOOP("incidents", "Current case solved"),
    Outcome.BACKLOG_CASE_SOLVED: QT_TRANSLATE_NOOP("incidents", "Backlog case solved"),
}
REPORT_LABELS: dict[ReportStatus, str] = {
    ReportStatus.NOT_REPORTED: QT_TRANSLATE_NOOP("incidents", "Not reported"),
    ReportStatus.QUEUED: QT_TRANSLATE_NOOP("incidents", "Queued for the command centre"),
    ReportStatus.SENT: QT_TRANSLATE_NOOP("incidents", "Sent to the command centre"),
    ReportStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("incidents", "Acknowledged by the command centre"),
}

#: Outcomes where video gave the case a clue (the station's "video clues obtained").
CLUE_OUTCOMES = frozenset(
    {Outcome.CLUE_PROVIDED, Outcome.CURRENT_CASE_SOLVED, Outcome.BACKLOG_CASE_SOLVED}
)
SOLVED_OUTCOMES = frozenset({Outcome.CURRENT_CASE_SOLVED, Outcome.BACKLOG_CASE_SOLVED})

# Response targets from seed 003, counted from the report: units dispatched within 1 minute,
# on scene within 3 minutes, the area sealed off (the incident handled) within 10 minutes.
RESPONSE_TARGETS: dict[State, timedelta] = {
    State.DISPATCHED: timedelta(minutes=1),
    State.ON_SCENE: timedelta(minutes=3),
    State.CLOSED: timedelta(minutes=10),
}
RESPONSE_STAGES = (State.DISPATCHED, State.ON_SCENE, State.CLOSED)


@dataclass(frozen=True)
class Missing:
    """One thing the capture could not get: ``what`` (snapshot/clip), a reason code, detail."""

    what: str
    reason: str
    detail: str = ""

    def message(self) -> Message:
        return missing_message(self)

    def to_json(self) -> dict[str, str]:
        return {"what": self.what, "reason": self.reason, "detail": self.detail}


_MISSING_TEXT = {
    ("snapshot", "offline"): QT_TRANSLATE_NOOP(
        "incidents", "No snapshot: the camera was not sending video at the moment of capture."
    ),
    ("snapshot", "no_picture"): QT_TRANSLATE_NOOP(
        "incidents", "No snapshot: no picture could be decoded from the stream."
    ),
    ("snapshot", "write_failed"): QT_TRANSLATE_NOOP(
        "incidents", "No snapshot: it could not be saved ({detail})."
    ),
    ("clip", "offline"): QT_TRANSLATE_NOOP(
        "incidents", "No clip: the camera was not sending video, so nothing was buffered."
    ),
    ("clip", "failed"): QT_TRANSLATE_NOOP(
        "incidents", "No clip: it could not be saved ({detail})."
    ),
    ("clip", "interrupted"): QT_TRANSLATE_NOOP(
        "incidents", "No clip: the console closed before the clip could be saved."
    ),
    ("camera", "no_camera"): QT_TRANSLATE_NOOP(
        "incidents", "No camera: the incident was recorded without video."
    ),
}


def missing_message(item: Missing) -> Message:
    text = _MISSING_TEXT.get((item.what, item.reason))
    if text is None:
        return Message(
            "incidents", "Missing {what}: {detail}", {"what": item.what, "detail": item.detail}
        )
    return Message("incidents", text, {"detail": item.detail})


@dataclass(frozen=True)
class MediaItem:
    """A snapshot or clip of an incident; ``path`` is absolute, ``sha256`` taken at capture."""

    id: int
    incident_id: str
    kind: str  # "snapshot" or "clip"
    camera_id: str
    path: str
    sha256: str
    bytes: int
    width: int = 0
    height: int = 0
    started_at: str | None = None
    ended_at: str | None = None
    asked_start: str | None = None
    asked_end: str | None = None
    frames: int = 0

    @property
    def seconds(self) -> float:
        if not self.started_at or not self.ended_at:
            return 0.0
        return (
            datetime.fromisoformat(self.ended_at) - datetime.fromisoformat(self.started_at)
        ).total_seconds()

    @property
    def asked_seconds(self) -> float:
        if not self.asked_start or not self.asked_end:
            return 0.0
        return (
            datetime.fromisoformat(self.asked_end) - datetime.fromisoformat(self.asked_start)
        ).total_seconds()

    def short_of_asked(self, tolerance_s: float = 2.0) -> bool:
        """True when the clip holds clearly less than asked (the buffer had less)."""
        return self.kind == "clip" and self.seconds + tolerance_s < self.asked_seconds


@dataclass(frozen=True)
class Incident:
    id: str
    number: str
    camera_id: str
    camera_name: str
    site_id: str
    site_name: str
    occurred_at: str
    officer: str
    officer_name: str
    category: Category
    priority: Priority
    note: str
    state: State
    reported_at: str | None
    dispatched_at: str | None
    on_scene_at: str | None
    closed_at: str | None
    hub_ack_at: str | None
    outcome: Outcome
    suspects_caught: int
    outcome_note: str
    bulletin_id: str
    clip_state: ClipState
    clip_due_at: str | None
    missing: tuple[Missing, ...]
    created_at: str
    updated_at: str
    report_status: ReportStatus = ReportStatus.NOT_REPORTED

    @property
    def title(self) -> str:
        """What the command centre's page lists (Chinese labels are added by the sheet/UI)."""
        return f"{self.number} {self.category.value} {self.camera_name}".strip()


@dataclass(frozen=True)
class StageTiming:
    """One response stage measured from the report: when reached, target, overdue."""

    stage: State
    at: str | None
    elapsed_s: float | None  # from the report to the stage (or to now while not reached)
    target_s: float
    overdue: bool
    reached: bool


@dataclass(frozen=True)
class Instruction:
    """An instruction from the command centre (hub-owned) and whether it was acknowledged."""

    id: str
    title: str
    body: str
    priority: str
    incident_id: str
    issued_by: str
    issued_at: str
    received_at: str
    acked_by: str | None
    acked_at: str | None


@dataclass(frozen=True)
class Photo:
    id: str
    name: str
    sha256: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Bulletin:
    """A bulletin or assistance request (协查通报) from the hub, with photo references."""

    id: str
    title: str
    body: str
    level: str
    issued_by: str
    issued_at: str
    photos: tuple[Photo, ...]
    sightings: int = 0


@dataclass(frozen=True)
class IncidentDetail:
    incident: Incident
    media: tuple[MediaItem, ...]
    linked: tuple[Incident, ...]
    instructions: tuple[Instruction, ...]
    timings: tuple[StageTiming, ...]


@dataclass(frozen=True)
class IncidentFilter:
    since: str | None = None  # ISO UTC, inclusive
    until: str | None = None  # ISO UTC, exclusive
    site_id: str | None = None
    category: Category | None = None
    state: State | None = None
    outcome: Outcome | None = None
    text: str = ""
    limit: int = 500


@dataclass(frozen=True)
class Stats:
    """What video patrol achieved in a period (seed 002's figures)."""

    label: str
    incidents: int = 0
    reported: int = 0
    video_clues: int = 0
    current_cases_solved: int = 0
    backlog_cases_solved: int = 0
    suspects_caught: int = 0
    false_alarms: int = 0
    overdue: int = 0

    @property
    def cases_solved(self) -> int:
        return self.current_cases_solved + self.backlog_cases_solved


@dataclass(frozen=True)
class ClipRecord:
    """What the clip writer really saved (times are wall-clock seconds)."""

    path: str
    sha256: str
    bytes: int
    start: float
    end: float
    asked_start: float
    asked_end: float
    frames: int
    camera_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)
