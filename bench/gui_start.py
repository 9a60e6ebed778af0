"""P8 (GUI part): time from launching the console to a usable main window.

"Usable" = the main window is shown and its camera tree has loaded every camera, on the
full-size precinct built by ``bench.storage`` (2,000 cameras, 10 years of history, 5M
patrol entries). The clock starts before the Python interpreter is started, so imports,
opening and migrating the database, sign-in and the first queries all count. Sign-in uses
stored credentials (the officer's typing is not the console's time).

    python -m bench.storage --keep DIR      (once, builds the precinct)
    python -m bench.gui_start DIR
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result, median, smoke
from bench.storage import generate, scale

CHILD = r"""
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui.gui_collector import GuiThreadCollector
from ui.i18n import install_translators
from ui.startup import Launcher
from ui.tasks import TaskRunner

app = QApplication([])
install_translators(app, "zh_CN")
GuiThreadCollector(app).start()  # as ui.app.run_gui does
tasks = TaskRunner(app)
launcher = Launcher(Path(sys.argv[1]), tasks, auto_login=("admin", "bench-password"), use_keyring=False)

def shown(window):
    def loaded(n):
        if n > 0:
            print("usable", time.time(), n, flush=True)
            app.exit(0)
    window.camera_tree.loaded.connect(loaded)

launcher.window_shown.connect(shown)
QTimer.singleShot(0, launcher.start)
QTimer.singleShot(60000, lambda: app.exit(3))
code = app.exec()
tasks.wait()
if launcher.station is not None:
    launcher.station.close()
sys.exit(code)
"""


def one_start(data_dir: Path) -> tuple[float, int]:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SC_NO_KEYRING": "1"},
    )
    for line in out.stdout.splitlines():
        if line.startswith("usable "):
            _, when, n = line.split()
            return float(when) - t0, int(n)
    raise RuntimeError(f"console did not become usable: {out.stderr[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="sc-bench-gui-") as tmp:
        if args:
            data_dir = Path(args[0])
        else:  # a precinct of its own, removed afterwards (CI runs this in smoke mode)
            data_dir = Path(tmp)
            generate(data_dir, scale(), random.Random(1))
        result = Result("gui_start")
        starts, cameras = [], 0
        for _ in range(3 if smoke() else 5):
            seconds, cameras = one_start(data_dir)
            starts.append(seconds)
    # Reference: the bare cost of starting Python and importing Qt, in the same run.
    bare = []
    for _ in range(3):
        t0 = time.time()
        subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"], check=True, timeout=60)
        bare.append(time.time() - t0)
    result.add(
        "launch_to_usable_window_s",
        median(starts),
        target=2.0,
        unit="s",
        reference=("python + import PySide6.QtWidgets", median(bare)),
    )
    result.notes["cameras_in_tree"] = cameras
    result.notes["all_runs_s"] = [round(s, 3) for s in starts]
    path = result.write()
    print(result.summary())
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
