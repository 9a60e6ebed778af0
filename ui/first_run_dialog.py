"""First run: create the station's administrator before anyone can sign in.

The account is created on the task runner (password hashing is deliberately slow); errors
from the core (name taken, password too short) are shown inside the dialog, in the user's
language, next to the form rather than in a separate box.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station_console.services.accounts import MIN_PASSWORD_LENGTH, UserRecord
from station_console.station import Station
from ui.lifetime import while_alive
from ui.messages import describe
from ui.tasks import TaskRunner


class FirstRunDialog(QDialog):
    """Asks for user name, display name and the password twice; emits :attr:`created`."""

    created = Signal(str)  # the new administrator's user name

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.setWindowTitle(self.tr("Station Console — first start"))
        intro = QLabel(
            self.tr(
                "This station has no administrator yet. Create the administrator account "
                "now; the administrator then adds the other officers."
            ),
            self,
        )
        intro.setWordWrap(True)

        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("At least {n} characters").format(n=MIN_PASSWORD_LENGTH)
        )
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("repeatPassword")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        form.addRow(self.tr("&User name:"), self.username)
        form.addRow(self.tr("&Display name:"), self.display_name)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("&Repeat password:"), self.repeat)

        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Create administrator"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.username.setFocus()

    def submit(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self._fail(self.tr("Enter a user name."))
            return
        if len(password) < MIN_PASSWORD_LENGTH:
            self._fail(
                self.tr("The password must have at least {n} characters.").format(
                    n=MIN_PASSWORD_LENGTH
                )
            )
            return
        if password != self.repeat.text():
            self._fail(self.tr("The two passwords differ."))
            return
        self.error.clear()
        self._busy(True)
        self.tasks.run(
            self.station.accounts.create_first_admin,
            username,
            self.display_name.text().strip(),
            password,
            on_done=while_alive(self, self._done),
            on_error=while_alive(self, self._failed),
        )

    def _done(self, record: UserRecord) -> None:
        self._busy(False)
        self.created.emit(record.username)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self._fail(describe(exc))

    def _fail(self, text: str) -> None:
        self.error.setText(text)

    def _busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
