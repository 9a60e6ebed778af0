"""The task runner: results come back on the GUI thread, and a finished task keeps nothing."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QThread

from ui.tasks import TaskRunner


class Payload:
    """Stands for what a real task holds: a stopped player, a query's rows."""


def test_finished_tasks_keep_neither_arguments_nor_callbacks(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(max_threads=2)
    results: list[int] = []
    errors: list[str] = []
    threads: set[object] = set()
    refs: list[weakref.ref[Payload]] = []

    def work(payload: Payload, n: int) -> int:
        if n % 7 == 0:
            raise ValueError(f"task {n}")
        return n

    for n in range(60):
        payload, held = Payload(), Payload()  # one in the arguments, one in the callbacks
        refs += [weakref.ref(payload), weakref.ref(held)]

        def done(result: int, held: Payload = held) -> None:
            threads.add(QThread.currentThread())
            results.append(result)

        runner.run(work, payload, n, on_done=done,
                   on_error=lambda exc, held=held: errors.append(str(exc)))  # fmt: skip
        del payload, held, done  # only the runner holds them now
    qtbot.waitUntil(lambda: len(results) + len(errors) == 60, timeout=10_000)
    assert sorted(results) == [n for n in range(60) if n % 7]
    assert sorted(errors) == sorted(f"task {n}" for n in range(0, 60, 7))
    assert threads == {QThread.currentThread()}  # callbacks ran on the GUI thread
    assert runner.pending() == 0
    gc.collect()
    alive = sum(1 for r in refs if r() is not None)
    assert alive == 0, f"{alive} of {len(refs)} objects given to finished tasks are still alive"


def test_progress_arrives_and_a_cancelled_task_reports_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(max_threads=2)
    seen: list[tuple[int, int]] = []
    done: list[str] = []

    def counted(progress) -> str:  # type: ignore[no-untyped-def]
        for k in range(1, 4):
            progress(k, 3)
        return "counted"

    runner.run(counted, on_progress=lambda d, t: seen.append((d, t)), on_done=done.append)
    gate = threading.Event()
    cancelled = runner.run(gate.wait, 10, on_done=lambda _: done.append("cancelled"))
    cancelled.cancel()
    gate.set()
    assert runner.wait(10_000)
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5000)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert done == ["counted"]
