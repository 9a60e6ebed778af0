"""Start-up: first run creates the administrator, sign-in, and the refusal paths."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from station_console import backup
from station_console.errors import DataDirInUse
from station_console.station import Station, open_station
from tests.gui.conftest import ADMIN
from ui.app import LaunchOptions, run_gui
from ui.first_run_dialog import FirstRunDialog
from ui.gui_collector import GuiThreadCollector
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.startup import EXIT_CORRUPT, EXIT_IN_USE, Launcher, box_notify
from ui.tasks import TaskRunner


def test_first_run_dialog_creates_the_admin(qtbot, empty_station: Station, tasks: TaskRunner):
    assert empty_station.accounts.needs_first_admin()
    dialog = FirstRunDialog(empty_station, tasks)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.username.setText("zhang")
    dialog.display_name.setText("张警官")
    dialog.password.setText("short")
    dialog.repeat.setText("short")
    dialog.submit()
    assert "8" in dialog.error.text()  # refused before any task runs
    dialog.password.setText("long-enough-1")
    dialog.repeat.setText("different-22")
    dialog.submit()
    assert dialog.error.text()
    dialog.repeat.setText("long-enough-1")
    with qtbot.waitSignal(dialog.created, timeout=10_000) as blocker:
        dialog.submit()
    assert blocker.args == ["zhang"]
    assert not empty_station.accounts.needs_first_admin()
    officer = empty_station.accounts.sign_in("zhang", "long-enough-1")
    assert officer.display_name == "张警官"


def test_login_wrong_then_right_password(qtbot, station: Station, tasks: TaskRunner):
    station.accounts.sign_out()
    dialog = LoginDialog(station, tasks, username="admin")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.password.setText("not-the-password")
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.submit()
    assert "Wrong user name or password" in failed.args[0]
    assert dialog.password.text() == ""
    assert station.session.officer is None
    dialog.password.setText(ADMIN[1])
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as ok:
        dialog.submit()
    assert ok.args[0].username == "admin"
    assert station.session.officer is not None


def test_launcher_first_run_then_login_then_window(qtbot, tmp_path: Path):
    tasks = TaskRunner()
    notices: list[str] = []
    launcher = Launcher(
        tmp_path, tasks, use_keyring=False, notify=lambda t, text, then: notices.append(text)
    )
    gc.unfreeze()  # nothing frozen yet: the freeze below is this sign-in's
    try:
        with qtbot.waitSignal(launcher.dialog_shown, timeout=10_000) as shown:
            launcher.start()
        first = shown.args[0]
        assert isinstance(first, FirstRunDialog)
        first.username.setText("admin")
        first.password.setText(ADMIN[1])
        first.repeat.setText(ADMIN[1])
        with qtbot.waitSignal(launcher.dialog_shown, timeout=10_000) as shown:
            first.submit()
        login = shown.args[0]
        assert isinstance(login, LoginDialog)
        assert login.username.text() == "admin"
        login.password.setText(ADMIN[1])
        with qtbot.waitSignal(launcher.window_shown, timeout=10_000) as win:
            login.submit()
        window = win.args[0]
        assert window.isVisible()
        # Once the window is up, what lives as long as it is frozen out of full collections.
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=10_000)
        with qtbot.waitSignal(launcher.finished, timeout=10_000) as fin:
            window.close()  # the close button: saves the layout, signs out, quits
        assert fin.args == [0]
        assert notices == []
    finally:
        gc.unfreeze()
        assert tasks.wait(10_000)
        if launcher.station is not None:
            launcher.station.close()


def test_data_dir_in_use_is_reported_and_exits_3(qtbot, station: Station, tmp_path: Path):
    # ``station`` holds the instance lock on tmp_path: a second console must refuse.
    tasks = TaskRunner()
    notices: list[tuple[str, str]] = []
    launcher = Launcher(
        tmp_path,
        tasks,
        use_keyring=False,
        notify=lambda title, text, then: (notices.append((title, text)), then()),
    )
    with qtbot.waitSignal(launcher.finished, timeout=10_000) as fin:
        launcher.start()
    assert fin.args == [EXIT_IN_USE]
    assert len(notices) == 1
    assert "already using the data directory" in notices[0][1]
    assert tasks.wait(10_000)


def test_handle_in_use_directly(qtbot, tmp_path: Path):
    notices: list[str] = []
    launcher = Launcher(tmp_path, TaskRunner(), notify=lambda t, text, then: notices.append(text))
    error = DataDirInUse("storage", "in use {path}", path="/x")
    launcher.handle_in_use(error)
    assert notices == ["in use /x"]


def test_corrupt_database_offers_the_backup_and_keeps_the_damaged_file(qtbot, tmp_path: Path):
    with open_station(tmp_path, use_keyring=False) as st:
        st.accounts.create_first_admin("admin", "", ADMIN[1])
        backup.rotate(st.db, st.paths.backups, 3)
        database = st.paths.database
    database.write_bytes(b"this is not a database at all" * 100)
    tasks = TaskRunner()
    questions: list[str] = []
    launcher = Launcher(
        tmp_path,
        tasks,
        use_keyring=False,
        ask=lambda title, text, answer: (questions.append(text), answer(True)),
        notify=lambda t, text, then: then(),
    )
    try:
        with qtbot.waitSignal(launcher.dialog_shown, timeout=10_000) as shown:
            launcher.start()
        assert isinstance(shown.args[0], LoginDialog)  # restored: admin exists, so sign-in
        assert len(questions) == 1 and "station-" in questions[0]
        kept = list(tmp_path.glob("station.sqlite3.replaced-*"))
        assert kept and kept[0].read_bytes().startswith(b"this is not")
        shown.args[0].reject()
    finally:
        assert tasks.wait(10_000)
        if launcher.station is not None:
            launcher.station.close()
    QCoreApplication.processEvents()


def test_default_notify_box_stays_open_until_answered(qtbot):
    closed: list[bool] = []
    box_notify("t", "the data directory is in use", lambda: closed.append(True))
    gc.collect()  # a parentless box without a Python reference would vanish here
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any(b.isVisible() and "in use" in b.text() for b in boxes)
    for box in boxes:
        box.done(0)
    assert closed == [True]


def test_corrupt_database_declined_exits(qtbot, tmp_path: Path):
    with open_station(tmp_path, use_keyring=False) as st:
        backup.rotate(st.db, st.paths.backups, 3)
        database = st.paths.database
    database.write_bytes(b"garbage" * 1000)
    tasks = TaskRunner()
    launcher = Launcher(
        tmp_path, tasks, use_keyring=False, ask=lambda title, text, answer: answer(False)
    )
    with qtbot.waitSignal(launcher.finished, timeout=10_000) as fin:
        launcher.start()
    assert fin.args == [EXIT_CORRUPT]
    assert database.read_bytes().startswith(b"garbage")
    assert tasks.wait(10_000)


def test_run_gui_honours_auto_login_lang_and_on_exit(qtbot, tmp_path: Path):
    with open_station(tmp_path, use_keyring=False) as st:
        st.accounts.create_first_admin("admin", "管理员", ADMIN[1])
    exited: list[bool] = []
    seen: dict[str, str] = {}

    def close_when_shown() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen["menu"] = widget.menus[0].title()
                # The console's own collector (not this suite's) runs on its GUI thread.
                seen["collectors"] = str(
                    len(QApplication.instance().findChildren(GuiThreadCollector))
                )
                widget.close()  # like the window's close button
                return
        QTimer.singleShot(20, close_when_shown)

    QTimer.singleShot(0, close_when_shown)
    QTimer.singleShot(20_000, lambda: QApplication.exit(99))  # never hang the suite
    code = run_gui(
        LaunchOptions(
            data_dir=tmp_path,
            lang="zh_CN",
            auto_login=("admin", ADMIN[1]),
            on_exit=[lambda: exited.append(True)],
        )
    )
    assert code == 0
    assert exited == [True]
    assert seen["menu"] == "文件(&F)"
    assert seen["collectors"] == "1"
    # The instance lock was released: the station opens again.
    with open_station(tmp_path, use_keyring=False) as st:
        actions = [r["action"] for r in st.db.query("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-2:] == ["login", "logout"]


def test_login_language_switch_rebuilds_the_dialog(qtbot, station: Station, tasks: TaskRunner):
    station.accounts.sign_out()
    switched: list[str] = []
    launcher = Launcher(
        station.paths.root, tasks, switch_language=switched.append, language="zh_CN"
    )
    launcher.station = station
    first = launcher.show_login("admin")
    assert first.language.isVisible() or first.language.isVisibleTo(first)
    with qtbot.waitSignal(launcher.dialog_shown, timeout=5_000) as shown:
        first.language.setCurrentIndex(first.language.findData("en"))
    assert switched == ["en"]
    second = shown.args[0]
    assert second is not first and second.username.text() == "admin"
    assert second.language.currentData() == "en"
    assert launcher.exit_code is None  # closing the old dialog did not quit
    second.done(0)


def test_english_can_be_chosen_and_chinese_comes_back(qapp) -> None:  # type: ignore[no-untyped-def]
    """Choosing English installs no catalogue and makes the locale English (US); it once
    raised AttributeError (PySide6 has no QLocale.Territory), so --lang en never started."""
    from PySide6.QtCore import QLocale

    from ui.i18n import install_translators, remove_translators

    try:
        assert install_translators(qapp, "en") == []
        assert QLocale().language() == QLocale.Language.English
        assert QLocale().territory() == QLocale.Country.UnitedStates
    finally:
        translators = install_translators(qapp, "zh_CN")
        assert QLocale().language() == QLocale.Language.Chinese
        remove_translators(qapp, translators)
