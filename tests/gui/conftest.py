"""GUI test fixtures: offscreen Qt, a real station in tmp_path, a real task runner.

Tests wait on signals or conditions (``qtbot.waitSignal`` / ``waitUntil``), never sleep.
Teardown order matters: windows are finished first, then the task runner drains, then the
station closes, so no background task ever touches a closed database.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt
os.environ.setdefault("SC_NO_KEYRING", "1")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from station_console.services.permissions import Role
from station_console.station import Station, open_station
from ui.gui_collector import GuiThreadCollector
from ui.i18n import install_translators, remove_translators
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

ADMIN = ("admin", "admin-pass-1")
OFFICER_PASSWORD = "password-123"

pytestmark = pytest.mark.gui


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)
            # The offscreen platform cannot honour size hints of top-level windows; harmless.
            item.add_marker(pytest.mark.qt_log_ignore(r"does not support propagateSizeHints"))


@pytest.fixture(autouse=True)
def gui_thread_collector(qapp: QApplication) -> Iterator[GuiThreadCollector]:
    """Cyclic garbage freed on the GUI thread only, as in the console (ui.gui_collector): a
    collection on a worker thread that freed a Qt object deadlocked this suite once. What is
    left is collected here before automatic collection resumes for the non-GUI tests."""
    collector = GuiThreadCollector()
    collector.start()
    yield collector
    collector.stop()


@pytest.fixture
def empty_station(tmp_path: Path) -> Iterator[Station]:
    """A fresh station with no users at all (first run)."""
    st = open_station(tmp_path, use_keyring=False)
    # No background camera checks in widget tests; the health tests start it with fakes.
    st.settings.set_initial("health_monitor", False)
    try:
        yield st
    finally:
        st.close()


@pytest.fixture
def station(empty_station: Station) -> Station:
    """A station with the administrator ``admin`` (管理员) signed in."""
    empty_station.accounts.create_first_admin(ADMIN[0], "管理员", ADMIN[1])
    empty_station.accounts.sign_in(*ADMIN)
    return empty_station


@pytest.fixture
def tasks(qtbot, empty_station: Station) -> Iterator[TaskRunner]:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    yield runner
    assert runner.wait(10_000)
    QApplication.processEvents()


@pytest.fixture
def zh_cn(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "zh_CN")
    assert translators, "our zh_CN translation did not load"
    yield
    remove_translators(qapp, translators)


def add_officer(st: Station, role: Role, name: str, display: str = "") -> None:
    """Create ``name`` with ``role`` (as admin) and sign them in."""
    st.accounts.sign_in(*ADMIN)
    if not st.db.scalar("SELECT 1 FROM users WHERE username = ?", (name,)):
        st.accounts.create_user(name, display or name, role, OFFICER_PASSWORD)
    st.accounts.sign_in(name, OFFICER_PASSWORD)


@pytest.fixture
def make_window(qtbot, station: Station, tasks: TaskRunner) -> Iterator[Callable[[], MainWindow]]:  # type: ignore[no-untyped-def]
    """Builds main windows for whoever is signed in; finishes them before the runner drains."""
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(station, tasks)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for window in windows:
        try:
            window._finished = True
            window.idle.stop()
            window.close()
            window.deleteLater()
        except RuntimeError:
            pass  # already deleted by the test
    assert tasks.wait(10_000)
    QApplication.processEvents()
    # processEvents() leaves deleteLater() pending; finish deleting before the next test.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def seed_estate(st: Station) -> None:
    """Two communities, three sites, four cameras (admin must be signed in)."""
    inv = st.inventory
    inv.add_site({"name": "人民广场", "kind": "key_place", "community": "东城社区"})
    inv.add_site({"name": "阳光小区", "kind": "residential", "community": "东城社区"})
    inv.add_site({"name": "实验小学", "kind": "school", "community": "西城社区"})
    inv.add_camera({"name": "广场东口", "kind": "dome", "site": "人民广场"})
    inv.add_camera({"name": "广场西口", "kind": "bullet", "site": "人民广场"})
    inv.add_camera({"name": "小区大门", "kind": "bullet", "site": "阳光小区"})
    inv.add_camera({"name": "校门", "kind": "class_a", "site": "实验小学"})
