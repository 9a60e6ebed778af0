"""Cyclic garbage is freed on the GUI thread only (ui.gui_collector), by Python's own rule."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from ui.gui_collector import GuiThreadCollector

freed_on: list[str] = []


class Cycle:
    """Garbage that only the cyclic collector frees; says on which thread it was freed."""

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        freed_on.append(threading.current_thread().name)


def churn() -> None:
    """Allocate far past every threshold, as a worker parsing WSDLs does."""
    for _ in range(20):
        kept = [[] for _ in range(5_000)]
        del kept


@pytest.fixture
def thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_cycles_are_freed_on_the_gui_thread_only(
    qtbot, gui_thread_collector: GuiThreadCollector
) -> None:  # type: ignore[no-untyped-def]
    assert not gc.isenabled()
    freed_on.clear()
    for _ in range(50):
        Cycle()
    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()
    assert freed_on == []  # the worker allocated plenty and collected nothing
    kept = [[] for _ in range(1_000)]  # past generation 0's threshold: a collection is due
    qtbot.waitUntil(lambda: len(freed_on) == 50, timeout=5_000)
    del kept
    assert set(freed_on) == {threading.main_thread().name}


def test_the_generation_collected_follows_pythons_rule(thresholds: None) -> None:
    collector = GuiThreadCollector()
    gc.set_threshold(100, 1, 1)
    gc.collect()
    kept = []
    generations = []
    for _ in range(7):
        kept.append([[] for _ in range(200)])  # 200 new objects: past generation 0's 100
        generations.append(collector.collect_due())
    # The oldest generation whose count passed its threshold, as Python would pick.
    assert generations == [0, 0, 1, 0, 0, 1, 2]
    assert collector.collect_due() is None  # nothing new since


def test_stop_collects_and_restores_automatic_collection() -> None:
    gc.enable()
    collector = GuiThreadCollector()
    collector.start()
    assert not gc.isenabled()
    freed_on.clear()
    Cycle()
    collector.stop()
    assert freed_on == [threading.main_thread().name]
    assert gc.isenabled()
