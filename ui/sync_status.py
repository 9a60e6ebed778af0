"""Background sync for the console: runs the engine on the task runner, on a schedule and on
change, and tells the status bar what the link is doing.

The core engine already backs off and never raises on hub failures; this object only decides
*when* to call it (every ``interval`` seconds, soon after a local change, or when the officer
presses "Sync now"), keeps the last statuses for the sync log view, and turns a status into
the status bar's words. A station with no hub configured never starts it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from station_console.station import Station
from station_console.sync.engine import SyncEngine, SyncStatus, configured_station
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

CHANGE_DELAY_MS = 2000


@dataclass(frozen=True)
class SyncLogEntry:
    when: datetime
    status: SyncStatus


def make_engine(station: Station) -> SyncEngine | None:
    """The engine for this station, sharing its clock (local stamps must follow hub stamps)."""
    from drivers.hub_client import HttpHubTransport

    config = configured_station(station.db)
    if config is None:
        return None
    url, token, station_id = config
    return SyncEngine(
        station.db, HttpHubTransport(url, token), station.clock, station_id=station_id
    )


class SyncController(QObject):
    """Schedules syncs off the GUI thread and reports each outcome."""

    status_changed = Signal(object)  # SyncStatus

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        *,
        interval_s: float = 30.0,
        engine_factory: Callable[[Station], SyncEngine | None] = make_engine,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.interval_ms = int(interval_s * 1000)
        self.engine = engine_factory(station)
        self.log: deque[SyncLogEntry] = deque(maxlen=200)
        self.last: SyncStatus | None = None
        self._running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)

    @property
    def configured(self) -> bool:
        return self.engine is not None

    def start(self) -> None:
        if self.engine is not None:
            self.timer.start(0)

    def stop(self) -> None:
        self.timer.stop()
        if self.engine is not None:
            self.engine.transport.close()

    def local_change(self) -> None:
        """A record changed here: sync soon, once, however many changes come in."""
        if self.engine is not None and (
            not self.timer.isActive() or self.timer.remainingTime() > CHANGE_DELAY_MS
        ):
            self.timer.start(CHANGE_DELAY_MS)

    def sync_now(self) -> None:
        if self.engine is None:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self.tasks.run(self.engine.sync_once, on_done=self._done, on_error=self._failed)

    def _done(self, status: SyncStatus) -> None:
        self._running = False
        self.last = status
        self.log.append(SyncLogEntry(datetime.now(), status))
        self.status_changed.emit(status)
        if self._again:
            self._again = False
            self.timer.start(0)
        else:
            wait = int(status.retry_in_s * 1000) if status.retry_in_s else self.interval_ms
            self.timer.start(max(wait, 1000))

    def _failed(self, exc: BaseException) -> None:
        log.error("sync failed: %s", exc)
        self._done(
            SyncStatus("error", self.last.last_sync_at if self.last else None, -1, str(exc), "bug")
        )


class SyncLogDialog(QDialog):
    """The last syncs: when, link state, pushed/pulled counts, backlog and any error."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sync log"))
        self.resize(720, 420)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.controller = controller
        controller.status_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_: object) -> None:
        lines = []
        for entry in reversed(self.controller.log):
            s = entry.status
            line = self.tr(
                "{when}  link {link}  pushed {pushed}  pulled {pulled}  waiting {backlog}"
            ).format(
                when=entry.when.strftime("%Y-%m-%d %H:%M:%S"),
                link=s.link,
                pushed=s.pushed,
                pulled=s.pulled,
                backlog=s.backlog,
            )
            if s.error:
                line += "  " + s.error
            lines.append(line)
        self.text.setPlainText("\n".join(lines) or self.tr("No sync has run yet."))
