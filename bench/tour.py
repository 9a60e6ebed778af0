"""P3: tour step gap — how long a tile shows black or a stale picture when a tour steps on.

The console's real wall runs under Xvfb against the simulated precinct (tests/render/harness);
at every step the screen is grabbed until each tile's pixels decode to the new camera's time
code, and the gap is "grab time − step due time". The same tour is run twice in one process,
alternating blocks of steps: with pre-roll (the console's behaviour: the next cameras are
decoded on hidden surfaces before the step) and without (switch, then connect), and the
ratio is reported. Grab resolution bounds what can be seen: a gap shorter than one grab of
the wall reads as the grab time, so the figure is an upper bound.

    python -m bench.tour            # 200 steps each way on a 4x4 wall
    python -m bench.tour --steps 40 # fewer, where the machine is slow (2 cores: ~36 s a step
                                    # pair, because every grab of the wall is decoded)
    SC_BENCH_SMOKE=1 python -m bench.tour
"""

from __future__ import annotations

import os
import sys
import time

from bench.common import Result, median, percentile, smoke


def main() -> int:
    from tests.render.harness import WallRig, run_tour, xvfb

    short = smoke()
    layout = "4" if short else "16"
    tiles = int(layout)
    steps = 6 if short else 200
    if "--steps" in sys.argv:
        steps = int(sys.argv[sys.argv.index("--steps") + 1])
    block = 3 if short else 20
    dwell = 2.0 if short else 2.5
    cameras = tiles * 2
    with xvfb() as display:
        os.environ["DISPLAY"] = display
        rig = WallRig(cameras)
        try:
            rig.station.duty.start()
            with_pre: list[float] = []
            without: list[float] = []
            missing = {"preroll": 0, "plain": 0}
            ready = 0
            started = time.monotonic()
            done = 0
            while done < steps:
                for preroll, gaps in ((True, with_pre), (False, without)):
                    rig.shown.clear()
                    out = run_tour(
                        rig, list(range(cameras)), layout=layout, steps=block, dwell_s=dwell,
                        preroll=preroll,
                    )  # fmt: skip
                    gaps.extend(out["gaps_ms"])
                    missing["preroll" if preroll else "plain"] += out["missing"]
                    ready += out["prerolled_ready"] if preroll else 0
                done += block
                print(f"  {done}/{steps} steps each way", file=sys.stderr, flush=True)
            elapsed = time.monotonic() - started
        finally:
            rig.close()
    result = Result("tour")
    ref = median(without)
    result.add(
        "P3_step_gap_median_ms",
        median(with_pre),
        target=100,
        unit="ms",
        reference=("same tour without pre-roll", ref),
    )
    result.add(
        "P3_step_gap_p95_ms",
        percentile(with_pre, 0.95),
        target=None,
        unit="ms",
        reference=("same tour without pre-roll", percentile(without, 0.95)),
    )
    result.notes.update(
        {
            "steps_each_way": steps,
            "tiles": tiles,
            "dwell_s": dwell,
            "tile_switches_measured": {"preroll": len(with_pre), "plain": len(without)},
            "tiles_never_showing_their_camera": missing,
            "prerolled_tiles_ready_at_step": ready,
            "elapsed_s": round(elapsed, 1),
            "load_average": os.getloadavg(),
            "method": "Xvfb screenshots decoded per tile; gap = first grab showing the new "
            "camera − step due time (upper bound: one grab of the wall takes tens of ms)",
        }
    )
    path = result.write()
    print(result.summary())
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # see tests/render/harness.py: no finalisation after libVLC and Qt
