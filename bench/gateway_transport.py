"""How should packets reach libVLC: loopback HTTP MPEG-TS, or libVLC media callbacks?

Both read the same gateway session of one simulated sub stream (640×360@25), in the same run,
alternating. A python-vlc player renders through video callbacks (RV32 into numpy, no X) and
the simulator's time code is decoded from the rendered picture: latency = display-callback
time - time code. Also: time from ``play()`` to the first displayed picture (the gateway holds
the stream, so this is the *warm* start), and process CPU while playing. The simulator runs in
a child process so the CPU figure is gateway + libVLC only. A third variant, HTTP with
libVLC's default caching, is the reference.

    python -m bench.gateway_transport          # full run
    SC_BENCH_SMOKE=1 python -m bench.gateway_transport
"""

from __future__ import annotations

import ctypes
import json
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import vlc

from bench.common import Result, median, percentile, smoke
from drivers.gateway import StreamGateway, StreamSource, StreamState, TsReader
from drivers.vlc_options import DEFAULT_INSTANCE_OPTIONS, LIVE_INSTANCE_OPTIONS
from simulator import timecode

WIDTH, HEIGHT = 640, 360
STRIP_ROWS = int(HEIGHT * timecode.STRIP_HEIGHT_FRACTION) + 4
BUFFERS = 4


@dataclass
class Round:
    variant: str
    first_frame_s: float | None = None
    latencies_ms: list[float] = field(default_factory=list)
    frames: int = 0
    cpu_s: float = 0.0
    wall_s: float = 0.0


class Renderer:
    """Video callbacks: RV32 into a few numpy buffers; keeps (display time, strip) samples."""

    def __init__(self) -> None:
        self.buffers = [np.zeros((HEIGHT, WIDTH, 4), np.uint8) for _ in range(BUFFERS)]
        self.next = 0
        self.samples: list[tuple[float, np.ndarray]] = []
        self.first_at: float | None = None
        self.frames = 0
        self.lock_cb = vlc.CallbackDecorators.VideoLockCb(self._lock)
        self.unlock_cb = vlc.CallbackDecorators.VideoUnlockCb(self._unlock)
        self.display_cb = vlc.CallbackDecorators.VideoDisplayCb(self._display)

    def attach(self, player: vlc.MediaPlayer) -> None:
        player.video_set_callbacks(self.lock_cb, self.unlock_cb, self.display_cb, None)
        player.video_set_format("RV32", WIDTH, HEIGHT, WIDTH * 4)

    def _lock(self, opaque: int, planes: Any) -> int:
        index = self.next
        self.next = (self.next + 1) % BUFFERS
        planes[0] = self.buffers[index].ctypes.data
        return index + 1  # never NULL

    def _unlock(self, opaque: int, picture: int, planes: Any) -> None:
        return None

    def _display(self, opaque: int, picture: int) -> None:
        now = time.time()
        if self.first_at is None:
            self.first_at = now
        self.frames += 1
        frame = self.buffers[(picture or 1) - 1]
        self.samples.append((now, frame[:STRIP_ROWS, :, 1].copy()))  # green ≈ luma for B/W cells


class CallbackSource:
    """libVLC media callbacks reading a gateway TsReader (the alternative to HTTP)."""

    def __init__(self, gateway: StreamGateway, key: str) -> None:
        self.gateway = gateway
        self.key = key
        self.reader: TsReader | None = None
        self.stopping = threading.Event()
        self.open_cb = vlc.CallbackDecorators.MediaOpenCb(self._open)
        self.read_cb = vlc.CallbackDecorators.MediaReadCb(self._read)
        self.close_cb = vlc.CallbackDecorators.MediaCloseCb(self._close)

    def media(self, instance: vlc.Instance) -> vlc.Media:
        return instance.media_new_callbacks(self.open_cb, self.read_cb, None, self.close_cb, None)

    def _open(self, opaque: Any, datap: Any, sizep: Any) -> int:
        self.reader = self.gateway.open_reader(self.key)
        sizep[0] = ctypes.c_uint64(-1).value
        return 0

    def _read(self, opaque: Any, buf: Any, length: int) -> int:
        reader = self.reader
        while reader is not None and not self.stopping.is_set() and not reader.closed:
            data = reader.read(length, timeout=0.2)
            if data:
                ctypes.memmove(buf, data, len(data))
                return len(data)
        return 0

    def _close(self, opaque: Any) -> None:
        if self.reader is not None:
            self.reader.close()


def decode_latencies(
    samples: list[tuple[float, np.ndarray]], skip_s: float, first: float
) -> list[float]:
    out = []
    canvas = np.zeros((HEIGHT, WIDTH), np.uint8)
    for shown, strip in samples:
        if shown - first < skip_s:
            continue
        canvas[:STRIP_ROWS] = strip
        code = timecode.decode(canvas)
        if code is not None:
            out.append(shown * 1000 - code.epoch_ms)
    return out


def play_round(
    variant: str, instance: vlc.Instance, gateway: StreamGateway, key: str, url: str, seconds: float
) -> Round:
    result = Round(variant)
    renderer = Renderer()
    player = instance.media_player_new()
    renderer.attach(player)
    source: CallbackSource | None = None
    if variant == "callbacks":
        source = CallbackSource(gateway, key)
        media = source.media(instance)
    else:
        media = instance.media_new(url)
    player.set_media(media)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.time()
    player.play()
    deadline = t0 + 10.0
    while renderer.first_at is None and time.time() < deadline:
        time.sleep(0.005)
    if renderer.first_at is not None:
        result.first_frame_s = renderer.first_at - t0
        time.sleep(seconds)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    result.wall_s = time.time() - t0
    result.cpu_s = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    if source is not None:
        source.stopping.set()
    player.stop()
    player.release()
    media.release()
    result.frames = renderer.frames
    if renderer.first_at is not None:
        result.latencies_ms = decode_latencies(
            renderer.samples, min(1.0, seconds / 3), renderer.first_at
        )
    return result


def start_simulator() -> tuple[subprocess.Popen[str], dict[str, Any]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--cameras",
            "1",
            "--json-ready",
            "--stdin-eof",
            "--control-port",
            "0",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    ready = json.loads(proc.stdout.readline())
    return proc, ready["cameras"][0]


def main() -> None:
    quick = smoke()
    rounds_per_variant = 1 if quick else 4
    seconds = 2.0 if quick else 6.0
    proc, cam = start_simulator()
    variants = ["http", "callbacks", "http-default"]
    rounds: list[Round] = []
    try:
        with StreamGateway() as gateway:
            src = StreamSource("0:sub", cam["rtsp_sub"], cam["username"], cam["password"])
            url = gateway.acquire(src)
            if not gateway.wait_for(src.key, StreamState.LIVE, 15):
                raise SystemExit("the simulated stream did not go live")
            tuned = vlc.Instance(list(LIVE_INSTANCE_OPTIONS))
            default = vlc.Instance(list(DEFAULT_INSTANCE_OPTIONS))
            for i in range(rounds_per_variant):
                order = variants if i % 2 == 0 else list(reversed(variants))
                for variant in order:
                    instance = default if variant == "http-default" else tuned
                    r = play_round(variant, instance, gateway, src.key, url, seconds)
                    rounds.append(r)
                    print(
                        f"  {variant:13s} first frame {1000 * (r.first_frame_s or float('nan')):6.0f} ms, "
                        f"latency median {median(r.latencies_ms):6.0f} ms ({len(r.latencies_ms)} codes), "
                        f"cpu {100 * r.cpu_s / max(r.wall_s, 1e-6):5.1f} %",
                        flush=True,
                    )
            tuned.release()
            default.release()
    finally:
        proc.stdin.close() if proc.stdin else None
        proc.wait(10)

    result = Result("gateway_transport")

    def agg(variant: str) -> dict[str, float]:
        rs = [r for r in rounds if r.variant == variant]
        lat = [x for r in rs for x in r.latencies_ms]
        ff = [r.first_frame_s * 1000 for r in rs if r.first_frame_s is not None]
        cpu = sum(r.cpu_s for r in rs) / max(sum(r.wall_s for r in rs), 1e-6) * 100
        frames = sum(r.frames for r in rs) / max(
            sum(r.wall_s - (r.first_frame_s or 0) for r in rs), 1e-6
        )
        return {
            "first_ms": median(ff),
            "lat_ms": median(lat),
            "lat_p95_ms": percentile(lat, 0.95),
            "cpu_pct": cpu,
            "fps": frames,
            "codes": len(lat),
            "failed_starts": len(rs) - len(ff),
        }

    http, cb, ref = agg("http"), agg("callbacks"), agg("http-default")
    result.add(
        "http_first_frame_warm_ms",
        http["first_ms"],
        target=400,
        unit="ms",
        reference=("media callbacks", cb["first_ms"]),
    )
    result.add(
        "callbacks_first_frame_warm_ms",
        cb["first_ms"],
        target=400,
        unit="ms",
        reference=("loopback HTTP", http["first_ms"]),
    )
    result.add(
        "http_latency_median_ms",
        http["lat_ms"],
        target=250,
        unit="ms",
        reference=("media callbacks", cb["lat_ms"]),
    )
    result.add(
        "callbacks_latency_median_ms",
        cb["lat_ms"],
        target=250,
        unit="ms",
        reference=("loopback HTTP", http["lat_ms"]),
    )
    result.add("http_latency_p95_ms", http["lat_p95_ms"], target=400, unit="ms")
    result.add("callbacks_latency_p95_ms", cb["lat_p95_ms"], target=400, unit="ms")
    result.add(
        "http_latency_vs_default_caching",
        http["lat_ms"],
        target=None,
        unit="ms",
        reference=("libVLC default caching over HTTP", ref["lat_ms"]),
    )
    result.add(
        "http_cpu_percent_of_one_core",
        http["cpu_pct"],
        target=None,
        unit="%",
        reference=("media callbacks", cb["cpu_pct"]),
    )
    result.add(
        "callbacks_cpu_percent_of_one_core",
        cb["cpu_pct"],
        target=None,
        unit="%",
        reference=("loopback HTTP", http["cpu_pct"]),
    )
    result.notes = {
        "stream": "simulator sub 640x360@25 H.264, 1 s GOP, RTSP/TCP into the gateway",
        "rounds_per_variant": rounds_per_variant,
        "seconds_per_round": seconds,
        "libvlc": vlc.libvlc_get_version().decode(),
        "tuned_options": list(LIVE_INSTANCE_OPTIONS),
        "default_options": list(DEFAULT_INSTANCE_OPTIONS),
        "per_variant": {"http": http, "callbacks": cb, "http-default": ref},
        "method": "alternating rounds in one process; latency = display-callback time - burned-in time code; "
        "first frame = play() to first display callback with the stream already held (warm); "
        "CPU = this process (gateway + libVLC), simulator in a child process",
    }
    path = result.write()
    print(result.summary())
    print(f"written {path}")


if __name__ == "__main__":
    main()
