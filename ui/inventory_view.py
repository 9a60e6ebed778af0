"""The inventory tab: cameras, sites, owner units and other devices as searchable tables.

Everything that reads or writes the station goes through the TaskRunner, so a 2,000-camera
load or a big CSV import never freezes the GUI; the tables are plain models (no widget per
row). The inventory's change listeners may fire on a worker thread, so they only emit a Qt
signal, which Qt queues to the GUI thread, where a short timer coalesces bursts into one
reload. Buttons follow the signed-in officer's permissions, but the services check them
again; a refusal is shown like any other error.

File choosers and dialogs are attributes/methods that tests replace or drive with
``open()``, so no test ever blocks in a modal ``exec()``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from station_console.domain import Camera, OtherDevice, OwnerUnit, Site
from station_console.errors import ImportRejected
from station_console.services.csv_io import ImportResult
from station_console.services.permissions import Permission
from station_console.station import Station
from ui.inventory_dialogs import (
    CameraDialog,
    DeviceDialog,
    ImportProblemsDialog,
    OwnerDialog,
    RecordDialog,
    RetireDialog,
    SiteDialog,
)
from ui.inventory_models import (
    RecordFilterProxy,
    RecordTableModel,
    camera_columns,
    device_columns,
    filter_proxy,
    owner_columns,
    site_columns,
)
from ui.messages import describe, render, show_error
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

CAMERAS, SITES, OWNERS, DEVICES = "cameras", "sites", "owners", "devices"
# Entities the CSV service knows (its entity names match our tab keys).
CSV_ENTITIES = (CAMERAS, SITES, OWNERS)


@dataclass(frozen=True)
class Snapshot:
    """Everything one refresh loads, read together on a worker thread."""

    cameras: list[Camera]
    sites: list[Site]
    owners: list[OwnerUnit]
    devices: list[OtherDevice]


@dataclass
class _Tab:
    key: str
    model: RecordTableModel[Any]
    proxy: RecordFilterProxy
    table: QTableView


class InventoryView(QWidget):
    """Sub-tabs for cameras, sites, owner units and other devices, with edit and CSV tools."""

    # Emitted from any thread by the inventory listener; delivered on the GUI thread.
    inventory_changed = Signal(str, str)
    # After a reload has been applied to the tables (tests wait on it).
    loaded = Signal()

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.snapshot = Snapshot([], [], [], [])
        self.dialog: QDialog | None = None
        self.message_box: QMessageBox | None = None
        self.progress: QProgressDialog | None = None
        self._generation = 0
        self.last_notice = ""
        self.last_error = ""
        # Replaced in tests; return "" when the officer cancels.
        self.choose_import_path: Callable[[], str] = self._ask_import_path
        self.choose_export_path: Callable[[str], str] = self._ask_export_path

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name, site, community, serial, GB ID…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)

        # A tool bar, not a row of buttons: it folds into an overflow menu in a narrow window.
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_action = self._tool(self.tr("Add…"), self.add_record)
        self.edit_action = self._tool(self.tr("Edit…"), self.edit_selected)
        self.retire_action = self._tool(self.tr("Retire…"), self.retire_selected)
        self.toolbar.addSeparator()
        self.import_action = self._tool(self.tr("Import CSV…"), self.import_csv)
        self.export_action = self._tool(self.tr("Export CSV…"), self.export_csv)
        self.toolbar.addSeparator()
        self.refresh_action = self._tool(self.tr("Refresh"), self.refresh)

        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(self.toolbar)

        self.tabs = QTabWidget()
        self._tabs: dict[str, _Tab] = {}
        self._add_tab(CAMERAS, self.tr("Cameras"), RecordTableModel(camera_columns()))
        self._add_tab(SITES, self.tr("Sites"), RecordTableModel(site_columns()))
        self._add_tab(OWNERS, self.tr("Owner units"), RecordTableModel(owner_columns()))
        self._add_tab(
            DEVICES,
            self.tr("Other devices"),
            RecordTableModel(device_columns(self._site_name, self._owner_name)),
        )
        self.tabs.currentChanged.connect(self.update_actions)

        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(150)
        self._reload_timer.timeout.connect(self.refresh)
        self.inventory_changed.connect(self._reload_timer.start)

        listeners = station.inventory.listeners
        emit = self.inventory_changed.emit
        listeners.append(emit)

        def stop_listening(*_: object) -> None:
            # The core outlives this widget: stop it calling into a deleted object.
            if emit in listeners:
                listeners.remove(emit)

        self.destroyed.connect(stop_listening)

        self.update_actions()
        self.refresh()

    def _tool(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        return action

    # -- tables ----------------------------------------------------------------------------

    def _add_tab(self, key: str, title: str, model: RecordTableModel[Any]) -> None:
        proxy = filter_proxy(model, self)
        table = QTableView()
        table.setModel(proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(False)
        table.doubleClicked.connect(self._double_clicked)
        selection = table.selectionModel()
        selection.selectionChanged.connect(self.update_actions)
        self._tabs[key] = _Tab(key, model, proxy, table)
        self.tabs.addTab(table, title)

    def tab(self, key: str) -> _Tab:
        return self._tabs[key]

    def current_key(self) -> str:
        return list(self._tabs)[self.tabs.currentIndex()]

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(list(self._tabs).index(key))

    def selected_record(self) -> Any | None:
        tab = self._tabs[self.current_key()]
        rows = tab.table.selectionModel().selectedRows()
        if not rows:
            return None
        return tab.model.record(tab.proxy.mapToSource(rows[0]).row())

    def select_row(self, key: str, row: int) -> None:
        """Select a row (in view order) of a tab; for tests and keyboard-less automation."""
        self.show_tab(key)
        self._tabs[key].table.selectRow(row)

    def _apply_filter(self, text: str) -> None:
        for tab in self._tabs.values():
            tab.proxy.set_search(text)
        self._show_status()

    def _site_name(self, site_id: str | None) -> str:
        return next((s.name for s in self.snapshot.sites if s.id == site_id), "")

    def _owner_name(self, owner_id: str | None) -> str:
        return next((o.name for o in self.snapshot.owners if o.id == owner_id), "")

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every tab in the background; a newer reload wins over an older one."""
        self._generation += 1
        generation = self._generation
        inv = self.station.inventory

        def load() -> Snapshot:
            return Snapshot(inv.cameras(), inv.sites(), inv.owners(), inv.devices())

        self.tasks.run(
            load,
            on_done=lambda snap: self._apply(generation, snap),
            on_error=lambda exc: self._load_failed(generation, exc),
        )

    def _apply(self, generation: int, snapshot: Snapshot) -> None:
        if generation != self._generation:
            return
        self.snapshot = snapshot
        self._tabs[CAMERAS].model.set_records(snapshot.cameras)
        self._tabs[SITES].model.set_records(snapshot.sites)
        self._tabs[OWNERS].model.set_records(snapshot.owners)
        self._tabs[DEVICES].model.set_records(snapshot.devices)
        self._show_status()
        self.update_actions()
        self.loaded.emit()

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.status.setText(describe(exc))

    def _show_status(self) -> None:
        counts = {key: tab.proxy.rowCount() for key, tab in self._tabs.items()}
        self.status.setText(
            self.tr(
                "{cameras} cameras, {sites} sites, {owners} owner units, {devices} devices"
            ).format(**counts)
        )

    # -- permissions -----------------------------------------------------------------------

    def update_actions(self, *_: Any) -> None:
        """Enable what the signed-in officer may do on the current tab."""
        session = self.station.session
        key = self.current_key()
        can_edit = session.can(Permission.EDIT_INVENTORY)
        selected = self.selected_record() is not None
        self.add_action.setEnabled(can_edit)
        self.edit_action.setEnabled(can_edit and selected and key != DEVICES)
        self.retire_action.setEnabled(can_edit and selected)
        csv_tab = key in CSV_ENTITIES
        self.import_action.setEnabled(csv_tab and session.can(Permission.IMPORT_INVENTORY))
        self.export_action.setEnabled(csv_tab and session.can(Permission.EXPORT_INVENTORY))

    # -- editing ---------------------------------------------------------------------------

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.edit_action.isEnabled():
            self.edit_selected()

    def _open_dialog(self, dialog: RecordDialog) -> RecordDialog:
        dialog.saved.connect(lambda _record: self.refresh())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_record(self) -> RecordDialog:
        return self._open_dialog(self._editor(self.current_key(), None))

    def edit_selected(self) -> RecordDialog | None:
        record = self.selected_record()
        if record is None or self.current_key() == DEVICES:
            return None
        return self._open_dialog(self._editor(self.current_key(), record))

    def _editor(self, key: str, record: Any) -> RecordDialog:
        snap = self.snapshot
        if key == CAMERAS:
            return CameraDialog(self.station, self.tasks, snap.sites, snap.owners, record, self)
        if key == SITES:
            communities = [s.community for s in snap.sites]
            return SiteDialog(self.station, self.tasks, record, communities, self)
        if key == OWNERS:
            return OwnerDialog(self.station, self.tasks, record, self)
        return DeviceDialog(self.station, self.tasks, snap.sites, snap.owners, record, self)

    def retire_selected(self) -> RetireDialog | None:
        record = self.selected_record()
        if record is None:
            return None
        key = self.current_key()
        dialog = RetireDialog(f"“{record.name}”", ask_reason=key == CAMERAS, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        inv = self.station.inventory

        def retire(reason: str) -> None:
            if key == CAMERAS:
                inv.retire_camera(record.id, reason)
            elif key == SITES:
                inv.retire_site(record.id)
            elif key == OWNERS:
                inv.retire_owner(record.id)
            else:
                inv.retire_device(record.id)

        def confirmed() -> None:
            self.tasks.run(
                retire,
                dialog.reason.text(),
                on_done=lambda _: self.refresh(),
                on_error=self._error,
            )

        dialog.accepted.connect(confirmed)
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- CSV -------------------------------------------------------------------------------

    def _ask_import_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import CSV"), "", self.tr("CSV files (*.csv);;All files (*)")
        )
        return path

    def _ask_export_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export CSV"), suggested, self.tr("CSV files (*.csv)")
        )
        return path

    def import_csv(self) -> None:
        entity = self.current_key()
        if entity not in CSV_ENTITIES:
            return
        path = self.choose_import_path()
        if not path:
            return
        progress = QProgressDialog(self.tr("Checking and importing rows…"), "", 0, 0, self)
        progress.setWindowTitle(self.tr("Import CSV"))
        progress.setCancelButton(None)  # all-or-nothing import: there is no partial stop
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.show()
        self.progress = progress
        self.import_action.setEnabled(False)

        def on_progress(done: int, total: int) -> None:
            if self.progress is not progress:
                return  # a late report after the import finished and the dialog went away
            progress.setMaximum(total)
            progress.setValue(done)

        def finished() -> None:
            progress.close()
            progress.deleteLater()
            self.progress = None
            self.update_actions()

        def done(result: ImportResult) -> None:
            finished()
            self.refresh()
            self._notice(
                self.tr(
                    "Imported {rows} rows from {file}: {added} added, {updated} updated."
                ).format(
                    rows=result.rows,
                    file=Path(path).name,
                    added=result.added,
                    updated=result.updated,
                )
            )

        def failed(exc: BaseException) -> None:
            finished()
            if isinstance(exc, ImportRejected):
                dialog = ImportProblemsDialog(render(exc.message), exc.problems, self)
                dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                self.dialog = dialog
                dialog.open()
            else:
                self._error(exc)

        self.tasks.run(
            self.station.csv.import_file,
            entity,
            Path(path),
            on_done=done,
            on_error=failed,
            on_progress=on_progress,
        )

    def export_csv(self) -> None:
        entity = self.current_key()
        if entity not in CSV_ENTITIES:
            return
        path = self.choose_export_path(f"{entity}.csv")
        if not path:
            return
        self.export_action.setEnabled(False)

        def done(count: int) -> None:
            self.update_actions()
            self._notice(self.tr("Exported {n} rows to {path}.").format(n=count, path=path))

        def failed(exc: BaseException) -> None:
            self.update_actions()
            self._error(exc)

        self.tasks.run(self.station.csv.export, entity, Path(path), on_done=done, on_error=failed)

    # -- feedback --------------------------------------------------------------------------

    def _notice(self, text: str) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Inventory"))
        box.setText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        self.last_notice = text
        box.open()

    def _error(self, exc: BaseException) -> None:
        self.last_error = describe(exc)
        show_error(self, exc)
