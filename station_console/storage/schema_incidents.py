"""Schema of incidents (警情): what was seen, the evidence captured, the report's life cycle.

Why it looks like this:

* ``incidents`` is a station-owned synced record (entity ``incident``): every change after
  the report goes to the outbox in the same transaction. A capture that was never reported
  stays local (``state = 'captured'``).
* Media files live under the data directory's ``media/incidents``; ``incident_media`` keeps
  their SHA-256 from the moment they were written, so an export can prove the file it copies
  is the file that was captured.
* ``missing`` is a JSON list of what could not be captured and why (camera offline, disk
  full, buffer shorter than asked), so the incident says what it lacks instead of failing.
* Instruction acknowledgements are local rows: instructions themselves are hub-owned
  (``hub_instructions``) and only the sync engine writes them.
"""

from __future__ import annotations

import sqlite3

CATEGORIES = (
    "suspicious_person",
    "suspicious_vehicle",
    "fight",
    "theft",
    "traffic",
    "fire",
    "crowd",
    "other",
)
PRIORITIES = ("normal", "urgent", "critical")
STATES = ("captured", "reported", "dispatched", "on_scene", "closed")
OUTCOMES = (
    "",
    "false_alarm",
    "handled_on_scene",
    "clue_provided",
    "current_case_solved",
    "backlog_case_solved",
)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ",".join(f"'{v}'" for v in values) + ")"


def migrate_incidents(conn: sqlite3.Connection) -> None:
    """Incidents, their media and links, and acknowledgements of hub instructions."""
    from station_console.storage.migrations import run_script

    run_script(
        conn,
        f"""
        CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            camera_id TEXT NOT NULL DEFAULT '',
            camera_name TEXT NOT NULL DEFAULT '',
            site_id TEXT NOT NULL DEFAULT '',
            site_name TEXT NOT NULL DEFAULT '',
            occurred_at TEXT NOT NULL,
            officer TEXT NOT NULL,
            officer_name TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL DEFAULT 'other' CHECK (category IN {_in(CATEGORIES)}),
            priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN {_in(PRIORITIES)}),
            note TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'captured' CHECK (state IN {_in(STATES)}),
            reported_at TEXT,
            dispatched_at TEXT,
            on_scene_at TEXT,
            closed_at TEXT,
            hub_ack_at TEXT,
            outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN {_in(OUTCOMES)}),
            suspects_caught INTEGER NOT NULL DEFAULT 0 CHECK (suspects_caught >= 0),
            outcome_note TEXT NOT NULL DEFAULT '',
            bulletin_id TEXT NOT NULL DEFAULT '',
            clip_state TEXT NOT NULL DEFAULT 'none'
                CHECK (clip_state IN ('none','pending','saved','failed')),
            clip_due_at TEXT,
            missing TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX incidents_occurred ON incidents(occurred_at);
        CREATE INDEX incidents_state ON incidents(state, occurred_at);
        CREATE INDEX incidents_site ON incidents(site_id, occurred_at);
        CREATE INDEX incidents_bulletin ON incidents(bulletin_id) WHERE bulletin_id <> '';
        CREATE TABLE incident_media (
            id INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            kind TEXT NOT NULL CHECK (kind IN ('snapshot','clip')),
            camera_id TEXT NOT NULL DEFAULT '',
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            width INTEGER NOT NULL DEFAULT 0,
            height INTEGER NOT NULL DEFAULT 0,
            started_at TEXT,
            ended_at TEXT,
            asked_start TEXT,
            asked_end TEXT,
            frames INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX incident_media_incident ON incident_media(incident_id, id);
        CREATE TABLE incident_links (
            a TEXT NOT NULL REFERENCES incidents(id),
            b TEXT NOT NULL REFERENCES incidents(id),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (a, b),
            CHECK (a < b)
        );
        CREATE INDEX incident_links_b ON incident_links(b);
        CREATE TABLE instruction_acks (
            instruction_id TEXT PRIMARY KEY,
            acked_by TEXT NOT NULL,
            acked_at TEXT NOT NULL
        );
        CREATE INDEX hub_instructions_incident ON hub_instructions(incident_id)
            WHERE incident_id <> '';
        """,
    )
