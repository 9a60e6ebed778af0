"""The fault desk, alarms, inspection rounds and the health store (real SQLite)."""

from __future__ import annotations

import calendar
import csv
import json
import time
from pathlib import Path

import pytest

from station_console.errors import PermissionDenied, ValidationError
from station_console.health.faults import Evidence, FaultFilter
from station_console.health.model import CameraState, FaultKind, FaultStatus, Severity
from station_console.health.store import CheckRecord
from station_console.services.permissions import Role
from station_console.station import Station
from tests.conftest import ADMIN_PASSWORD, sign_in_as
from tests.plans import plans, reads

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def estate(st: Station, cameras: int = 3, site: str = "人民广场") -> list[str]:
    if st.session.actor != "admin":
        st.accounts.sign_in("admin", ADMIN_PASSWORD)
    if not st.db.scalar("SELECT 1 FROM owner_units"):
        st.inventory.add_owner({"name": "幸福里物业", "kind": "property_company",
                                "contact_person": "李经理", "phone": "0571-87000002"})  # fmt: skip
    if not st.db.scalar("SELECT 1 FROM sites WHERE name = ?", (site,)):
        st.inventory.add_site({"name": site, "kind": "key_place", "community": "东城社区"})
    n = int(st.db.scalar("SELECT count(*) FROM cameras"))
    return [
        st.inventory.add_camera(
            {
                "name": f"{site}-{n + i}",
                "site": site,
                "owner": "幸福里物业",
                "onvif_url": f"http://127.0.0.1:{9000 + n + i}/onvif/device_service",
            }
        ).id
        for i in range(cameras)
    ]


def test_a_repeat_adds_an_occurrence_not_a_second_fault(station: Station) -> None:
    cam = estate(station, 1)[0]
    desk = station.health.faults
    first = desk.report_detected(
        cam, FaultKind.COVERED, Evidence(time.time(), {"luma": 25.0}, JPEG)
    )
    assert first.opened
    desk.report_recovered(cam, [FaultKind.COVERED])
    again = desk.report_detected(
        cam, FaultKind.COVERED, Evidence(time.time(), {"luma": 24.0}, JPEG)
    )
    assert again.fault_id == first.fault_id and again.repeated
    other = desk.report_detected(cam, FaultKind.OFFLINE, Evidence(time.time(), {}))
    assert other.fault_id != first.fault_id
    f = desk.fault(first.fault_id)
    assert f.occurrences == 2 and not f.recovered and f.status is FaultStatus.OPEN
    assert len(f.evidence) == 2 and f.evidence[0]["sha256"]
    assert desk.picture_path(f.evidence[0]["file"]).read_bytes() == JPEG
    # Key place: covered is high severity, due in 24 h by default.
    assert f.severity is Severity.HIGH and f.due_at > f.opened_at
    # Every change went to the outbox as a shared fault record.
    assert station.db.scalar("SELECT count(*) FROM outbox WHERE entity = 'fault'") >= 4


def test_recovery_awaits_verification_and_is_never_closed_silently(station: Station) -> None:
    cam = estate(station, 1)[0]
    desk = station.health.faults
    fid = desk.report_detected(cam, FaultKind.OFFLINE).fault_id
    assert desk.report_recovered(cam, [FaultKind.OFFLINE]) == [fid]
    f = desk.fault(fid)
    assert f.recovered and f.status is FaultStatus.OPEN and f.closed_at is None
    assert f.status_text() == "Recovered — awaiting verification"
    assert desk.report_recovered(cam, [FaultKind.OFFLINE]) == []  # already marked
    sign_in_as(station, Role.COMMUNITY_POLICE, "zhang")
    closed = desk.verify(fid, "picture checked")
    assert closed.status is FaultStatus.CLOSED and closed.step(FaultStatus.CLOSED)[0] == "zhang"


def test_life_cycle_records_who_and_when_and_only_moves_forward(station: Station) -> None:
    cam = estate(station, 1)[0]
    sign_in_as(station, Role.DUTY_OFFICER, "wang")
    desk = station.health.faults
    fid = desk.log_fault(cam, FaultKind.POLE_TILTED, "杆子被车撞歪", photo=JPEG)
    with pytest.raises(PermissionDenied):
        desk.notify_owner(fid)
    sign_in_as(station, Role.COMMUNITY_POLICE, "zhang")
    with pytest.raises(ValidationError):
        desk.verify(fid)  # not repaired yet
    desk.notify_owner(fid, "电话通知李经理")
    desk.start_repair(fid)
    with pytest.raises(ValidationError):
        desk.notify_owner(fid)  # backwards
    desk.resolve(fid, "已扶正")
    f = desk.verify(fid)
    assert f.status is FaultStatus.CLOSED and f.owner_contact == "李经理"
    assert f.owner_phone == "0571-87000002" and f.photo
    for status in (FaultStatus.OWNER_NOTIFIED, FaultStatus.IN_REPAIR, FaultStatus.RESOLVED):
        who, when = f.step(status)
        assert who == "zhang" and when
    actions = [e.action for e in desk.history(fid)]
    assert actions == ["opened", "owner_notified", "in_repair", "resolved", "closed"]
    assert station.db.scalar("SELECT status FROM fault_tickets WHERE id = ?", (fid,)) == "closed"
    assert (
        station.db.scalar(
            "SELECT count(*) FROM audit_log WHERE action LIKE 'fault.%' AND target = ?",
            (f"fault:{fid}",),
        )
        == 5
    )


def test_manual_report_of_an_open_kind_joins_it(station: Station) -> None:
    cam = estate(station, 1)[0]
    fid = station.health.faults.report_detected(cam, FaultKind.BLURRED).fault_id
    sign_in_as(station, Role.COMMUNITY_POLICE)
    assert station.health.faults.log_fault(cam, FaultKind.BLURRED, "镜头脏") == fid
    assert station.health.faults.fault(fid).occurrences == 2
    with pytest.raises(ValidationError):
        station.health.faults.log_fault(cam, FaultKind.OTHER, "")


def test_filters_overdue_and_csv_export(station: Station, tmp_path: Path) -> None:
    cams = estate(station, 3)
    desk = station.health.faults
    a = desk.report_detected(cams[0], FaultKind.OFFLINE).fault_id
    desk.report_detected(cams[1], FaultKind.CLOCK_DRIFT)
    with station.db.write() as conn:  # make one overdue
        from station_console.sync.local import record_fault_change

        record_fault_change(conn, station.outbox, a, {"due_at": "2000-01-01T00:00:00+00:00"})
    assert [f.id for f in desk.faults(FaultFilter(overdue_only=True))] == [a]
    assert desk.fault(a).overdue()
    assert len(desk.faults(FaultFilter(kinds=(FaultKind.CLOCK_DRIFT,)))) == 1
    assert len(desk.faults(FaultFilter(community="东城社区"))) == 2
    assert desk.open_by_kind() == {FaultKind.OFFLINE: 1, FaultKind.CLOCK_DRIFT: 1}
    assert desk.open_by_owner() == [("幸福里物业", 2, 1)]
    out = tmp_path / "faults.csv"
    assert desk.export_csv(out) == 2
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "Camera" and len(rows) == 3 and "李经理" in rows[1]


def test_mttr_counts_verified_closures(station: Station) -> None:
    cam = estate(station, 1)[0]
    desk = station.health.faults
    fid = desk.report_detected(cam, FaultKind.OFFLINE).fault_id
    desk.report_recovered(cam, [FaultKind.OFFLINE])
    sign_in_as(station, Role.COMMUNITY_POLICE)
    desk.verify(fid)
    hours, n = desk.mean_time_to_repair_hours()
    assert n == 1 and hours is not None and hours >= 0


def test_a_site_losing_power_is_one_alarm(station: Station) -> None:
    cams = estate(station, 40, "幸福里小区东门")
    other = estate(station, 1, "西村村口")[0]
    alarms = station.health.alarms
    raised = [alarms.camera_down(c, FaultKind.OFFLINE) for c in cams]
    assert sum(1 for r in raised if r and r.raised) == 1
    alarms.camera_down(other, FaultKind.OFFLINE)
    alarms.camera_down(cams[0], FaultKind.COVERED)  # tampering is its own family
    active = alarms.alarms()
    assert len(active) == 3
    site_alarm = next(a for a in active if len(a.camera_ids) == 40)
    sign_in_as(station, Role.DUTY_OFFICER)
    alarms.acknowledge(site_alarm.id)
    # Another camera of the same site after acknowledgement raises the same alarm again.
    extra = estate(station, 1, "幸福里小区东门")[0]
    change = alarms.camera_down(extra, FaultKind.SIGNAL_LOSS)
    assert change is not None and change.raised and change.alarm_id == site_alarm.id
    sign_in_as(station, Role.DUTY_OFFICER)
    alarms.acknowledge(site_alarm.id)
    for c in [*cams, extra]:
        alarms.camera_up(c, FaultKind.OFFLINE)
    done = next(a for a in alarms.alarms(include_done=True) if a.id == site_alarm.id)
    assert done.cleared_at and not done.down_ids and not done.needs_attention
    assert site_alarm.id not in [a.id for a in alarms.alarms()]
    sign_in_as(station, Role.TECHNICIAN)
    with pytest.raises(PermissionDenied):
        alarms.acknowledge(site_alarm.id)


def test_inspection_round_failures_become_faults(station: Station) -> None:
    cams = estate(station, 3)
    sign_in_as(station, Role.COMMUNITY_POLICE, "zhang")
    ins = station.health.inspections
    assert ins.communities() == ["东城社区"]
    rnd = ins.start("东城社区")
    assert len(rnd.items) == 3
    ins.record(rnd.id, cams[0], True, remarks="ok")
    item = ins.record(rnd.id, cams[1], False, kind=FaultKind.DIRTY_LENS, remarks="鸟粪", photo=JPEG)
    assert item.fault_id and item.result == "fail"
    with pytest.raises(ValidationError):
        ins.record(rnd.id, cams[2], False)
    ins.record(rnd.id, cams[2], False, kind=FaultKind.DIRTY_LENS, remarks="灰尘")
    done = ins.round(rnd.id)
    assert done.finished_at and done.failed == 2 and done.done == 3
    f = station.health.faults.fault(item.fault_id)
    assert f.source == "inspection" and f.kind is FaultKind.DIRTY_LENS and f.photo
    sign_in_as(station, Role.DUTY_OFFICER)
    with pytest.raises(PermissionDenied):
        ins.start("东城社区")


def test_store_rolls_up_and_reports_online_rate(station: Station) -> None:
    cams = estate(station, 2)
    store = station.health.store
    # Half past an hour already gone: the ten records a second apart must share one hourly
    # bucket (at five past the hour they straddled two, and the rate came out wrong).
    now = time.time() // 3600 * 3600 - 1800
    old = now - 40 * 86400
    recs = []
    for i in range(10):
        for ts in (old + i, now - 3600 + i):
            recs.append(CheckRecord(cams[0], ts, True, CameraState.ONLINE, "", "", 0.5, 2.0))
            recs.append(CheckRecord(cams[1], ts, i < 5, CameraState.OFFLINE if i >= 5 else
                                    CameraState.ONLINE, "offline" if i >= 5 else "", "", None, None))  # fmt: skip
    store.record(recs)
    rates = store.online_rate("community", hours=3, now=now)
    assert rates["东城社区"][0][1] == pytest.approx(0.75)
    assert store.roll_up(now) == 2
    daily = store.online_rate_daily("station", days=60)
    assert daily[""][0][1] == pytest.approx(0.75)
    assert store.summary()["offline"] == 1
    assert station.db.scalar("SELECT first_online_at IS NOT NULL FROM camera_health LIMIT 1")
    assert json.loads(station.db.scalar("SELECT baseline FROM camera_health LIMIT 1")) == {}


# -- the desk's lists on years of tickets (read paths; sizes in bench/storage.py) ------------


def _closed(st: Station, cam: str, kind: FaultKind, when: float) -> str:
    desk = st.health.faults
    fid = desk.report_detected(cam, kind, Evidence(taken_at=when)).fault_id
    desk.report_recovered(cam, [kind])
    sign_in_as(st, Role.COMMUNITY_POLICE, "zhang")
    desk.verify(fid)
    return fid


def test_all_faults_are_open_ones_then_the_newest_closed_read_from_indexes(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    cams = estate(station, 2)
    far = estate(station, 1, "西村村口")[0]
    now = time.time()
    old = [_closed(station, cams[0], FaultKind.OFFLINE, now - d * 86400) for d in (30, 20, 10)]
    elsewhere = _closed(station, far, FaultKind.BLURRED, now - 5 * 86400)
    desk = station.health.faults
    still_open = desk.report_detected(cams[1], FaultKind.FROZEN, Evidence(now - 40 * 86400))
    with reads(station, monkeypatch) as seen:
        listed = [f.id for f in desk.faults(FaultFilter(open_only=False))]
    assert listed == [still_open.fault_id, elsewhere, *reversed(old)]
    fault_plans = plans(station, seen, "fault_tickets")
    assert len(fault_plans) == 2 and "fault_tickets_closed_opened" in fault_plans[1]
    assert not any("TEMP B-TREE" in p for p in fault_plans)  # never a sort of every ticket
    two = desk.faults(FaultFilter(open_only=False, limit=2))
    assert [f.id for f in two] == [still_open.fault_id, elsewhere]
    history = desk.faults(FaultFilter(open_only=False, camera_id=cams[0]))
    assert [f.id for f in history] == old[::-1]
    assert [f.id for f in desk.faults(FaultFilter(overdue_only=True))] == [still_open.fault_id]


def test_search_finds_a_cameras_faults_by_camera_site_or_owner_through_its_index(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    cams = estate(station, 2)
    far = estate(station, 1, "西村村口")[0]
    now = time.time()
    mine = [_closed(station, cams[0], FaultKind.OFFLINE, now - d * 86400) for d in (9, 8)]
    theirs = _closed(station, far, FaultKind.OFFLINE, now - 7 * 86400)
    desk = station.health.faults
    name = station.inventory.camera(cams[0]).name
    with reads(station, monkeypatch) as seen:
        found = desk.faults(FaultFilter(open_only=False, search=name))
    assert [f.id for f in found] == mine[::-1]
    ticket_plans = plans(station, seen, "fault_tickets")
    assert ticket_plans and all("SEARCH f USING INDEX" in p for p in ticket_plans)
    assert all("(camera_id=?)" in p for p in ticket_plans)
    by_site = desk.faults(FaultFilter(open_only=False, search="西村"))
    assert [f.id for f in by_site] == [theirs]
    by_owner = desk.faults(FaultFilter(open_only=False, search="幸福里物业"))
    assert {f.id for f in by_owner} == {*mine, theirs}
    assert desk.faults(FaultFilter(search=name)) == []  # open only: none left open


def test_daily_rows_are_written_as_checks_come_and_reports_read_only_them(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    cams = estate(station, 2)
    store = station.health.store
    now = time.time() // 3600 * 3600 - 1800
    store.record(
        CheckRecord(cam, now - i, i % 2 == 0, CameraState.ONLINE, "", "", None, None)
        for cam in cams
        for i in range(4)
    )
    day = station.db.query_one(
        "SELECT sum(checks) AS checks, sum(online) AS online FROM camera_health_daily"
    )
    assert day is not None and (day["checks"], day["online"]) == (8, 4)
    # Hourly rows past their weeks go; their days stay.
    later = now + 40 * 86400
    assert store.roll_up(later) == 2
    assert station.db.scalar("SELECT sum(checks) FROM camera_health_daily") == 8
    with reads(station, monkeypatch) as seen:
        rates = store.online_rate_daily("station", days=3)
    assert rates[""] == [(time.strftime("%Y-%m-%d", time.gmtime(now)), 0.5)]
    (daily_plan,) = plans(station, seen, "camera_health_daily")
    assert "camera_health_hourly" not in seen[0][0]
    assert "SEARCH d USING PRIMARY KEY" in daily_plan


def test_the_hourly_chart_reads_places_not_cameras_and_history_stays_where_it_was(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    square = estate(station, 2)
    village = estate(station, 1, "西村村口")[0]
    store = station.health.store
    now = time.time() // 3600 * 3600 + 1800
    store.record(
        CheckRecord(cam, now - 3600, cam != square[1], CameraState.ONLINE, "", "", None, None)
        for cam in [*square, village]
    )
    # The village camera moves to the square: its past hour stays with the village.
    station.inventory.update_camera(village, {"name": "西村村口-0", "site": "人民广场"})
    store.record([CheckRecord(village, now, False, CameraState.OFFLINE, "", "", None, None)])
    with reads(station, monkeypatch) as seen:
        by_site = store.online_rate("site", hours=3, now=now)
    (chart_plan,) = plans(station, seen, "site_health_hourly")
    assert not any("camera_health_hourly" in sql for sql, _ in seen)
    assert "USING PRIMARY KEY (hour>?)" in chart_plan and "TEMP B-TREE" not in chart_plan
    last, this = (time.strftime("%Y-%m-%dT%H", time.gmtime(t)) for t in (now - 3600, now))
    assert by_site == {"人民广场": [(last, 0.5), (this, 0.0)], "西村村口": [(last, 1.0)]}
    assert store.online_rate("station", hours=3, now=now) == {"": [(last, 2 / 3), (this, 0.0)]}
    assert store.online_rate("owner", hours=3, now=now)["幸福里物业"][0] == (last, 2 / 3)


def test_the_days_health_goes_to_the_hub_once_an_hour(station: Station) -> None:
    cams = estate(station, 2)
    store = station.health.store

    def rollups() -> list[tuple[str, dict[str, object]]]:
        return [
            (str(r["entity_id"]), json.loads(r["fields"]))
            for r in station.db.query(
                "SELECT entity_id, fields FROM outbox WHERE entity = 'health_rollup' ORDER BY seq"
            )
        ]

    def check(cam: str, at: float, online: bool) -> CheckRecord:
        state = CameraState.ONLINE if online else CameraState.OFFLINE
        return CheckRecord(cam, at, online, state, "", "", None, None)

    # 23:10 UTC on the 23rd: the first batch of the hour queues the day so far.
    t = calendar.timegm(time.strptime("2026-11-23 23:10", "%Y-%m-%d %H:%M"))
    store.record([check(cams[0], t, True), check(cams[1], t, False)])
    ((rid, day),) = rollups()
    assert rid == f"{station.epoch}:health:2026-11-23"
    assert (day["checks"], day["online"], day["online_rate"]) == (2, 1, 0.5)
    assert day["cameras_by_state"] == {"online": 1, "offline": 1}
    store.record([check(cams[0], t + 60, True), check(cams[1], t + 60, True)])  # same hour
    assert len(rollups()) == 1
    # 00:05 on the 24th: the 23rd as it ended (its last hour included) and the new day.
    store.record([check(cams[0], t + 3300, True), check(cams[1], t + 3300, True)])
    assert [(i, f["checks"], f["online"]) for i, f in rollups()[1:]] == [
        (f"{station.epoch}:health:2026-11-23", 4, 3),
        (f"{station.epoch}:health:2026-11-24", 2, 2),
    ]
