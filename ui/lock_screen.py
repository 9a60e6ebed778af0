"""Idle lock: an application-wide input watcher and the screen that covers the console.

A monitoring room is shared; an officer who walks away must not leave the console usable by
anyone. After ``idle_lock_minutes`` without keyboard or mouse input the main window is
covered by :class:`LockScreen`, which lets the same officer back in with the password
(checked on the task runner) or lets someone else sign in. The wall keeps running under it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_console.services.permissions import Officer
from station_console.station import Station
from ui.lifetime import while_alive
from ui.messages import describe
from ui.tasks import TaskRunner

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    """Emits :attr:`idle` once after ``timeout_ms`` with no input anywhere in the app."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise, so the countdown (and remaining_ms) is exact; it is one timer.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.idle)
        self._installed = False

    def start(self, timeout_ms: int) -> None:
        """Watch with this timeout; 0 or less switches the lock off."""
        app = QApplication.instance()
        if timeout_ms <= 0:
            self.stop()
            return
        self._timer.setInterval(timeout_ms)
        if not self._installed and app is not None:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if self._installed and app is not None:
            app.removeEventFilter(self)
        self._installed = False

    def resume(self) -> None:
        """Start again with the last timeout (after an unlock)."""
        self.start(self._timer.interval())

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    @property
    def remaining_ms(self) -> int:
        return self._timer.remainingTime()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.interval() > 0:
            self._timer.start()
        return False


class LockScreen(QWidget):
    """Covers its parent; :attr:`unlocked` when the officer's password is right."""

    unlocked = Signal()
    switch_user = Signal()

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#lockScreen { background: #1d2733; } "
            "#lockScreen QLabel { color: #f0f0f0; font-size: 14pt; }"
        )
        self.title = QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit(self)
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setMaximumWidth(320)
        self.password.returnPressed.connect(self.try_unlock)
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self.try_unlock)
        self.switch_button = QPushButton(self.tr("Sign in as &another officer"), self)
        self.switch_button.setObjectName("switchUserButton")
        self.switch_button.clicked.connect(self.switch_user)
        self.error = QLabel(self)
        self.error.setObjectName("lockError")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.password)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.error)
        switch_row = QHBoxLayout()
        switch_row.addStretch(1)
        switch_row.addWidget(self.switch_button)
        switch_row.addStretch(1)
        layout.addLayout(switch_row)
        layout.addStretch(3)
        self.hide()

    def engage(self, officer: Officer | None) -> None:
        name = officer.display_name or officer.username if officer else ""
        self.title.setText(
            self.tr("Console locked. {name}, enter your password.").format(name=name)
        )
        self.password.clear()
        self.error.clear()
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.password.setFocus()

    @property
    def engaged(self) -> bool:
        return self.isVisible()

    def try_unlock(self) -> None:
        self.unlock_button.setEnabled(False)
        self.tasks.run(
            self.station.accounts.verify_current,
            self.password.text(),
            on_done=while_alive(self, self._checked),
            on_error=while_alive(self, self._failed),
        )

    def _checked(self, ok: bool) -> None:
        self.unlock_button.setEnabled(True)
        if ok:
            self.hide()
            self.unlocked.emit()
        else:
            self.password.clear()
            self.error.setText(self.tr("Wrong password."))

    def _failed(self, exc: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        self.error.setText(describe(exc))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Follow the parent's size so nothing peeks out after a resize or full screen.
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def follow_parent(self) -> None:
        self.parentWidget().installEventFilter(self)
