"""The audit log tab: filter and read the chained log, verify the chain, export a view.

The log is evidence: officers and leaders read it to see who looked at which camera and who
changed what. Reading, verifying (which hashes every row) and exporting all run on the
TaskRunner. An export is itself recorded as ``audit.export`` in the log, from the same
background task, so copying the log out never goes unrecorded. Times are stored in UTC and
shown in local time; the date filters are local days.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_console.services.audit import AuditEntry, VerifyResult
from station_console.services.permissions import Permission
from station_console.station import Station
from ui.inventory_models import Column, RecordTableModel, local_time
from ui.messages import describe, show_error
from ui.tasks import TaskRunner

ROW_LIMIT = 2000
OK_STYLE = "color: #2e7d32; font-weight: bold;"
BAD_STYLE = "color: #d32f2f; font-weight: bold;"


def compact_json(detail: dict[str, Any]) -> str:
    if not detail:
        return ""
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def audit_columns() -> list[Column[AuditEntry]]:
    return [
        Column(QCoreApplication.translate("audit_view", "Time"), lambda e: local_time(e.ts)),
        Column(QCoreApplication.translate("audit_view", "Actor"), lambda e: e.actor),
        Column(QCoreApplication.translate("audit_view", "Action"), lambda e: e.action),
        Column(QCoreApplication.translate("audit_view", "Target"), lambda e: e.target),
        Column(
            QCoreApplication.translate("audit_view", "Detail"), lambda e: compact_json(e.detail)
        ),
    ]


def local_day_start_utc(day: QDate) -> str:
    """Midnight of a local calendar day, as the UTC ISO text the log stores."""
    local = datetime(day.year(), day.month(), day.day()).astimezone()
    return local.astimezone(UTC).isoformat(timespec="milliseconds")


def write_audit_csv(path: Path, entries: list[AuditEntry]) -> None:
    tmp = path.with_name(path.name + ".partial")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["seq", "time_utc", "time_local", "actor", "action", "target", "detail"])
        for e in entries:
            writer.writerow(
                [e.seq, e.ts, local_time(e.ts), e.actor, e.action, e.target, compact_json(e.detail)]
            )
    tmp.replace(path)


class AuditView(QWidget):
    """Filterable audit log table with chain verification and CSV export."""

    loaded = Signal()
    verified = Signal(object)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self._generation = 0
        self.last_notice = ""
        self.message_box: QMessageBox | None = None
        # Replaced in tests; returns "" when the officer cancels.
        self.choose_export_path: Callable[[str], str] = self._ask_export_path

        self.actor = QLineEdit()
        self.action = QLineEdit()
        self.action.setPlaceholderText(self.tr("e.g. camera. or login"))
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Target or detail contains…"))
        today = QDate.currentDate()
        self.use_from = QCheckBox(self.tr("From"))
        self.from_date = self._date_edit(today.addDays(-7))
        self.use_to = QCheckBox(self.tr("To"))
        self.to_date = self._date_edit(today)
        self.use_from.toggled.connect(self.from_date.setEnabled)
        self.use_to.toggled.connect(self.to_date.setEnabled)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.refresh)
        for edit in (self.actor, self.action, self.text):
            edit.setClearButtonEnabled(True)
            edit.returnPressed.connect(self.refresh)

        filters = QGridLayout()
        filters.addWidget(QLabel(self.tr("Actor:")), 0, 0)
        filters.addWidget(self.actor, 0, 1)
        filters.addWidget(QLabel(self.tr("Action starts with:")), 0, 2)
        filters.addWidget(self.action, 0, 3)
        filters.addWidget(QLabel(self.tr("Text:")), 0, 4)
        filters.addWidget(self.text, 0, 5)
        filters.addWidget(self.use_from, 1, 0)
        filters.addWidget(self.from_date, 1, 1)
        filters.addWidget(self.use_to, 1, 2)
        filters.addWidget(self.to_date, 1, 3)
        filters.addWidget(self.search_button, 1, 5)

        self.model: RecordTableModel[AuditEntry] = RecordTableModel(audit_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        self.verify_button = QPushButton(self.tr("Verify chain"))
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self.export_csv)
        self.verify_label = QLabel()
        self.verify_label.setWordWrap(True)
        self.status = QLabel()

        actions = QHBoxLayout()
        actions.addWidget(self.verify_button)
        actions.addWidget(self.verify_label, 1)
        actions.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)

        self.update_actions()
        self.refresh()

    @staticmethod
    def _date_edit(day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        return edit

    def update_actions(self) -> None:
        can = self.station.session.can(Permission.READ_AUDIT)
        for widget in (self.search_button, self.verify_button, self.export_button):
            widget.setEnabled(can)

    # -- reading ---------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The service arguments for the current filter widgets."""
        out: dict[str, Any] = {
            "actor": self.actor.text().strip() or None,
            "action": self.action.text().strip() or None,
            "text": self.text.text().strip() or None,
            "since": None,
            "until": None,
            "limit": ROW_LIMIT,
        }
        if self.use_from.isChecked():
            out["since"] = local_day_start_utc(self.from_date.date())
        if self.use_to.isChecked():
            # Inclusive of the whole "to" day: stop at the next local midnight.
            out["until"] = local_day_start_utc(self.to_date.date().addDays(1))
        return out

    def refresh(self) -> None:
        if not self.station.session.can(Permission.READ_AUDIT):
            self.model.set_records([])
            self.status.setText(self.tr("Your role may not read the audit log."))
            return
        self._generation += 1
        generation = self._generation
        self.tasks.run(
            self.station.audit.entries,
            **self.filters(),
            on_done=lambda entries: self._apply(generation, entries),
            on_error=lambda exc: self.status.setText(describe(exc)),
        )

    def _apply(self, generation: int, entries: list[AuditEntry]) -> None:
        if generation != self._generation:
            return
        self.model.set_records(entries)
        if len(entries) >= ROW_LIMIT:
            self.status.setText(
                self.tr(
                    "Showing the newest {n} entries; narrow the filters to see older ones."
                ).format(n=len(entries))
            )
        else:
            self.status.setText(self.tr("{n} entries").format(n=len(entries)))
        self.loaded.emit()

    # -- verifying -------------------------------------------------------------------------

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.verify_label.setStyleSheet("")
        self.verify_label.setText(self.tr("Verifying…"))

        def failed(exc: BaseException) -> None:
            self.update_actions()
            self.verify_label.setStyleSheet(BAD_STYLE)
            self.verify_label.setText(describe(exc))

        self.tasks.run(self.station.audit.verify, on_done=self._verified, on_error=failed)

    def _reason(self, reason: str) -> str:
        known = {
            "row missing (deleted)": self.tr("a row is missing (deleted)"),
            "chain broken before this row": self.tr("the chain is broken before this row"),
            "row content changed": self.tr("the row's content was changed"),
            "anchor file damaged or forged": self.tr("the anchor file is damaged or forged"),
            "rows missing at the end (deleted)": self.tr("rows are missing at the end (deleted)"),
            "last row changed": self.tr("the last row was changed"),
        }
        return known.get(reason, reason)

    def _verified(self, result: VerifyResult) -> None:
        self.update_actions()
        if result.ok:
            self.verify_label.setStyleSheet(OK_STYLE)
            self.verify_label.setText(
                self.tr("Audit chain intact: {n} rows checked.").format(n=result.rows)
            )
        else:
            self.verify_label.setStyleSheet(BAD_STYLE)
            if result.first_bad_seq is None:
                text = self.tr("TAMPERED: {reason}.").format(reason=self._reason(result.reason))
            else:
                text = self.tr("TAMPERED at row {seq}: {reason}.").format(
                    seq=result.first_bad_seq, reason=self._reason(result.reason)
                )
            self.verify_label.setText(text)
        self.verified.emit(result)

    # -- export ----------------------------------------------------------------------------

    def _ask_export_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export audit log"), suggested, self.tr("CSV files (*.csv)")
        )
        return path

    def export_csv(self) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        path = self.choose_export_path(f"audit-{stamp}.csv")
        if not path:
            return
        entries = self.model.records()
        actor = self.station.session.actor
        audit = self.station.audit
        filters = {k: v for k, v in self.filters().items() if v is not None and k != "limit"}

        def export() -> int:
            write_audit_csv(Path(path), entries)
            audit.append(actor, "audit.export", path, {"rows": len(entries), **filters})
            return len(entries)

        self.export_button.setEnabled(False)

        def done(count: int) -> None:
            self.update_actions()
            self._notice(
                self.tr("Exported {n} audit entries to {path}.").format(n=count, path=path)
            )
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.update_actions()
            show_error(self, exc)

        self.tasks.run(export, on_done=done, on_error=failed)

    def _notice(self, text: str) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Audit log"))
        box.setText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        self.last_notice = text
        box.open()
