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
    assert db.reader().execute("PRAGMA query_only").fetchone()[0] == 1


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
    """A worker pool's threads come and go; their read connections must not pile up (each
    holds file descriptors, and a long soak ran out of them)."""
    from station_console.storage import database

    db = Database(tmp_path / "s.sqlite3")
    assert db.reader() is db.reader()  # one per thread, reused
    seen: list[int] = []

    def read() -> None:
        seen.append(db.scalar("SELECT 1"))

    for _ in range(300):
        t = threading.Thread(target=read)
        t.start()
        t.join()
    assert seen == [1] * 300
    assert len(db._readers) <= 4 * database.MAX_READERS
    db.close()
    assert db._readers == {}
