"""Heap kept by libVLC's video outputs per tile start: where the wall soak's growth comes from.

Over the wall soak's 10,000 tile switches (bench/wall.py P11), glibc's heap in use plus its
own mappings of big blocks keep growing after the first 1,000 switches, 3.5-3.7 KB a switch
(2026-11-30: the soak alone, and after the full bench), while Python's objects stay flat
after the first 1,000. This bench takes the
console away and keeps one libVLC player drawing into one native X window, as a tile does
(``set_xwindow``, the console's instance and media options), and starts and stops it again
and again with each video output the console can choose:

- ``gl``: libVLC's default, desktop OpenGL (GLX); what the console uses with a real GPU;
- ``gles2``: OpenGL ES 2 on EGL (``--gl=none``); what the console used on a software OpenGL
  renderer such as this machine's llvmpipe until this bench showed its cost;
- ``x11``: no OpenGL at all (``--gl=none --gles2=none``: XVideo or plain ``xcb_x11``); what
  the console uses on a software renderer now, and the reference.

Each output runs in its own child process (a fresh heap), plays a short H.264 clip made at
start with PyAV, waits for the picture, stops and releases the player; glibc's bytes in use
(``mallinfo2``, after ``malloc_trim``) and RSS are read after a warm-up and at the end.

    python -m bench.vout_memory                 # 200 starts per output
    SC_BENCH_SMOKE=1 python -m bench.vout_memory
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Result, machine, smoke
from drivers.vlc_options import VIDEO_OUTPUT_OPTIONS

REFERENCE = "x11"
WARM_UP = 20  # starts before the first reading: plugins loaded, caches made


def make_clip(path: Path, seconds: int = 4) -> None:
    """A 640×360@25 H.264 clip in MPEG-TS, as a camera's sub stream would be."""
    import av
    import numpy as np

    with av.open(str(path), "w", format="mpegts") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        stream.options = {"preset": "ultrafast", "tune": "zerolatency", "g": "25"}
        for i in range(seconds * 25):
            picture = np.full((360, 640, 3), (i * 7) % 256, np.uint8)
            picture[:, (i * 8) % 640 :, 1] = 200
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def child(output: str, starts: int, clip: str) -> dict[str, Any]:
    """One output, ``starts`` times, in this process (run with DISPLAY set)."""
    from drivers.memory import release_free_memory, tune_malloc

    tune_malloc()  # the console's heaps: two arenas, fixed mmap threshold
    import vlc
    from PySide6.QtWidgets import QApplication

    from bench.wall_bare import black_window, heap_census, proc_status
    from drivers.vlc_options import LIVE_INSTANCE_OPTIONS, LIVE_MEDIA_OPTIONS

    app = QApplication([])
    window = black_window(0, 0, 640, 360)
    app.processEvents()
    handle = int(window.winId())
    instance = vlc.Instance([*LIVE_INSTANCE_OPTIONS, "--no-spu", *VIDEO_OUTPUT_OPTIONS[output]])
    if instance is None:
        raise RuntimeError("libVLC could not start")

    def reading() -> dict[str, int]:
        gc.collect()
        release_free_memory()
        heap, status = heap_census(), proc_status()
        return {"in_use_kb": heap.get("in_use_kb", 0), "rss_kb": status["rss_kb"]}

    pictures = 0
    first: dict[str, int] = {}
    t0 = time.monotonic()
    for i in range(WARM_UP + starts):
        if i == WARM_UP:
            first = reading()
        player = instance.media_player_new()
        player.set_xwindow(handle)
        media = instance.media_new(f"file://{clip}", *LIVE_MEDIA_OPTIONS)
        player.set_media(media)
        media.release()
        player.play()
        end = time.monotonic() + 3.0
        while time.monotonic() < end and not player.has_vout():
            time.sleep(0.01)
        pictures += i >= WARM_UP and bool(player.has_vout())
        time.sleep(0.1)
        player.stop()
        player.release()
    last = reading()
    return {
        "output": output,
        "starts": starts,
        "with_picture": pictures,
        "seconds": round(time.monotonic() - t0, 1),
        "after_warm_up": first,
        "at_end": last,
    }


def run_child(output: str, starts: int, clip: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.vout_memory", "--child", output, str(starts), str(clip)],
        capture_output=True,
        text=True,
        timeout=60 + starts * 5,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{output}: {proc.stderr[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(json.dumps(child(argv[1], int(argv[2]), argv[3])), flush=True)
        return 0
    from tests.render.harness import xvfb

    starts = 6 if smoke() else 200
    result = Result("vout_memory")
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp, xvfb(800, 600) as display:
        os.environ["DISPLAY"] = display
        clip = Path(tmp) / "clip.ts"
        make_clip(clip)
        for output in VIDEO_OUTPUT_OPTIONS:
            runs[output] = run_child(output, starts, clip)
            print(f"  {output}: {runs[output]}", file=sys.stderr, flush=True)

    def per_start(run: dict[str, Any], key: str) -> float:
        return float(run["at_end"][key] - run["after_warm_up"][key]) / float(run["starts"])

    ref_heap = per_start(runs[REFERENCE], "in_use_kb")
    ref_rss = per_start(runs[REFERENCE], "rss_kb")
    for output, run in runs.items():
        # No targets: P11's target is the wall soak's; these say where its growth comes from.
        result.add(f"heap_kept_per_start_{output}_kb", per_start(run, "in_use_kb"), target=None,
                   unit="KB", reference=None if output == REFERENCE else (REFERENCE, ref_heap))  # fmt: skip
        result.add(f"rss_growth_per_start_{output}_kb", per_start(run, "rss_kb"), target=None,
                   unit="KB", reference=None if output == REFERENCE else (REFERENCE, ref_rss))  # fmt: skip
    result.notes = {
        "machine": f"{machine()}; Xvfb 800x600x24, OpenGL is Mesa's llvmpipe",
        "runs": runs,
        "method": (
            f"one python-vlc player per start into one native Qt window (set_xwindow), the "
            f"console's instance and media options plus each output's; {WARM_UP} starts to warm "
            f"up, then {starts} measured: play a 640x360@25 H.264 clip from a file, wait for the "
            "video output, 0.1 s, stop, release. glibc bytes in use (mallinfo2, all arenas) and "
            "RSS after gc and malloc_trim, per start. Each output in a fresh process."
        ),
        "why_x11_is_not_the_wall_output": (
            "In the wall's windows (2026-11-30) libVLC's xcb_x11 output kept its window at the "
            "stream's size (1280x720 in a 938x666 tile) and drew nothing visible; in a plain "
            "native window it scales. Not yet understood, so the wall keeps OpenGL ES 2."
        ),
    }
    path = result.write()
    print(result.summary())
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
