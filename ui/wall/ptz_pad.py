"""On-screen PTZ pad for the dome camera in the selected tile.

Press-and-hold moves, release stops (the same as the arrow keys on the wall). Every ONVIF
call runs on the task runner; calls for one camera are serialised by its controller, so a
quick press-release can never leave the camera moving (the Stop queues behind the Move, and
the camera also stops by itself after the move's timeout).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from drivers.ptz import PtzController
from station_console.devices import PtzPreset
from station_console.station import Station
from ui.messages import describe
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

# (row, column, label, pan, tilt)
_DIRECTIONS = [
    (0, 0, "↖", -1, 1), (0, 1, "↑", 0, 1), (0, 2, "↗", 1, 1),
    (1, 0, "←", -1, 0), (1, 2, "→", 1, 0),
    (2, 0, "↙", -1, -1), (2, 1, "↓", 0, -1), (2, 2, "↘", 1, -1),
]  # fmt: skip


class PtzControllers:
    """A controller per dome camera, made on first use (worker thread) and reused.

    Only the :data:`KEEP` domes used last keep theirs: a controller holds its camera's ONVIF
    clients (zeep services, profile token), and over a shift an officer passes by many of a
    precinct's domes but steers a few. Thread-safe: the pad calls it from the task runner.
    """

    KEEP = 8

    def __init__(self, station: Station) -> None:
        self.station = station
        self._controllers: OrderedDict[str, PtzController] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, camera_id: str) -> PtzController:
        evicted: list[PtzController] = []
        with self._lock:
            controller = self._controllers.get(camera_id)
            if controller is None:
                camera = self.station.inventory.camera(camera_id)
                creds = self.station.inventory.credentials(camera_id)
                controller = PtzController(camera.onvif_url, creds.username, creds.password)
                self._controllers[camera_id] = controller
            self._controllers.move_to_end(camera_id)
            while len(self._controllers) > self.KEEP:
                evicted.append(self._controllers.popitem(last=False)[1])
        for old in evicted:  # a call still in flight on it finishes on its own connection
            old.close()
        return controller

    def kept(self) -> list[str]:
        """Cameras with a controller, least recently used first."""
        with self._lock:
            return list(self._controllers)

    def release(self, camera_id: str) -> None:
        """The pad left ``camera_id``: close its idle connection (call on a worker thread)."""
        with self._lock:
            controller = self._controllers.get(camera_id)
        if controller is not None:
            controller.release_connections()

    def close(self) -> None:
        with self._lock:
            controllers = list(self._controllers.values())
            self._controllers.clear()
        for controller in controllers:
            controller.close()


class PtzPad(QWidget):
    """Direction buttons, zoom, speed and presets for one camera at a time."""

    error = Signal(str)
    presets_loaded = Signal(list)

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        controllers: PtzControllers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ptzPad")
        self.station = station
        self.tasks = tasks
        self.controllers = controllers
        self.camera_id: str | None = None
        self.camera_name = ""

        self.heading = QLabel(self)
        self.heading.setObjectName("ptzHeading")
        self.heading.setWordWrap(True)
        grid = QGridLayout()
        grid.setSpacing(2)
        self.buttons: list[QPushButton] = []
        for row, col, text, pan, tilt in _DIRECTIONS:
            button = QPushButton(text, self)
            button.setAutoRepeat(False)
            button.setFixedSize(36, 32)
            button.setAccessibleName(self.tr("Move {direction}").format(direction=text))
            button.pressed.connect(lambda p=pan, t=tilt: self.move(p, t, 0))
            button.released.connect(self.stop)
            grid.addWidget(button, row, col)
            self.buttons.append(button)
        self.zoom_in = QPushButton(self.tr("Zoom +"), self)
        self.zoom_out = QPushButton(self.tr("Zoom −"), self)
        self.zoom_in.pressed.connect(lambda: self.move(0, 0, 1))
        self.zoom_out.pressed.connect(lambda: self.move(0, 0, -1))
        for button in (self.zoom_in, self.zoom_out):
            button.released.connect(self.stop)
        self.speed = QSlider(Qt.Orientation.Horizontal, self)
        self.speed.setObjectName("ptzSpeed")
        self.speed.setRange(1, 10)
        self.speed.setValue(5)
        self.speed.setAccessibleName(self.tr("PTZ speed"))

        self.presets = QComboBox(self)
        self.presets.setObjectName("ptzPresets")
        self.presets.setAccessibleName(self.tr("Presets"))
        self.go_button = QPushButton(self.tr("&Go to preset"), self)
        self.save_button = QPushButton(self.tr("Save &preset…"), self)
        self.rename_button = QPushButton(self.tr("&Rename preset…"), self)
        self.go_button.clicked.connect(self.goto_selected)
        self.save_button.clicked.connect(self.ask_save)
        self.rename_button.clicked.connect(self.ask_rename)

        zoom = QHBoxLayout()
        zoom.addWidget(self.zoom_out)
        zoom.addWidget(self.zoom_in)
        speed = QHBoxLayout()
        speed.addWidget(QLabel(self.tr("Speed"), self))
        speed.addWidget(self.speed, 1)
        preset_buttons = QHBoxLayout()
        preset_buttons.addWidget(self.go_button)
        preset_buttons.addWidget(self.save_button)
        preset_buttons.addWidget(self.rename_button)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addLayout(grid)
        column.addLayout(zoom)
        column.addLayout(speed)
        column.addWidget(self.presets)
        column.addLayout(preset_buttons)
        column.addStretch(1)
        self.set_camera(None, "", False)

    # -- which camera --------------------------------------------------------------------

    def set_camera(self, camera_id: str | None, name: str, is_dome: bool) -> None:
        left = self.camera_id
        self.camera_id = camera_id if is_dome else None
        if left is not None and left != self.camera_id:
            self.tasks.run(self.controllers.release, left)
        self.camera_name = name
        enabled = self.camera_id is not None
        for w in [*self.buttons, self.zoom_in, self.zoom_out, self.presets, self.go_button,
                  self.save_button, self.rename_button, self.speed]:  # fmt: skip
            w.setEnabled(enabled)
        if camera_id is None:
            self.heading.setText(self.tr("Select a tile showing a dome camera."))
        elif not is_dome:
            self.heading.setText(self.tr("{name} has no PTZ.").format(name=name))
        else:
            self.heading.setText(self.tr("PTZ: {name}").format(name=name))
        self.presets.clear()
        if enabled:
            self.load_presets()

    # -- commands (all on the task runner) ---------------------------------------------------

    def _run(
        self, fn: Callable[[PtzController], Any], on_done: Callable[[Any], None] | None = None
    ) -> None:
        camera_id = self.camera_id
        if camera_id is None:
            return
        controllers = self.controllers

        def work() -> Any:
            return fn(controllers.get(camera_id))

        self.tasks.run(
            work,
            on_done=on_done,
            on_error=lambda exc: self.error.emit(describe(exc)),
        )

    def move(self, pan: float, tilt: float, zoom: float) -> None:
        k = self.speed.value() / 10
        self._run(lambda c: c.move(pan * k, tilt * k, zoom * k))

    def stop(self) -> None:
        self._run(lambda c: c.stop())

    def load_presets(self) -> None:
        self._run(lambda c: c.presets(), self._show_presets)

    def _show_presets(self, presets: list[PtzPreset]) -> None:
        self.presets.clear()
        for p in presets:
            self.presets.addItem(p.name or p.token, p.token)
        self.presets_loaded.emit(presets)

    def goto_selected(self) -> None:
        token = self.presets.currentData()
        if token:
            self._run(lambda c: c.goto_preset(str(token)))

    def save_preset(self, name: str) -> None:
        self._run(lambda c: c.save_preset(name), lambda _: self.load_presets())

    def rename_preset(self, token: str, name: str) -> None:
        self._run(lambda c: c.rename_preset(token, name), lambda _: self.load_presets())

    def ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save preset"), self.tr("Preset name:"))
        if ok and name.strip():
            self.save_preset(name.strip())

    def ask_rename(self) -> None:
        token = self.presets.currentData()
        if not token:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Rename preset"), self.tr("New name:"), text=self.presets.currentText()
        )
        if ok and name.strip():
            self.rename_preset(str(token), name.strip())
