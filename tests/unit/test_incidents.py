"""Incidents: capture with what exists, the report loop, response times, outcomes, links,
statistics, evidence export and its verification (real SQLite, real files, no Qt)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station_console.errors import DiskFull, EvidenceChanged, PermissionDenied, ValidationError
from station_console.incidents import (
    Category,
    ClipRecord,
    ClipState,
    IncidentFilter,
    Missing,
    Outcome,
    Priority,
    ReportStatus,
    State,
    verify,
)
from station_console.incidents.evidence import IncidentSheet
from station_console.services.permissions import Role
from station_console.station import Station, open_station
from tests.conftest import ADMIN_PASSWORD, sign_in_as
from tests.plans import reads

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def fake_sheet(sheet: IncidentSheet, path: Path) -> None:
    """Stands in for the Qt PDF renderer (tested in tests/gui)."""
    text = "\n".join(
        [sheet.title] + [f"{line.label}: {line.value}" for i in sheet.incidents for line in i.lines]
    )
    path.write_bytes(b"%PDF-1.4 fake\n" + text.encode("utf-8"))


def captured(st: Station, **kw: object) -> str:
    inc = st.incidents.capture(
        kw.pop("camera_id", "cam-1"),  # type: ignore[arg-type]
        datetime.now(UTC),
        snapshot=kw.pop("snapshot", JPEG),  # type: ignore[arg-type]
        width=4,
        height=3,
        **kw,  # type: ignore[arg-type]
    )
    return inc.id


def write_clip(st: Station, incident_id: str, seconds: float = 10.0) -> ClipRecord:
    path = st.incidents.clip_path(incident_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = os.urandom(2048)
    path.write_bytes(data)
    now = time.time()
    return ClipRecord(
        str(path), hashlib.sha256(data).hexdigest(), len(data), now - seconds, now,
        now - 30, now + 30, 250,
    )  # fmt: skip


def test_capture_with_camera_offline_still_creates_the_incident(station: Station) -> None:
    sign_in_as(station, Role.DUTY_OFFICER, "wang")
    inc = station.incidents.capture(
        "cam-9",
        datetime.now(UTC),
        snapshot=None,
        missing=[Missing("snapshot", "offline"), Missing("clip", "offline")],
    )
    assert inc.state is State.CAPTURED and inc.report_status is ReportStatus.NOT_REPORTED
    assert [m.what for m in inc.missing] == ["snapshot", "clip"]
    assert "not sending video" in inc.missing[0].message().render()
    assert inc.officer == "wang" and inc.clip_state is ClipState.NONE
    assert station.incidents.media_of(inc.id) == []
    # Nothing is queued for the hub before the officer reports it.
    assert not station.db.scalar("SELECT count(*) FROM outbox WHERE entity = 'incident'")
    assert inc.number.endswith("-001")
    assert station.incidents.capture(None, datetime.now(UTC)).number.endswith("-002")


def test_snapshot_is_saved_with_metadata_and_checksum(station: Station) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    incident_id = captured(station, clip_due_at=datetime.now(UTC) + timedelta(seconds=30))
    inc = station.incidents.incident(incident_id)
    assert inc.clip_state is ClipState.PENDING
    (snap,) = station.incidents.media_of(incident_id)
    data = Path(snap.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == snap.sha256
    assert incident_id.encode() in data  # the JPEG comment names the incident
    assert Path(snap.path).is_relative_to(station.paths.media)
    # The clip arrives later; its real span is recorded next to the asked one.
    clip = write_clip(station, incident_id, seconds=12)
    done = station.incidents.attach_clip(incident_id, clip)
    assert done.clip_state is ClipState.SAVED
    media = {m.kind: m for m in station.incidents.media_of(incident_id)}
    assert media["clip"].short_of_asked() and round(media["clip"].seconds) == 12
    assert round(media["clip"].asked_seconds) == 60
    with pytest.raises(ValidationError):  # only once, and only for a pending capture
        station.incidents.attach_clip(incident_id, write_clip(station, incident_id))


def test_clip_failure_and_lost_pending_clips_are_stated(station: Station) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    a = captured(station, clip_due_at=datetime.now(UTC) + timedelta(seconds=30))
    failed = station.incidents.clip_failed(a, "failed", "No space left on device")
    assert failed.clip_state is ClipState.FAILED
    assert "No space left on device" in failed.missing[-1].message().render()
    b = captured(station, clip_due_at=datetime.now(UTC) - timedelta(minutes=5))
    assert station.incidents.recover_pending() == 1
    lost = station.incidents.incident(b)
    assert lost.clip_state is ClipState.FAILED and lost.missing[-1].reason == "interrupted"


def test_report_goes_to_the_outbox_and_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    st = open_station(data, use_keyring=False)
    st.accounts.create_first_admin("admin", "管理员", ADMIN_PASSWORD)
    sign_in_as(st, Role.DUTY_OFFICER, "li")
    ids = [captured(st) for _ in range(3)]
    for incident_id in ids[:2]:
        inc = st.incidents.report(incident_id, Category.FIGHT, Priority.URGENT, "两人在东门斗殴")
        assert inc.state is State.REPORTED and inc.report_status is ReportStatus.QUEUED
    st.close()  # no hub configured: nothing was sent

    st = open_station(data, use_keyring=False)
    try:
        sign_in_as(st, Role.DUTY_OFFICER, "li")
        rows = st.db.query("SELECT entity_id, fields FROM outbox WHERE entity = 'incident'")
        assert {r["entity_id"] for r in rows} == set(ids[:2])
        fields = json.loads(rows[0]["fields"])
        assert fields["category"] == "fight" and fields["media"][0]["kind"] == "snapshot"
        assert "officer" not in fields  # the account name stays here
        status = {i.id: i.report_status for i in st.incidents.search()}
        assert status == {
            ids[0]: ReportStatus.QUEUED,
            ids[1]: ReportStatus.QUEUED,
            ids[2]: ReportStatus.NOT_REPORTED,
        }
        assert st.incidents.changes_waiting() == 2
        # The hub confirms the push (the engine advances pushed_seq) → sent.
        top = st.db.scalar("SELECT max(seq) FROM outbox")
        with st.db.write() as conn:
            conn.execute(
                "INSERT INTO sync_state(key, value) VALUES ('pushed_seq', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(top),),
            )
        assert st.incidents.incident(ids[0]).report_status is ReportStatus.SENT
        # An instruction linked to the incident comes back: acknowledged and dispatched.
        reported_at = st.incidents.incident(ids[0]).reported_at
        assert reported_at is not None
        issued = (datetime.fromisoformat(reported_at) + timedelta(seconds=40)).isoformat()
        received = (datetime.fromisoformat(reported_at) + timedelta(seconds=45)).isoformat()
        with st.db.write() as conn:
            conn.execute(
                "INSERT INTO hub_instructions(id, title, body, incident_id, issued_by, "
                "issued_at, hlc, received_at) VALUES ('ins-1', '设卡拦截', '东门外', ?, "
                "'指挥中心', ?, '0', ?)",
                (ids[0], issued, received),
            )
        assert st.incidents.apply_hub_answers() == 1
        assert st.incidents.apply_hub_answers() == 0
        inc = st.incidents.incident(ids[0])
        assert inc.state is State.DISPATCHED and inc.dispatched_at is not None
        assert inc.report_status is ReportStatus.ACKNOWLEDGED
        assert st.incidents.changes_waiting() == 1  # the dispatch itself goes up too
        detail = st.incidents.detail(ids[0])
        timing = detail.timings[0]
        assert timing.stage is State.DISPATCHED and 39 <= (timing.elapsed_s or 0) <= 41
        assert not timing.overdue
        (pending,) = st.incidents.instructions(pending_only=True)
        st.incidents.acknowledge_instruction(pending.id)
        assert st.incidents.instructions(pending_only=True) == []
        last = json.loads(
            st.db.query(
                "SELECT fields FROM outbox WHERE entity_id = ? ORDER BY seq DESC", (ids[0],)
            )[0]["fields"]
        )
        assert last["instruction_acks"][0]["instruction_id"] == "ins-1"
    finally:
        st.close()


def test_full_resync_sends_only_reported_incidents_as_reported(station: Station) -> None:
    """A full resync (restored hub) queues the incident the service shaped, not the raw row:
    an unreported draft stays at the station and no account name leaves it."""
    from station_console.sync import local

    sign_in_as(station, Role.DUTY_OFFICER, "li")
    reported, draft = captured(station), captured(station)
    station.incidents.report(reported, Category.FIGHT, Priority.URGENT, "东门斗殴")
    top = station.db.scalar("SELECT max(seq) FROM outbox")
    with station.db.write() as conn:
        local.requeue_all(conn, station.outbox)
    rows = station.db.query(
        "SELECT entity_id, fields FROM outbox WHERE entity = 'incident' AND seq > ?", (top,)
    )
    assert [r["entity_id"] for r in rows] == [reported]
    fields = json.loads(rows[0]["fields"])
    assert "officer" not in fields and fields["media"][0]["kind"] == "snapshot"
    assert draft not in {r["entity_id"] for r in station.db.query("SELECT entity_id FROM outbox")}


def test_life_cycle_response_targets_outcome_and_stats(station: Station) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    service = station.incidents
    t0 = datetime.now(UTC)
    clock = [t0]
    service.clock = lambda: clock[0]
    incident_id = captured(station)
    with pytest.raises(ValidationError):  # report first
        service.advance(incident_id, State.DISPATCHED)
    service.report(incident_id, Category.THEFT, Priority.NORMAL)
    clock[0] = t0 + timedelta(seconds=90)
    inc = service.incident(incident_id)
    assert service.overdue(inc)  # no dispatch after 90 s: over the 1-minute target
    dispatch = service.timings(inc)[0]
    assert dispatch.overdue and not dispatch.reached
    assert dispatch.elapsed_s == pytest.approx(90, abs=0.01)
    service.advance(incident_id, State.DISPATCHED)
    clock[0] = t0 + timedelta(seconds=150)
    service.advance(incident_id, State.ON_SCENE)
    with pytest.raises(ValidationError):  # never backwards
        service.advance(incident_id, State.DISPATCHED)
    with pytest.raises(ValidationError):
        service.record_outcome(incident_id, Outcome.NONE)
    clock[0] = t0 + timedelta(seconds=400)
    closed = service.record_outcome(incident_id, Outcome.CURRENT_CASE_SOLVED, 2, "当场抓获")
    assert closed.state is State.CLOSED
    stages = {t.stage: t for t in service.timings(closed)}
    assert stages[State.DISPATCHED].overdue
    assert not stages[State.ON_SCENE].overdue and not stages[State.CLOSED].overdue
    other = captured(station)
    service.record_outcome(other, Outcome.FALSE_ALARM)
    clue = captured(station)
    service.record_outcome(clue, Outcome.CLUE_PROVIDED)
    # A backlog case solved weeks later: the outcome is corrected without reopening.
    service.record_outcome(clue, Outcome.BACKLOG_CASE_SOLVED, 1, close=False)
    *days, total = service.stats(t0 - timedelta(days=1), t0 + timedelta(days=1), "day")
    assert (total.incidents, total.video_clues, total.cases_solved, total.suspects_caught) == (
        3, 2, 2, 3,
    )  # fmt: skip
    assert total.false_alarms == 1 and total.overdue == 1 and sum(d.incidents for d in days) == 3
    found = service.search(IncidentFilter(outcome=Outcome.FALSE_ALARM))
    assert [i.id for i in found] == [other]
    assert [i.id for i in service.search(IncidentFilter(category=Category.THEFT))] == [incident_id]
    assert service.search(IncidentFilter(state=State.REPORTED)) == []


def test_statistics_read_a_period_in_one_statement(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    service = station.incidents
    for _ in range(4):
        incident_id = captured(station)
        service.report(incident_id, Category.THEFT, Priority.NORMAL)
    now = datetime.now(UTC)
    with reads(station, monkeypatch) as seen:
        (month, total) = service.stats(now - timedelta(days=1), now + timedelta(days=1), "month")
    assert (total.incidents, total.reported, month.incidents) == (4, 4, 4)
    assert len(seen) == 1  # not a question to the outbox per incident


def test_links_are_symmetric(station: Station) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    a, b, c = (captured(station) for _ in range(3))
    station.incidents.link(a, b)
    station.incidents.link(c, a)
    assert {i.id for i in station.incidents.detail(a).linked} == {b, c}
    assert [i.id for i in station.incidents.detail(b).linked] == [a]
    with pytest.raises(ValidationError):
        station.incidents.link(a, a)
    station.incidents.unlink(b, a)
    assert [i.id for i in station.incidents.detail(b).linked] == []


@pytest.mark.parametrize("role", [Role.TECHNICIAN])
def test_permission_refusals_are_enforced_and_audited(station: Station, role: Role) -> None:
    sign_in_as(station, Role.DUTY_OFFICER, "duty")
    incident_id = captured(station)
    sign_in_as(station, role)
    with pytest.raises(PermissionDenied):
        captured(station)
    with pytest.raises(PermissionDenied):
        station.incidents.search()
    with pytest.raises(PermissionDenied):
        station.incidents.report(incident_id, Category.OTHER, Priority.NORMAL)
    sign_in_as(station, Role.COMMUNITY_POLICE, "community")
    station.incidents.search()  # community police may read and report ...
    with pytest.raises(PermissionDenied):  # ... but not export video of people
        station.evidence.export([incident_id], Path("/nonexistent"), render_sheet=fake_sheet)
    refused = station.db.query(
        "SELECT actor, target FROM audit_log WHERE action = 'permission.refused'"
    )
    assert ("community", "export_evidence") in {(r[0], r[1]) for r in refused}
    assert (role.value, "report_incidents") in {(r[0], r[1]) for r in refused}


def test_export_verify_and_tampering(station: Station, tmp_path: Path) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    a = captured(station, clip_due_at=datetime.now(UTC))
    station.incidents.attach_clip(a, write_clip(station, a))
    b = captured(station)
    station.incidents.link(a, b)
    station.incidents.report(a, Category.SUSPICIOUS_PERSON, Priority.URGENT, "戴帽子的男子")
    out = tmp_path / "export"
    result = station.evidence.export([a], out, render_sheet=fake_sheet)
    numbers = sorted(station.incidents.incident(x).number for x in (a, b))
    report = verify(out)
    assert report.ok and report.files == result.files == 6  # 2 media + 2 json + sheet + b's snap
    assert sorted(report.incidents) == numbers  # the linked incident came along
    assert report.manifest_sha256 == result.manifest_sha256
    sheet = (out / "incident-sheet.pdf").read_bytes().decode("utf-8", "replace")
    assert "可疑人员" in sheet and "紧急" in sheet  # Chinese whatever the UI language
    audit = station.db.query("SELECT detail FROM audit_log WHERE action = 'evidence.export'")
    assert json.loads(audit[-1]["detail"])["manifest_sha256"] == result.manifest_sha256

    zipped = station.evidence.export(
        [a], tmp_path / "export2", as_zip=True, render_sheet=fake_sheet
    )
    assert zipped.path.suffix == ".zip" and verify(zipped.path).ok

    # Tampering: a changed byte, a removed file, an added file, an edited manifest.
    clip = next(out.rglob("clip-*.mp4"))
    raw = bytearray(clip.read_bytes())
    raw[100] ^= 0xFF
    clip.write_bytes(bytes(raw))
    next(out.rglob("snapshot-*.jpg")).unlink()
    (out / "extra.txt").write_text("x")
    bad = verify(out)
    assert not bad.ok
    assert {p.reason for p in bad.problems} == {"changed", "missing", "unexpected"}
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["files"][0]["sha256"] = "0" * 64
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert "sums_differ" in {p.reason for p in verify(out).problems}

    # A zip whose member was replaced.
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(zipped.path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".pdf"):
                data += b"forged"
            dst.writestr(info, data)
    assert [p.reason for p in verify(tampered).problems] == ["changed"]

    # The CLI: exit 0 for intact, 1 for tampered; --audit finds the export in the log.
    env = {**os.environ, "SC_NO_KEYRING": "1"}
    cmd = [sys.executable, "-m", "main", "--data-dir", str(station.paths.root), "evidence"]
    ok = subprocess.run(
        [*cmd, "verify", "--audit", str(zipped.path)], capture_output=True, text=True,
        timeout=120, env=env,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "audit log recorded this export" in ok.stdout
    failed = subprocess.run(
        [*cmd, "verify", "--json", str(out)], capture_output=True, text=True, timeout=120, env=env
    )
    assert failed.returncode == 1 and json.loads(failed.stdout)["ok"] is False


def test_export_refuses_changed_media_and_leaves_nothing_when_the_disk_is_full(
    station: Station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(station, Role.DUTY_LEADER)
    exports = tmp_path / "exports"
    exports.mkdir()
    a = captured(station)
    snap = Path(station.incidents.media_of(a)[0].path)
    good = snap.read_bytes()
    snap.write_bytes(good + b"edited")
    with pytest.raises(EvidenceChanged):
        station.evidence.export([a], exports / "x", render_sheet=fake_sheet)
    snap.write_bytes(good)
    assert list(exports.iterdir()) == []  # no staging folder left behind

    def full(_sheet: IncidentSheet, _path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    for as_zip in (False, True):
        with pytest.raises(DiskFull) as info:
            station.evidence.export([a], exports / "y", as_zip=as_zip, render_sheet=full)
        assert "No space left on device" in str(info.value)
        assert list(exports.iterdir()) == []
    assert not station.db.scalar("SELECT count(*) FROM audit_log WHERE action='evidence.export'")


def test_capture_when_the_snapshot_cannot_be_written(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    import station_console.incidents.service as service_mod

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(service_mod, "write_atomic", full)
    inc = station.incidents.incident(captured(station))
    assert inc.missing[0].reason == "write_failed"
    assert "No space left on device" in inc.missing[0].message().render()
    assert not list(station.paths.media.rglob("*.jpg"))

    # A record that cannot be written leaves no file behind.
    monkeypatch.undo()

    def broken(*_a: object, **_k: object) -> int:
        raise DiskFull(
            "storage", "The disk holding the station database ({path}) is full.", path="x"
        )

    monkeypatch.setattr(station.audit, "append", broken)
    with pytest.raises(DiskFull):
        captured(station)
    assert len(list(station.paths.media.rglob("*.jpg"))) == 0


def test_bulletins_list_photos_and_sightings(station: Station) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    photo = b"\x89PNG fake photo"
    fields = {
        "title": "协查：盗窃嫌疑人",
        "photos": [
            {"id": "m-1", "name": "suspect.png", "sha256": hashlib.sha256(photo).hexdigest(),
             "type": "image/png", "size": len(photo)},
            {"id": "../../etc/passwd", "name": "evil"},
        ],
    }  # fmt: skip
    with station.db.write() as conn:
        conn.execute(
            "INSERT INTO hub_bulletins(id, title, body, issued_at, fields, hlc, received_at) "
            "VALUES ('b-1', '协查：盗窃嫌疑人', '身高一米七', '2024-01-01T00:00:00', ?, '0', ?)",
            (json.dumps(fields), datetime.now(UTC).isoformat()),
        )
    (bulletin,) = station.incidents.bulletins()
    assert [p.id for p in bulletin.photos] == ["m-1"]  # a hostile id is dropped
    assert station.incidents.cached_photo(bulletin.photos[0]) is None
    with pytest.raises(ValidationError):
        station.incidents.store_photo(bulletin.photos[0], b"not it")
    path = station.incidents.store_photo(bulletin.photos[0], photo)
    assert station.incidents.cached_photo(bulletin.photos[0]) == path
    captured(station, bulletin_id="b-1")
    assert station.incidents.bulletins()[0].sightings == 1
