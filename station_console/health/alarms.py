"""Alarms in the monitoring room: a camera going dark, grouped so a flood is one alarm.

When a site loses power, forty cameras go dark within seconds. The duty officer must see one
alarm "site X: 40 cameras down", not forty. So an alarm is keyed on (site, family): every
camera of the site that goes down while that alarm is active joins it. An acknowledged
alarm that gains a camera is raised again (someone must look at it anew); an alarm clears
when all its cameras are back, and stays on the list until acknowledged.

Families: ``down`` (offline, no video, stream stalled) and ``tamper`` (covered, black).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from station_console.errors import NotFound
from station_console.health.model import FaultKind
from station_console.services.audit import AuditLog
from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database

log = logging.getLogger(__name__)

FAMILY: dict[FaultKind, str] = {
    FaultKind.OFFLINE: "down",
    FaultKind.SIGNAL_LOSS: "down",
    FaultKind.STREAM_STALLED: "down",
    FaultKind.COVERED: "tamper",
    FaultKind.BLACK: "tamper",
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Alarm:
    id: int
    kind: str  # the family: "down" or "tamper"
    site_id: str | None
    site_name: str
    camera_ids: list[str]  # every camera that joined
    down_ids: list[str]  # those still down
    raised_at: str
    updated_at: str
    acknowledged_at: str | None
    acknowledged_by: str | None
    cleared_at: str | None

    @property
    def active(self) -> bool:
        return self.cleared_at is None

    @property
    def needs_attention(self) -> bool:
        return self.acknowledged_at is None


@dataclass(frozen=True)
class AlarmChange:
    alarm_id: int
    raised: bool  # new or raised again: the room must be told (sound)


class AlarmDesk:
    """Raises, groups, acknowledges and clears alarms."""

    def __init__(self, db: Database, audit: AuditLog, session: Session) -> None:
        self.db = db
        self.audit = audit
        self.session = session
        self.listeners: list[Callable[[AlarmChange], None]] = []

    def _notify(self, change: AlarmChange) -> None:
        for listener in list(self.listeners):
            try:
                listener(change)
            except Exception:
                log.exception("alarm listener failed")

    @staticmethod
    def _key(conn: sqlite3.Connection, camera_id: str, family: str) -> tuple[str, str | None]:
        row = conn.execute("SELECT site_id FROM cameras WHERE id = ?", (camera_id,)).fetchone()
        site_id = row["site_id"] if row else None
        return (f"site:{site_id}:{family}" if site_id else f"camera:{camera_id}:{family}"), site_id

    def camera_down(self, camera_id: str, kind: FaultKind) -> AlarmChange | None:
        """A camera went dark (or was covered): join the site's active alarm or raise one."""
        family = FAMILY.get(kind)
        if family is None:
            return None
        now = _now()
        with self.db.write() as conn:
            key, site_id = self._key(conn, camera_id, family)
            row = conn.execute(
                "SELECT * FROM alarms WHERE group_key = ? AND cleared_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                (key,),
            ).fetchone()
            if row is None:
                cur = conn.execute(
                    "INSERT INTO alarms(group_key, kind, site_id, camera_ids, down_ids, "
                    "raised_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (key, family, site_id, json.dumps([camera_id]), json.dumps([camera_id]),
                     now, now),
                )  # fmt: skip
                change = AlarmChange(int(cur.lastrowid or 0), raised=True)
            else:
                cams, down = json.loads(row["camera_ids"]), json.loads(row["down_ids"])
                if camera_id in down:
                    return None
                if camera_id not in cams:
                    cams.append(camera_id)
                down.append(camera_id)
                raised = row["acknowledged_at"] is not None
                conn.execute(
                    "UPDATE alarms SET camera_ids = ?, down_ids = ?, updated_at = ?, "
                    "acknowledged_at = NULL, acknowledged_by = NULL WHERE id = ?",
                    (json.dumps(cams), json.dumps(down), now, row["id"]),
                )
                change = AlarmChange(int(row["id"]), raised=raised)
        self._notify(change)
        return change

    def camera_up(self, camera_id: str, kind: FaultKind) -> AlarmChange | None:
        """The camera is back: leave the alarm's down list; clear it when nobody is left."""
        family = FAMILY.get(kind)
        if family is None:
            return None
        now = _now()
        with self.db.write() as conn:
            key, _ = self._key(conn, camera_id, family)
            row = conn.execute(
                "SELECT * FROM alarms WHERE group_key = ? AND cleared_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                (key,),
            ).fetchone()
            if row is None:
                return None
            down = [c for c in json.loads(row["down_ids"]) if c != camera_id]
            conn.execute(
                "UPDATE alarms SET down_ids = ?, updated_at = ?, cleared_at = ? WHERE id = ?",
                (json.dumps(down), now, None if down else now, row["id"]),
            )
        change = AlarmChange(int(row["id"]), raised=False)
        self._notify(change)
        return change

    def acknowledge(self, alarm_id: int) -> None:
        who = self.session.require(Permission.ACK_ALARMS)
        now = _now()
        with self.db.write() as conn:
            cur = conn.execute(
                "UPDATE alarms SET acknowledged_at = ?, acknowledged_by = ? "
                "WHERE id = ? AND acknowledged_at IS NULL",
                (now, who.username, alarm_id),
            )
            if (
                cur.rowcount == 0
                and not conn.execute("SELECT 1 FROM alarms WHERE id = ?", (alarm_id,)).fetchone()
            ):
                raise NotFound("alarms", "The alarm {id} no longer exists.", id=alarm_id)
            self.audit.append(who.username, "alarm.acknowledge", f"alarm:{alarm_id}", conn=conn)
        self._notify(AlarmChange(alarm_id, raised=False))

    def acknowledge_all(self) -> int:
        ids = [a.id for a in self.alarms() if a.needs_attention]
        for alarm_id in ids:
            self.acknowledge(alarm_id)
        return len(ids)

    def alarms(self, include_done: bool = False, limit: int = 200) -> list[Alarm]:
        """Active or unacknowledged alarms (everything recent with ``include_done``)."""
        sql = (
            "SELECT a.*, coalesce(s.name, '') AS site_name FROM alarms a "
            "LEFT JOIN sites s ON s.id = a.site_id"
        )
        if not include_done:
            sql += " WHERE a.cleared_at IS NULL OR a.acknowledged_at IS NULL"
        sql += " ORDER BY (a.acknowledged_at IS NOT NULL), a.updated_at DESC LIMIT ?"
        return [
            Alarm(
                id=int(r["id"]),
                kind=r["kind"],
                site_id=r["site_id"],
                site_name=r["site_name"],
                camera_ids=json.loads(r["camera_ids"]),
                down_ids=json.loads(r["down_ids"]),
                raised_at=r["raised_at"],
                updated_at=r["updated_at"],
                acknowledged_at=r["acknowledged_at"],
                acknowledged_by=r["acknowledged_by"],
                cleared_at=r["cleared_at"],
            )
            for r in self.db.query(sql, (limit,))
        ]
