"""Patrol: schedules across midnight and clock changes, tours, watches, coverage, shifts."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from station_console.errors import PermissionDenied, ValidationError
from station_console.health.model import FaultKind
from station_console.patrol_schedule import Window, parse_hhmm
from station_console.services.patrol import PlanStep
from station_console.services.permissions import Role
from station_console.station import Station
from station_console.sync import local
from station_console.tour import Tour, TourStep, WeightedStep, weighted_order
from tests.conftest import ADMIN_PASSWORD, sign_in_as
from tests.plans import plan, plans, reads

NIGHT = Window(time(20, 0), time(4, 0))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- schedules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "active"),
    [("2026-11-23 19:59", False), ("2026-11-23 20:00", True), ("2026-11-23 23:59", True),
     ("2026-11-24 00:00", True), ("2026-11-24 03:59", True), ("2026-11-24 04:00", False),
     ("2026-11-24 12:00", False)],
)  # fmt: skip
def test_night_window_crosses_midnight(now: str, active: bool) -> None:
    assert NIGHT.active(at(now)) is active


def test_weekday_and_dates_belong_to_the_night_they_start() -> None:
    fridays = Window(time(20, 0), time(4, 0), weekdays="5")  # 2026-11-27 is a Friday
    assert fridays.active(at("2026-11-28 02:00"))  # Saturday small hours: Friday's night
    assert not fridays.active(at("2026-11-27 02:00"))  # Friday small hours: Thursday's night
    ranged = Window(
        time(20, 0), time(4, 0), first_day=date(2026, 11, 1), last_day=date(2026, 11, 5)
    )
    assert ranged.active(at("2026-11-06 03:00"))  # the night of the 5th runs into the 6th
    assert not ranged.active(at("2026-11-06 21:00"))
    assert ranged.opening(at("2026-11-06 03:00")) == at("2026-11-05 20:00")
    assert ranged.closing(at("2026-11-05 20:00")) == at("2026-11-06 04:00")


def test_clock_jumps_are_just_another_now() -> None:
    # The same window evaluated before and after a jump back of one hour, or a day.
    now = at("2026-11-24 04:30")
    assert not NIGHT.active(now)
    assert NIGHT.active(now - timedelta(hours=1))
    assert NIGHT.active(now - timedelta(days=1) - timedelta(hours=1))
    assert not NIGHT.active(now + timedelta(hours=14))


def test_bad_schedule_input_is_named() -> None:
    with pytest.raises(ValidationError):
        parse_hhmm("25:00")
    with pytest.raises(ValidationError):
        Window(time(1), time(2), weekdays="8")
    with pytest.raises(ValidationError):
        Window(time(1), time(2), first_day=date(2026, 2, 2), last_day=date(2026, 2, 1))
    assert Window.from_json(NIGHT.to_json()) == NIGHT


# -- tours --------------------------------------------------------------------------------


def test_priority_brings_key_places_round_more_often_and_evenly() -> None:
    a, b, c = (TourStep(x, 10) for x in "abc")
    order = weighted_order([WeightedStep(a, 3), WeightedStep(b), WeightedStep(c)])
    ids = [s.camera_id for s in order]
    assert ids.count("a") == 3 and ids.count("b") == 1 and ids.count("c") == 1
    assert "aa" not in "".join(ids)  # spread out, not back to back


def test_tour_pages_skip_offline_cameras_and_pinned_tiles() -> None:
    steps = [TourStep(x, 10) for x in "abcdef"]
    offline = {"c": "camera offline"}
    tour = Tour(steps, tiles=2, usable=lambda cid: (cid not in offline, offline.get(cid, "")))
    assert [s.camera_id for s in tour.current().steps] == ["a", "b"]
    assert [s.camera_id for s in tour.peek_next().steps] == ["d", "e"]
    assert not tour.skipped  # peeking records nothing
    assert [s.camera_id for s in tour.advance().steps] == ["d", "e"]
    assert [(s.camera_id, why) for s, why in tour.skipped] == [("c", "camera offline")]
    tour.pinned.add(1)
    assert [s.camera_id for s in tour.advance().steps] == ["f"]
    assert [s.camera_id for s in tour.back().steps] == ["d"]


# -- the service, on a real station ----------------------------------------------------------


def seed(st: Station, n: int = 6) -> list[str]:
    st.inventory.add_site({"name": "人民广场", "kind": "key_place", "community": "东城"})
    st.inventory.add_site({"name": "幸福里小区", "kind": "residential", "community": "东城"})
    ids = []
    for i in range(n):
        site = "人民广场" if i < 2 else "幸福里小区"
        ids.append(st.inventory.add_camera({"name": f"cam-{i}", "kind": "bullet", "site": site}).id)
    return ids


def test_plan_with_sites_watches_and_due_time(station: Station) -> None:
    cams = seed(station)
    square = next(s for s in station.inventory.sites() if s.name == "人民广场")
    plan = station.patrol.save_plan(
        "夜间重点部位",
        [PlanStep(site_id=square.id, priority=2), PlanStep(camera_id=cams[5], check="门岗在岗")],
        windows=[NIGHT],
        dwell_s=10,
    )
    assert station.patrol.due_plans(at("2026-11-23 22:00")) == [plan]
    assert station.patrol.due_plans(at("2026-11-23 12:00")) == []
    cycle = station.patrol.cycle(plan, now=at("2026-11-23 22:00"))
    assert sorted(s.camera_id for s in cycle) == sorted(
        [cams[0], cams[0], cams[1], cams[1], cams[5]]
    )
    assert next(s for s in cycle if s.camera_id == cams[5]).check == "门岗在岗"
    watch = station.patrol.add_watch(
        "空屋预约：幸福里3栋", [cams[3]], date(2026, 12, 1), date(2026, 12, 7), address="3栋201"
    )
    before = station.patrol.cycle(plan, now=at("2026-11-30 22:00"))
    during = station.patrol.cycle(plan, now=at("2026-12-03 22:00"))
    after = station.patrol.cycle(plan, now=at("2026-12-08 22:00"))
    assert cams[3] not in {s.camera_id for s in before}
    assert [s.watch_id for s in during if s.camera_id == cams[3]] == [watch.id]
    assert cams[3] not in {s.camera_id for s in after}
    with pytest.raises(ValidationError):
        station.patrol.save_plan("夜间重点部位", [PlanStep(camera_id=cams[0])])  # same name


def test_plans_need_the_right_role(station: Station) -> None:
    cams = seed(station, 1)
    sign_in_as(station, Role.DUTY_OFFICER)
    with pytest.raises(PermissionDenied):
        station.patrol.save_plan("x", [PlanStep(camera_id=cams[0])])
    station.patrol.add_watch("空屋", [cams[0]], date(2026, 1, 1), date(2026, 1, 2))  # allowed
    with pytest.raises(PermissionDenied):
        station.duty.record_spot_check("ok")


def _viewed(st: Station, camera_id: str, start: datetime, seconds: float) -> None:
    with st.db.write() as conn:
        conn.execute(
            "INSERT INTO camera_views(camera_id, username, started_at, heartbeat_at, ended_at, "
            "seconds, tiles_on_wall, stream) VALUES (?, 'admin', ?, ?, ?, ?, 4, 'sub')",
            (camera_id, start.isoformat(), (start + timedelta(seconds=seconds)).isoformat(),
             (start + timedelta(seconds=seconds)).isoformat(), seconds),
        )  # fmt: skip


def test_coverage_counts_time_on_screen_clipped_to_the_period(station: Station) -> None:
    cams = seed(station, 3)
    plan = station.patrol.save_plan("p", [PlanStep(camera_id=c) for c in cams], dwell_s=10)
    t0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    _viewed(station, cams[0], t0, 12)  # covered
    _viewed(station, cams[1], t0, 4)  # two short looks add up ...
    _viewed(station, cams[1], t0 + timedelta(minutes=5), 7)  # ... to 11 s: covered
    _viewed(station, cams[2], t0 - timedelta(seconds=8), 12)  # only 4 s inside the period
    cov = station.patrol.coverage(plan, since=t0, until=t0 + timedelta(hours=1))
    assert (cov.planned, cov.covered) == (3, 2)
    assert cov.missed() == [cams[2]]
    assert cov.ratio == pytest.approx(2 / 3)
    by_other = station.patrol.coverage(plan, since=t0, username="nobody")
    assert by_other.covered == 0


def test_roll_up_keeps_totals_and_drops_raw_rows(station: Station) -> None:
    cams = seed(station, 1)
    old = datetime.now(UTC) - timedelta(days=120)
    for i in range(3):
        _viewed(station, cams[0], old + timedelta(minutes=i), 10)
    assert station.patrol.roll_up() == 3
    row = station.db.query_one("SELECT shows, seconds FROM patrol_daily")
    assert row is not None and (row["shows"], row["seconds"]) == (3, 30)
    assert station.db.scalar("SELECT count(*) FROM camera_views") == 0


def test_shift_handover_carries_open_items(station: Station) -> None:
    cams = seed(station, 1)
    today = datetime.now().date()
    station.patrol.add_watch("空屋预约", [cams[0]], today, today + timedelta(days=3))
    sign_in_as(station, Role.DUTY_OFFICER, "zhang")
    shift = station.duty.start()
    assert station.duty.start().id == shift.id  # idempotent
    vid = station.wall.open_viewing(cams[0], tiles_on_wall=4, large=False, stream="sub")
    assert station.db.scalar("SELECT shift_id FROM camera_views WHERE id = ?", (vid,)) == shift.id
    station.duty.log("note", "3栋门口有可疑人员，已通报")
    ended = station.duty.end("夜班平稳。")
    assert ended.ended_at and ended.handover_note == "夜班平稳。"
    assert [i.kind for i in ended.open_items] == ["watch"]
    sign_in_as(station, Role.DUTY_OFFICER, "li")
    assert station.duty.last_handover() == ended
    nxt = station.duty.start()
    assert (
        station.db.scalar("SELECT taken_over_from FROM duty_shifts WHERE id = ?", (nxt.id,))
        == shift.id
    )
    assert [e.kind for e in station.duty.events(shift.id)] == ["start", "note", "end"]
    with pytest.raises(ValidationError):
        sign_in_as(station, Role.DUTY_OFFICER, "wang")
        station.duty.end("x")


def test_spot_check_records_duty_and_coverage(station: Station) -> None:
    cams = seed(station, 2)
    station.patrol.save_plan("p", [PlanStep(camera_id=c) for c in cams], dwell_s=10)
    sign_in_as(station, Role.DUTY_OFFICER, "zhang")
    station.duty.start()
    station.wall.open_viewing(cams[0], tiles_on_wall=4, large=False, stream="sub")
    sign_in_as(station, Role.DUTY_LEADER, "leader")
    view = station.duty.spot_view()
    assert [s.username for s in view.on_duty] == ["zhang"]
    assert [(o, c) for o, c, _ in view.showing] == [("zhang", cams[0])]
    ((name, cov),) = view.coverage
    assert name == "p" and cov.planned == 2
    check = station.duty.record_spot_check("在岗，画面正常")
    assert check > 0
    assert station.db.scalar("SELECT count(*) FROM audit_log WHERE action='duty.spot_check'") == 1
    gid = station.duty.record_guard_check(cams[1], "门岗在岗", True, remarks="着装规范")
    assert station.db.scalar("SELECT passed FROM guard_checks WHERE id = ?", (gid,)) == 1
    station.accounts.sign_in("admin", ADMIN_PASSWORD)


# -- read paths on years of history (sizes in bench/storage.py) -------------------------------


def _reference_order(items: list[WeightedStep]) -> list[TourStep]:
    """Smooth weighted round robin as first written: every step, every round."""
    total = sum(max(1, i.weight) for i in items)
    current = [0] * len(items)
    order = []
    for _ in range(total):
        for n, item in enumerate(items):
            current[n] += max(1, item.weight)
        best = max(range(len(items)), key=lambda n: (current[n], -n))
        current[best] -= total
        order.append(items[best].step)
    return order


def test_weighted_order_is_the_round_robin_it_always_was() -> None:
    rng = random.Random(8)
    for _ in range(500):
        items = [
            WeightedStep(TourStep(f"c{rng.randrange(12)}", 10), rng.choice([0, 1, 1, 2, 3, 5]))
            for _ in range(rng.randrange(1, 40))
        ]
        assert weighted_order(items) == _reference_order(items)


def test_coverage_reads_only_viewings_that_reach_into_the_period(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    cams = seed(station, 2)
    plan = station.patrol.save_plan("p", [PlanStep(camera_id=c) for c in cams], dwell_s=10)
    t0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    for day in range(1, 30):  # a month of viewings before the period
        _viewed(station, cams[0], t0 - timedelta(days=day), 30)
    _viewed(station, cams[0], t0 + timedelta(minutes=1), 12)
    for username in (None, "admin"):
        with reads(station, monkeypatch) as seen:
            cov = station.patrol.coverage(plan, t0, t0 + timedelta(hours=1), username=username)
        assert (cov.planned, cov.covered) == (2, 1)
        (views,) = plans(station, seen, "camera_views")
        assert "camera_views_camera_end (camera_id=? AND <expr>>?)" in views


def test_the_spot_check_finds_what_is_on_screen_from_the_open_viewings_index(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    cams = seed(station, 2)
    _viewed(station, cams[0], datetime(2026, 1, 1, tzinfo=UTC), 30)
    sign_in_as(station, Role.DUTY_OFFICER, "zhang")
    station.wall.open_viewing(cams[1], tiles_on_wall=4, large=False, stream="sub")
    sign_in_as(station, Role.DUTY_LEADER, "leader")
    with reads(station, monkeypatch) as seen:
        view = station.duty.spot_view()
    assert [(o, c) for o, c, _ in view.showing] == [("zhang", cams[1])]
    (showing,) = [plan(station, s, p) for s, p in seen if "FROM camera_views" in s]
    assert "USING INDEX camera_views_open" in showing and "TEMP B-TREE" not in showing


def test_a_watch_running_last_night_is_still_active_after_midnight(station: Station) -> None:
    cams = seed(station, 1)
    night = station.patrol.add_watch(
        "空屋预约", [cams[0]], date(2026, 12, 1), date(2026, 12, 7), windows=[NIGHT]
    )
    station.patrol.add_watch("早已结束", [cams[0]], date(2026, 1, 1), date(2026, 1, 7))
    # 02:00 on the 8th: the window opened at 20:00 on the 7th, the watch's last day.
    assert [w.id for w in station.patrol.watches(active_at=at("2026-12-08 02:00"))] == [night.id]
    assert station.patrol.watches(active_at=at("2026-12-08 21:00")) == []
    assert len(station.patrol.watches()) == 2


def test_the_handover_lists_open_camera_faults(station: Station) -> None:
    cams = seed(station, 2)
    desk = station.health.faults
    open_fault = desk.report_detected(cams[0], FaultKind.OFFLINE).fault_id
    fixed = desk.report_detected(cams[1], FaultKind.OFFLINE).fault_id
    desk.report_recovered(cams[1], [FaultKind.OFFLINE])
    desk.verify(fixed)
    sign_in_as(station, Role.DUTY_OFFICER, "zhang")
    station.duty.start()
    ended = station.duty.end("交班")
    faults = [i for i in ended.open_items if i.kind == "fault"]
    assert [i.ref for i in faults] == [open_fault]
    assert faults[0].text == "cam-0: offline"


def _queued(st: Station, entity: str) -> list[tuple[str, dict[str, object]]]:
    return [
        (str(r["entity_id"]), json.loads(r["fields"]))
        for r in st.db.query(
            "SELECT entity_id, fields FROM outbox WHERE entity = ? ORDER BY seq", (entity,)
        )
    ]


def test_an_ended_shift_goes_to_the_hub_with_its_patrol_coverage(station: Station) -> None:
    cams = seed(station, 3)
    plan = station.patrol.save_plan("重点部位", [PlanStep(camera_id=c) for c in cams], dwell_s=3)
    station.patrol.save_plan(
        "空计划",
        [PlanStep(site_id=station.inventory.add_site({"name": "空地", "kind": "road"}).id)],
    )
    station.accounts.create_user("zhang", "张警官", Role.DUTY_OFFICER, "password-123")
    station.accounts.sign_in("zhang", "password-123")
    shift = station.duty.start()
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    with station.db.write() as conn:  # the shift began an hour ago
        conn.execute("UPDATE duty_shifts SET started_at = ?", (an_hour_ago.isoformat(),))
    _viewed(station, cams[0], an_hour_ago + timedelta(minutes=5), 5)  # covered
    _viewed(station, cams[1], an_hour_ago - timedelta(minutes=5), 60)  # before the shift
    station.duty.log("note", "巡查一遍")
    assert _queued(station, "duty_log") == []  # a shift still running is not sent
    station.duty.end("夜班平稳。")

    ((duty_id, duty),) = _queued(station, "duty_log")
    assert duty_id == f"{station.epoch}:shift:{shift.id}"  # unique across the district
    assert duty["officer_name"] == "张警官"
    assert "username" not in duty and "zhang" not in json.dumps(duty, ensure_ascii=False)
    assert duty["handover_note"] == "夜班平稳。" and duty["log_entries"] == 1
    assert (duty["plans_covered"], duty["plans_planned"]) == (1, 3)
    ((patrol_id, patrol),) = _queued(station, "patrol_log")  # the plan with no camera: none
    assert patrol_id == f"{duty_id}:plan:{plan.id}"
    assert (patrol["plan_name"], patrol["planned"], patrol["covered"]) == ("重点部位", 3, 1)
    assert patrol["missed"] == cams[1:] and patrol["duty_log_id"] == duty_id

    # A full resync (the hub lost the station's history) sends them again, as they were sent.
    with station.db.write() as conn:
        local.requeue_all(conn, station.outbox)
    assert [f for _, f in _queued(station, "duty_log")] == [duty, duty]
    assert [i for i, _ in _queued(station, "patrol_log")] == [patrol_id, patrol_id]
