"""The console's real wall under Xvfb against the simulated precinct: P1, P2, P4, P10, P11.

One process runs the wall exactly as the console does (``tests/render/harness.py``'s
``WallRig``: a seeded station, a signed-in duty officer, ``WallPage`` in a real xcb window,
the console's stream gateway, libVLC drawing into native child windows); the simulator runs
in a child process so its encoders are not counted as console CPU. What a tile shows is read
from screenshots: every simulated frame carries its camera index and wall-clock render time.

- **P1 latency**: the 4×4 wall is grabbed many times; latency = grab time − decoded time code.
  References in the same run, alternating rounds, on the same sub stream and decoded from the
  same screenshots: ``ffplay -fflags nobuffer -flags low_delay -framedrop`` reading the
  camera's rtsp:// directly (its own X window), and a bare python-vlc player with libVLC's
  default caching playing the gateway's URL (its own X window).
- **P2 time to first frame**: ``wall.assign()`` → first screenshot whose tile pixels decode
  to the new camera (and, separately, → the wall's ``picture_shown`` event). Cold: a camera
  the gateway does not hold; warm: a second tile with a camera already held, and a re-assign
  within the gateway's linger.
- **P4 capacity**: libVLC's own counters (displayed / lost / decoded pictures) per tile
  against the frames the gateway received for that stream; 16 and 36 tiles. Console CPU per
  displayed picture against bare libVLC players (``bench/wall_bare.py``, a child process with
  the same gateway and libVLC options drawing into plain windows of the same size), in
  alternating rounds.
- **P10 stalls**: a 5 ms precise QTimer on the GUI thread while 16 tiles play, a tile is
  re-assigned every second and the task runner reads the inventory and gateway health.
- **P11 soak**: rapid tile switches across the wall with camera reboots injected through the
  simulator's control channel; RSS, threads and open fds before and after in the same wall
  state (descriptors: the count most of nine reads agree on, so one open or closed for an
  instant is not a leak); every tile must show its camera again at the end.

``--rtsp URL ...`` puts real cameras on the first tiles instead of simulated ones. Their
pictures carry no time code, so they are left out of P1 and the pixel-based P2; what can be
measured for them (event-based first frame, displayed/source frames, recovery state) is in
``notes.rtsp``. URLs may carry ``user:password@``; they are never written to the results.

    python -m bench.wall                    # full run, ~12 min on 2 cores
    SC_BENCH_SMOKE=1 python -m bench.wall   # CI smoke, well under 2 min
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from bench.common import Result, machine, median, percentile, smoke
from bench.wall_bare import (
    STATS_OFF,
    black_window,
    counts_changed,
    cpu_seconds,
    heap_census,
    open_fds,
    picture_counters,
    proc_status,
    source_packets,
    threads_by_name,
)
from drivers.memory import freeze_long_lived, release_free_memory, tune_malloc

ROOT = Path(__file__).resolve().parents[1]
SCREEN = (1960, 1000)  # the wall page (1280×760) at the left, reference windows to its right
REF_RECT = (1300, 0, 640, 360)  # where the reference players draw
WALL_CAMERAS = 16
COLD_POOL = 8  # extra simulated cameras, never on the wall before a cold P2 trial
LINGER_S = 5.0
GRAB_INTERVAL_S = 0.2  # the grabber's pace: ~5 full-screen grabs a second  # the gateway's default linger (drivers.gateway.StreamGateway)


@dataclass(frozen=True)
class Plan:
    """How long each part runs (full vs smoke)."""

    p1_cycles: int
    p1_round_s: float
    p2_trials: int
    p4_seconds: float
    p4_cycles: int
    p10_seconds: float
    p11_switches: int
    p11_reboots: int
    p11_budget_s: float
    warmup_s: float  # after a wall is filled, before counting
    p11_max_starting: int  # tiles whose new picture is not up yet, at most
    p11_starting_expiry_s: float  # stop waiting for a tile's picture after this long

    @staticmethod
    def for_mode(quick: bool) -> Plan:
        if quick:  # exercises every path; the figures mean little
            return Plan(1, 3.0, 1, 1.5, 1, 3.0, 200, 3, 10.0, 0.5, 16, 1.0)
        # The soak's budget fits its 10,000 switches at the 6-10 a second a 2-core machine
        # manages while it also encodes the 24 cameras (6.3 to 9.8/s measured 2026-11-29/30):
        # a budget, not a target; the whole bench stays near 40 minutes.
        return Plan(3, 10.0, 8, 8.0, 2, 30.0, 10_000, 100, 1750.0, 2.0, 6, 3.0)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def finite(values: list[float]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


# -- the rig ---------------------------------------------------------------------------------


def parse_rtsp(url: str) -> dict[str, str]:
    """Split credentials out of an rtsp:// URL (the station stores them apart)."""
    parts = urlsplit(url)
    if parts.scheme not in ("rtsp", "rtsps"):
        raise SystemExit(f"--rtsp expects rtsp:// URLs, got {parts.scheme}://")
    host = parts.hostname or ""
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return {
        "url": clean,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
    }


def make_rig(cameras: int, rtsp: list[dict[str, str]]) -> Any:
    """``WallRig`` whose first cameras are replaced by ``--rtsp`` URLs (before seeding)."""
    from tests.render import harness

    class RtspSimulator(harness.Simulator):
        def __init__(self, n: int) -> None:
            super().__init__(n)
            for cam, real in zip(self.cameras, rtsp, strict=False):
                cam["rtsp_main"] = cam["rtsp_sub"] = real["url"]
                cam["username"], cam["password"] = real["username"], real["password"]

    original = harness.Simulator
    harness.Simulator = RtspSimulator  # type: ignore[misc]
    try:
        rig = harness.WallRig(cameras)
    finally:
        harness.Simulator = original  # type: ignore[misc]
    # The seeded officer has a remembered 4-camera wall (the demo's); the page restores it
    # through the task runner, which on a busy machine takes longer than the rig waits. A
    # late restore would replace the bench's layout mid-run.
    rig.wait(lambda: not rig.page._restoring, 30)
    # The rig retires the seeded plans that would start a tour by themselves (P3 is tours).
    # Pool threads that never expire: thread counts before and after the soak are comparable.
    rig.tasks.pool.setExpiryTimeout(-1)
    rig.page.wall.reaper.pool.setExpiryTimeout(-1)  # the pool that stops players, likewise
    return rig


def run_loop(seconds: float) -> None:
    """A real Qt event loop for ``seconds`` (no Python polling: nothing of ours runs)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    loop.exec()


def grab_rect(rig: Any, rect: tuple[int, int, int, int]) -> Any:
    import numpy as np
    from PySide6.QtGui import QImage

    x, y, w, h = rect
    image = rig.app.primaryScreen().grabWindow(0, x, y, w, h).toImage()
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    array = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    array = array.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
    return array.reshape(image.height(), image.width(), 3).copy()  # the QImage dies here


def decode_at(image: Any, rect: tuple[int, int, int, int]) -> tuple[int, int] | None:
    """(camera index, epoch ms) shown in ``rect`` of a screenshot, or None."""
    from simulator.timecode import decode
    from tests.render.harness import _letterbox_crop

    x, y, w, h = rect
    crop = _letterbox_crop(image[y : y + h, x : x + w])
    code = decode(crop) if crop.size else None
    return (code.camera_index, code.epoch_ms) if code else None


def resting_fds(reads: int = 9, gap_s: float = 0.1) -> tuple[int, dict[str, int], int]:
    """Open descriptors at rest: (the count most reads agree on, of ``reads`` ``gap_s`` apart;
    that read's kinds; most minus fewest). A leaked descriptor is open in every read. Others
    come and go even at rest: libVLC 3 makes an eventfd for every interruptible wait of a
    player's input and closes it after (``src/misc/interrupt.c``, ``vlc_poll_i11e_inner``),
    so with 16 players the eventfds open at an instant move by a few. A single read (run O,
    2026-11-30: "1 leaked") and then the fewest of five (run Q: the "before" rest read 118
    against a steady 120 at every later rest, "2 leaked") both counted that as a leak."""
    seen: list[dict[str, int]] = []
    for i in range(reads):
        if i:
            run_loop(gap_s)
        seen.append(open_fds())
    counts = [sum(census.values()) for census in seen]
    usual = max(set(counts), key=lambda n: (counts.count(n), n))
    return usual, seen[counts.index(usual)], max(counts) - min(counts)


def wait_all_shown(rig: Any, tiles: list[int], timeout: float) -> bool:
    return bool(rig.wait(lambda: all(t in rig.shown for t in tiles), timeout))


class Bench:
    def __init__(self, plan: Plan, rtsp: list[dict[str, str]]) -> None:
        self.plan = plan
        self.rtsp = rtsp
        self.result = Result("wall")
        self.notes: dict[str, Any] = {"load_average": {"start": loadavg()}}
        self.stopping_at_settle: list[int] = []  # players still stopping when counting
        self.fd_census: list[dict[str, int]] = []  # open descriptors by kind at each count
        self.thread_census: list[dict[str, int]] = []  # threads by name at each count
        self.heap_census: list[dict[str, int]] = []  # glibc and Python heaps at each count
        self.rig = make_rig(WALL_CAMERAS + COLD_POOL, rtsp)
        self.real = set(range(len(rtsp)))  # camera indexes that are real RTSP cameras
        freeze_long_lived()  # as the console does once its window is up (ui.startup)

    @property
    def wall(self) -> Any:
        return self.rig.page.wall

    def cam_id(self, index: int) -> str:
        return str(self.rig.camera_ids[index])

    def fill_wall(self, layout: str, cameras: list[int]) -> tuple[bool, dict[int, float]]:
        """Show ``cameras`` in tile order; (all shown, tile → seconds to picture_shown)."""
        rig = self.rig
        if self.wall.layout_def.name != layout:
            rig.set_layout(layout)
        rig.shown.clear()
        t0 = time.time()
        for tile, cam in enumerate(cameras):
            held = self.wall.assigned.get(tile)
            if held is not None and held.camera_id == self.cam_id(cam):
                # Already there: assign() keeps it and no new picture comes (after a layout
                # change the first tiles keep their cameras); shown if it is live.
                if self.wall.tiles[tile].state == "live":
                    rig.shown[tile] = t0
                continue
            self.wall.assign(tile, self.cam_id(cam))
        ok = wait_all_shown(rig, list(range(len(cameras))), 10 if smoke() else 30)
        return ok, {t: rig.shown[t] - t0 for t in rig.shown}

    def on_wall(self) -> dict[int, int]:
        """tile → camera index, as the wall means it."""
        index = {cid: i for i, cid in enumerate(self.rig.camera_ids)}
        return {t: index[a.camera_id] for t, a in self.wall.assigned.items()}

    # -- P1 ----------------------------------------------------------------------------------

    def p1_latency(self) -> None:
        rig, plan = self.rig, self.plan
        rig.pump(1.0)
        rects = rig.tile_rects()
        expect = self.on_wall()
        # The reference plays the first simulated camera that is really on the wall now.
        ref_tile, ref_cam = next(
            (t, c)
            for t, c in sorted(expect.items())
            if c not in self.real and self.wall.assigned[t].opened is not None
        )
        samples: dict[str, list[float]] = {"wall": [], "ffplay": [], "libvlc-default": []}
        paired: dict[str, list[float]] = {"ffplay": [], "libvlc-default": []}
        wrong_camera = 0
        grabs = 0
        ref_started: dict[str, list[float]] = {"ffplay": [], "libvlc-default": []}
        for cycle in range(plan.p1_cycles):
            order = ["ffplay", "libvlc-default"]
            if cycle % 2:
                order.reverse()
            for ref in order:
                stop, started = self._start_reference(ref, ref_cam)
                try:
                    if started is not None:
                        ref_started[ref].append(started)
                    rig.pump(1.0)
                    rects_by_name = {f"t{t}": list(r) for t, r in enumerate(rects)}
                    rects_by_name["ref"] = list(REF_RECT)
                    grabbed = self._grab_round(rects_by_name, plan.p1_round_s)
                    grabs += grabbed["grabs"]
                    for when_ms, name, code_cam, code_ms in grabbed["samples"]:
                        lat = when_ms - code_ms
                        if name == "ref":
                            if code_cam == ref_cam:
                                samples[ref].append(lat)
                            continue
                        tile = int(name[1:])
                        cam = expect.get(tile)
                        if cam is None or cam in self.real:
                            continue
                        if code_cam != cam:
                            wrong_camera += 1
                            continue
                        samples["wall"].append(lat)
                        if tile == ref_tile:
                            paired[ref].append(lat)
                finally:
                    stop()
                rig.pump(0.3)
        wall, ff, vd = samples["wall"], samples["ffplay"], samples["libvlc-default"]
        r = self.result
        r.add("P1_latency_median_ms", median(wall), target=250, unit="ms",
              reference=("ffplay -fflags nobuffer -flags low_delay -framedrop, rtsp direct",
                         median(ff)))  # fmt: skip
        r.add("P1_latency_p95_ms", percentile(wall, 0.95), target=400, unit="ms",
              reference=("ffplay low-delay p95", percentile(ff, 0.95)))  # fmt: skip
        ratio = median(wall) / median(ff) if ff else float("nan")
        r.add("P1_latency_ratio_to_ffplay", ratio, target=1.3, unit="x",
              reference=("ffplay low-delay median ms", median(ff)))  # fmt: skip
        r.metrics["P1_latency_ratio_to_ffplay"]["ratio"] = round(ratio, 3)
        r.add("P1_latency_median_vs_libvlc_default_ms", median(wall), target=250, unit="ms",
              reference=("bare python-vlc, default caching, gateway URL", median(vd)))  # fmt: skip
        self.notes["P1"] = {
            "wall_samples": len(wall),
            "ffplay_samples": len(ff),
            "libvlc_default_samples": len(vd),
            "grabs": grabs,
            "tiles_read_wrong_camera": wrong_camera,
            "wall_p05_ms": round(percentile(wall, 0.05), 1),
            "wall_max_ms": round(max(wall), 1) if wall else None,
            "libvlc_default_p95_ms": round(percentile(vd, 0.95), 1),
            "reference_camera_tile_median_ms": {k: round(median(v), 1) for k, v in paired.items()},
            "reference_first_picture_s": {
                k: [round(x, 2) for x in v] for k, v in ref_started.items()
            },
            "method": (
                f"{plan.p1_cycles} cycle(s) of two {plan.p1_round_s:.0f} s rounds (ffplay, then "
                "libVLC default; order alternates); the 4x4 wall plays throughout and every "
                "full-screen grab (~5/s, bench/wall_grab.py in its own process so decoding never holds "
                "the console's GIL) is decoded for all 16 tiles and the reference window; "
                "latency = grab time - time code of the picture on screen"
            ),
        }

    def _grab_round(self, rects: dict[str, list[int]], seconds: float) -> dict[str, Any]:
        """Grab and decode in a child process while this one just runs its event loop."""
        spec = {"rects": rects, "interval": GRAB_INTERVAL_S, "seconds": seconds}
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "xcb"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.wall_grab", json.dumps(spec)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + seconds + 60
        while proc.poll() is None and time.monotonic() < deadline:
            run_loop(0.1)
        if proc.poll() is None:
            proc.kill()
        out, _ = proc.communicate(timeout=10)
        lines = [ln for ln in out.splitlines() if ln.startswith("{")]
        return dict(json.loads(lines[-1])) if lines else {"grabs": 0, "samples": []}

    def _start_reference(self, kind: str, cam: int) -> tuple[Any, float | None]:
        """Start a reference player on camera ``cam``'s sub stream; (stop, seconds to picture)."""
        rig = self.rig
        t0 = time.monotonic()
        if kind == "ffplay":
            info = rig.sim.cameras[cam]
            parts = urlsplit(info["rtsp_sub"])
            url = urlunsplit(
                (parts.scheme, f"{info['username']}:{info['password']}@{parts.netloc}",
                 parts.path, parts.query, "")
            )  # fmt: skip
            x, y, w, h = REF_RECT
            env = {**os.environ, "SDL_AUDIODRIVER": "dummy", "SDL_VIDEODRIVER": "x11"}
            proc = subprocess.Popen(
                ["ffplay", "-hide_banner", "-loglevel", "error", "-fflags", "nobuffer",
                 "-flags", "low_delay", "-framedrop", "-rtsp_transport", "tcp", "-an", "-sn",
                 "-noborder", "-left", str(x), "-top", str(y), "-x", str(w), "-y", str(h),
                 "-window_title", "sc-bench-ffplay", url],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=env,
            )  # fmt: skip

            def stop() -> None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)

        else:
            import vlc

            from drivers.vlc_options import DEFAULT_INSTANCE_OPTIONS

            window = black_window(*REF_RECT)
            instance = vlc.Instance(list(DEFAULT_INSTANCE_OPTIONS))
            player = instance.media_player_new()
            player.set_xwindow(int(window.winId()))
            tile = next(
                t
                for t, c in self.on_wall().items()
                if c == cam and self.wall.assigned[t].opened is not None
            )
            opened = self.wall.assigned[tile].opened
            media = instance.media_new(opened.url)
            player.set_media(media)
            media.release()
            player.play()

            def stop() -> None:
                # Blocks (libVLC joins its threads): fine here, this is the bench, not the wall.
                player.stop()
                player.release()
                instance.release()
                window.close()
                window.deleteLater()

        started = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rig.pump(0.05)
            code = decode_at(grab_rect(rig, REF_RECT), (0, 0, REF_RECT[2], REF_RECT[3]))
            if code is not None and code[0] == cam:
                started = time.monotonic() - t0
                break
        return stop, started

    # -- P2 ----------------------------------------------------------------------------------

    def _first_picture(self, tile: int, cam: int, timeout: float = 10.0) -> tuple[float, float]:
        """Assign; (s to first screenshot decoding to ``cam``, s to picture_shown); nan if not."""
        rig = self.rig
        rig.shown.pop(tile, None)
        rect = rig.tile_rects()[tile]
        t0 = time.time()
        self.wall.assign(tile, self.cam_id(cam))
        seen = float("nan")
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            rig.app.processEvents()
            when = time.time()
            code = decode_at(grab_rect(rig, rect), (0, 0, rect[2], rect[3]))
            if code is not None and code[0] == cam:
                seen = when - t0
                break
            time.sleep(0.015)  # ~20 ms resolution; the decode holds the GIL, keep it rare
        rig.wait(lambda: tile in rig.shown, 3)
        event = rig.shown[tile] - t0 if tile in rig.shown else float("nan")
        return seen, event

    def p2_first_frame(self) -> None:
        rig, wall = self.rig, self.wall
        a, b = 14, 15  # the trial tiles; tiles 0..13 keep playing (the usual busy wall)
        restore = self.on_wall()
        wall.clear_tile(a)
        wall.clear_tile(b)
        rig.pump(0.5)
        cold: list[tuple[float, float]] = []
        warm_second: list[tuple[float, float]] = []
        warm_linger: list[tuple[float, float]] = []
        for trial in range(self.plan.p2_trials):
            cam = WALL_CAMERAS + trial % COLD_POOL
            cold.append(self._first_picture(a, cam))
            rig.pump(0.5)
            warm_second.append(self._first_picture(b, cam))
            rig.pump(0.5)
            wall.clear_tile(a)
            wall.clear_tile(b)
            rig.pump(0.8)  # well inside the gateway's 5 s linger
            warm_linger.append(self._first_picture(a, cam))
            rig.pump(0.5)
            wall.clear_tile(a)
            rig.pump(0.3)
        warm = warm_second + warm_linger
        r = self.result
        cold_px = finite([c[0] * 1000 for c in cold])
        warm_px = finite([w[0] * 1000 for w in warm])
        r.add("P2_first_frame_cold_median_ms", median(cold_px), target=1000, unit="ms")
        r.add("P2_first_frame_warm_median_ms", median(warm_px), target=400, unit="ms")
        r.add("P2_first_frame_cold_event_median_ms",
              median(finite([c[1] * 1000 for c in cold])), target=1000, unit="ms")  # fmt: skip
        r.add("P2_first_frame_warm_event_median_ms",
              median(finite([w[1] * 1000 for w in warm])), target=400, unit="ms")  # fmt: skip

        def ms(pairs: list[tuple[float, float]]) -> list[list[float | None]]:
            return [[None if math.isnan(x) else round(x * 1000) for x in p] for p in pairs]

        self.notes["P2"] = {
            "trials": self.plan.p2_trials,
            "cold_ms_pixels_event": ms(cold),
            "warm_second_tile_ms_pixels_event": ms(warm_second),
            "warm_reassign_in_linger_ms_pixels_event": ms(warm_linger),
            "cold_failed": len(cold) - len(cold_px),
            "warm_failed": len(warm) - len(warm_px),
            "method": (
                "on the 4x4 wall with 14 tiles playing: wall.assign() -> first grab of the tile "
                "whose pixels decode to the new camera (and -> the wall's picture_shown event, "
                "libVLC's Vout). Cold = a simulated camera the gateway never held (the "
                "simulator starts its encoder with a key frame, so no wait for the next GOP as "
                "with a real camera mid-GOP); warm = the same camera on a second tile, and "
                "re-assigned 0.8 s after both tiles let it go (gateway linger 5 s)"
            ),
            "reference_literature": "VLC direct cold start 1-2 s (targets.md)",
        }
        for tile in (a, b):
            wall.assign(tile, self.cam_id(restore[tile]))
        wait_all_shown(rig, [a, b], 15)

    # -- P4 ----------------------------------------------------------------------------------

    def _console_round(self, layout: str, cameras: list[int], seconds: float) -> dict[str, Any]:
        rig, wall = self.rig, self.wall
        ok, _ = self.fill_wall(layout, cameras)
        # A full collection now, not in the window (it would count in the console's CPU).
        # Before the warm-up: it holds the GIL for as long as it takes (61-81 ms here before
        # the long-lived objects were frozen, drivers.memory), the gateway's threads send
        # nothing meanwhile and the pictures that then arrive late are dropped; counted from
        # right after it, the window charged the console with them.
        gc.collect()
        run_loop(self.plan.warmup_s)  # GOP bursts, first pictures, event storms over
        gateway = rig.page.streams.gateway
        tiles = list(range(len(cameras)))
        players = [wall.tiles[t].front_player() for t in tiles]
        keys = [wall.assigned[t].opened.key if wall.assigned[t].opened else "" for t in tiles]
        before = [picture_counters(p.player) if p else None for p in players]
        src_before = {k: source_packets(gateway, k) for k in set(keys)}
        cpu0, t0 = cpu_seconds(), time.monotonic()
        run_loop(seconds)
        cpu1, t1 = cpu_seconds(), time.monotonic()
        # Only a player still in its tile may be asked: one that left was handed to a worker
        # to be stopped and released, and libVLC crashes on a released player.
        same = [p is not None and wall.tiles[t].front_player() is p for t, p in enumerate(players)]
        after = [
            picture_counters(p.player) if p and ok else None
            for p, ok in zip(players, same, strict=True)
        ]
        src_after = {k: source_packets(gateway, k) for k in set(keys)}
        out = []
        for t in tiles:
            b, a = before[t], after[t]
            sb, sa = src_before[keys[t]], src_after[keys[t]]
            out.append(
                {
                    "displayed": (a[0] - b[0]) if a and b and same[t] else None,
                    "lost": (a[1] - b[1]) if a and b and same[t] else None,
                    "decoded": (a[2] - b[2]) if a and b and same[t] else None,
                    "source": (sa - sb) if sa is not None and sb is not None else None,
                }
            )
        return {"cpu_s": cpu1 - cpu0, "wall_s": t1 - t0, "all_shown": ok, "tiles": out}

    def _bare_round(self, cameras: list[int], rects: list[Any], seconds: float) -> dict[str, Any]:
        from ui.wall.video_player import instance_options

        # The console lets its players and (after the linger) its sessions go first; the
        # child needs ~3 s to start anyway.
        self.wall.clear_all()
        run_loop(LINGER_S + 1.0 - 3.0 if not smoke() else 0.5)
        streams = []
        for cam in sorted(set(cameras), key=cameras.index):
            info = self.rig.sim.cameras[cam]
            streams.append(
                {"url": info["rtsp_sub"], "username": info["username"],
                 "password": info["password"]}
            )  # fmt: skip
        order = sorted(set(cameras), key=cameras.index)
        spec = {
            "streams": streams,
            "rects": [list(rects[t]) for t in range(len(cameras))],
            "options": instance_options(),  # the console's, for this machine
            "warmup": self.plan.warmup_s,
            "start_timeout": 5.0 if smoke() else 20.0,
            "seconds": seconds,
        }
        # Tile t of the bare side plays stream t % len(streams); keep the wall's mapping.
        assert all(order[t % len(order)] == cameras[t] for t in range(len(cameras)))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "xcb"}
        proc = subprocess.run(
            [sys.executable, "-m", "bench.wall_bare", json.dumps(spec)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"bare libVLC players failed: {proc.stderr[-2000:]}")
        return dict(json.loads(lines[-1]))

    @staticmethod
    def _summarise(round_: dict[str, Any]) -> dict[str, float]:
        tiles = round_["tiles"]
        displayed = sum(t["displayed"] or 0 for t in tiles)
        # libVLC counts a redisplay of the same picture (its vout refreshes every 80 ms when no
        # new one comes) as displayed: new pictures shown ≈ min(displayed, decoded - lost).
        for t in tiles:
            if t["displayed"] is not None and t["decoded"] is not None:
                t["shown"] = min(t["displayed"], max(0, t["decoded"] - (t["lost"] or 0)))
            else:
                t["shown"] = None
        ratios = [t["shown"] / t["source"] for t in tiles if t["shown"] is not None and t["source"]]
        raw = [
            t["displayed"] / t["source"]
            for t in tiles
            if t["displayed"] is not None and t["source"]
        ]
        fps = [t["shown"] / round_["wall_s"] for t in tiles if t["shown"] is not None]
        src_fps = [t["source"] / round_["wall_s"] for t in tiles if t["source"] is not None]
        return {
            "cpu_ms_per_frame": 1000 * round_["cpu_s"] / displayed if displayed else math.nan,
            "cpu_pct_of_one_core": 100 * round_["cpu_s"] / round_["wall_s"],
            "displayed_ratio_min_pct": 100 * min(ratios) if ratios else math.nan,
            "displayed_ratio_median_pct": 100 * median(ratios) if ratios else math.nan,
            "libvlc_displayed_counter_ratio_median_pct": 100 * median(raw) if raw else math.nan,
            "fps_min": min(fps) if fps else math.nan,
            "fps_median": median(fps),
            "source_fps_median": median(src_fps),
            "lost_total": sum(t["lost"] or 0 for t in tiles),
            "tiles_counted": len(fps),
        }

    def p4_capacity(self) -> None:
        plan = self.plan
        per: dict[str, list[dict[str, Any]]] = {}
        for size, layout in ((16, "16"), (36, "36")):
            cameras = [i % WALL_CAMERAS for i in range(size)]
            for cycle in range(plan.p4_cycles):
                sides = ["console", "bare"] if cycle % 2 == 0 else ["bare", "console"]
                for side in sides:
                    if side == "console":
                        rnd = self._console_round(layout, cameras, plan.p4_seconds)
                        rects = self.rig.tile_rects()
                        self._last_rects = rects
                    else:
                        if not hasattr(self, "_last_rects") or len(self._last_rects) != size:
                            self.rig.set_layout(layout)
                            self._last_rects = self.rig.tile_rects()
                        rnd = self._bare_round(cameras, self._last_rects, plan.p4_seconds)
                    rnd["load"] = loadavg()
                    per.setdefault(f"{side}{size}", []).append(rnd)
        summary = {k: [self._summarise(r) for r in v] for k, v in per.items()}

        def pooled(key: str, field: str, how: Any = median) -> float:
            return float(how([s[field] for s in summary[key]]))

        r = self.result
        r.add("P4_displayed_ratio_16_tiles_min_pct", pooled("console16", "displayed_ratio_min_pct",
              min), target=95, unit="%", better="higher")  # fmt: skip
        r.add("P4_fps_36_tiles_min", pooled("console36", "fps_min", min), target=12, unit="fps",
              better="higher")  # fmt: skip
        for size in (16, 36):
            c = pooled(f"console{size}", "cpu_ms_per_frame")
            b = pooled(f"bare{size}", "cpu_ms_per_frame")
            r.add(f"P4_cpu_per_frame_{size}_tiles_ms", c, target=None, unit="ms CPU/frame",
                  reference=("bare libVLC players, same streams and options", b))  # fmt: skip
            r.metrics[f"P4_cpu_per_frame_{size}_tiles_ms"]["met"] = c / b <= 1.15
            r.metrics[f"P4_cpu_per_frame_{size}_tiles_ms"]["target"] = "ratio <= 1.15"
            r.add(f"P4_cpu_per_frame_ratio_{size}_tiles", c / b, target=1.15, unit="x",
                  reference=("bare libVLC ms CPU/frame", b))  # fmt: skip
            r.metrics[f"P4_cpu_per_frame_ratio_{size}_tiles"]["ratio"] = round(c / b, 3)
        self.notes["P4"] = {
            "rounds": {
                k: [
                    {f: (round(x, 2) if isinstance(x, float) else x) for f, x in s.items()}
                    for s in v
                ]
                for k, v in summary.items()
            },
            "load_per_round": {k: [rd["load"] for rd in v] for k, v in per.items()},
            "seconds_per_round": plan.p4_seconds,
            "method": (
                "libVLC's own counters per tile (displayed/lost/decoded pictures, libvlc_media_"
                "get_stats on each tile's front player) over a window after 2 s of warm-up, "
                "against the video packets the gateway received for that stream in the same "
                "window; 36 tiles show the 16 simulated sub streams (shared sessions). CPU = "
                "os.times() of the console process (the simulator is a child, not counted) / "
                "displayed pictures; the bare side is bench/wall_bare.py (gateway + python-vlc "
                "with the console's options into plain windows of the tiles' size), rounds "
                "alternate. libVLC stats are on for both sides (the console ships --no-stats)."
            ),
        }

    # -- P10 ---------------------------------------------------------------------------------

    def p10_stalls(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        rig, wall = self.rig, self.wall
        ok, _ = self.fill_wall("16", list(range(WALL_CAMERAS)))
        run_loop(self.plan.warmup_s)
        gaps: list[float] = []
        last = [0.0]
        counters = {"switches": 0, "tasks": 0, "task_errors": 0}

        # Where a stall's time went, from the GUI thread's own scheduler counters (Linux
        # schedstat: time on a core, time runnable but waiting for one); the rest it slept,
        # i.e. waited for the GIL, a lock or the X server. The kernel brings a running
        # thread's time on a core up to date only at its scheduler ticks: a few ms either way.
        sched = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
        ticks: list[tuple[int, int]] = []  # (ns on a core, ns waiting for one) at each probe
        probe_at: list[float] = []  # when each probe ran

        def schedstat() -> tuple[int, int]:
            try:
                on_cpu, waiting, _slices = sched.read_text().split()
                return int(on_cpu), int(waiting)
            except (OSError, ValueError):  # not Linux, or no schedstats
                return 0, 0

        def probe() -> None:
            now = time.perf_counter()
            probe_at.append(now)
            ticks.append(schedstat())
            if last[0]:
                gaps.append((now - last[0]) * 1000 - 5.0)
            last[0] = now

        # The GUI thread's own work inside a stall: the bench's timer callbacks, timed.
        calls: list[tuple[float, float, str]] = []  # (start, ms, name)

        def timed(name: str, fn: Any) -> Any:
            def run() -> None:
                t = time.perf_counter()
                fn()
                calls.append((t, (time.perf_counter() - t) * 1000, name))

            return run

        # Which stalls a garbage collection explains: a collection runs on whichever thread
        # allocates, holding the GIL, so the GUI thread waits for it from any thread.
        collections: list[tuple[float, int, float]] = []  # (end, generation, ms)
        began = [0.0]

        def gc_watch(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                began[0] = time.perf_counter()
            else:
                ended = time.perf_counter()
                collections.append((ended, int(info["generation"]), (ended - began[0]) * 1000))

        def switch() -> None:  # assign/unassign cycle: one tile flips to a spare camera
            n = counters["switches"]
            tile = (n * 5) % WALL_CAMERAS
            cam = WALL_CAMERAS + n % COLD_POOL if n % 2 == 0 else tile
            if n % 4 == 3:
                wall.clear_tile(tile)
            wall.assign(tile, self.cam_id(cam))
            counters["switches"] += 1

        gateway = rig.page.streams.gateway

        def background() -> None:  # health-style work on the task runner
            def work() -> int:
                cams = rig.station.inventory.cameras()
                health = gateway.all_health()
                return len(cams) + len(health)

            counters["tasks"] += 1
            rig.tasks.run(
                work,
                on_error=lambda _e: counters.__setitem__(
                    "task_errors", counters["task_errors"] + 1
                ),
            )

        timers = []
        for interval, fn, precise in ((5, probe, True), (1000, timed("switch", switch), False),
                                      (100, timed("background", background), False)):  # fmt: skip
            t = QTimer()
            t.setInterval(interval)
            if precise:
                t.setTimerType(Qt.TimerType.PreciseTimer)
            t.timeout.connect(fn)
            t.start()
            timers.append(t)
        gc.callbacks.append(gc_watch)
        try:
            run_loop(self.plan.p10_seconds)
        finally:
            gc.callbacks.remove(gc_watch)
        for t in timers:
            t.stop()
        lateness = [max(0.0, g) for g in gaps]
        worst = sorted(range(len(gaps)), key=lambda i: -gaps[i])[:5]

        def window(i: int) -> tuple[float, float]:
            """When stall ``i`` began and ended (it ends at probe tick i + 1)."""
            end = probe_at[i + 1] if i + 1 < len(probe_at) else math.inf
            return end - (gaps[i] + 5.0) / 1000, end

        def during(i: int) -> str:
            """The collections inside stall ``i``."""
            start, end = window(i)
            inside = [f"gen{g} {ms:.0f} ms" for t, g, ms in collections if start <= t <= end]
            return ", ".join(inside) or "no collection"

        def spent(i: int) -> dict[str, Any]:
            """Stall ``i`` split into the GUI thread's time on a core, waiting for a core and
            asleep, and the bench's callbacks that ran in it."""
            start, end = window(i)
            out: dict[str, Any] = {"stall_ms": round(gaps[i], 1)}
            if i + 1 < len(ticks) and ticks[i + 1] != (0, 0):
                on_cpu = (ticks[i + 1][0] - ticks[i][0]) / 1e6
                waiting = (ticks[i + 1][1] - ticks[i][1]) / 1e6
                out.update(
                    on_core_ms=round(on_cpu, 1),
                    waiting_for_core_ms=round(waiting, 1),
                    asleep_ms=round(max(0.0, gaps[i] + 5.0 - on_cpu - waiting), 1),
                )
            out["callbacks"] = [
                f"{name} {ms:.1f} ms" for t, ms, name in calls if start <= t <= end and ms >= 1
            ]
            out["collections"] = during(i)
            return out

        r = self.result
        r.add("P10_stall_max_ms", max(lateness) if lateness else math.nan, target=50, unit="ms")
        r.add("P10_stall_p99_ms", percentile(lateness, 0.99), target=16, unit="ms")
        self.notes["P10"] = {
            "probe_ticks": len(gaps),
            "expected_ticks": int(self.plan.p10_seconds * 200),
            "p50_ms": round(percentile(lateness, 0.5), 2),
            "p95_ms": round(percentile(lateness, 0.95), 2),
            "over_16ms": sum(g > 16 for g in lateness),
            "worst": [spent(i) for i in worst if i + 1 < len(probe_at)],
            "switch_ms_max": round(max((ms for _t, ms, n in calls if n == "switch"), default=0), 1),
            "collections_count_max_ms": {
                f"gen{g}": [len(ms), round(max(ms, default=0.0), 1)]
                for g in (0, 1, 2)
                for ms in ([c[2] for c in collections if c[1] == g],)
            },
            "wall_filled": ok,
            "background": counters,
            "seconds": self.plan.p10_seconds,
            "method": (
                "QTimer (PreciseTimer) every 5 ms on the GUI thread inside a real event loop; "
                "stall = interval - 5 ms. Meanwhile 16 tiles play, one tile is re-assigned "
                "every second (a spare camera / back, every 4th via clear_tile first) and the "
                "task runner reads the inventory and all gateway health every 100 ms. Each of "
                "the worst stalls is split, from the GUI thread's schedstat, into time on a "
                "core, runnable but waiting for a core, and asleep (GIL, locks, X), with the "
                "bench's callbacks (>= 1 ms) and garbage collections inside it"
            ),
        }
        self.fill_wall("16", list(range(WALL_CAMERAS)))

    # -- P11 ---------------------------------------------------------------------------------

    def _rings_full(self, timeout: float) -> dict[str, float]:
        """Wait until every open stream's incident ring buffer holds its full window.

        The buffers (``ring_seconds`` of each open stream, by design the gateway's largest
        memory) fill over the first 30 s a stream is open; a soak whose before/after
        measurements catch them at different fill levels measures that, not a leak."""
        gateway = self.rig.page.streams.gateway
        want = gateway.ring_seconds - 2.0  # trimmed a GOP at a time
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            held = gateway.buffered()
            if held and all(seconds >= want for seconds, _ in held.values()):
                break
            run_loop(0.5)
        held = gateway.buffered()
        return {
            "streams": len(held),
            "min_seconds": round(min((s for s, _ in held.values()), default=0.0), 1),
            "mb": round(sum(b for _, b in held.values()) / 2**20, 1),
        }

    def _settle(self) -> dict[str, int]:
        rig = self.rig
        run_loop(LINGER_S + 1.5 if not smoke() else 1.0)  # sessions close after the linger
        rig.tasks.wait(10_000)
        # Players still stopping hold their libVLC threads, X connection and sockets; count
        # what stays once they are gone, and how many were still stopping.
        self.stopping_at_settle.append(sum(self.wall._stopping.values()))
        self.wall.reaper.wait(30_000)
        run_loop(0.5)
        gc.collect()
        # Free heap handed back first, as the console does every 10 s after players stop
        # (drivers.memory): the figure is what the process holds, not when glibc last trimmed.
        release_free_memory()
        usual, by_kind, spread = resting_fds()
        self.fd_census.append(by_kind)
        self.thread_census.append(threads_by_name())
        self.heap_census.append(heap_census())
        status = proc_status()
        status["fds"], status["fds_spread"] = usual, spread
        return status

    def _at_rest(self, home: list[int]) -> tuple[dict[str, int], dict[str, float]]:
        """The soak's measuring point: the home cameras on the wall, ring buffers full,
        settled; (process counts, ring buffers)."""
        self.fill_wall("16", home)
        rings = self._rings_full(45.0 if not smoke() else 2.0)
        return self._settle(), rings

    def _tiles_showing_their_camera(self, timeout: float) -> tuple[int, list[int]]:
        """Wait until every tile shows its camera; (tiles ok, tiles not ok)."""
        rig = self.rig
        expect = self.on_wall()
        good: set[int] = set()
        end = time.monotonic() + timeout
        while time.monotonic() < end and len(good) < len(expect):
            rects = rig.tile_rects()
            _, image = rig.grab()
            for tile, cam in expect.items():
                if cam in self.real:
                    if self.wall.tiles[tile].state == "live":
                        good.add(tile)
                    continue
                code = decode_at(image, rects[tile])
                if code is not None and code[0] == cam:
                    good.add(tile)
            rig.pump(0.3)
        return len(good), sorted(set(expect) - good)

    def p11_soak(self) -> None:
        rig, wall, plan = self.rig, self.wall, self.plan
        home = list(range(WALL_CAMERAS))
        before, ring = self._at_rest(home)
        census_from = len(self.fd_census) - 1  # the descriptors at "before"
        rings = [ring]
        rng = random.Random(11)
        pool = list(range(WALL_CAMERAS + COLD_POOL))
        sim_cams = [c for c in pool if c not in self.real]
        pending: dict[int, float] = {}

        def shown(tile: int, _cam: str) -> None:
            pending.pop(tile, None)

        wall.picture_shown.connect(shown)
        switches = reboots = 0
        reboot_every = plan.p11_budget_s / max(1, plan.p11_reboots)
        next_reboot = time.monotonic() + reboot_every / 2
        t0 = time.monotonic()
        deadline = t0 + plan.p11_budget_s
        max_pending = plan.p11_max_starting
        # RSS as the soak goes (players starting and stopping included): a leak grows in a
        # straight line, a cache or a warm-up levels off.
        curve: list[tuple[int, float, float]] = []
        every = max(1, plan.p11_switches // 20)
        half: dict[str, int] | None = None
        tenth: dict[str, int] | None = None
        paused = 0.0  # seconds spent settling half-way, not switching
        while switches < plan.p11_switches and time.monotonic() < deadline:
            # Measured at rest after a tenth and half-way too: growth after these points tells
            # a leak (it goes on) from a warm-up of caches and heaps (it levels off).
            at_tenth = tenth is None and switches >= plan.p11_switches // 10
            at_half = half is None and (
                switches >= plan.p11_switches // 2 or time.monotonic() - t0 >= plan.p11_budget_s / 2
            )
            if at_tenth or at_half:
                t_settle = time.monotonic()
                point, ring = self._at_rest(home)
                tenth = point if at_tenth else tenth
                half = point if at_half else half
                rings.append(ring)
                pending.clear()
                took = time.monotonic() - t_settle
                paused += took
                deadline += took
                next_reboot += took
            now = time.monotonic()
            if reboots < plan.p11_reboots and now >= next_reboot:
                victim = rng.choice([c for c in self.on_wall().values() if c in sim_cams])
                rig.sim.inject(victim, "reboot", seconds=2)
                reboots += 1
                next_reboot += reboot_every
            for tile, since in list(pending.items()):
                if now - since > plan.p11_starting_expiry_s:  # e.g. a rebooting camera
                    del pending[tile]
            if len(pending) >= max_pending:
                run_loop(0.002)
                continue
            if switches % 10 == 9 and pending:
                tile = rng.choice(list(pending))  # switch a tile whose player is still starting
            else:
                idle = [t for t in range(WALL_CAMERAS) if t not in pending]
                tile = rng.choice(idle)
            current = self.on_wall().get(tile)
            cam = rng.choice([c for c in pool if c != current])
            pending[tile] = now
            wall.assign(tile, self.cam_id(cam))
            switches += 1
            if switches % every == 0:
                rss = (proc_status()["rss_kb"] - before["rss_kb"]) / 1024
                curve.append((switches, round(now - t0, 1), round(rss, 1)))
            # A real event loop, as in the console: processEvents() outside one does not run
            # deleteLater(), so every retired surface and tile stayed allocated until the soak
            # ended (probe: 4,000 widgets deleted so under processEvents: +20 MB held; under
            # an event loop: +0.2 MB).
            run_loop(0)
        soak_s = time.monotonic() - t0 - paused
        # Reboots still owed when the switches finished first (smoke): inject them now.
        while reboots < plan.p11_reboots:
            victim = rng.choice([c for c in self.on_wall().values() if c in sim_cams])
            rig.sim.inject(victim, "reboot", seconds=2)
            reboots += 1
            rig.pump(0.5)
        wall.picture_shown.disconnect(shown)
        run_loop(3.0)  # the last reboot is over (2 s) before we start looking
        ok, missing = self._tiles_showing_their_camera(25.0 if not smoke() else 5.0)
        final_states = {t: wall.tiles[t].state for t in missing}
        after, ring = self._at_rest(home)
        rings.append(ring)
        r = self.result
        r.add("P11_rss_growth_mb", (after["rss_kb"] - before["rss_kb"]) / 1024, target=50,
              unit="MB")  # fmt: skip
        # No targets of their own: they tell a warm-up from a leak.
        if tenth is not None:
            r.add("P11_rss_growth_after_first_tenth_mb", (after["rss_kb"] - tenth["rss_kb"]) / 1024,
                  target=None, unit="MB")  # fmt: skip
        if half is not None:
            r.add("P11_rss_growth_second_half_mb", (after["rss_kb"] - half["rss_kb"]) / 1024,
                  target=None, unit="MB")  # fmt: skip
        r.add("P11_threads_leaked", after["threads"] - before["threads"], target=0,
              unit="threads")  # fmt: skip
        r.add("P11_fds_leaked", after["fds"] - before["fds"], target=0, unit="fds")
        r.add("P11_tiles_recovered_pct", 100 * ok / WALL_CAMERAS, target=100, unit="%",
              better="higher")  # fmt: skip
        r.add("P11_switches", switches, target=plan.p11_switches, unit="switches",
              better="higher")  # fmt: skip
        r.add("P11_reboots", reboots, target=plan.p11_reboots, unit="reboots", better="higher")
        self.notes["P11"] = {
            "before": before,
            "after_a_tenth": tenth,
            "half_way": half,
            "after": after,
            "ring_buffers_at_each_rest": rings,
            "soak_seconds": round(soak_s, 1),
            "switches_per_s": round(switches / soak_s, 2) if soak_s else None,
            "budget_s": plan.p11_budget_s,
            "tiles_not_recovered": missing,
            "rss_growth_mb_during": {
                "every_switches": every,
                "switches_seconds_mb": curve,
            },
            "players_still_stopping_before_after": self.stopping_at_settle[-2:],
            # At each later rest (a tenth, half-way, after): kinds whose count changed since
            # "before", so a descriptor that comes and goes is named as well as one that stays.
            "fds_changed_by_kind": [
                counts_changed(self.fd_census[census_from], census)
                for census in self.fd_census[census_from + 1 :]
            ],
            # Likewise the threads, by name.
            "threads_changed_by_name": [
                counts_changed(self.thread_census[census_from], census)
                for census in self.thread_census[census_from + 1 :]
            ],
            # glibc's heaps and Python's blocks at each rest from "before": with the RSS kinds
            # in before/after, they say whether growth is held, fragmented or mapped files.
            "heap_at_each_rest": self.heap_census[census_from:],
            "their_states": final_states,
            "fitted": switches >= plan.p11_switches,
            "method": (
                "16 tiles; each switch assigns a random other camera of 24 (16 on the wall + 8 "
                f"spares: cold and warm starts) to a tile whose picture is up, at most "
                f"{max_pending} starting at once, every 10th switch hits a tile still starting; "
                "reboots (2 s) of cameras on the wall spread over the budget via the simulator "
                "control channel. Before/after: the same 16 cameras on the wall, "
                f"{LINGER_S + 1.5:.1f} s after the last change, task pool threads never expire; "
                "open descriptors: the count most of nine reads 0.1 s apart agree on (fds_spread: "
                "most minus fewest)"
            ),
        }
        if switches < plan.p11_switches:
            self.notes["P11"]["not_fitted"] = (
                f"{switches} of {plan.p11_switches} switches fitted in the "
                f"{plan.p11_budget_s:.0f} s budget on this machine"
            )

    # -- RTSP cameras ------------------------------------------------------------------------

    def rtsp_notes(self, first_shown: dict[int, float]) -> None:
        if not self.rtsp:
            return
        gateway = self.rig.page.streams.gateway
        out = []
        for cam in sorted(self.real):
            tile = next((t for t, c in self.on_wall().items() if c == cam), None)
            entry: dict[str, Any] = {"camera": cam, "tile": tile}
            if tile is not None:
                a = self.wall.assigned[tile]
                entry["first_picture_event_s"] = first_shown.get(tile)
                entry["state"] = self.wall.tiles[tile].state
                health = gateway.health(a.opened.key) if a.opened else None
                if health is not None:
                    entry.update(codec=health.codec, size=f"{health.width}x{health.height}",
                                 fps=health.fps)  # fmt: skip
            out.append(entry)
        self.notes["rtsp"] = {
            "cameras": out,
            "not_measured": "latency and pixel-based first frame (no time code in the picture)",
        }

    # -- all -----------------------------------------------------------------------------------

    def run(self, only: set[str] | None = None) -> Result:
        phases = self.notes.setdefault("phase_seconds", {})
        t = time.monotonic()
        ok, first = self.fill_wall("16", list(range(WALL_CAMERAS)))
        self.notes["fill_16"] = {
            "all_shown": ok,
            "first_picture_event_s": sorted(round(x, 2) for x in first.values()),
        }
        phases["fill"] = round(time.monotonic() - t, 1)
        self.rtsp_notes(first)
        for name, fn in (("P1", self.p1_latency), ("P2", self.p2_first_frame),
                         ("P4", self.p4_capacity), ("P10", self.p10_stalls),
                         ("P11", self.p11_soak)):  # fmt: skip
            if only and name not in only:
                continue
            t = time.monotonic()
            self.notes["load_average"][f"before_{name}"] = loadavg()
            fn()
            phases[name] = round(time.monotonic() - t, 1)
            print(f"  {name} done in {phases[name]:.0f} s, load {loadavg()}", flush=True)
        self.notes["load_average"]["end"] = loadavg()
        self.result.notes = self.notes
        return self.result

    def close(self) -> None:
        self.rig.close()


def write(result: Result, plan: Plan, rtsp: list[dict[str, str]], started: float) -> Path:
    import vlc

    result.notes["machine"] = f"{machine()}; Xvfb {SCREEN[0]}x{SCREEN[1]}x24, no GPU"
    result.notes["libvlc"] = vlc.libvlc_get_version().decode()
    result.notes["plan"] = plan.__dict__
    result.notes["rtsp_cameras"] = len(rtsp)
    result.notes["runtime_s"] = round(time.monotonic() - started, 1)
    path = result.write()
    # The shared writer states cores/OS; add what matters for a wall (X server, no GPU, load).
    body = json.loads(path.read_text("utf-8"))
    body["machine"] = result.notes["machine"]
    body["load_average"] = result.notes["load_average"]
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rtsp", nargs="*", default=[], help="real cameras for the first tiles")
    parser.add_argument("--only", nargs="*", default=[], help="run only these parts (P1 P2 ...)")
    args = parser.parse_args()
    rtsp = [parse_rtsp(u) for u in args.rtsp]
    if len(rtsp) >= WALL_CAMERAS:
        raise SystemExit(f"at most {WALL_CAMERAS - 1} --rtsp URLs (one tile stays simulated)")
    for tool in ("Xvfb", "ffplay"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed")
    sys.path.insert(0, str(ROOT))
    # The console's malloc tuning, first, as in its own start-up (ui.app.run_gui): the arena
    # limit cannot remove arenas that threads already made. Tuned later (when the wall made its
    # libVLC instance) the bench ran on nine arenas, not the console's two: it measured a
    # process configured unlike the console.
    tune_malloc()
    os.environ.setdefault("SC_NO_KEYRING", "1")
    import faulthandler

    faulthandler.enable()
    import drivers.vlc_options as vlc_options
    from tests.render.harness import xvfb

    # libVLC's picture counters (P4) need stats; everything else is the console's own tuning.
    vlc_options.LIVE_INSTANCE_OPTIONS = tuple(
        o for o in vlc_options.LIVE_INSTANCE_OPTIONS if o != STATS_OFF
    )
    plan = Plan.for_mode(smoke())
    started = time.monotonic()
    with xvfb(*SCREEN) as display:
        os.environ["DISPLAY"] = display
        bench = Bench(plan, rtsp)
        try:
            result = bench.run(set(args.only))
            # Written before the wall closes: closing waits for libVLC players to stop, and a
            # player whose stop() hangs (seen after the soak) must not cost the results.
            path = write(result, plan, rtsp, started)
            print(result.summary())
            print(f"load average: {loadavg()}; runtime {result.notes['runtime_s']:.0f} s")
            print(f"written {path}", flush=True)
        finally:
            bench.close()
    # Interpreter finalisation after libVLC + PySide6 sometimes aborts in the garbage collector
    # ("bool_dealloc", a refcount bug in a C extension, seen in the render harness too); the
    # results are written and every child is gone, so leave without finalising.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
