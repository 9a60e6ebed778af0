"""An inspection round: a community officer's checklist of the cameras in their community.

Choose the community, start the round, then pass or fail each camera (with what is wrong,
remarks and an optional photo). Failing items become faults in the same step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.health.inspections import InspectionRound
from station_console.health.model import PHYSICAL_KINDS, FaultKind
from station_console.station import Station
from ui.lifetime import while_alive
from ui.messages import show_error
from ui.tasks import TaskRunner


class InspectionDialog(QDialog):
    round_loaded = Signal(object)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        from ui.health.fault_desk import kind_text

        self.setWindowTitle(self.tr("Inspection round"))
        self.setObjectName("inspectionDialog")
        self.resize(760, 480)
        self.station = station
        self.tasks = tasks
        self.round: InspectionRound | None = None
        self.community = QComboBox(self)
        self.start_button = QPushButton(self.tr("Start round"), self)
        self.start_button.clicked.connect(self.start)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Community"), self))
        top.addWidget(self.community, 1)
        top.addWidget(self.start_button)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Camera"), self.tr("Site"), self.tr("Result"), self.tr("Remarks")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.kind = QComboBox(self)
        for k in (*PHYSICAL_KINDS, FaultKind.BLURRED, FaultKind.COVERED, FaultKind.OFFLINE):
            self.kind.addItem(kind_text(k), k.value)
        self.remarks = QLineEdit(self)
        self.remarks.setPlaceholderText(self.tr("Remarks"))
        self.photo: bytes | None = None
        photo = QPushButton(self.tr("Photo…"), self)
        photo.clicked.connect(self._photo)
        self.pass_button = QPushButton(self.tr("Pass"), self)
        self.pass_button.clicked.connect(lambda: self.record(True))
        self.fail_button = QPushButton(self.tr("Fail → fault"), self)
        self.fail_button.clicked.connect(lambda: self.record(False))
        row = QHBoxLayout()
        for w in (self.kind, self.remarks, photo, self.pass_button, self.fail_button):
            row.addWidget(w)
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.tasks.run(station.health.inspections.communities,
                       on_done=while_alive(self, self._communities))  # fmt: skip

    def _communities(self, names: list[str]) -> None:
        for n in names:
            self.community.addItem(n, n)

    def _photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Photo"), "", self.tr("JPEG pictures (*.jpg *.jpeg)")
        )
        if path:
            self.photo = Path(path).read_bytes()

    def start(self) -> None:
        community = str(self.community.currentData() or "")
        self.tasks.run(self.station.health.inspections.start, community,
                       on_done=while_alive(self, self._show),
                       on_error=while_alive(self, lambda exc: show_error(self, exc)))  # fmt: skip

    def _show(self, rnd: InspectionRound) -> None:
        self.round = rnd
        self.start_button.setEnabled(False)
        self.community.setEnabled(False)
        results = {"pending": self.tr("to check"), "pass": self.tr("pass"),
                   "fail": self.tr("fail")}  # fmt: skip
        self.table.setRowCount(len(rnd.items))
        for r, item in enumerate(rnd.items):
            for c, text in enumerate(
                (item.camera_name, item.site_name, results.get(item.result, item.result),
                 item.remarks)
            ):  # fmt: skip
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.camera_id)
                self.table.setItem(r, c, cell)
        self.status.setText(
            self.tr("{done} of {n} cameras checked, {failed} failed.").format(
                done=rnd.done, n=len(rnd.items), failed=rnd.failed
            )
        )
        self.round_loaded.emit(rnd)

    def record(self, passed: bool, row: int | None = None) -> None:
        if self.round is None:
            return
        if row is None:
            rows = self.table.selectionModel().selectedRows()
            if not rows:
                return
            row = rows[0].row()
        camera_id = self.round.items[row].camera_id
        kind = None if passed else FaultKind(str(self.kind.currentData()))
        ins = self.station.health.inspections
        round_id, remarks, photo = self.round.id, self.remarks.text(), self.photo

        def work() -> InspectionRound:
            ins.record(round_id, camera_id, passed, kind=kind, remarks=remarks,
                       photo=None if passed else photo)  # fmt: skip
            return ins.round(round_id)

        self.photo = None
        self.remarks.clear()
        self.tasks.run(work, on_done=while_alive(self, self._show),
                       on_error=while_alive(self, lambda exc: show_error(self, exc)))  # fmt: skip
