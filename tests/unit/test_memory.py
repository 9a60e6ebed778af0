"""glibc tuning for a console that starts and stops libVLC players all day (drivers.memory).

Each case runs in a fresh interpreter: ``mallopt`` changes the whole process.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)

# The pattern that grew the wall's memory: a large block freed (glibc then raises its mmap
# threshold to that size), then many picture-sized blocks allocated, each followed by a block
# that stays (what the rest of the program allocates meanwhile), and the pictures freed. Prints
# how much of the pictures' memory the process still holds. Modes: "default" (glibc as it comes),
# "tuned" (tune_malloc first), "trim" (glibc as it comes, release_free_memory at the end).
PROBE = textwrap.dedent(
    """
    import ctypes, sys
    from drivers.memory import tune_malloc, release_free_memory
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    def rss_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    mode = sys.argv[1]
    if mode == "tuned":
        assert tune_malloc()
    libc.free(libc.malloc(4 << 20))
    before = rss_mb()
    blocks, guards = [], []
    for _ in range(300):
        blocks.append(libc.malloc(345 * 1024))
        ctypes.memset(blocks[-1], 1, 345 * 1024)
        guards.append(libc.malloc(100 * 1024))
    for b in blocks:
        libc.free(b)
    if mode == "trim":
        release_free_memory()
    print(round(rss_mb() - before, 1))
    """
)


def held_mb(mode: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return float(out.stdout.strip())


def test_without_tuning_freed_pictures_stay_in_the_heap() -> None:
    """The reference: glibc's dynamic threshold keeps ~100 MB of freed pictures."""
    assert held_mb("default") > 50


def test_fixed_mmap_threshold_gives_freed_pictures_back() -> None:
    assert held_mb("tuned") < 10


def test_trim_gives_back_what_the_heap_holds_free() -> None:
    """Even blocks that did come from the heap are handed back by ``release_free_memory``."""
    assert held_mb("trim") < 10


# Threads that each allocate, as the gateway's and libVLC's do, after the modules the console's
# GUI start-up imports (ui.app) are loaded; prints how many arenas glibc made (malloc_stats).
ARENAS_PROBE = textwrap.dedent(
    """
    import ctypes, os, sys, threading
    import ui.app  # noqa: F401 - everything imported before run_gui tunes malloc
    from drivers.memory import tune_malloc
    libc = ctypes.CDLL("libc.so.6")
    if sys.argv[1] == "tuned":
        assert tune_malloc()
    gate = threading.Barrier(12)
    def work():
        gate.wait()
        blocks = [bytearray(2000) for _ in range(200)]
        gate.wait()
    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    libc.malloc_stats()
    """
)


def arenas(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", ARENAS_PROBE, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr
    return out.stderr.count("Arena ")


def test_tuned_at_start_up_threads_share_two_arenas() -> None:
    """What ``run_gui`` does: tuned after its imports, before any thread, glibc keeps to two
    arenas."""
    assert arenas("default") > 2  # twelve allocating threads would spread out without it
    assert arenas("tuned") <= 2
