"""Hybrid logical clock (Kulkarni et al.): wall-clock-like stamps that never go backwards.

Stamps order every change across stations even when station clocks disagree or jump back.
The last stamp is persisted in ``sync_state`` inside the same transaction as the change it
stamps, so a restart after a clock jump backwards still continues upwards.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import total_ordering

_KEY = "hlc"


@total_ordering
@dataclass(frozen=True)
class Hlc:
    """A stamp: physical milliseconds, a logical counter, and the node that made it."""

    millis: int
    counter: int
    node: str = ""

    def encode(self) -> str:
        """Fixed-width text that sorts in stamp order (SQL ``ORDER BY`` works on it)."""
        return f"{self.millis:015d}-{self.counter:06d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Hlc:
        millis, counter, node = text.split("-", 2)
        return cls(int(millis), int(counter), node)

    def _key(self) -> tuple[int, int, str]:
        return (self.millis, self.counter, self.node)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Hlc):
            return NotImplemented
        return self._key() < other._key()


class HybridClock:
    """Issues monotonic stamps for one node; ``persist`` keeps them monotonic across restarts."""

    def __init__(self, node: str, *, wall: Callable[[], float] = time.time) -> None:
        self.node = node
        self._wall = wall
        self._last = Hlc(0, 0, node)
        self._lock = threading.Lock()

    def _now_ms(self) -> int:
        return int(self._wall() * 1000)

    def load(self, conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (_KEY,)).fetchone()
        if row:
            stored = Hlc.decode(row[0])
            with self._lock:
                if stored > self._last:
                    self._last = Hlc(stored.millis, stored.counter, self.node)

    def tick(self, conn: sqlite3.Connection | None = None) -> Hlc:
        """A stamp for a local event; written to ``sync_state`` when ``conn`` is given."""
        with self._lock:
            now = self._now_ms()
            if now > self._last.millis:
                stamp = Hlc(now, 0, self.node)
            else:
                stamp = Hlc(self._last.millis, self._last.counter + 1, self.node)
            self._last = stamp
        if conn is not None:
            self._persist(conn, stamp)
        return stamp

    def observe(self, remote: Hlc, conn: sqlite3.Connection | None = None) -> Hlc:
        """Merge a stamp received from elsewhere so later local stamps sort after it."""
        with self._lock:
            now = self._now_ms()
            top = max(now, self._last.millis, remote.millis)
            if top == self._last.millis == remote.millis:
                counter = max(self._last.counter, remote.counter) + 1
            elif top == self._last.millis:
                counter = self._last.counter + 1
            elif top == remote.millis:
                counter = remote.counter + 1
            else:
                counter = 0
            stamp = Hlc(top, counter, self.node)
            self._last = stamp
        if conn is not None:
            self._persist(conn, stamp)
        return stamp

    @property
    def last(self) -> Hlc:
        return self._last

    def _persist(self, conn: sqlite3.Connection, stamp: Hlc) -> None:
        conn.execute(
            "INSERT INTO sync_state(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE excluded.value > value",
            (_KEY, stamp.encode()),
        )
