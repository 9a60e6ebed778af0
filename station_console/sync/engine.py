"""The station's sync engine: push the outbox, pull the hub's feeds, report a status.

No Qt and no HTTP here: the engine talks through a :class:`HubTransport` and returns a
:class:`SyncStatus`; the UI runs :meth:`SyncEngine.sync_once` on its background helper.

Crash safety: the hub dedupes pushes on (station, epoch, seq), so the engine may resend
anything it is unsure about; pulled rows and the cursor that covers them commit in one
SQLite transaction. ``SC_SYNC_CRASH_AT`` (tests only) kills the process at a named point to
prove it; ``SC_SYNC_CRASH_AFTER`` picks which pass through that point.
"""

from __future__ import annotations

import json
import logging
import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from station_console.storage.database import Database
from station_console.sync import local
from station_console.sync.hlc import Hlc, HybridClock
from station_console.sync.outbox import Outbox
from station_console.sync.protocol import (
    Change,
    HelloRequest,
    PullResponse,
    PushBatch,
    district_feed,
    station_feed,
)
from station_console.sync.transport import (
    BAD_RESPONSE,
    GAP,
    UNKNOWN_EPOCH,
    UNREACHABLE,
    HubError,
    HubTransport,
)

log = logging.getLogger(__name__)

CRASH_POINTS = ("before_send", "after_commit_before_reply", "mid_apply", "mid_cursor")
FEED_ENTITIES = {"station": ("instruction", "fault"), "district": ("bulletin", "district_camera")}
# Backoff after failures stays short: a station must be caught up within 60 s of its link
# coming back (targets.md R2), however long it was offline, so an offline station retries
# no less often than a healthy one syncs. A retry is one small request.
MAX_BACKOFF_S = 30.0
RETRY_BASE_S = 2.0


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows. ``link``: ok, offline, error or unconfigured."""

    link: str
    last_sync_at: str | None
    backlog: int
    error: str | None = None
    error_kind: str | None = None
    pushed: int = 0
    pulled: int = 0
    retry_in_s: float = 0.0


class _Crash:
    def __init__(self) -> None:
        self.point = os.environ.get("SC_SYNC_CRASH_AT", "")
        self.left = int(os.environ.get("SC_SYNC_CRASH_AFTER", "1") or "1")

    def __call__(self, point: str) -> None:
        if point != self.point:
            return
        self.left -= 1
        if self.left <= 0:
            log.warning("SC_SYNC_CRASH_AT=%s: exiting now", point)
            os._exit(137)


class SyncEngine:
    """Syncs one station database with its hub.

    ``station_id`` is the id the hub printed at ``hub station add``; the database's epoch
    lives in ``sync_state``. Thread-safe: one sync runs at a time.
    """

    def __init__(
        self,
        db: Database,
        transport: HubTransport,
        clock: HybridClock,
        *,
        station_id: str,
        batch_size: int = 500,
        pull_limit: int = 500,
        wall: Callable[[], float] = time.time,
        retry_base_s: float = RETRY_BASE_S,
        max_backoff_s: float = MAX_BACKOFF_S,
    ) -> None:
        self.db = db
        self.retry_base_s = retry_base_s
        self.max_backoff_s = max_backoff_s
        self.transport = transport
        self.clock = clock
        self.outbox = Outbox(clock)
        self.station_id = station_id
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        self._wall = wall
        self._lock = threading.Lock()
        self._failures = 0
        self._progress = False
        self._crash = _Crash()
        self._last: SyncStatus | None = None
        with db.write() as conn:
            clock.load(conn)

    # -- sync_state ------------------------------------------------------------------------

    def _get(self, key: str, default: str = "") -> str:
        value = self.db.scalar("SELECT value FROM sync_state WHERE key = ?", (key,))
        return default if value is None else str(value)

    @staticmethod
    def _set(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO sync_state(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def backlog(self) -> int:
        return int(
            self.db.scalar(
                "SELECT count(*) FROM outbox WHERE seq > ?", (int(self._get("pushed_seq", "0")),)
            )
        )

    # -- public ----------------------------------------------------------------------------

    def sync_once(self) -> SyncStatus:
        """Push everything queued, pull every feed; never raises for a hub failure."""
        with self._lock:
            pushed = pulled = 0
            self._progress = False
            try:
                self._hello()
                pushed = self._push()
                pulled = self._pull_all()
            except HubError as exc:
                # A sync that moved something before it failed restarts the backoff: the
                # link works, it just dropped one request.
                self._failures = 1 if self._progress else self._failures + 1
                level = log.info if exc.transient else log.warning
                level("sync failed (%s): %s", exc.kind, exc)
                link = "offline" if exc.transient else "error"
                status = SyncStatus(
                    link,
                    self._get("last_sync_at") or None,
                    self.backlog(),
                    str(exc),
                    exc.kind,
                    pushed,
                    pulled,
                    self.next_delay(),
                )
            else:
                self._failures = 0
                now = datetime.now(UTC).isoformat(timespec="seconds")
                with self.db.write() as conn:
                    self._set(conn, "last_sync_at", now)
                status = SyncStatus("ok", now, self.backlog(), pushed=pushed, pulled=pulled)
            self._last = status
            return status

    def status(self) -> SyncStatus:
        """The last result, or the stored state when no sync ran in this process."""
        if self._last is not None:
            return self._last
        return SyncStatus("unknown", self._get("last_sync_at") or None, self.backlog())

    def next_delay(self) -> float:
        """Exponential backoff with jitter after consecutive failures, at most
        ``max_backoff_s`` (so a returning link is noticed quickly)."""
        if not self._failures:
            return 0.0
        delay = min(self.max_backoff_s, self.retry_base_s * 2 ** min(self._failures - 1, 10))
        return float(delay * (0.5 + random.random() / 2))  # noqa: S311 - jitter, not security

    def run(self, stop: threading.Event, interval: float = 30.0) -> None:
        """Sync until ``stop`` is set: every ``interval`` seconds, backing off on failure."""
        while not stop.is_set():
            status = self.sync_once()
            stop.wait(status.retry_in_s or interval)

    def full_resync(self) -> int:
        """Start a new epoch and queue the current state of every synced record.

        Used when the hub does not know this database (restored hub, lost records); the
        old outbox rows stay but are never sent again.
        """
        with self.db.write() as conn:
            base = int(conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])
            epoch = str(uuid.uuid4())
            self._set(conn, "epoch", epoch)
            self._set(conn, "epoch_base_seq", str(base))
            self._set(conn, "pushed_seq", str(base))
            conn.execute("DELETE FROM sync_state WHERE key = 'epoch_hello'")
            count = local.requeue_all(conn, self.outbox)
        log.warning("full resync: new epoch %s, %d records queued", epoch, count)
        return count

    # -- push ------------------------------------------------------------------------------

    def _hello(self) -> None:
        epoch = self._get("epoch")
        if self._get("epoch_hello") == epoch and self._get("district_id"):
            return
        base = int(self._get("epoch_base_seq", "0"))
        resp = self.transport.hello(
            HelloRequest(self.station_id, epoch, base, int(self._wall() * 1000))
        )
        if resp.epoch != epoch or resp.station_id != self.station_id:
            raise HubError(BAD_RESPONSE, "hello answered for another station or epoch")
        with self.db.write() as conn:
            self._observe(conn, resp.hub_hlc)
            self._set(conn, "epoch_hello", epoch)
            self._set(conn, "district_id", resp.district_id)
            if not self._get("pushed_seq"):
                self._set(conn, "pushed_seq", str(base))

    def _push(self) -> int:
        sent = 0
        resynced = False
        rewinds = 0
        while True:
            pushed = int(self._get("pushed_seq", "0"))
            rows = self.db.query(
                "SELECT seq, op_id, entity, entity_id, op, fields, hlc FROM outbox "
                "WHERE seq > ? ORDER BY seq LIMIT ?",
                (pushed, self.batch_size),
            )
            if not rows:
                return sent
            changes = [Change(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]
            remaining = int(
                self.db.scalar("SELECT count(*) FROM outbox WHERE seq > ?", (changes[-1].seq,))
            )
            batch = PushBatch(
                self.station_id,
                self._get("epoch"),
                changes,
                remaining,
                int(self._wall() * 1000),
            )
            self._crash("before_send")
            try:
                result = self.transport.push(batch)
            except HubError as exc:
                if exc.kind == UNKNOWN_EPOCH and not resynced:
                    resynced = True
                    self.full_resync()
                    self._hello()
                    continue
                if (
                    exc.kind == GAP
                    and exc.resume_from is not None
                    and exc.resume_from <= pushed
                    and rewinds < 3  # a hub that keeps asking for the past is broken
                ):
                    rewinds += 1
                    self._rewind(exc.resume_from)
                    continue
                raise
            self._crash("after_commit_before_reply")
            last = changes[-1].seq
            if result.acked_seq < last:
                raise HubError(BAD_RESPONSE, f"hub acknowledged {result.acked_seq} < {last}")
            with self.db.write() as conn:
                self._observe(conn, result.hub_hlc)
                self._set(conn, "pushed_seq", str(last))
            sent += len(changes)
            self._progress = True

    def _rewind(self, resume_from: int) -> None:
        """The hub lost changes we thought it had: resend them, or resync if we pruned them."""
        have = self.db.scalar("SELECT 1 FROM outbox WHERE seq = ?", (resume_from,))
        if not have:
            self.full_resync()
            self._hello()
            return
        with self.db.write() as conn:
            self._set(conn, "pushed_seq", str(resume_from - 1))
        log.warning("hub is behind; resending from seq %d", resume_from)

    # -- pull ------------------------------------------------------------------------------

    def _feeds(self) -> list[tuple[str, tuple[str, ...]]]:
        return [
            (station_feed(self.station_id), FEED_ENTITIES["station"]),
            (district_feed(self._get("district_id")), FEED_ENTITIES["district"]),
        ]

    def _pull_all(self) -> int:
        return sum(self._pull(feed, entities) for feed, entities in self._feeds())

    def _pull(self, feed: str, entities: tuple[str, ...]) -> int:
        applied = 0
        key = f"cursor:{feed}"
        while True:
            cursor = int(self._get(key, "0"))
            resp = self.transport.pull(feed, cursor, self.pull_limit)
            self._check_page(resp, feed, cursor)
            if resp.reset_required:
                log.warning("hub reset feed %s (cursor %d): taking a snapshot", feed, cursor)
                snap = self.transport.snapshot(feed)
                self._check_page(snap, feed, -1)
                self._apply(snap, key, entities, snapshot=True)
                applied += len(snap.changes)
                continue
            if resp.changes:
                self._apply(resp, key, entities, snapshot=False)
                applied += len(resp.changes)
            if not resp.more:
                return applied

    @staticmethod
    def _check_page(resp: PullResponse, feed: str, cursor: int) -> None:
        if resp.feed != feed:
            raise HubError(BAD_RESPONSE, f"asked for {feed}, got {resp.feed}")
        if cursor < 0 or resp.reset_required:
            return
        seqs = [c.seq for c in resp.changes]
        if seqs != sorted(seqs) or (seqs and (seqs[0] <= cursor or resp.cursor != seqs[-1])):
            raise HubError(BAD_RESPONSE, f"feed {feed} page out of order")

    def _apply(
        self, resp: PullResponse, key: str, entities: tuple[str, ...], *, snapshot: bool
    ) -> None:
        with self.db.write() as conn:
            if snapshot:
                keep = {f"{c.entity}:{c.entity_id}" for c in resp.changes}
                local.clear_feed_tables(conn, entities, keep)
            half = len(resp.changes) // 2
            for i, ch in enumerate(resp.changes):
                if i == half:
                    self._crash("mid_apply")
                local.apply_change(conn, ch)
                self._observe(conn, ch.hlc)
            self._observe(conn, resp.hub_hlc)
            self._crash("mid_cursor")
            self._set(conn, key, str(resp.cursor))
        self._progress = True

    def _observe(self, conn: sqlite3.Connection, stamp: str) -> None:
        if not stamp:
            return
        try:
            self.clock.observe(Hlc.decode(stamp), conn)
        except ValueError as exc:
            raise HubError(BAD_RESPONSE, f"bad HLC {stamp!r}") from exc


def configured_station(db: Database) -> tuple[str, str, str] | None:
    """(hub_url, token, station_id) from ``sync_state``, or None when sync is not set up."""
    rows = {
        r[0]: r[1]
        for r in db.query(
            "SELECT key, value FROM sync_state WHERE key IN ('hub_url', 'hub_token', 'station_id')"
        )
    }
    if not all(rows.get(k) for k in ("hub_url", "hub_token", "station_id")):
        return None
    return rows["hub_url"], rows["hub_token"], rows["station_id"]


__all__ = ["CRASH_POINTS", "UNREACHABLE", "SyncEngine", "SyncStatus", "configured_station"]
