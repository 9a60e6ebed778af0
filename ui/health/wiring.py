"""Puts camera health into the main window: the monitor, the alarm bar, the wall's streams.

The main window calls :func:`install` once it has its tabs and :meth:`HealthWiring.shutdown`
when it closes, so its own code holds two lines of health.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QToolBar

from station_console.services.permissions import Permission
from ui.health.alarm_bar import AlarmBar
from ui.health.controller import HealthController

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


class HealthWiring:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        station, tasks = window.station, window.tasks
        wall = window.wall_page
        streams = wall.streams if wall is not None else None

        def gateway() -> Any:
            return streams.gateway if streams is not None and streams.started() else None

        self.controller = HealthController(station, tasks, gateway, window)
        self.alarm_bar: AlarmBar | None = None
        self.toolbar: QToolBar | None = None
        if station.session.can(Permission.VIEW_HEALTH):
            bar = self.alarm_bar = AlarmBar(station, tasks, self.controller, window)
            tb = self.toolbar = QToolBar(
                QCoreApplication.translate("health", "Camera alarms"), window
            )
            tb.setObjectName("alarmToolBar")
            tb.setMovable(False)
            tb.addWidget(bar)
            window.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
            tb.setVisible(False)
            bar.loaded.connect(lambda alarms: tb.setVisible(bool(alarms)))
        if streams is not None:
            streams.health.connect(self.controller.live_changed)
        started = self.controller.start()
        log.info("health monitor %s", "started" if started else "not started for this role")

    def shutdown(self) -> None:
        self.controller.shutdown()


def install(window: MainWindow) -> HealthWiring:
    return HealthWiring(window)
