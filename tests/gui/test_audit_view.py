"""AuditView against a real station: listing, filters, chain verification, export."""

# ruff: noqa: F811 - pytest fixtures imported from inventory_fixtures are parameters here

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_console.services.permissions import Role
from station_console.station import Station
from tests.gui.inventory_fixtures import (  # noqa: F401 - fixtures are used by name
    QT_LOG_IGNORE,
    gui_station,
    sign_in_as,
    sync_tasks,
    thread_tasks,
)
from ui.audit_view import AuditView
from ui.tasks import TaskRunner

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


def make_view(qtbot: QtBot, station: Station, tasks: TaskRunner) -> AuditView:
    view = AuditView(station, tasks)
    qtbot.addWidget(view)
    view.show()
    return view


def column(view: AuditView, col: int) -> list[str]:
    return [view.model.index(r, col).data() for r in range(view.model.rowCount())]


def test_lists_entries_and_filters_by_actor(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    gui_station.audit.append("zhang", "camera.view", "camera:abc", {"why": "巡逻"})
    view = make_view(qtbot, gui_station, sync_tasks)
    actions = column(view, 2)
    assert actions[0] == "camera.view"
    assert {"login", "user.create_first_admin"} <= set(actions)
    assert column(view, 4)[0] == '{"why":"巡逻"}'

    view.actor.setText("zhang")
    view.refresh()
    assert column(view, 1) == ["zhang"]

    view.actor.clear()
    view.action.setText("login")
    view.use_from.setChecked(True)
    view.use_to.setChecked(True)
    view.refresh()
    assert set(column(view, 2)) == {"login"}


def test_verify_shows_intact_then_tampered(
    qtbot: QtBot, gui_station: Station, thread_tasks: TaskRunner
) -> None:
    view = make_view(qtbot, gui_station, thread_tasks)
    with qtbot.waitSignal(view.verified) as intact:
        view.verify()
    assert intact.args[0].ok
    assert "intact" in view.verify_label.text()
    assert "2e7d32" in view.verify_label.styleSheet()

    raw = sqlite3.connect(gui_station.paths.database)
    try:
        raw.execute("DROP TRIGGER audit_log_no_update")
        raw.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
        raw.commit()
    finally:
        raw.close()
    with qtbot.waitSignal(view.verified) as tampered:
        view.verify()
    assert not tampered.args[0].ok
    assert "TAMPERED at row 1" in view.verify_label.text()
    assert "d32f2f" in view.verify_label.styleSheet()


def test_export_writes_filtered_view_and_is_audited(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner, tmp_path: Path
) -> None:
    gui_station.audit.append("zhang", "camera.view", "camera:abc")
    view = make_view(qtbot, gui_station, sync_tasks)
    view.actor.setText("zhang")
    view.refresh()
    target = tmp_path / "audit.csv"
    view.choose_export_path = lambda suggested: str(target)
    view.export_csv()
    with target.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert [r[3] for r in rows[1:]] == ["zhang"]
    exports = gui_station.audit.entries(action="audit.export")
    assert [(e.actor, e.target, e.detail["rows"]) for e in exports] == [("admin", str(target), 1)]
    assert "1 audit entries" in view.last_notice


def test_duty_officer_cannot_read_the_log(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    sign_in_as(gui_station, Role.DUTY_OFFICER)
    view = make_view(qtbot, gui_station, sync_tasks)
    assert view.model.rowCount() == 0
    assert not view.verify_button.isEnabled()
    assert not view.export_button.isEnabled()
