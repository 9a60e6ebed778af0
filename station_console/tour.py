"""Turning a patrol plan into what the wall shows, step by step.

Pure logic (no clock, no Qt): the plan's steps are expanded (a site becomes its cameras),
weighted by priority so key places come round more often but evenly spread (smooth weighted
round robin, as load balancers use), temporary watches are added, and the sequence is cut
into pages of as many cameras as the tour's tiles. The UI's tour runner owns the timing; the
patrol service owns the records.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TourStep:
    """One camera shown for ``dwell_s`` seconds as part of a plan (or a watch)."""

    camera_id: str
    dwell_s: int
    plan_id: str | None = None
    check: str = ""  # guard-post check to record at this step ("" = none)
    watch_id: str | None = None


@dataclass(frozen=True)
class WeightedStep:
    """A step before expansion: one camera, and how many times per cycle it comes round."""

    step: TourStep
    weight: int = 1


def weighted_order(items: Sequence[WeightedStep]) -> list[TourStep]:
    """One cycle in which each step appears ``weight`` times, spread as evenly as possible.

    Smooth weighted round robin: every round each step gains its weight, the step with the
    most (the earliest on a tie) is shown and pays back the total. Steps of equal weight
    differ only in how often they were shown, so each weight keeps a heap of (times shown,
    position) and a round compares one step per weight, not every step: a plan of 2,000
    cameras is a few milliseconds, not seconds.
    """
    weights = [max(1, i.weight) for i in items]
    total = sum(weights)
    heaps: dict[int, list[tuple[int, int]]] = {}
    for n, w in enumerate(weights):
        heaps.setdefault(w, []).append((0, n))
    order: list[TourStep] = []
    for rnd in range(1, total + 1):
        best_w, best_key = 0, (0, 0)
        for w, heap in heaps.items():
            shown, n = heap[0]
            key = (w * rnd - total * shown, -n)
            if not best_w or key > best_key:
                best_w, best_key = w, key
        shown, n = heapq.heappop(heaps[best_w])
        heapq.heappush(heaps[best_w], (shown + 1, n))
        order.append(items[n].step)
    return order


@dataclass
class TourPage:
    steps: list[TourStep]

    @property
    def dwell_s(self) -> int:
        return max((s.dwell_s for s in self.steps), default=0)


Usable = Callable[[str], tuple[bool, str]]  # camera id → (can be shown, why not)


@dataclass
class Tour:
    """A running tour: the cycle, the page on screen, pause state and pinned tiles.

    ``tiles`` is the number of tiles the tour may use; pinned tiles are left out of the
    rotation (the officer keeps watching something there).
    """

    cycle: list[TourStep]
    tiles: int
    usable: Usable = field(default=lambda _cid: (True, ""))
    position: int = 0  # index into cycle of the first step of the current page
    paused: bool = False
    pinned: set[int] = field(default_factory=set)
    skipped: list[tuple[TourStep, str]] = field(default_factory=list)
    history: list[int] = field(default_factory=list)
    shown_end: int | None = None  # where the page on screen ended (next page starts there)

    def free_tiles(self) -> list[int]:
        return [t for t in range(self.tiles) if t not in self.pinned]

    def page_at(self, position: int, record: bool = True) -> tuple[TourPage, int]:
        """The page starting at ``position`` (skipping unusable cameras) and where the next
        page starts. Unusable cameras are noted in :attr:`skipped` with the reason."""
        slots = len(self.free_tiles())
        steps: list[TourStep] = []
        if not self.cycle or slots == 0:
            return TourPage([]), position
        n = len(self.cycle)
        looked = 0
        pos = position % n
        seen: set[str] = set()
        while len(steps) < slots and looked < n:
            step = self.cycle[pos]
            pos = (pos + 1) % n
            looked += 1
            if step.camera_id in seen:
                continue  # a page never shows one camera twice
            ok, why = self.usable(step.camera_id)
            if not ok:
                if record:
                    self.skipped.append((step, why))
                continue
            seen.add(step.camera_id)
            steps.append(step)
        return TourPage(steps), pos

    def current(self) -> TourPage:
        page, self.shown_end = self.page_at(self.position)
        return page

    def _next_start(self) -> int:
        if self.shown_end is None:
            self.shown_end = self.page_at(self.position, record=False)[1]
        return self.shown_end

    def advance(self) -> TourPage:
        """Move to the next page and return it."""
        self.history.append(self.position)
        self.position = self._next_start()
        return self.current()

    def peek_next(self) -> TourPage:
        """The page that :meth:`advance` will show (for pre-rolling), without moving."""
        return self.page_at(self._next_start(), record=False)[0]

    def back(self) -> TourPage:
        if self.history:
            self.position = self.history.pop()
        return self.current()
