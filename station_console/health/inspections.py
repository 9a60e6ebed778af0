"""Inspection rounds: a community officer walks their community's cameras with a checklist.

A round lists every active camera of one community. Each item is passed or failed with
remarks and an optional photo; a failed item becomes a fault (source "inspection") in the
same transaction, deduplicated like any other report. A round is finished once every
camera has a result.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from station_console.errors import NotFound, ValidationError
from station_console.health.faults import FaultDesk
from station_console.health.model import FaultKind
from station_console.services.audit import AuditLog
from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class InspectionItem:
    round_id: str
    camera_id: str
    camera_name: str
    site_name: str
    result: str  # pending | pass | fail
    fault_kind: str
    remarks: str
    checked_at: str | None
    fault_id: str | None


@dataclass(frozen=True)
class InspectionRound:
    id: str
    community: str
    officer: str
    started_at: str
    finished_at: str | None
    items: list[InspectionItem]

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.result != "pending")

    @property
    def failed(self) -> int:
        return sum(1 for i in self.items if i.result == "fail")


class Inspections:
    def __init__(self, db: Database, audit: AuditLog, session: Session, faults: FaultDesk) -> None:
        self.db = db
        self.audit = audit
        self.session = session
        self.faults = faults

    def communities(self) -> list[str]:
        rows = self.db.query(
            "SELECT DISTINCT s.community FROM cameras c JOIN sites s ON s.id = c.site_id "
            "WHERE c.retired_at IS NULL AND s.community <> '' ORDER BY s.community"
        )
        return [r[0] for r in rows]

    def start(self, community: str) -> InspectionRound:
        who = self.session.require(Permission.INSPECT)
        round_id = str(uuid.uuid4())
        now = _now()
        with self.db.write() as conn:
            cams = conn.execute(
                "SELECT c.id FROM cameras c JOIN sites s ON s.id = c.site_id "
                "WHERE c.retired_at IS NULL AND s.community = ? ORDER BY s.name, c.name",
                (community,),
            ).fetchall()
            if not cams:
                raise ValidationError(
                    "inspections", "The community {name} has no cameras to inspect.", name=community
                )
            conn.execute(
                "INSERT INTO inspection_rounds(id, community, officer, started_at) "
                "VALUES (?, ?, ?, ?)",
                (round_id, community, who.username, now),
            )
            conn.executemany(
                "INSERT INTO inspection_items(round_id, camera_id) VALUES (?, ?)",
                [(round_id, c[0]) for c in cams],
            )
            self.audit.append(
                who.username, "inspection.start", f"inspection:{round_id}",
                {"community": community, "cameras": len(cams)}, conn=conn,
            )  # fmt: skip
        return self.round(round_id)

    def record(
        self,
        round_id: str,
        camera_id: str,
        passed: bool,
        *,
        kind: FaultKind | None = None,
        remarks: str = "",
        photo: bytes | None = None,
    ) -> InspectionItem:
        """Pass or fail one camera; a failure opens (or repeats) a fault of ``kind``."""
        who = self.session.require(Permission.INSPECT)
        remarks = remarks.strip()
        if not passed and kind is None:
            raise ValidationError("inspections", "Choose what is wrong with the camera.")
        now = _now()
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT i.result, r.finished_at FROM inspection_items i JOIN inspection_rounds r "
                "ON r.id = i.round_id WHERE i.round_id = ? AND i.camera_id = ?",
                (round_id, camera_id),
            ).fetchone()
            if row is None:
                raise NotFound("inspections", "This camera is not on the inspection round.")
            if row["finished_at"]:
                raise ValidationError("inspections", "This inspection round is already finished.")
            fault_id = None
            photo_ref = ""
            if not passed:
                assert kind is not None
                fault_id = self.faults.log_fault(
                    camera_id, kind, remarks, photo=photo, source="inspection", conn=conn
                )
                photo_ref = self.faults.fault(fault_id).photo if photo else ""
            conn.execute(
                "UPDATE inspection_items SET result = ?, fault_kind = ?, remarks = ?, photo = ?, "
                "checked_at = ?, fault_id = ? WHERE round_id = ? AND camera_id = ?",
                ("pass" if passed else "fail", kind.value if kind and not passed else "", remarks,
                 photo_ref, now, fault_id, round_id, camera_id),
            )  # fmt: skip
            pending = conn.execute(
                "SELECT count(*) FROM inspection_items WHERE round_id = ? AND result = 'pending'",
                (round_id,),
            ).fetchone()[0]
            if not pending:
                conn.execute(
                    "UPDATE inspection_rounds SET finished_at = ? WHERE id = ?", (now, round_id)
                )
            self.audit.append(
                who.username, "inspection.item", f"inspection:{round_id}",
                {"camera": camera_id, "passed": passed, "fault": fault_id}, conn=conn,
            )  # fmt: skip
        return next(i for i in self.round(round_id).items if i.camera_id == camera_id)

    def round(self, round_id: str) -> InspectionRound:
        self.session.require(Permission.VIEW_HEALTH)
        r = self.db.query_one("SELECT * FROM inspection_rounds WHERE id = ?", (round_id,))
        if r is None:
            raise NotFound("inspections", "The inspection round no longer exists.")
        items = [
            InspectionItem(
                i["round_id"],
                i["camera_id"],
                i["camera_name"] or i["camera_id"],
                i["site_name"] or "",
                i["result"],
                i["fault_kind"],
                i["remarks"],
                i["checked_at"],
                i["fault_id"],
            )
            for i in self.db.query(
                "SELECT i.*, c.name AS camera_name, s.name AS site_name FROM inspection_items i "
                "LEFT JOIN cameras c ON c.id = i.camera_id LEFT JOIN sites s ON s.id = c.site_id "
                "WHERE i.round_id = ? ORDER BY s.name, c.name",
                (round_id,),
            )
        ]
        return InspectionRound(
            r["id"], r["community"], r["officer"], r["started_at"], r["finished_at"], items
        )

    def rounds(self, limit: int = 50) -> list[InspectionRound]:
        self.session.require(Permission.VIEW_HEALTH)
        ids = [
            r[0]
            for r in self.db.query(
                "SELECT id FROM inspection_rounds ORDER BY started_at DESC LIMIT ?", (limit,)
            )
        ]
        return [self.round(i) for i in ids]
