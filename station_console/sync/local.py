"""Applying hub changes to the station's own tables, and recording local fault changes.

Everything here runs inside a write transaction the caller owns, so a change and the
cursor that covers it commit together.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from station_console.sync import merge
from station_console.sync.outbox import Outbox
from station_console.sync.protocol import FeedChange

# Hub-owned entity -> (table, typed columns copied out of ``fields``).
HUB_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "instruction": (
        "hub_instructions",
        ("title", "body", "priority", "incident_id", "issued_by", "issued_at"),
    ),
    "bulletin": ("hub_bulletins", ("title", "body", "level", "issued_by", "issued_at")),
    "district_camera": ("district_cameras", ("station_id", "name", "gb_id")),
}

# Station tables whose rows are their hub records, re-sent as they are on a full resync.
STATION_TABLES = {
    "site": "sites",
    "owner_unit": "owner_units",
    "camera": "cameras",
    "other_device": "other_devices",
}


# Entities whose hub record is shaped by their service (an incident goes up only once it is
# reported, without the officer's account name, with its media list, links and acks; a duty
# log and its patrol coverage are written when a shift ends, a day's health roll-up by the
# health store): a full resync sends the latest state that service queued, never a raw row.
SHAPED_BY_SERVICE = ("incident", "duty_log", "patrol_log", "health_rollup")


def _requeue_last_queued(conn: sqlite3.Connection, outbox: Outbox, entity: str) -> int:
    rows = conn.execute(
        "SELECT o.entity_id, o.op, o.fields FROM outbox o JOIN ("
        "  SELECT entity_id, max(seq) AS seq FROM outbox WHERE entity = ? GROUP BY entity_id"
        ") last ON last.seq = o.seq ORDER BY o.seq",
        (entity,),
    ).fetchall()
    for entity_id, op, fields in rows:
        outbox.record(conn, entity, str(entity_id), json.loads(fields), op=str(op))
    return len(rows)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def apply_change(conn: sqlite3.Connection, ch: FeedChange) -> None:
    """Apply one feed row; unknown entities are ignored (a newer hub may send more)."""
    if ch.entity == "fault":
        merge_fault(conn, ch.entity_id, merge.state_from_fields(ch.fields, ch.hlc, ch.op))
        return
    target = HUB_TABLES.get(ch.entity)
    if target is None:
        return
    table, cols = target
    row = conn.execute(f"SELECT hlc FROM {table} WHERE id = ?", (ch.entity_id,)).fetchone()
    if row is not None and row[0] > ch.hlc:
        return  # an older change of a hub-owned record: the hub is the only writer
    values: dict[str, Any] = {c: str(ch.fields.get(c, "") or "") for c in cols}
    if "priority" in values and not values["priority"]:
        values["priority"] = "normal"
    if "level" in values and not values["level"]:
        values["level"] = "info"
    values.update(
        id=ch.entity_id,
        fields=json.dumps(ch.fields, ensure_ascii=False, sort_keys=True),
        hlc=ch.hlc,
        deleted=1 if ch.op == "delete" else 0,
        received_at=_now(),
    )
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    updates = ", ".join(f"{k} = excluded.{k}" for k in values if k != "id")
    conn.execute(
        f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
        tuple(values.values()),
    )


def merge_fault(conn: sqlite3.Connection, fault_id: str, incoming: merge.State) -> None:
    """Join ``incoming`` into the local ticket; losing values go to its history."""
    row = conn.execute("SELECT state FROM fault_tickets WHERE id = ?", (fault_id,)).fetchone()
    current = merge.state_from_json(row[0]) if row else {}
    merged, losers = merge.merge_states("fault", current, incoming)
    now = _now()
    for lost in losers:
        conn.execute(
            "INSERT INTO fault_ticket_history(fault_id, field, value, hlc, recorded_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (fault_id, lost.field, json.dumps(lost.value, ensure_ascii=False), lost.hlc, now),
        )
    vals = merge.values(merged)
    status = vals.get("status")
    if merge.status_rank(status) < 0:
        status = "open"
    conn.execute(
        "INSERT INTO fault_tickets(id, camera_id, status, summary, state, hlc, deleted, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "camera_id = excluded.camera_id, status = excluded.status, summary = excluded.summary, "
        "state = excluded.state, hlc = excluded.hlc, deleted = excluded.deleted, "
        "updated_at = excluded.updated_at",
        (
            fault_id,
            str(vals.get("camera_id", "") or ""),
            status,
            str(vals.get("summary", "") or ""),
            merge.state_to_json(merged),
            merge.latest_hlc(merged),
            1 if merge.is_deleted(merged) else 0,
            now,
        ),
    )


def record_fault_change(
    conn: sqlite3.Connection, outbox: Outbox, fault_id: str, fields: dict[str, Any]
) -> None:
    """A station-side fault edit: queued for the hub and merged locally under one stamp."""
    stamp = outbox.record(conn, "fault", fault_id, fields)
    assert stamp is not None  # "fault" is always synced
    merge_fault(conn, fault_id, merge.change_to_state(fields, stamp.encode()))


def clear_feed_tables(conn: sqlite3.Connection, entities: Iterable[str], keep: set[str]) -> None:
    """Before a snapshot: drop hub-owned rows the hub no longer has."""
    for entity in entities:
        target = HUB_TABLES.get(entity)
        if target is None:
            continue
        table = target[0]
        for (row_id,) in conn.execute(f"SELECT id FROM {table}").fetchall():
            if f"{entity}:{row_id}" not in keep:
                conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))


def requeue_all(conn: sqlite3.Connection, outbox: Outbox) -> int:
    """Queue the current state of every synced station record (a full resync)."""
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    count = 0
    for entity, table in STATION_TABLES.items():
        if table not in existing:
            continue
        for row in conn.execute(f"SELECT * FROM {table}").fetchall():
            fields = dict(zip(row.keys(), tuple(row), strict=True))
            fields = {k: v for k, v in fields.items() if not isinstance(v, bytes)}
            outbox.record(conn, entity, str(fields["id"]), fields)
            count += 1
    for entity in SHAPED_BY_SERVICE:
        count += _requeue_last_queued(conn, outbox, entity)
    for row in conn.execute("SELECT id, state FROM fault_tickets").fetchall():
        state = merge.state_from_json(row[1])
        op = "delete" if merge.is_deleted(state) else "upsert"
        outbox.record(conn, "fault", str(row[0]), merge.values(state), op=op)
        count += 1
    return count
