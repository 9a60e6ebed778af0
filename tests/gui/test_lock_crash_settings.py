"""Idle lock, crash reports, the settings dialog, the log view and backups."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QSpinBox
from shiboken6 import isValid

from station_console.logs import TailHandler
from station_console.services.permissions import Role
from station_console.station import Station
from tests.gui.conftest import ADMIN, add_officer
from ui.crash import CrashHandler
from ui.log_view import LogView
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog
from ui.startup import daily_backup_due, run_daily_backup
from ui.tasks import TaskRunner


def _audit_actions(station: Station) -> list[str]:
    return [r["action"] for r in station.db.query("SELECT action FROM audit_log ORDER BY seq")]


def test_idle_lock_engages_and_unlocks_with_the_password(
    qtbot, station: Station, make_window: Callable[[], MainWindow]
):
    window = make_window()
    settings = window.show_settings()
    with qtbot.waitSignal(window.locked, timeout=5_000):
        window.start_idle_watch(150)
    assert window.lock_screen.engaged
    assert not isValid(settings) or not settings.isVisible()  # nothing usable above the cover
    assert not window.tabs.isEnabled() and not window.menuBar().isEnabled()
    qtbot.waitUntil(lambda: "lock" in _audit_actions(station), timeout=5_000)

    window.lock_screen.password.setText("wrong-password")
    window.lock_screen.try_unlock()
    qtbot.waitUntil(lambda: window.lock_screen.error.text() != "", timeout=10_000)
    assert window.lock_screen.engaged

    window.lock_screen.password.setText(ADMIN[1])
    with qtbot.waitSignal(window.unlocked, timeout=10_000):
        window.lock_screen.try_unlock()
    assert not window.lock_screen.engaged
    assert window.tabs.isEnabled()
    assert window.idle.active  # watching again
    assert {"unlock.failed", "unlock"} <= set(_audit_actions(station))


def test_input_keeps_the_console_unlocked(
    qtbot, station: Station, make_window: Callable[[], MainWindow]
):
    window = make_window()
    window.start_idle_watch(60_000)
    qtbot.waitUntil(lambda: window.idle.remaining_ms < 59_850, timeout=5_000)
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window.tabs, key)
    assert window.idle.remaining_ms > 59_850  # the countdown started again


def test_lock_screen_lets_another_officer_sign_in(
    qtbot, station: Station, make_window: Callable[[], MainWindow]
):
    window = make_window()
    window.lock()
    with qtbot.waitSignal(window.ended, timeout=10_000) as ended:
        window.lock_screen.switch_button.click()
    assert ended.args == ["switch"]
    assert station.session.officer is None


def test_crash_dialog_writes_a_report(qtbot, station: Station, tmp_path: Path):
    logging.getLogger("ui.test").warning("something happened before the crash")
    quits: list[bool] = []
    handler = CrashHandler(lambda: station.paths.crash_reports, quit_app=lambda: quits.append(True))
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        info = sys.exc_info()
    dialog = handler.handle(info)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    reports = list(station.paths.crash_reports.glob("crash-*.txt"))
    assert len(reports) == 1 and dialog.report == reports[0]
    text = reports[0].read_text(encoding="utf-8")
    assert "ValueError: boom in a slot" in text
    assert "platform:" in text and "Station Console" in text
    dialog.quit_button.click()
    assert quits == [True]


def test_thread_exceptions_reach_the_dialog(qtbot, station: Station):
    handler = CrashHandler(lambda: station.paths.crash_reports, quit_app=lambda: None)
    handler.install()
    try:
        with qtbot.waitSignal(handler.report_written, timeout=5_000) as written:
            worker = threading.Thread(target=lambda: 1 / 0, name="worker-x")
            worker.start()
            worker.join()
        assert "ZeroDivisionError" in Path(written.args[0]).read_text(encoding="utf-8")
        assert "worker-x" in Path(written.args[0]).read_text(encoding="utf-8")
    finally:
        handler.uninstall()
        if handler.dialog is not None:
            handler.dialog.close()


def test_settings_dialog_saves_a_value(qtbot, station: Station, tasks: TaskRunner):
    dialog = SettingsDialog(station, tasks)
    qtbot.addWidget(dialog)
    dialog.open()
    spin = dialog.findChild(QSpinBox, "setting_idle_lock_minutes")
    spin.setValue(25)
    box = dialog.findChild(QCheckBox, "setting_audible_alarms")
    box.setChecked(False)
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    assert sorted(saved.args[0]) == ["audible_alarms", "idle_lock_minutes"]
    assert station.settings.get("idle_lock_minutes") == 25
    assert station.settings.get("audible_alarms") is False


def test_settings_are_read_only_without_permission(qtbot, station: Station, tasks: TaskRunner):
    add_officer(station, Role.DUTY_LEADER, "leader")
    dialog = SettingsDialog(station, tasks)
    qtbot.addWidget(dialog)
    assert not dialog.editable
    assert not dialog.findChild(QSpinBox, "setting_idle_lock_minutes").isEnabled()


def test_log_view_shows_the_tail(qtbot):
    tail = TailHandler()
    logger = logging.getLogger("ui.test.logview")
    logger.addHandler(tail)
    try:
        view = LogView(tail=tail)
        qtbot.addWidget(view)
        logger.warning("marker line 4711")
        view.show()
        assert "marker line 4711" in view.text.toPlainText()
        logger.warning("password=*** rtsp://***@cam second line")
        qtbot.waitUntil(lambda: "second line" in view.text.toPlainText(), timeout=5_000)
        assert view.text.toPlainText().count("marker line 4711") == 1
    finally:
        logger.removeHandler(tail)


def test_daily_backup_runs_once(qtbot, station: Station, tasks: TaskRunner):
    assert daily_backup_due(station.paths.backups)
    path = run_daily_backup(station)
    assert path is not None and path.exists()
    assert not daily_backup_due(station.paths.backups)
    assert run_daily_backup(station) is None


def test_backup_now_writes_the_file(
    qtbot, station: Station, tmp_path: Path, make_window: Callable[[], MainWindow]
):
    window = make_window()
    target = tmp_path / "manual.sqlite3"
    with qtbot.waitSignal(window.backup_written, timeout=10_000):
        window.backup_to(target)
    assert target.read_bytes()[:15] == b"SQLite format 3"
