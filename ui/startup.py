"""Start-up sequence: open the station, recover from a damaged database, first run, sign-in.

Every step that touches the disk runs on the task runner and the next step is chained from
its result, so the event loop is running (and the crash handler active) from the first
moment. Questions and notices go through two injectable callbacks so tests drive the whole
flow without a blocking ``exec()``: ``notify(title, text, then)`` and
``ask(title, text, answer)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from drivers.memory import freeze_long_lived
from station_console import backup
from station_console.errors import ConsoleError, DatabaseCorrupt, DataDirInUse
from station_console.paths import DataPaths
from station_console.services.permissions import Officer
from station_console.station import Station, open_station
from station_console.storage.instance_lock import InstanceLock
from ui.first_run_dialog import FirstRunDialog
from ui.login_dialog import LoginDialog
from ui.main_window import LAYOUT_PREF, MainWindow
from ui.messages import describe
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_IN_USE = 3
EXIT_CORRUPT = 4
#: After the main window shows, when to freeze the long-lived objects (drivers.memory).
FREEZE_AFTER_MS = 3000

Notify = Callable[[str, str, Callable[[], None]], None]
Ask = Callable[[str, str, Callable[[bool], None]], None]


def _title() -> str:
    return QCoreApplication.translate("startup", "Station Console")


# Parentless boxes must stay referenced from Python until closed, or they vanish at once.
_open_boxes: set[QMessageBox] = set()


def _keep(box: QMessageBox) -> None:
    _open_boxes.add(box)
    box.finished.connect(lambda _: _open_boxes.discard(box))


def box_notify(title: str, text: str, then: Callable[[], None]) -> None:
    """Default ``notify``: a non-blocking warning box; ``then`` runs when it is closed."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok)
    box.finished.connect(lambda _: then())
    _keep(box)
    box.open()


def box_ask(title: str, text: str, answer: Callable[[bool], None]) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    box.finished.connect(lambda code: answer(code == QMessageBox.StandardButton.Yes))
    _keep(box)
    box.open()


@dataclass
class OpenOutcome:
    station: Station | None = None
    error: ConsoleError | None = None
    backup: Path | None = None


def try_open(data_dir: Path, use_keyring: bool | None = None) -> OpenOutcome:
    """Open the station; on a damaged database also find the newest backup. Worker thread."""
    try:
        return OpenOutcome(station=open_station(data_dir, use_keyring=use_keyring))
    except DatabaseCorrupt as exc:
        return OpenOutcome(error=exc, backup=backup.latest_backup(DataPaths(data_dir).backups))
    except ConsoleError as exc:
        return OpenOutcome(error=exc)


def restore_under_lock(data_dir: Path, source: Path) -> Path | None:
    """Restore ``source`` while holding the instance lock; the damaged file is kept aside."""
    paths = DataPaths(data_dir)
    with InstanceLock(paths.lock_file):  # __enter__ acquires
        return backup.restore(source, paths.database)


def daily_backup_due(backups_dir: Path) -> bool:
    age = backup.backup_age_hours(backups_dir)
    return age is None or age > 24


def run_daily_backup(station: Station) -> Path | None:
    """Worker thread: write the daily backup if the newest one is older than a day."""
    if not daily_backup_due(station.paths.backups):
        return None
    return backup.rotate(
        station.db, station.paths.backups, int(station.settings.get("backups_to_keep"))
    )


class Launcher(QObject):
    """Drives start-up and the sign-in / sign-out cycle; emits :attr:`finished` with the code."""

    finished = Signal(int)
    opened = Signal(object)  # Station
    window_shown = Signal(object)  # MainWindow
    dialog_shown = Signal(object)  # FirstRunDialog | LoginDialog
    daily_backup_done = Signal(object)  # Path | None

    def __init__(
        self,
        data_dir: Path,
        tasks: TaskRunner,
        *,
        auto_login: tuple[str, str] | None = None,
        use_keyring: bool | None = None,
        notify: Notify = box_notify,
        ask: Ask = box_ask,
        on_station: Callable[[Station], None] | None = None,
        switch_language: Callable[[str], None] | None = None,
        language: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.tasks = tasks
        self.auto_login = auto_login
        self.use_keyring = use_keyring
        self.notify = notify
        self.ask = ask
        self.on_station = on_station
        self.switch_language = switch_language
        self.language = language
        self.station: Station | None = None
        self.window: MainWindow | None = None
        self.dialog: QWidget | None = None
        self.exit_code: int | None = None

    # -- opening ---------------------------------------------------------------------------

    def start(self) -> None:
        self.tasks.run(
            try_open, self.data_dir, self.use_keyring, on_done=self._opened, on_error=self._crash
        )

    def _opened(self, outcome: OpenOutcome) -> None:
        if outcome.station is not None:
            self.station = outcome.station
            if self.on_station:
                self.on_station(outcome.station)
            self.opened.emit(outcome.station)
            self.tasks.run(
                run_daily_backup,
                outcome.station,
                on_done=self.daily_backup_done.emit,
                on_error=lambda exc: log.warning("daily backup failed: %s", exc),
            )
            self.tasks.run(
                outcome.station.accounts.needs_first_admin,
                on_done=self._first_or_login,
                on_error=self._crash,
            )
            return
        error = outcome.error
        assert error is not None
        if isinstance(error, DataDirInUse):
            self.handle_in_use(error)
        elif isinstance(error, DatabaseCorrupt):
            self.handle_corrupt(error, outcome.backup)
        else:
            self.notify(_title(), describe(error), lambda: self.finish(EXIT_FAILED))

    def handle_in_use(self, error: DataDirInUse) -> None:
        """Another console holds the data directory: say so, exit with code 3."""
        self.notify(_title(), describe(error), lambda: self.finish(EXIT_IN_USE))

    def handle_corrupt(self, error: DatabaseCorrupt, latest: Path | None) -> None:
        """Offer the newest backup; the damaged file is renamed aside, never overwritten."""
        text = describe(error)
        if latest is None:
            self.notify(
                _title(),
                QCoreApplication.translate(
                    "startup",
                    "{error}\n\nThere is no backup to restore. The damaged file was left as "
                    "it is; ask the technician for help.",
                ).format(error=text),
                lambda: self.finish(EXIT_CORRUPT),
            )
            return
        question = QCoreApplication.translate(
            "startup",
            "{error}\n\nRestore the newest backup ({backup})? The damaged file is kept beside "
            "it, renamed, so nothing is lost.",
        ).format(error=text, backup=latest.name)

        def answer(yes: bool) -> None:
            if not yes:
                self.finish(EXIT_CORRUPT)
                return
            self.tasks.run(
                restore_under_lock,
                self.data_dir,
                latest,
                on_done=lambda _: self.start(),
                on_error=lambda exc: self.notify(
                    _title(), describe(exc), lambda: self.finish(EXIT_CORRUPT)
                ),
            )

        self.ask(_title(), question, answer)

    # -- first run and sign-in -------------------------------------------------------------

    def _first_or_login(self, needs_admin: bool) -> None:
        assert self.station is not None
        if needs_admin:
            dialog = FirstRunDialog(self.station, self.tasks)
            dialog.created.connect(self._admin_created)
            dialog.rejected.connect(lambda: self.finish(EXIT_OK))
            self._show_dialog(dialog)
        elif self.auto_login is not None:
            user, password = self.auto_login
            self.auto_login = None  # only once: after sign-out the dialog is shown
            self.tasks.run(
                self.station.accounts.sign_in,
                user,
                password,
                on_done=self._signed_in,
                on_error=lambda exc: self.show_login(),
            )
        else:
            self.show_login()

    def _admin_created(self, username: str) -> None:
        self.show_login(username)

    def show_login(self, username: str = "") -> LoginDialog:
        assert self.station is not None
        language = self.language if self.switch_language is not None else None
        dialog = LoginDialog(self.station, self.tasks, username=username, language=language)
        dialog.signed_in.connect(self._signed_in)
        dialog.rejected.connect(lambda: self.finish(EXIT_OK))
        dialog.language_changed.connect(lambda lang: self._relabel_login(dialog, lang))
        self._show_dialog(dialog)
        return dialog

    def _relabel_login(self, dialog: LoginDialog, language: str) -> None:
        """Switch translators, then rebuild the dialog so every label is in the new language."""
        if self.switch_language is None:
            return
        self.switch_language(language)
        self.language = language
        username = dialog.username.text()
        dialog.rejected.disconnect()
        dialog.reject()
        self.show_login(username)

    def _show_dialog(self, dialog: FirstRunDialog | LoginDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        self.dialog_shown.emit(dialog)

    def _signed_in(self, officer: Officer) -> None:
        assert self.station is not None
        log.info("signed in: %s (%s)", officer.username, officer.role.value)
        self.tasks.run(
            self.station.accounts.get_pref,
            LAYOUT_PREF,
            on_done=self._show_window,
            on_error=lambda exc: self._show_window(None),
        )

    def _show_window(self, layout: Any) -> None:
        assert self.station is not None
        window = MainWindow(self.station, self.tasks)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.restore_layout(layout)
        window.ended.connect(self._window_ended)
        self.window = window
        window.show()
        self.window_shown.emit(window)
        # Once the window's first loads are in (inventory, the remembered wall: they come back
        # from the task runner within a second or two), exempt what lives as long as the window
        # from full collections, which would otherwise pause every tile's stream (drivers.memory).
        QTimer.singleShot(FREEZE_AFTER_MS, freeze_long_lived)

    def _window_ended(self, reason: str) -> None:
        self.window = None
        if reason == "quit":
            self.finish(EXIT_OK)
        else:
            self.show_login()

    # -- the end ---------------------------------------------------------------------------

    def finish(self, code: int) -> None:
        if self.exit_code is None:
            self.exit_code = code
            self.finished.emit(code)

    def _crash(self, exc: BaseException) -> None:
        # Start-up cannot go on without the station: report and leave.
        log.error("start-up failed", exc_info=(type(exc), exc, exc.__traceback__))
        self.notify(_title(), describe(exc), lambda: self.finish(EXIT_FAILED))
