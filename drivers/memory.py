"""Keep the console's memory flat over a 24-hour shift of tile switches.

Why: glibc gives a thread that meets a locked heap a new *arena* (up to 8 per core). libVLC
starts and joins several threads for every player, so a wall that switches tiles all day spreads
its allocations over up to 16 arenas on a 2-core PC, and memory freed in one arena is never
reused by another. Measured (ad hoc probe, 1,500 players created and released one after another
under Xvfb): RSS +150 MB per 300 players with glibc's default, +39 MB with two arenas.

Big blocks (decoded pictures, stream buffers) have a second way of staying: see
``MMAP_THRESHOLD``. And memory freed inside a heap stays with the process until it is trimmed:
``release_free_memory``.

Only the number of arenas *created from now on* is limited (arenas threads already made stay),
so call ``tune_malloc`` first, before the stream gateway and libVLC start their threads: the
console's start-up and the wall bench do (a late call in the bench left nine arenas). Does
nothing outside glibc (Windows, macOS, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import platform

log = logging.getLogger(__name__)

#: glibc's ``mallopt`` parameters (malloc.h).
_M_ARENA_MAX = -8
_M_MMAP_THRESHOLD = -3
#: Two arenas: the GUI thread and the player threads rarely allocate at the same instant, and
#: the decoders allocate from their own picture pools, so contention stays low.
ARENAS = 2
#: Blocks from this size up get their own mapping, returned to the system when freed. Decoded
#: pictures (a 640×360 frame is 345 KiB) and stream buffers are such blocks. glibc's default
#: threshold rises to the largest block freed so far (up to 32 MiB), after which those blocks
#: come from the heap and are never returned; setting it fixes it where it is.
MMAP_THRESHOLD = 256 * 1024

_done = False


def glibc() -> ctypes.CDLL | None:
    """glibc itself, or None elsewhere (Windows, macOS, musl): its malloc is what we tune."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def tune_malloc(arenas: int = ARENAS) -> bool:
    """Ask glibc for at most ``arenas`` heaps and a fixed mmap threshold; True if it agreed.

    Safe to call more than once."""
    global _done
    if _done:
        return True
    libc = glibc()
    if libc is None:
        return False
    try:
        ok = bool(libc.mallopt(_M_ARENA_MAX, arenas))
        ok = bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and ok
    except AttributeError:
        log.debug("mallopt is not available", exc_info=True)
        return False
    _done = ok
    return ok


def release_free_memory() -> bool:
    """Give memory that is free inside the heaps back to the system (glibc ``malloc_trim``).

    Blocks (slow on a big heap, tens of ms): call it from a worker thread, after a burst of
    frees such as players stopped. False where there is nothing like it."""
    libc = glibc()
    if libc is None:
        return False
    try:
        return bool(libc.malloc_trim(0))
    except AttributeError:
        return False


def freeze_long_lived() -> int:
    """Collect once, then exempt every object alive now from later collections (``gc.freeze``).

    Why: a full collection walks every object the collector tracks, holding the GIL. In the
    signed-in console with a 4x4 wall that is ~85,000 objects (modules, classes, Qt wrappers,
    the station's services) and took 51-81 ms here (bench/wall.py, 2026-11-30). Meanwhile the
    stream gateway's threads send nothing, so the pictures that then reach the tiles late are
    dropped (13-44 per 16- or 36-tile round when the bench forced one), and the window does not
    move. Those objects live as long as the window does; frozen, a collection walks only what
    came after them (0.0 ms right after freezing, timed the same way). The console calls this
    once its window is up; the collection it makes first is one such pause, once per sign-in.
    Called again (the next sign-in) it first thaws them, so what the previous window left in
    reference cycles is still collected. Returns how many objects are frozen.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
