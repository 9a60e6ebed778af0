"""The outbox: every change to a synced record, written in the same transaction as the change.

Because the outbox row commits or rolls back together with the record, the hub can never
miss a change the station kept, nor receive one the station rolled back.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, datetime
from typing import Any

from station_console.sync.hlc import Hlc, HybridClock
from station_console.sync.protocol import SHARED, STATION_OWNED

# Entities that travel to the hub. Anything else (users, preferences, settings) stays local.
SYNCED_ENTITIES = STATION_OWNED | SHARED

# Fields that must never leave the station, whatever the entity.
PRIVATE_FIELDS = frozenset({"password_enc", "username", "password_hash"})


class Outbox:
    """Appends change rows; the sync engine reads and acknowledges them."""

    def __init__(self, clock: HybridClock) -> None:
        self.clock = clock

    def record(
        self,
        conn: sqlite3.Connection,
        entity: str,
        entity_id: str,
        fields: dict[str, Any],
        *,
        op: str = "upsert",
    ) -> Hlc | None:
        """Queue a change. Must be called inside the write transaction that makes it.

        Returns the change's stamp (None for entities that stay local), so a shared record
        can be merged locally under the same stamp the hub will see.
        """
        if entity not in SYNCED_ENTITIES:
            return None
        clean = {k: v for k, v in fields.items() if k not in PRIVATE_FIELDS}
        stamp = self.clock.tick(conn)
        conn.execute(
            "INSERT INTO outbox(op_id, entity, entity_id, op, fields, hlc, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                str(uuid.uuid4()),
                entity,
                entity_id,
                op,
                json.dumps(clean, ensure_ascii=False, sort_keys=True, default=str),
                stamp.encode(),
                datetime.now(UTC).isoformat(timespec="milliseconds"),
            ),
        )
        return stamp

    @staticmethod
    def backlog(conn: sqlite3.Connection, after_seq: int = 0) -> int:
        return int(
            conn.execute("SELECT count(*) FROM outbox WHERE seq > ?", (after_seq,)).fetchone()[0]
        )
