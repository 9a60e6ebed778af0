"""The camera tree: community → site → cameras, with a search box that filters as you type.

The query runs on the task runner (it reads SQLite) after a short pause in typing, and a
result that arrives after a newer query was started is dropped. Inventory change listeners
may fire on worker threads, so they only emit a signal; Qt queues it to the GUI thread.
Cameras can be dragged out (MIME type :data:`CAMERA_MIME`) onto the video wall.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeView, QVBoxLayout, QWidget

from station_console.domain import CAMERA_KIND_LABELS
from station_console.services.inventory import TreeCommunity
from station_console.station import Station
from ui.lifetime import while_alive
from ui.messages import describe
from ui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)

CAMERA_MIME = "application/x-station-camera"
SEARCH_DELAY_MS = 250

# Item data roles: what a row is and the id of the thing it stands for.
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class InventoryBridge(QObject):
    """Turns the core's plain inventory callbacks (any thread) into a GUI-thread signal."""

    changed = Signal(str, str)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listeners = station.inventory.listeners
        self._listeners.append(self._on_change)
        # Detach even if nobody calls detach(): the core must never call into a dead object.
        listeners, callback = self._listeners, self._on_change
        self.destroyed.connect(lambda *_: callback in listeners and listeners.remove(callback))

    def _on_change(self, entity: str, entity_id: str) -> None:
        self.changed.emit(entity, entity_id)

    def detach(self) -> None:
        if self._on_change in self._listeners:
            self._listeners.remove(self._on_change)


class CameraTreeModel(QStandardItemModel):
    """Read-only tree model; camera rows carry their id for drag and drop."""

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids: list[str] = []
        for i in indexes:
            if not i.isValid() or i.column() != 0:
                continue
            if i.data(KIND_ROLE) == "camera":
                ids.append(str(i.data(ID_ROLE)))
            elif i.data(KIND_ROLE) == "site":  # a whole site: its cameras, in tree order
                site = self.itemFromIndex(i)
                ids += [str(site.child(r).data(ID_ROLE)) for r in range(site.rowCount())]
        ids = list(dict.fromkeys(ids))
        mime = QMimeData()
        mime.setData(CAMERA_MIME, QByteArray("\n".join(ids).encode("utf-8")))
        return mime

    def populate(self, communities: list[TreeCommunity]) -> None:
        self.clear()
        root = self.invisibleRootItem()
        for community in communities:
            c_item = _item(
                community.name or QCoreApplication.translate("camera_tree", "(no community)"),
                "community",
                community.name,
            )
            for tree_site in community.sites:
                site = tree_site.site
                s_item = _item(
                    site.name or QCoreApplication.translate("camera_tree", "(no site)"),
                    "site",
                    site.id,
                )
                for cam in tree_site.cameras:
                    cam_item = _item(cam.name, "camera", cam.id)
                    cam_item.setToolTip(
                        "{kind} · {id}".format(
                            kind=QCoreApplication.translate(
                                "kinds", CAMERA_KIND_LABELS.get(cam.kind, str(cam.kind))
                            ),
                            id=cam.gb_id or cam.serial or "—",
                        )
                    )
                    cam_item.setDragEnabled(True)
                    s_item.appendRow(cam_item)
                s_item.setText(f"{s_item.text()} ({len(tree_site.cameras)})")
                s_item.setDragEnabled(bool(tree_site.cameras))
                c_item.appendRow(s_item)
            root.appendRow(c_item)


def _item(text: str, kind: str, ident: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setDragEnabled(False)
    item.setData(kind, KIND_ROLE)
    item.setData(ident, ID_ROLE)
    return item


class CameraTree(QWidget):
    """Search box plus tree; emits :attr:`camera_activated` on double-click / Enter."""

    camera_activated = Signal(str)
    loaded = Signal(int)  # number of cameras shown, after each refresh

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self._generation = 0
        self._pending: Task | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("cameraSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search cameras, sites, communities…"))
        self.search.setToolTip(self.tr("Filter the tree as you type (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Camera search"))

        self.model = CameraTreeModel(self)
        self.view = QTreeView(self)
        self.view.setObjectName("cameraTree")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QTreeView.DragDropMode.DragOnly)
        self.view.setSelectionMode(QTreeView.SelectionMode.ExtendedSelection)
        self.view.setAccessibleName(self.tr("Cameras"))
        self.view.activated.connect(self._on_activated)

        self.status = QLabel(self)
        self.status.setObjectName("cameraTreeStatus")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.setTabOrder(self.search, self.view)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)

        self.bridge = InventoryBridge(station, self)
        self.bridge.changed.connect(self._debounce.start)
        self.refresh()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def refresh(self) -> None:
        """Query the inventory in the background; only the newest answer is shown."""
        self._generation += 1
        generation = self._generation
        text = self.search.text()
        self.status.setText(self.tr("Loading…"))

        def done(result: list[TreeCommunity]) -> None:
            if generation == self._generation:
                self._show(result, bool(text.strip()))

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                log.warning("camera tree query failed: %s", exc)
                self.status.setText(describe(exc))

        if self._pending is not None:
            self._pending.cancel()
        self._pending = self.tasks.run(
            self.station.inventory.tree,
            text,
            on_done=while_alive(self, done),
            on_error=while_alive(self, failed),
        )

    def _show(self, communities: list[TreeCommunity], searching: bool) -> None:
        self.model.populate(communities)
        cameras = sum(len(s.cameras) for c in communities for s in c.sites)
        if searching or cameras <= 200:
            self.view.expandAll()
        else:
            self.view.expandToDepth(0)
        if cameras:
            self.status.setText(self.tr("Cameras: {n}").format(n=cameras))
        elif searching:
            self.status.setText(self.tr("No camera matches the search."))
        else:
            self.status.setText(
                self.tr("No cameras yet. Add them in the Inventory tab or import a CSV file.")
            )
        self.loaded.emit(cameras)

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(KIND_ROLE) == "camera":
            self.camera_activated.emit(str(index.data(ID_ROLE)))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.bridge.detach()
        super().closeEvent(event)
