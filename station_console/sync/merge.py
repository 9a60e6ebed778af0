"""Merge rules for synced records, as pure functions both the station and the hub run.

A record's state maps each field to ``(value, hlc)``. Merging two states is a join:
commutative, associative and idempotent, so the order in which the station and the hub
see changes never matters. Per field the later HLC wins, except a fault ticket's status,
which only moves forward along :data:`FAULT_STATUS_ORDER`. Every value that loses is
returned so the caller can keep it in the record's history.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FAULT_STATUS_ORDER = ("open", "owner_notified", "in_repair", "resolved", "closed")
_RANK = {s: i for i, s in enumerate(FAULT_STATUS_ORDER)}

# The tombstone is an ordinary last-writer-wins field.
DELETED = "_deleted"


@dataclass(frozen=True)
class FieldValue:
    value: Any
    hlc: str


@dataclass(frozen=True)
class Loser:
    """A value that lost a merge; kept in history, never silently dropped."""

    field: str
    value: Any
    hlc: str


State = dict[str, FieldValue]


def status_rank(status: Any) -> int:
    return _RANK.get(status, -1) if isinstance(status, str) else -1


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _key(entity: str, name: str, fv: FieldValue) -> tuple[Any, ...]:
    if entity == "fault" and name == "status":
        return (status_rank(fv.value), fv.hlc, _canon(fv.value))
    return (fv.hlc, _canon(fv.value))


def change_to_state(fields: Mapping[str, Any], hlc: str, op: str = "upsert") -> State:
    """A change (its fields all stamped with one HLC) as a state."""
    state = {k: FieldValue(v, hlc) for k, v in fields.items() if k != DELETED}
    state[DELETED] = FieldValue(op == "delete", hlc)
    return state


def merge_states(
    entity: str, a: Mapping[str, FieldValue], b: Mapping[str, FieldValue]
) -> tuple[State, list[Loser]]:
    """Join two states of one record; returns the result and the losing values."""
    merged: State = {}
    losers: list[Loser] = []
    for name in sorted(set(a) | set(b)):
        x, y = a.get(name), b.get(name)
        if x is None or y is None:
            only = x if x is not None else y
            if only is not None:
                merged[name] = only
            continue
        win, lose = (x, y) if _key(entity, name, x) >= _key(entity, name, y) else (y, x)
        merged[name] = win
        if _canon(win.value) != _canon(lose.value):
            losers.append(Loser(name, lose.value, lose.hlc))
    return merged, losers


def values(state: Mapping[str, FieldValue]) -> dict[str, Any]:
    """The plain field values of a state, without the tombstone flag."""
    return {k: fv.value for k, fv in state.items() if k != DELETED}


def is_deleted(state: Mapping[str, FieldValue]) -> bool:
    fv = state.get(DELETED)
    return bool(fv and fv.value)


def latest_hlc(state: Mapping[str, FieldValue]) -> str:
    return max((fv.hlc for fv in state.values()), default="")


def state_to_json(state: Mapping[str, FieldValue]) -> str:
    return json.dumps(
        {k: [fv.value, fv.hlc] for k, fv in sorted(state.items())},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )


def state_from_json(text: str) -> State:
    raw = json.loads(text) if text else {}
    return {k: FieldValue(v[0], v[1]) for k, v in raw.items()}


STAMPS = "_stamps"


def state_from_fields(fields: Mapping[str, Any], hlc: str, op: str = "upsert") -> State:
    """A feed row as a state: per-field stamps when the hub sent them (shared records)."""
    stamps = fields.get(STAMPS)
    if not isinstance(stamps, dict):
        return change_to_state(fields, hlc, op)
    state = {k: FieldValue(v, str(stamps.get(k, hlc))) for k, v in fields.items() if k != STAMPS}
    state[DELETED] = FieldValue(op == "delete", str(stamps.get(DELETED, hlc)))
    return state
