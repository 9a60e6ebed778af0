"""Runs a patrol plan on the wall: timing, pre-roll, pause/skip/back, pinned tiles, checks.

The next page of cameras is started on the tiles' hidden surfaces ``PREROLL_S`` before the
step is due, so when the dwell time ends every tile switches at once to a picture that is
already decoded (target: no black or stale frame longer than 100 ms, bench/tour.py). A
camera that is known to be down is skipped and the skip is written to the shift log with its
reason. Plans whose window opens start by themselves (or are offered, when the plan says so).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal

from drivers.gateway import StreamHealth, StreamState
from station_console.errors import ValidationError
from station_console.services.patrol import PatrolPlan
from station_console.station import Station
from station_console.tour import Tour, TourPage, TourStep
from station_console.wall_layouts import standard
from ui.messages import describe
from ui.tasks import TaskRunner
from ui.wall.video_wall import VideoWall, problem_text

log = logging.getLogger(__name__)

PREROLL_S = 2.0
DUE_CHECK_MS = 30_000


class TourRunner(QObject):
    """One tour at a time on one wall."""

    started = Signal(object)  # PatrolPlan
    stopped = Signal()
    step_changed = Signal(int, int)  # page number (from 1), cameras on the page
    paused_changed = Signal(bool)
    check_due = Signal(object, int)  # TourStep with a guard check, tile index
    message = Signal(str)
    plan_due = Signal(object)  # a due plan that does not start by itself

    def __init__(self, station: Station, tasks: TaskRunner, wall: VideoWall, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.wall = wall
        self.plan: PatrolPlan | None = None
        self.tour: Tour | None = None
        self.page_number = 0
        self.step_started = 0.0
        self._step_timer = QTimer(self)
        self._step_timer.setSingleShot(True)
        self._step_timer.timeout.connect(self._step_due)
        self._preroll_timer = QTimer(self)
        self._preroll_timer.setSingleShot(True)
        self._preroll_timer.timeout.connect(self._preroll_next)
        self._remaining_ms = 0
        self._due = QTimer(self)
        self._due.timeout.connect(self.check_due_plans)
        self._offered: set[str] = set()
        self.down: dict[str, str] = {}
        wall.streams.health.connect(self._on_health)

    @property
    def running(self) -> bool:
        return self.tour is not None

    # -- starting and stopping -----------------------------------------------------------------

    def start(self, plan: PatrolPlan) -> None:
        """Build the plan's cycle (background) and start showing it."""
        self.stop()
        self.tasks.run(
            self.station.patrol.cycle,
            plan,
            on_done=lambda cycle: self._begin(plan, cycle),
            on_error=lambda exc: self.message.emit(describe(exc)),
        )

    def _begin(self, plan: PatrolPlan, cycle: list[TourStep]) -> None:
        if not cycle:
            self.message.emit(self.tr("Plan {name} has no cameras to show.").format(name=plan.name))
            return
        try:
            layout = standard(plan.layout)
        except ValidationError:  # an old plan's layout that no longer exists: keep the wall's
            layout = self.wall.layout_def
        if layout.name != self.wall.layout_def.name:
            self.wall.set_layout(layout)
        self.plan = plan
        self.tour = Tour(cycle, tiles=self.wall.layout_def.size, usable=self._usable)
        self.page_number = 0
        self.started.emit(plan)
        self._show(self.tour.current(), preroll_first=False)

    def stop(self) -> None:
        if self.tour is None:
            return
        self._step_timer.stop()
        self._preroll_timer.stop()
        self.wall.cancel_prerolls()
        self.tour = None
        self.plan = None
        self.stopped.emit()

    # -- steps --------------------------------------------------------------------------------

    def _on_health(self, health: StreamHealth) -> None:
        """Remember which cameras are down (seen by any tile or pre-roll) and why."""
        camera_id = health.key.rsplit(":", 1)[0]
        if health.state in (StreamState.OFFLINE, StreamState.RECONNECTING):
            self.down[camera_id] = problem_text(health.problem) or self.tr("camera offline")
        elif health.state is StreamState.LIVE:
            self.down.pop(camera_id, None)

    def _usable(self, camera_id: str) -> tuple[bool, str]:
        """Skip a camera known to be down (its reason goes to the shift log)."""
        if camera_id in self.down:
            return False, self.down[camera_id]
        return True, ""

    def _tiles(self) -> list[int]:
        assert self.tour is not None
        return self.tour.free_tiles()

    def _show(self, page: TourPage, *, preroll_first: bool) -> None:
        """Put ``page`` on screen: commit pre-rolled tiles, assign the others directly."""
        assert self.tour is not None and self.plan is not None
        self.page_number += 1
        for tile, step in zip(self._tiles(), page.steps, strict=False):
            if not (preroll_first and self.wall.commit(tile, step.camera_id)):
                self.wall.assign(tile, step.camera_id, source="tour", plan_id=self.plan.id)
            if step.check:
                self.check_due.emit(step, tile)
        for tile in self._tiles()[len(page.steps) :]:
            self.wall.clear_tile(tile)
        self._log_skips()
        self.step_started = time.monotonic()
        self.step_changed.emit(self.page_number, len(page.steps))
        self._arm(max(page.dwell_s, 3) * 1000)

    def _arm(self, dwell_ms: int) -> None:
        self._step_timer.start(dwell_ms)
        self._preroll_timer.start(max(0, dwell_ms - int(PREROLL_S * 1000)))

    def _preroll_next(self) -> None:
        if self.tour is None or self.plan is None:
            return
        page = self.tour.peek_next()
        for tile, step in zip(self._tiles(), page.steps, strict=False):
            self.wall.preroll(tile, step.camera_id, source="tour", plan_id=self.plan.id)

    def _step_due(self) -> None:
        if self.tour is None:
            return
        self._show(self.tour.advance(), preroll_first=True)

    def _log_skips(self) -> None:
        assert self.tour is not None
        skipped, self.tour.skipped = self.tour.skipped, []
        template = self.tr("Tour skipped camera {camera}: {reason}")
        station = self.station
        for step, why in skipped:

            def write(camera_id: str = step.camera_id, reason: str = why) -> str:
                name = station.inventory.camera(camera_id).name
                text = template.format(camera=name, reason=reason)
                station.duty.log("tour_skip", text)
                return text

            self.tasks.run(
                write,
                on_done=self.message.emit,
                on_error=lambda exc: log.warning("skip not logged: %s", exc),
            )

    # -- officer controls -------------------------------------------------------------------

    def pause(self) -> None:
        if self.tour is None or self.tour.paused:
            return
        self.tour.paused = True
        self._remaining_ms = max(0, self._step_timer.remainingTime())
        self._step_timer.stop()
        self._preroll_timer.stop()
        self.wall.cancel_prerolls()
        self.paused_changed.emit(True)

    def resume(self) -> None:
        if self.tour is None or not self.tour.paused:
            return
        self.tour.paused = False
        self._arm(max(self._remaining_ms, 1000))
        self.paused_changed.emit(False)

    def skip(self) -> None:
        """Next page now (pre-rolled tiles switch at once; others connect)."""
        if self.tour is not None:
            self._preroll_timer.stop()
            self._show(self.tour.advance(), preroll_first=True)

    def back(self) -> None:
        if self.tour is not None:
            self._preroll_timer.stop()
            self.wall.cancel_prerolls()
            self._show(self.tour.back(), preroll_first=False)

    def toggle_pin(self, tile: int) -> bool:
        """Stop (or restart) rotating ``tile``; returns whether it is now pinned."""
        if self.tour is None:
            return False
        if tile in self.tour.pinned:
            self.tour.pinned.discard(tile)
        else:
            self.tour.pinned.add(tile)
            self.wall.prerolled.pop(tile, None)
        return tile in self.tour.pinned

    # -- plans that come due -----------------------------------------------------------------

    def watch_schedules(self, interval_ms: int = DUE_CHECK_MS) -> None:
        self._due.start(interval_ms)
        self.check_due_plans()

    def check_due_plans(self) -> None:
        self.tasks.run(
            self.station.patrol.due_plans,
            on_done=self._due_plans,
            on_error=lambda exc: log.warning("due plans not read: %s", exc),
        )

    def _due_plans(self, plans: list[PatrolPlan]) -> None:
        due_ids = {p.id for p in plans}
        self._offered &= due_ids  # a plan that left its window may be offered again later
        if self.tour is not None or not plans:
            return
        plan = plans[0]
        if plan.id in self._offered:
            return
        self._offered.add(plan.id)
        if plan.auto_start:
            self.message.emit(
                self.tr("Patrol plan {name} started on schedule.").format(name=plan.name)
            )
            self.start(plan)
        else:
            self.plan_due.emit(plan)
