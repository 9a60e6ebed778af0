"""Benchmark: can one process simulate a 200-camera precinct on 2 cores within 1 GB?

Starts ``python -m simulator --cameras 200`` as a subprocess (so its RSS is its own), times it
until the ``--json-ready`` line, asks every camera for its time over ONVIF, plays a few sub and
main streams with PyAV for a few seconds while watching the frame rate, and records the
simulator's peak RSS. Writes ``bench/results/simulator_scale.json``.

``SC_BENCH_SMOKE=1`` runs a tiny version (10 cameras, 2 clients, 2 s) to check the harness.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import av  # noqa: E402

from bench.common import Result, smoke  # noqa: E402

SMOKE = smoke()
CAMERAS = 10 if SMOKE else 200
CLIENTS = 2 if SMOKE else 6
PLAY_S = 2.0 if SMOKE else 8.0
GET_TIME = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
    b'<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'
    b"</s:Body></s:Envelope>"
)


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def onvif_ok(url: str) -> bool:
    req = urllib.request.Request(  # noqa: S310 - loopback http only
        url, data=GET_TIME, headers={"Content-Type": "application/soap+xml"}
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:  # noqa: S310
            return resp.status == 200
    except OSError:
        return False


def play(url: str, seconds: float, counts: list[int], slot: int) -> None:
    options = {"rtsp_transport": "tcp", "timeout": "5000000"}
    try:
        with av.open(url, options=options, timeout=10.0) as container:
            end = time.monotonic() + seconds
            for _ in container.decode(video=0):
                counts[slot] += 1
                if time.monotonic() > end:
                    break
    except av.error.FFmpegError as err:
        print(f"client {slot} failed: {err}", file=sys.stderr)


def main() -> int:
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--cameras",
            str(CAMERAS),
            "--json-ready",
            "--control-port",
            "0",
            "--stdin-eof",
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        ready = json.loads(proc.stdout.readline())
        start_s = time.monotonic() - t0
        cameras = ready["cameras"]
        idle_rss = rss_mb(proc.pid)
        t1 = time.monotonic()
        answering = sum(onvif_ok(c["device_url"]) for c in cameras)
        onvif_sweep_s = time.monotonic() - t1
        counts = [0] * CLIENTS
        threads = []
        for slot in range(CLIENTS):
            cam = cameras[(slot * 37) % len(cameras)]
            url = cam["rtsp_main"] if slot % 3 == 2 else cam["rtsp_sub"]
            url = url.replace("rtsp://", f"rtsp://{cam['username']}:{cam['password']}@", 1)
            thread = threading.Thread(target=play, args=(url, PLAY_S, counts, slot))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join(PLAY_S + 30)
        peak_rss = rss_mb(proc.pid, "VmHWM")
        proc.stdin.close()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()

    result = Result("simulator_scale")
    result.add("start_s", start_s, target=30, unit="s")
    result.add("rss_mb", peak_rss, target=1024, unit="MB")
    result.notes.update(
        {
            "cameras": CAMERAS,
            "onvif_answering": answering,
            "onvif_sweep_s": round(onvif_sweep_s, 3),
            "idle_rss_mb": round(idle_rss, 1),
            "rtsp_clients": CLIENTS,
            "frames_per_client": counts,
            "play_s": PLAY_S,
            "rss_is": "peak (VmHWM) of the simulator process, with the clients playing",
        }
    )
    path = result.write()
    print(result.summary())
    print(
        f"  {answering}/{CAMERAS} cameras answered ONVIF in {onvif_sweep_s:.2f} s; "
        f"idle RSS {idle_rss:.0f} MB; frames per client {counts}; wrote {path}"
    )
    metrics = result.metrics
    ok = all(m["met"] for m in metrics.values()) and answering == CAMERAS and all(counts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
