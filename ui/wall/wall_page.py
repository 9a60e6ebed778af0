"""The wall tab: toolbar (layouts, named views, snapshot, full screen, detach), the wall, PTZ.

Keyboard (when a tile has focus): arrows move a dome camera while held, +/− (or PgUp/PgDn)
zoom, Enter enlarges/restores the tile, F9 takes a snapshot, F8 records an incident (with
the video from before the key press), Delete empties the tile, Esc
leaves the full-screen wall. The last wall (layout and cameras) is kept per officer and comes
back at the next sign-in.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QMenu,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from station_console.services.permissions import Permission
from station_console.services.wall import Snapshot, WallView
from station_console.station import Station
from station_console.wall_layouts import STANDARD, WallLayout, merge
from ui.messages import describe
from ui.tasks import TaskRunner
from ui.wall.ptz_pad import PtzControllers, PtzPad
from ui.wall.streams import WallStreams
from ui.wall.video_wall import VideoWall

log = logging.getLogger(__name__)

LAST_WALL_PREF = "wall.last"
_PTZ_KEYS = {
    Qt.Key.Key_Left: (-1, 0, 0),
    Qt.Key.Key_Right: (1, 0, 0),
    Qt.Key.Key_Up: (0, 1, 0),
    Qt.Key.Key_Down: (0, -1, 0),
    Qt.Key.Key_Plus: (0, 0, 1),
    Qt.Key.Key_Equal: (0, 0, 1),
    Qt.Key.Key_PageUp: (0, 0, 1),
    Qt.Key.Key_Minus: (0, 0, -1),
    Qt.Key.Key_PageDown: (0, 0, -1),
}


class DetachedWall(QWidget):
    """A top-level window holding the wall (second monitor or full screen)."""

    closing = Signal()

    def __init__(self, title: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("detachedWall")
        self.setWindowTitle(title)
        self.setLayout(QVBoxLayout())
        self.layout().setContentsMargins(0, 0, 0, 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)


class WallPage(QWidget):
    """The live wall for the signed-in officer."""

    views_loaded = Signal(list)
    message = Signal(str)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("wallPage")
        self.station = station
        self.tasks = tasks
        self.streams = WallStreams(station, self)
        # Loading libVLC's plugins takes a few hundred milliseconds: do it now, off the GUI
        # thread, so the first camera dragged onto the wall does not freeze the window. Which
        # video output it gets is asked of OpenGL first, here (that needs the GUI thread).
        from ui.wall.video_player import choose_video_output, vlc_instance

        choose_video_output()
        tasks.run(vlc_instance, on_error=lambda exc: self.message.emit(describe(exc)))
        self.wall = VideoWall(station, tasks, self.streams, self)
        self.ptz_controllers = PtzControllers(station)
        self.ptz = PtzPad(station, tasks, self.ptz_controllers, self)
        self.ptz.error.connect(self.message.emit)
        self.detached: DetachedWall | None = None
        self._views: list[WallView] = []
        self._held: set[int] = set()

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("wallToolbar")
        self.toolbar.addWidget(QLabel(self.tr("Layout:"), self))
        self.layout_box = QComboBox(self)
        self.layout_box.setObjectName("layoutBox")
        self.layout_box.setAccessibleName(self.tr("Wall layout"))
        for name in STANDARD:
            self.layout_box.addItem(self.tr("{n} tiles").format(n=name), name)
        self.layout_box.setCurrentIndex(list(STANDARD).index("4"))
        self.layout_box.activated.connect(self._layout_chosen)
        self.toolbar.addWidget(self.layout_box)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(QLabel(self.tr("View:"), self))
        self.view_box = QComboBox(self)
        self.view_box.setObjectName("viewBox")
        self.view_box.setAccessibleName(self.tr("Saved views"))
        self.view_box.setMinimumContentsLength(10)
        self.view_box.activated.connect(self._view_chosen)
        self.toolbar.addWidget(self.view_box)
        self.save_view_action = self._action(
            self.tr("Save view…"), self.ask_save_view, None, "saveView"
        )
        self.delete_view_action = self._action(
            self.tr("Delete view"), self.delete_current_view, None, "deleteView"
        )
        self.toolbar.addSeparator()
        self.snapshot_action = self._action(
            self.tr("Snapshot"), self.take_snapshot, "F9", "snapshot"
        )
        from ui.incidents.capture import IncidentCapture

        self.incident = IncidentCapture(station, tasks, lambda: self.streams.gateway, self)
        self.incident.message.connect(self.message.emit)
        self.incident_action = self._action(
            self.tr("Incident"), lambda: self.report_incident(), "F8", "incident"
        )
        self.incident_action.setToolTip(
            self.tr("Record an incident on the selected tile and report it (F8)")
        )
        self.incident_action.setVisible(station.session.can(Permission.REPORT_INCIDENTS))
        self.enlarge_action = self._action(
            self.tr("Enlarge / restore"),
            lambda: self.wall.toggle_enlarge(self.wall.selected),
            None,
            "enlarge",
        )
        self.clear_action = self._action(
            self.tr("Empty wall"), self.wall.clear_all, None, "emptyWall"
        )
        self.full_screen_action = self._action(
            self.tr("Full-screen wall"), self.full_screen, "Ctrl+Shift+F", "fullScreenWall"
        )
        self.detach_action = self._action(
            self.tr("Detach wall"), self.toggle_detach, None, "detachWall"
        )
        self.detach_action.setCheckable(True)

        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.wall)
        self.splitter.addWidget(self.ptz)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([1000, 220])
        # Online patrol: the tour runner drives this wall; its bar sits under the toolbar.
        from ui.patrol.tour_bar import GuardCheckPrompt, TourBar
        from ui.patrol.tour_runner import TourRunner

        self.tours = TourRunner(station, tasks, self.wall, self)
        self.tours.message.connect(self.message.emit)
        self.tours.plan_due.connect(
            lambda plan: self.message.emit(
                self.tr("Patrol plan {name} is due: start it from the tour bar.").format(
                    name=plan.name
                )
            )
        )
        self.tour_bar = TourBar(station, tasks, self.tours, self)
        self.guard_check = GuardCheckPrompt(station, tasks, self.wall, self)
        self.tours.check_due.connect(self.guard_check.ask)
        self.tours.watch_schedules()  # a plan whose window opens starts (or is offered)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.toolbar)
        column.addWidget(self.tour_bar)
        column.addWidget(self.guard_check)
        column.addWidget(self.splitter, 1)

        self.wall.selection_changed.connect(self._selected)
        self.wall.picture_shown.connect(
            lambda i, _c: self._selected(i) if i == self.wall.selected else None
        )
        self.wall.snapshot_saved.connect(self._snapshot_saved)
        self.wall.snapshot_failed.connect(self.message.emit)
        self.wall.layout_changed.connect(self._layout_shown)
        self.wall.layout_changed.connect(lambda _: self._remember_later())
        self.wall.cameras_changed.connect(self._remember_later)
        self.wall.tile_menu.connect(self._context_menu)
        self.wall.tile_filter = self
        for tile in self.wall.tiles:
            tile.installEventFilter(self)
        self._remember = QTimer(self)
        self._remember.setSingleShot(True)
        self._remember.setInterval(1500)
        self._remember.timeout.connect(self.remember)
        self._restoring = True
        self._restore_superseded = False
        self._applying_restore = False
        self.load_views()
        self.tasks.run(
            station.accounts.get_pref,
            LAST_WALL_PREF,
            on_done=self._restore_last,
            on_error=lambda exc: log.warning("last wall not read: %s", exc),
        )

    def _action(self, text: str, slot: Any, shortcut: str | None, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    # -- layouts and views ----------------------------------------------------------------

    def _layout_chosen(self, row: int) -> None:
        self.wall.set_layout(STANDARD[str(self.layout_box.itemData(row))])

    def _layout_shown(self, layout: WallLayout) -> None:
        index = self.layout_box.findData(layout.name)
        if index < 0:
            self.layout_box.addItem(self.tr("Custom"), layout.name)
            index = self.layout_box.count() - 1
        self.layout_box.setCurrentIndex(index)

    def load_views(self) -> None:
        self.tasks.run(
            self.station.wall.views,
            on_done=self._views_shown,
            on_error=lambda exc: self.message.emit(describe(exc)),
        )

    def _views_shown(self, views: list[WallView]) -> None:
        self._views = views
        self.view_box.clear()
        self.view_box.addItem(self.tr("(choose a saved view)"), "")
        for view in views:
            self.view_box.addItem(view.name, view.name)
        self.views_loaded.emit(views)

    def _view_chosen(self, row: int) -> None:
        name = self.view_box.itemData(row)
        view = next((v for v in self._views if v.name == name), None)
        if view is not None:
            self.show_view(view)

    def show_view(self, view: WallView) -> None:
        self.wall.set_layout(view.layout)
        self.wall.show_cameras(list(view.cameras))

    def save_view(self, name: str) -> None:
        self.tasks.run(
            self.station.wall.save_view,
            name,
            self.wall.layout_def,
            self.wall.cameras(),
            on_done=lambda _: self.load_views(),
            on_error=lambda exc: self.message.emit(describe(exc)),
        )

    def ask_save_view(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save view"), self.tr("Name of the view:"))
        if ok and name.strip():
            self.save_view(name.strip())

    def delete_current_view(self) -> None:
        name = self.view_box.currentData()
        if name:
            self.tasks.run(
                self.station.wall.delete_view,
                str(name),
                on_done=lambda _: self.load_views(),
                on_error=lambda exc: self.message.emit(describe(exc)),
            )

    def join(self, index: int, direction: str) -> bool:
        """User-defined span: join a tile with its neighbour to the right or below."""
        layout = self.wall.layout_def
        span = layout.tiles[index]
        cell = (
            (span.row, span.col + span.cols)
            if direction == "right"
            else (span.row + span.rows, span.col)
        )
        other = next((i for i, t in enumerate(layout.tiles) if cell in t.cells()), None)
        if other is None:
            return False
        try:
            joined = merge(layout, index, other)
        except Exception as exc:
            self.message.emit(describe(exc))
            return False
        cameras = self.wall.cameras()
        keep = [c for i, c in enumerate(cameras) if i != max(index, other)]
        self.wall.clear_all()
        self.wall.set_layout(joined)
        self.wall.show_cameras(keep)
        return True

    # -- remembering the wall ---------------------------------------------------------------

    def _remember_later(self) -> None:
        if self._restoring and not self._applying_restore:
            # The officer changed the wall before the remembered one was read: theirs wins.
            self._restore_superseded = True
        if not self._restoring:
            self._remember.start()

    def remember(self) -> None:
        state = {"layout": self.wall.layout_def.to_json(), "cameras": self.wall.cameras()}
        self.tasks.run(
            self.station.accounts.set_pref,
            LAST_WALL_PREF,
            state,
            on_error=lambda exc: log.warning("wall not remembered: %s", exc),
        )

    def _restore_last(self, state: Any) -> None:
        self._applying_restore = True
        try:
            if self._restore_superseded:
                self._remember.start()
            elif isinstance(state, dict) and state.get("layout"):
                self.wall.set_layout(WallLayout.from_json(state["layout"]))
                self.wall.show_cameras(list(state.get("cameras") or []))
        except Exception:
            log.warning("the last wall could not be restored", exc_info=True)
        finally:
            self._applying_restore = False
            self._restoring = False

    # -- selection, keyboard PTZ, context menu ------------------------------------------------

    def _selected(self, index: int) -> None:
        if index >= len(self.wall.tiles):
            return
        info = self.wall.tiles[index].info
        if info is None:
            self.ptz.set_camera(None, "", False)
        else:
            self.ptz.set_camera(info.camera_id, info.name, info.is_dome)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and isinstance(event, QKeyEvent):
            key = event.key()
            if key in _PTZ_KEYS and self.ptz.camera_id is not None:
                if event.isAutoRepeat():
                    return True
                if kind == QEvent.Type.KeyPress:
                    self._held.add(key)
                    self.ptz.move(*_PTZ_KEYS[Qt.Key(key)])
                else:
                    self._held.discard(key)
                    self.ptz.stop()
                return True
            if kind == QEvent.Type.KeyPress:
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.wall.toggle_enlarge(self.wall.selected)
                    return True
                if key == Qt.Key.Key_Delete:
                    self.wall.clear_tile(self.wall.selected)
                    return True
        return super().eventFilter(watched, event)

    def _context_menu(self, index: int, menu: QMenu) -> None:
        tile = self.wall.tiles[index]
        if tile.info is not None:
            menu.addAction(self.tr("Snapshot"), lambda: self.wall.snapshot(index))
            if self.incident_action.isVisible():
                menu.addAction(self.tr("Incident"), lambda: self.report_incident(index))
            menu.addAction(self.tr("Enlarge / restore"), lambda: self.wall.toggle_enlarge(index))
            menu.addAction(self.tr("Close camera"), lambda: self.wall.clear_tile(index))
            menu.addSeparator()
        if self.tours.running:
            pinned = self.tours.tour is not None and index in self.tours.tour.pinned
            text = (
                self.tr("Unpin tile (rotate again)")
                if pinned
                else self.tr("Pin tile (stop rotating)")
            )
            menu.addAction(text, lambda: self.tours.toggle_pin(index))
        menu.addAction(
            self.tr("Join with the tile to the right"), lambda: self.join(index, "right")
        )
        menu.addAction(self.tr("Join with the tile below"), lambda: self.join(index, "below"))

    # -- snapshot ------------------------------------------------------------------------------

    def report_incident(self, index: int | None = None, bulletin_id: str = "") -> bool:
        """One-key incident on tile ``index`` (default: the selected one), even without picture."""
        index = self.wall.selected if index is None else index
        a = self.wall.assigned.get(index)
        if a is None:
            self.message.emit(self.tr("Select a tile that shows a camera first."))
            return False
        key = a.opened.key if a.opened is not None else None
        self.incident.capture(a.camera_id, key, bulletin_id=bulletin_id, parent=self)
        return True

    def take_snapshot(self) -> None:
        self.wall.snapshot()

    def _snapshot_saved(self, snap: Snapshot) -> None:
        self.message.emit(self.tr("Snapshot saved: {path}").format(path=str(snap.path)))

    # -- full screen and second monitor -------------------------------------------------------

    def toggle_detach(self) -> None:
        if self.detached is None:
            self.detach()
        else:
            self.detached.close()

    def detach(self, full_screen: bool = False) -> DetachedWall:
        if self.detached is None:
            window = DetachedWall(self.tr("Video wall"))
            window.closing.connect(self.reattach)
            window.layout().addWidget(self.wall)
            # The wall's keys (snapshot, incident, PTZ, enlarge) work in its own window too.
            window.addActions(self.actions())
            self.detached = window
            self.detach_action.setChecked(True)
            screens = self.screen().virtualSiblings() if self.screen() else []
            other = next((s for s in screens if s is not self.screen()), None)
            if other is not None:  # a second monitor: put the wall there
                window.setGeometry(other.availableGeometry())
            window.resize(max(window.width(), 960), max(window.height(), 600))
        if full_screen:
            self.detached.showFullScreen()
        else:
            self.detached.show()
        self.detached.raise_()
        return self.detached

    def full_screen(self) -> None:
        self.detach(full_screen=True)

    def reattach(self) -> None:
        window, self.detached = self.detached, None
        if window is None:
            return
        self.splitter.insertWidget(0, self.wall)
        self.wall.show()
        self.detach_action.setChecked(False)
        window.deleteLater()

    # -- shutting down -----------------------------------------------------------------------

    def shutdown(self) -> None:
        """Close viewings, players and the gateway (at sign-out and quit)."""
        self._remember.stop()
        self.tours.stop()
        if self.detached is not None:
            self.detached.closing.disconnect(self.reattach)
            self.reattach()
        self.incident.shutdown()
        self.wall.shutdown()
        self.tasks.wait(10_000)
        self.streams.shutdown()
        self.ptz_controllers.close()
