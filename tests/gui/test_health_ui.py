"""The fault desk, the dashboard and the alarm bar, with the monitor on fake drivers."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from drivers.health_fake import FakeDiagnoser, FakeProber
from station_console.health.model import CameraState, FaultKind, FaultStatus
from station_console.health.store import CheckRecord
from station_console.services.permissions import Role
from station_console.station import Station
from tests.gui.conftest import add_officer
from ui.health.controller import HealthController
from ui.health.dashboard import HealthDashboard
from ui.health.fault_desk import FaultDeskView
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def estate(st: Station, n: int = 3) -> list[str]:
    st.inventory.add_owner({"name": "幸福里物业", "kind": "property_company",
                            "contact_person": "李经理", "phone": "0571-87000002"})  # fmt: skip
    st.inventory.add_site(
        {"name": "幸福里小区东门", "kind": "residential", "community": "幸福里社区"}
    )
    return [
        st.inventory.add_camera({"name": f"东门-{i}", "site": "幸福里小区东门", "owner": "幸福里物业",
                                 "onvif_url": f"http://127.0.0.1:{9100 + i}/onvif/device_service"}).id
        for i in range(n)
    ]  # fmt: skip


def test_covered_lens_to_verified_through_the_desk(qtbot, station: Station, tasks: TaskRunner,
                                                  tmp_path: Path) -> None:  # fmt: skip
    cams = estate(station)
    station.settings.set("vqd_check_seconds", 5)
    station.settings.set("health_check_seconds", 5)
    prober = FakeProber()
    prober.flag(cams[0]).picture = FaultKind.COVERED
    prober.flag(cams[1]).offline = True
    add_officer(station, Role.COMMUNITY_POLICE, "zhang", "张警官")
    station.settings.set_initial("health_monitor", True)
    controller = HealthController(station, tasks)
    assert controller.start(prober, FakeDiagnoser(prober))
    desk = FaultDeskView(station, tasks)
    qtbot.addWidget(desk)
    try:
        qtbot.waitUntil(lambda: {f.kind for f in desk.faults} >= {FaultKind.COVERED,
                                                                 FaultKind.OFFLINE}, timeout=20000)  # fmt: skip
        controller.shutdown()  # the list stops changing under the officer's hand
        assert tasks.wait(15000)
        with qtbot.waitSignal(desk.loaded, timeout=5000):
            desk.reload()
        row = next(i for i, f in enumerate(desk.faults) if f.kind is FaultKind.COVERED)
        fid = desk.faults[row].id
        with qtbot.waitSignal(desk.detail_loaded, timeout=5000):
            desk.table.selectRow(row)
        assert "李经理" in desk.detail.text() and "0571-87000002" in desk.detail.text()
        assert desk.actions["notify"].isEnabled() and not desk.actions["verify"].isEnabled()
        desk.ask_note = lambda title: "电话通知李经理"
        # Each action reloads the list and the detail on the task runner; they may finish in
        # either order, so wait for both before the next click (a late list from one action
        # must not be taken for the next one's).
        for key in ("notify", "repair", "resolve"):
            with qtbot.waitSignals([desk.loaded, desk.detail_loaded], timeout=5000):
                desk.act(key)
        desk.act("verify")  # the closed fault leaves the list, so its detail may never load
        qtbot.waitUntil(lambda: fid not in [f.id for f in desk.faults], timeout=5000)
        closed = station.health.faults.fault(fid)
        assert closed.status is FaultStatus.CLOSED and closed.evidence[0]["file"]
        assert fid not in [f.id for f in desk.faults]  # off the open list
        out = tmp_path / "faults.csv"
        desk.scope.setCurrentIndex(3)  # all, including closed
        qtbot.waitUntil(lambda: any(f.status is FaultStatus.CLOSED for f in desk.faults))
        desk.export(out)
        qtbot.waitUntil(out.exists)
    finally:
        controller.shutdown()
        assert tasks.wait(15000)


def test_dashboard_shows_an_offline_period(qtbot, station: Station, tasks: TaskRunner) -> None:
    cams = estate(station, 2)
    hour = time.time() // 3600 * 3600  # records stay inside whole hours, whatever the time
    recs = []
    for k in range(30):
        ts = hour - 2 * 3600 + k * 60
        recs.append(CheckRecord(cams[0], ts, True, CameraState.ONLINE, "", "", None, None))
        recs.append(
            CheckRecord(cams[1], ts, k < 10, CameraState.OFFLINE, "offline", "", None, None)
        )
        ts = hour - 3600 + k * 60
        recs += [CheckRecord(c, ts, True, CameraState.ONLINE, "", "", None, None) for c in cams]
    station.health.store.record(recs)
    station.health.faults.report_detected(cams[1], FaultKind.OFFLINE)
    dash = HealthDashboard(station, tasks)
    qtbot.addWidget(dash)
    qtbot.waitUntil(lambda: dash.data is not None, timeout=10000)
    series = dash.rate_series()[""]
    assert [round(r, 2) for _, r in series] == [round(40 / 60, 2), 1.0]
    assert dash.plotted()
    assert dash.data is not None and dash.data.by_kind == {FaultKind.OFFLINE: 1}
    assert dash.owner_table.rowCount() == 1
    with qtbot.waitSignal(dash.loaded, timeout=10000):
        dash.group.setCurrentIndex(1)  # by community
    assert "幸福里社区" in dash.rate_series()


def test_main_window_has_the_desk_and_one_alarm_for_a_site(qtbot, station: Station,
                                                           tasks: TaskRunner) -> None:  # fmt: skip
    cams = estate(station, 5)
    add_officer(station, Role.DUTY_OFFICER, "wang")
    window = MainWindow(station, tasks)
    qtbot.addWidget(window)
    assert {"Faults", "Health"} <= set(window.extra_tabs)
    assert window.health.controller.monitor is None  # switched off in widget tests
    bar = window.health.alarm_bar
    assert bar is not None
    for c in cams:
        station.health.alarms.camera_down(c, FaultKind.OFFLINE)
    # Each camera going down reloads the bar on the task runner; an early reload may already
    # show the one site alarm with fewer cameras, so wait for the reload that counts all five.
    qtbot.waitUntil(lambda: len(bar.alarms) == 1 and "5" in bar.text.text(), timeout=5000)
    assert bar.beeps >= 1
    with qtbot.waitSignal(bar.loaded, timeout=5000):
        bar.acknowledge_all()
    assert bar.alarms == []
    window.end_session("quit")
    qtbot.waitUntil(lambda: not window.isVisible())
    QApplication.processEvents()
