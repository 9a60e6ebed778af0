"""Schema of camera health, faults, alarms and inspection rounds.

Faults are the shared ``fault_tickets`` of the sync protocol (v3): the merged per-field
state is the truth, so a change that arrives from the hub and one made here look the same.
The columns the fault desk filters and sorts on are *generated* from that state
(``json_extract``), which keeps them right whoever wrote the state, and lets partial
indexes keep the open-fault queries fast among years of closed history.

Health samples are high-rate: they are kept only as hourly roll-ups (recent weeks; per
camera, per site and per owner unit) and daily roll-ups (years), never per check.
"""

from __future__ import annotations

import sqlite3

# Fault fields exposed as typed, indexable columns (state JSON is {field: [value, hlc]}).
_GENERATED = (
    ("kind", "TEXT"),
    ("source", "TEXT"),
    ("severity", "TEXT"),
    ("opened_at", "TEXT"),
    ("due_at", "TEXT"),
    ("recovered_at", "TEXT"),
    ("closed_at", "TEXT"),
    ("occurrences", "INTEGER"),
)


def migrate_health(conn: sqlite3.Connection) -> None:
    """Health state and roll-ups, fault columns, fault history, alarms, inspections."""
    from station_console.storage.migrations import run_script

    for name, sql_type in _GENERATED:
        conn.execute(
            f"ALTER TABLE fault_tickets ADD COLUMN {name} {sql_type} "
            f"GENERATED ALWAYS AS (json_extract(state, '$.{name}[0]')) VIRTUAL"
        )
    run_script(
        conn,
        """
        CREATE INDEX fault_tickets_open_camera ON fault_tickets(camera_id, kind)
            WHERE status <> 'closed' AND deleted = 0;
        CREATE INDEX fault_tickets_open_opened ON fault_tickets(opened_at)
            WHERE status <> 'closed' AND deleted = 0;
        CREATE INDEX fault_tickets_camera ON fault_tickets(camera_id, opened_at);
        CREATE INDEX fault_tickets_closed ON fault_tickets(closed_at)
            WHERE closed_at IS NOT NULL;
        CREATE TABLE fault_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            fault_id TEXT NOT NULL,
            ts TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            status TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX fault_events_fault ON fault_events(fault_id, seq);
        CREATE TABLE camera_health (
            camera_id TEXT PRIMARY KEY,
            state TEXT NOT NULL DEFAULT 'unknown'
                CHECK (state IN ('unknown','online','degraded','offline')),
            problem TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '',
            since TEXT,
            last_check_at TEXT,
            last_online_at TEXT,
            first_online_at TEXT,
            clock_offset_s REAL,
            rtt_ms REAL,
            snapshot_uri TEXT NOT NULL DEFAULT '',
            last_diagnosis_at TEXT,
            picture TEXT NOT NULL DEFAULT '',
            baseline TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE camera_health_hourly (
            camera_id TEXT NOT NULL,
            hour TEXT NOT NULL,
            checks INTEGER NOT NULL DEFAULT 0,
            online INTEGER NOT NULL DEFAULT 0,
            pictures INTEGER NOT NULL DEFAULT 0,
            bad_pictures INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (camera_id, hour)
        ) WITHOUT ROWID;
        CREATE INDEX camera_health_hourly_hour ON camera_health_hourly(hour);
        CREATE TABLE camera_health_daily (
            camera_id TEXT NOT NULL,
            day TEXT NOT NULL,
            checks INTEGER NOT NULL DEFAULT 0,
            online INTEGER NOT NULL DEFAULT 0,
            pictures INTEGER NOT NULL DEFAULT 0,
            bad_pictures INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (camera_id, day)
        ) WITHOUT ROWID;
        CREATE INDEX camera_health_daily_day ON camera_health_daily(day);
        CREATE TABLE alarms (
            id INTEGER PRIMARY KEY,
            group_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            site_id TEXT,
            camera_ids TEXT NOT NULL DEFAULT '[]',
            down_ids TEXT NOT NULL DEFAULT '[]',
            raised_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            acknowledged_at TEXT,
            acknowledged_by TEXT,
            cleared_at TEXT
        );
        CREATE INDEX alarms_active ON alarms(group_key) WHERE cleared_at IS NULL;
        CREATE INDEX alarms_unacknowledged ON alarms(raised_at) WHERE acknowledged_at IS NULL;
        CREATE TABLE inspection_rounds (
            id TEXT PRIMARY KEY,
            community TEXT NOT NULL,
            officer TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX inspection_rounds_started ON inspection_rounds(started_at);
        CREATE TABLE inspection_items (
            round_id TEXT NOT NULL REFERENCES inspection_rounds(id),
            camera_id TEXT NOT NULL,
            result TEXT NOT NULL DEFAULT 'pending' CHECK (result IN ('pending','pass','fail')),
            fault_kind TEXT NOT NULL DEFAULT '',
            remarks TEXT NOT NULL DEFAULT '',
            photo TEXT NOT NULL DEFAULT '',
            checked_at TEXT,
            fault_id TEXT,
            PRIMARY KEY (round_id, camera_id)
        ) WITHOUT ROWID;
        """,
    )


def migrate_health_rollups(conn: sqlite3.Connection) -> None:
    """Roll-ups written as checks come, for reports on years of health (P8, ``bench/storage.py``).

    * Daily rows are now written with the hourly ones (``HealthStore.record``): a daily
      report reads one row per camera and day, where its last five weeks were summed from
      hourly rows (1.7 million at 2,000 cameras). The days kept only as hours so far are
      folded into daily rows here, once.
    * ``site_health_hourly``, ``owner_health_hourly``: checks per hour per site and per owner
      unit, for the hourly online-rate chart (one row per site and hour, not one per camera
      and hour); filled here from the hours kept so far.
    """
    from station_console.storage.migrations import run_script

    run_script(
        conn,
        """
        INSERT INTO camera_health_daily(camera_id, day, checks, online, pictures, bad_pictures)
            SELECT camera_id, substr(hour, 1, 10), sum(checks), sum(online), sum(pictures),
                sum(bad_pictures) FROM camera_health_hourly WHERE true
                GROUP BY camera_id, substr(hour, 1, 10)
            ON CONFLICT(camera_id, day) DO UPDATE SET checks = checks + excluded.checks,
                online = online + excluded.online, pictures = pictures + excluded.pictures,
                bad_pictures = bad_pictures + excluded.bad_pictures;
        """,
    )
    for place in ("site", "owner"):
        run_script(
            conn,
            f"""
            CREATE TABLE {place}_health_hourly (
                hour TEXT NOT NULL,
                {place}_id TEXT NOT NULL DEFAULT '',
                checks INTEGER NOT NULL DEFAULT 0,
                online INTEGER NOT NULL DEFAULT 0,
                pictures INTEGER NOT NULL DEFAULT 0,
                bad_pictures INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (hour, {place}_id)
            ) WITHOUT ROWID;
            INSERT INTO {place}_health_hourly(hour, {place}_id, checks, online, pictures,
                    bad_pictures)
                SELECT h.hour, coalesce(c.{place}_id, ''), sum(h.checks), sum(h.online),
                    sum(h.pictures), sum(h.bad_pictures)
                FROM camera_health_hourly h JOIN cameras c ON c.id = h.camera_id
                GROUP BY h.hour, coalesce(c.{place}_id, '');
            """,
        )
