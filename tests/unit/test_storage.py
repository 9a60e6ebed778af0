"""The database file: pragmas, transactions, corrupt files, the instance lock."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from station_console.errors import DatabaseCorrupt, DataDirInUse
from station_console.station import open_station
from station_console.storage.database import Database
from station_console.storage.instance_lock import InstanceLock
from station_console.storage.migrations import migrate


def test_pragmas(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    w = db._writer
    assert w.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert w.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert w.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert w.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    with db.reading() as conn:
        assert conn.execute("PRAGMA query_only").fetchone()[0] == 1


def test_write_rolls_back_on_error_and_nests(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    with db.write() as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(ValueError), db.write() as conn:
        conn.execute("INSERT INTO t VALUES (1)")
        with db.write() as inner:
            inner.execute("INSERT INTO t VALUES (2)")
        raise ValueError
    assert db.scalar("SELECT count(*) FROM t") == 0


def test_after_commit_hooks_run_only_on_commit(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    ran: list[str] = []
    with db.write():
        db.after_commit(lambda: ran.append("a"))
    with pytest.raises(KeyError), db.write():
        db.after_commit(lambda: ran.append("b"))
        raise KeyError
    assert ran == ["a"]


def test_readers_see_committed_data_from_other_threads(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    with db.write() as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
    seen: list[int] = []
    t = threading.Thread(target=lambda: seen.append(db.scalar("SELECT count(*) FROM t")))
    t.start()
    t.join()
    assert seen == [1]


def test_garbage_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "data" / "station.sqlite3"
    path.parent.mkdir()
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(DatabaseCorrupt) as err:
        open_station(tmp_path / "data", use_keyring=False)
    assert "station.sqlite3" in str(err.value)
    assert path.read_bytes() == garbage


def test_truncated_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    st = open_station(tmp_path / "data", use_keyring=False)
    st.accounts.create_first_admin("admin", "A", "password-1")
    st.close()
    path = tmp_path / "data" / "station.sqlite3"
    raw = path.read_bytes()
    damaged = raw[:100] + b"\xff" * 4000 + raw[4100:]
    path.write_bytes(damaged)
    (tmp_path / "data" / "station.sqlite3-wal").unlink(missing_ok=True)
    with pytest.raises(DatabaseCorrupt):
        st2 = open_station(tmp_path / "data", use_keyring=False)
        st2.db.query("SELECT * FROM users")
        st2.close()
    assert path.read_bytes() == damaged


def test_second_instance_is_refused(tmp_path: Path) -> None:
    first = open_station(tmp_path / "data", use_keyring=False)
    try:
        with pytest.raises(DataDirInUse) as err:
            open_station(tmp_path / "data", use_keyring=False)
        assert str(tmp_path / "data") in str(err.value)
    finally:
        first.close()
    again = open_station(tmp_path / "data", use_keyring=False)
    again.close()


def test_lock_is_released_by_the_os_when_holder_dies(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from station_console.storage.instance_lock import InstanceLock\n"
        f"InstanceLock(Path({str(tmp_path / 'l')!r})).acquire()\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
    InstanceLock(tmp_path / "l").acquire().release()


def test_disk_full_is_a_named_error(tmp_path: Path) -> None:
    from station_console.errors import DiskFull
    from station_console.storage.database import translate_sqlite_error

    err = translate_sqlite_error(sqlite3.OperationalError("database or disk is full"), tmp_path)
    assert isinstance(err, DiskFull)


def test_migrated_schema_has_foreign_keys_enforced(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    migrate(db)
    with pytest.raises(sqlite3.IntegrityError), db.write() as conn:
        conn.execute(
            "INSERT INTO cameras(id, name, kind, site_id, created_at, updated_at) "
            "VALUES ('c', 'n', 'bullet', 'no-such-site', 'x', 'x')"
        )


def test_read_connections_stay_bounded_across_short_lived_threads(tmp_path: Path) -> None:
    """A worker pool's threads come and go; read connections must not pile up with them
    (each holds two file descriptors and a page cache, and a long soak ran out of them)."""
    from station_console.storage import database

    db = Database(tmp_path / "s.sqlite3")
    db.scalar("SELECT 1")
    assert db.readers_open == 1  # given back and kept for the next read
    seen: list[int] = []

    def read() -> None:
        seen.append(db.scalar("SELECT 1"))

    for _ in range(300):
        t = threading.Thread(target=read)
        t.start()
        t.join()
    assert seen == [1] * 300
    assert db.readers_open == 1

    # Many threads reading at once get a connection each; past the peak, only IDLE_READERS stay.
    gate = threading.Barrier(12)

    def read_together() -> None:
        with db.reading() as conn:
            gate.wait(timeout=10)
            seen.append(conn.execute("SELECT 2").fetchone()[0])

    threads = [threading.Thread(target=read_together) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen[-12:] == [2] * 12
    assert db.readers_open == database.IDLE_READERS
    db.close()
    assert db.readers_open == 0
    db_fresh = Database(tmp_path / "s.sqlite3")
    assert db_fresh.scalar("SELECT 3") == 3
    db_fresh.close()


def test_a_borrowed_connection_sees_writes_made_since_its_last_loan(tmp_path: Path) -> None:
    """Connections are shared between reads: each read must start from the latest commit,
    not from the snapshot an earlier borrower left open."""
    db = Database(tmp_path / "s.sqlite3")
    with db.write() as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
    assert db.scalar("SELECT count(*) FROM t") == 100
    with db.write() as conn:
        conn.execute("INSERT INTO t VALUES (100)")
    assert db.scalar("SELECT count(*) FROM t") == 101
    with pytest.raises(sqlite3.OperationalError), db.reading() as conn:
        conn.execute("SELECT * FROM no_such_table")
    assert db.readers_open == 1  # a failed read gives its connection back too
    with db.write() as conn:
        conn.execute("INSERT INTO t VALUES (101)")
        with db.reading() as inside:
            assert inside is conn  # inside a write, reads see the uncommitted row
            assert inside.execute("SELECT count(*) FROM t").fetchone()[0] == 102
    db.close()
