"""The alarm bar: camera alarms the duty officer has not acknowledged, always in view.

A flood is one line ("幸福里小区东门: 40 cameras down"), because the core groups alarms by
site. New alarms beep (the system beep: QtMultimedia is not in every PySide6 install) when the station's ``audible_alarms`` setting is on. Reading and
acknowledging run on the task runner.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

from station_console.health.alarms import Alarm, AlarmChange
from station_console.services.permissions import Permission
from station_console.station import Station
from ui.health.controller import HealthController
from ui.lifetime import while_alive
from ui.messages import show_error
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class AlarmBar(QWidget):
    loaded = Signal(list)

    def __init__(self, station: Station, tasks: TaskRunner, controller: HealthController,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("alarmBar")
        self.station = station
        self.tasks = tasks
        self.alarms: list[Alarm] = []
        self.beeps = 0
        self.setStyleSheet("#alarmBar { background: #b71c1c; } #alarmBar QLabel { color: white; "
                           "font-weight: bold; }")  # fmt: skip
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel(self)
        self.text.setObjectName("alarmText")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.ack = QPushButton(self.tr("Acknowledge all"), self)
        self.ack.setObjectName("acknowledgeAlarms")
        self.ack.setVisible(station.session.can(Permission.ACK_ALARMS))
        self.ack.clicked.connect(self.acknowledge_all)
        layout.addWidget(self.ack)
        self.setVisible(False)
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(300)
        self._reload.timeout.connect(self.refresh)
        controller.alarm_changed.connect(self._changed)
        self.refresh()

    def _changed(self, change: AlarmChange) -> None:
        if change.raised:
            self.alert()
        self._reload.start()

    def alert(self) -> None:
        if not bool(self.station.settings.get("audible_alarms")):
            return
        self.beeps += 1
        # QtMultimedia is not part of every PySide6 install (not of the Essentials wheel);
        # the system beep always is.
        QApplication.beep()

    def refresh(self) -> None:
        self.tasks.run(self.station.health.alarms.alarms,
                       on_done=while_alive(self, self._show))  # fmt: skip

    def _show(self, alarms: list[Alarm]) -> None:
        self.alarms = [a for a in alarms if a.needs_attention]
        self.setVisible(bool(self.alarms))
        lines = []
        for a in self.alarms[:4]:
            where = a.site_name or self.tr("camera without a site")
            n = len(a.down_ids) or len(a.camera_ids)
            if a.kind == "tamper":
                what = self.tr("{n} camera(s) covered or black").format(n=n)
            else:
                what = self.tr("{n} camera(s) down").format(n=n)
            state = "" if a.active else self.tr(" (back now)")
            lines.append(f"⚠ {where}: {what}{state} — {a.raised_at[11:16]} UTC")
        if len(self.alarms) > 4:
            lines.append(self.tr("…and {n} more alarms").format(n=len(self.alarms) - 4))
        self.text.setText("\n".join(lines))
        self.loaded.emit(self.alarms)

    def acknowledge_all(self) -> None:
        self.tasks.run(
            self.station.health.alarms.acknowledge_all,
            on_done=while_alive(self, lambda _: self.refresh()),
            on_error=while_alive(self, lambda exc: show_error(self, exc)),
        )
