"""The incident service: capture, report, respond, record the outcome, link, count.

Rules that live here (and therefore hold for the UI, the CLI and tests alike):

* Permissions are checked here: capturing and reporting need ``REPORT_INCIDENTS``, reading
  needs ``VIEW_INCIDENTS``; refusals are audited by the session.
* A capture never fails because the camera is offline: the incident is created with what
  exists and ``missing`` says what it lacks and why. Media files are written (fsynced,
  atomically) before the record; if the record cannot be written the files are removed, so
  an incident is never half-written.
* Reporting puts the incident in the outbox in the same transaction; from then on every
  change (state, outcome, links, acknowledgements) is queued too. The report's status
  (queued → sent → acknowledged) is derived from the outbox, the sync cursor and the
  instructions the command centre sent back, so it survives restarts and dead links.
* The life cycle only moves forward: reported → dispatched → on scene → closed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from station_console.errors import DiskFull, NotFound, ValidationError
from station_console.incidents.model import (
    CLUE_OUTCOMES,
    RESPONSE_STAGES,
    RESPONSE_TARGETS,
    Bulletin,
    Category,
    ClipRecord,
    ClipState,
    Incident,
    IncidentDetail,
    IncidentFilter,
    Instruction,
    MediaItem,
    Missing,
    Outcome,
    Photo,
    Priority,
    ReportStatus,
    StageTiming,
    State,
    Stats,
)
from station_console.services.audit import AuditLog
from station_console.services.permissions import SYSTEM_ACTOR, Permission, Session
from station_console.services.wall import jpeg_with_comment
from station_console.storage.database import Database
from station_console.sync.outbox import Outbox

log = logging.getLogger(__name__)

MAX_NOTE = 2000
MAX_SUSPECTS = 999
#: A clip still "pending" this long after it was due was lost (the console was closed).
PENDING_GRACE = timedelta(minutes=2)
_STATE_ORDER = {s: i for i, s in enumerate(State)}

Listener = Callable[[str], None]


def _now() -> datetime:
    return datetime.now(UTC)


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


def from_epoch(seconds: float) -> str:
    return iso(datetime.fromtimestamp(seconds, UTC))


def _safe(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "_", text)[:40] or "camera"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a fsynced temporary file; nothing is left on failure."""
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _stage_timings(
    reported_at: str | None, at_of: dict[State, str | None], state: State, now: datetime
) -> tuple[StageTiming, ...]:
    """Each response stage against its target, counted from the report."""
    if reported_at is None:
        return ()
    reported = datetime.fromisoformat(reported_at)
    out: list[StageTiming] = []
    for stage in RESPONSE_STAGES:
        at = at_of[stage]
        target = RESPONSE_TARGETS[stage].total_seconds()
        reached = at is not None or _STATE_ORDER[state] >= _STATE_ORDER[stage]
        if at is not None:
            elapsed: float | None = (datetime.fromisoformat(at) - reported).total_seconds()
        elif reached:
            elapsed = None  # skipped (e.g. arrival marked without a dispatch time)
        else:
            elapsed = (now - reported).total_seconds()
        overdue = elapsed is not None and elapsed > target
        out.append(StageTiming(stage, at, elapsed, target, overdue, reached))
    return tuple(out)


class IncidentService:
    """Incidents of this station for the signed-in officer.

    ``listeners`` are called with an incident id after each committed change (any thread;
    the UI turns them into a signal and the sync controller into a sync soon).
    """

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        session: Session,
        outbox: Outbox,
        media: Path,
        *,
        camera_lookup: Callable[[str], tuple[str, str, str]] | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.db = db
        self.audit = audit
        self.session = session
        self.outbox = outbox
        self.media = media
        self.camera_lookup = camera_lookup
        self.clock = clock
        self.listeners: list[Listener] = []

    # -- helpers ------------------------------------------------------------------------------

    def _changed(self, incident_id: str) -> None:
        for listener in list(self.listeners):
            try:
                listener(incident_id)
            except Exception:
                log.exception("incident listener failed")

    def _after(self, incident_id: str) -> None:
        self.db.after_commit(lambda: self._changed(incident_id))

    def folder(self, incident_id: str, occurred_at: str) -> Path:
        """Where an incident's media files live (under the data directory)."""
        day = datetime.fromisoformat(occurred_at).astimezone().strftime("%Y-%m-%d")
        return self.media / "incidents" / day / incident_id

    def _row(self, conn: sqlite3.Connection | None, incident_id: str) -> sqlite3.Row:
        sql, params = "SELECT * FROM incidents WHERE id = ?", (incident_id,)
        row = conn.execute(sql, params).fetchone() if conn else self.db.query_one(sql, params)
        if row is None:
            raise NotFound("incidents", "There is no incident {id}.", id=incident_id)
        return row

    def _pushed_seq(self) -> int:
        value = self.db.scalar("SELECT value FROM sync_state WHERE key = 'pushed_seq'")
        try:
            return int(value or 0)
        except ValueError:
            return 0

    def _incident(self, r: sqlite3.Row, pushed: int | None = None) -> Incident:
        if pushed is None:
            pushed = self._pushed_seq()
        keys = r.keys()
        first_seq = r["first_seq"] if "first_seq" in keys else self._first_seq(r["id"])
        if r["reported_at"] is None:
            status = ReportStatus.NOT_REPORTED
        elif r["hub_ack_at"]:  # the command centre answered: it has the report
            status = ReportStatus.ACKNOWLEDGED
        elif first_seq is None or first_seq > pushed:
            status = ReportStatus.QUEUED
        else:
            status = ReportStatus.SENT
        missing = tuple(
            Missing(str(m.get("what", "")), str(m.get("reason", "")), str(m.get("detail", "")))
            for m in json.loads(r["missing"] or "[]")
            if isinstance(m, dict)
        )
        return Incident(
            id=r["id"],
            number=r["number"],
            camera_id=r["camera_id"],
            camera_name=r["camera_name"],
            site_id=r["site_id"],
            site_name=r["site_name"],
            occurred_at=r["occurred_at"],
            officer=r["officer"],
            officer_name=r["officer_name"],
            category=Category(r["category"]),
            priority=Priority(r["priority"]),
            note=r["note"],
            state=State(r["state"]),
            reported_at=r["reported_at"],
            dispatched_at=r["dispatched_at"],
            on_scene_at=r["on_scene_at"],
            closed_at=r["closed_at"],
            hub_ack_at=r["hub_ack_at"],
            outcome=Outcome(r["outcome"]),
            suspects_caught=int(r["suspects_caught"]),
            outcome_note=r["outcome_note"],
            bulletin_id=r["bulletin_id"],
            clip_state=ClipState(r["clip_state"]),
            clip_due_at=r["clip_due_at"],
            missing=missing,
            created_at=r["created_at"],
            updated_at=r["updated_at"],
            report_status=status,
        )

    def _first_seq(self, incident_id: str) -> int | None:
        value = self.db.scalar(
            "SELECT min(seq) FROM outbox WHERE entity = 'incident' AND entity_id = ?",
            (incident_id,),
        )
        return None if value is None else int(value)

    @staticmethod
    def _media(r: sqlite3.Row) -> MediaItem:
        return MediaItem(
            id=r["id"],
            incident_id=r["incident_id"],
            kind=r["kind"],
            camera_id=r["camera_id"],
            path=r["path"],
            sha256=r["sha256"],
            bytes=r["bytes"],
            width=r["width"],
            height=r["height"],
            started_at=r["started_at"],
            ended_at=r["ended_at"],
            asked_start=r["asked_start"],
            asked_end=r["asked_end"],
            frames=r["frames"],
        )

    def _queue(self, conn: sqlite3.Connection, incident_id: str) -> None:
        """Put the incident's current state in the outbox (only once it was reported)."""
        row = self._row(conn, incident_id)
        if row["reported_at"] is None:
            return
        fields = {k: row[k] for k in row.keys() if k != "missing"}  # noqa: SIM118 - Row
        fields["missing"] = json.loads(row["missing"] or "[]")
        fields["title"] = f"{row['number']} {row['camera_name'] or ''}".strip()
        fields["media"] = [
            {
                "kind": m["kind"],
                "camera_id": m["camera_id"],
                "file": Path(m["path"]).name,
                "sha256": m["sha256"],
                "bytes": m["bytes"],
                "started_at": m["started_at"],
                "ended_at": m["ended_at"],
            }
            for m in conn.execute(
                "SELECT * FROM incident_media WHERE incident_id = ? ORDER BY id", (incident_id,)
            )
        ]
        fields["links"] = sorted(
            r[0]
            for r in conn.execute(
                "SELECT b FROM incident_links WHERE a = ? UNION SELECT a FROM incident_links "
                "WHERE b = ?",
                (incident_id, incident_id),
            )
        )
        fields["instruction_acks"] = [
            {"instruction_id": r[0], "acked_by": r[1], "acked_at": r[2]}
            for r in conn.execute(
                "SELECT k.instruction_id, k.acked_by, k.acked_at FROM instruction_acks k "
                "JOIN hub_instructions h ON h.id = k.instruction_id WHERE h.incident_id = ? "
                "ORDER BY k.acked_at",
                (incident_id,),
            )
        ]
        fields.pop("officer", None)  # the officer's account name stays at the station
        self.outbox.record(conn, "incident", incident_id, fields)

    def _touch(self, conn: sqlite3.Connection, incident_id: str, **values: Any) -> None:
        values["updated_at"] = iso(self.clock())
        sets = ", ".join(f"{k} = ?" for k in values)
        conn.execute(f"UPDATE incidents SET {sets} WHERE id = ?", (*values.values(), incident_id))

    # -- capture -----------------------------------------------------------------------------

    def capture(
        self,
        camera_id: str | None,
        at: datetime,
        *,
        snapshot: bytes | None = None,
        width: int = 0,
        height: int = 0,
        missing: Sequence[Missing] = (),
        clip_due_at: datetime | None = None,
        bulletin_id: str = "",
        category: Category = Category.OTHER,
        priority: Priority = Priority.NORMAL,
        note: str = "",
    ) -> Incident:
        """Create an incident from a key press at ``at`` with whatever evidence exists.

        ``clip_due_at`` set means a clip is being recorded and will be attached later.
        """
        who = self.session.require(Permission.REPORT_INCIDENTS)
        self._check_text(note)
        camera_name, site_id, site_name = "", "", ""
        if camera_id:
            camera_name, site_id, site_name = self._describe_camera(camera_id)
        lacking = list(missing)
        if not camera_id:
            lacking.append(Missing("camera", "no_camera"))
        incident_id = str(uuid.uuid4())
        occurred = iso(at)
        folder = self.folder(incident_id, occurred)
        written: list[Path] = []
        snap_row: tuple[Any, ...] | None = None
        if snapshot:
            meta = {
                "incident": incident_id,
                "camera_id": camera_id or "",
                "camera": camera_name,
                "taken_at": occurred,
                "officer": who.username,
            }
            data = jpeg_with_comment(snapshot, json.dumps(meta, ensure_ascii=False))
            path = folder / f"snapshot-{_safe(camera_id or 'none')}.jpg"
            try:
                write_atomic(path, data)
            except OSError as exc:
                lacking.append(Missing("snapshot", "write_failed", exc.strerror or str(exc)))
            else:
                written.append(path)
                snap_row = (
                    "snapshot", camera_id or "", str(path), hashlib.sha256(data).hexdigest(),
                    len(data), width, height, occurred, occurred,
                )  # fmt: skip
        now = iso(self.clock())
        try:
            with self.db.write() as conn:
                number = self._next_number(conn, at)
                conn.execute(
                    "INSERT INTO incidents(id, number, camera_id, camera_name, site_id, "
                    "site_name, occurred_at, officer, officer_name, category, priority, note, "
                    "state, bulletin_id, clip_state, clip_due_at, missing, created_at, "
                    "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'captured',?,?,?,?,?,?)",
                    (
                        incident_id, number, camera_id or "", camera_name, site_id, site_name,
                        occurred, who.username, who.display_name, Category(category).value,
                        Priority(priority).value, note.strip(), bulletin_id,
                        ClipState.PENDING.value if clip_due_at else ClipState.NONE.value,
                        iso(clip_due_at) if clip_due_at else None,
                        json.dumps([m.to_json() for m in lacking], ensure_ascii=False), now, now,
                    ),
                )  # fmt: skip
                if snap_row is not None:
                    conn.execute(
                        "INSERT INTO incident_media(incident_id, kind, camera_id, path, sha256, "
                        "bytes, width, height, started_at, ended_at, created_at) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (incident_id, *snap_row, now),
                    )
                self.audit.append(
                    who.username,
                    "incident.capture",
                    f"incident:{incident_id}",
                    {
                        "number": number,
                        "camera": camera_id or "",
                        "snapshot": snap_row[3] if snap_row else None,
                        "clip_pending": bool(clip_due_at),
                        "missing": [m.to_json() for m in lacking],
                        "bulletin": bulletin_id or None,
                    },
                    conn=conn,
                )
                self._after(incident_id)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        return self.incident(incident_id)

    def _describe_camera(self, camera_id: str) -> tuple[str, str, str]:
        if self.camera_lookup is not None:
            try:
                return self.camera_lookup(camera_id)
            except NotFound:
                pass
        return camera_id, "", ""

    def _next_number(self, conn: sqlite3.Connection, at: datetime) -> str:
        prefix = at.astimezone().strftime("%Y%m%d")
        last = conn.execute(
            "SELECT max(CAST(substr(number, 10) AS INTEGER)) FROM incidents WHERE number LIKE ?",
            (prefix + "-%",),
        ).fetchone()[0]
        return f"{prefix}-{int(last or 0) + 1:03d}"

    def clip_path(self, incident_id: str) -> Path:
        """Where the pending clip of ``incident_id`` is to be written."""
        row = self._row(None, incident_id)
        return self.folder(incident_id, row["occurred_at"]) / (
            f"clip-{_safe(row['camera_id'] or 'none')}.mp4"
        )

    def attach_clip(self, incident_id: str, clip: ClipRecord) -> Incident:
        """Record the clip the recorder saved for a pending capture (any officer, or none)."""
        path = Path(clip.path)
        if self.media.resolve() not in path.resolve().parents:
            raise ValidationError("incidents", "The clip is not in the station's media folder.")
        actor = self.session.actor
        now = iso(self.clock())
        try:
            with self.db.write() as conn:
                row = self._row(conn, incident_id)
                if row["clip_state"] != ClipState.PENDING.value:
                    raise ValidationError(
                        "incidents", "Incident {number} is not waiting for a clip.",
                        number=row["number"],
                    )  # fmt: skip
                conn.execute(
                    "INSERT INTO incident_media(incident_id, kind, camera_id, path, sha256, "
                    "bytes, started_at, ended_at, asked_start, asked_end, frames, created_at) "
                    "VALUES (?, 'clip', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        incident_id, clip.camera_id or row["camera_id"], str(path), clip.sha256,
                        clip.bytes, from_epoch(clip.start), from_epoch(clip.end),
                        from_epoch(clip.asked_start), from_epoch(clip.asked_end), clip.frames, now,
                    ),
                )  # fmt: skip
                self._touch(conn, incident_id, clip_state=ClipState.SAVED.value)
                self.audit.append(
                    actor,
                    "incident.clip",
                    f"incident:{incident_id}",
                    {
                        "sha256": clip.sha256,
                        "file": path.name,
                        "seconds": round(clip.end - clip.start, 2),
                        "asked_seconds": round(clip.asked_end - clip.asked_start, 2),
                        "before_press_s": round(clip.asked_start - clip.start, 2),
                    },
                    conn=conn,
                )
                self._queue(conn, incident_id)
                self._after(incident_id)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return self.incident(incident_id)

    def clip_failed(self, incident_id: str, reason: str, detail: str = "") -> Incident:
        """The pending clip could not be saved: say so on the incident."""
        with self.db.write() as conn:
            row = self._row(conn, incident_id)
            if row["clip_state"] != ClipState.PENDING.value:
                return self._incident(row)
            lacking = json.loads(row["missing"] or "[]")
            lacking.append(Missing("clip", reason, detail).to_json())
            self._touch(
                conn,
                incident_id,
                clip_state=ClipState.FAILED.value,
                missing=json.dumps(lacking, ensure_ascii=False),
            )
            self.audit.append(
                self.session.actor,
                "incident.clip.failed",
                f"incident:{incident_id}",
                {"reason": reason, "detail": detail},
                conn=conn,
            )
            self._queue(conn, incident_id)
            self._after(incident_id)
        return self.incident(incident_id)

    def pending_clips(self) -> list[Incident]:
        rows = self.db.query("SELECT * FROM incidents WHERE clip_state = 'pending'")
        return [self._incident(r) for r in rows]

    def recover_pending(self) -> int:
        """Clips still pending long after they were due were lost with a closed console."""
        limit = iso(self.clock() - PENDING_GRACE)
        count = 0
        for r in self.db.query(
            "SELECT id FROM incidents WHERE clip_state = 'pending' AND clip_due_at < ?", (limit,)
        ):
            self.clip_failed(r["id"], "interrupted")
            count += 1
        return count

    # -- report and life cycle ----------------------------------------------------------------

    @staticmethod
    def _check_text(note: str, limit: int = MAX_NOTE) -> None:
        if len(note) > limit:
            raise ValidationError(
                "incidents", "The note is too long (at most {n} characters).", n=limit
            )

    def report(
        self,
        incident_id: str,
        category: Category,
        priority: Priority,
        note: str = "",
        *,
        bulletin_id: str | None = None,
    ) -> Incident:
        """Report to the command centre: the incident goes to the outbox (queued)."""
        who = self.session.require(Permission.REPORT_INCIDENTS)
        self._check_text(note)
        category, priority = Category(category), Priority(priority)
        with self.db.write() as conn:
            row = self._row(conn, incident_id)
            values: dict[str, Any] = {
                "category": category.value,
                "priority": priority.value,
                "note": note.strip(),
            }
            if bulletin_id is not None:
                values["bulletin_id"] = bulletin_id
            first = row["reported_at"] is None
            if first:
                values["reported_at"] = iso(self.clock())
                values["state"] = State.REPORTED.value
            self._touch(conn, incident_id, **values)
            self.audit.append(
                who.username,
                "incident.report" if first else "incident.edit",
                f"incident:{incident_id}",
                {"number": row["number"], "category": category.value, "priority": priority.value},
                conn=conn,
            )
            self._queue(conn, incident_id)
            self._after(incident_id)
        return self.incident(incident_id)

    def update_details(
        self, incident_id: str, category: Category, priority: Priority, note: str
    ) -> Incident:
        """Change category, priority or note without reporting (a captured incident)."""
        who = self.session.require(Permission.REPORT_INCIDENTS)
        self._check_text(note)
        with self.db.write() as conn:
            row = self._row(conn, incident_id)
            self._touch(
                conn,
                incident_id,
                category=Category(category).value,
                priority=Priority(priority).value,
                note=note.strip(),
            )
            self.audit.append(
                who.username, "incident.edit", f"incident:{incident_id}",
                {"number": row["number"]}, conn=conn,
            )  # fmt: skip
            self._queue(conn, incident_id)
            self._after(incident_id)
        return self.incident(incident_id)

    def advance(self, incident_id: str, stage: State, at: datetime | None = None) -> Incident:
        """Mark street units dispatched or on scene (only forward, only after the report)."""
        who = self.session.require(Permission.REPORT_INCIDENTS)
        stage = State(stage)
        if stage not in (State.DISPATCHED, State.ON_SCENE):
            raise ValidationError("incidents", "Only dispatch and arrival on scene can be marked.")
        when = iso(at or self.clock())
        with self.db.write() as conn:
            row = self._row(conn, incident_id)
            current = State(row["state"])
            if current is State.CAPTURED:
                raise ValidationError(
                    "incidents", "Report incident {number} to the command centre first.",
                    number=row["number"],
                )  # fmt: skip
            if _STATE_ORDER[current] >= _STATE_ORDER[stage]:
                raise ValidationError(
                    "incidents",
                    "Incident {number} is already past that step.",
                    number=row["number"],
                )
            if row["reported_at"] and when < row["reported_at"]:
                when = row["reported_at"]
            column = "dispatched_at" if stage is State.DISPATCHED else "on_scene_at"
            self._touch(conn, incident_id, state=stage.value, **{column: when})
            self.audit.append(
                who.username, f"incident.{stage.value}", f"incident:{incident_id}",
                {"number": row["number"], "at": when}, conn=conn,
            )  # fmt: skip
            self._queue(conn, incident_id)
            self._after(incident_id)
        return self.incident(incident_id)

    def record_outcome(
        self,
        incident_id: str,
        outcome: Outcome,
        suspects_caught: int = 0,
        note: str = "",
        *,
        close: bool = True,
    ) -> Incident:
        """Record what came of it (and close it); a closed incident's outcome may be corrected,
        e.g. when a backlog case is solved weeks later."""
        who = self.session.require(Permission.REPORT_INCIDENTS)
        outcome = Outcome(outcome)
        if outcome is Outcome.NONE:
            raise ValidationError("incidents", "Choose an outcome.", field="outcome")
        if isinstance(suspects_caught, bool) or not 0 <= int(suspects_caught) <= MAX_SUSPECTS:
            raise ValidationError(
                "incidents", "Suspects caught must be a number from 0 to {n}.", n=MAX_SUSPECTS
            )
        self._check_text(note)
        with self.db.write() as conn:
            row = self._row(conn, incident_id)
            values: dict[str, Any] = {
                "outcome": outcome.value,
                "suspects_caught": int(suspects_caught),
                "outcome_note": note.strip(),
            }
            if close and row["state"] != State.CLOSED.value:
                values["state"] = State.CLOSED.value
                values["closed_at"] = max(iso(self.clock()), row["reported_at"] or "")
            self._touch(conn, incident_id, **values)
            self.audit.append(
                who.username,
                "incident.outcome",
                f"incident:{incident_id}",
                {
                    "number": row["number"],
                    "outcome": outcome.value,
                    "suspects_caught": int(suspects_caught),
                    "closed": "state" in values,
                },
                conn=conn,
            )
            self._queue(conn, incident_id)
            self._after(incident_id)
        return self.incident(incident_id)

    # -- links -------------------------------------------------------------------------------

    def link(self, a: str, b: str) -> None:
        """Link two incidents (e.g. the same suspect seen on several cameras)."""
        who = self.session.require(Permission.REPORT_INCIDENTS)
        if a == b:
            raise ValidationError("incidents", "An incident cannot be linked to itself.")
        lo, hi = sorted((a, b))
        with self.db.write() as conn:
            ra, rb = self._row(conn, a), self._row(conn, b)
            conn.execute(
                "INSERT OR IGNORE INTO incident_links(a, b, created_by, created_at) "
                "VALUES (?, ?, ?, ?)",
                (lo, hi, who.username, iso(self.clock())),
            )
            self.audit.append(
                who.username, "incident.link", f"incident:{a}",
                {"with": b, "numbers": [ra["number"], rb["number"]]}, conn=conn,
            )  # fmt: skip
            for incident_id in (a, b):
                self._queue(conn, incident_id)
                self._after(incident_id)

    def unlink(self, a: str, b: str) -> None:
        who = self.session.require(Permission.REPORT_INCIDENTS)
        lo, hi = sorted((a, b))
        with self.db.write() as conn:
            cur = conn.execute("DELETE FROM incident_links WHERE a = ? AND b = ?", (lo, hi))
            if not cur.rowcount:
                return
            self.audit.append(
                who.username, "incident.unlink", f"incident:{a}", {"with": b}, conn=conn
            )
            for incident_id in (a, b):
                self._queue(conn, incident_id)
                self._after(incident_id)

    # -- reading -----------------------------------------------------------------------------

    def incident(self, incident_id: str) -> Incident:
        self.session.require(Permission.VIEW_INCIDENTS)
        return self._incident(self._row(None, incident_id))

    def detail(self, incident_id: str) -> IncidentDetail:
        self.session.require(Permission.VIEW_INCIDENTS)
        incident = self._incident(self._row(None, incident_id))
        media = tuple(
            self._media(r)
            for r in self.db.query(
                "SELECT * FROM incident_media WHERE incident_id = ? ORDER BY id", (incident_id,)
            )
        )
        pushed = self._pushed_seq()
        linked = tuple(
            self._incident(r, pushed)
            for r in self.db.query(
                "SELECT * FROM incidents WHERE id IN (SELECT b FROM incident_links WHERE a = ? "
                "UNION SELECT a FROM incident_links WHERE b = ?) ORDER BY occurred_at",
                (incident_id, incident_id),
            )
        )
        instructions = tuple(self._instructions("h.incident_id = ?", (incident_id,)))
        return IncidentDetail(incident, media, linked, instructions, self.timings(incident))

    def search(self, f: IncidentFilter | None = None) -> list[Incident]:
        self.session.require(Permission.VIEW_INCIDENTS)
        f = f or IncidentFilter()
        where: list[str] = []
        params: list[Any] = []
        if f.since:
            where.append("i.occurred_at >= ?")
            params.append(f.since)
        if f.until:
            where.append("i.occurred_at < ?")
            params.append(f.until)
        if f.site_id:
            where.append("i.site_id = ?")
            params.append(f.site_id)
        if f.category:
            where.append("i.category = ?")
            params.append(Category(f.category).value)
        if f.state:
            where.append("i.state = ?")
            params.append(State(f.state).value)
        if f.outcome is not None:
            where.append("i.outcome = ?")
            params.append(Outcome(f.outcome).value)
        if f.text:
            where.append(
                "(i.number LIKE ? OR i.camera_name LIKE ? OR i.site_name LIKE ? OR i.note LIKE ? "
                "OR i.outcome_note LIKE ?)"
            )
            params += [f"%{f.text}%"] * 5
        sql = (
            "SELECT i.*, (SELECT min(o.seq) FROM outbox o WHERE o.entity = 'incident' "
            "AND o.entity_id = i.id) AS first_seq FROM incidents i"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY i.occurred_at DESC LIMIT ?"
        params.append(max(1, min(int(f.limit), 5000)))
        pushed = self._pushed_seq()
        return [self._incident(r, pushed) for r in self.db.query(sql, tuple(params))]

    def media_of(self, incident_id: str) -> list[MediaItem]:
        self.session.require(Permission.VIEW_INCIDENTS)
        return [
            self._media(r)
            for r in self.db.query(
                "SELECT * FROM incident_media WHERE incident_id = ? ORDER BY id", (incident_id,)
            )
        ]

    def changes_waiting(self) -> int:
        """Incident changes in the outbox the hub has not confirmed (for the desk's banner)."""
        return int(
            self.db.scalar(
                "SELECT count(*) FROM outbox WHERE entity = 'incident' AND seq > ?",
                (self._pushed_seq(),),
            )
        )

    # -- response times ---------------------------------------------------------------------

    def timings(self, incident: Incident, now: datetime | None = None) -> tuple[StageTiming, ...]:
        """Each response stage against its target, counted from the report."""
        return _stage_timings(
            incident.reported_at,
            {
                State.DISPATCHED: incident.dispatched_at,
                State.ON_SCENE: incident.on_scene_at,
                State.CLOSED: incident.closed_at,
            },
            incident.state,
            now or self.clock(),
        )

    def overdue(self, incident: Incident, now: datetime | None = None) -> bool:
        return any(t.overdue and not t.reached for t in self.timings(incident, now))

    # -- statistics --------------------------------------------------------------------------

    def stats(self, since: datetime, until: datetime, period: str = "day") -> list[Stats]:
        """Per-period figures (day, week or month, local time) and a total row last.

        Counted from the columns the figures need, not from whole incidents: a year is
        thousands of incidents, and each whole one asked the outbox for its report status.
        """
        self.session.require(Permission.VIEW_INCIDENTS)
        if period not in ("day", "week", "month"):
            raise ValidationError("incidents", "Unknown period {p}.", p=period)
        rows = self.db.query(
            "SELECT occurred_at, reported_at, dispatched_at, on_scene_at, closed_at, state, "
            "outcome, suspects_caught FROM incidents WHERE occurred_at >= ? AND occurred_at < ? "
            "ORDER BY occurred_at",
            (iso(since), iso(until)),
        )
        now = self.clock()
        buckets: dict[str, list[int]] = {}
        total = [0] * 8
        for r in rows:
            local = datetime.fromisoformat(r["occurred_at"]).astimezone()
            if period == "day":
                label = local.strftime("%Y-%m-%d")
            elif period == "week":
                year, week, _ = local.isocalendar()
                label = f"{year}-W{week:02d}"
            else:
                label = local.strftime("%Y-%m")
            figures = self._figures(r, now)
            counts = buckets.setdefault(label, [0] * 8)
            for i, value in enumerate(figures):
                counts[i] += value
                total[i] += value
        result = [Stats(label, *counts) for label, counts in buckets.items()]
        result.append(Stats("total", *total))
        return result

    @staticmethod
    def _figures(r: sqlite3.Row, now: datetime) -> tuple[int, ...]:
        """One incident's share of :class:`Stats` (after its label), in field order."""
        outcome = Outcome(r["outcome"])
        timings = _stage_timings(
            r["reported_at"],
            {
                State.DISPATCHED: r["dispatched_at"],
                State.ON_SCENE: r["on_scene_at"],
                State.CLOSED: r["closed_at"],
            },
            State(r["state"]),
            now,
        )
        return (
            1,
            int(r["reported_at"] is not None),
            int(outcome in CLUE_OUTCOMES),
            int(outcome is Outcome.CURRENT_CASE_SOLVED),
            int(outcome is Outcome.BACKLOG_CASE_SOLVED),
            int(r["suspects_caught"]),
            int(outcome is Outcome.FALSE_ALARM),
            int(any(t.overdue for t in timings)),
        )

    # -- the command centre's answers ------------------------------------------------------

    def _instructions(self, where: str, params: tuple[Any, ...]) -> list[Instruction]:
        rows = self.db.query(
            "SELECT h.*, k.acked_by, k.acked_at FROM hub_instructions h LEFT JOIN "
            f"instruction_acks k ON k.instruction_id = h.id WHERE h.deleted = 0 AND {where} "
            "ORDER BY h.issued_at DESC, h.received_at DESC",
            params,
        )
        return [
            Instruction(
                r["id"], r["title"], r["body"], r["priority"], r["incident_id"], r["issued_by"],
                r["issued_at"], r["received_at"], r["acked_by"], r["acked_at"],
            )
            for r in rows
        ]  # fmt: skip

    def instructions(self, *, pending_only: bool = False) -> list[Instruction]:
        """Instructions from the command centre; ``pending_only``: not yet acknowledged."""
        self.session.require(Permission.VIEW_INCIDENTS)
        return self._instructions("k.instruction_id IS NULL" if pending_only else "1", ())

    def acknowledge_instruction(self, instruction_id: str) -> Instruction:
        """The officer confirms having read an instruction (audited, and sent up when it
        belongs to a reported incident)."""
        who = self.session.require(Permission.REPORT_INCIDENTS)
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT incident_id, title FROM hub_instructions WHERE id = ?", (instruction_id,)
            ).fetchone()
            if row is None:
                raise NotFound("incidents", "There is no instruction {id}.", id=instruction_id)
            cur = conn.execute(
                "INSERT OR IGNORE INTO instruction_acks(instruction_id, acked_by, acked_at) "
                "VALUES (?, ?, ?)",
                (instruction_id, who.username, iso(self.clock())),
            )
            if cur.rowcount:
                self.audit.append(
                    who.username, "instruction.ack", f"instruction:{instruction_id}",
                    {"title": row["title"], "incident": row["incident_id"] or None}, conn=conn,
                )  # fmt: skip
                exists = (
                    row["incident_id"]
                    and conn.execute(
                        "SELECT 1 FROM incidents WHERE id = ?", (row["incident_id"],)
                    ).fetchone()
                )
                if exists:
                    self._queue(conn, row["incident_id"])
                    self._after(row["incident_id"])
        return self._instructions("h.id = ?", (instruction_id,))[0]

    def apply_hub_answers(self) -> int:
        """Instructions linked to reported incidents acknowledge them and mark the dispatch.

        Runs after each sync (and at start); idempotent. Returns how many incidents changed.
        """
        rows = self.db.query(
            "SELECT i.id, i.state, i.reported_at, min(h.issued_at) AS issued, "
            "min(h.received_at) AS received FROM incidents i JOIN hub_instructions h "
            "ON h.incident_id = i.id AND h.deleted = 0 "
            "WHERE i.hub_ack_at IS NULL AND i.reported_at IS NOT NULL GROUP BY i.id"
        )
        for r in rows:
            when = r["received"]
            try:
                issued = iso(datetime.fromisoformat(str(r["issued"])))
                if r["reported_at"] <= issued <= when:
                    when = issued  # the hub's time is closer to the real dispatch
            except (TypeError, ValueError):
                pass
            with self.db.write() as conn:
                values: dict[str, Any] = {"hub_ack_at": r["received"]}
                if r["state"] == State.REPORTED.value:
                    values.update(state=State.DISPATCHED.value, dispatched_at=when)
                self._touch(conn, r["id"], **values)
                self.audit.append(
                    SYSTEM_ACTOR, "incident.acknowledged", f"incident:{r['id']}",
                    {"dispatched_at": values.get("dispatched_at")}, conn=conn,
                )  # fmt: skip
                self._queue(conn, r["id"])
                self._after(r["id"])
        return len(rows)

    # -- bulletins ---------------------------------------------------------------------------

    def bulletins(self) -> list[Bulletin]:
        self.session.require(Permission.VIEW_INCIDENTS)
        rows = self.db.query(
            "SELECT b.*, (SELECT count(*) FROM incidents i WHERE i.bulletin_id = b.id) AS n "
            "FROM hub_bulletins b WHERE b.deleted = 0 ORDER BY b.issued_at DESC"
        )
        out = []
        for r in rows:
            try:
                fields = json.loads(r["fields"] or "{}")
            except ValueError:
                fields = {}
            photos = []
            for p in fields.get("photos") or []:
                if isinstance(p, dict) and re.fullmatch(r"[0-9A-Za-z-]{1,64}", str(p.get("id"))):
                    photos.append(
                        Photo(
                            str(p["id"]), str(p.get("name", "")), str(p.get("sha256", "")),
                            str(p.get("type", "")), int(p.get("size", 0) or 0),
                        )
                    )  # fmt: skip
            out.append(
                Bulletin(
                    r["id"], r["title"], r["body"], r["level"], r["issued_by"], r["issued_at"],
                    tuple(photos), int(r["n"]),
                )
            )  # fmt: skip
        return out

    def photo_path(self, photo: Photo) -> Path:
        return self.media / "bulletins" / f"{photo.id}.img"

    def cached_photo(self, photo: Photo) -> Path | None:
        """The photo's local copy if it was fetched before and still matches its checksum."""
        path = self.photo_path(photo)
        if path.exists() and (not photo.sha256 or sha256_file(path) == photo.sha256):
            return path
        return None

    def store_photo(self, photo: Photo, data: bytes) -> Path:
        """Keep a fetched bulletin photo (checked against its checksum)."""
        if photo.sha256 and hashlib.sha256(data).hexdigest() != photo.sha256:
            raise ValidationError(
                "incidents", "The photo {name} does not match its checksum.", name=photo.name
            )
        path = self.photo_path(photo)
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise DiskFull(
                "incidents",
                "The photo could not be saved to {path}: {reason}.",
                path=str(path.parent),
                reason=exc.strerror or str(exc),
            ) from exc
        return path
