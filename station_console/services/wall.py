"""The video wall's records: named views, who viewed which camera when, and snapshots.

Viewing records are what the patrol log and spot checks are built from, so they are written
by the service (not the UI) and audited: every camera shown opens a row and an audit entry,
and closing it records how long it was on screen. A killed console leaves rows open; the next
start closes them at their last heartbeat, so a crash never credits an officer with hours of
patrol nobody did.

Snapshots are written to the media folder first (atomically, fsynced) and recorded in the
same transaction as their audit entry; if the record cannot be written the file is removed,
so a snapshot is either fully saved or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from station_console.errors import DiskFull, NotFound, ValidationError
from station_console.services.audit import AuditLog
from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database
from station_console.wall_layouts import WallLayout

MAX_VIEW_NAME = 40


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class WallView:
    """A named view: a layout and the camera shown in each of its tiles (None = empty)."""

    name: str
    layout: WallLayout
    cameras: tuple[str | None, ...]
    updated_at: str


@dataclass(frozen=True)
class Viewing:
    """One camera on screen for one stretch of time."""

    id: int
    camera_id: str
    username: str
    started_at: str
    ended_at: str | None
    seconds: float | None
    tiles_on_wall: int
    large: bool
    stream: str
    source: str
    plan_id: str | None


@dataclass(frozen=True)
class Snapshot:
    id: int
    camera_id: str
    username: str
    taken_at: str
    path: Path
    sha256: str
    bytes: int
    width: int
    height: int


def jpeg_with_comment(jpeg: bytes, comment: str) -> bytes:
    """Insert a JPEG COM segment right after SOI, so the file itself says what it shows."""
    if not jpeg.startswith(b"\xff\xd8"):
        raise ValidationError("wall", "The snapshot is not a JPEG picture.")
    body = comment.encode("utf-8")[:65000]
    segment = b"\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body
    return jpeg[:2] + segment + jpeg[2:]


def _safe(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "_", text)[:40] or "camera"


class WallService:
    """Named views, viewing records and snapshots for the signed-in officer."""

    def __init__(self, db: Database, audit: AuditLog, session: Session, media: Path) -> None:
        self.db = db
        self.audit = audit
        self.session = session
        self.media = media

    # -- named views -------------------------------------------------------------------

    def views(self) -> list[WallView]:
        who = self.session.require(Permission.VIEW_CAMERAS)
        rows = self.db.query(
            "SELECT name, layout, cameras, updated_at FROM wall_views WHERE user_id = ? "
            "ORDER BY name",
            (who.user_id,),
        )
        return [self._view(r) for r in rows]

    @staticmethod
    def _view(r: sqlite3.Row) -> WallView:
        cameras = json.loads(r["cameras"])
        return WallView(
            r["name"],
            WallLayout.from_json(json.loads(r["layout"])),
            tuple(str(c) if c else None for c in cameras),
            r["updated_at"],
        )

    def save_view(self, name: str, layout: WallLayout, cameras: Sequence[str | None]) -> WallView:
        """Save (or replace) the officer's view called ``name``."""
        who = self.session.require(Permission.VIEW_CAMERAS)
        name = name.strip()
        if not name or len(name) > MAX_VIEW_NAME:
            raise ValidationError(
                "wall", "A view needs a name of 1 to {n} characters.", n=MAX_VIEW_NAME
            )
        cells = list(cameras)[: layout.size]
        cells += [None] * (layout.size - len(cells))
        now = _iso(_now())
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO wall_views(user_id, name, layout, cameras, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id, name) DO UPDATE SET "
                "layout = excluded.layout, cameras = excluded.cameras, "
                "updated_at = excluded.updated_at",
                (who.user_id, name, json.dumps(layout.to_json()), json.dumps(cells), now),
            )
            self.audit.append(
                who.username, "wall.view.save", f"view:{name}", {"tiles": layout.size}, conn=conn
            )
        return WallView(name, layout, tuple(cells), now)

    def delete_view(self, name: str) -> None:
        who = self.session.require(Permission.VIEW_CAMERAS)
        with self.db.write() as conn:
            cur = conn.execute(
                "DELETE FROM wall_views WHERE user_id = ? AND name = ?", (who.user_id, name)
            )
            if not cur.rowcount:
                raise NotFound("wall", "There is no saved view called {name}.", name=name)
            self.audit.append(who.username, "wall.view.delete", f"view:{name}", conn=conn)

    # -- who viewed which camera ----------------------------------------------------------

    def open_viewing(
        self,
        camera_id: str,
        *,
        tiles_on_wall: int,
        large: bool,
        stream: str,
        source: str = "manual",
        plan_id: str | None = None,
    ) -> int:
        """Record that ``camera_id`` is now on screen; returns the viewing id to close later."""
        who = self.session.require(Permission.VIEW_CAMERAS)
        if stream not in ("main", "sub"):
            raise ValidationError("wall", "Unknown stream {stream}.", stream=stream)
        now = _iso(_now())
        with self.db.write() as conn:
            cur = conn.execute(
                "INSERT INTO camera_views(camera_id, username, started_at, heartbeat_at, "
                "tiles_on_wall, large, stream, source, plan_id, shift_id) "
                "VALUES (?,?,?,?,?,?,?,?,?, (SELECT max(id) FROM duty_shifts "
                "WHERE username = ? AND ended_at IS NULL))",
                (camera_id, who.username, now, now, tiles_on_wall, int(large), stream, source,
                 plan_id, who.username),
            )  # fmt: skip
            viewing_id = int(cur.lastrowid or 0)
            self.audit.append(
                who.username,
                "camera.view",
                f"camera:{camera_id}",
                {"viewing": viewing_id, "stream": stream, "tiles": tiles_on_wall,
                 "source": source},
                conn=conn,
            )  # fmt: skip
        return viewing_id

    def close_viewing(self, viewing_id: int) -> float:
        """Close a viewing; returns seconds on screen. Closing twice changes nothing."""
        now = _now()
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT camera_id, username, started_at, ended_at FROM camera_views WHERE id = ?",
                (viewing_id,),
            ).fetchone()
            if row is None:
                raise NotFound("wall", "The record {id} no longer exists.", id=viewing_id)
            if row["ended_at"] is not None:
                return float(
                    conn.execute(
                        "SELECT seconds FROM camera_views WHERE id = ?", (viewing_id,)
                    ).fetchone()[0]
                    or 0.0
                )
            seconds = max(0.0, (now - datetime.fromisoformat(row["started_at"])).total_seconds())
            conn.execute(
                "UPDATE camera_views SET ended_at = ?, heartbeat_at = ?, seconds = ? WHERE id = ?",
                (_iso(now), _iso(now), round(seconds, 3), viewing_id),
            )
            self.audit.append(
                row["username"],
                "camera.view.end",
                f"camera:{row['camera_id']}",
                {"viewing": viewing_id, "seconds": round(seconds, 1)},
                conn=conn,
            )
        return seconds

    def heartbeat(self, viewing_ids: Sequence[int]) -> None:
        """Mark open viewings as still on screen (the console calls this every few seconds)."""
        if not viewing_ids:
            return
        marks = ",".join("?" * len(viewing_ids))
        with self.db.write() as conn:
            conn.execute(
                f"UPDATE camera_views SET heartbeat_at = ? WHERE ended_at IS NULL "
                f"AND id IN ({marks})",
                (_iso(_now()), *viewing_ids),
            )

    def close_dangling(self) -> int:
        """Close viewings a killed console left open, at their last heartbeat."""
        with self.db.write() as conn:
            rows = conn.execute(
                "SELECT id, camera_id, username, started_at, heartbeat_at FROM camera_views "
                "WHERE ended_at IS NULL"
            ).fetchall()
            for r in rows:
                seconds = max(
                    0.0,
                    (
                        datetime.fromisoformat(r["heartbeat_at"])
                        - datetime.fromisoformat(r["started_at"])
                    ).total_seconds(),
                )
                conn.execute(
                    "UPDATE camera_views SET ended_at = heartbeat_at, seconds = ? WHERE id = ?",
                    (round(seconds, 3), r["id"]),
                )
                self.audit.append(
                    r["username"],
                    "camera.view.end",
                    f"camera:{r['camera_id']}",
                    {"viewing": r["id"], "seconds": round(seconds, 1), "recovered": True},
                    conn=conn,
                )
        return len(rows)

    def viewings(
        self, *, camera_id: str | None = None, since: str | None = None, limit: int = 1000
    ) -> list[Viewing]:
        self.session.require(Permission.VIEW_CAMERAS)
        where, params = [], []
        if camera_id:
            where.append("camera_id = ?")
            params.append(camera_id)
        if since:
            where.append("started_at >= ?")
            params.append(since)
        sql = "SELECT * FROM camera_views"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.db.query(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [
            Viewing(
                r["id"], r["camera_id"], r["username"], r["started_at"], r["ended_at"],
                r["seconds"], r["tiles_on_wall"], bool(r["large"]), r["stream"], r["source"],
                r["plan_id"],
            )
            for r in rows
        ]  # fmt: skip

    # -- snapshots -----------------------------------------------------------------------

    def record_snapshot(
        self,
        camera_id: str,
        camera_name: str,
        jpeg: bytes,
        *,
        width: int = 0,
        height: int = 0,
        taken_at: datetime | None = None,
    ) -> Snapshot:
        """Save a JPEG under media/snapshots with camera/time metadata, record and audit it."""
        who = self.session.require(Permission.VIEW_CAMERAS)
        when = taken_at or _now()
        meta: dict[str, Any] = {
            "camera_id": camera_id,
            "camera": camera_name,
            "taken_at": _iso(when),
            "officer": who.username,
        }
        data = jpeg_with_comment(jpeg, json.dumps(meta, ensure_ascii=False))
        folder = self.media / "snapshots" / when.strftime("%Y-%m-%d")
        stamp = when.strftime("%H%M%S-%f")[:-3]
        path = folder / f"{_safe(camera_id)}-{stamp}.jpg"
        digest = hashlib.sha256(data).hexdigest()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            path.with_suffix(".part").unlink(missing_ok=True)
            raise DiskFull(
                "wall",
                "The snapshot could not be saved to {path}: {reason}. Nothing was recorded.",
                path=str(folder),
                reason=exc.strerror or str(exc),
            ) from exc
        try:
            with self.db.write() as conn:
                cur = conn.execute(
                    "INSERT INTO snapshots(camera_id, username, taken_at, path, sha256, bytes, "
                    "width, height) VALUES (?,?,?,?,?,?,?,?)",
                    (camera_id, who.username, _iso(when), str(path), digest, len(data),
                     width, height),
                )  # fmt: skip
                snap_id = int(cur.lastrowid or 0)
                self.audit.append(
                    who.username,
                    "camera.snapshot",
                    f"camera:{camera_id}",
                    {"snapshot": snap_id, "sha256": digest, "file": path.name},
                    conn=conn,
                )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Snapshot(
            snap_id, camera_id, who.username, _iso(when), path, digest, len(data), width, height
        )

    def snapshots(self, camera_id: str | None = None, limit: int = 200) -> list[Snapshot]:
        self.session.require(Permission.VIEW_CAMERAS)
        sql, params = "SELECT * FROM snapshots", cast(tuple[str, ...], ())
        if camera_id:
            sql, params = sql + " WHERE camera_id = ?", (camera_id,)
        rows = self.db.query(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [
            Snapshot(
                r["id"], r["camera_id"], r["username"], r["taken_at"], Path(r["path"]),
                r["sha256"], r["bytes"], r["width"], r["height"],
            )
            for r in rows
        ]  # fmt: skip
