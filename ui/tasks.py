"""The one way the UI runs work off the GUI thread.

A widget hands a plain function to :class:`TaskRunner`; the function runs on a worker
thread and its result (or exception, or progress) comes back as a call on the GUI thread.
Widgets never start threads themselves, and tests swap in :class:`SyncTaskRunner` to run
everything inline.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progress = Callable[[int, int], None]


class _Relay(QObject):
    """Lives on the GUI thread; worker threads emit, Qt queues the call to the GUI thread.

    One per runner, not one per task: a relay made for each task was never freed. The
    closures connected to its signals referred back to it, a cycle through Qt's connection
    list that Python's collector cannot see, so every task ever run stayed in memory with
    its arguments and whatever its callbacks held. The wall soak kept every stopped player
    that way (its Python objects and what they held), a straight line of RSS over the shift.
    """

    done = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int)


class Task(QRunnable):
    def __init__(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        relay: _Relay,
        ident: int = 0,
    ):
        super().__init__()
        self.fn: Callable[..., Any] | None = fn
        self.args, self.kwargs, self.relay, self.ident = args, kwargs, relay, ident
        self.cancelled = threading.Event()
        self.setAutoDelete(True)

    def run(self) -> None:
        fn, args, kwargs = self.fn, self.args, self.kwargs
        # The pool may keep this object after it ran: hold nothing the caller gave us.
        self.fn, self.args, self.kwargs = None, (), {}
        assert fn is not None, "a task runs once"
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            self._report(self.relay.failed, exc)
            return
        self._report(self.relay.done, result)

    def _report(self, signal: Any, value: object) -> None:
        try:
            signal.emit(self.ident, value)
        except RuntimeError:  # the runner (and its relay) went away first: nobody to tell
            log.debug("task finished after its runner was deleted")

    def cancel(self) -> None:
        """Drop the result: the owner went away. The function itself still finishes."""
        self.cancelled.set()


def _default_error(exc: BaseException) -> None:
    log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))


@dataclass
class _Waiting:
    """What to call back on the GUI thread when a task ends."""

    task: Task
    on_done: Done | None
    on_error: Failed | None
    on_progress: Progress | None


class TaskRunner(QObject):
    """Runs functions on a small thread pool and reports back on the GUI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.done.connect(self._finished)
        self._relay.failed.connect(self._failed)
        self._relay.progressed.connect(self._progressed)
        self._waiting: dict[int, _Waiting] = {}
        self._ids = itertools.count(1)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_progress: Progress | None = None,
        **kwargs: Any,
    ) -> Task:
        """Run ``fn(*args, **kwargs)`` off the GUI thread.

        With ``on_progress``, ``fn`` also receives ``progress=callable(done, total)``.
        """
        ident = next(self._ids)
        relay = self._relay
        if on_progress:
            kwargs["progress"] = lambda done, total: relay.progressed.emit(ident, done, total)
        task = Task(fn, args, kwargs, relay, ident)
        self._waiting[ident] = _Waiting(task, on_done, on_error, on_progress)
        self.pool.start(task)
        return task

    def pending(self) -> int:
        """Tasks started whose result has not been delivered yet."""
        return len(self._waiting)

    @Slot(int, object)
    def _finished(self, ident: int, result: Any) -> None:
        waiting = self._waiting.pop(ident, None)
        if waiting and waiting.on_done and not waiting.task.cancelled.is_set():
            waiting.on_done(result)

    @Slot(int, object)
    def _failed(self, ident: int, exc: BaseException) -> None:
        waiting = self._waiting.pop(ident, None)
        if waiting and not waiting.task.cancelled.is_set():
            (waiting.on_error or _default_error)(exc)

    @Slot(int, int, int)
    def _progressed(self, ident: int, done: int, total: int) -> None:
        waiting = self._waiting.get(ident)
        if waiting and waiting.on_progress and not waiting.task.cancelled.is_set():
            waiting.on_progress(done, total)

    def wait(self, msecs: int = 30000) -> bool:
        """For shutdown and tests: wait until every started task has finished."""
        return bool(self.pool.waitForDone(msecs))


class SyncTaskRunner(TaskRunner):
    """Runs everything inline on the calling thread (unit tests of widgets)."""

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_progress: Progress | None = None,
        **kwargs: Any,
    ) -> Task:
        if on_progress:
            kwargs["progress"] = on_progress
        task = Task(fn, args, kwargs, self._relay)
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            (on_error or _default_error)(exc)
        else:
            if on_done:
                on_done(result)
        return task
