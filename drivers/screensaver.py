"""Keep the monitoring-room display awake while the console runs: once, for the whole console.

libVLC inhibits the screen saver itself, but per video window: on Linux every tile start and
stop runs ``xdg-screensaver`` (a shell script, two processes per tile), which on a 36-tile wall
or a tour that changes 16 tiles a step is CPU the wall needs. The console turns that off
(``--no-disable-screensaver`` in drivers.vlc_options) and asks once here instead.
"""

from __future__ import annotations

import ctypes
import logging
import shutil
import subprocess
import sys

log = logging.getLogger(__name__)

_ES_CONTINUOUS = 0x80000000
_ES_DISPLAY_REQUIRED = 0x00000002
TIMEOUT_S = 10.0


def keep_display_awake(window_id: int) -> bool:
    """Ask the desktop not to blank the screen while ``window_id`` exists. Returns whether a
    request was made. On Linux it runs a program: call it off the GUI thread. On Windows the
    request holds only while the calling thread lives and returns at once: call it on the GUI
    thread."""
    if sys.platform == "win32":
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return bool(kernel32.SetThreadExecutionState(_ES_CONTINUOUS | _ES_DISPLAY_REQUIRED))
    tool = shutil.which("xdg-screensaver")
    if tool is None or not sys.platform.startswith("linux"):
        log.info("no screen-saver control here: set the display never to blank")
        return False
    # ``suspend`` leaves a watcher behind that lifts the request when the window goes away.
    try:
        done = subprocess.run(
            [tool, "suspend", hex(int(window_id))],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("screen saver not suspended: %s", exc)
        return False
    return done.returncode == 0
