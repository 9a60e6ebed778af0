"""``station-console health run-once [--json]``: check every camera once and print the result.

Reachability (ONVIF clock, RTSP DESCRIBE), clock offset and a picture diagnosis of each
camera's snapshot; nothing is written to the station (safe while the console runs). Exit
code 0 when every camera is online without problems, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys

from station_console.health.model import CAMERA_STATE_LABELS, FAULT_KIND_LABELS
from station_console.i18n import Message


def add_subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    h = sub.add_parser("health", help="camera health")
    hs = h.add_subparsers(dest="health_command", required=True)
    r = hs.add_parser("run-once", help="check every camera once and print status and diagnosis")
    r.add_argument("--json", action="store_true", help="one JSON object per camera")
    r.add_argument("--timeout", type=float, default=3.0, help="seconds per camera request")
    r.set_defaults(handler=cmd_run_once)


def cmd_run_once(args: argparse.Namespace) -> int:
    from drivers.health_probe import HealthProber
    from drivers.vqd import Vqd
    from station_console.station import open_station

    prober = HealthProber()
    try:
        with open_station(args.data_dir, exclusive=False) as st:
            monitor = st.health.monitor(st, prober, Vqd())
            verdicts = monitor.run_once(args.timeout)
    finally:
        prober.close()
    bad = 0
    for v in verdicts:
        if v.problems or v.state.value != "online":
            bad += 1
        if args.json:
            p = v.probe
            print(
                json.dumps(
                    {
                        "camera_id": v.camera_id,
                        "name": v.name,
                        "state": v.state.value,
                        "problems": [k.value for k in v.problems],
                        "onvif": None if p is None else (p.onvif_error or "ok"),
                        "rtsp": None if p is None else (p.rtsp_error or "ok"),
                        "clock_offset_s": None if p is None else p.clock_offset_s,
                        "rtt_ms": None if p is None else p.rtt_ms,
                        "picture": v.picture.value if v.picture else None,
                        "measurements": {k: round(x, 3) for k, x in v.measurements.items()},
                        "detail": "" if p is None else p.detail,
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
            continue
        state = Message("health", CAMERA_STATE_LABELS[v.state]).bilingual()
        problems = ", ".join(
            Message("faults", FAULT_KIND_LABELS[k]).bilingual() for k in v.problems
        )
        offset = (
            ""
            if v.probe is None or v.probe.clock_offset_s is None
            else (f"  clock {v.probe.clock_offset_s:+.1f} s")
        )
        print(f"{v.name:<28} {state:<20} {problems or '-'}{offset}")
    if not args.json:
        print(
            Message(
                "cli", "{n} cameras checked, {bad} with problems.", {"n": len(verdicts), "bad": bad}
            ).bilingual(),
            file=sys.stdout,
        )
    return 0 if bad == 0 else 1
