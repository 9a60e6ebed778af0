"""The station overview shown in the wall area until the live wall is built there.

It answers the questions a duty leader asks on arrival: how big is the estate, when was the
last backup, and is the audit log intact. Every figure is fetched on the task runner (the
audit check walks the whole chain) and refreshed when the inventory changes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from station_console.backup import backup_age_hours
from station_console.services.audit import VerifyResult
from station_console.station import Station
from ui.camera_tree import InventoryBridge
from ui.lifetime import while_alive
from ui.messages import describe
from ui.tasks import TaskRunner


def audit_reason(reason: str) -> str:
    """The core reports chain damage in English; these are the reasons it can give."""
    known = {
        "row missing (deleted)": QCoreApplication.translate(
            "overview", "an entry is missing (deleted)"
        ),
        "chain broken before this row": QCoreApplication.translate(
            "overview", "the chain is broken before this entry"
        ),
        "row content changed": QCoreApplication.translate("overview", "the entry was changed"),
        "anchor file damaged or forged": QCoreApplication.translate(
            "overview", "the anchor file is damaged or forged"
        ),
        "rows missing at the end (deleted)": QCoreApplication.translate(
            "overview", "entries at the end are missing (deleted)"
        ),
        "last row changed": QCoreApplication.translate("overview", "the last entry was changed"),
    }
    return known.get(reason, reason)


class StationOverview(QWidget):
    """objectName ``wallArea``: the live wall will replace this panel's place."""

    counts_loaded = Signal(dict)
    audit_checked = Signal(object)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("wallArea")
        self.station = station
        self.tasks = tasks

        self.title = QLabel(self)
        self.title.setObjectName("overviewTitle")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        name = str(station.settings.get("station_name") or "")
        self.title.setText(
            self.tr("Station overview: {name}").format(name=name)
            if name
            else self.tr("Station overview")
        )

        estate = QGroupBox(self.tr("Camera estate"), self)
        form = QFormLayout(estate)
        self.count_labels: dict[str, QLabel] = {}
        for key, text in (
            ("cameras", self.tr("Cameras:")),
            ("sites", self.tr("Sites:")),
            ("owners", self.tr("Owner units:")),
            ("devices", self.tr("Other devices (alarms, poles):")),
        ):
            value = QLabel("…", self)
            value.setObjectName(f"count_{key}")
            form.addRow(text, value)
            self.count_labels[key] = value

        health = QGroupBox(self.tr("Records"), self)
        hform = QFormLayout(health)
        self.backup_label = QLabel("…", self)
        self.backup_label.setObjectName("backupAge")
        self.audit_label = QLabel("…", self)
        self.audit_label.setObjectName("auditStatus")
        self.audit_label.setWordWrap(True)
        hform.addRow(self.tr("Last backup:"), self.backup_label)
        hform.addRow(self.tr("Audit log:"), self.audit_label)

        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(estate)
        layout.addWidget(health)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

        # A CSV import fires one change per row: count once when the burst is over.
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(500)
        self._recount.timeout.connect(self.refresh_counts)
        self.bridge = InventoryBridge(station, self)
        self.bridge.changed.connect(self._recount.start)
        self.refresh()

    def refresh(self) -> None:
        self.refresh_counts()
        self.refresh_backup()
        self.refresh_audit()

    def refresh_counts(self) -> None:
        self.tasks.run(
            self.station.inventory.counts,
            on_done=while_alive(self, self._show_counts),
            on_error=while_alive(self, self._counts_failed),
        )

    def refresh_backup(self) -> None:
        self.tasks.run(
            backup_age_hours,
            self.station.paths.backups,
            on_done=while_alive(self, self._show_backup),
            on_error=while_alive(self, lambda exc: self.backup_label.setText(describe(exc))),
        )

    def refresh_audit(self) -> None:
        self.audit_label.setText(self.tr("Checking…"))
        self.tasks.run(
            self.station.audit.verify,
            on_done=while_alive(self, self._show_audit),
            on_error=while_alive(self, self._audit_failed),
        )

    def _show_counts(self, counts: dict[str, int]) -> None:
        for key, label in self.count_labels.items():
            label.setText(str(counts.get(key, 0)))
        self.counts_loaded.emit(counts)

    def _counts_failed(self, exc: BaseException) -> None:
        for label in self.count_labels.values():
            label.setText("—")
        self.count_labels["cameras"].setText(describe(exc))

    def _show_backup(self, hours: float | None) -> None:
        if hours is None:
            self.backup_label.setText(self.tr("never"))
        elif hours < 1:
            self.backup_label.setText(self.tr("less than an hour ago"))
        elif hours < 48:
            self.backup_label.setText(self.tr("{n} hours ago").format(n=int(hours)))
        else:
            self.backup_label.setText(self.tr("{n} days ago").format(n=int(hours // 24)))

    def _show_audit(self, result: VerifyResult) -> None:
        if result.ok:
            self.audit_label.setText(self.tr("intact ({n} entries checked)").format(n=result.rows))
            self.audit_label.setStyleSheet("")
        else:
            self.audit_label.setText(
                self.tr("DAMAGED at entry {seq}: {reason}. Tell the administrator.").format(
                    seq=result.first_bad_seq if result.first_bad_seq is not None else "—",
                    reason=audit_reason(result.reason),
                )
            )
            self.audit_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.audit_checked.emit(result)

    def _audit_failed(self, exc: BaseException) -> None:
        self.audit_label.setText(describe(exc))
