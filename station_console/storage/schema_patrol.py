"""Schema for online patrol: plans, temporary watches, duty shifts, spot and guard checks.

The patrol log itself is ``camera_views`` (made by the wall, migration v4): every camera on
screen is a row with officer, times, tile size, source (manual or tour) and plan. This step
adds the shift it belongs to and a daily roll-up, so ten years of 24-hour patrol stay small:
rows older than the retention are folded into ``patrol_daily`` and removed.
"""

from __future__ import annotations

import sqlite3


def v_patrol(conn: sqlite3.Connection) -> None:
    """Patrol plans, watches, shifts, handovers, spot checks, guard checks, patrol roll-up."""
    from station_console.storage.migrations import run_script

    run_script(
        conn,
        """
        CREATE TABLE patrol_plans (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            layout TEXT NOT NULL DEFAULT '4',
            dwell_s INTEGER NOT NULL DEFAULT 15 CHECK (dwell_s BETWEEN 3 AND 3600),
            steps TEXT NOT NULL DEFAULT '[]',
            windows TEXT NOT NULL DEFAULT '[]',
            auto_start INTEGER NOT NULL DEFAULT 1,
            include_watches INTEGER NOT NULL DEFAULT 1,
            notes TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            retired_at TEXT
        );
        CREATE UNIQUE INDEX patrol_plans_name ON patrol_plans(name) WHERE retired_at IS NULL;
        CREATE TABLE patrol_watches (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            cameras TEXT NOT NULL DEFAULT '[]',
            first_day TEXT NOT NULL,
            last_day TEXT NOT NULL,
            windows TEXT NOT NULL DEFAULT '[]',
            dwell_s INTEGER NOT NULL DEFAULT 20,
            contact TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            registered_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            cancelled_at TEXT
        );
        CREATE INDEX patrol_watches_days ON patrol_watches(first_day, last_day);
        CREATE TABLE duty_shifts (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL,
            display_name TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            handover_note TEXT NOT NULL DEFAULT '',
            open_items TEXT NOT NULL DEFAULT '[]',
            taken_over_from INTEGER REFERENCES duty_shifts(id)
        );
        CREATE INDEX duty_shifts_open ON duty_shifts(username) WHERE ended_at IS NULL;
        CREATE INDEX duty_shifts_time ON duty_shifts(started_at);
        CREATE TABLE shift_events (
            id INTEGER PRIMARY KEY,
            shift_id INTEGER NOT NULL REFERENCES duty_shifts(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX shift_events_shift ON shift_events(shift_id, at);
        CREATE TABLE spot_checks (
            id INTEGER PRIMARY KEY,
            leader TEXT NOT NULL,
            at TEXT NOT NULL,
            shift_id INTEGER REFERENCES duty_shifts(id),
            on_duty TEXT NOT NULL DEFAULT '[]',
            coverage TEXT NOT NULL DEFAULT '{}',
            remarks TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE guard_checks (
            id INTEGER PRIMARY KEY,
            plan_id TEXT,
            camera_id TEXT NOT NULL,
            label TEXT NOT NULL,
            username TEXT NOT NULL,
            shift_id INTEGER REFERENCES duty_shifts(id),
            at TEXT NOT NULL,
            passed INTEGER NOT NULL,
            remarks TEXT NOT NULL DEFAULT '',
            snapshot_id INTEGER REFERENCES snapshots(id)
        );
        CREATE INDEX guard_checks_time ON guard_checks(at);
        ALTER TABLE camera_views ADD COLUMN shift_id INTEGER;
        CREATE INDEX camera_views_shift ON camera_views(shift_id, camera_id);
        CREATE TABLE patrol_daily (
            day TEXT NOT NULL,
            camera_id TEXT NOT NULL,
            username TEXT NOT NULL,
            plan_id TEXT NOT NULL DEFAULT '',
            shows INTEGER NOT NULL,
            seconds REAL NOT NULL,
            PRIMARY KEY (day, camera_id, username, plan_id)
        ) WITHOUT ROWID;
        CREATE INDEX patrol_daily_camera ON patrol_daily(camera_id, day);
        """,
    )
