"""The Patrol and Duty tabs (offscreen) on a real station and a real task runner."""

from __future__ import annotations

from datetime import date, timedelta

from station_console.services.permissions import Role
from station_console.station import Station
from tests.gui.conftest import ADMIN, add_officer, seed_estate
from ui.patrol.duty_view import DutyView
from ui.patrol.patrol_view import PatrolView
from ui.tasks import TaskRunner


def make_patrol(qtbot, station: Station, tasks: TaskRunner) -> PatrolView:  # type: ignore[no-untyped-def]
    view = PatrolView(station, tasks)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: bool(view.cameras), timeout=10_000)
    return view


def test_plan_is_built_by_dropping_cameras_and_saved(qtbot, station: Station, tasks) -> None:  # type: ignore[no-untyped-def]
    seed_estate(station)
    view = make_patrol(qtbot, station, tasks)
    cams = list(view.cameras)
    view.name.setText("夜间重点")
    view.steps.cameras_dropped.emit(cams[:2])
    view.steps.item(0, 1).setText("2")
    view.steps.item(1, 3).setText("门岗在岗")
    view._add_site()
    view.windows.setRowCount(0)
    from station_console.patrol_schedule import Window, parse_hhmm

    view._add_window_row(Window(parse_hhmm("20:00"), parse_hhmm("04:00")))
    with qtbot.waitSignal(view.saved, timeout=10_000) as saved:
        view.save_button.click()
    plan = saved.args[0]
    assert plan.name == "夜间重点" and len(plan.steps) == 3
    assert plan.steps[0].priority == 2 and plan.steps[1].check == "门岗在岗"
    assert plan.windows[0].crosses_midnight
    assert [p.name for p in station.patrol.plans()] == ["夜间重点"]
    qtbot.waitUntil(lambda: view.preview.count() >= 4, timeout=10_000)


def test_bad_step_input_is_named_and_nothing_saved(qtbot, station: Station, tasks) -> None:  # type: ignore[no-untyped-def]
    seed_estate(station)
    view = make_patrol(qtbot, station, tasks)
    view.name.setText("坏方案")
    view.steps.cameras_dropped.emit(list(view.cameras)[:1])
    view.steps.item(0, 1).setText("high")
    view.save()
    assert "whole numbers" in view.status.text()
    view.steps.item(0, 1).setText("1")
    view.windows.insertRow(0)  # an empty time-window row
    view.save()
    assert "time of day" in view.status.text()
    assert station.patrol.plans() == []


def test_duty_officer_can_register_a_watch_but_not_edit_plans(
    qtbot, station: Station, tasks
) -> None:  # type: ignore[no-untyped-def]
    seed_estate(station)
    add_officer(station, Role.DUTY_OFFICER, "zhang")
    view = make_patrol(qtbot, station, tasks)
    assert not view.save_button.isEnabled() and view.add_watch_button.isEnabled()
    cam = next(iter(view.cameras))
    today = date.today()
    with qtbot.waitSignal(view.watches_changed, timeout=10_000):
        view.add_watch(
            {"title": "空屋预约", "cameras": [cam], "first_day": today,
             "last_day": today + timedelta(days=2), "address": "3栋201", "contact": ""}
        )  # fmt: skip
    qtbot.waitUntil(lambda: view.watch_table.rowCount() == 1, timeout=10_000)
    assert view.watch_table.item(0, 0).text().startswith("空屋预约")
    station.accounts.sign_in(*ADMIN)


def test_shift_start_log_and_handover(qtbot, station: Station, tasks) -> None:  # type: ignore[no-untyped-def]
    seed_estate(station)
    cam = station.inventory.cameras()[0].id
    today = date.today()
    station.patrol.add_watch("空屋预约", [cam], today, today + timedelta(days=1))
    add_officer(station, Role.DUTY_OFFICER, "zhang", "张警官")
    view = DutyView(station, tasks)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.start_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(view.changed, timeout=10_000):
        view.start_button.click()
    qtbot.waitUntil(lambda: view.end_button.isEnabled(), timeout=10_000)
    view.log_entry.setText("广场东口发现可疑人员，已上报")
    with qtbot.waitSignal(view.changed, timeout=10_000):
        view.log_entry.returnPressed.emit()
    qtbot.waitUntil(lambda: view.log_list.count() == 2, timeout=10_000)
    with qtbot.waitSignal(view.changed, timeout=10_000):
        view.end_shift("夜班平稳，注意3栋。")
    add_officer(station, Role.DUTY_OFFICER, "li", "李警官")
    nxt = DutyView(station, tasks)
    qtbot.addWidget(nxt)
    qtbot.waitUntil(lambda: "夜班平稳" in nxt.handover_text.text(), timeout=10_000)
    assert nxt.handover_items.count() == 1 and "空屋预约" in nxt.handover_items.item(0).text()
    assert nxt.spot_box is None  # officers do not spot-check
    station.accounts.sign_in(*ADMIN)


def test_leader_sees_who_is_on_duty_and_records_a_spot_check(
    qtbot, station: Station, tasks
) -> None:  # type: ignore[no-untyped-def]
    seed_estate(station)
    cams = [c.id for c in station.inventory.cameras()]
    from station_console.services.patrol import PlanStep

    station.patrol.save_plan("全天", [PlanStep(camera_id=c) for c in cams])
    add_officer(station, Role.DUTY_OFFICER, "zhang", "张警官")
    station.duty.start()
    station.wall.open_viewing(cams[0], tiles_on_wall=4, large=False, stream="sub")
    add_officer(station, Role.DUTY_LEADER, "leader", "王所长")
    view = DutyView(station, tasks)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.on_duty.count() == 1, timeout=10_000)
    assert "张警官" in view.on_duty.item(0).text()
    assert view.showing.count() == 1
    assert view.spot_coverage.item(0, 1).text() == f"0/{len(cams)}"
    view.remarks.setText("在岗，画面正常")
    view.record_button.click()
    qtbot.waitUntil(lambda: "recorded" in view.status.text(), timeout=10_000)
    assert station.db.scalar("SELECT remarks FROM spot_checks") == "在岗，画面正常"
    station.accounts.sign_in(*ADMIN)


def test_a_plan_in_its_window_starts_by_itself_and_a_manual_one_is_offered(
    qtbot, station: Station, tasks: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    """The schedule watcher of the wall: an auto-start plan whose window covers now starts on
    its own; one that does not auto-start is offered (plan_due), never started."""
    from datetime import time

    from station_console.patrol_schedule import Window
    from station_console.services.patrol import PlanStep
    from ui.patrol.tour_runner import TourRunner
    from ui.wall.streams import WallStreams
    from ui.wall.video_wall import VideoWall

    seed_estate(station)
    cams = [c.id for c in station.inventory.cameras()]
    always = [Window(time(0, 0), time(0, 0))]  # start == end: the whole day, every day
    manual = station.patrol.save_plan(
        "手动方案", [PlanStep(camera_id=cams[0])], windows=always, auto_start=False
    )
    streams = WallStreams(station)
    wall = VideoWall(station, tasks, streams)
    qtbot.addWidget(wall)
    runner = TourRunner(station, tasks, wall)
    with qtbot.waitSignal(runner.plan_due, timeout=10_000) as offered:
        runner.watch_schedules(interval_ms=200)
    assert offered.args[0].id == manual.id and not runner.running
    auto = station.patrol.save_plan("自动方案", [PlanStep(camera_id=cams[1])], windows=always)
    # Due plans list auto-start ones first; the next check (200 ms) starts it.
    with qtbot.waitSignal(runner.started, timeout=10_000) as started:
        pass
    assert started.args[0].id == auto.id and runner.running
    runner.stop()
    wall.shutdown()
    streams.shutdown()
