"""Every thread's stack on file when the console dies in native code or its window hangs.

Why: the crash dialog (:mod:`ui.crash`) catches Python exceptions, but two failures of a
console that runs around the clock leave nothing behind for the technician:

* a fatal signal in native code (libVLC, Qt, a codec) ends the process before Python runs;
* a deadlock (the GUI thread stuck in native code, or waiting for the GIL that such a thread
  holds) freezes the window with no exception at all.

Python's :mod:`faulthandler` covers both from C, without the GIL: on a fatal signal it writes
every thread's stack, and its watchdog thread writes them when it has not been re-armed for
:data:`HANG_S` seconds. The GUI thread re-arms it every :data:`REARM_MS`, so the watchdog fires
only when the GUI thread stopped. The stacks go to ``threads-<time>-<pid>.txt`` in the crash
report folder; a run that ends with nothing written removes its empty file. A later start
renames a file left behind by a run that died (``crash-<time>-native.txt``, beside the crash
dialog's reports) and logs where it is.

faulthandler has one watchdog per process: while the console runs inside a test, this one
replaces the test suite's (tests/conftest.py).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import IO

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

#: The window not answering this long is a hang, not a slow moment (its stalls are ≤ 50 ms).
HANG_S = 30.0
#: How often the GUI thread re-arms the watchdog (a new watchdog thread each time: 53 µs here).
REARM_MS = 5000

_NAME = re.compile(r"threads-(?P<stamp>[0-9-]+)-(?P<pid>\d+)\.txt")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


class ThreadStacks(QObject):
    """Installs faulthandler for this run; reports a hang once the window answers again."""

    hang_reported = Signal(object)  # Path of the file holding the stacks

    def __init__(
        self,
        directory: Path,
        parent: QObject | None = None,
        *,
        hang_s: float = HANG_S,
        rearm_ms: int = REARM_MS,
    ) -> None:
        super().__init__(parent)
        self.directory = directory
        self.hang_s = hang_s
        self.path: Path | None = None
        self.hangs = 0
        self._file: IO[str] | None = None
        self._was_enabled = False
        self._written = 0
        self._timer = QTimer(self)
        self._timer.setInterval(rearm_ms)
        self._timer.timeout.connect(self._tick)

    def install(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._name_leftovers()
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            self.path = self.directory / f"threads-{stamp}-{os.getpid()}.txt"
            self._file = self.path.open("w", encoding="utf-8")
        except OSError:
            log.exception("thread stacks will not be written (crash folder %s)", self.directory)
            return
        self._was_enabled = faulthandler.is_enabled()
        faulthandler.enable(file=self._file, all_threads=True)
        self._arm()
        self._timer.start()

    def uninstall(self) -> None:
        self._timer.stop()
        if self._file is None:
            return
        faulthandler.cancel_dump_traceback_later()
        stderr = sys.__stderr__ or sys.stderr  # None in a Windows GUI process
        if self._was_enabled and stderr is not None:
            faulthandler.enable(file=stderr)  # where it wrote before, as near as we can tell
        else:
            faulthandler.disable()
        empty = self._size() == 0
        self._file.close()
        self._file = None
        if empty and self.path is not None:
            self.path.unlink(missing_ok=True)

    def _arm(self) -> None:
        assert self._file is not None
        faulthandler.dump_traceback_later(self.hang_s, exit=False, file=self._file)

    def _size(self) -> int:
        return os.fstat(self._file.fileno()).st_size if self._file is not None else 0

    def _tick(self) -> None:
        """On the GUI thread: it answers, so re-arm; if the watchdog wrote, say so."""
        if self._file is None:
            return
        size = self._size()
        if size > self._written:
            self.hangs += 1
            note = (
                f"\n--- the window answered again at {datetime.now().isoformat(timespec='seconds')}"
                f"; the stacks above were written when it had not answered for {self.hang_s:.0f} s"
                " ---\n\n"
            )
            os.write(self._file.fileno(), note.encode())
            self._written = self._size()
            log.warning(
                "the window did not answer for at least %.0f s; every thread's stack at that "
                "moment is in %s",
                self.hang_s,
                self.path,
            )
            self.hang_reported.emit(self.path)
        self._arm()

    def _name_leftovers(self) -> None:
        """Files of runs that have ended: empty ones go, written ones become crash reports."""
        for path in sorted(self.directory.glob("threads-*.txt")):
            match = _NAME.fullmatch(path.name)
            if match is None or _alive(int(match["pid"])):
                continue
            try:
                if path.stat().st_size == 0:
                    path.unlink()
                    continue
                report = path.with_name(f"crash-{match['stamp']}-native.txt")
                path.rename(report)
            except OSError:
                log.exception("could not tidy %s", path)
                continue
            log.warning(
                "an earlier run ended in native code or hung; every thread's stack is in %s",
                report,
            )
