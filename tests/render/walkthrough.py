"""The Live-wall issue's "done when", in one run, from the README's command (``--demo``).

``python -m tests.render.walkthrough`` starts an Xvfb, then the console exactly as the README's
run command does (``main.main(["--demo", ...])``: a simulated precinct, a local hub, signed in
as the demo's admin) and, from inside its event loop, does what an officer would:

1. stops the patrol tour if one started on schedule (the demo's night plan runs 20:00-04:00);
2. chooses the 16-tile layout and drops 16 cameras from the camera tree onto the tiles;
3. double-clicks one tile's video to enlarge it (it switches to the main stream), and again
   to restore it: real clicks made by the X server (XTest) on libVLC's own video window,
   which must reach the tile through it;
4. selects a dome and holds the Right arrow key for a second;
5. presses F9 for a snapshot;
6. reboots a camera on the wall (the simulator's control channel) and waits.

What is checked comes from outside the console's own idea of itself wherever it can: each
tile's camera is decoded from the screen's pixels (the simulator's time code), the dome's
position is read back from the simulated camera over ONVIF, the snapshot is a JPEG on disk
and a row in the station database. The drop is a ``QDropEvent`` carrying the tree's own drag
data (``CameraTreeModel.mimeData``); the window-system drag gesture itself is not simulated.
Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

Step = Callable[[], bool] | float  # a condition to wait for, or seconds to let pass
TIMEOUT_S = 60.0


class Walkthrough:
    """Runs ``script()`` inside the console's event loop, one small step per timer tick."""

    def __init__(self, app: Any, demos: list[Any]) -> None:
        from PySide6.QtCore import QTimer

        self.app = app
        self.demos = demos
        self.result: dict[str, Any] = {"done": False}
        self._steps: Iterator[Step] = self.script()
        self._waiting: Step | None = None
        self.at = "start"  # the part of the story running now, for the error report
        self.diagnose: Callable[[], Any] = lambda: None  # what to report if a step times out
        self._deadline = 0.0
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._timer.start()

    def _tick(self) -> None:
        try:
            while True:
                if self._waiting is not None:
                    if isinstance(self._waiting, float):
                        if time.monotonic() < self._deadline:
                            return
                    elif not self._waiting():
                        if time.monotonic() < self._deadline:
                            return
                        raise TimeoutError(f"waited {TIMEOUT_S:.0f} s")
                    self._waiting = None
                step = next(self._steps)
                self._waiting = step
                self._deadline = time.monotonic() + (step if isinstance(step, float) else TIMEOUT_S)
        except StopIteration:
            self._finish()
        except Exception as exc:  # report what failed, then leave
            self.result["error"] = f"{type(exc).__name__}: {exc} (at: {self.at})"
            self.result["seen_then"] = self.diagnose()
            self._finish()

    def _finish(self) -> None:
        self._timer.stop()
        print(json.dumps(self.result, default=str, ensure_ascii=False), flush=True)
        sys.stderr.flush()
        try:
            for demo in self.demos:
                demo.stop()
        finally:
            os._exit(0)  # libVLC + Qt teardown is not what this checks

    # -- helpers --------------------------------------------------------------------------

    def window(self) -> Any:
        from ui.main_window import MainWindow

        for widget in self.app.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                return widget
        return None

    def read_tiles(self, page: Any) -> list[int | None]:
        """Camera index decoded from each tile's pixels (None: no time code there)."""
        from bench.wall import decode_at, grab_rect

        screen = self.app.primaryScreen().geometry()
        pixels = grab_rect(self, (0, 0, screen.width(), screen.height()))
        out: list[int | None] = []
        for tile in page.wall.tiles:
            if not tile.isVisible():
                out.append(None)
                continue
            surface = tile.slots[tile.front].surface
            corner = surface.mapToGlobal(surface.rect().topLeft())
            code = decode_at(pixels, (corner.x(), corner.y(), surface.width(), surface.height()))
            out.append(code[0] if code else None)
        return out

    @staticmethod
    def double_click_video(tile: Any) -> None:
        """Double-click the centre of ``tile``'s picture through the X server (XTest), so the
        clicks land on whatever window is on top there, as an officer's mouse's would."""
        import ctypes
        import ctypes.util

        surface = tile.slots[tile.front].surface
        centre = surface.mapToGlobal(surface.rect().center())
        ratio = surface.devicePixelRatioF()
        xlib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        xtest = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
        xlib.XSync.argtypes = (ctypes.c_void_p, ctypes.c_int)
        xlib.XCloseDisplay.argtypes = (ctypes.c_void_p,)
        xtest.XTestFakeMotionEvent.argtypes = (
            ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong
        )  # fmt: skip
        xtest.XTestFakeButtonEvent.argtypes = (
            ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong
        )  # fmt: skip
        display = xlib.XOpenDisplay(None)
        if not display:
            raise RuntimeError("could not open the X display for XTest")
        try:
            x, y = int(centre.x() * ratio), int(centre.y() * ratio)
            xtest.XTestFakeMotionEvent(display, -1, x, y, 0)
            for delay in (0, 100):  # ms: a second click as a hand makes it
                xtest.XTestFakeButtonEvent(display, 1, True, delay)
                xtest.XTestFakeButtonEvent(display, 1, False, 30)
            xlib.XSync(display, False)
        finally:
            xlib.XCloseDisplay(display)

    @staticmethod
    def drop(tile: Any, mime: Any) -> None:
        """Deliver a drop of ``mime`` at the tile's centre, as Qt does at the end of a drag."""
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QDragEnterEvent, QDropEvent
        from PySide6.QtWidgets import QApplication

        centre = tile.rect().center()
        action = Qt.DropAction.CopyAction
        buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        QApplication.sendEvent(tile, QDragEnterEvent(centre, action, mime, buttons, mods))
        QApplication.sendEvent(tile, QDropEvent(QPointF(centre), action, mime, buttons, mods))

    # -- the officer's session --------------------------------------------------------------

    def script(self) -> Iterator[Step]:  # one story, told in order
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from drivers.ptz import PtzController
        from simulator.control import ctl
        from ui.camera_tree import ID_ROLE, KIND_ROLE

        r = self.result
        self.at = "console start"
        yield lambda: self.window() is not None and self.window().wall_page is not None
        win = self.window()
        page, wall = win.wall_page, win.wall_page.wall
        model = win.camera_tree.model
        yield lambda: model.rowCount() > 0
        yield lambda: not page._restoring  # the remembered wall has been read
        yield 2.0  # a scheduled plan, if due, has had its chance to start
        if page.tours.running:
            r["tour_stopped"] = page.tours.plan.name if page.tours.plan else True
            page.tours.stop()
        demo = self.demos[0]
        serial_index = {c["serial"]: i for i, c in enumerate(demo.seeded)}

        # 2. the 4x4 wall, filled by dropping cameras from the tree
        self.at = "fill"
        box = page.layout_box
        row = box.findData("16")
        box.setCurrentIndex(row)
        box.activated.emit(row)
        self.diagnose = lambda: {
            "tiles": len(wall.tiles),
            "states": [t.state for t in wall.tiles],
            "tour": page.tours.running,
        }
        yield lambda: len(wall.tiles) == 16
        cameras: list[Any] = []  # (camera id, tree index)
        for c in range(model.rowCount()):
            community = model.index(c, 0)
            for s in range(model.rowCount(community)):
                site = model.index(s, 0, community)
                for k in range(model.rowCount(site)):
                    item = model.index(k, 0, site)
                    if item.data(KIND_ROLE) == "camera":
                        cameras.append((str(item.data(ID_ROLE)), item))
        cameras = cameras[:16]
        t0 = time.monotonic()
        for tile, (_cid, item) in zip(wall.tiles, cameras, strict=False):
            self.drop(tile, model.mimeData([item]))
        yield lambda: sum(t.state == "live" for t in wall.tiles) == len(cameras)
        r["fill_all_live_s"] = round(time.monotonic() - t0, 2)
        expect: list[int] = []
        for cid, _item in cameras:
            expect.append(serial_index[win.station.inventory.camera(cid).serial])
        yield 1.5
        seen = self.read_tiles(page)
        r["tiles_expected"], r["tiles_seen"] = expect, seen
        r["tiles_showing_their_camera"] = sum(a == b for a, b in zip(expect, seen, strict=False))

        # 3. enlarge one
        self.at = "enlarge"
        big = 5
        self.double_click_video(wall.tiles[big])

        def profile() -> str | None:
            opened = wall.assigned[big].opened
            return str(opened.profile) if opened is not None else None

        yield lambda: wall.enlarged == big and profile() == "main"
        yield lambda: wall.tiles[big].state == "live"
        yield 1.5
        r["enlarged_stream"] = profile()
        r["enlarged_reads_camera"] = self.read_tiles(page)[big] == expect[big]
        self.double_click_video(wall.tiles[big])
        yield lambda: wall.enlarged is None
        r["restored"] = True

        # 4. a dome, moved with the keyboard
        self.at = "dome"
        dome = next(
            (i for i, t in enumerate(wall.tiles) if t.info is not None and t.info.is_dome), None
        )
        r["dome_tile"] = dome
        if dome is not None:
            cam = demo.seeded[expect[dome]]
            probe = PtzController(cam["device_url"], cam["username"], cam["password"])
            before = probe.position().pan
            QTest.mouseClick(wall.tiles[dome], Qt.MouseButton.LeftButton)
            yield lambda: page.ptz.camera_id is not None
            QTest.keyPress(wall.tiles[dome], Qt.Key.Key_Right)
            yield 1.0
            QTest.keyRelease(wall.tiles[dome], Qt.Key.Key_Right)
            yield 1.0
            after = probe.position()
            probe.close()
            r["dome_pan_before_after"] = [round(before, 3), round(after.pan, 3)]
            r["dome_moved_right"] = after.pan > before + 0.01
            r["dome_stopped"] = not after.moving

        # 5. F9: a snapshot of the selected tile
        self.at = "snapshot"
        saved: list[Any] = []
        wall.snapshot_saved.connect(saved.append)
        # Key shortcuts go to the active window (there is no window manager to give focus).
        win.activateWindow()
        yield lambda: QApplication.activeWindow() is win
        QTest.keyClick(wall.tiles[wall.selected], Qt.Key.Key_F9)
        yield lambda: bool(saved)
        snap = saved[0]
        path = Path(snap.path)
        r["snapshot_file"] = path.name
        r["snapshot_is_jpeg"] = path.exists() and path.read_bytes()[:3] == b"\xff\xd8\xff"
        recorded = win.station.wall.snapshots(snap.camera_id)
        r["snapshot_recorded"] = any(Path(s.path).name == path.name for s in recorded)

        # 6. a camera reboots; its tile comes back by itself
        self.at = "reboot"
        victim = 0
        ctl(str(expect[victim]), "reboot", {"seconds": 3}, port=demo.control_port)
        t0 = time.monotonic()
        yield lambda: wall.tiles[victim].state != "live"
        r["reboot_state_seen"] = wall.tiles[victim].state
        r["reboot_message"] = wall.tiles[victim].message.text()
        yield lambda: wall.tiles[victim].state == "live"
        r["reboot_back_after_s"] = round(time.monotonic() - t0, 1)
        yield 1.5
        r["reboot_tile_reads_camera"] = self.read_tiles(page)[victim] == expect[victim]
        r["done"] = True


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("SC_NO_KEYRING", "1")
    from tests.render.harness import xvfb

    with xvfb(1600, 1000) as display:
        os.environ["DISPLAY"] = display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        import main as console

        demos: list[Any] = []

        class Demo(console.DemoPrecinct):
            """The README's demo precinct, remembered so the walk-through can reach it."""

            def seed(self, cameras: list[dict[str, object]]) -> None:
                self.seeded = cameras
                demos.append(self)
                super().seed(cameras)

        console.DemoPrecinct = Demo  # type: ignore[misc]
        app = QApplication.instance() or QApplication([])
        walk = Walkthrough(app, demos)
        QTimer.singleShot(0, walk.start)
        logs = tempfile.mkdtemp(prefix="walkthrough-")
        console.main(["--demo", "--cameras", "16", "--lang", "en", "--data-dir", logs])
        walk.result["error"] = walk.result.get("error") or "the console quit first"
        print(json.dumps(walk.result, default=str), flush=True)
        os._exit(1)


if __name__ == "__main__":
    main()
