"""Every thread's stack on file when the window hangs or the process dies in native code
(ui.thread_stacks). The hang is real (the GUI thread blocked), the crash is a real SIGSEGV in
a child process."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ui.thread_stacks import ThreadStacks

ROOT = Path(__file__).resolve().parents[2]


def hang_the_gui_thread(seconds: float) -> None:
    time.sleep(seconds)  # the GUI thread does not return to its event loop


def wait_in_helper(release: threading.Event) -> None:
    release.wait(30)


def test_a_hung_window_leaves_every_threads_stack(
    qtbot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    stacks = ThreadStacks(tmp_path, hang_s=1.0, rearm_ms=100)
    release = threading.Event()
    helper = threading.Thread(target=wait_in_helper, args=(release,), name="helper")
    helper.start()
    stacks.install()
    try:
        assert stacks.path is not None
        qtbot.wait(300)  # the timer re-arms: nothing written while the window answers
        assert stacks.path.read_text() == ""
        with caplog.at_level(logging.WARNING, logger="ui.thread_stacks"):
            hang_the_gui_thread(2.0)
            with qtbot.waitSignal(stacks.hang_reported, timeout=5_000) as reported:
                pass
        assert reported.args == [stacks.path]
        text = stacks.path.read_text()
        assert "Timeout (0:00:01)!" in text
        assert "in hang_the_gui_thread" in text  # the GUI thread, where it was stuck
        assert "in wait_in_helper" in text  # and every other thread
        assert "the window answered again" in text
        assert stacks.hangs == 1
        assert any(str(stacks.path) in r.getMessage() for r in caplog.records)
    finally:
        stacks.uninstall()
        release.set()
        helper.join()
    assert stacks.path.exists()  # a written file stays for the technician


def test_a_run_without_trouble_leaves_no_file(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stacks = ThreadStacks(tmp_path, hang_s=1.0, rearm_ms=100)
    stacks.install()
    qtbot.wait(1_500)  # longer than hang_s: only re-arming keeps the watchdog quiet
    stacks.uninstall()
    assert stacks.hangs == 0
    assert list(tmp_path.iterdir()) == []


CRASH = """
import faulthandler, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from ui.thread_stacks import ThreadStacks
app = QApplication([])
ThreadStacks(Path(sys.argv[1])).install()
faulthandler._sigsegv()
"""


def test_a_native_crash_becomes_a_report_at_the_next_start(
    qtbot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run(
        [sys.executable, "-c", CRASH, str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGSEGV
    # A run killed outright leaves an empty file; a running console's file is not touched.
    gone = subprocess.Popen(["true"])
    gone.wait()
    (tmp_path / f"threads-20260101-000000-{gone.pid}.txt").write_text("")
    running = tmp_path / f"threads-20260101-000000-{os.getppid()}.txt"
    running.write_text("")
    stacks = ThreadStacks(tmp_path)
    with caplog.at_level(logging.WARNING, logger="ui.thread_stacks"):
        stacks.install()
    stacks.uninstall()
    reports = list(tmp_path.glob("crash-*-native.txt"))
    assert len(reports) == 1
    text = reports[0].read_text()
    assert "Fatal Python error: Segmentation fault" in text
    assert "Current thread" in text
    assert any(str(reports[0]) in r.getMessage() for r in caplog.records)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([reports[0].name, running.name])
