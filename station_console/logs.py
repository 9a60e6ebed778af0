"""Logging: one logger per module, a rotating file, and a bounded in-memory tail.

The tail feeds the in-app log view and the crash report. A filter masks credentials in any
URL (``rtsp://user:pass@`` → ``rtsp://***@``) before a record reaches any handler.
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
import sys
import threading
from pathlib import Path

from station_console.validation import mask_credentials

TAIL_SIZE = 2000
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class MaskCredentials(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        masked = mask_credentials(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = None
        return True


class TailHandler(logging.Handler):
    """Keeps the last lines in memory for the log view and crash reports."""

    def __init__(self, size: int = TAIL_SIZE) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=size)
        self._lock2 = threading.Lock()
        self.setFormatter(logging.Formatter(_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self._lock2:
            self.lines.append(line)

    def snapshot(self) -> list[str]:
        with self._lock2:
            return list(self.lines)


TAIL = TailHandler()


def setup_logging(log_dir: Path | None, *, verbose: bool = False, console: bool = False) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    mask = MaskCredentials()
    shutdown_logging()
    handlers: list[logging.Handler] = [TAIL]
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            fh = logging.handlers.RotatingFileHandler(
                log_dir / "console.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
            )
            fh.setFormatter(logging.Formatter(_FORMAT))
            handlers.append(fh)
        except OSError:
            pass
    if console or verbose:
        sh = logging.StreamHandler(sys.stderr)
        sh.setLevel(logging.DEBUG if verbose else logging.WARNING)
        sh.setFormatter(logging.Formatter(_FORMAT))
        handlers.append(sh)
    for handler in handlers:
        handler.addFilter(mask)
        handler._station_console = True  # type: ignore[attr-defined]
        root.addHandler(handler)


def shutdown_logging() -> None:
    """Detach and close the handlers :func:`setup_logging` installed."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_station_console", False):
            root.removeHandler(handler)
            if handler is not TAIL:
                handler.close()
