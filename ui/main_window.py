"""The console's main window for one signed-in officer.

One window lives for one sign-in: signing out (or another officer taking over from the lock
screen) ends it, and the next officer gets a fresh window built for their role. Tabs that
the role may not use are never built. Layout (geometry and dock state) is saved per officer
through the accounts service on the task runner, and the officer is signed out in the same
task, so the preference is written under the right user.
"""

from __future__ import annotations

import base64
import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from station_console import __version__, backup
from station_console.services.permissions import Permission
from station_console.station import Station
from station_console.sync.engine import SyncStatus
from ui.camera_tree import CameraTree, InventoryBridge
from ui.health.wiring import install as install_health
from ui.lifetime import while_alive
from ui.lock_screen import IdleWatcher, LockScreen
from ui.log_view import LogView
from ui.messages import show_error
from ui.overview import StationOverview
from ui.provisioning_wizard import ProvisioningWizard
from ui.settings_dialog import SettingsDialog
from ui.status_bar import StationStatusBar
from ui.sync_status import SyncController, SyncLogDialog
from ui.tasks import TaskRunner
from ui.wall.wall_page import WallPage

log = logging.getLogger(__name__)

LAYOUT_PREF = "main_window.layout"

# (module, class, tab title context/text, permissions any of which shows the tab)
_TABS: list[tuple[str, str, str, tuple[Permission, ...]]] = [
    (
        "ui.inventory_view",
        "InventoryView",
        "Inventory",
        (Permission.EDIT_INVENTORY, Permission.EXPORT_INVENTORY),
    ),
    ("ui.patrol.patrol_view", "PatrolView", "Patrol", (Permission.VIEW_CAMERAS,)),
    ("ui.patrol.duty_view", "DutyView", "Duty", (Permission.VIEW_CAMERAS,)),
    ("ui.health.fault_desk", "FaultDeskView", "Faults", (Permission.VIEW_HEALTH,)),
    ("ui.health.dashboard", "HealthDashboard", "Health", (Permission.VIEW_HEALTH,)),
    ("ui.incidents.desk", "IncidentDesk", "Incidents", (Permission.VIEW_INCIDENTS,)),
    ("ui.users_view", "UsersView", "Users", (Permission.MANAGE_USERS,)),
    ("ui.audit_view", "AuditView", "Audit log", (Permission.READ_AUDIT,)),
]


def _tab_title(key: str) -> str:
    titles = {
        "Inventory": QCoreApplication.translate("main_window", "&Inventory"),
        "Patrol": QCoreApplication.translate("main_window", "&Patrol"),
        "Duty": QCoreApplication.translate("main_window", "&Duty"),
        "Faults": QCoreApplication.translate("main_window", "&Faults"),
        "Health": QCoreApplication.translate("main_window", "&Health"),
        "Incidents": QCoreApplication.translate("main_window", "In&cidents"),
        "Users": QCoreApplication.translate("main_window", "&Users"),
        "Audit log": QCoreApplication.translate("main_window", "&Audit log"),
    }
    return titles[key]


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: Any) -> QByteArray | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
    except ValueError:
        return None


class MainWindow(QMainWindow):
    """Emits :attr:`ended` with ``"quit"``, ``"sign_out"`` or ``"switch"`` when it is done."""

    ended = Signal(str)
    layout_saved = Signal()
    locked = Signal()
    unlocked = Signal()
    backup_written = Signal(object)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self._display_kept_awake = False
        self.officer = station.session.officer
        self.setObjectName("mainWindow")
        name = str(station.settings.get("station_name") or "")
        title = self.tr("Station Console")
        self.setWindowTitle(f"{title} — {name}" if name else title)
        self._finished = False
        self._ending = False
        self.log_view: LogView | None = None

        # Camera tree on the left.
        self.camera_tree = CameraTree(station, tasks, self)
        self.tree_dock = QDockWidget(self.tr("Cameras"), self)
        self.tree_dock.setObjectName("cameraDock")
        self.tree_dock.setWidget(self.camera_tree)
        self.tree_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)

        # Centre: the wall area (station overview for now) and the role's tabs.
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.wall_page: WallPage | None = None
        if station.session.can(Permission.VIEW_CAMERAS):
            self.wall_page = WallPage(station, tasks, self.tabs)
            self.tabs.addTab(self.wall_page, self.tr("&Wall"))
            self.wall_page.message.connect(lambda text: self.status.showMessage(text, 10_000))
            self.camera_tree.camera_activated.connect(
                lambda cid: (
                    self.wall_page and self.wall_page.wall.assign(self.wall_page.wall.selected, cid)
                )
            )
        self.overview = StationOverview(station, tasks, self.tabs)
        self.tabs.addTab(self.overview, self.tr("&Overview"))
        self.extra_tabs: dict[str, QWidget] = {}
        self._build_tabs()
        self.setCentralWidget(self.tabs)
        patrol = self.extra_tabs.get("Patrol")
        if patrol is not None and self.wall_page is not None:
            patrol.plans_changed.connect(self.wall_page.tour_bar.reload)  # type: ignore[attr-defined]

        self.status = StationStatusBar(str(station.settings.get("hub_url") or ""), self)
        self.setStatusBar(self.status)
        self.status.set_officer(self.officer)

        # Sync with the district hub, when one is configured: on a schedule and on change.
        self.sync = SyncController(station, tasks, parent=self)
        self.sync.status_changed.connect(self._sync_status)
        self.sync_bridge = InventoryBridge(station, self)
        self.sync_bridge.changed.connect(lambda *_: self.sync.local_change())
        self.sync.start()
        self.health = install_health(self)
        self._wire_incidents()
        self.provisioning: ProvisioningWizard | None = None

        self.lock_screen = LockScreen(station, tasks, self)
        self.lock_screen.follow_parent()
        self.lock_screen.unlocked.connect(self._on_unlocked)
        self.lock_screen.switch_user.connect(lambda: self.end_session("switch"))
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)

        self._build_menus()
        self.setTabOrder(self.camera_tree.search, self.camera_tree.view)
        self.setTabOrder(self.camera_tree.view, self.tabs)
        self.resize(1280, 800)
        self.start_idle_watch()

    # -- construction ----------------------------------------------------------------------

    def _build_tabs(self) -> None:
        session = self.station.session
        for module_name, class_name, key, permissions in _TABS:
            if not any(session.can(p) for p in permissions):
                continue
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                log.info("%s is not available yet; tab %s left out", module_name, key)
                continue
            try:
                widget = getattr(module, class_name)(self.station, self.tasks, self.tabs)
            except Exception:
                log.exception("could not build the %s tab", key)
                continue
            # A page wider or taller than the window scrolls instead of forcing the
            # window's minimum size up (the monitoring desk may run it in half a screen).
            page = QScrollArea(self.tabs)
            page.setObjectName(f"tabPage{key.replace(' ', '')}")
            page.setFrameShape(QScrollArea.Shape.NoFrame)
            page.setWidgetResizable(True)
            page.setWidget(widget)
            self.tabs.addTab(page, _tab_title(key))
            self.extra_tabs[key] = widget

    def show_tab(self, widget: QWidget) -> None:
        """Bring the tab holding ``widget`` (a page or what a page scrolls) to the front."""
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is widget or (isinstance(page, QScrollArea) and page.widget() is widget):
                self.tabs.setCurrentIndex(index)
                return

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setObjectName(name)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        can = self.station.session.can

        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.setObjectName("fileMenu")
        self.backup_action = self._action(
            self.tr("&Back up now…"), self.choose_backup_file, None, "backupAction"
        )
        self.backup_action.setVisible(can(Permission.BACKUP))
        file_menu.addAction(self.backup_action)
        self.sync_action = self._action(
            self.tr("S&ync with the hub now"), self.sync.sync_now, None, "syncNow"
        )
        self.sync_action.setVisible(self.sync.configured)
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        self.lock_action = self._action(self.tr("&Lock console"), self.lock, "Ctrl+L", "lock")
        file_menu.addAction(self.lock_action)
        self.sign_out_action = self._action(
            self.tr("&Sign out"), lambda: self.end_session("sign_out"), None, "signOut"
        )
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        self.quit_action = self._action(
            self.tr("&Quit"),
            lambda: self.end_session("quit"),
            QKeySequence.StandardKey.Quit,
            "quit",
        )
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.setObjectName("viewMenu")
        self.search_action = self._action(
            self.tr("&Find camera"), self.camera_tree.focus_search, "Ctrl+F", "findCamera"
        )
        view_menu.addAction(self.search_action)
        tree_toggle = self.tree_dock.toggleViewAction()
        tree_toggle.setText(self.tr("Camera &tree"))
        view_menu.addAction(tree_toggle)
        self.log_action = self._action(self.tr("Console &log"), self.show_log, None, "showLog")
        view_menu.addAction(self.log_action)
        self.full_screen_action = self._action(
            self.tr("&Full screen"), self.toggle_full_screen, "F11", "fullScreen"
        )
        self.full_screen_action.setCheckable(True)
        view_menu.addAction(self.full_screen_action)
        self.sync_log_action = self._action(
            self.tr("S&ync log"), self.show_sync_log, None, "syncLog"
        )
        self.sync_log_action.setVisible(self.sync.configured)
        view_menu.addAction(self.sync_log_action)

        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.setObjectName("toolsMenu")
        self.settings_action = self._action(
            self.tr("&Settings…"), self.show_settings, None, "settings"
        )
        tools_menu.addAction(self.settings_action)
        self.provision_action = self._action(
            self.tr("&Provision cameras…"), self.show_provisioning, None, "provision"
        )
        self.provision_action.setVisible(can(Permission.EDIT_INVENTORY))
        tools_menu.addAction(self.provision_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")
        help_menu.addAction(self._action(self.tr("&About"), self.show_about, None, "about"))
        self.menus = [file_menu, view_menu, tools_menu, help_menu]

    # -- layout per officer ----------------------------------------------------------------

    def layout_pref(self) -> dict[str, str]:
        return {"geometry": _encode(self.saveGeometry()), "state": _encode(self.saveState())}

    def restore_layout(self, pref: Any) -> bool:
        if not isinstance(pref, dict):
            return False
        geometry, state = _decode(pref.get("geometry")), _decode(pref.get("state"))
        ok = bool(geometry is not None and self.restoreGeometry(geometry))
        if state is not None:
            ok = self.restoreState(state) and ok
        return ok

    def save_layout(self) -> None:
        self.tasks.run(
            self.station.accounts.set_pref,
            LAYOUT_PREF,
            self.layout_pref(),
            on_done=while_alive(self, lambda _: self.layout_saved.emit()),
            on_error=lambda exc: log.warning("layout not saved: %s", exc),
        )

    # -- ending the session ----------------------------------------------------------------

    def end_session(self, reason: str) -> None:
        """Save the layout and sign out in one task, then close and emit :attr:`ended`."""
        if self._ending:
            return
        self._ending = True
        self.idle.stop()
        accounts, pref = self.station.accounts, self.layout_pref()

        def save_and_sign_out() -> None:
            try:
                accounts.set_pref(LAYOUT_PREF, pref)
            finally:
                accounts.sign_out()

        def finish(_: object = None) -> None:
            self._finished = True
            self.close()
            self.ended.emit(reason)

        def failed(exc: BaseException) -> None:
            log.warning("layout not saved at sign-out: %s", exc)
            finish()

        self.tasks.run(save_and_sign_out, on_done=finish, on_error=failed)

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the console is on screen, ask once that the display never blanks."""
        super().showEvent(event)
        if self._display_kept_awake:
            return
        self._display_kept_awake = True
        from ui.wall.video_player import native_video_supported

        if native_video_supported():
            from drivers.screensaver import keep_display_awake

            if sys.platform == "win32":  # per thread and instant: the GUI thread, which lives on
                keep_display_awake(int(self.winId()))
                return
            self.tasks.run(
                keep_display_awake,
                int(self.winId()),
                on_error=lambda exc: log.warning("screen saver not suspended: %s", exc),
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            self.idle.stop()
            self.sync.stop()
            # Stop listening to the core now; deletion may come later than the next change.
            self.camera_tree.bridge.detach()
            self.overview.bridge.detach()
            self.sync_bridge.detach()
            self.health.shutdown()
            self._stop_incidents()
            if self.wall_page is not None:
                self.wall_page.shutdown()
            if self.log_view is not None:
                self.log_view.close()
            event.accept()
            return
        event.ignore()
        self.end_session("quit")

    # -- incidents ---------------------------------------------------------------------------

    def _wire_incidents(self) -> None:
        """Instruction alerts; the desk follows the wall; a report is synced soon."""
        from ui.incidents.alerts import InstructionAlerts
        from ui.incidents.desk import IncidentBridge, IncidentDesk

        self.incident_alerts: InstructionAlerts | None = None
        self.incident_bridge: IncidentBridge | None = None
        if not self.station.session.can(Permission.VIEW_INCIDENTS):
            return
        alerts = self.incident_alerts = InstructionAlerts(self.station, self.tasks, self)
        self.sync.status_changed.connect(lambda _s: alerts.check())
        self.incident_bridge = IncidentBridge(self.station, self)
        self.incident_bridge.changed.connect(lambda _id: self.sync.local_change())
        desk = self.extra_tabs.get("Incidents")
        if isinstance(desk, IncidentDesk):
            desk.message.connect(lambda text: self.status.showMessage(text, 10_000))
            alerts.changed.connect(desk.refresh)
            wall = self.wall_page
            if wall is not None:

                def sighting(bulletin_id: str) -> None:
                    self.tabs.setCurrentWidget(wall)
                    wall.report_incident(bulletin_id=bulletin_id)

                desk.sighting_requested.connect(sighting)
        self.tasks.run(
            self.station.incidents.recover_pending,
            on_error=lambda exc: log.warning("pending clips not checked: %s", exc),
        )
        alerts.check()

    def _stop_incidents(self) -> None:
        if getattr(self, "incident_alerts", None) is not None:
            self.incident_alerts.stop()  # type: ignore[union-attr]
        if getattr(self, "incident_bridge", None) is not None:
            self.incident_bridge.detach()  # type: ignore[union-attr]
        desk = self.extra_tabs.get("Incidents")
        if desk is not None and hasattr(desk, "shutdown"):
            desk.shutdown()

    # -- sync and provisioning -------------------------------------------------------------

    def _sync_status(self, status: SyncStatus) -> None:
        state = {"ok": "connected", "offline": "offline"}.get(status.link, "error")
        when = status.last_sync_at[11:19] if status.last_sync_at else "—"
        detail = self.tr("last sync {when}, {n} changes waiting").format(
            when=when, n=max(status.backlog, 0)
        )
        self.status.set_link_state(state, detail)

    def show_sync_log(self) -> SyncLogDialog:
        dialog = SyncLogDialog(self.sync, self)
        dialog.open()
        return dialog

    def show_provisioning(self) -> ProvisioningWizard:
        if self.provisioning is None:
            self.provisioning = ProvisioningWizard(self.station, self.tasks, self)
        self.provisioning.show()
        self.provisioning.raise_()
        return self.provisioning

    # -- idle lock -------------------------------------------------------------------------

    def start_idle_watch(self, timeout_ms: int | None = None) -> None:
        if timeout_ms is None:
            timeout_ms = int(self.station.settings.get("idle_lock_minutes")) * 60_000
        self.idle.start(timeout_ms)

    def lock(self) -> None:
        if self.lock_screen.engaged or self._ending:
            return
        self.idle.stop()
        # Open dialogs (settings, log, editors) float above the cover: close them.
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self._set_interactive(False)
        self.lock_screen.engage(self.officer)
        self.tasks.run(
            self.station.accounts.record_lock,
            on_error=lambda exc: log.warning("lock not audited: %s", exc),
        )
        self.locked.emit()

    def _on_unlocked(self) -> None:
        self._set_interactive(True)
        self.idle.resume()
        self.unlocked.emit()

    def _set_interactive(self, on: bool) -> None:
        # The overlay hides the widgets; this also stops shortcuts and Tab from reaching them.
        self.menuBar().setEnabled(on)
        self.tabs.setEnabled(on)
        self.tree_dock.setEnabled(on)
        for action in self.actions():
            action.setEnabled(on)

    # -- commands --------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.full_screen_action.setChecked(self.isFullScreen())

    def show_log(self) -> None:
        if self.log_view is None:
            self.log_view = LogView(self)
        self.log_view.show()
        self.log_view.raise_()

    def show_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.station, self.tasks, self)
        dialog.saved.connect(self._settings_saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _settings_saved(self, keys: list[str]) -> None:
        if "idle_lock_minutes" in keys:
            self.start_idle_watch()
        if "hub_url" in keys:
            hub = str(self.station.settings.get("hub_url") or "")
            self.status.set_link_state("waiting" if hub else "none", "")
        if "station_name" in keys:
            name = str(self.station.settings.get("station_name") or "")
            title = self.tr("Station Console")
            self.setWindowTitle(f"{title} — {name}" if name else title)

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle(self.tr("About Station Console"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(
            self.tr(
                "Station Console {version}\nVideo patrol console for police-station "
                "monitoring rooms.\nData directory: {path}"
            ).format(version=__version__, path=str(self.station.paths.root))
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def choose_backup_file(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Back up the station database"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Station database (*.sqlite3)"))
        dialog.setDefaultSuffix("sqlite3")
        dialog.setDirectory(str(self.station.paths.backups))
        dialog.fileSelected.connect(lambda path: self.backup_to(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def backup_to(self, target: Path) -> None:
        self.status.showMessage(self.tr("Backing up…"))

        def done(path: Path) -> None:
            self.status.showMessage(
                self.tr("Backup written to {path}").format(path=str(path)), 10_000
            )
            self.overview.refresh_backup()
            self.backup_written.emit(path)

        def failed(exc: BaseException) -> None:
            self.status.clearMessage()
            show_error(self, exc, self.tr("Backup failed"))

        self.tasks.run(
            backup.backup,
            self.station.db,
            target,
            on_done=while_alive(self, done),
            on_error=while_alive(self, failed),
        )
