"""The user administration tab: officer accounts, their roles and password resets.

Accounts are read and changed only through :class:`Accounts` on the TaskRunner (password
hashing is deliberately slow, so it must never run on the GUI thread). The service enforces
``MANAGE_USERS`` and the last-administrator rule; this view only mirrors them in the
buttons and shows the service's errors at the field they name.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_console.services.accounts import UserRecord
from station_console.services.permissions import ROLE_LABELS, Permission, Role
from station_console.station import Station
from ui.inventory_dialogs import RecordDialog
from ui.inventory_models import Column, RecordTableModel, field_header, local_time
from ui.messages import describe
from ui.tasks import TaskRunner


def role_label(role: Role) -> str:
    return QCoreApplication.translate("roles", ROLE_LABELS[role])


def user_columns() -> list[Column[UserRecord]]:
    return [
        Column(field_header("username"), lambda u: u.username),
        Column(field_header("display_name"), lambda u: u.display_name),
        Column(field_header("role"), lambda u: role_label(u.role)),
        Column(QCoreApplication.translate("users_view", "Active"), lambda u: u.active),
        Column(
            QCoreApplication.translate("users_view", "Last sign-in"),
            lambda u: local_time(u.last_login_at),
        ),
    ]


class UserDialog(RecordDialog):
    """Add an account, or edit one: display name, role, active, and a password reset."""

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        user: UserRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(station, tasks, parent)
        self.user = user
        self.setWindowTitle(self.tr("Edit user") if user else self.tr("Add user"))
        username = QLineEdit(user.username if user else "")
        username.setReadOnly(user is not None)
        self.add_field("username", username)
        self.add_field("display_name", QLineEdit(user.display_name if user else ""))
        roles = QComboBox()
        for role, label in ROLE_LABELS.items():
            roles.addItem(QCoreApplication.translate("roles", label), role.value)
        current = user.role if user else Role.DUTY_OFFICER
        roles.setCurrentIndex(roles.findData(current.value))
        self.add_field("role", roles)
        if user is not None:
            active = QCheckBox(self.tr("Account may sign in"))
            active.setChecked(user.active)
            self.add_field("active", active, label=self.tr("Active"))
        password = QLineEdit()
        password.setEchoMode(QLineEdit.EchoMode.Password)
        if user is not None:
            password.setPlaceholderText(self.tr("Leave empty to keep the current password"))
        self.add_field(
            "password",
            password,
            label=self.tr("New password") if user else field_header("password"),
        )
        repeat = QLineEdit()
        repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("password_repeat", repeat, label=self.tr("Repeat password"))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for code, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                out[code] = widget.text()
            elif isinstance(widget, QComboBox):
                out[code] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[code] = widget.isChecked()
        return out

    def submit(self) -> None:
        values = self.values()
        if values["password"] != values["password_repeat"]:
            self.clear_errors()
            self.show_field_error("password_repeat", self.tr("The two passwords differ."))
            return
        super().submit()

    def save(self, values: dict[str, Any]) -> UserRecord:
        accounts = self.station.accounts
        role = Role(values["role"])
        if self.user is None:
            return accounts.create_user(
                values["username"], values["display_name"], role, values["password"]
            )
        return accounts.update_user(
            self.user.id,
            display_name=values["display_name"],
            role=role,
            active=bool(values["active"]),
            password=values["password"] or None,
        )


class UsersView(QWidget):
    """Table of officer accounts with add and edit."""

    loaded = Signal()

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.dialog: UserDialog | None = None
        self._generation = 0
        self.model: RecordTableModel[UserRecord] = RecordTableModel(user_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self.update_actions)

        self.add_button = QPushButton(self.tr("Add user…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel()

        tools = QHBoxLayout()
        tools.addWidget(self.add_button)
        tools.addWidget(self.edit_button)
        tools.addStretch(1)
        tools.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        self.update_actions()
        self.refresh()

    def refresh(self) -> None:
        if not self.station.session.can(Permission.MANAGE_USERS):
            self.model.set_records([])
            self.status.setText(self.tr("Your role may not manage users."))
            self.update_actions()
            return
        self._generation += 1
        generation = self._generation
        self.tasks.run(
            self.station.accounts.list_users,
            on_done=lambda users: self._apply(generation, users),
            on_error=lambda exc: self.status.setText(describe(exc)),
        )

    def _apply(self, generation: int, users: list[UserRecord]) -> None:
        if generation != self._generation:
            return
        self.model.set_records(users)
        self.status.setText(self.tr("{n} accounts").format(n=len(users)))
        self.update_actions()
        self.loaded.emit()

    def update_actions(self, *_: Any) -> None:
        can = self.station.session.can(Permission.MANAGE_USERS)
        self.add_button.setEnabled(can)
        self.edit_button.setEnabled(can and self.selected_user() is not None)
        self.refresh_button.setEnabled(can)

    def selected_user(self) -> UserRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def select_user(self, username: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.record(row).username == username:
                self.table.selectRow(row)
                return
        raise KeyError(username)

    def _open(self, dialog: UserDialog) -> UserDialog:
        dialog.saved.connect(lambda _user: self.refresh())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_user(self) -> UserDialog:
        return self._open(UserDialog(self.station, self.tasks, None, self))

    def edit_selected(self) -> UserDialog | None:
        user = self.selected_user()
        if user is None or not self.edit_button.isEnabled():
            return None
        return self._open(UserDialog(self.station, self.tasks, user, self))
