"""The one way the UI runs work off the GUI thread.

A widget hands a plain function to :class:`TaskRunner`; the function runs on a worker
thread and its result (or exception, or progress) comes back as a call on the GUI thread.
Widgets never start threads themselves, and tests swap in :class:`SyncTaskRunner` to run
everything inline.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progress = Callable[[int, int], None]


class _Relay(QObject):
    """Lives on the GUI thread; worker threads emit, Qt queues the call to the GUI thread."""

    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class Task(QRunnable):
    def __init__(
        self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], relay: _Relay
    ):
        super().__init__()
        self.fn, self.args, self.kwargs, self.relay = fn, args, kwargs, relay
        self.cancelled = threading.Event()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:
            if not self.cancelled.is_set():
                self.relay.failed.emit(exc)
            return
        if not self.cancelled.is_set():
            self.relay.done.emit(result)

    def cancel(self) -> None:
        """Drop the result: the owner went away. The function itself still finishes."""
        self.cancelled.set()


def _default_error(exc: BaseException) -> None:
    log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))


class TaskRunner(QObject):
    """Runs functions on a small thread pool and reports back on the GUI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()

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
        relay = _Relay()
        self._relays.add(relay)

        @Slot(object)
        def finished(result: Any) -> None:
            self._relays.discard(relay)
            if on_done:
                on_done(result)

        @Slot(object)
        def failed(exc: BaseException) -> None:
            self._relays.discard(relay)
            (on_error or _default_error)(exc)

        relay.done.connect(finished)
        relay.failed.connect(failed)
        if on_progress:
            relay.progressed.connect(on_progress)
            kwargs["progress"] = relay.progressed.emit
        task = Task(fn, args, kwargs, relay)
        self.pool.start(task)
        return task

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
        relay = _Relay()
        if on_progress:
            kwargs["progress"] = on_progress
        task = Task(fn, args, kwargs, relay)
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            (on_error or _default_error)(exc)
        else:
            if on_done:
                on_done(result)
        return task
