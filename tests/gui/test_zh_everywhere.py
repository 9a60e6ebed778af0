"""Walk every widget, action, menu and header in zh_CN and look for leftover English.

A string someone forgot to wrap in tr() shows up here as an English word on screen.
Technical tokens that are English in Chinese software too are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from station_console.station import Station
from ui.crash import CrashDialog
from ui.first_run_dialog import FirstRunDialog
from ui.log_view import LogView
from ui.login_dialog import LoginDialog
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog
from ui.tasks import TaskRunner

ALLOWED = {
    "ONVIF", "RTSP", "GB", "CSV", "PTZ", "MAC", "URL", "IP", "ID", "HLC", "SHA", "JSON",
    "VLC", "TCP", "UDP", "UTF", "Ctrl", "Shift", "English", "sqlite", "rtsp", "http",
    "https", "onvif", "device_service",
    "camera", "login",  # audit action codes, typed as stored
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def _model_texts(model: QAbstractItemModel) -> Iterator[str]:
    for orientation in (Qt.Orientation.Horizontal,):
        # A list model has one column and hides columnCount() from Python.
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
        for section in range(columns):
            value = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                yield value


def _inside(obj: QObject, skip: tuple[QObject, ...]) -> bool:
    while obj is not None:
        if obj in skip:
            return True
        obj = obj.parent()
    return False


def visible_texts(root: QObject, skip: tuple[QObject, ...] = ()) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a user can read under ``root`` (minus ``skip`` subtrees)."""
    widgets = [root, *root.findChildren(QWidget)] if isinstance(root, QWidget) else []
    for w in widgets:
        if _inside(w, skip):
            continue
        name = f"{type(w).__name__}:{w.objectName()}"
        yield name + ".windowTitle", w.windowTitle()
        yield name + ".toolTip", w.toolTip()
        yield name + ".statusTip", w.statusTip()
        if isinstance(w, QLabel | QAbstractButton):
            yield name + ".text", w.text()
        if isinstance(w, QLineEdit):
            yield name + ".placeholder", w.placeholderText()
        if isinstance(w, QGroupBox):
            yield name + ".title", w.title()
        if isinstance(w, QMenu):
            yield name + ".title", w.title()
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name}.item{i}", w.itemText(i)
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield f"{name}.tab{i}", w.tabText(i)
                yield f"{name}.tabToolTip{i}", w.tabToolTip(i)
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            for text in _model_texts(w.model()):
                yield name + ".header", text
    for action in root.findChildren(QAction):
        if _inside(action, skip):
            continue
        name = f"QAction:{action.objectName()}"
        yield name + ".text", action.text()
        yield name + ".toolTip", action.toolTip()
        yield name + ".statusTip", action.statusTip()


def assert_chinese(root: QObject, skip: tuple[QObject, ...] = ()) -> int:
    bad = []
    count = 0
    for where, text in visible_texts(root, skip):
        if not text:
            continue
        count += 1
        words = english_words(text)
        if words:
            bad.append(f"{where}: {text!r} -> {words}")
    assert not bad, "English left on screen:\n" + "\n".join(bad)
    return count


def _settle(qtbot, tasks: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    # Let every background load finish and its result land on the GUI thread.
    for _ in range(3):
        assert tasks.wait(10_000)
        qtbot.wait(50)


def test_main_window_has_no_english_in_zh(
    qtbot, zh_cn: None, station: Station, tasks: TaskRunner, make_window: Callable[[], MainWindow]
):
    window = make_window()
    _settle(qtbot, tasks)
    assert "…" not in window.overview.audit_label.text()  # the audit check came back
    n = assert_chinese(window, skip=tuple(window.extra_tabs.values()))
    assert n > 40
    window.lock()
    _settle(qtbot, tasks)
    assert_chinese(window.lock_screen)


def test_embedded_tabs_have_no_english_in_zh(
    qtbot, zh_cn: None, station: Station, tasks: TaskRunner, make_window: Callable[[], MainWindow]
):
    window = make_window()
    _settle(qtbot, tasks)
    for key, widget in window.extra_tabs.items():
        window.show_tab(widget)
        _settle(qtbot, tasks)
        assert_chinese(widget), key


def test_dialogs_have_no_english_in_zh(
    qtbot, zh_cn: None, station: Station, tasks: TaskRunner, empty_station: Station
):
    dialogs: list[QWidget] = [
        FirstRunDialog(station, tasks),
        LoginDialog(station, tasks),
        SettingsDialog(station, tasks),
        LogView(),
    ]
    dialogs.append(CrashDialog("Traceback ...", None))
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
    _settle(qtbot, tasks)
    for dialog in dialogs:
        assert_chinese(dialog)
