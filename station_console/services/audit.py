"""The append-only audit log, chained by SHA-256.

Each row stores the hash of the previous row and its own hash over (previous hash, time,
actor, action, target, detail). Editing or deleting a row breaks the chain at that row.
Deleting rows from the *end* keeps the chain valid, so the head (last seq and hash) is also
written to an anchor file outside the database, signed with a key derived from the station
key; ``verify`` compares the chain with the anchor.

Triggers make UPDATE/DELETE on ``audit_log`` fail, so only someone editing the file by hand
can tamper, and ``station-console audit verify`` then names the first bad row.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import hmac
import itertools
import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database

log = logging.getLogger(__name__)

GENESIS = "0" * 64


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def row_hash(prev_hash: str, ts: str, actor: str, action: str, target: str, detail: str) -> str:
    payload = json.dumps([prev_hash, ts, actor, action, target, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    ts: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    first_bad_seq: int | None = None
    reason: str = ""


class AuditLog:
    """Writes and verifies the chained audit log."""

    def __init__(
        self,
        db: Database,
        anchor_path: Path | None = None,
        anchor_key: bytes | None = None,
        clock: Callable[[], str] = _now,
        session: Session | None = None,
    ) -> None:
        self.db = db
        self.session = session
        self.anchor_path = anchor_path
        self._anchor_key = anchor_key
        self._clock = clock

    def append(
        self,
        actor: str,
        action: str,
        target: str = "",
        detail: dict[str, Any] | None = None,
        *,
        conn: sqlite3.Connection | None = None,
    ) -> int:
        """Append a row; pass ``conn`` to join the caller's write transaction."""
        body = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
        with self.db.write() as wconn:
            c = conn or wconn
            prev = c.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            prev_hash = prev[0] if prev else GENESIS
            ts = self._clock()
            digest = row_hash(prev_hash, ts, actor, action, target, body)
            cur = c.execute(
                "INSERT INTO audit_log(ts, actor, action, target, detail, prev_hash, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ts, actor, action, target, body, prev_hash, digest),
            )
            seq = int(cur.lastrowid or 0)
            self.db.after_commit(lambda: self._write_anchor(seq, digest))
        return seq

    # -- the anchor outside the database ---------------------------------------------------

    def _sign(self, seq: int, digest: str) -> str:
        key = self._anchor_key or b""
        return hmac.new(key, f"{seq}:{digest}".encode(), hashlib.sha256).hexdigest()

    def _write_anchor(self, seq: int, digest: str) -> None:
        if self.anchor_path is None:
            return
        tmp = self.anchor_path.with_name(self.anchor_path.name + ".tmp")
        tmp.write_text(json.dumps({"seq": seq, "hash": digest, "mac": self._sign(seq, digest)}))
        tmp.replace(self.anchor_path)

    def _read_anchor(self) -> dict[str, Any] | None:
        if self.anchor_path is None or not self.anchor_path.exists():
            return None
        try:
            data = json.loads(self.anchor_path.read_text())
        except (OSError, ValueError):
            return {"broken": True}
        return data if isinstance(data, dict) else {"broken": True}

    # -- reading ---------------------------------------------------------------------------

    def entries(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        text: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        """Read the log (duty leaders and administrators only), newest first.

        ``action`` is a prefix ("camera." or "login"). Each action it names is read on its
        own from the action index, newest first, and the reads are merged: one read of
        every matching action sorted together, or a scan of the whole log for a rare one,
        was what years of camera views made slow.
        """
        if self.session is not None:
            self.session.require(Permission.READ_AUDIT)
        where, params = [], []
        if actor:
            where.append("actor = ?")
            params.append(actor)
        if text:
            where.append("(target LIKE ? OR detail LIKE ?)")
            params += [f"%{text}%", f"%{text}%"]
        if since:
            where.append("ts >= ?")
            params.append(since)
        if until:
            where.append("ts < ?")
            params.append(until)
        if not action:
            rows = self._rows(where, params, limit)
        else:
            reads = [
                self._rows([*where, "action = ?"], [*params, name], limit)
                for name in self._actions(action + "%")
            ]
            newest = heapq.merge(*reads, key=lambda r: int(r["seq"]), reverse=True)
            rows = list(itertools.islice(newest, limit))
        return [
            AuditEntry(
                r["seq"], r["ts"], r["actor"], r["action"], r["target"], json.loads(r["detail"])
            )
            for r in rows
        ]

    def _actions(self, pattern: str) -> list[str]:
        """The actions in the log that match ``pattern`` (LIKE), one index seek per action."""
        rows = self.db.query(
            "WITH RECURSIVE names(action) AS ("
            "SELECT (SELECT min(action) FROM audit_log) UNION ALL "
            "SELECT (SELECT min(action) FROM audit_log WHERE action > names.action) "
            "FROM names WHERE names.action IS NOT NULL) "
            "SELECT action FROM names WHERE action LIKE ?",
            (pattern,),
        )
        return [r[0] for r in rows]

    def _rows(self, where: list[str], params: list[str], limit: int) -> list[sqlite3.Row]:
        sql = "SELECT seq, ts, actor, action, target, detail FROM audit_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq DESC LIMIT ?"
        return self.db.query(sql, (*params, str(limit)))

    def verify(self) -> VerifyResult:
        """Walk the chain; report the first row whose hash or link does not hold."""
        prev_hash = GENESIS
        expected_seq = None
        count = 0
        last_seq, last_hash = 0, GENESIS
        # The cursor is closed before the connection goes back, however the walk ends: an
        # unfinished SELECT would hold its snapshot for the next borrower.
        sql = "SELECT seq, ts, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq"
        with self.db.reading() as conn, contextlib.closing(conn.execute(sql)) as cur:
            for r in cur:
                count += 1
                seq = int(r["seq"])
                if expected_seq is not None and seq != expected_seq:
                    return VerifyResult(False, count, expected_seq, "row missing (deleted)")
                if r["prev_hash"] != prev_hash:
                    return VerifyResult(False, count, seq, "chain broken before this row")
                digest = row_hash(
                    prev_hash, r["ts"], r["actor"], r["action"], r["target"], r["detail"]
                )
                if digest != r["hash"]:
                    return VerifyResult(False, count, seq, "row content changed")
                prev_hash = digest
                expected_seq = seq + 1
                last_seq, last_hash = seq, digest
        anchor = self._read_anchor()
        if anchor is not None:
            if anchor.get("broken") or anchor.get("mac") != self._sign(
                int(anchor.get("seq", -1)), str(anchor.get("hash", ""))
            ):
                return VerifyResult(False, count, None, "anchor file damaged or forged")
            if int(anchor["seq"]) > last_seq:
                return VerifyResult(False, count, last_seq + 1, "rows missing at the end (deleted)")
            if int(anchor["seq"]) == last_seq and anchor["hash"] != last_hash:
                return VerifyResult(False, count, last_seq, "last row changed")
        return VerifyResult(True, count)
