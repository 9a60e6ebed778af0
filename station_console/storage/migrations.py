"""Forward-only schema migrations keyed on ``PRAGMA user_version``.

Each entry in :data:`MIGRATIONS` takes the database from version ``i`` to ``i + 1`` inside
one write transaction, so a failed upgrade leaves the previous version intact. Never edit a
released migration: add a new one. ``tests/unit/test_migrations.py`` upgrades a database
made at every older version.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable

from station_console.errors import StorageError
from station_console.storage.database import Database
from station_console.storage.schema_health import migrate_health, migrate_health_rollups
from station_console.storage.schema_incidents import migrate_incidents
from station_console.storage.schema_patrol import v_patrol

log = logging.getLogger(__name__)

Migration = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement inside the caller's transaction.

    ``Connection.executescript`` would COMMIT first and break the all-or-nothing upgrade.
    """
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                conn.execute(buf)
            buf = ""
    if buf.strip():
        conn.execute(buf)


def _v1_accounts_audit_sync(conn: sqlite3.Connection) -> None:
    """Accounts, settings, the audit chain and the sync bookkeeping."""
    run_script(
        conn,
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN
                ('duty_officer','community_police','technician','duty_leader','admin')),
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            created_at TEXT NOT NULL,
            last_login_at TEXT
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            ts TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_ts ON audit_log(ts);
        CREATE INDEX audit_log_actor ON audit_log(actor, ts);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            op_id TEXT NOT NULL UNIQUE,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('upsert','delete')),
            fields TEXT NOT NULL,
            hlc TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX outbox_entity ON outbox(entity, entity_id);
        """,
    )
    conn.execute("INSERT INTO sync_state(key, value) VALUES ('epoch', ?)", (str(uuid.uuid4()),))


def _v2_inventory(conn: sqlite3.Connection) -> None:
    """Sites, owner units, cameras and other devices; per-user preferences."""
    run_script(
        conn,
        """
        CREATE TABLE sites (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            community TEXT NOT NULL DEFAULT '',
            grid TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            latitude REAL,
            longitude REAL,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            retired_at TEXT
        );
        CREATE UNIQUE INDEX sites_name ON sites(name) WHERE retired_at IS NULL;
        CREATE INDEX sites_community ON sites(community, name);
        CREATE TABLE owner_units (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            contact_person TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            retired_at TEXT
        );
        CREATE UNIQUE INDEX owner_units_name ON owner_units(name) WHERE retired_at IS NULL;
        CREATE TABLE cameras (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('bullet','dome','class_a')),
            site_id TEXT REFERENCES sites(id),
            owner_id TEXT REFERENCES owner_units(id),
            vendor TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            serial TEXT NOT NULL DEFAULT '',
            mac TEXT NOT NULL DEFAULT '',
            firmware TEXT NOT NULL DEFAULT '',
            onvif_url TEXT NOT NULL DEFAULT '',
            gb_id TEXT NOT NULL DEFAULT '',
            networked_to_city INTEGER NOT NULL DEFAULT 0,
            install_date TEXT NOT NULL DEFAULT '',
            main_stream_uri TEXT NOT NULL DEFAULT '',
            main_resolution TEXT NOT NULL DEFAULT '',
            main_codec TEXT NOT NULL DEFAULT '',
            sub_stream_uri TEXT NOT NULL DEFAULT '',
            sub_resolution TEXT NOT NULL DEFAULT '',
            sub_codec TEXT NOT NULL DEFAULT '',
            username TEXT NOT NULL DEFAULT '',
            password_enc BLOB,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            retired_at TEXT,
            retired_reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX cameras_site ON cameras(site_id);
        CREATE INDEX cameras_owner ON cameras(owner_id);
        CREATE INDEX cameras_name ON cameras(name);
        CREATE UNIQUE INDEX cameras_serial ON cameras(serial)
            WHERE serial <> '' AND retired_at IS NULL;
        CREATE UNIQUE INDEX cameras_gb_id ON cameras(gb_id)
            WHERE gb_id <> '' AND retired_at IS NULL;
        CREATE TABLE other_devices (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('infrared_alarm','alarm_pole')),
            site_id TEXT REFERENCES sites(id),
            owner_id TEXT REFERENCES owner_units(id),
            serial TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            retired_at TEXT
        );
        CREATE TABLE user_prefs (
            user_id INTEGER NOT NULL REFERENCES users(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (user_id, key)
        );
        """,
    )


def _v3_hub_sync(conn: sqlite3.Connection) -> None:
    """What the station receives from the district hub, and shared fault tickets.

    Hub-owned rows (instructions, bulletins, the district camera directory) are written only
    by the sync engine. ``fields`` keeps the whole record as sent, so a newer hub can add
    fields without a migration here; ``deleted`` is the tombstone.
    """
    run_script(
        conn,
        """
        CREATE TABLE hub_instructions (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            priority TEXT NOT NULL DEFAULT 'normal',
            incident_id TEXT NOT NULL DEFAULT '',
            issued_by TEXT NOT NULL DEFAULT '',
            issued_at TEXT NOT NULL DEFAULT '',
            fields TEXT NOT NULL DEFAULT '{}',
            hlc TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL
        );
        CREATE INDEX hub_instructions_issued ON hub_instructions(issued_at);
        CREATE TABLE hub_bulletins (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            level TEXT NOT NULL DEFAULT 'info',
            issued_by TEXT NOT NULL DEFAULT '',
            issued_at TEXT NOT NULL DEFAULT '',
            fields TEXT NOT NULL DEFAULT '{}',
            hlc TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL
        );
        CREATE TABLE district_cameras (
            id TEXT PRIMARY KEY,
            station_id TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            gb_id TEXT NOT NULL DEFAULT '',
            fields TEXT NOT NULL DEFAULT '{}',
            hlc TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL
        );
        CREATE TABLE fault_tickets (
            id TEXT PRIMARY KEY,
            camera_id TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN
                ('open','owner_notified','in_repair','resolved','closed')),
            summary TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT '{}',
            hlc TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX fault_tickets_status ON fault_tickets(status);
        CREATE TABLE fault_ticket_history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            fault_id TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            hlc TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX fault_ticket_history_fault ON fault_ticket_history(fault_id, seq);
        """,
    )


def _v4_wall(conn: sqlite3.Connection) -> None:
    """The video wall: named views per officer, who viewed which camera when, snapshots.

    ``camera_views`` is the raw material of the patrol log: one row per camera shown in a
    tile, opened when the picture is requested and closed when the tile moves on. Rows the
    console could not close (it was killed) keep ``ended_at`` NULL until the next start
    closes them at their last heartbeat.
    """
    run_script(
        conn,
        """
        CREATE TABLE wall_views (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            name TEXT NOT NULL,
            layout TEXT NOT NULL,
            cameras TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (user_id, name)
        );
        CREATE TABLE camera_views (
            id INTEGER PRIMARY KEY,
            camera_id TEXT NOT NULL,
            username TEXT NOT NULL,
            started_at TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL,
            ended_at TEXT,
            seconds REAL,
            tiles_on_wall INTEGER NOT NULL,
            large INTEGER NOT NULL DEFAULT 0,
            stream TEXT NOT NULL CHECK (stream IN ('main','sub')),
            source TEXT NOT NULL DEFAULT 'manual',
            plan_id TEXT
        );
        CREATE INDEX camera_views_camera ON camera_views(camera_id, started_at);
        CREATE INDEX camera_views_user ON camera_views(username, started_at);
        CREATE INDEX camera_views_open ON camera_views(id) WHERE ended_at IS NULL;
        CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY,
            camera_id TEXT NOT NULL,
            username TEXT NOT NULL,
            taken_at TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            width INTEGER NOT NULL DEFAULT 0,
            height INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX snapshots_camera ON snapshots(camera_id, taken_at);
        """,
    )


def _v8_fault_desk_history(conn: sqlite3.Connection) -> None:
    """The fault desk's "all faults" list on years of tickets (P8: 200k, ``bench/storage.py``).

    It shows open faults, then the newest closed ones; the closed ones are now read newest
    first from ``fault_tickets_closed_opened`` and stop at the list's limit, instead of
    every ticket being sorted. ``fault_tickets_status`` goes: almost every ticket is closed,
    so it narrows nothing, but without statistics (the console never runs ANALYZE) the
    planner preferred its equality to the index above and sorted every closed ticket.
    """
    run_script(
        conn,
        """
        CREATE INDEX fault_tickets_closed_opened ON fault_tickets(opened_at)
            WHERE status = 'closed' AND deleted = 0;
        DROP INDEX fault_tickets_status;
        """,
    )


def _v9_patrol_history(conn: sqlite3.Connection) -> None:
    """Patrol coverage and the spot check on years of viewings (P8: 5M, ``bench/storage.py``).

    * ``camera_views_camera_end``: coverage asks which viewings of the planned cameras
      reach into a period (end after its start). On ``(camera_id, started_at)`` that read
      every viewing each camera ever had before the period's end; ordered by the end, only
      the viewings that reach into the period are read.
    * ``camera_views_open`` is keyed by officer: the spot check lists what is on screen now
      by officer, and the planner read the whole ``(username, started_at)`` index in that
      order rather than sort the few open rows of the old index.
    """
    run_script(
        conn,
        """
        CREATE INDEX camera_views_camera_end
            ON camera_views(camera_id, coalesce(ended_at, heartbeat_at));
        DROP INDEX camera_views_open;
        CREATE INDEX camera_views_open ON camera_views(username, id) WHERE ended_at IS NULL;
        """,
    )


def _v10_audit_filters(conn: sqlite3.Connection) -> None:
    """The audit page's officer and action filters on years of entries (P8: 11 million).

    Both indexes hold their rows in rowid order, which is ``seq``, the order the page shows,
    so the newest entries of one officer or one action are read straight from them: on
    ``(actor, ts)`` every entry the officer ever made (years of camera views) was sorted
    first, and an action filter read the whole log backwards until it had found enough
    (a rare action such as ``login``: half a million rows).
    """
    run_script(
        conn,
        """
        CREATE INDEX audit_log_actor_seq ON audit_log(actor);
        CREATE INDEX audit_log_action ON audit_log(action);
        """,
    )


MIGRATIONS: list[Migration] = [
    _v1_accounts_audit_sync,
    _v2_inventory,
    _v3_hub_sync,
    _v4_wall,
    v_patrol,
    migrate_health,
    migrate_incidents,
    _v8_fault_desk_history,
    _v9_patrol_history,
    _v10_audit_filters,
    migrate_health_rollups,
]
LATEST = len(MIGRATIONS)


def migrate(db: Database, target: int = LATEST) -> int:
    """Bring ``db`` up to ``target``; returns the version it started from."""
    start = db.user_version
    if start > LATEST:
        raise StorageError(
            "storage",
            "The station database was written by a newer version of Station Console "
            "(schema {found}, this program knows {known}). Install the newer version.",
            found=start,
            known=LATEST,
        )
    for version in range(start, target):
        step = MIGRATIONS[version]
        log.info(
            "migrating database %s: v%d -> v%d (%s)", db.path, version, version + 1, step.__name__
        )
        with db.write() as conn:
            step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
    return start
