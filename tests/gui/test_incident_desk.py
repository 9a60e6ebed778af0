"""Incident form, desk, alerts and the wall's incident key, offscreen with a real station.

The PDF of the evidence export is drawn by Qt in a CJK font and checked by rendering it with
poppler (pdftoppm) and reading its text back (pdftotext).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from station_console.incidents import (
    Category,
    ClipState,
    Outcome,
    Priority,
    ReportStatus,
    State,
    verify,
)
from station_console.services.permissions import Role
from station_console.station import Station, open_station
from tests.gui.conftest import ADMIN, add_officer, seed_estate
from ui.incidents.alerts import InstructionAlerts
from ui.incidents.capture import IncidentCapture, IncidentForm
from ui.incidents.desk import IncidentDesk, OutcomeDialog
from ui.main_window import MainWindow
from ui.tasks import SyncTaskRunner, TaskRunner


def jpeg() -> bytes:
    image = np.zeros((90, 160, 3), dtype=np.uint8)
    image[:, :80] = (0, 0, 255)
    return cv2.imencode(".jpg", image)[1].tobytes()


def capture(st: Station, camera_id: str | None = None, **kw: object) -> str:
    camera_id = camera_id or st.inventory.cameras()[0].id
    inc = st.incidents.capture(
        camera_id, datetime.now(UTC), snapshot=jpeg(), width=160, height=90, **kw
    )  # type: ignore[arg-type]
    return inc.id


@pytest.fixture
def officer(station: Station) -> Station:
    seed_estate(station)
    add_officer(station, Role.DUTY_OFFICER, "wang", "王警官")
    return station


def test_form_asks_only_category_priority_note_and_reports(qtbot, officer: Station) -> None:
    incident_id = capture(
        officer, clip_due_at=datetime.now(UTC) + timedelta(seconds=30), missing=[]
    )
    form = IncidentForm(officer, SyncTaskRunner(), officer.incidents.incident(incident_id))
    qtbot.addWidget(form)
    form.show()
    facts = form.facts.text()
    assert "广场东口" in facts and "人民广场" in facts and "王警官" in facts
    assert "pending" in form.clip_label.text()
    assert form.picture.pixmap() is not None and not form.picture.pixmap().isNull()
    form.category.setCurrentIndex(form.category.findData(Category.SUSPICIOUS_VEHICLE.value))
    form.priority.setCurrentIndex(form.priority.findData(Priority.URGENT.value))
    form.note.setPlainText("白色面包车，车牌遮挡")
    with qtbot.waitSignal(form.reported):
        qtbot.mouseClick(form.report_button, Qt.MouseButton.LeftButton)
    inc = officer.incidents.incident(incident_id)
    assert inc.state is State.REPORTED and inc.category is Category.SUSPICIOUS_VEHICLE
    assert inc.report_status is ReportStatus.QUEUED and inc.note == "白色面包车，车牌遮挡"


def test_wall_key_without_picture_still_records_the_incident(qtbot, officer: Station) -> None:
    class NoGateway:
        def buffered_packets(self, *a: object) -> list[object]:
            raise AssertionError("no stream: the gateway is not asked")

    capture_ = IncidentCapture(officer, SyncTaskRunner(), lambda: NoGateway())
    created: list[object] = []
    capture_.created.connect(created.append)
    camera = officer.inventory.cameras()[0]
    capture_.capture(camera.id, None)  # the tile has a camera but no stream
    (inc,) = created
    assert inc.camera_id == camera.id and inc.clip_state is ClipState.NONE  # type: ignore[attr-defined]
    (form,) = capture_.forms
    qtbot.addWidget(form)
    assert "not sending video" in form.clip_label.text()
    assert "not sending video" in form.picture.text()
    capture_.shutdown()


def test_desk_filters_highlights_late_responses_and_exports_a_chinese_pdf(
    qtbot, officer: Station, tmp_path: Path, zh_cn: None
) -> None:
    a = capture(officer)
    b = capture(officer)
    officer.incidents.report(a, Category.FIGHT, Priority.URGENT, "两人斗殴")
    # Reported two minutes ago and nobody dispatched: over the 1-minute target.
    with officer.db.write() as conn:
        conn.execute(
            "UPDATE incidents SET reported_at = ? WHERE id = ?",
            ((datetime.now(UTC) - timedelta(minutes=2)).isoformat(), a),
        )
    tasks = SyncTaskRunner()
    desk = IncidentDesk(officer, tasks)
    qtbot.addWidget(desk)
    desk.show()
    assert desk.model.rowCount() == 2
    assert [desk.incidents[r].id for r in desk.overdue_rows()] == [a]
    late_row = [i.id for i in desk.incidents].index(a)
    assert desk.model.item(late_row, 0).background().color().name() == "#f8c8c8"
    assert "排队" in desk.model.item(late_row, 7).text()  # queued for the command centre
    assert "条警情变更" in desk.waiting.text()
    desk.category.setCurrentIndex(desk.category.findData(Category.FIGHT.value))
    desk.refresh()
    assert [i.id for i in desk.incidents] == [a]
    desk.category.setCurrentIndex(0)
    desk.refresh()

    desk.table.selectRow(late_row)
    assert desk.current is not None and desk.current.incident.id == a
    assert "⚠" in desk.detail.toPlainText()
    assert desk.media_list.count() == 1
    qtbot.mouseClick(desk.dispatched_button, Qt.MouseButton.LeftButton)
    assert officer.incidents.incident(a).state is State.DISPATCHED
    dialog = desk.record_outcome()
    assert isinstance(dialog, OutcomeDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.CURRENT_CASE_SOLVED.value))
    dialog.suspects.setValue(2)
    dialog.accept()
    closed = officer.incidents.incident(a)
    assert closed.state is State.CLOSED and closed.suspects_caught == 2
    officer.incidents.link(a, b)
    desk.load_stats()
    total = desk.stats_model.rowCount() - 1
    assert desk.stats_model.item(total, 1).text() == "2"  # incidents
    assert desk.stats_model.item(total, 4).text() == "1"  # current cases solved
    assert desk.stats_model.item(total, 6).text() == "2"  # suspects caught

    # Export with the real Qt PDF renderer (on a worker thread, as in the console).
    runner = TaskRunner()
    desk.tasks = runner
    target = tmp_path / "evidence"
    with qtbot.waitSignal(desk.exported, timeout=30_000) as blocker:
        desk.export(target, as_zip=False)
    result = blocker.args[0]
    assert runner.wait(10_000)
    report = verify(target)
    assert report.ok and len(report.incidents) == 2  # the linked incident came along
    assert report.manifest_sha256 == result.manifest_sha256
    pdf = target / "incident-sheet.pdf"
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed; see scripts/bootstrap")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    # The font maps some ideographs and their Kangxi radicals to one glyph; poppler may read
    # back the radical (⼈ for 人), which NFKC folds to the ideograph.
    text = unicodedata.normalize("NFKC", text)
    assert "警情证据单" in text and "打架斗殴" in text and "破获现行案件" in text
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "CJK" in fonts  # the CJK font is embedded, so any machine shows the Chinese
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True, timeout=60,
    )  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    page = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert page is not None and (page < 128).mean() > 0.01  # text and the snapshot are drawn
    desk.shutdown()


def test_queued_reports_are_shown_as_queued_after_a_restart(qtbot, tmp_path: Path) -> None:
    st = open_station(tmp_path / "data", use_keyring=False)
    st.accounts.create_first_admin(*ADMIN[:1], "管理员", ADMIN[1])
    st.accounts.sign_in(*ADMIN)
    seed_estate(st)
    add_officer(st, Role.DUTY_OFFICER, "wang")
    ids = [capture(st) for _ in range(2)]
    for incident_id in ids:
        st.incidents.report(incident_id, Category.THEFT, Priority.NORMAL)
    st.close()

    st = open_station(tmp_path / "data", use_keyring=False)
    try:
        st.accounts.sign_in("wang", "password-123")
        assert st.db.scalar("SELECT count(*) FROM outbox WHERE entity = 'incident'") == 2
        desk = IncidentDesk(st, SyncTaskRunner())
        qtbot.addWidget(desk)
        assert {desk.model.item(r, 7).text() for r in range(2)} == {"Queued for the command centre"}
        assert "2 incident changes waiting" in desk.waiting.text()
        desk.shutdown()
    finally:
        st.close()


def test_instruction_alert_must_be_acknowledged(qtbot, officer: Station) -> None:
    a = capture(officer)
    officer.incidents.report(a, Category.CROWD, Priority.URGENT)
    with officer.db.write() as conn:
        conn.execute(
            "INSERT INTO hub_instructions(id, title, body, incident_id, issued_by, issued_at, "
            "hlc, received_at) VALUES ('i-1', '立即派巡逻组到场', '封控东门', ?, '分局指挥中心', "
            "?, '0', ?)",
            (a, datetime.now(UTC).isoformat(), datetime.now(UTC).isoformat()),
        )
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    alerts = InstructionAlerts(officer, SyncTaskRunner(), host)
    alerts.check()
    (alert,) = alerts.open.values()
    qtbot.addWidget(alert)
    assert alert.isVisible()
    assert any("立即派巡逻组到场" in label.text() for label in alert.findChildren(QLabel))
    alert.reject()  # Escape does not make it go away
    assert alert.isVisible()
    assert officer.incidents.incident(a).report_status is ReportStatus.ACKNOWLEDGED
    assert officer.incidents.incident(a).state is State.DISPATCHED
    qtbot.mouseClick(alert.ack, Qt.MouseButton.LeftButton)
    assert not alerts.open and officer.incidents.instructions(pending_only=True) == []
    alerts.stop()


def test_main_window_has_the_incident_tab_and_wall_key(
    qtbot, officer: Station, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    assert "Incidents" in window.extra_tabs
    assert window.wall_page is not None
    assert window.wall_page.incident_action.shortcut().toString() == "F8"
    messages: list[str] = []
    window.wall_page.message.connect(messages.append)
    assert not window.wall_page.report_incident()  # empty tile
    assert messages and "Select a tile" in messages[-1]
    officer.accounts.sign_in(*ADMIN)
    add_officer(officer, Role.TECHNICIAN, "tech")
    tech = make_window()
    assert "Incidents" not in tech.extra_tabs
    assert tech.wall_page is not None and not tech.wall_page.incident_action.isVisible()
    QApplication.processEvents()
