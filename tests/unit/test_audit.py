"""The audit chain detects edited, deleted and truncated rows (targets R6)."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys

import pytest

from station_console.station import Station
from tests.conftest import ADMIN_PASSWORD
from tests.plans import plan, plans, reads


def raw(st: Station) -> sqlite3.Connection:
    """A connection that bypasses the console, as an attacker with the file would."""
    conn = sqlite3.connect(st.paths.database, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def make_entries(st: Station, n: int = 5) -> None:
    for i in range(n):
        st.audit.append("admin", "test.event", f"t{i}", {"i": i})


def test_fresh_chain_verifies(station: Station) -> None:
    make_entries(station)
    result = station.audit.verify()
    assert result.ok and result.rows >= 5


def test_triggers_refuse_update_and_delete(station: Station) -> None:
    make_entries(station)
    conn = sqlite3.connect(station.paths.database, isolation_level=None)
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        try:
            conn.execute(sql)
        except sqlite3.IntegrityError as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError(f"{sql} was allowed")


def test_edited_row_is_detected(station: Station) -> None:
    make_entries(station)
    seq = station.db.scalar("SELECT seq FROM audit_log WHERE target = 't2'")
    raw(station).execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = ?", (seq,))
    result = station.audit.verify()
    assert not result.ok and result.first_bad_seq == seq


def test_deleted_middle_row_is_detected(station: Station) -> None:
    make_entries(station)
    seq = station.db.scalar("SELECT seq FROM audit_log WHERE target = 't2'")
    raw(station).execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
    result = station.audit.verify()
    assert not result.ok and result.first_bad_seq == seq


def test_deleted_last_rows_are_detected_by_the_anchor(station: Station) -> None:
    make_entries(station)
    last = station.db.scalar("SELECT max(seq) FROM audit_log")
    raw(station).execute("DELETE FROM audit_log WHERE seq = ?", (last,))
    result = station.audit.verify()
    assert not result.ok and "end" in result.reason


def test_rewritten_chain_is_detected_by_the_signed_anchor(station: Station) -> None:
    """An attacker who recomputes every hash still cannot forge the anchor's MAC."""
    from station_console.services.audit import GENESIS, row_hash

    make_entries(station)
    conn = raw(station)
    conn.execute("DELETE FROM audit_log WHERE target = 't4'")
    prev = GENESIS
    for seq, ts, actor, action, target, detail in conn.execute(
        "SELECT seq, ts, actor, action, target, detail FROM audit_log ORDER BY seq"
    ).fetchall():
        h = row_hash(prev, ts, actor, action, target, detail)
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, seq))
        prev = h
    assert not station.audit.verify().ok


def test_cli_audit_verify_exit_codes(station: Station) -> None:
    make_entries(station)
    data_dir = str(station.paths.root)

    def verify() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "main", "--data-dir", data_dir, "audit", "verify"],
            capture_output=True,
            text=True,
            timeout=60,
        )

    ok = verify()
    assert ok.returncode == 0, ok.stderr
    assert "intact" in ok.stdout
    raw(station).execute("UPDATE audit_log SET detail = '{}' WHERE target = 't1'")
    bad = verify()
    assert bad.returncode == 1
    assert "TAMPERED" in bad.stdout


def test_logins_and_refusals_are_audited(station: Station) -> None:
    from station_console.errors import AuthenticationFailed

    with contextlib.suppress(AuthenticationFailed):
        station.accounts.sign_in("admin", "wrong")
    station.accounts.sign_in("admin", ADMIN_PASSWORD)
    actions = [e.action for e in station.audit.entries(actor="admin")]
    assert "login" in actions and "login.failed" in actions


def test_an_officers_entries_come_newest_first_straight_from_an_index(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        station.audit.append("zhang", "camera.view", f"t{i}")
        station.audit.append("li", "camera.view", f"u{i}")
    with reads(station, monkeypatch) as seen:
        mine = station.audit.entries(actor="zhang", limit=3)
    assert [e.target for e in mine] == ["t4", "t3", "t2"]
    (audit_plan,) = plans(station, seen, "audit_log")
    assert "audit_log_actor_seq (actor=?)" in audit_plan and "TEMP B-TREE" not in audit_plan


def test_an_action_filter_reads_each_matching_action_from_its_index(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        station.audit.append("zhang", "camera.view", f"c{i}")
        station.audit.append("zhang", "login", f"l{i}")
        station.audit.append("li", "camera.view.end", f"e{i}")
    station.audit.append("li", "login.failed", "x")
    with reads(station, monkeypatch) as seen:
        logins = station.audit.entries(action="LOGIN", limit=3)  # a prefix, any case
    assert [(e.action, e.target) for e in logins] == [
        ("login.failed", "x"),
        ("login", "l2"),
        ("login", "l1"),
    ]
    entry_plans = [plan(station, s, p) for s, p in seen if "ORDER BY seq DESC" in s]
    assert len(entry_plans) == 2  # login, login.failed: each newest first from the index
    assert all("audit_log_action (action=?)" in p and "TEMP B-TREE" not in p for p in entry_plans)
    names_plan = plan(station, *next((s, p) for s, p in seen if "RECURSIVE" in s))
    assert "SCAN audit_log" not in names_plan  # the action names come from index seeks
    views = station.audit.entries(action="camera.", actor="li")
    assert [e.target for e in views] == ["e2", "e1", "e0"]
    assert station.audit.entries(action="nothing") == []
