"""The fault desk: every open camera fault, its owner unit and contact, and its repair.

Community police work here: filter the list (open, overdue, recovered and awaiting
verification, by kind, community or free text), read a fault's evidence and history, move it
through notify owner → in repair → repaired → verified, log faults found on the street and
run inspection rounds. Overdue faults are red; recovered ones wait in green for someone to
look at the picture and verify. All reading and writing runs on the task runner.
"""

from __future__ import annotations

import contextlib
import html
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.health.faults import FaultEvent, FaultFilter, FaultRecord
from station_console.health.model import (
    FAULT_KIND_LABELS,
    PHYSICAL_KINDS,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    FaultKind,
    FaultStatus,
    Severity,
)
from station_console.services.permissions import Permission
from station_console.station import Station
from ui.health.inspection import InspectionDialog
from ui.lifetime import while_alive
from ui.messages import qt_translate, show_error
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

OVERDUE = QColor("#ffcdd2")
RECOVERED = QColor("#c8e6c9")


def kind_text(kind: FaultKind) -> str:
    return QCoreApplication.translate("faults", FAULT_KIND_LABELS[kind])


def severity_text(severity: Severity) -> str:
    return QCoreApplication.translate("faults", SEVERITY_LABELS[severity])


def action_text(action: str) -> str:
    labels = {
        "opened": QCoreApplication.translate("fault_desk", "Opened"),
        "occurrence": QCoreApplication.translate("fault_desk", "Seen again"),
        "recovered": QCoreApplication.translate("fault_desk", "Recovered — awaiting verification"),
        "owner_notified": QCoreApplication.translate("fault_desk", "Owner notified"),
        "in_repair": QCoreApplication.translate("fault_desk", "Repair started"),
        "resolved": QCoreApplication.translate("fault_desk", "Repair reported done"),
        "closed": QCoreApplication.translate("fault_desk", "Verified and closed"),
        "dismissed": QCoreApplication.translate("fault_desk", "Closed: not a fault"),
        "note": QCoreApplication.translate("fault_desk", "Note"),
    }
    return labels.get(action, action)


def local_time(iso: str | None) -> str:
    if not iso:
        return ""
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class LogFaultDialog(QDialog):
    """Log a fault found by an officer: camera, kind, description, optional photo."""

    def __init__(self, cameras: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log a camera fault"))
        self.setObjectName("logFaultDialog")
        form = QFormLayout(self)
        self.camera = QComboBox(self)
        for cid, name in cameras:
            self.camera.addItem(name, cid)
        self.camera.setEditable(True)
        self.kind = QComboBox(self)
        for kind in (*PHYSICAL_KINDS, *[k for k in FaultKind if k not in PHYSICAL_KINDS]):
            self.kind.addItem(kind_text(kind), kind.value)
        self.description = QPlainTextEdit(self)
        self.photo_path = QLineEdit(self)
        self.photo_path.setReadOnly(True)
        browse = QPushButton(self.tr("Choose photo…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.photo_path, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Camera"), self.camera)
        form.addRow(self.tr("Fault"), self.kind)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Photo (JPEG)"), row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Photo of the fault"), "", self.tr("JPEG pictures (*.jpg *.jpeg)")
        )
        if path:
            self.photo_path.setText(path)

    def values(self) -> tuple[str, FaultKind, str, bytes | None]:
        photo = None
        if self.photo_path.text():
            photo = Path(self.photo_path.text()).read_bytes()
        return (
            str(self.camera.currentData()),
            FaultKind(str(self.kind.currentData())),
            self.description.toPlainText(),
            photo,
        )


class FaultDeskView(QWidget):
    loaded = Signal(list)
    detail_loaded = Signal(object)

    COLUMNS = 9

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("faultDesk")
        self.station = station
        self.tasks = tasks
        self.faults: list[FaultRecord] = []
        self.current: FaultRecord | None = None
        can = station.session.can
        # Tests replace this to answer without a modal dialog.
        self.ask_note: Callable[[str], str | None] = self._ask_note

        self.scope = QComboBox(self)
        self.scope.setObjectName("faultScope")
        self.scope.addItem(self.tr("Open faults"), "open")
        self.scope.addItem(self.tr("Overdue"), "overdue")
        self.scope.addItem(self.tr("Recovered — awaiting verification"), "recovered")
        self.scope.addItem(self.tr("All, including closed"), "all")
        self.kind = QComboBox(self)
        self.kind.setObjectName("faultKind")
        self.kind.addItem(self.tr("All kinds"), "")
        for k in FaultKind:
            self.kind.addItem(kind_text(k), k.value)
        self.community = QComboBox(self)
        self.community.setObjectName("faultCommunity")
        self.community.addItem(self.tr("All communities"), "")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search camera, site, owner…"))
        self.search.setClearButtonEnabled(True)
        for w in (self.scope, self.kind, self.community):
            w.currentIndexChanged.connect(self.reload)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.log_button = QPushButton(self.tr("Log fault…"), self)
        self.log_button.setVisible(can(Permission.LOG_FAULTS))
        self.log_button.clicked.connect(self.log_fault)
        self.inspect_button = QPushButton(self.tr("Inspection round…"), self)
        self.inspect_button.setVisible(can(Permission.INSPECT))
        self.inspect_button.clicked.connect(self.inspection)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.clicked.connect(self.choose_export)
        bar = QHBoxLayout()
        for w in (self.scope, self.kind, self.community):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        for w in (self.log_button, self.inspect_button, self.export_button):
            bar.addWidget(w)

        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("faultTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Camera"), self.tr("Site"), self.tr("Owner unit"), self.tr("Fault"),
             self.tr("Severity"), self.tr("Status"), self.tr("Opened"), self.tr("Due"),
             self.tr("Seen")]
        )  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selected)

        self.detail = QLabel(self)
        self.detail.setObjectName("faultDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.picture = QLabel(self)
        self.picture.setObjectName("faultPicture")
        self.picture.setMinimumHeight(120)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.actions: dict[str, QPushButton] = {}
        buttons = QVBoxLayout()
        manage = can(Permission.MANAGE_FAULTS)
        for key, text in (
            ("notify", self.tr("Owner notified")),
            ("repair", self.tr("Repair started")),
            ("resolve", self.tr("Repair done")),
            ("verify", self.tr("Verify and close")),
            ("dismiss", self.tr("Not a fault…")),
            ("note", self.tr("Add note…")),
        ):
            b = QPushButton(text, self)
            b.setObjectName(f"fault_{key}")
            b.setEnabled(False)
            b.setVisible(manage or (key == "note" and can(Permission.LOG_FAULTS)))
            b.clicked.connect(lambda _=False, k=key: self.act(k))
            self.actions[key] = b
            buttons.addWidget(b)
        buttons.addStretch(1)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.addWidget(self.picture)
        rl.addWidget(self.detail, 1)
        side = QHBoxLayout()
        side.addWidget(right, 1)
        side.addLayout(buttons)
        side_w = QWidget(self)
        side_w.setLayout(side)
        split = QSplitter(self)
        split.addWidget(self.table)
        split.addWidget(side_w)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

        self._reload_soon = QTimer(self)
        self._reload_soon.setSingleShot(True)
        self._reload_soon.setInterval(500)
        self._reload_soon.timeout.connect(self.reload)
        listeners = station.health.faults.listeners
        self._listener = lambda _fid: self._poke()
        listeners.append(self._listener)
        self.destroyed.connect(
            lambda *_: self._listener in listeners and listeners.remove(self._listener)
        )
        self._poke_signal.connect(self._reload_soon.start)
        self.tasks.run(station.health.inspections.communities,
                       on_done=while_alive(self, self._communities))  # fmt: skip
        self.reload()

    _poke_signal = Signal()

    def _poke(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._poke_signal.emit()

    def _communities(self, names: list[str]) -> None:
        for n in names:
            self.community.addItem(n, n)

    # -- loading ---------------------------------------------------------------------------

    def current_filter(self) -> FaultFilter:
        scope = str(self.scope.currentData())
        kind = str(self.kind.currentData() or "")
        return FaultFilter(
            open_only=scope != "all",
            overdue_only=scope == "overdue",
            recovered_only=scope == "recovered",
            kinds=(FaultKind(kind),) if kind else (),
            community=str(self.community.currentData() or ""),
            search=self.search.text(),
        )

    def reload(self) -> None:
        self.tasks.run(self.station.health.faults.faults, self.current_filter(),
                       on_done=while_alive(self, self._show),
                       on_error=while_alive(self, lambda exc: show_error(self, exc)))  # fmt: skip

    def _show(self, faults: list[FaultRecord]) -> None:
        selected = self.current.id if self.current else None
        self.faults = faults
        self.table.blockSignals(True)  # no selection callbacks while rows are half-replaced
        self.table.clearSelection()
        self.table.setRowCount(len(faults))
        for row, f in enumerate(faults):
            values = [f.camera_name, f.site_name, f.owner_name, kind_text(f.kind),
                      severity_text(f.severity), f.status_text(qt_translate),
                      local_time(f.opened_at), local_time(f.due_at), str(f.occurrences)]  # fmt: skip
            colour = OVERDUE if f.overdue() else RECOVERED if f.recovered else None
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, f.id)
                if colour is not None:
                    item.setBackground(QBrush(colour))
                self.table.setItem(row, col, item)
        overdue = sum(1 for f in faults if f.overdue())
        self.status.setText(
            self.tr("{n} faults shown, {late} overdue.").format(n=len(faults), late=overdue)
        )
        again = next((row for row, f in enumerate(faults) if f.id == selected), None)
        if again is not None:
            self.table.selectRow(again)
        self.table.blockSignals(False)
        if again is None and selected:
            self.current = None
            self._update_actions()
        self.loaded.emit(faults)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.current = None
            self._update_actions()
            return
        fault = self.faults[rows[0].row()]
        self.current = fault
        self._update_actions()
        desk = self.station.health.faults

        def load() -> tuple[FaultRecord, list[FaultEvent], bytes | None]:
            f = desk.fault(fault.id)
            ref = f.evidence[-1].get("file") if f.evidence else None
            ref = ref or (f.photo or None)
            data = desk.picture_path(ref).read_bytes() if ref else None
            return f, desk.history(fault.id), data

        self.tasks.run(load, on_done=while_alive(self, self._show_detail))

    def _update_actions(self) -> None:
        f = self.current
        open_ = f is not None and f.status is not FaultStatus.CLOSED
        s = f.status if f else None
        self.actions["notify"].setEnabled(open_ and s is FaultStatus.OPEN)
        self.actions["repair"].setEnabled(
            open_ and s in (FaultStatus.OPEN, FaultStatus.OWNER_NOTIFIED)
        )
        self.actions["resolve"].setEnabled(open_ and s is not FaultStatus.RESOLVED)
        self.actions["verify"].setEnabled(
            open_ and f is not None and (s is FaultStatus.RESOLVED or f.recovered)
        )
        self.actions["dismiss"].setEnabled(open_)
        self.actions["note"].setEnabled(f is not None)

    def _show_detail(self, got: tuple[FaultRecord, list[FaultEvent], bytes | None]) -> None:
        f, history, picture = got
        if self.current is None or self.current.id != f.id:
            return
        self.current = f
        self._update_actions()
        e = html.escape
        lines = [
            f"<h3>{e(f.camera_name)} — {e(kind_text(f.kind))}</h3>",
            f"<b>{e(self.tr('Status'))}:</b> {e(f.status_text(qt_translate))}"
            + (
                f" <span style='color:#c62828'><b>{e(self.tr('OVERDUE'))}</b></span>"
                if f.overdue()
                else ""
            ),
            f"<b>{e(self.tr('Severity'))}:</b> {e(severity_text(f.severity))} · "
            f"<b>{e(self.tr('Due'))}:</b> {e(local_time(f.due_at))}",
            f"<b>{e(self.tr('Site'))}:</b> {e(f.site_name)} ({e(f.community)})",
            f"<b>{e(self.tr('Owner unit'))}:</b> {e(f.owner_name)} · "
            f"<b>{e(self.tr('Contact'))}:</b> {e(f.owner_contact)} {e(f.owner_phone)}",
            f"<b>{e(self.tr('Reported by'))}:</b> "
            f"{e(QCoreApplication.translate('faults', SOURCE_LABELS.get(f.source, f.source)))}"
            f" · {e(self.tr('seen {n} time(s)').format(n=f.occurrences))}",
        ]
        if f.description:
            lines.append(f"<b>{e(self.tr('Description'))}:</b> {e(f.description)}")
        if f.evidence:
            m = f.evidence[-1].get("measurements") or {}
            if m:
                text = ", ".join(f"{k} {v}" for k, v in sorted(m.items()))
                lines.append(f"<b>{e(self.tr('Measurements'))}:</b> {e(text)}")
        lines.append(f"<b>{e(self.tr('History'))}:</b>")
        for ev in history:
            note = f" — {e(ev.note)}" if ev.note else ""
            lines.append(
                f"{e(local_time(ev.ts))} · {e(ev.actor)} · {e(action_text(ev.action))}{note}"
            )
        self.detail.setText("<br>".join(lines))
        pix = QPixmap()
        if picture and pix.loadFromData(picture):
            self.picture.setPixmap(
                pix.scaledToWidth(360, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.picture.setText(self.tr("No picture"))
        self.detail_loaded.emit(f)

    # -- actions ---------------------------------------------------------------------------

    def _ask_note(self, title: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, self.tr("Note (who, what, when):"))
        return text if ok else None

    def act(self, key: str) -> None:
        f = self.current
        if f is None:
            return
        desk = self.station.health.faults
        note: str | None = ""
        if key in ("dismiss", "note", "notify", "resolve"):
            titles = {
                "dismiss": self.tr("Why is this not a fault?"),
                "note": self.tr("Add a note"),
                "notify": self.tr("How was the owner unit told?"),
                "resolve": self.tr("What was repaired?"),
            }
            note = self.ask_note(titles[key])
            if note is None:
                return
        fn = {
            "notify": desk.notify_owner,
            "repair": desk.start_repair,
            "resolve": desk.resolve,
            "verify": desk.verify,
            "dismiss": desk.dismiss,
            "note": desk.add_note,
        }[key]
        self.tasks.run(fn, f.id, note or "",
                       on_done=while_alive(self, lambda _: self._after_action()),
                       on_error=while_alive(self, lambda exc: show_error(self, exc)))  # fmt: skip

    def _after_action(self) -> None:
        self.reload()
        self._selected()

    def log_fault(self) -> LogFaultDialog:
        cams = [(c.id, f"{c.name} ({c.site_name})") for c in self.station.inventory.cameras()]
        dialog = LogFaultDialog(cams, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            try:
                camera_id, kind, text, photo = dialog.values()
            except OSError as exc:
                show_error(self, exc)
                return
            self.tasks.run(self.station.health.faults.log_fault, camera_id, kind, text,
                           photo=photo, on_done=while_alive(self, lambda _: self.reload()),
                           on_error=while_alive(self, lambda exc: show_error(self, exc)))  # fmt: skip

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def inspection(self) -> InspectionDialog:
        dialog = InspectionDialog(self.station, self.tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _: self.reload())
        dialog.open()
        return dialog

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the fault list"), "faults.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        self.tasks.run(
            self.station.health.faults.export_csv, path, self.current_filter(), qt_translate,
            on_done=while_alive(self, lambda n: self.status.setText(
                self.tr("{n} faults exported to {path}.").format(n=n, path=str(path)))),
            on_error=while_alive(self, lambda exc: show_error(self, exc)),
        )  # fmt: skip
