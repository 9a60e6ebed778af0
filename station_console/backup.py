"""Online backups (SQLite backup API) and restore.

A restore never deletes the database it replaces: the old file is renamed aside with a time
stamp, so a mistaken restore can itself be undone.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from station_console.errors import ConsoleError, DatabaseCorrupt
from station_console.storage.database import SQLITE_HEADER, Database

log = logging.getLogger(__name__)

BACKUP_SUFFIX = ".sqlite3"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound SQLite database."""
    if not path.is_file():
        raise ConsoleError("backup", "The backup {path} does not exist.", path=str(path))
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise DatabaseCorrupt("backup", "The backup {path} is not a database.", path=str(path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt("backup", "The backup {path} is damaged.", path=str(path)) from exc
    finally:
        conn.close()
    if result != "ok":
        raise DatabaseCorrupt("backup", "The backup {path} is damaged.", path=str(path))


def backup(db: Database, target: Path) -> Path:
    if target.is_dir():
        target = target / f"station-{_stamp()}{BACKUP_SUFFIX}"
    db.backup_to(target)
    log.info("backup written to %s", target)
    return target


def rotate(db: Database, backups_dir: Path, keep: int) -> Path:
    """The daily automatic backup: write a new one, keep the newest ``keep``."""
    path = backup(db, backups_dir / f"station-{_stamp()}{BACKUP_SUFFIX}")
    old = sorted(backups_dir.glob(f"station-*{BACKUP_SUFFIX}"))
    for stale in old[:-keep]:
        stale.unlink(missing_ok=True)
    return path


def latest_backup(backups_dir: Path) -> Path | None:
    found = sorted(backups_dir.glob(f"station-*{BACKUP_SUFFIX}"))
    return found[-1] if found else None


def backup_age_hours(backups_dir: Path) -> float | None:
    latest = latest_backup(backups_dir)
    if latest is None:
        return None
    return (datetime.now(UTC).timestamp() - latest.stat().st_mtime) / 3600


def restore(source: Path, database: Path) -> Path | None:
    """Put ``source`` in place of ``database``; returns where the old file was moved.

    The caller must hold the instance lock (no console running on this data dir).
    """
    check_backup(source)
    moved: Path | None = None
    if database.exists():
        moved = database.with_name(f"{database.name}.replaced-{_stamp()}")
        database.rename(moved)
        for extra in ("-wal", "-shm"):
            side = database.with_name(database.name + extra)
            if side.exists():
                side.rename(moved.with_name(moved.name + extra))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dest = sqlite3.connect(str(database))
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
    log.info("restored %s from %s (old file kept as %s)", database, source, moved)
    return moved
