"""InventoryView and its dialogs against a real station: edit, retire, CSV, permissions."""

# ruff: noqa: F811 - pytest fixtures imported from inventory_fixtures are parameters here

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from station_console.services.permissions import Role
from station_console.station import Station
from tests.gui.inventory_fixtures import (  # noqa: F401 - fixtures are used by name
    GOOD_GB_ID,
    QT_LOG_IGNORE,
    gui_station,
    seed_estate,
    sign_in_as,
    sync_tasks,
    thread_tasks,
)
from ui.inventory_dialogs import (
    CameraDialog,
    DeviceDialog,
    ImportProblemsDialog,
    OwnerDialog,
    RetireDialog,
    SiteDialog,
)
from ui.inventory_view import CAMERAS, DEVICES, OWNERS, SITES, InventoryView
from ui.tasks import TaskRunner

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


def make_view(qtbot: QtBot, station: Station, tasks: TaskRunner) -> InventoryView:
    view = InventoryView(station, tasks)
    qtbot.addWidget(view)
    view.show()
    return view


def names(view: InventoryView, key: str) -> list[str]:
    model = view.tab(key).model
    return [model.record(r).name for r in range(model.rowCount())]


def line(dialog: CameraDialog | SiteDialog | OwnerDialog, code: str) -> QLineEdit:
    widget = dialog.fields[code]
    assert isinstance(widget, QLineEdit)
    return widget


def choose(dialog: CameraDialog, code: str, data: str) -> None:
    combo = dialog.fields[code]
    assert isinstance(combo, QComboBox)
    index = combo.findData(data)
    assert index >= 0
    combo.setCurrentIndex(index)


def test_tables_show_translated_headers_and_kinds(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    seed_estate(gui_station)
    view = make_view(qtbot, gui_station, sync_tasks)
    model = view.tab(CAMERAS).model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:4] == ["Name", "Kind", "Community", "Site"]
    assert sorted(names(view, CAMERAS)) == ["东门枪机", "东门球机"]
    kinds = {model.index(r, 1).data() for r in range(model.rowCount())}
    assert kinds == {"Bullet", "Dome / PTZ"}
    view.search.setText("球机")
    assert view.tab(CAMERAS).proxy.rowCount() == 1


def test_add_camera_through_dialog(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    seed_estate(gui_station)
    view = make_view(qtbot, gui_station, sync_tasks)
    dialog = view.add_record()
    assert isinstance(dialog, CameraDialog)
    line(dialog, "name").setText("西门枪机")
    choose(dialog, "kind", "class_a")
    choose(dialog, "site", gui_station.inventory.sites()[0].id)
    line(dialog, "serial").setText("SN-003")
    line(dialog, "gb_id").setText(GOOD_GB_ID)
    line(dialog, "username").setText("admin")
    line(dialog, "password").setText("cam-secret-9")
    dialog.install_known.setChecked(True)
    dialog.install_date.setDate(QDate(2024, 5, 1))
    city = dialog.fields["networked_to_city"]
    assert isinstance(city, QCheckBox)
    city.setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert "西门枪机" in names(view, CAMERAS)
    camera = gui_station.inventory.cameras(search="西门")[0]
    assert camera.kind == "class_a"
    assert camera.site_name == "幸福小区东门"
    assert camera.gb_id == GOOD_GB_ID
    assert camera.install_date == "2024-05-01"
    assert camera.networked_to_city
    assert camera.has_password
    assert gui_station.inventory.credentials(camera.id).password == "cam-secret-9"


def test_bad_gb_id_is_shown_at_the_field_and_dialog_stays_open(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    view = make_view(qtbot, gui_station, sync_tasks)
    dialog = view.add_record()
    assert isinstance(dialog, CameraDialog)
    line(dialog, "name").setText("北门枪机")
    line(dialog, "gb_id").setText("12345")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert "20 digits" in dialog.field_error("gb_id")
    assert "border" in dialog.fields["gb_id"].styleSheet()
    assert dialog.field_error("name") == ""
    assert line(dialog, "name").text() == "北门枪机"
    assert line(dialog, "gb_id").text() == "12345"
    assert gui_station.inventory.cameras() == []

    # Corrected input goes through and the error clears.
    line(dialog, "gb_id").setText(GOOD_GB_ID)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert names(view, CAMERAS) == ["北门枪机"]


def test_edit_camera_keeps_password_unless_typed(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    gui_station.inventory.add_camera({"name": "南门", "username": "u"}, password="old-secret")
    view = make_view(qtbot, gui_station, sync_tasks)
    view.select_row(CAMERAS, 0)
    dialog = view.edit_selected()
    assert isinstance(dialog, CameraDialog)
    assert line(dialog, "password").text() == ""
    line(dialog, "vendor").setText("海康威视")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    camera = gui_station.inventory.cameras()[0]
    assert camera.vendor == "海康威视"
    assert gui_station.inventory.credentials(camera.id).password == "old-secret"


def test_retire_camera_with_reason(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    seed_estate(gui_station)
    view = make_view(qtbot, gui_station, sync_tasks)
    view.search.setText("东门枪机")
    view.select_row(CAMERAS, 0)
    dialog = view.retire_selected()
    assert isinstance(dialog, RetireDialog)
    dialog.reason.setText("拆除")
    dialog.accept()

    assert names(view, CAMERAS) == ["东门球机"]
    retired = [c for c in gui_station.inventory.cameras(include_retired=True) if c.retired_at]
    assert [(c.name, c.retired_reason) for c in retired] == [("东门枪机", "拆除")]


def test_add_site_and_owner_with_inline_phone_error(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    view = make_view(qtbot, gui_station, sync_tasks)
    view.show_tab(SITES)
    site_dialog = view.add_record()
    assert isinstance(site_dialog, SiteDialog)
    line(site_dialog, "name").setText("实验小学")
    line(site_dialog, "latitude").setText("39.9")
    with qtbot.waitSignal(site_dialog.saved):
        qtbot.mouseClick(site_dialog.ok_button, Qt.MouseButton.LeftButton)
    assert names(view, SITES) == ["实验小学"]

    view.show_tab(OWNERS)
    owner_dialog = view.add_record()
    assert isinstance(owner_dialog, OwnerDialog)
    line(owner_dialog, "name").setText("实验小学保卫处")
    line(owner_dialog, "phone").setText("call me")
    qtbot.mouseClick(owner_dialog.ok_button, Qt.MouseButton.LeftButton)
    assert owner_dialog.isVisible()
    assert "phone" in owner_dialog.field_error("phone")
    line(owner_dialog, "phone").setText("010-5555")
    with qtbot.waitSignal(owner_dialog.saved):
        qtbot.mouseClick(owner_dialog.ok_button, Qt.MouseButton.LeftButton)
    assert names(view, OWNERS) == ["实验小学保卫处"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_import_success_shows_counts_and_refreshes(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner, tmp_path: Path
) -> None:
    seed_estate(gui_station)
    view = make_view(qtbot, gui_station, sync_tasks)
    path = write_csv(
        tmp_path / "cams.csv",
        [
            ["name", "kind", "site", "serial"],
            ["东门枪机", "bullet", "幸福小区东门", "SN-001"],
            ["停车场", "dome", "幸福小区东门", "SN-010"],
        ],
    )
    view.choose_import_path = lambda: str(path)
    view.import_csv()
    assert "1 added, 1 updated" in view.last_notice
    assert sorted(names(view, CAMERAS)) == ["东门枪机", "东门球机", "停车场"]
    assert view.progress is None


def test_import_with_bad_rows_lists_them_and_writes_nothing(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner, tmp_path: Path
) -> None:
    view = make_view(qtbot, gui_station, sync_tasks)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["name", "kind", "gb_id"],
            ["好的", "bullet", ""],
            ["坏的国标", "bullet", "999"],
            ["", "bullet", ""],
        ],
    )
    view.choose_import_path = lambda: str(path)
    view.import_csv()
    dialog = view.dialog
    assert isinstance(dialog, ImportProblemsDialog)
    assert dialog.isVisible()
    problems = dialog.problems()
    assert len(problems) == 2
    assert problems[0].startswith("Row 3:") and "20 digits" in problems[0]
    assert problems[1].startswith("Row 4:")
    assert gui_station.inventory.cameras() == []
    assert names(view, CAMERAS) == []


def test_export_writes_the_file(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner, tmp_path: Path
) -> None:
    seed_estate(gui_station)
    view = make_view(qtbot, gui_station, sync_tasks)
    target = tmp_path / "out.csv"
    view.choose_export_path = lambda suggested: str(target)
    view.export_csv()
    with target.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "name"
    assert sorted(r[0] for r in rows[1:]) == ["东门枪机", "东门球机"]
    assert "2 rows" in view.last_notice


def test_duty_officer_sees_edit_buttons_disabled(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    seed_estate(gui_station)
    sign_in_as(gui_station, Role.DUTY_OFFICER)
    view = make_view(qtbot, gui_station, sync_tasks)
    view.select_row(CAMERAS, 0)
    assert view.selected_record() is not None
    for action in (
        view.add_action,
        view.edit_action,
        view.retire_action,
        view.import_action,
        view.export_action,
    ):
        assert not action.isEnabled(), action.text()
    # The service refuses anyway; the dialog reports it instead of closing.
    dialog = view.add_record()
    line(dialog, "name").setText("越权")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "may not" in dialog.general_error.text()


def test_worker_thread_changes_reach_the_table(
    qtbot: QtBot, gui_station: Station, thread_tasks: TaskRunner
) -> None:
    seed_estate(gui_station)
    view = make_view(qtbot, gui_station, thread_tasks)
    qtbot.waitUntil(lambda: len(names(view, CAMERAS)) == 2)
    # A change made on a worker thread (as sync or another tab would) reloads the table.
    thread_tasks.run(gui_station.inventory.add_camera, {"name": "后门"})
    qtbot.waitUntil(lambda: "后门" in names(view, CAMERAS))


def test_deleted_view_stops_listening(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    view = InventoryView(gui_station, sync_tasks)
    assert len(gui_station.inventory.listeners) == 1
    view.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view))
    assert gui_station.inventory.listeners == []
    gui_station.inventory.add_site({"name": "新点位", "kind": "road"})


def test_retiring_a_site_with_cameras_is_refused_with_a_message(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    seed_estate(gui_station)
    view = make_view(qtbot, gui_station, sync_tasks)
    view.select_row(SITES, 0)
    dialog = view.retire_selected()
    assert isinstance(dialog, RetireDialog)
    dialog.accept()
    assert "still has 2 active cameras" in view.last_error
    assert names(view, SITES) == ["幸福小区东门"]


def test_two_thousand_cameras_load_and_filter(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    gui_station.csv.import_text("sites", "name,kind,community\n站点1,road,社区1\n")
    rows = "\n".join(f"摄像机{i:04d},bullet,站点1,SN{i:05d}" for i in range(2000))
    gui_station.csv.import_text("cameras", "name,kind,site,serial\n" + rows)
    view = make_view(qtbot, gui_station, sync_tasks)
    assert view.tab(CAMERAS).model.rowCount() == 2000
    view.search.setText("sn0199")  # case-insensitive, any column
    assert view.tab(CAMERAS).proxy.rowCount() == 10
    assert "10 cameras" in view.status.text()


def test_import_on_the_thread_pool_reports_progress(
    qtbot: QtBot, gui_station: Station, thread_tasks: TaskRunner, tmp_path: Path
) -> None:
    view = make_view(qtbot, gui_station, thread_tasks)
    rows = [["name", "kind"]] + [[f"杆{i:03d}", "dome"] for i in range(120)]
    path = write_csv(tmp_path / "many.csv", rows)
    view.choose_import_path = lambda: str(path)
    view.import_csv()
    # The GUI thread is free while the import runs: the progress dialog is up at once.
    progress = view.progress
    assert progress is not None and progress.isVisible()
    assert not view.import_action.isEnabled()
    qtbot.waitUntil(lambda: view.last_notice != "")
    assert "120 added" in view.last_notice
    assert view.progress is None
    assert view.import_action.isEnabled()
    qtbot.waitUntil(lambda: len(names(view, CAMERAS)) == 120)


def test_add_and_retire_other_device(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    seed_estate(gui_station)
    view = make_view(qtbot, gui_station, sync_tasks)
    view.show_tab(DEVICES)
    assert not view.import_action.isEnabled()
    dialog = view.add_record()
    assert isinstance(dialog, DeviceDialog)
    line(dialog, "name").setText("东门红外对射")
    choose(dialog, "kind", "infrared_alarm")
    choose(dialog, "site", gui_station.inventory.sites()[0].id)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert names(view, DEVICES) == ["东门红外对射"]
    assert view.tab(DEVICES).model.index(0, 2).data() == "幸福小区东门"

    view.select_row(DEVICES, 0)
    assert not view.edit_action.isEnabled()  # the core has no device update yet
    retire = view.retire_selected()
    assert isinstance(retire, RetireDialog)
    retire.accept()
    assert names(view, DEVICES) == []
