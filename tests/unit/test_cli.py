"""The CLI as a user runs it: real process, real data directory, exit codes by failure kind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from station_console.station import Station
from tests.conftest import ADMIN_PASSWORD


def run(
    station: Station, *args: str, password: str = ADMIN_PASSWORD
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SC_PASSWORD": password, "SC_NO_KEYRING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "main", "--data-dir", str(station.paths.root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_import_export_and_rejection(station: Station, tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("name,kind\n东门,village\n北门,school\n", encoding="utf-8")
    ok = run(station, "import", "sites", str(sites), "--user", "admin")
    assert ok.returncode == 0, ok.stderr
    assert "2 added" in ok.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\n南门,spaceport\n", encoding="utf-8")
    rejected = run(station, "import", "sites", str(bad), "--user", "admin")
    assert rejected.returncode == 1
    assert "Row 2" in rejected.stdout and "spaceport" in rejected.stdout
    out = tmp_path / "out.csv"
    exported = run(station, "export", "sites", str(out), "--user", "admin")
    assert exported.returncode == 0
    assert "东门" in out.read_text(encoding="utf-8-sig")


def test_wrong_password_exit_code(station: Station, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run(station, "export", "sites", str(out), "--user", "admin", password="wrong-password")
    assert result.returncode == 4
    assert "Wrong user name or password" in result.stderr
    assert not out.exists()


def test_corrupt_database_exit_code(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "station.sqlite3").write_bytes(b"garbage" * 1000)
    result = subprocess.run(
        [sys.executable, "-m", "main", "--data-dir", str(data), "check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert "damaged" in result.stderr
    assert (data / "station.sqlite3").read_bytes() == b"garbage" * 1000
