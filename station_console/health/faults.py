"""The fault desk: camera faults from detection (or an officer's report) to verified repair.

Rules the code keeps, whoever calls it:

* One open fault per camera and kind. A repeat adds an occurrence (and evidence) to the
  open fault instead of opening another, so a flapping camera is one ticket, not fifty.
* A fault the monitor sees recover is marked "recovered — awaiting verification"; it is
  never closed by the machine. Only an officer verifies (closes) it.
* Status only moves forward (open → owner notified → in repair → resolved → closed), as the
  sync merge rule does, and each step records who and when, in the synced state and in the
  local event history; every step is audited.
* Faults are shared records: every change goes to the outbox with its merge in the same
  transaction (``record_fault_change``), so the hub sees what the station sees.

Detections come from the health monitor as the system actor and need no signed-in officer;
everything an officer does is permission-checked here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from station_console.errors import DiskFull, NotFound, ValidationError
from station_console.health.model import (
    FAULT_KIND_LABELS,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    FaultKind,
    FaultStatus,
    Severity,
    severity_for,
)
from station_console.i18n import QT_TRANSLATE_NOOP, Message, Translate, identity_translate
from station_console.services.audit import AuditLog
from station_console.services.permissions import SYSTEM_ACTOR, Permission, Session
from station_console.settings import Settings
from station_console.storage.database import Database
from station_console.sync.local import record_fault_change
from station_console.sync.merge import status_rank
from station_console.sync.outbox import Outbox

log = logging.getLogger(__name__)

MAX_EVIDENCE = 6  # the first and the latest few pictures of a fault are kept
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_TEXT = 2000


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _utc(ts: float | None = None) -> datetime:
    return datetime.now(UTC) if ts is None else datetime.fromtimestamp(ts, UTC)


@dataclass(frozen=True)
class Evidence:
    """What the monitor saw: measurements and, for picture faults, the picture itself."""

    taken_at: float
    measurements: Mapping[str, Any] = field(default_factory=dict)
    jpeg: bytes | None = field(default=None, repr=False)
    detail: str = ""


@dataclass(frozen=True)
class FaultRecord:
    """A fault as the desk shows it, with its camera, site, owner and contact."""

    id: str
    camera_id: str
    camera_name: str
    site_name: str
    community: str
    owner_name: str
    owner_contact: str
    owner_phone: str
    kind: FaultKind
    source: str
    severity: Severity
    status: FaultStatus
    summary: str
    description: str
    opened_at: str
    opened_by: str
    due_at: str
    recovered_at: str | None
    closed_at: str | None
    occurrences: int
    last_occurrence_at: str
    evidence: list[dict[str, Any]]
    photo: str
    state: dict[str, Any]

    @property
    def recovered(self) -> bool:
        return bool(self.recovered_at) and self.status is not FaultStatus.CLOSED

    def overdue(self, now: datetime | None = None) -> bool:
        if self.status is FaultStatus.CLOSED or not self.due_at:
            return False
        return (now or datetime.now(UTC)).isoformat() > self.due_at

    def step(self, status: FaultStatus) -> tuple[str, str]:
        """(who, when) of a life-cycle step, empty when not reached."""
        return (
            str(self.state.get(f"{status.value}_by") or ""),
            str(self.state.get(f"{status.value}_at") or ""),
        )

    def status_text(self, translate: Translate = identity_translate) -> str:
        if self.recovered:
            from station_console.health.model import RECOVERED_LABEL

            return translate("faults", RECOVERED_LABEL)
        return translate("faults", STATUS_LABELS[self.status])


@dataclass(frozen=True)
class FaultEvent:
    seq: int
    fault_id: str
    ts: str
    actor: str
    action: str
    status: str
    note: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class FaultFilter:
    """What the fault list shows. Empty fields match everything."""

    open_only: bool = True
    kinds: tuple[FaultKind, ...] = ()
    statuses: tuple[FaultStatus, ...] = ()
    community: str = ""
    owner_id: str = ""
    camera_id: str = ""
    overdue_only: bool = False
    recovered_only: bool = False
    search: str = ""
    since: str = ""  # opened at or after (ISO)
    limit: int = 2000


@dataclass(frozen=True)
class Detection:
    """What ``report_detected`` did: opened a fault, added an occurrence, or nothing."""

    fault_id: str
    opened: bool
    repeated: bool


_SELECT = """
SELECT f.id, f.camera_id, f.status, f.summary, f.state, f.kind, f.source, f.severity,
       f.opened_at, f.due_at, f.recovered_at, f.closed_at, f.occurrences,
       c.name AS camera_name, s.name AS site_name, s.community AS community,
       o.name AS owner_name, o.contact_person AS owner_contact, o.phone AS owner_phone
FROM fault_tickets f
LEFT JOIN cameras c ON c.id = f.camera_id
LEFT JOIN sites s ON s.id = c.site_id
LEFT JOIN owner_units o ON o.id = c.owner_id
"""


def _state_values(text: str) -> dict[str, Any]:
    raw = json.loads(text) if text else {}
    return {k: v[0] for k, v in raw.items() if isinstance(v, list) and v}


def _record(r: sqlite3.Row) -> FaultRecord:
    st = _state_values(r["state"])
    try:
        kind = FaultKind(r["kind"])
    except ValueError:
        kind = FaultKind.OTHER
    try:
        severity = Severity(r["severity"])
    except ValueError:
        severity = Severity.MEDIUM
    evidence = st.get("evidence") or []
    return FaultRecord(
        id=r["id"],
        camera_id=r["camera_id"],
        camera_name=r["camera_name"] or r["camera_id"],
        site_name=r["site_name"] or "",
        community=r["community"] or "",
        owner_name=r["owner_name"] or "",
        owner_contact=r["owner_contact"] or "",
        owner_phone=r["owner_phone"] or "",
        kind=kind,
        source=str(r["source"] or "auto"),
        severity=severity,
        status=FaultStatus(r["status"]),
        summary=r["summary"] or "",
        description=str(st.get("description") or ""),
        opened_at=r["opened_at"] or "",
        opened_by=str(st.get("opened_by") or ""),
        due_at=r["due_at"] or "",
        recovered_at=r["recovered_at"],
        closed_at=r["closed_at"],
        occurrences=int(r["occurrences"] or 1),
        last_occurrence_at=str(st.get("last_occurrence_at") or r["opened_at"] or ""),
        evidence=list(evidence) if isinstance(evidence, list) else [],
        photo=str(st.get("photo") or ""),
        state=st,
    )


class FaultDesk:
    """Opens, follows and closes faults; reads them for the desk, the dashboard and CSV."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        session: Session,
        outbox: Outbox,
        settings: Settings,
        media: Path,
    ) -> None:
        self.db = db
        self.audit = audit
        self.session = session
        self.outbox = outbox
        self.settings = settings
        self.media = media
        self.listeners: list[Callable[[str], None]] = []

    # -- notification ----------------------------------------------------------------------

    def _changed(self, fault_ids: Iterable[str]) -> None:
        for fid in fault_ids:
            for listener in list(self.listeners):
                try:
                    listener(fid)
                except Exception:
                    log.exception("fault listener failed")

    # -- helpers ---------------------------------------------------------------------------

    def due_at(self, severity: Severity, opened: datetime) -> str:
        hours = int(self.settings.get(f"fault_due_hours_{severity.value}"))
        return _iso(opened + timedelta(hours=hours))

    def _save_picture(
        self, fault_id: str, jpeg: bytes, when: datetime, label: str
    ) -> dict[str, Any]:
        """Write an evidence picture (fsynced) under media/faults; returns its reference."""
        folder = self.media / "faults" / when.strftime("%Y-%m-%d")
        path = folder / f"{fault_id[:8]}-{label}-{when.strftime('%H%M%S')}.jpg"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            with open(tmp, "wb") as fh:
                fh.write(jpeg)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise DiskFull(
                "faults",
                "The fault picture could not be saved to {path}: {reason}.",
                path=str(folder),
                reason=exc.strerror or str(exc),
            ) from exc
        return {
            "file": str(path.relative_to(self.media)),
            "sha256": hashlib.sha256(jpeg).hexdigest(),
            "bytes": len(jpeg),
        }

    def picture_path(self, ref: str) -> Path:
        """The file of an evidence picture or photo reference (relative to the media folder)."""
        path = (self.media / ref).resolve()
        if self.media.resolve() not in path.parents:
            raise ValidationError("faults", "The picture reference {ref} is not valid.", ref=ref)
        return path

    @staticmethod
    def _event(
        conn: sqlite3.Connection,
        fault_id: str,
        when: str,
        actor: str,
        action: str,
        status: str,
        note: str = "",
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        conn.execute(
            "INSERT INTO fault_events(fault_id, ts, actor, action, status, note, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (fault_id, when, actor, action, status, note,
             json.dumps(dict(detail or {}), ensure_ascii=False, default=str)),
        )  # fmt: skip

    @staticmethod
    def _open_fault(
        conn: sqlite3.Connection, camera_id: str, kind: FaultKind
    ) -> sqlite3.Row | None:
        row: sqlite3.Row | None = conn.execute(
            "SELECT id, status, state FROM fault_tickets WHERE camera_id = ? AND kind = ? "
            "AND status <> 'closed' AND deleted = 0 ORDER BY opened_at LIMIT 1",
            (camera_id, kind.value),
        ).fetchone()
        return row

    @staticmethod
    def _camera(conn: sqlite3.Connection, camera_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            "SELECT c.id, c.name, s.kind AS site_kind FROM cameras c "
            "LEFT JOIN sites s ON s.id = c.site_id WHERE c.id = ?",
            (camera_id,),
        ).fetchone()
        if row is None:
            raise NotFound("faults", "The camera {id} is not registered.", id=camera_id)
        return row

    @staticmethod
    def _summary(kind: FaultKind, camera_name: str) -> str:
        return f"{camera_name}: {FAULT_KIND_LABELS[kind]}"

    # -- detections (the health monitor, as the system) -----------------------------------

    def report_detected(
        self, camera_id: str, kind: FaultKind, evidence: Evidence | None = None
    ) -> Detection:
        """The monitor confirmed ``kind`` on ``camera_id``: open a fault or add an occurrence."""
        when = _utc(evidence.taken_at if evidence else None)
        now = _iso(when)
        fault_id = ""
        with self.db.write() as conn:
            cam = self._camera(conn, camera_id)
            row = self._open_fault(conn, camera_id, kind)
            fault_id = row["id"] if row else str(uuid.uuid4())
            ref: dict[str, Any] = {"taken_at": now}
            if evidence is not None:
                ref["measurements"] = {
                    k: (round(v, 3) if isinstance(v, float) else v)
                    for k, v in evidence.measurements.items()
                }
                if evidence.detail:
                    ref["detail"] = evidence.detail
                if evidence.jpeg:
                    ref.update(self._save_picture(fault_id, evidence.jpeg, when, kind.value))
            if row is None:
                severity = severity_for(kind, cam["site_kind"] == "key_place")
                fields: dict[str, Any] = {
                    "camera_id": camera_id,
                    "kind": kind.value,
                    "source": "auto",
                    "severity": severity.value,
                    "status": FaultStatus.OPEN.value,
                    "summary": self._summary(kind, cam["name"]),
                    "description": "",
                    "opened_at": now,
                    "opened_by": SYSTEM_ACTOR,
                    "due_at": self.due_at(severity, when),
                    "occurrences": 1,
                    "last_occurrence_at": now,
                    "recovered_at": None,
                    "evidence": [ref],
                }
                record_fault_change(conn, self.outbox, fault_id, fields)
                self._event(conn, fault_id, now, SYSTEM_ACTOR, "opened", "open", "", ref)
                self.audit.append(
                    SYSTEM_ACTOR, "fault.open", f"fault:{fault_id}",
                    {"camera": camera_id, "kind": kind.value}, conn=conn,
                )  # fmt: skip
                result = Detection(fault_id, opened=True, repeated=False)
            else:
                st = _state_values(row["state"])
                if not st.get("recovered_at") and evidence is None:
                    return Detection(fault_id, opened=False, repeated=False)
                kept = list(st.get("evidence") or [])
                kept = (kept[:1] + kept[1:][-(MAX_EVIDENCE - 2) :] + [ref])[-MAX_EVIDENCE:]
                fields = {
                    "occurrences": int(st.get("occurrences") or 1) + 1,
                    "last_occurrence_at": now,
                    "recovered_at": None,
                    "evidence": kept,
                }
                record_fault_change(conn, self.outbox, fault_id, fields)
                self._event(conn, fault_id, now, SYSTEM_ACTOR, "occurrence", row["status"], "", ref)
                result = Detection(fault_id, opened=False, repeated=True)
        self._changed([fault_id])
        return result

    def report_recovered(
        self, camera_id: str, kinds: Sequence[FaultKind], when: float | None = None
    ) -> list[str]:
        """The monitor sees ``kinds`` gone on ``camera_id``: mark their faults recovered."""
        now = _iso(_utc(when))
        changed: list[str] = []
        if not kinds:
            return changed
        marks = ", ".join("?" for _ in kinds)
        with self.db.write() as conn:
            rows = conn.execute(
                f"SELECT id, status FROM fault_tickets WHERE camera_id = ? AND kind IN ({marks}) "
                "AND status <> 'closed' AND deleted = 0 AND recovered_at IS NULL",
                (camera_id, *[k.value for k in kinds]),
            ).fetchall()
            for r in rows:
                record_fault_change(conn, self.outbox, r["id"], {"recovered_at": now})
                self._event(conn, r["id"], now, SYSTEM_ACTOR, "recovered", r["status"])
                changed.append(r["id"])
        self._changed(changed)
        return changed

    def open_kinds(self, camera_id: str | None = None) -> dict[str, set[FaultKind]]:
        """camera id → kinds with an open (not closed) fault; the monitor starts from this."""
        sql = "SELECT camera_id, kind, recovered_at FROM fault_tickets WHERE status <> 'closed' AND deleted = 0"
        params: tuple[Any, ...] = ()
        if camera_id:
            sql += " AND camera_id = ?"
            params = (camera_id,)
        out: dict[str, set[FaultKind]] = {}
        for r in self.db.query(sql, params):
            if r["recovered_at"]:
                continue
            try:
                out.setdefault(r["camera_id"], set()).add(FaultKind(r["kind"]))
            except ValueError:
                continue
        return out

    # -- officers --------------------------------------------------------------------------

    def log_fault(
        self,
        camera_id: str,
        kind: FaultKind,
        description: str,
        *,
        photo: bytes | None = None,
        severity: Severity | None = None,
        source: str = "manual",
        conn: sqlite3.Connection | None = None,
    ) -> str:
        """An officer logs a fault (physical ones too). An open one of the same kind on the
        same camera gets this report as an occurrence instead of a second ticket."""
        who = self.session.require(Permission.LOG_FAULTS)
        description = description.strip()
        if len(description) > MAX_TEXT:
            raise ValidationError(
                "faults", "The description is too long (at most {n} characters).", n=MAX_TEXT
            )
        if kind in (FaultKind.OTHER,) and not description:
            raise ValidationError(
                "faults", "Describe the fault: the kind 'Other' needs a description."
            )
        if photo is not None and (
            len(photo) > MAX_PHOTO_BYTES or not photo.startswith(b"\xff\xd8")
        ):
            raise ValidationError("faults", "The photo must be a JPEG picture of at most 10 MB.")
        when = _utc()
        now = _iso(when)
        with self.db.write() as wconn:
            c = conn or wconn
            cam = self._camera(c, camera_id)
            row = self._open_fault(c, camera_id, kind)
            fault_id = row["id"] if row else str(uuid.uuid4())
            photo_ref = self._save_picture(fault_id, photo, when, "photo") if photo else None
            if row is None:
                sev = severity or severity_for(kind, cam["site_kind"] == "key_place")
                fields: dict[str, Any] = {
                    "camera_id": camera_id,
                    "kind": kind.value,
                    "source": source,
                    "severity": sev.value,
                    "status": FaultStatus.OPEN.value,
                    "summary": self._summary(kind, cam["name"]),
                    "description": description,
                    "opened_at": now,
                    "opened_by": who.username,
                    "due_at": self.due_at(sev, when),
                    "occurrences": 1,
                    "last_occurrence_at": now,
                    "recovered_at": None,
                    "evidence": [],
                    "photo": photo_ref["file"] if photo_ref else "",
                }
                record_fault_change(c, self.outbox, fault_id, fields)
                self._event(c, fault_id, now, who.username, "opened", "open", description,
                            {"source": source, **({"photo": photo_ref} if photo_ref else {})})  # fmt: skip
                self.audit.append(
                    who.username, "fault.log", f"fault:{fault_id}",
                    {"camera": camera_id, "kind": kind.value, "source": source}, conn=c,
                )  # fmt: skip
            else:
                st = _state_values(row["state"])
                fields = {
                    "occurrences": int(st.get("occurrences") or 1) + 1,
                    "last_occurrence_at": now,
                }
                if description:
                    old = str(st.get("description") or "")
                    fields["description"] = (old + "\n" if old else "") + description
                if photo_ref:
                    fields["photo"] = photo_ref["file"]
                record_fault_change(c, self.outbox, fault_id, fields)
                self._event(c, fault_id, now, who.username, "occurrence", row["status"], description,
                            {"source": source})  # fmt: skip
                self.audit.append(
                    who.username, "fault.report_again", f"fault:{fault_id}",
                    {"camera": camera_id, "kind": kind.value}, conn=c,
                )  # fmt: skip
        self._changed([fault_id])
        return fault_id

    _NEXT: ClassVar[dict[str, tuple[FaultStatus, tuple[FaultStatus, ...]]]] = {
        "notify_owner": (FaultStatus.OWNER_NOTIFIED, (FaultStatus.OPEN,)),
        "start_repair": (FaultStatus.IN_REPAIR, (FaultStatus.OPEN, FaultStatus.OWNER_NOTIFIED)),
        "resolve": (
            FaultStatus.RESOLVED,
            (FaultStatus.OPEN, FaultStatus.OWNER_NOTIFIED, FaultStatus.IN_REPAIR),
        ),
    }

    def _advance(self, fault_id: str, target: FaultStatus, allowed: tuple[FaultStatus, ...],
                 note: str, action: str, extra: Mapping[str, Any] | None = None) -> FaultRecord:  # fmt: skip
        who = self.session.require(Permission.MANAGE_FAULTS)
        note = note.strip()
        if len(note) > MAX_TEXT:
            raise ValidationError(
                "faults", "The note is too long (at most {n} characters).", n=MAX_TEXT
            )
        now = _iso(_utc())
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT status, recovered_at FROM fault_tickets WHERE id = ?", (fault_id,)
            ).fetchone()
            if row is None:
                raise NotFound("faults", "The fault {id} no longer exists.", id=fault_id)
            current = FaultStatus(row["status"])
            if current not in allowed:
                raise ValidationError(
                    "faults",
                    "This fault is '{status}'; it cannot be moved to '{target}'.",
                    status=Message("faults", STATUS_LABELS[current]),
                    target=Message("faults", STATUS_LABELS[target]),
                )
            assert status_rank(target.value) > status_rank(current.value)
            fields: dict[str, Any] = {
                "status": target.value,
                f"{target.value}_at": now,
                f"{target.value}_by": who.username,
                **(extra or {}),
            }
            if note:
                fields[f"{target.value}_note"] = note
            record_fault_change(conn, self.outbox, fault_id, fields)
            self._event(conn, fault_id, now, who.username, action, target.value, note)
            self.audit.append(
                who.username, f"fault.{action}", f"fault:{fault_id}",
                {"from": current.value, "to": target.value, **({"note": note} if note else {})},
                conn=conn,
            )  # fmt: skip
        self._changed([fault_id])
        return self.fault(fault_id)

    def notify_owner(self, fault_id: str, note: str = "") -> FaultRecord:
        target, allowed = self._NEXT["notify_owner"]
        return self._advance(fault_id, target, allowed, note, "owner_notified")

    def start_repair(self, fault_id: str, note: str = "") -> FaultRecord:
        target, allowed = self._NEXT["start_repair"]
        return self._advance(fault_id, target, allowed, note, "in_repair")

    def resolve(self, fault_id: str, note: str = "") -> FaultRecord:
        target, allowed = self._NEXT["resolve"]
        return self._advance(fault_id, target, allowed, note, "resolved")

    def verify(self, fault_id: str, note: str = "") -> FaultRecord:
        """Close a fault after checking the picture: it must be resolved or recovered."""
        current = self.fault(fault_id)
        if current.status is not FaultStatus.RESOLVED and not current.recovered:
            raise ValidationError(
                "faults",
                "Only a fault reported repaired or seen recovered can be verified; record the "
                "repair first.",
            )
        allowed = tuple(s for s in FaultStatus if s is not FaultStatus.CLOSED)
        return self._advance(fault_id, FaultStatus.CLOSED, allowed, note, "closed",
                             {"verified": True})  # fmt: skip

    def dismiss(self, fault_id: str, note: str) -> FaultRecord:
        """Close a fault that was not one (a false detection); the reason is required."""
        if not note.strip():
            raise ValidationError("faults", "Say why this is not a fault before closing it.")
        allowed = tuple(s for s in FaultStatus if s is not FaultStatus.CLOSED)
        return self._advance(fault_id, FaultStatus.CLOSED, allowed, note, "dismissed",
                             {"verified": False})  # fmt: skip

    def add_note(self, fault_id: str, note: str) -> None:
        who = self.session.require(Permission.LOG_FAULTS)
        note = note.strip()
        if not note:
            raise ValidationError("faults", "The note is empty.")
        now = _iso(_utc())
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT status FROM fault_tickets WHERE id = ?", (fault_id,)
            ).fetchone()
            if row is None:
                raise NotFound("faults", "The fault {id} no longer exists.", id=fault_id)
            self._event(conn, fault_id, now, who.username, "note", row["status"], note[:MAX_TEXT])
            self.audit.append(who.username, "fault.note", f"fault:{fault_id}", {}, conn=conn)
        self._changed([fault_id])

    # -- reading ---------------------------------------------------------------------------

    def fault(self, fault_id: str) -> FaultRecord:
        row = self.db.query_one(_SELECT + " WHERE f.id = ?", (fault_id,))
        if row is None:
            raise NotFound("faults", "The fault {id} no longer exists.", id=fault_id)
        return _record(row)

    def faults(self, flt: FaultFilter | None = None) -> list[FaultRecord]:
        self.session.require(Permission.VIEW_HEALTH)
        return self._query(flt or FaultFilter())

    def _query(self, flt: FaultFilter) -> list[FaultRecord]:
        """Open faults first, then (unless ``open_only``) closed ones, each newest first.

        Two reads, not one ``ORDER BY (status = 'closed'), opened_at``: each is read newest
        first from its own index (open faults are a few hundred, closed ones years of
        tickets) and stops at the limit, where one ordered read sorted every ticket.
        """
        where: list[str] = ["f.deleted = 0"]
        params: list[Any] = []
        if flt.kinds:
            where.append(f"f.kind IN ({', '.join('?' for _ in flt.kinds)})")
            params += [k.value for k in flt.kinds]
        if flt.statuses:
            where.append(f"f.status IN ({', '.join('?' for _ in flt.statuses)})")
            params += [s.value for s in flt.statuses]
        if flt.community:
            where.append("s.community = ?")
            params.append(flt.community)
        if flt.owner_id:
            where.append("c.owner_id = ?")
            params.append(flt.owner_id)
        if flt.camera_id:
            where.append("f.camera_id = ?")
            params.append(flt.camera_id)
        if flt.overdue_only:
            where.append("f.due_at < ?")
            params.append(datetime.now(UTC).isoformat())
        if flt.recovered_only:
            where.append("f.recovered_at IS NOT NULL")
        if flt.since:
            where.append("f.opened_at >= ?")
            params.append(flt.since)
        if flt.search.strip():
            # The cameras whose name, site or owner unit match: a small table, searched
            # first, so the tickets are found through their camera's index.
            like = f"%{flt.search.strip()}%"
            where.append(
                "f.camera_id IN (SELECT sc.id FROM cameras sc "
                "LEFT JOIN sites ss ON ss.id = sc.site_id "
                "LEFT JOIN owner_units so ON so.id = sc.owner_id "
                "WHERE sc.name LIKE ? OR ss.name LIKE ? OR so.name LIKE ?)"
            )
            params += [like] * 3
        limit = int(flt.limit)
        rows = self._read([*where, "f.status <> 'closed'"], params, limit)
        closed_wanted = not (flt.open_only or flt.overdue_only or flt.recovered_only) and (
            not flt.statuses or FaultStatus.CLOSED in flt.statuses
        )
        if closed_wanted and len(rows) < limit:
            rows += self._read([*where, "f.status = 'closed'"], params, limit - len(rows))
        return [_record(r) for r in rows]

    def _read(self, where: list[str], params: list[Any], limit: int) -> list[sqlite3.Row]:
        sql = _SELECT + " WHERE " + " AND ".join(where) + " ORDER BY f.opened_at DESC LIMIT ?"
        return self.db.query(sql, (*params, limit))

    def history(self, fault_id: str) -> list[FaultEvent]:
        self.session.require(Permission.VIEW_HEALTH)
        rows = self.db.query(
            "SELECT * FROM fault_events WHERE fault_id = ? ORDER BY seq", (fault_id,)
        )
        return [
            FaultEvent(
                r["seq"],
                r["fault_id"],
                r["ts"],
                r["actor"],
                r["action"],
                r["status"],
                r["note"],
                json.loads(r["detail"] or "{}"),
            )
            for r in rows
        ]

    def export_csv(
        self, path: Path, flt: FaultFilter | None = None, translate: Translate = identity_translate
    ) -> int:
        """Write the filtered list as UTF-8 CSV (with BOM, so spreadsheet programs read 中文)."""
        self.session.require(Permission.VIEW_HEALTH)
        rows = self._query(flt or FaultFilter())
        headers = [
            QT_TRANSLATE_NOOP("faults_csv", "Camera"),
            QT_TRANSLATE_NOOP("faults_csv", "Site"),
            QT_TRANSLATE_NOOP("faults_csv", "Community"),
            QT_TRANSLATE_NOOP("faults_csv", "Owner unit"),
            QT_TRANSLATE_NOOP("faults_csv", "Contact"),
            QT_TRANSLATE_NOOP("faults_csv", "Phone"),
            QT_TRANSLATE_NOOP("faults_csv", "Fault"),
            QT_TRANSLATE_NOOP("faults_csv", "Severity"),
            QT_TRANSLATE_NOOP("faults_csv", "Status"),
            QT_TRANSLATE_NOOP("faults_csv", "Source"),
            QT_TRANSLATE_NOOP("faults_csv", "Opened"),
            QT_TRANSLATE_NOOP("faults_csv", "Due"),
            QT_TRANSLATE_NOOP("faults_csv", "Occurrences"),
            QT_TRANSLATE_NOOP("faults_csv", "Recovered"),
            QT_TRANSLATE_NOOP("faults_csv", "Closed"),
            QT_TRANSLATE_NOOP("faults_csv", "Description"),
            QT_TRANSLATE_NOOP("faults_csv", "Fault id"),
        ]
        tmp = path.with_name(path.name + ".part")
        try:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow([translate("faults_csv", h) for h in headers])
                for f in rows:
                    w.writerow([
                        f.camera_name, f.site_name, f.community, f.owner_name, f.owner_contact,
                        f.owner_phone, translate("faults", FAULT_KIND_LABELS[f.kind]),
                        translate("faults", SEVERITY_LABELS[f.severity]), f.status_text(translate),
                        translate("faults", SOURCE_LABELS.get(f.source, f.source)), f.opened_at,
                        f.due_at, f.occurrences, f.recovered_at or "", f.closed_at or "",
                        f.description, f.id,
                    ])  # fmt: skip
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DiskFull(
                "faults",
                "The fault list could not be written to {path}: {reason}.",
                path=str(path),
                reason=exc.strerror or str(exc),
            ) from exc
        self.audit.append(self.session.actor, "fault.export", str(path), {"rows": len(rows)})
        return len(rows)

    # -- statistics for the dashboard -------------------------------------------------------

    def open_by_kind(self) -> dict[FaultKind, int]:
        self.session.require(Permission.VIEW_HEALTH)
        out: dict[FaultKind, int] = {}
        for r in self.db.query(
            "SELECT kind, count(*) AS n FROM fault_tickets WHERE status <> 'closed' "
            "AND deleted = 0 GROUP BY kind"
        ):
            try:
                out[FaultKind(r["kind"])] = int(r["n"])
            except ValueError:
                continue
        return out

    def open_by_owner(self) -> list[tuple[str, int, int]]:
        """(owner unit, open faults, of which overdue), most first."""
        self.session.require(Permission.VIEW_HEALTH)
        now = datetime.now(UTC).isoformat()
        rows = self.db.query(
            "SELECT coalesce(o.name, '') AS owner, count(*) AS n, "
            "sum(CASE WHEN f.due_at < ? THEN 1 ELSE 0 END) AS late "
            "FROM fault_tickets f LEFT JOIN cameras c ON c.id = f.camera_id "
            "LEFT JOIN owner_units o ON o.id = c.owner_id "
            "WHERE f.status <> 'closed' AND f.deleted = 0 GROUP BY o.name ORDER BY n DESC",
            (now,),
        )
        return [(r["owner"], int(r["n"]), int(r["late"] or 0)) for r in rows]

    def mean_time_to_repair_hours(self, since: str = "") -> tuple[float | None, int]:
        """Mean hours from opening to verified close over faults closed since ``since``."""
        self.session.require(Permission.VIEW_HEALTH)
        row = self.db.query_one(
            "SELECT avg((julianday(closed_at) - julianday(opened_at)) * 24.0) AS h, "
            "count(*) AS n FROM fault_tickets WHERE closed_at IS NOT NULL AND deleted = 0 "
            "AND closed_at >= ? AND coalesce(json_extract(state, '$.verified[0]'), 1) = 1",
            (since,),
        )
        if row is None or not row["n"]:
            return None, 0
        return float(row["h"]), int(row["n"])
