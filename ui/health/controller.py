"""Starts the health monitor with the main window and turns its callbacks into signals.

The monitor runs on its own threads (station_console.health.monitor); this object only
starts it, stops it on the task runner when the window closes, and re-emits the core's
plain callbacks (called on monitor threads) as Qt signals, which Qt delivers on the GUI
thread. Cameras on the wall are watched through the wall's stream gateway.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from station_console.health.monitor import HealthMonitor
from station_console.services.permissions import Permission
from station_console.station import Station
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class HealthController(QObject):
    alarm_changed = Signal(object)  # AlarmChange
    fault_changed = Signal(str)  # fault id
    camera_changed = Signal(str)  # camera id

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        gateway: Callable[[], Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self._gateway = gateway
        self.monitor: HealthMonitor | None = None
        self._hooks: list[tuple[list[Any], Callable[..., None]]] = []
        health = station.health
        self._hook(health.alarms.listeners, self.alarm_changed.emit)
        self._hook(health.faults.listeners, self.fault_changed.emit)
        self._hook(station.inventory.listeners, lambda *_: self.monitor and self.monitor.refresh())

    def _hook(self, listeners: list[Any], fn: Callable[..., None]) -> None:
        def call(*args: Any) -> None:
            with contextlib.suppress(RuntimeError):  # the Qt side is gone
                fn(*args)

        listeners.append(call)
        self._hooks.append((listeners, call))

    def should_run(self) -> bool:
        return bool(self.station.settings.get("health_monitor")) and self.station.session.can(
            Permission.VIEW_CAMERAS
        )

    def start(self, prober: Any = None, diagnoser: Any = None) -> bool:
        """Start the monitor (real drivers unless given); False when this role has none."""
        if self.monitor is not None or not self.should_run():
            return False
        live = None
        if prober is None:
            from drivers.health_probe import HealthProber
            from drivers.vqd import Vqd

            prober, diagnoser = HealthProber(), Vqd()
        if self._gateway is not None:
            from drivers.health_live import GatewayLive

            live = GatewayLive(self._gateway)
        self.monitor = self.station.health.monitor(self.station, prober, diagnoser, live)
        self.monitor.listeners.append(self._camera)
        self.monitor.start()
        return True

    def _camera(self, camera_id: str) -> None:
        with contextlib.suppress(RuntimeError):
            self.camera_changed.emit(camera_id)

    def live_changed(self, *_: object) -> None:
        if self.monitor is not None:
            self.monitor.live_changed()

    def shutdown(self) -> None:
        """Detach from the core and stop the monitor on the task runner."""
        for listeners, call in self._hooks:
            if call in listeners:
                listeners.remove(call)
        self._hooks.clear()
        monitor, self.monitor = self.monitor, None
        if monitor is not None:

            def stop() -> None:
                monitor.stop()
                monitor.prober.close()

            self.tasks.run(stop, on_error=lambda exc: log.warning("monitor stop: %s", exc))
