"""The tour controls above the wall, and the guard-post check prompt.

Plan chooser, start/stop, pause/resume, back and skip; a line saying which page of the tour
is on screen; and, when a step asks for a guard-post check (seed 004: is the gate-room guard
present and in uniform?), a prompt with pass/fail and remarks that records the check with a
snapshot of the tile as proof.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolBar,
    QWidget,
)

from station_console.services.patrol import PatrolPlan
from station_console.services.wall import Snapshot
from station_console.station import Station
from station_console.tour import TourStep
from ui.messages import describe
from ui.patrol.tour_runner import TourRunner
from ui.tasks import TaskRunner
from ui.wall.video_wall import VideoWall

log = logging.getLogger(__name__)


class GuardCheckPrompt(QWidget):
    """ "{check} — {camera}: pass / fail" for the tile the step is shown in."""

    def __init__(self, station: Station, tasks: TaskRunner, wall: VideoWall, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setObjectName("guardCheck")
        self.station, self.tasks, self.wall = station, tasks, wall
        self.step: TourStep | None = None
        self.tile = 0
        self.label = QLabel(self)
        self.remarks = QLineEdit(self)
        self.remarks.setPlaceholderText(self.tr("Remarks (optional)"))
        self.pass_button = QPushButton(self.tr("&Pass"), self)
        self.fail_button = QPushButton(self.tr("&Fail"), self)
        self.pass_button.clicked.connect(lambda: self.record(True))
        self.fail_button.clicked.connect(lambda: self.record(False))
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.remarks, 1)
        row.addWidget(self.pass_button)
        row.addWidget(self.fail_button)
        self.setStyleSheet("#guardCheck { background: #fff3cd; }")
        self.hide()

    def ask(self, step: TourStep, tile: int) -> None:
        self.step, self.tile = step, tile
        self.label.setText(
            self.tr("Check at tile {n}: {check}").format(n=tile + 1, check=step.check)
        )
        self.remarks.clear()
        self.show()

    def record(self, passed: bool) -> None:
        step, tile = self.step, self.tile
        if step is None:
            return
        remarks = self.remarks.text()
        self.hide()
        duty = self.station.duty

        def save(snapshot_id: int | None) -> None:
            self.tasks.run(
                duty.record_guard_check,
                step.camera_id,
                step.check,
                passed,
                plan_id=step.plan_id,
                remarks=remarks,
                snapshot_id=snapshot_id,
                on_error=lambda exc: log.warning("guard check not saved: %s", describe(exc)),
            )

        def saved(snap: Snapshot) -> None:
            self.wall.snapshot_saved.disconnect(saved)
            self.wall.snapshot_failed.disconnect(failed)
            save(snap.id)

        def failed(_text: str) -> None:
            self.wall.snapshot_saved.disconnect(saved)
            self.wall.snapshot_failed.disconnect(failed)
            save(None)  # the check counts even when the picture could not be captured

        self.wall.snapshot_saved.connect(saved)
        self.wall.snapshot_failed.connect(failed)
        self.wall.snapshot(tile)


class TourBar(QToolBar):
    """Plan chooser and tour controls; the runner does the work."""

    def __init__(self, station: Station, tasks: TaskRunner, runner: TourRunner, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setObjectName("tourBar")
        self.station, self.tasks, self.runner = station, tasks, runner
        self.addWidget(QLabel(self.tr("Patrol plan:"), self))
        self.plan_box = QComboBox(self)
        self.plan_box.setObjectName("planBox")
        self.plan_box.setAccessibleName(self.tr("Patrol plan"))
        self.plan_box.setMinimumContentsLength(12)
        self.addWidget(self.plan_box)
        self.start_action = self.addAction(self.tr("Start tour"), self.start_selected)
        self.start_action.setObjectName("startTour")
        self.pause_action = self.addAction(self.tr("Pause"), self.toggle_pause)
        self.pause_action.setObjectName("pauseTour")
        self.back_action = self.addAction(self.tr("Back"), runner.back)
        self.back_action.setObjectName("tourBack")
        self.skip_action = self.addAction(self.tr("Skip"), runner.skip)
        self.skip_action.setObjectName("tourSkip")
        self.stop_action = self.addAction(self.tr("Stop tour"), runner.stop)
        self.stop_action.setObjectName("stopTour")
        self.state = QLabel(self)
        self.state.setObjectName("tourState")
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.addWidget(self.state)
        self.plans: list[PatrolPlan] = []
        runner.started.connect(self._started)
        runner.stopped.connect(self._stopped)
        runner.step_changed.connect(self._step)
        runner.paused_changed.connect(self._paused)
        self._stopped()
        self.reload()

    def reload(self) -> None:
        self.tasks.run(
            self.station.patrol.plans,
            on_done=self._plans,
            on_error=lambda exc: log.warning("plans not read: %s", exc),
        )

    def _plans(self, plans: list[PatrolPlan]) -> None:
        self.plans = plans
        current = self.plan_box.currentData()
        self.plan_box.clear()
        for plan in plans:
            self.plan_box.addItem(plan.name, plan.id)
        index = self.plan_box.findData(current)
        if index >= 0:
            self.plan_box.setCurrentIndex(index)
        self.start_action.setEnabled(bool(plans) and not self.runner.running)

    def start_selected(self) -> None:
        plan = next((p for p in self.plans if p.id == self.plan_box.currentData()), None)
        if plan is not None:
            self.runner.start(plan)

    def toggle_pause(self) -> None:
        tour = self.runner.tour
        if tour is None:
            return
        if tour.paused:
            self.runner.resume()
        else:
            self.runner.pause()

    def _started(self, plan: PatrolPlan) -> None:
        index = self.plan_box.findData(plan.id)
        if index >= 0:
            self.plan_box.setCurrentIndex(index)
        for action in (self.pause_action, self.back_action, self.skip_action, self.stop_action):
            action.setEnabled(True)
        self.start_action.setEnabled(False)
        self.state.setText(self.tr("Touring: {name}").format(name=plan.name))

    def _stopped(self) -> None:
        for action in (self.pause_action, self.back_action, self.skip_action, self.stop_action):
            action.setEnabled(False)
        self.start_action.setEnabled(bool(self.plans))
        self.pause_action.setText(self.tr("Pause"))
        self.state.setText(self.tr("No tour running"))

    def _step(self, page: int, cameras: int) -> None:
        plan = self.runner.plan
        self.state.setText(
            self.tr("Touring: {name} — step {page}, {n} cameras").format(
                name=plan.name if plan else "", page=page, n=cameras
            )
        )

    def _paused(self, paused: bool) -> None:
        self.pause_action.setText(self.tr("Resume") if paused else self.tr("Pause"))
        if paused:
            self.state.setText(self.tr("Tour paused"))
