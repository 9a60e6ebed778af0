"""Bare libVLC players: the reference side of the wall's CPU-per-frame comparison (P4).

Runs in a child process of ``bench/wall.py`` on the same X server: a stream gateway (the
console's own, since Debian's libVLC cannot open ``rtsp://``) and one python-vlc player per
rectangle, with the same libVLC options as the console, each drawing into a plain native
window of the same size and place as the wall's tile. No station, no wall, no task runner,
no viewing records: what is left is the cost the console cannot avoid. It prints one JSON
line with its own CPU time and libVLC's picture counters over the measured window.

Also home of the small measuring helpers both sides share (libVLC counters, process CPU,
gateway packet counters), so the two sides count the same way.

    python -m bench.wall_bare '{"streams": [...], "rects": [...], "seconds": 8, ...}'
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
from typing import Any

#: libVLC's counters need ``--stats``; the console turns them off (``--no-stats``), the bench
#: turns them back on for both sides so both pay the same (tiny) bookkeeping.
STATS_OFF = "--no-stats"


def cpu_seconds() -> float:
    """User + system CPU of this process, all threads, children excluded."""
    t = os.times()
    return t.user + t.system


def proc_status() -> dict[str, int]:
    """RSS (kB), threads and open file descriptors of this process, from /proc."""
    out: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                out["rss_kb"] = int(line.split()[1])
            elif line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
                # Which kind of memory grew: heap and stacks, mapped files (libraries and
                # plugins loaded on first use), or shared memory (X pictures).
                out[line.split(":")[0][3:].lower() + "_kb"] = int(line.split()[1])
            elif line.startswith("Threads:"):
                out["threads"] = int(line.split()[1])
    out["fds"] = len(os.listdir("/proc/self/fd"))
    return out


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def heap_census() -> dict[str, int]:
    """Where the process's anonymous memory is, in kB: glibc's blocks in use and free inside
    its heaps (all arenas), its own mappings of big blocks, and Python's small-object count.

    Growth in ``in_use`` is something holding memory; growth in ``free`` with ``in_use`` flat
    is a fragmented heap. Empty outside glibc."""
    from drivers.memory import glibc

    out: dict[str, int] = {"python_blocks": sys.getallocatedblocks()}
    libc = glibc()
    if libc is None:
        return out
    try:
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
    except AttributeError:  # glibc before 2.33
        return out
    out["heap_kb"] = info.arena // 1024
    out["in_use_kb"] = info.uordblks // 1024
    out["free_kb"] = info.fordblks // 1024
    out["mmapped_kb"] = info.hblkhd // 1024
    out["mmapped_blocks"] = info.hblks
    return out


def open_fds() -> dict[str, int]:
    """This process's open descriptors by kind (``socket``, ``pipe``, ``anon_inode:[eventfd]``,
    a file's path, ...), so a soak that leaks one can say what it is."""
    kinds: dict[str, int] = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed while we looked (the listing's own descriptor among them)
            continue
        kind = target.split(":[", 1)[0] if target.startswith(("socket:", "pipe:")) else target
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def threads_by_name() -> dict[str, int]:
    """This process's threads by name (the kernel's ``comm``: Qt's pool threads, libVLC's,
    Python's), so a soak that leaks one can say whose it is."""
    names: dict[str, int] = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm", encoding="utf-8", errors="replace") as f:
                name = f.read().strip()
        except OSError:  # ended while we looked
            continue
        names[name] = names.get(name, 0) + 1
    return names


def counts_changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Keys whose count changed between two censuses (``open_fds``, ``threads_by_name``):
    key → difference."""
    return {
        k: after.get(k, 0) - before.get(k, 0)
        for k in sorted(set(before) | set(after))
        if after.get(k, 0) != before.get(k, 0)
    }


def picture_counters(player: Any) -> tuple[int, int, int] | None:
    """(displayed, lost, decoded) pictures of a python-vlc MediaPlayer, or None."""
    import vlc

    media = player.get_media()
    if media is None:
        return None
    try:
        stats = vlc.MediaStats()
        if not media.get_stats(stats):
            return None
        return int(stats.displayed_pictures), int(stats.lost_pictures), int(stats.decoded_video)
    finally:
        media.release()


def source_packets(gateway: Any, key: str) -> int | None:
    """Video packets (= frames for H.264/H.265) the gateway received on ``key`` so far."""
    try:
        return int(gateway._upstream(key)._stats.packets)
    except Exception:
        return None


def black_window(x: int, y: int, w: int, h: int) -> Any:
    """A frameless black native window at (x, y, w, h), shown: where a reference player draws
    (here, and the wall bench's libVLC-with-default-caching reference)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QWidget

    window = QWidget(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
    window.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    window.setAutoFillBackground(True)
    palette = window.palette()
    palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
    window.setPalette(palette)
    window.setGeometry(x, y, w, h)
    window.show()
    return window


def main() -> None:
    spec = json.loads(sys.argv[1])
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    import vlc
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from drivers.gateway import StreamGateway, StreamSource, StreamState
    from drivers.vlc_options import LIVE_MEDIA_OPTIONS

    app = QApplication.instance() or QApplication([])
    instance = vlc.Instance(list(spec["options"]))
    streams = spec["streams"]
    rects = spec["rects"]
    gateway = StreamGateway()
    gateway.start()
    urls: dict[str, str] = {}
    for n, s in enumerate(streams):
        key = f"bare{n}:sub"
        urls[key] = gateway.acquire(StreamSource(key, s["url"], s["username"], s["password"]))
    for key in urls:
        gateway.wait_for(key, StreamState.LIVE, 15)
    windows: list[QWidget] = []
    players: list[Any] = []
    keys: list[str] = []
    for i, (x, y, w, h) in enumerate(rects):
        window = black_window(x, y, w, h)
        windows.append(window)
        key = f"bare{i % len(streams)}:sub"
        player = instance.media_player_new()
        player.video_set_mouse_input(False)
        player.video_set_key_input(False)
        player.set_xwindow(int(window.winId()))
        media = instance.media_new(urls[key], *LIVE_MEDIA_OPTIONS)
        player.set_media(media)
        media.release()
        player.play()
        players.append(player)
        keys.append(key)

    def run_loop(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    deadline = time.monotonic() + float(spec.get("start_timeout", 20.0))
    while time.monotonic() < deadline and not all(p.has_vout() for p in players):
        run_loop(0.05)
    started = sum(bool(p.has_vout()) for p in players)
    run_loop(float(spec.get("warmup", 2.0)))
    before = [picture_counters(p) for p in players]
    src_before = {k: source_packets(gateway, k) for k in urls}
    cpu0, t0 = cpu_seconds(), time.monotonic()
    run_loop(float(spec["seconds"]))
    cpu1, t1 = cpu_seconds(), time.monotonic()
    after = [picture_counters(p) for p in players]
    src_after = {k: source_packets(gateway, k) for k in urls}
    tiles = []
    for i, key in enumerate(keys):
        b, a = before[i], after[i]
        sb, sa = src_before[key], src_after[key]
        tiles.append(
            {
                "displayed": (a[0] - b[0]) if a and b else None,
                "lost": (a[1] - b[1]) if a and b else None,
                "decoded": (a[2] - b[2]) if a and b else None,
                "source": (sa - sb) if sa is not None and sb is not None else None,
            }
        )
    print(
        json.dumps({"cpu_s": cpu1 - cpu0, "wall_s": t1 - t0, "started": started, "tiles": tiles}),
        flush=True,
    )
    for player in players:
        player.stop()
        player.release()
    gateway.close()
    instance.release()
    for window in windows:
        window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
