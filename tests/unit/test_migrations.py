"""Every migration upgrades a database made at each older version, keeping its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from station_console.errors import StorageError
from station_console.storage.database import Database
from station_console.storage.migrations import LATEST, MIGRATIONS, migrate


def fill_v1(db: Database) -> None:
    with db.write() as conn:
        conn.execute(
            "INSERT INTO users(username, display_name, role, password_hash, created_at) "
            "VALUES ('old', 'Old', 'admin', 'x', '2020-01-01')"
        )
        conn.execute(
            "INSERT INTO audit_log(ts, actor, action, prev_hash, hash) "
            "VALUES ('2020-01-01', 'old', 'login', '0', '1')"
        )


@pytest.mark.parametrize("start", range(LATEST))
def test_upgrade_from_every_older_version(tmp_path: Path, start: int) -> None:
    db = Database(tmp_path / "s.sqlite3")
    migrate(db, target=start)
    assert db.user_version == start
    if start >= 1:
        fill_v1(db)
        epoch = db.scalar("SELECT value FROM sync_state WHERE key = 'epoch'")
    assert migrate(db) == start
    assert db.user_version == LATEST
    if start >= 1:
        assert db.scalar("SELECT username FROM users") == "old"
        assert db.scalar("SELECT count(*) FROM audit_log") == 1
        assert db.scalar("SELECT value FROM sync_state WHERE key = 'epoch'") == epoch
    assert db.integrity_check() == []
    db.close()


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    migrate(db)
    migrate(db)
    assert db.user_version == len(MIGRATIONS)


def test_a_failing_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(tmp_path / "s.sqlite3")
    migrate(db, target=1)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr("station_console.storage.migrations.MIGRATIONS", [MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        migrate(db, target=2)
    assert db.user_version == 1
    assert db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'") == 0


def test_a_database_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    with db.write() as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    with pytest.raises(StorageError):
        migrate(db)


def test_v11_keeps_recent_hourly_health_as_daily_site_and_owner_rows(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    migrate(db, target=10)
    with db.write() as conn:
        conn.execute(
            "INSERT INTO cameras(id, name, kind, created_at, updated_at) "
            "VALUES ('cam', 'cam', 'dome', '2026-01-01', '2026-01-01')"
        )
        conn.executemany(
            "INSERT INTO camera_health_hourly(camera_id, hour, checks, online, pictures, "
            "bad_pictures) VALUES ('cam', ?, ?, ?, 1, 0)",
            [("2026-11-20T01", 240, 240), ("2026-11-20T02", 240, 120), ("2026-11-21T00", 10, 0)],
        )
        conn.execute(
            "INSERT INTO camera_health_daily(camera_id, day, checks, online, pictures, "
            "bad_pictures) VALUES ('cam', '2026-10-01', 5760, 5700, 288, 0)"
        )
    migrate(db)
    rows = db.query("SELECT day, checks, online, pictures FROM camera_health_daily ORDER BY day")
    assert [tuple(r) for r in rows] == [
        ("2026-10-01", 5760, 5700, 288),
        ("2026-11-20", 480, 360, 2),
        ("2026-11-21", 10, 0, 1),
    ]
    # The hourly chart's site and owner rows (no site, no owner here) come from the same hours.
    for table in ("site_health_hourly", "owner_health_hourly"):
        rows = db.query(f"SELECT * FROM {table} ORDER BY hour")
        assert [(r[0], r[1], r["checks"], r["online"]) for r in rows] == [
            ("2026-11-20T01", "", 240, 240),
            ("2026-11-20T02", "", 240, 120),
            ("2026-11-21T00", "", 10, 0),
        ]
    db.close()
