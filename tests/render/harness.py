"""A real wall on a real X server: Xvfb, the simulated precinct, libVLC, screenshots.

Render tests and ``bench/wall.py`` both drive the console's wall through this rig, in a child
process of their own (the pytest process runs Qt offscreen; this one needs the xcb platform).
Nothing is faked: the simulator is a separate process serving RTSP, the console's gateway
pulls it, libVLC draws into native X windows, and the screen is grabbed from the X server and
each tile's simulator time code (camera index + render time) decoded from the pixels.

Run a scenario: ``python -m tests.render.harness SCENARIO [--cameras N] [--layout 16]``;
it prints one JSON line with what it saw.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def xvfb(width: int = 1600, height: int = 1000) -> Iterator[str]:
    """Start Xvfb on a free display; yields the DISPLAY value."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Simulator:
    """The simulated precinct in its own process (its encoders never share our GIL)."""

    def __init__(self, cameras: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "--cameras", str(cameras), "--json-ready",
             "--stdin-eof", "--control-port", "0"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the simulator did not start")
        ready = json.loads(line)
        self.cameras: list[dict[str, Any]] = ready["cameras"]
        self.control_port = int(ready["control_port"])

    def inject(self, index: int, fault: str, **args: Any) -> None:
        from simulator.control import ctl

        ctl(str(index), fault, args, port=self.control_port)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


class WallRig:
    """A seeded station, a signed-in duty officer and the wall page in a real window."""

    def __init__(self, cameras: int, width: int = 1280, height: int = 760) -> None:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        os.environ.setdefault("SC_NO_KEYRING", "1")
        from PySide6.QtWidgets import QApplication

        from main import DemoPrecinct
        from station_console.station import open_station
        from ui.gui_collector import GuiThreadCollector
        from ui.tasks import TaskRunner
        from ui.wall.wall_page import WallPage

        self.app = QApplication.instance() or QApplication([])
        # As the console does (ui.app.run_gui): cyclic garbage freed on the GUI thread only.
        self.collector = GuiThreadCollector(self.app)
        self.collector.start()
        self.sim = Simulator(cameras)
        self.root = Path(tempfile.mkdtemp(prefix="wall-rig-"))
        demo = DemoPrecinct(cameras)
        demo.data_dir = self.root / "station"
        demo.seed(self.sim.cameras)
        self.station = open_station(demo.data_dir, use_keyring=False)
        self._retire_scheduled_plans()
        self.station.accounts.sign_in("officer", "demo-pass-1")
        serial_index = {c["serial"]: i for i, c in enumerate(self.sim.cameras)}
        self.camera_ids: list[str] = [""] * cameras
        for cam in self.station.inventory.cameras():
            self.camera_ids[serial_index[cam.serial]] = cam.id
        self.tasks = TaskRunner(max_threads=4)
        self.page = WallPage(self.station, self.tasks)
        self.page.resize(width, height)
        self.page.move(0, 0)
        self.page.show()
        self.shown: dict[int, float] = {}
        self.page.wall.picture_shown.connect(lambda i, _c: self.shown.__setitem__(i, time.time()))
        self.wait(lambda: self.page.isVisible(), 5)
        if not self.wait(lambda: not self.page._restoring, 60):
            raise RuntimeError("the remembered wall was not read within 60 s")

    def _retire_scheduled_plans(self) -> None:
        """The demo's night plan (20:00-04:00) starts a tour by itself when the page opens
        inside its window, and a tour re-lays the wall: these scenarios must not depend on the
        time of day they run at (they failed every evening). The duty leader retires every
        plan with a window; scenarios that test tours build their own."""
        accounts = self.station.accounts
        accounts.sign_in("leader", "demo-pass-1")
        for plan in self.station.patrol.plans():
            if plan.windows:
                self.station.patrol.retire_plan(plan.id)
        accounts.sign_out()

    # -- waiting without blocking the event loop ----------------------------------------------

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.005)

    def wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.app.processEvents()
            if predicate():
                return True
            time.sleep(0.005)
        return bool(predicate())

    # -- the wall ---------------------------------------------------------------------------

    def set_layout(self, name: str) -> None:
        from station_console.wall_layouts import standard

        self.page.wall.set_layout(standard(name))
        self.pump(0.2)

    def fill(self, cameras: list[int]) -> None:
        for tile, cam in enumerate(cameras):
            self.page.wall.assign(tile, self.camera_ids[cam])

    def grab(self) -> tuple[float, Any]:
        """Screenshot of the whole X screen as an RGB numpy array, and when it was taken."""
        import numpy as np
        from PySide6.QtGui import QImage

        screen = self.app.primaryScreen()
        when = time.time()
        pixmap = screen.grabWindow(0)
        image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB888)
        ptr = image.constBits()
        array = np.frombuffer(ptr, dtype=np.uint8, count=image.sizeInBytes())
        array = array.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
        return when, array.reshape(image.height(), image.width(), 3).copy()

    def tile_rects(self) -> list[tuple[int, int, int, int]]:
        """Each tile's visible video surface, in screen pixels (x, y, w, h)."""
        rects = []
        ratio = self.page.devicePixelRatioF()
        for tile in self.page.wall.tiles:
            surface = tile.slots[tile.front].surface
            top_left = surface.mapToGlobal(surface.rect().topLeft())
            rects.append(
                (int(top_left.x() * ratio), int(top_left.y() * ratio),
                 int(surface.width() * ratio), int(surface.height() * ratio))
            )  # fmt: skip
        return rects

    def read_tiles(self) -> tuple[float, list[tuple[int, int] | None]]:
        """(grab time, per tile: (camera index, epoch ms) decoded from the pixels, or None)."""
        from simulator.timecode import decode

        when, image = self.grab()
        found: list[tuple[int, int] | None] = []
        for x, y, w, h in self.tile_rects():
            crop = _letterbox_crop(image[y : y + h, x : x + w])
            code = decode(crop) if crop.size else None
            found.append((code.camera_index, code.epoch_ms) if code else None)
        return when, found

    def close(self) -> None:
        self.page.shutdown()
        self.page.close()
        self.tasks.wait(10_000)
        self.collector.stop()
        self.station.close()
        self.sim.close()
        shutil.rmtree(self.root, ignore_errors=True)


def _letterbox_crop(tile: Any) -> Any:
    """libVLC keeps the 16:9 aspect: cut the black bars so the time code fills the crop."""
    import numpy as np

    if tile.size == 0:
        return tile
    luma = tile.mean(axis=2)
    rows = np.where(luma.max(axis=1) > 24)[0]
    cols = np.where(luma.max(axis=0) > 24)[0]
    if len(rows) < 8 or len(cols) < 8:
        return tile
    return tile[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


# -- scenarios (each prints one JSON line) ----------------------------------------------------


def scenario_identity(rig: WallRig, layout: str, cameras: int) -> dict[str, Any]:
    """Every tile shows its own camera; how long until each picture; latency samples."""
    rig.set_layout(layout)
    size = rig.page.wall.layout_def.size
    order = [i % cameras for i in range(size)]
    start = time.time()
    rig.fill(order)
    all_shown = rig.wait(lambda: len(rig.shown) >= size, 30)
    rig.pump(1.0)
    reads = []
    for _ in range(5):
        when, found = rig.read_tiles()
        reads.append([(f[0], when * 1000 - f[1]) if f else None for f in found])
        rig.pump(0.2)
    matched = [any(r[t] is not None and r[t][0] == order[t] for r in reads) for t in range(size)]
    latencies = [r[t][1] for r in reads for t in range(size) if r[t] is not None]
    return {
        "all_shown": all_shown,
        "first_frame_s": sorted(rig.shown[i] - start for i in rig.shown),
        "matched": matched,
        "latencies_ms": latencies,
        "states": [t.state for t in rig.page.wall.tiles],
    }


def scenario_recovery(rig: WallRig, layout: str, cameras: int) -> dict[str, Any]:
    """A rebooted camera comes back on its own; a stalled stream is reported on its tile."""
    rig.set_layout("4")
    rig.fill([0, 1, 2, 3])
    rig.wait(lambda: len(rig.shown) >= 4, 30)
    tiles = rig.page.wall.tiles
    states: dict[str, Any] = {}
    rig.shown.clear()
    rig.sim.inject(1, "reboot", seconds=3)
    t0 = time.time()
    states["reboot_left_live"] = rig.wait(lambda: tiles[1].state != "live", 15)
    states["reboot_state_seen"] = tiles[1].state
    states["reboot_message"] = tiles[1].message.text()
    back = rig.wait(lambda: 1 in rig.shown and tiles[1].state == "live", 40)
    states["reboot_back"] = back
    states["reboot_back_after_s"] = (rig.shown.get(1, time.time()) - t0) if back else None
    rig.pump(1.0)
    _, found = rig.read_tiles()
    states["reboot_tile_reads_camera"] = found[1][0] if found[1] else None
    rig.sim.inject(2, "rtsp-stall")
    states["stall_reported"] = rig.wait(lambda: tiles[2].state in ("reconnecting", "offline"), 20)
    states["stall_state"] = tiles[2].state
    states["stall_reason"] = tiles[2].state_label.toolTip()
    states["stall_message"] = tiles[2].message.text()
    rig.sim.inject(2, "clear")
    rig.shown.pop(2, None)
    states["stall_recovered"] = rig.wait(lambda: 2 in rig.shown and tiles[2].state == "live", 40)
    rig.sim.inject(3, "wrong-password")
    rig.page.wall.clear_tile(3)
    # The gateway lingers 5 s before it drops the session; a new one must sign in again.
    gateway = rig.page.streams.gateway
    rig.wait(lambda: not any(k.startswith(rig.camera_ids[3]) for k in gateway._upstreams), 30)
    rig.page.wall.assign(3, rig.camera_ids[3])
    states["auth_reported"] = rig.wait(lambda: tiles[3].state == "offline", 20)
    states["auth_reason"] = tiles[3].state_label.toolTip()
    rig.sim.inject(3, "clear")
    return states


def scenario_rapid_switch(rig: WallRig, layout: str, cameras: int) -> dict[str, Any]:
    """A tile switched again as soon as its new picture is up, while libVLC is still stopping
    the player before (stops are made to take 1.5 s, as seen on a loaded machine): afterwards
    every tile shows its own camera. A player started on a surface still held by a stopping
    one gets no window and opens a top-level one over the wall."""
    from ui.wall.video_player import VlcPlayer

    dispose = VlcPlayer.dispose

    def slow_dispose(player: VlcPlayer) -> None:
        time.sleep(1.5)
        dispose(player)

    VlcPlayer.dispose = slow_dispose  # type: ignore[method-assign]
    rig.set_layout("4")
    rig.fill([0, 1, 2, 3])
    rig.wait(lambda: len(rig.shown) >= 4, 30)
    final = [0, 1, 2, 3]
    for step in range(6):
        final[0] = 4 + step % (cameras - 4)
        rig.shown.pop(0, None)
        rig.page.wall.assign(0, rig.camera_ids[final[0]])
        rig.wait(lambda: 0 in rig.shown, 15)
    end = time.monotonic() + 30
    found: list[Any] = []
    while time.monotonic() < end:
        rig.pump(0.3)
        _, found = rig.read_tiles()
        if all(f is not None and f[0] == final[t] for t, f in enumerate(found)):
            break
    # What the switches left in memory once every stopped player is gone: nothing but the
    # players still on the wall (python-vlc cached every player's event manager for ever, and
    # the task runner kept every finished task's callbacks: one player per switch stayed).
    import vlc

    rig.page.wall.reaper.wait(30_000)
    rig.tasks.wait(10_000)
    rig.pump(1.0)
    from PySide6.QtCore import QCoreApplication, QEvent

    # deleteLater() of the stopped players and their surfaces (processEvents() alone skips it)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    on_wall = {id(p.player) for t in rig.page.wall.tiles for p in (t.front_player(),) if p}
    return {
        "expected": final,
        "shown": [f[0] if f else None for f in found],
        "states": [t.state for t in rig.page.wall.tiles],
        "players_on_wall": len(on_wall),
        "libvlc_players_alive": sum(isinstance(o, vlc.MediaPlayer) for o in gc.get_objects()),
        "tile_players_alive": sum(isinstance(o, VlcPlayer) for o in gc.get_objects()),
    }


def scenario_enlarge_snapshot(rig: WallRig, layout: str, cameras: int) -> dict[str, Any]:
    """Enlarge switches to the main stream without a black gap; a snapshot is recorded."""
    rig.set_layout("4")
    rig.fill([0, 1, 2, 3])
    rig.wait(lambda: len(rig.shown) >= 4, 30)
    wall = rig.page.wall
    out: dict[str, Any] = {}
    rig.shown.clear()
    wall.toggle_enlarge(0)
    black = 0
    samples = 0
    end = time.monotonic() + 4
    while time.monotonic() < end and 0 not in rig.shown:
        _, found = rig.read_tiles()
        samples += 1
        black += found[0] is None
        rig.pump(0.05)
    rig.pump(0.5)
    out["main_shown"] = 0 in rig.shown
    out["stream"] = wall.assigned[0].opened.profile if wall.assigned[0].opened else None
    _, found = rig.read_tiles()
    out["enlarged_reads_camera"] = found[0][0] if found[0] else None
    out["unreadable_samples_during_switch"] = black
    out["samples_during_switch"] = samples
    saved: list[Any] = []
    wall.snapshot_saved.connect(saved.append)
    wall.snapshot_failed.connect(saved.append)
    wall.snapshot(0)
    rig.wait(lambda: bool(saved), 15)
    if saved and isinstance(saved[0], str):
        out["snapshot_error"] = saved.pop()
    if saved:
        import cv2

        from simulator.timecode import decode

        img = cv2.imread(str(saved[0].path))
        code = decode(img) if img is not None else None
        out["snapshot_file"] = str(saved[0].path)
        out["snapshot_camera"] = code.camera_index if code else None
        out["snapshot_size"] = list(img.shape[:2]) if img is not None else None
    wall.toggle_enlarge(0)
    rig.shown.clear()
    out["back_to_sub"] = rig.wait(
        lambda: (
            0 in rig.shown
            and wall.assigned[0].opened is not None
            and wall.assigned[0].opened.profile == "sub"
        ),
        10,
    )
    rows = rig.station.db.query("SELECT stream, large FROM camera_views ORDER BY id")
    out["viewings"] = [[r["stream"], r["large"]] for r in rows]
    return out


def run_tour(
    rig: WallRig,
    cameras: list[int],
    *,
    layout: str,
    steps: int,
    dwell_s: float,
    preroll: bool,
    offline: tuple[int, ...] = (),
) -> dict[str, Any]:
    """Tour ``cameras`` on the wall and measure, at every step, how long each tile shows a
    black or stale picture: from the moment the step is due until a screenshot shows the
    new camera's time code in that tile."""
    from datetime import UTC, datetime

    import ui.patrol.tour_runner as tour_runner
    from station_console.services.patrol import PatrolPlan
    from station_console.tour import Tour, TourStep

    rig.set_layout(layout)
    runner = rig.page.tours
    index_of = {cid: i for i, cid in enumerate(rig.camera_ids)}
    plan = PatrolPlan("bench", "bench", layout, 3, (), ())
    cycle = [TourStep(rig.camera_ids[c], 3, "bench") for c in cameras]
    gaps: list[float] = []
    missing = 0
    ready = 0
    tour_runner.PREROLL_S = max(0.5, dwell_s * 0.6) if preroll else 0.0
    step_at: list[float] = []
    runner.step_changed.connect(lambda *_: step_at.append(time.time()))
    runner.plan = plan
    runner.tour = Tour(cycle, tiles=rig.page.wall.layout_def.size, usable=runner._usable)
    # Warm-up: the first page connects from cold and is not counted.
    runner._show(runner.tour.current(), preroll_first=False)
    rig.wait(lambda: len(rig.shown) >= min(len(cameras), rig.page.wall.layout_def.size), 30)
    if offline:
        for cam in offline:
            rig.sim.inject(cam, "offline")
    since = datetime.now(UTC)
    for _ in range(steps):
        runner._step_timer.stop()
        runner._preroll_timer.stop()
        if preroll:
            runner._preroll_next()
            rig.pump(dwell_s * 0.6)
        else:
            rig.pump(dwell_s * 0.6)
        page = runner.tour.peek_next()
        expected = {
            tile: index_of[step.camera_id]
            for tile, step in zip(runner._tiles(), page.steps, strict=False)
        }
        before = len(step_at)
        ready += sum(rig.page.wall.tiles[t].preroll_ready() for t in expected)
        runner._step_due()
        due = step_at[before] if len(step_at) > before else time.time()
        waiting = dict(expected)
        deadline = time.monotonic() + 5
        while waiting and time.monotonic() < deadline:
            self_when, found = rig.read_tiles()
            for tile in list(waiting):
                code = found[tile] if tile < len(found) else None
                if code is not None and code[0] == waiting[tile]:
                    gaps.append(max(0.0, self_when - due) * 1000)
                    waiting.pop(tile)
            rig.app.processEvents()
        missing += len(waiting)
        rig.pump(max(0.0, dwell_s * 0.4 - (time.time() - due)))
    runner._step_timer.stop()
    runner._preroll_timer.stop()
    skipped = rig.station.db.query(
        "SELECT text FROM shift_events WHERE kind = 'tour_skip' AND at >= ?",
        (since.isoformat(),),
    )
    runner.stop()
    for cam in offline:
        rig.sim.inject(cam, "clear")
    return {
        "gaps_ms": gaps,
        "missing": missing,
        "prerolled_ready": ready,
        "skip_log": [r["text"] for r in skipped],
    }


def scenario_tour(rig: WallRig, layout: str, cameras: int) -> dict[str, Any]:
    """A pre-rolled tour switches tiles at once; a tour meeting an offline camera skips it."""
    rig.station.duty.start()
    prerolled = run_tour(rig, list(range(cameras)), layout="4", steps=4, dwell_s=2.0, preroll=True)
    rig.shown.clear()
    skipping = run_tour(
        rig, list(range(cameras)), layout="4", steps=2, dwell_s=2.0, preroll=True, offline=(5,)
    )
    offline_name = rig.station.inventory.camera(rig.camera_ids[5]).name
    return {"prerolled": prerolled, "skipping": skipping, "offline_name": offline_name}


def scenario_incident(rig: WallRig, layout: str, cameras: int) -> dict[str, Any]:
    """F8 on a live tile: incident at once, clip from before the press, export, verify."""
    import av
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from simulator.timecode import decode
    from station_console.incidents import Category, ClipState, verify
    from ui.incidents.sheet_pdf import render_sheet

    rig.set_layout("4")
    rig.fill([0, 1])
    rig.wait(lambda: len(rig.shown) >= 2, 30)
    page = rig.page
    page.incident.after_s = 3.0
    rig.pump(6.0)  # some video buffered before the key press
    created: list[Any] = []
    page.incident.created.connect(created.append)
    messages: list[str] = []
    page.message.connect(messages.append)
    page.activateWindow()
    page.wall.tiles[1].setFocus()
    page.wall._select(1)
    rig.pump(0.3)
    pressed = time.time()
    QTest.keyClick(page.wall.tiles[1], Qt.Key.Key_F8)
    out: dict[str, Any] = {"created": rig.wait(lambda: bool(created), 15)}
    out["messages"] = messages
    if not created:
        return out
    incident = created[0]
    out["created_after_s"] = round(time.time() - pressed, 2)
    out["clip_state_at_once"] = incident.clip_state.value
    out["camera"] = incident.camera_id == rig.camera_ids[1]
    out["form_open"] = bool(page.incident.forms)
    if page.incident.forms:
        form = page.incident.forms[0]
        form.category.setCurrentIndex(form.category.findData(Category.SUSPICIOUS_PERSON.value))
        form.report_button.click()
    service = rig.station.incidents
    out["clip_saved"] = rig.wait(
        lambda: service.incident(incident.id).clip_state is not ClipState.PENDING, 20
    )
    done = service.incident(incident.id)
    out["clip_state"] = done.clip_state.value
    out["report_status"] = done.report_status.value
    out["outbox_rows"] = rig.station.db.scalar(
        "SELECT count(*) FROM outbox WHERE entity = 'incident' AND entity_id = ?", (incident.id,)
    )
    clip = next((m for m in service.media_of(incident.id) if m.kind == "clip"), None)
    if clip is not None:
        with av.open(clip.path) as container:
            codes = [decode(f.to_ndarray(format="gray")) for f in container.decode(video=0)]
        readable = [c for c in codes if c is not None]
        out["clip_frames"] = len(codes)
        out["clip_camera"] = sorted({c.camera_index for c in readable})
        if readable:
            out["clip_starts_before_press_s"] = round(pressed - readable[0].epoch_ms / 1000, 2)
            out["clip_ends_after_press_s"] = round(readable[-1].epoch_ms / 1000 - pressed, 2)
    target = rig.root / "export" / f"evidence-{done.number}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    result = rig.station.evidence.export(
        [incident.id], target, as_zip=True, render_sheet=render_sheet
    )
    report = verify(result.path)
    out["export_files"] = report.files
    out["export_verified"] = report.ok
    return out


def scenario_detach(rig: WallRig, layout: str, cameras: int) -> dict[str, Any]:
    """The wall moved to its own window, resized there, and back: each tile's picture is read
    from the screen at every step, so stale pixels around a picture (letterbox bars that
    nobody repaints) or a picture left behind fail it."""
    from PySide6.QtCore import QEvent

    rig.set_layout(layout)
    order = list(range(min(cameras, rig.page.wall.layout_def.size)))
    rig.fill(order)
    all_shown = rig.wait(lambda: len(rig.shown) >= len(order), 30)

    def reads() -> list[int | None]:
        rig.pump(1.5)
        return [f[0] if f else None for f in rig.read_tiles()[1][: len(order)]]

    out: dict[str, Any] = {"all_shown": all_shown, "expected": order, "attached": reads()}
    window = rig.page.detach()
    window.move(0, 0)
    out["detached"] = reads()
    window.resize(1400, 900)
    out["detached_resized"] = reads()
    rig.page.reattach()
    rig.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the detached window goes
    out["reattached"] = reads()
    return out


def scenario_video_output(rig: WallRig, layout: str, cameras: int) -> dict[str, Any]:
    """What libVLC built for the tiles' first pictures, read from libVLC's own log."""
    import ctypes

    import vlc

    from ui.wall.video_player import instance_options, opengl_renderer, vlc_instance

    libc = ctypes.CDLL(None)
    vsnprintf = libc.vsnprintf
    vsnprintf.restype = ctypes.c_int
    vsnprintf.argtypes = (ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p)
    lines: list[str] = []

    @vlc.CallbackDecorators.LogCb  # type: ignore[misc]
    def on_log(_data: Any, _level: int, _ctx: Any, fmt: bytes, args: Any) -> None:
        buf = ctypes.create_string_buffer(512)
        vsnprintf(buf, len(buf), fmt, args)
        text = buf.value.decode(errors="replace")
        if "module matching" in text or text.startswith("using "):
            lines.append(text)

    instance = vlc_instance()
    instance.log_set(on_log, None)
    rig.set_layout(layout)
    order = list(range(min(cameras, rig.page.wall.layout_def.size)))
    rig.fill(order)
    all_shown = rig.wait(lambda: len(rig.shown) >= len(order), 30)
    rig.pump(1.0)
    _when, found = rig.read_tiles()
    instance.log_unset()
    return {
        "all_shown": all_shown,
        "reads": [f[0] if f else None for f in found[: len(order)]],
        "renderer": opengl_renderer(),
        "options": instance_options(),
        "hw_lookups": [line for line in lines if "hw decoder module matching" in line],
        "glx_used": [line for line in lines if '"glx"' in line and line.startswith("using ")],
        "displays_used": sorted({line for line in lines if "using vout display" in line}),
    }


SCENARIOS = {
    "video_output": scenario_video_output,
    "detach": scenario_detach,
    "identity": scenario_identity,
    "recovery": scenario_recovery,
    "enlarge_snapshot": scenario_enlarge_snapshot,
    "rapid_switch": scenario_rapid_switch,
    "tour": scenario_tour,
    "incident": scenario_incident,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--cameras", type=int, default=4)
    parser.add_argument("--layout", default="4")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with xvfb() as display:
        os.environ["DISPLAY"] = display
        rig = WallRig(args.cameras)
        try:
            result = SCENARIOS[args.scenario](rig, args.layout, args.cameras)
        finally:
            rig.close()
    print(json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main()
    # Leave without interpreter finalisation: garbage-collecting libVLC/Qt wrappers after
    # QApplication is gone has crashed (rarely) in C code, which would turn a finished,
    # reported scenario into a failed child process.
    sys.stderr.flush()
    os._exit(0)
