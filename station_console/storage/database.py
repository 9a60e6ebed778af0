"""The station database: one SQLite file, written by one writer at a time.

Why it looks like this:

* WAL + ``synchronous=FULL``: a record the officer saw saved survives power loss, while the
  wall, reports and sync read concurrently without blocking the writer.
* One write connection behind a lock, ``BEGIN IMMEDIATE`` for every write transaction, so a
  writer never discovers half-way through that another writer holds the lock.
* Reads borrow a ``query_only`` connection from a small pool for one statement, so a slow
  report never blocks a save. Borrowed, not one per thread: worker pools' threads come and go,
  and per-thread connections (each a page cache and two file descriptors) piled up with them.
* A file that is not a readable SQLite database is never touched: :class:`DatabaseCorrupt`
  is raised and the caller offers the latest backup instead.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from station_console.errors import DatabaseBusy, DatabaseCorrupt, DiskFull, StorageError

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# Idle read connections kept for the next read; more are opened when more threads read at
# once and closed when given back past this many.
IDLE_READERS = 4


def _configure(conn: sqlite3.Connection, *, writer: bool) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if writer:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("journal_mode is %s, not WAL", mode)
        conn.execute("PRAGMA synchronous = FULL")
    else:
        conn.execute("PRAGMA query_only = ON")


def translate_sqlite_error(exc: sqlite3.Error, path: Path) -> StorageError | None:
    """Map the SQLite errors a user can act on to named errors; None means a bug."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFull(
            "storage",
            "The disk holding the station database ({path}) is full; nothing was saved. "
            "Free some space and try again.",
            path=str(path),
        )
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            "storage",
            "The station database is busy; nothing was saved. Try again in a moment.",
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DatabaseCorrupt(
            "storage",
            "The station database {path} is damaged and cannot be read. It has not been "
            "changed. Restore the latest backup.",
            path=str(path),
        )
    return None


class Database:
    """The station's SQLite file with a single writer and per-thread readers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._write_lock = threading.RLock()
        self._depth = 0
        self._owner: int | None = None
        self._after_commit: list[Callable[[], None]] = []
        self._idle: list[sqlite3.Connection] = []  # last given back on top
        self._lent = 0
        self._closed = False
        self._readers_lock = threading.Lock()
        self._check_header()
        try:
            self._writer = sqlite3.connect(
                str(path),
                isolation_level=None,
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            _configure(self._writer, writer=True)
            self._writer.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._named(exc) from exc

    def _check_header(self) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        try:
            with self.path.open("rb") as fh:
                header = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise DatabaseCorrupt(
                "storage",
                "The station database {path} cannot be read ({reason}). It has not been "
                "changed. Restore the latest backup.",
                path=str(self.path),
                reason=exc.strerror or str(exc),
            ) from exc
        if header != SQLITE_HEADER:
            raise DatabaseCorrupt(
                "storage",
                "The station database {path} is damaged and cannot be read. It has not been "
                "changed. Restore the latest backup.",
                path=str(self.path),
            )

    def _named(self, exc: sqlite3.Error) -> Exception:
        return translate_sqlite_error(exc, self.path) or exc

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        with self._write_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._writer
                finally:
                    self._depth -= 1
                return
            try:
                self._writer.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._named(exc) from exc
            self._depth = 1
            self._owner = threading.get_ident()
            try:
                yield self._writer
            except BaseException:
                self._depth = 0
                self._owner = None
                self._after_commit.clear()
                with contextlib.suppress(sqlite3.Error):
                    self._writer.execute("ROLLBACK")
                raise
            self._depth = 0
            self._owner = None
            hooks, self._after_commit = self._after_commit, []
            try:
                self._writer.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._writer.execute("ROLLBACK")
                raise self._named(exc) from exc
            for hook in hooks:
                try:
                    hook()
                except Exception:
                    log.exception("after-commit hook failed")

    def after_commit(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` once the current write transaction commits (dropped on rollback)."""
        with self._write_lock:
            if self._depth:
                self._after_commit.append(hook)
                return
        hook()

    # -- reading ---------------------------------------------------------------------------

    @property
    def readers_open(self) -> int:
        """Read connections open now, lent or idle (for tests and the soak bench)."""
        with self._readers_lock:
            return self._lent + len(self._idle)

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection for the ``with`` block (the writer's, inside a write
        transaction on this thread, so it sees its own uncommitted rows).

        Finish every cursor inside the block: an unfinished SELECT keeps its snapshot open
        and the next borrower would read the past.
        """
        if self._owner == threading.get_ident():
            yield self._writer
            return
        conn = self._borrow()
        try:
            yield conn
        finally:
            self._give_back(conn)

    def _borrow(self) -> sqlite3.Connection:
        with self._readers_lock:
            self._lent += 1
            if self._idle:
                return self._idle.pop()
        try:
            conn = sqlite3.connect(
                str(self.path),
                isolation_level=None,
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            _configure(conn, writer=False)
        except BaseException:
            with self._readers_lock:
                self._lent -= 1
            raise
        return conn

    def _give_back(self, conn: sqlite3.Connection) -> None:
        with self._readers_lock:
            self._lent -= 1
            if len(self._idle) < IDLE_READERS and not self._closed:
                self._idle.append(conn)
                return
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            with self.reading() as conn:
                return conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            named = translate_sqlite_error(exc, self.path)
            if named:
                raise named from exc
            raise

    def query_one(
        self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
    ) -> sqlite3.Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    # -- maintenance -----------------------------------------------------------------------

    @property
    def user_version(self) -> int:
        with self._write_lock:
            return int(self._writer.execute("PRAGMA user_version").fetchone()[0])

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check``: an empty list means the file is sound."""
        with self.reading() as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems = [str(r[0]) for r in rows]
        return [] if problems == ["ok"] else problems

    def backup_to(self, target: Path) -> None:
        """Copy the live database with SQLite's online backup API (never a file copy)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".partial")
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(str(tmp))
        try:
            with self._write_lock:
                self._writer.backup(dest, pages=4096)
            dest.execute("PRAGMA journal_mode = DELETE")
            dest.close()
            tmp.replace(target)
        except sqlite3.Error as exc:
            dest.close()
            tmp.unlink(missing_ok=True)
            raise self._named(exc) from exc

    def close(self) -> None:
        with self._readers_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        with self._write_lock:
            with contextlib.suppress(sqlite3.Error):
                self._writer.execute("PRAGMA optimize")
            self._writer.close()
