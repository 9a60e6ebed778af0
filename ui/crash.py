"""Crash handling: an uncaught exception becomes a report file and a dialog, not a vanished window.

``sys.excepthook`` (GUI thread) and ``threading.excepthook`` (worker threads) both hand the
exception to :class:`CrashHandler`, which re-emits it as a signal so the dialog is always
built on the GUI thread. The report (traceback, log tail, version, platform) is written
synchronously: after a bug the task runner itself may be what is broken, and the file is tiny.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_console import __version__
from station_console.logs import TAIL

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def write_report(directory: Path, exc_info: ExcInfo, thread_name: str = "") -> Path:
    """Write ``crash-<time>.txt`` with everything a developer needs; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = directory / f"crash-{stamp}.txt"
    lines = [
        f"Station Console {__version__} crash report",
        f"time: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"platform: {platform.platform()}",
        f"python: {sys.version.split()[0]}  PySide6: {pyside_version}",
        f"thread: {thread_name or threading.current_thread().name}",
        "",
        "".join(traceback.format_exception(*exc_info)).rstrip(),
        "",
        "--- recent log ---",
        *TAIL.snapshot()[-500:],
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class CrashDialog(QDialog):
    """Says what happened, where the report is, and offers to continue or quit."""

    def __init__(self, summary: str, report: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("Station Console — unexpected error"))
        self.report = report
        text = QLabel(
            self.tr(
                "The console hit an unexpected error. Your data is safe: every change is "
                "saved when it is made. Please pass the report file to the technician."
            ),
            self,
        )
        text.setWordWrap(True)
        where = QLabel(self)
        where.setObjectName("reportPath")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        if report is not None:
            where.setText(self.tr("Report saved to: {path}").format(path=str(report)))
        else:
            where.setText(self.tr("The report could not be saved; see the details below."))
        details = QPlainTextEdit(summary, self)
        details.setReadOnly(True)
        details.setObjectName("crashDetails")
        self.continue_button = QPushButton(self.tr("&Continue"), self)
        self.continue_button.clicked.connect(self.accept)
        self.quit_button = QPushButton(self.tr("&Quit the console"), self)
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(where)
        layout.addWidget(details, 1)
        layout.addLayout(buttons)
        self.resize(640, 420)
        self.continue_button.setDefault(True)


class CrashHandler(QObject):
    """Installs the hooks; shows one dialog at a time; quits if the user asks to."""

    crashed = Signal(object, str)  # exc_info, thread name
    report_written = Signal(object)  # Path | None

    def __init__(
        self,
        report_dir: Callable[[], Path],
        parent: QObject | None = None,
        quit_app: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._report_dir = report_dir
        self._quit = quit_app or (lambda: QApplication.exit(70))
        self._previous_sys = sys.excepthook
        self._previous_thread = threading.excepthook
        self.dialog: CrashDialog | None = None
        self.crashed.connect(self._on_crash, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous_sys
        threading.excepthook = self._previous_thread

    def _sys_hook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_sys(exc_type, exc, tb)
            return
        self.crashed.emit((exc_type, exc, tb), threading.current_thread().name)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread else ""
        self.crashed.emit((args.exc_type, args.exc_value, args.exc_traceback), name)

    def handle(self, exc_info: ExcInfo, thread_name: str = "") -> CrashDialog:
        """Write the report and show the dialog (non-modal ``open()``; tests call this)."""
        log.critical("uncaught exception in %s", thread_name or "GUI thread", exc_info=exc_info)
        report: Path | None
        try:
            report = write_report(self._report_dir(), exc_info, thread_name)
        except OSError:
            log.exception("could not write the crash report")
            report = None
        self.report_written.emit(report)
        summary = "".join(traceback.format_exception(*exc_info))
        if self.dialog is not None and self.dialog.isVisible():
            # One dialog at a time; a burst of errors goes to the same report directory.
            return self.dialog
        parent = QApplication.activeWindow()
        self.dialog = CrashDialog(summary, report, parent)
        self.dialog.rejected.connect(self._quit)
        self.dialog.open()
        return self.dialog

    def _on_crash(self, exc_info: ExcInfo, thread_name: str) -> None:
        self.handle(exc_info, thread_name)
