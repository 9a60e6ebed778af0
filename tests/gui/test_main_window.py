"""The main window: menus in Chinese, status bar, camera tree, role tabs, layout per officer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSize
from PySide6.QtWidgets import QApplication

from station_console.services.permissions import Role
from station_console.station import Station
from tests.gui.conftest import ADMIN, add_officer, seed_estate
from ui.camera_tree import CAMERA_MIME, ID_ROLE, KIND_ROLE
from ui.main_window import LAYOUT_PREF, MainWindow
from ui.tasks import TaskRunner


def test_main_window_opens_in_chinese(
    qtbot, zh_cn: None, station: Station, make_window: Callable[[], MainWindow]
):
    window = make_window()
    titles = [m.title() for m in window.menus]
    assert titles == ["文件(&F)", "视图(&V)", "工具(&T)", "帮助(&H)"]
    assert window.tabs.tabText(0) == "电视墙(&W)"
    assert window.tabs.tabText(1) == "概况(&O)"


def test_status_bar_shows_officer_and_role(
    qtbot, zh_cn: None, station: Station, make_window: Callable[[], MainWindow]
):
    window = make_window()
    # Display name 管理员, then the translated role label 管理员 (Administrator).
    assert window.status.officer_label.text() == "值班：管理员（管理员）"
    add_officer(station, Role.DUTY_LEADER, "li", "李明")
    window.status.set_officer(station.session.officer)
    assert window.status.officer_label.text() == "值班：李明（值班领导）"
    assert window.status.link_state == "none"
    assert window.status.clock_label.text()[:2] == "20"


def test_status_bar_hub_configured_means_waiting(
    qtbot, station: Station, make_window: Callable[[], MainWindow]
):
    station.settings.set("hub_url", "https://hub.example:8443")
    window = make_window()
    assert window.status.link_state == "waiting"
    window.status.set_link_state("connected", "")
    assert window.status.link_label.text() == "Hub: connected"


def _tree_rows(window: MainWindow) -> dict[str, dict[str, list[str]]]:
    model = window.camera_tree.model
    out: dict[str, dict[str, list[str]]] = {}
    for c in range(model.rowCount()):
        c_index = model.index(c, 0)
        sites: dict[str, list[str]] = {}
        for s in range(model.rowCount(c_index)):
            s_index = model.index(s, 0, c_index)
            assert s_index.data(KIND_ROLE) == "site"
            sites[s_index.data()] = [
                model.index(k, 0, s_index).data() for k in range(model.rowCount(s_index))
            ]
        out[c_index.data()] = sites
    return out


def test_camera_tree_groups_and_filters(
    qtbot, station: Station, make_window: Callable[[], MainWindow]
):
    seed_estate(station)
    window = make_window()
    tree = window.camera_tree
    qtbot.waitUntil(lambda: tree.model.rowCount() == 2, timeout=10_000)
    rows = _tree_rows(window)
    assert rows == {
        "东城社区": {"人民广场 (2)": ["广场东口", "广场西口"], "阳光小区 (1)": ["小区大门"]},
        "西城社区": {"实验小学 (1)": ["校门"]},
    }
    with qtbot.waitSignal(tree.loaded, timeout=10_000) as loaded:
        tree.search.setText("广场")
    assert loaded.args == [2]
    assert _tree_rows(window) == {"东城社区": {"人民广场 (2)": ["广场东口", "广场西口"]}}
    # A new camera from elsewhere (worker thread or not) shows up without a manual refresh.
    with qtbot.waitSignal(tree.loaded, timeout=10_000):
        station.inventory.add_camera({"name": "广场北口", "kind": "bullet", "site": "人民广场"})
    assert "广场北口" in _tree_rows(window)["东城社区"]["人民广场 (3)"]


def test_camera_rows_drag_as_camera_mime(
    qtbot, station: Station, make_window: Callable[[], MainWindow]
):
    seed_estate(station)
    window = make_window()
    model = window.camera_tree.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=10_000)
    site = model.index(0, 0, model.index(0, 0))
    camera = model.index(0, 0, site)
    mime = model.mimeData([camera, QModelIndex()])
    assert mime.hasFormat(CAMERA_MIME)
    assert bytes(mime.data(CAMERA_MIME).data()).decode() == camera.data(ID_ROLE)
    # A site drags as all its cameras, in tree order, each once.
    site_ids = [model.index(r, 0, site).data(ID_ROLE) for r in range(model.rowCount(site))]
    mime = model.mimeData([camera, site])
    assert bytes(mime.data(CAMERA_MIME).data()).decode().split("\n") == site_ids


def test_ctrl_f_focuses_search(qtbot, station: Station, make_window: Callable[[], MainWindow]):
    window = make_window()
    window.activateWindow()
    window.search_action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.camera_tree.search)
    assert window.full_screen_action.shortcut().toString() == "F11"
    assert window.lock_action.shortcut().toString() == "Ctrl+L"


def test_tabs_follow_the_role(qtbot, station: Station, make_window: Callable[[], MainWindow]):
    add_officer(station, Role.DUTY_OFFICER, "duty")
    window = make_window()
    # The wall and the overview always; then only the tabs a duty officer may use.
    assert window.tabs.count() == 2 + len(window.extra_tabs)
    assert {"Patrol", "Duty"} <= set(window.extra_tabs)
    assert not {"Inventory", "Users", "Audit log"} & set(window.extra_tabs)
    assert not window.backup_action.isVisible()
    station.accounts.sign_in(*ADMIN)
    admin_window = make_window()
    assert {"Inventory", "Users", "Audit log", "Patrol", "Duty"} <= set(admin_window.extra_tabs)
    assert admin_window.tabs.count() == 2 + len(admin_window.extra_tabs)


def test_layout_is_saved_per_officer(
    qtbot, station: Station, tasks: TaskRunner, make_window: Callable[[], MainWindow]
):
    window = make_window()
    window.resize(QSize(700, 500))
    with qtbot.waitSignal(window.layout_saved, timeout=10_000):
        window.save_layout()
    admin_pref = station.accounts.get_pref(LAYOUT_PREF)
    assert isinstance(admin_pref, dict) and admin_pref["geometry"]

    add_officer(station, Role.DUTY_OFFICER, "duty")
    assert station.accounts.get_pref(LAYOUT_PREF) is None  # nothing leaks between officers
    other = make_window()
    other.resize(QSize(760, 560))
    with qtbot.waitSignal(other.layout_saved, timeout=10_000):
        other.save_layout()

    station.accounts.sign_in(*ADMIN)
    restored = make_window()
    restored.resize(QSize(790, 700))
    assert restored.restore_layout(station.accounts.get_pref(LAYOUT_PREF))
    qtbot.waitUntil(lambda: restored.size() == QSize(700, 500), timeout=5_000)
    assert not restored.restore_layout({"geometry": "%%%", "state": 5})  # junk is ignored


def test_sign_out_saves_layout_and_signs_out(
    qtbot, station: Station, make_window: Callable[[], MainWindow]
):
    window = make_window()
    with qtbot.waitSignal(window.ended, timeout=10_000) as ended:
        window.sign_out_action.trigger()
    assert ended.args == ["sign_out"]
    assert station.session.officer is None
    station.accounts.sign_in("admin", ADMIN[1])
    assert station.accounts.get_pref(LAYOUT_PREF)["state"]
