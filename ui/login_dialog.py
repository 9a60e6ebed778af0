"""Sign-in: user name, password and (optionally) the language, checked on the task runner.

The password check is slow on purpose (argon2), so it never runs on the GUI thread. A wrong
password, a disabled account and a lock-out each come back from the core as a translated
sentence shown inside the dialog; the password field is cleared, the user name kept.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station_console.services.permissions import Officer
from station_console.station import Station
from ui.i18n import LANGUAGE_NAMES
from ui.lifetime import while_alive
from ui.messages import describe
from ui.tasks import TaskRunner


class LoginDialog(QDialog):
    """Emits :attr:`signed_in` with the :class:`Officer` and accepts on success."""

    signed_in = Signal(object)
    failed = Signal(str)
    language_changed = Signal(str)

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        username: str = "",
        language: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.officer: Officer | None = None
        station_name = str(station.settings.get("station_name") or "")
        title = self.tr("Station Console — sign in")
        self.setWindowTitle(f"{title} · {station_name}" if station_name else title)

        self.username = QLineEdit(username, self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("&User name:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)
        # Officers of a mixed room may prefer the other language for this session; the
        # station default stays as set. Shown only when the caller can switch languages.
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        if language is not None:
            self.language.setCurrentIndex(max(0, self.language.findData(language)))
            self.language.currentIndexChanged.connect(
                lambda _: self.language_changed.emit(str(self.language.currentData()))
            )
            form.addRow(self.tr("&Language:"), self.language)
        else:
            self.language.hide()

        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def submit(self) -> None:
        username = self.username.text().strip()
        if not username:
            self.error.setText(self.tr("Enter your user name."))
            self.username.setFocus()
            return
        self.error.clear()
        self.ok_button.setEnabled(False)
        self.tasks.run(
            self.station.accounts.sign_in,
            username,
            self.password.text(),
            on_done=while_alive(self, self._done),
            on_error=while_alive(self, self._failed),
        )

    def _done(self, officer: Officer) -> None:
        self.ok_button.setEnabled(True)
        self.officer = officer
        self.signed_in.emit(officer)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        text = describe(exc)
        self.error.setText(text)
        self.password.clear()
        self.password.setFocus()
        self.failed.emit(text)
