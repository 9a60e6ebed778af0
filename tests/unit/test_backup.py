"""Online backup with the SQLite backup API, and restore that never deletes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from station_console import backup
from station_console.errors import DatabaseCorrupt
from station_console.station import Station, open_station


def test_backup_while_open_and_restore(station: Station, tmp_path: Path) -> None:
    station.inventory.add_site({"name": "before", "kind": "village"})
    target = backup.backup(station.db, tmp_path / "b.sqlite3")
    backup.check_backup(target)
    station.inventory.add_site({"name": "after", "kind": "village"})
    root = station.paths.root
    station.close()
    moved = backup.restore(target, root / "station.sqlite3")
    assert moved is not None and moved.exists()
    st = open_station(root, use_keyring=False)
    try:
        st.accounts.sign_in("admin", "admin-pass-1")
        assert [s.name for s in st.inventory.sites()] == ["before"]
    finally:
        st.close()


def test_rotation_keeps_the_newest(station: Station, tmp_path: Path) -> None:
    d = tmp_path / "backups"
    d.mkdir()
    for i in range(4):
        (d / f"station-2020010{i}T000000Z.sqlite3").write_bytes(b"x")
    backup.rotate(station.db, d, keep=2)
    left = sorted(p.name for p in d.iterdir())
    assert len(left) == 2 and left[0] == "station-20200103T000000Z.sqlite3"
    assert backup.latest_backup(d) == d / left[1]


def test_damaged_backup_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"nonsense")
    with pytest.raises(DatabaseCorrupt):
        backup.check_backup(bad)


def test_cli_backup_and_restore(station: Station, tmp_path: Path) -> None:
    station.inventory.add_site({"name": "kept", "kind": "village"})
    root = str(station.paths.root)
    target = tmp_path / "cli.sqlite3"
    run = [sys.executable, "-m", "main", "--data-dir", root]
    out = subprocess.run([*run, "backup", str(target)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert target.exists()
    # Restore refuses while this process holds the instance lock.
    busy = subprocess.run(
        [*run, "restore", str(target)], capture_output=True, text=True, timeout=60
    )
    assert busy.returncode == 3 and "already using" in busy.stderr
    station.close()
    done = subprocess.run(
        [*run, "restore", str(target)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    check = subprocess.run([*run, "check"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0
