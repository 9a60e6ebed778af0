"""The technician's provisioning tool: find cameras, read them, name and place them, save.

One window with one table, so a technician doing fifty cameras sees every camera's state at
once: found → details read (or the named failure) → assigned → saved (or why not). Every
network step runs on the task runner; the table is only ever updated on the GUI thread.
The core decides what "new / registered / moved / replaced" means and saves each camera
all-or-nothing (``station_console.services.provisioning``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drivers.discovery import DiscoveredDevice, discover, unicast_probe
from drivers.onvif_device import (
    OnvifDeviceClient,
    fetch_snapshot,
    normalise_address,
    set_camera_clock,
    set_camera_hostname,
)
from station_console.devices import DeviceDetails, DeviceError
from station_console.domain import CAMERA_KIND_LABELS, CameraKind
from station_console.services.permissions import Permission
from station_console.services.provisioning import (
    MATCH_LABELS,
    Match,
    MatchState,
    Provisioning,
    ProvisionRequest,
    ProvisionResult,
)
from station_console.station import Station
from ui.messages import describe, show_error
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

COLUMNS = ["address", "found", "model", "serial", "state", "name", "gb_id", "kind", "result"]


@dataclass
class Candidate:
    """One camera in the table, as it moves through the steps."""

    address: str
    found_as: str = ""
    details: DeviceDetails | None = None
    error: DeviceError | None = None
    match: Match | None = None
    name: str = ""
    gb_id: str = ""
    kind: CameraKind | None = None
    result: ProvisionResult | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ProvisioningWizard(QDialog):
    """Find → credentials → assign → save, for one camera or fifty."""

    saved = Signal(int)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.client = OnvifDeviceClient()
        self.provisioning = Provisioning(station.inventory)
        self.candidates: list[Candidate] = []
        self.setWindowTitle(self.tr("Camera provisioning"))
        self.resize(1200, 700)
        self._build()
        self._load_choices()
        self._update_buttons()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Address"),
                self.tr("Found as"),
                self.tr("Model"),
                self.tr("Serial"),
                self.tr("State"),
                self.tr("Name"),
                self.tr("GB/T 28181 ID"),
                self.tr("Kind"),
                self.tr("Result"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._edited)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        side = QWidget()
        col = QVBoxLayout(side)

        find = QGroupBox(self.tr("1. Find cameras"))
        f = QFormLayout(find)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 30)
        self.timeout.setValue(3)
        self.timeout.setSuffix(self.tr(" s"))
        self.discover_button = QPushButton(self.tr("&Search this network"))
        self.discover_button.clicked.connect(self.search_network)
        f.addRow(self.tr("Listen for"), self.timeout)
        f.addRow(self.discover_button)
        self.range_edit = QLineEdit()
        self.range_edit.setPlaceholderText(self.tr("e.g. 10.1.2.0/24"))
        self.range_button = QPushButton(self.tr("Probe &range"))
        self.range_button.clicked.connect(self.probe_range)
        f.addRow(self.tr("Other subnet"), self.range_edit)
        f.addRow(self.range_button)
        self.manual_edit = QPlainTextEdit()
        self.manual_edit.setPlaceholderText(self.tr("One address per line: host or host:port"))
        self.manual_edit.setMaximumHeight(70)
        self.manual_button = QPushButton(self.tr("&Add addresses"))
        self.manual_button.clicked.connect(self.add_manual)
        f.addRow(self.manual_edit)
        f.addRow(self.manual_button)
        col.addWidget(find)

        creds = QGroupBox(self.tr("2. Credentials for the selected cameras"))
        c = QFormLayout(creds)
        self.user_edit = QLineEdit("admin")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.read_button = QPushButton(self.tr("&Read details"))
        self.read_button.clicked.connect(self.read_selected)
        c.addRow(self.tr("User name"), self.user_edit)
        c.addRow(self.tr("Password"), self.password_edit)
        c.addRow(self.read_button)
        col.addWidget(creds)

        assign = QGroupBox(self.tr("3. Place the selected cameras"))
        a = QFormLayout(assign)
        self.site_combo = QComboBox()
        self.owner_combo = QComboBox()
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("As detected (dome when PTZ)"), None)
        for kind, label in CAMERA_KIND_LABELS.items():
            self.kind_combo.addItem(QCoreApplication.translate("kinds", label), kind)
        self.apply_button = QPushButton(self.tr("A&pply to selected"))
        self.apply_button.clicked.connect(self.apply_assignment)
        a.addRow(self.tr("Site"), self.site_combo)
        a.addRow(self.tr("Owner unit"), self.owner_combo)
        a.addRow(self.tr("Kind"), self.kind_combo)
        a.addRow(self.apply_button)
        col.addWidget(assign)

        save = QGroupBox(self.tr("4. Save"))
        s = QVBoxLayout(save)
        self.set_clock = QCheckBox(self.tr("Set each camera's clock from this station"))
        self.set_hostname = QCheckBox(self.tr("Set each camera's host name to its name"))
        self.save_button = QPushButton(self.tr("&Save selected cameras"))
        self.save_button.clicked.connect(self.save_selected)
        s.addWidget(self.set_clock)
        s.addWidget(self.set_hostname)
        s.addWidget(self.save_button)
        col.addWidget(save)

        self.preview = QLabel(self.tr("Snapshot preview"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(320, 180)
        self.preview.setFrameShape(QLabel.Shape.Box)
        col.addWidget(self.preview)
        col.addStretch(1)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        root = QVBoxLayout(self)
        root.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        bottom.addWidget(close)
        root.addLayout(bottom)

    def _load_choices(self) -> None:
        def load() -> tuple[list[Any], list[Any]]:
            return self.station.inventory.sites(), self.station.inventory.owners()

        def fill(result: tuple[list[Any], list[Any]]) -> None:
            sites, owners = result
            self.site_combo.clear()
            self.owner_combo.clear()
            self.site_combo.addItem(self.tr("(keep / none)"), None)
            self.owner_combo.addItem(self.tr("(keep / none)"), None)
            for site in sites:
                self.site_combo.addItem(
                    f"{site.community} / {site.name}" if site.community else site.name, site.id
                )
            for owner in owners:
                self.owner_combo.addItem(owner.name, owner.id)

        self.tasks.run(load, on_done=fill, on_error=lambda e: show_error(self, e))

    # -- table -------------------------------------------------------------------------------

    def _row_items(self, cand: Candidate) -> list[str]:
        d = cand.details
        if cand.error is not None:
            state = describe(cand.error)
        elif cand.match is not None:
            state = QCoreApplication.translate("provisioning", MATCH_LABELS[cand.match.state])
        else:
            state = self.tr("Not read yet")
        kind = cand.kind or (
            CameraKind.DOME if d and d.has_ptz else CameraKind.BULLET if d else None
        )
        result = ""
        if cand.result is not None:
            result = describe(cand.result.error) if cand.result.error else self.tr("Saved")
        return [
            cand.address,
            cand.found_as,
            f"{d.manufacturer} {d.model}" if d else "",
            d.serial if d else "",
            state,
            cand.name,
            cand.gb_id,
            QCoreApplication.translate("kinds", CAMERA_KIND_LABELS[kind]) if kind else "",
            result,
        ]

    def _refresh_row(self, row: int) -> None:
        cand = self.candidates[row]
        self.table.blockSignals(True)
        for col, text in enumerate(self._row_items(cand)):
            item = self.table.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, col, item)
            item.setText(text)
            item.setToolTip(text)  # cells are narrow; failures and addresses are long
            editable = COLUMNS[col] in ("name", "gb_id")
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags)
            bad = (cand.error is not None and COLUMNS[col] == "state") or (
                cand.result is not None
                and cand.result.error is not None
                and COLUMNS[col] == "result"
            )
            item.setForeground(Qt.GlobalColor.red if bad else Qt.GlobalColor.black)
        self.table.blockSignals(False)

    def add_candidates(self, addresses: list[tuple[str, str]]) -> int:
        """Add (address, found-as) rows, skipping addresses already listed."""
        known = {c.address for c in self.candidates}
        added = 0
        for address, how in addresses:
            norm = normalise_address(address)
            if norm in known:
                continue
            known.add(norm)
            self.candidates.append(Candidate(norm, how))
            self.table.insertRow(len(self.candidates) - 1)
            self._refresh_row(len(self.candidates) - 1)
            added += 1
        self.status.setText(self.tr("{n} cameras listed.").format(n=len(self.candidates)))
        self._update_buttons()
        return added

    def _edited(self, item: QTableWidgetItem) -> None:
        cand = self.candidates[item.row()]
        key = COLUMNS[item.column()]
        if key == "name":
            cand.name = item.text().strip()
        elif key == "gb_id":
            cand.gb_id = item.text().strip()

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectedIndexes()})

    def _selection_changed(self) -> None:
        self._update_buttons()
        rows = self.selected_rows()
        if len(rows) == 1:
            self._show_snapshot(self.candidates[rows[0]])

    def _update_buttons(self) -> None:
        has_sel = bool(self.selected_rows())
        may_edit = self.station.session.can(Permission.EDIT_INVENTORY)
        for button in (self.read_button, self.apply_button):
            button.setEnabled(has_sel)
        self.save_button.setEnabled(has_sel and may_edit)

    def _busy(self, text: str, total: int = 0) -> None:
        self.status.setText(text)
        self.progress.setVisible(True)
        self.progress.setRange(0, total)
        self.progress.setValue(0)

    def _idle(self, text: str) -> None:
        self.status.setText(text)
        self.progress.setVisible(False)

    # -- 1. find -----------------------------------------------------------------------------

    def _found(self, devices: list[DiscoveredDevice]) -> None:
        added = self.add_candidates(
            [(d.xaddrs[0] if d.xaddrs else d.address, d.name or d.hardware) for d in devices]
        )
        self._idle(
            self.tr("{found} cameras answered, {added} new in the list.").format(
                found=len(devices), added=added
            )
        )

    def search_network(self) -> None:
        self._busy(self.tr("Searching the network…"))
        self.tasks.run(discover, self.timeout.value(), on_done=self._found, on_error=self._failed)

    def probe_range(self) -> None:
        cidr = self.range_edit.text().strip()
        if not cidr:
            return
        self._busy(self.tr("Probing {range}…").format(range=cidr))
        self.tasks.run(
            unicast_probe, cidr, self.timeout.value(), on_done=self._found, on_error=self._failed
        )

    def add_manual(self) -> None:
        lines = [
            line.strip() for line in self.manual_edit.toPlainText().splitlines() if line.strip()
        ]
        self.add_candidates([(line, self.tr("typed in")) for line in lines])
        self.manual_edit.clear()

    def _failed(self, exc: BaseException) -> None:
        self._idle(describe(exc))

    # -- 2. read -----------------------------------------------------------------------------

    def read_selected(self) -> None:
        rows = self.selected_rows()
        user, password = self.user_edit.text().strip(), self.password_edit.text()
        targets = [(self.candidates[r].address, user, password) for r in rows]
        self._busy(self.tr("Reading {n} cameras…").format(n=len(rows)), len(rows))

        def work() -> tuple[list[DeviceDetails | DeviceError], list[Match]]:
            results = self.client.probe_many(targets)
            seen = [(r.serial, r.address) for r in results if isinstance(r, DeviceDetails)]
            return results, self.provisioning.classify_all(seen)

        def done(out: tuple[list[DeviceDetails | DeviceError], list[Match]]) -> None:
            results, matches = out
            it = iter(matches)
            ok = 0
            for row, res in zip(rows, results, strict=True):
                cand = self.candidates[row]
                cand.extra["credentials"] = (user, password)
                if isinstance(res, DeviceError):
                    cand.error, cand.details, cand.match = res, None, None
                else:
                    ok += 1
                    cand.error, cand.details, cand.match = None, res, next(it)
                    if not cand.name:
                        old = cand.match.camera
                        keep = cand.match.state is not MatchState.NEW and old is not None
                        cand.name = (
                            old.name
                            if keep and old
                            else (res.hostname or f"{res.model} {res.serial}")
                        )
                self._refresh_row(row)
            self.table.resizeColumnsToContents()
            self._idle(self.tr("{ok} of {n} cameras read.").format(ok=ok, n=len(rows)))

        self.tasks.run(work, on_done=done, on_error=self._failed)

    def _show_snapshot(self, cand: Candidate) -> None:
        d, creds = cand.details, cand.extra.get("credentials")
        if d is None or not d.snapshot_uri or creds is None:
            self.preview.setText(self.tr("Snapshot preview"))
            return

        def shown(data: bytes) -> None:
            pix = QPixmap()
            if pix.loadFromData(data):
                self.preview.setPixmap(
                    pix.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio)
                )

        self.tasks.run(
            fetch_snapshot,
            d.snapshot_uri,
            *creds,
            on_done=shown,
            on_error=lambda e: self.preview.setText(describe(e)),
        )

    # -- 3. assign ---------------------------------------------------------------------------

    def apply_assignment(self) -> None:
        site, owner, kind = (
            self.site_combo.currentData(),
            self.owner_combo.currentData(),
            self.kind_combo.currentData(),
        )
        for row in self.selected_rows():
            cand = self.candidates[row]
            if site:
                cand.extra["site"] = site
            if owner:
                cand.extra["owner"] = owner
            if kind:
                cand.kind = CameraKind(kind)
            self._refresh_row(row)

    # -- 4. save -----------------------------------------------------------------------------

    def save_selected(self) -> None:
        rows = [r for r in self.selected_rows() if self.candidates[r].details is not None]
        if not rows:
            self.status.setText(self.tr("Read the cameras' details first."))
            return
        requests = []
        for r in rows:
            cand = self.candidates[r]
            user, password = cand.extra["credentials"]
            assert cand.details is not None
            requests.append(
                ProvisionRequest(
                    cand.details,
                    user,
                    password,
                    name=cand.name,
                    site=cand.extra.get("site"),
                    owner=cand.extra.get("owner"),
                    kind=cand.kind.value if cand.kind else "",
                    gb_id=cand.gb_id,
                )
            )
        set_clock, set_hostname = self.set_clock.isChecked(), self.set_hostname.isChecked()
        self._busy(self.tr("Saving {n} cameras…").format(n=len(rows)), len(rows))

        def work(progress: Any) -> list[ProvisionResult]:
            for req in requests:
                user, password = req.username, req.password
                try:
                    if set_clock:
                        set_camera_clock(req.details.address, user, password)
                    if set_hostname and req.name:
                        set_camera_hostname(
                            req.details.address, user, password, _hostname(req.name)
                        )
                except DeviceError as err:
                    log.warning("optional camera action failed: %s", err)
            return self.provisioning.save_many(requests, progress=progress)

        def done(results: list[ProvisionResult]) -> None:
            for row, res in zip(rows, results, strict=True):
                self.candidates[row].result = res
                self._refresh_row(row)
            ok = sum(r.ok for r in results)
            self._idle(self.tr("{ok} of {n} cameras saved.").format(ok=ok, n=len(results)))
            self.saved.emit(ok)

        self.tasks.run(
            work,
            on_done=done,
            on_error=self._failed,
            on_progress=lambda saved, _total: self.progress.setValue(saved),
        )


def _hostname(name: str) -> str:
    """A camera host name from its display name: ASCII letters, digits and dashes only."""
    cleaned = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in name).strip("-")
    return (cleaned or "camera")[:63]
