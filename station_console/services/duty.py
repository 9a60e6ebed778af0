"""Duty shifts: sign-in and sign-out, the handover, the shift log, spot and guard checks.

A shift belongs to one officer at the monitoring desk. Ending it writes the handover: a
free-text note plus the open items the next officer inherits — unresolved incidents, open
camera faults and running temporary watches — gathered at that moment, so the note can never
forget one. The duty leader's spot check records who was on duty, what the walls showed and
the patrol coverage at that moment, with remarks; it is audited like everything else.

An ended shift is what the district command centre reads of a station's duty: the handover
goes up to the hub as a ``duty_log`` record and each plan's coverage during the shift as a
``patrol_log`` record, queued in the same transaction that ends the shift.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from station_console.errors import ValidationError
from station_console.services.audit import AuditLog
from station_console.services.patrol import Coverage, PatrolService
from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database
from station_console.sync.outbox import Outbox


def _utc() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class OpenItem:
    """Something the next shift must follow up: kind (incident/fault/watch), id and text."""

    kind: str
    ref: str
    text: str


@dataclass(frozen=True)
class Shift:
    id: int
    username: str
    display_name: str
    started_at: str
    ended_at: str | None
    handover_note: str
    open_items: tuple[OpenItem, ...]


@dataclass(frozen=True)
class ShiftEvent:
    at: str
    kind: str
    text: str


@dataclass(frozen=True)
class SpotView:
    """What a duty leader sees on arrival: who is on duty, what is on screen, coverage."""

    on_duty: tuple[Shift, ...]
    showing: tuple[tuple[str, str, str], ...]  # (officer, camera id, since)
    coverage: tuple[tuple[str, Coverage], ...]  # (plan name, coverage this shift)


def _shift(r: sqlite3.Row) -> Shift:
    items = tuple(OpenItem(**i) for i in json.loads(r["open_items"]))
    return Shift(
        r["id"], r["username"], r["display_name"], r["started_at"], r["ended_at"],
        r["handover_note"], items,
    )  # fmt: skip


class DutyService:
    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        session: Session,
        patrol: PatrolService,
        local_now: Callable[[], datetime] = datetime.now,
        *,
        outbox: Outbox | None = None,
        station_key: str = "",
    ) -> None:
        """``outbox`` queues ended shifts for the hub (None: they stay local);
        ``station_key`` (the database's sync epoch) makes their hub ids unique in the
        district, since shift numbers restart at 1 in every station."""
        self.db = db
        self.audit = audit
        self.session = session
        self.patrol = patrol
        self.local_now = local_now
        self.outbox = outbox
        self.station_key = station_key

    # -- shifts --------------------------------------------------------------------------

    def current(self, username: str | None = None) -> Shift | None:
        name = username or self.session.actor
        row = self.db.query_one(
            "SELECT * FROM duty_shifts WHERE username = ? AND ended_at IS NULL "
            "ORDER BY id DESC LIMIT 1",
            (name,),
        )
        return _shift(row) if row else None

    def last_handover(self) -> Shift | None:
        """The most recent ended shift: its note and open items are what the desk inherits."""
        self.session.require(Permission.VIEW_CAMERAS)
        row = self.db.query_one(
            "SELECT * FROM duty_shifts WHERE ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT 1"
        )
        return _shift(row) if row else None

    def start(self) -> Shift:
        """Sign the officer in for duty (idempotent: an open shift is returned as it is)."""
        who = self.session.require(Permission.VIEW_CAMERAS)
        existing = self.current(who.username)
        if existing is not None:
            return existing
        previous = self.last_handover()
        with self.db.write() as conn:
            cur = conn.execute(
                "INSERT INTO duty_shifts(username, display_name, started_at, taken_over_from) "
                "VALUES (?, ?, ?, ?)",
                (who.username, who.display_name, _utc(), previous.id if previous else None),
            )
            shift_id = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO shift_events(shift_id, at, kind, text) VALUES (?, ?, 'start', '')",
                (shift_id, _utc()),
            )
            self.audit.append(who.username, "duty.shift.start", f"shift:{shift_id}", conn=conn)
        shift = self.current(who.username)
        assert shift is not None
        return shift

    def open_items(self) -> list[OpenItem]:
        """Unresolved incidents, open faults and running watches, gathered now."""
        items: list[OpenItem] = []
        tables = {r["name"] for r in self.db.query("SELECT name FROM sqlite_master")}
        if "incidents" in tables:
            cols = {r["name"] for r in self.db.query("PRAGMA table_info(incidents)")}
            state = "state" if "state" in cols else "status"
            what = "category" if "category" in cols else "id"
            for r in self.db.query(
                f"SELECT id, {what} AS what FROM incidents WHERE {state} NOT IN "
                "('closed', 'false_alarm', 'resolved') ORDER BY rowid DESC LIMIT 200"
            ):
                items.append(OpenItem("incident", str(r["id"]), str(r["what"])))
        # Open camera faults are the fault desk's tickets (the shared ``fault_tickets``).
        for r in self.db.query(
            "SELECT f.id, f.kind, coalesce(c.name, f.camera_id) AS cam FROM fault_tickets f "
            "LEFT JOIN cameras c ON c.id = f.camera_id WHERE f.status <> 'closed' "
            "AND f.deleted = 0 ORDER BY f.opened_at DESC LIMIT 200"
        ):
            items.append(OpenItem("fault", str(r["id"]), f"{r['cam']}: {r['kind']}"))
        for watch in self.patrol.watches(active_at=self.local_now()):
            items.append(
                OpenItem("watch", watch.id, f"{watch.title} ({watch.last_day.isoformat()})")
            )
        return items

    def end(self, note: str) -> Shift:
        """Sign out of duty with a handover note; open items are attached automatically."""
        who = self.session.require(Permission.VIEW_CAMERAS)
        shift = self.current(who.username)
        if shift is None:
            raise ValidationError("duty", "You are not signed in for duty.")
        if len(note) > 4000:
            raise ValidationError("duty", "The handover note is too long (4000 characters).")
        items = self.open_items()
        ended_at = _utc()
        coverage = (
            self.patrol.coverage_by_plan(
                datetime.fromisoformat(shift.started_at), datetime.fromisoformat(ended_at)
            )
            if self.outbox is not None  # read only for the hub's records
            else []
        )
        with self.db.write() as conn:
            conn.execute(
                "UPDATE duty_shifts SET ended_at = ?, handover_note = ?, open_items = ? "
                "WHERE id = ?",
                (ended_at, note.strip(), json.dumps([i.__dict__ for i in items]), shift.id),
            )
            if self.outbox is not None:
                self._queue_for_hub(conn, shift, ended_at, note.strip(), items, coverage)
            conn.execute(
                "INSERT INTO shift_events(shift_id, at, kind, text) VALUES (?, ?, 'end', ?)",
                (shift.id, _utc(), note.strip()[:200]),
            )
            self.audit.append(
                who.username,
                "duty.shift.end",
                f"shift:{shift.id}",
                {"open_items": len(items)},
                conn=conn,
            )
        ended = self.db.query_one("SELECT * FROM duty_shifts WHERE id = ?", (shift.id,))
        assert ended is not None
        return _shift(ended)

    def _queue_for_hub(
        self,
        conn: sqlite3.Connection,
        shift: Shift,
        ended_at: str,
        note: str,
        items: list[OpenItem],
        coverage: list[tuple[str, Coverage]],
    ) -> None:
        """The ended shift's ``duty_log`` and its plans' ``patrol_log`` records (no account
        names: the hub knows officers by the name they sign with)."""
        assert self.outbox is not None
        duty_id = f"{self.station_key}:shift:{shift.id}"
        open_by_kind: dict[str, int] = {}
        for item in items:
            open_by_kind[item.kind] = open_by_kind.get(item.kind, 0) + 1
        events = conn.execute(
            "SELECT count(*) FROM shift_events WHERE shift_id = ? AND kind NOT IN ('start', 'end')",
            (shift.id,),
        ).fetchone()[0]
        self.outbox.record(
            conn,
            "duty_log",
            duty_id,
            {
                "officer_name": shift.display_name,
                "started_at": shift.started_at,
                "ended_at": ended_at,
                "handover_note": note,
                "open_items": open_by_kind,
                "log_entries": int(events),
                "plans_covered": sum(c.covered for _, c in coverage),
                "plans_planned": sum(c.planned for _, c in coverage),
            },
        )
        for name, cov in coverage:
            if not cov.planned:
                continue
            self.outbox.record(
                conn,
                "patrol_log",
                f"{duty_id}:plan:{cov.plan_id}",
                {
                    "duty_log_id": duty_id,
                    "plan_id": cov.plan_id,
                    "plan_name": name,
                    "officer_name": shift.display_name,
                    "since": cov.since,
                    "until": cov.until,
                    "planned": cov.planned,
                    "covered": cov.covered,
                    "missed": cov.missed(),
                },
            )

    def log(self, kind: str, text: str) -> None:
        """A notable event in the officer's shift log (opens a shift if none is open)."""
        shift = self.current() or self.start()
        if not text.strip():
            raise ValidationError("duty", "Write what happened.")
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO shift_events(shift_id, at, kind, text) VALUES (?, ?, ?, ?)",
                (shift.id, _utc(), kind, text.strip()[:2000]),
            )

    def events(self, shift_id: int) -> list[ShiftEvent]:
        self.session.require(Permission.VIEW_CAMERAS)
        return [
            ShiftEvent(r["at"], r["kind"], r["text"])
            for r in self.db.query(
                "SELECT at, kind, text FROM shift_events WHERE shift_id = ? ORDER BY id",
                (shift_id,),
            )
        ]

    def shifts(self, limit: int = 50) -> list[Shift]:
        self.session.require(Permission.VIEW_CAMERAS)
        rows = self.db.query("SELECT * FROM duty_shifts ORDER BY id DESC LIMIT ?", (limit,))
        return [_shift(r) for r in rows]

    # -- spot checks and guard-post checks -------------------------------------------------

    def spot_view(self) -> SpotView:
        """Who is on duty, what each wall shows now, and each plan's coverage this shift."""
        self.session.require(Permission.SPOT_CHECK)
        on_duty = tuple(
            _shift(r)
            for r in self.db.query("SELECT * FROM duty_shifts WHERE ended_at IS NULL ORDER BY id")
        )
        showing = tuple(
            (r["username"], r["camera_id"], r["started_at"])
            for r in self.db.query(
                "SELECT username, camera_id, started_at FROM camera_views "
                "WHERE ended_at IS NULL ORDER BY username, id"
            )
        )
        since = min(
            (datetime.fromisoformat(s.started_at) for s in on_duty),
            default=datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0),
        )
        return SpotView(on_duty, showing, tuple(self.patrol.coverage_by_plan(since)))

    def record_spot_check(self, remarks: str) -> int:
        """The duty leader's spot check: the view as it is now, with remarks (audited)."""
        who = self.session.require(Permission.SPOT_CHECK)
        view = self.spot_view()
        summary: dict[str, Any] = {
            name: {"planned": c.planned, "covered": c.covered, "missed": c.missed()}
            for name, c in view.coverage
        }
        with self.db.write() as conn:
            cur = conn.execute(
                "INSERT INTO spot_checks(leader, at, on_duty, coverage, remarks) "
                "VALUES (?, ?, ?, ?, ?)",
                (who.username, _utc(), json.dumps([s.username for s in view.on_duty]),
                 json.dumps(summary, ensure_ascii=False), remarks.strip()),
            )  # fmt: skip
            check_id = int(cur.lastrowid or 0)
            self.audit.append(
                who.username,
                "duty.spot_check",
                f"spot:{check_id}",
                {"on_duty": [s.username for s in view.on_duty], "remarks": remarks.strip()},
                conn=conn,
            )
        return check_id

    def record_guard_check(
        self,
        camera_id: str,
        label: str,
        passed: bool,
        *,
        plan_id: str | None = None,
        remarks: str = "",
        snapshot_id: int | None = None,
    ) -> int:
        """A guard-post check at a tour step: pass/fail, remarks, the snapshot as proof."""
        who = self.session.require(Permission.VIEW_CAMERAS)
        shift = self.current(who.username)
        with self.db.write() as conn:
            cur = conn.execute(
                "INSERT INTO guard_checks(plan_id, camera_id, label, username, shift_id, at, "
                "passed, remarks, snapshot_id) VALUES (?,?,?,?,?,?,?,?,?)",
                (plan_id, camera_id, label, who.username, shift.id if shift else None, _utc(),
                 int(passed), remarks.strip(), snapshot_id),
            )  # fmt: skip
            check_id = int(cur.lastrowid or 0)
            self.audit.append(
                who.username,
                "duty.guard_check",
                f"camera:{camera_id}",
                {"label": label, "passed": passed, "snapshot": snapshot_id},
                conn=conn,
            )
        return check_id
