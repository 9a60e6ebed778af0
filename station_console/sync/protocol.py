"""Wire types of the station <-> hub sync protocol, shared by both sides.

Plain dataclasses (no pydantic: the core stays dependency-free); the hub wraps them in
pydantic models for validation. ``from_dict`` raises :class:`ProtocolError` on anything
malformed so a bad hub answer becomes a named failure, never a crash.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Ownership decides conflicts: who may edit which entity.
STATION_OWNED = frozenset(
    {
        "site",
        "owner_unit",
        "camera",
        "other_device",
        "incident",
        "patrol_log",
        "duty_log",
        "health_rollup",
    }
)
HUB_OWNED = frozenset({"instruction", "bulletin", "district_camera"})
SHARED = frozenset({"fault"})
ALL_ENTITIES = STATION_OWNED | HUB_OWNED | SHARED
OPS = frozenset({"upsert", "delete"})

# The hub refuses stamps further than this ahead of its own clock.
MAX_FUTURE_MS = 5 * 60 * 1000


class ProtocolError(ValueError):
    """A message that does not follow the protocol."""


def _get(d: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(d, dict) or key not in d:
        raise ProtocolError(f"missing field {key!r}")
    value = d[key]
    if kind is int and isinstance(value, bool):
        raise ProtocolError(f"field {key!r} has the wrong type")
    if not isinstance(value, kind):
        raise ProtocolError(f"field {key!r} has the wrong type")
    return value


@dataclass(frozen=True)
class Change:
    """One outbox row as it travels to the hub."""

    seq: int
    op_id: str
    entity: str
    entity_id: str
    op: str
    fields: dict[str, Any]
    hlc: str

    @classmethod
    def from_dict(cls, d: Any) -> Change:
        return cls(
            seq=_get(d, "seq", int),
            op_id=_get(d, "op_id", str),
            entity=_get(d, "entity", str),
            entity_id=_get(d, "entity_id", str),
            op=_get(d, "op", str),
            fields=_get(d, "fields", dict),
            hlc=_get(d, "hlc", str),
        )


@dataclass(frozen=True)
class PushBatch:
    """Contiguous outbox rows of one station epoch.

    ``backlog`` is how many rows the station still holds after this batch (for the
    command centre's overview; it changes nothing in how the batch is applied).
    ``wall_ms`` is the station's wall clock when it sent the batch, so the hub can report a
    station whose clock is off in either direction (HLC stamps only show one running ahead).
    """

    station_id: str
    epoch: str
    changes: list[Change]
    backlog: int = 0
    wall_ms: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PushResult:
    """The hub's answer after commit: the highest seq it holds for this epoch."""

    acked_seq: int
    hub_hlc: str

    @classmethod
    def from_dict(cls, d: Any) -> PushResult:
        return cls(acked_seq=_get(d, "acked_seq", int), hub_hlc=_get(d, "hub_hlc", str))


@dataclass(frozen=True)
class HelloRequest:
    """Declares the station's epoch; ``base_seq`` is the last outbox seq before it began."""

    station_id: str
    epoch: str
    base_seq: int
    wall_ms: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class HelloResponse:
    station_id: str
    district_id: str
    epoch: str
    last_seq: int
    hub_hlc: str
    feeds: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: Any) -> HelloResponse:
        feeds = _get(d, "feeds", list)
        if not all(isinstance(f, str) for f in feeds):
            raise ProtocolError("field 'feeds' has the wrong type")
        return cls(
            station_id=_get(d, "station_id", str),
            district_id=_get(d, "district_id", str),
            epoch=_get(d, "epoch", str),
            last_seq=_get(d, "last_seq", int),
            hub_hlc=_get(d, "hub_hlc", str),
            feeds=list(feeds),
        )


@dataclass(frozen=True)
class FeedChange:
    """One row of a hub feed (``station:<id>`` or ``district:<id>``)."""

    seq: int
    entity: str
    entity_id: str
    op: str
    fields: dict[str, Any]
    hlc: str

    @classmethod
    def from_dict(cls, d: Any) -> FeedChange:
        return cls(
            seq=_get(d, "seq", int),
            entity=_get(d, "entity", str),
            entity_id=_get(d, "entity_id", str),
            op=_get(d, "op", str),
            fields=_get(d, "fields", dict),
            hlc=_get(d, "hlc", str),
        )


@dataclass(frozen=True)
class PullResponse:
    """A page of a feed. ``reset_required``: the cursor is unknown or expired; take a snapshot.

    A snapshot answer carries every live record of the feed and the cursor it is valid at.
    """

    feed: str
    cursor: int
    changes: list[FeedChange]
    reset_required: bool
    more: bool = False
    hub_hlc: str = ""

    @classmethod
    def from_dict(cls, d: Any) -> PullResponse:
        changes = [FeedChange.from_dict(c) for c in _get(d, "changes", list)]
        return cls(
            feed=_get(d, "feed", str),
            cursor=_get(d, "cursor", int),
            changes=changes,
            reset_required=_get(d, "reset_required", bool),
            more=_get(d, "more", bool),
            hub_hlc=_get(d, "hub_hlc", str),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def station_feed(station_id: str) -> str:
    return f"station:{station_id}"


def district_feed(district_id: str) -> str:
    return f"district:{district_id}"
