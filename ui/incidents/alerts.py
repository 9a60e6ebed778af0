"""Instructions from the command centre as alerts the officer must acknowledge.

After every sync (and every few seconds) the incident service applies the hub's answers
(an instruction linked to a report acknowledges it and marks the dispatch) and lists the
instructions nobody acknowledged yet; each gets a window that stays on top until an officer
presses "Acknowledge" (audited, and sent up with the incident it belongs to).
"""

from __future__ import annotations

import contextlib
import html
import logging
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from station_console.incidents import Instruction
from station_console.station import Station
from ui.incidents.labels import bring_to_front
from ui.messages import describe
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

CHECK_MS = 10_000


class InstructionAlert(QDialog):
    acknowledged = Signal(str)

    def __init__(
        self, station: Station, tasks: TaskRunner, instruction: Instruction, parent: QWidget | None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("instructionAlert")
        self.station = station
        self.tasks = tasks
        self.instruction = instruction
        self.setWindowTitle(self.tr("Instruction from the command centre"))
        self.setStyleSheet("QDialog { border: 3px solid #c00; }")
        when = instruction.issued_at
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(when).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        title = QLabel(f"<h2>{html.escape(instruction.title)}</h2>", self)
        title.setTextFormat(Qt.TextFormat.RichText)
        body = QLabel(instruction.body or "", self)
        body.setWordWrap(True)
        meta = QLabel(
            self.tr("Issued by {who} at {when}").format(who=instruction.issued_by, when=when), self
        )
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00;")
        self.ack = QPushButton(self.tr("Acknowledge"), self)
        self.ack.setObjectName("acknowledgeInstruction")
        self.ack.setDefault(True)
        self.ack.clicked.connect(self.acknowledge)
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(body)
        column.addWidget(meta)
        column.addWidget(self.error)
        column.addWidget(self.ack)
        self.resize(420, 220)

    def acknowledge(self) -> None:
        self.ack.setEnabled(False)
        self.tasks.run(
            self.station.incidents.acknowledge_instruction,
            self.instruction.id,
            on_done=lambda _i: self._done(),
            on_error=self._failed,
        )

    def _done(self) -> None:
        self.acknowledged.emit(self.instruction.id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ack.setEnabled(True)
        self.error.setText(describe(exc))

    def reject(self) -> None:
        """Escape does not dismiss an instruction: it must be acknowledged."""


class InstructionAlerts(QObject):
    """Shows one alert per unacknowledged instruction; ``check()`` after each sync."""

    changed = Signal()  # the hub's answers changed some incident

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.window = parent
        self.open: dict[str, InstructionAlert] = {}
        self._busy = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(CHECK_MS)

    def check(self) -> None:
        if self._busy:
            return
        self._busy = True
        service = self.station.incidents

        def work() -> tuple[int, list[Instruction]]:
            changed = service.apply_hub_answers()
            return changed, service.instructions(pending_only=True)

        self.tasks.run(work, on_done=self._show, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("instructions not checked: %s", exc)

    def _show(self, result: tuple[int, list[Instruction]]) -> None:
        self._busy = False
        changed, pending = result
        if changed:
            self.changed.emit()
        for instruction in pending:
            if instruction.id in self.open:
                continue
            alert = InstructionAlert(self.station, self.tasks, instruction, self.window)
            alert.acknowledged.connect(self._acknowledged)
            self.open[instruction.id] = alert
            alert.show()
            bring_to_front(alert)

    def _acknowledged(self, instruction_id: str) -> None:
        self.open.pop(instruction_id, None)
        self.changed.emit()

    def stop(self) -> None:
        self.timer.stop()
        for alert in list(self.open.values()):
            alert.hide()
            alert.deleteLater()
        self.open.clear()
