"""UsersView against a real station: list, add a user, change a role, inline errors."""

# ruff: noqa: F811 - pytest fixtures imported from inventory_fixtures are parameters here

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from station_console.services.permissions import Role
from station_console.station import Station
from tests.gui.inventory_fixtures import (  # noqa: F401 - fixtures are used by name
    QT_LOG_IGNORE,
    gui_station,
    sign_in_as,
    sync_tasks,
)
from ui.tasks import TaskRunner
from ui.users_view import UserDialog, UsersView

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


def make_view(qtbot: QtBot, station: Station, tasks: TaskRunner) -> UsersView:
    view = UsersView(station, tasks)
    qtbot.addWidget(view)
    view.show()
    return view


def text(dialog: UserDialog, code: str) -> QLineEdit:
    widget = dialog.fields[code]
    assert isinstance(widget, QLineEdit)
    return widget


def set_role(dialog: UserDialog, role: Role) -> None:
    combo = dialog.fields["role"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(role.value))


def usernames(view: UsersView) -> list[str]:
    return [view.model.record(r).username for r in range(view.model.rowCount())]


def test_lists_users_with_translated_roles(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    view = make_view(qtbot, gui_station, sync_tasks)
    assert usernames(view) == ["admin"]
    assert view.model.index(0, 2).data() == "Administrator"
    assert view.model.index(0, 4).data() != ""  # signed in: last sign-in shown


def test_add_user_then_change_role(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    view = make_view(qtbot, gui_station, sync_tasks)
    dialog = view.add_user()
    text(dialog, "username").setText("zhang.wei")
    text(dialog, "display_name").setText("张伟")
    set_role(dialog, Role.COMMUNITY_POLICE)
    text(dialog, "password").setText("long-enough-1")
    text(dialog, "password_repeat").setText("different-1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.field_error("password_repeat")

    text(dialog, "password_repeat").setText("long-enough-1")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert usernames(view) == ["admin", "zhang.wei"]

    view.select_user("zhang.wei")
    edit = view.edit_selected()
    assert edit is not None
    assert text(edit, "password").text() == ""
    set_role(edit, Role.TECHNICIAN)
    with qtbot.waitSignal(edit.saved):
        qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    user = next(u for u in gui_station.accounts.list_users() if u.username == "zhang.wei")
    assert user.role is Role.TECHNICIAN
    assert view.model.index(1, 2).data() == "Technician"
    # The password was left empty, so it is unchanged.
    gui_station.accounts.sign_in("zhang.wei", "long-enough-1")


def test_short_password_is_shown_at_the_field(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    view = make_view(qtbot, gui_station, sync_tasks)
    dialog = view.add_user()
    text(dialog, "username").setText("li")
    text(dialog, "password").setText("short")
    text(dialog, "password_repeat").setText("short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "at least 8" in dialog.field_error("password")


def test_last_admin_cannot_be_demoted(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    view = make_view(qtbot, gui_station, sync_tasks)
    view.select_user("admin")
    dialog = view.edit_selected()
    assert dialog is not None
    set_role(dialog, Role.DUTY_OFFICER)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "last active administrator" in dialog.general_error.text()


def test_technician_cannot_manage_users(
    qtbot: QtBot, gui_station: Station, sync_tasks: TaskRunner
) -> None:
    sign_in_as(gui_station, Role.TECHNICIAN)
    view = make_view(qtbot, gui_station, sync_tasks)
    assert not view.add_button.isEnabled()
    assert view.model.rowCount() == 0
