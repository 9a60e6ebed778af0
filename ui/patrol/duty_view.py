"""The Duty tab: my shift (sign in/out, handover, shift log), coverage, and spot checks.

For the duty officer: start the shift, read what the last shift handed over (its note and
open items), keep a shift log, see how much of each patrol plan this shift has covered, and
end the shift with a handover note (open items are attached by the console). For the duty
leader: who is on duty, what the walls show now, coverage per plan and missed cameras, and a
spot check recorded with remarks.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.services.duty import OpenItem, Shift, SpotView
from station_console.services.patrol import Coverage
from station_console.services.permissions import Permission
from station_console.station import Station
from ui.messages import describe
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)
REFRESH_MS = 60_000


def item_text(item: OpenItem) -> str:
    kinds = {
        "incident": QCoreApplication.translate("duty", "Incident"),
        "fault": QCoreApplication.translate("duty", "Fault"),
        "watch": QCoreApplication.translate("duty", "Watch"),
    }
    return f"{kinds.get(item.kind, item.kind)}: {item.text}"


def local_time(iso: str | None) -> str:
    if not iso:
        return "—"
    return datetime.fromisoformat(iso).astimezone().strftime("%m-%d %H:%M")


class HandoverDialog(QDialog):
    """End of shift: the note, and the open items that will be carried over."""

    def __init__(self, items: list[OpenItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hand over the shift"))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("handoverNote")
        self.note.setPlaceholderText(self.tr("What the next officer must know"))
        carried = QListWidget(self)
        for item in items:
            carried.addItem(item_text(item))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(QLabel(self.tr("Handover note"), self))
        column.addWidget(self.note, 2)
        column.addWidget(QLabel(self.tr("Open items carried over to the next shift"), self))
        column.addWidget(carried, 1)
        column.addWidget(buttons)


def _coverage_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, 4, parent)
    table.setHorizontalHeaderLabels(
        [
            QCoreApplication.translate("duty", "Plan"),
            QCoreApplication.translate("duty", "Covered"),
            QCoreApplication.translate("duty", "Share"),
            QCoreApplication.translate("duty", "Missed cameras"),
        ]
    )
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return table


class DutyView(QWidget):
    changed = Signal()

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dutyView")
        self.station, self.tasks = station, tasks
        self.leader = station.session.can(Permission.SPOT_CHECK)
        self.names: dict[str, str] = {}
        self.shift: Shift | None = None

        mine = QGroupBox(self.tr("My shift"), self)
        self.shift_state = QLabel(mine)
        self.shift_state.setObjectName("shiftState")
        self.start_button = QPushButton(self.tr("&Start shift"), mine)
        self.start_button.setObjectName("startShift")
        self.start_button.clicked.connect(self.start_shift)
        self.end_button = QPushButton(self.tr("&End shift and hand over…"), mine)
        self.end_button.setObjectName("endShift")
        self.end_button.clicked.connect(self.ask_end_shift)
        self.log_list = QListWidget(mine)
        self.log_list.setObjectName("shiftLog")
        self.log_entry = QLineEdit(mine)
        self.log_entry.setObjectName("shiftLogEntry")
        self.log_entry.setPlaceholderText(self.tr("Add to the shift log and press Enter"))
        self.log_entry.returnPressed.connect(self.add_log)
        row = QHBoxLayout()
        row.addWidget(self.shift_state, 1)
        row.addWidget(self.start_button)
        row.addWidget(self.end_button)
        mcol = QVBoxLayout(mine)
        mcol.addLayout(row)
        mcol.addWidget(self.log_list, 1)
        mcol.addWidget(self.log_entry)

        handover = QGroupBox(self.tr("Handed over by the last shift"), self)
        self.handover_text = QLabel(handover)
        self.handover_text.setObjectName("lastHandover")
        self.handover_text.setWordWrap(True)
        self.handover_items = QListWidget(handover)
        self.handover_items.setObjectName("handoverItems")
        hcol = QVBoxLayout(handover)
        hcol.addWidget(self.handover_text)
        hcol.addWidget(self.handover_items)

        cover = QGroupBox(self.tr("Patrol coverage this shift"), self)
        self.coverage = _coverage_table(cover)
        self.coverage.setObjectName("shiftCoverage")
        ccol = QVBoxLayout(cover)
        ccol.addWidget(self.coverage)

        column = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(mine, 3)
        top.addWidget(handover, 2)
        column.addLayout(top, 2)
        column.addWidget(cover, 1)

        self.spot_box: QGroupBox | None = None
        if self.leader:
            spot = QGroupBox(self.tr("Spot check"), self)
            self.spot_box = spot
            self.on_duty = QListWidget(spot)
            self.on_duty.setObjectName("onDuty")
            self.showing = QListWidget(spot)
            self.showing.setObjectName("showingNow")
            self.spot_coverage = _coverage_table(spot)
            self.spot_coverage.setObjectName("spotCoverage")
            self.remarks = QLineEdit(spot)
            self.remarks.setObjectName("spotRemarks")
            self.remarks.setPlaceholderText(self.tr("Remarks"))
            self.record_button = QPushButton(self.tr("&Record spot check"), spot)
            self.record_button.setObjectName("recordSpotCheck")
            self.record_button.clicked.connect(self.record_spot_check)
            lists = QHBoxLayout()
            left = QVBoxLayout()
            left.addWidget(QLabel(self.tr("On duty"), spot))
            left.addWidget(self.on_duty)
            right = QVBoxLayout()
            right.addWidget(QLabel(self.tr("On screen now"), spot))
            right.addWidget(self.showing)
            lists.addLayout(left)
            lists.addLayout(right)
            scol = QVBoxLayout(spot)
            scol.addLayout(lists)
            scol.addWidget(self.spot_coverage)
            rrow = QHBoxLayout()
            rrow.addWidget(self.remarks, 1)
            rrow.addWidget(self.record_button)
            scol.addLayout(rrow)
            column.addWidget(spot, 2)
        self.status = QLabel(self)
        self.status.setObjectName("dutyStatus")
        column.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        self.refresh()

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        st = self.station
        leader = self.leader

        def load() -> dict[str, Any]:
            shift = st.duty.current()
            data: dict[str, Any] = {
                "shift": shift,
                "events": st.duty.events(shift.id) if shift else [],
                "handover": st.duty.last_handover(),
                "names": {c.id: c.name for c in st.inventory.cameras()},
                "spot": st.duty.spot_view() if leader else None,
            }
            since = datetime.fromisoformat(shift.started_at) if shift else datetime.now(UTC)
            who = shift.username if shift else None
            data["coverage"] = [
                (plan.name, st.patrol.coverage(plan, since, username=who))
                for plan in st.patrol.plans()
            ] if shift else []  # fmt: skip
            return data

        self.tasks.run(load, on_done=self._loaded, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(describe(exc))

    def _loaded(self, data: dict[str, Any]) -> None:
        self.names = data["names"]
        shift: Shift | None = data["shift"]
        self.shift = shift
        if shift is None:
            self.shift_state.setText(self.tr("Not on duty."))
        else:
            self.shift_state.setText(
                self.tr("On duty since {time}.").format(time=local_time(shift.started_at))
            )
        self.start_button.setEnabled(shift is None)
        self.end_button.setEnabled(shift is not None)
        self.log_entry.setEnabled(shift is not None)
        self.log_list.clear()
        for event in data["events"]:
            self.log_list.addItem(f"{local_time(event.at)}  {event.kind}  {event.text}")
        handover: Shift | None = data["handover"]
        self.handover_items.clear()
        if handover is None:
            self.handover_text.setText(self.tr("No earlier shift."))
        else:
            self.handover_text.setText(
                self.tr("{name}, ended {time}: {note}").format(
                    name=handover.display_name,
                    time=local_time(handover.ended_at),
                    note=handover.handover_note or self.tr("(no note)"),
                )
            )
            for item in handover.open_items:
                self.handover_items.addItem(item_text(item))
        self._fill_coverage(self.coverage, data["coverage"])
        spot: SpotView | None = data["spot"]
        if spot is not None and self.spot_box is not None:
            self.on_duty.clear()
            for s in spot.on_duty:
                self.on_duty.addItem(f"{s.display_name} · {local_time(s.started_at)}")
            self.showing.clear()
            for officer, camera_id, since in spot.showing:
                name = self.names.get(camera_id, camera_id)
                self.showing.addItem(f"{officer}: {name} ({local_time(since)})")
            self._fill_coverage(self.spot_coverage, list(spot.coverage))

    def _fill_coverage(self, table: QTableWidget, rows: list[tuple[str, Coverage]]) -> None:
        table.setRowCount(len(rows))
        for r, (name, cov) in enumerate(rows):
            missed = ", ".join(self.names.get(c, c) for c in cov.missed()[:12])
            if len(cov.missed()) > 12:
                missed += " …"
            cells = [name, f"{cov.covered}/{cov.planned}", f"{cov.ratio:.0%}", missed]
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))

    # -- actions -------------------------------------------------------------------------------

    def _then_refresh(self, _: object = None) -> None:
        self.changed.emit()
        self.refresh()

    def start_shift(self) -> None:
        self.tasks.run(self.station.duty.start, on_done=self._then_refresh, on_error=self._failed)

    def ask_end_shift(self) -> None:
        self.tasks.run(
            self.station.duty.open_items, on_done=self._show_handover, on_error=self._failed
        )

    def _show_handover(self, items: list[OpenItem]) -> HandoverDialog:
        dialog = HandoverDialog(items, self)
        dialog.accepted.connect(lambda: self.end_shift(dialog.note.toPlainText()))
        dialog.open()
        return dialog

    def end_shift(self, note: str) -> None:
        self.tasks.run(
            self.station.duty.end, note, on_done=self._then_refresh, on_error=self._failed
        )

    def add_log(self) -> None:
        text = self.log_entry.text()
        if not text.strip():
            return
        self.log_entry.clear()
        self.tasks.run(
            self.station.duty.log, "note", text, on_done=self._then_refresh, on_error=self._failed
        )

    def record_spot_check(self) -> None:
        remarks = self.remarks.text() if self.spot_box is not None else ""

        def done(_: int) -> None:
            self.status.setText(self.tr("Spot check recorded."))
            self.remarks.clear()
            self.refresh()

        self.tasks.run(
            self.station.duty.record_spot_check, remarks, on_done=done, on_error=self._failed
        )
