"""Command line: run a precinct, or poke one that is running.

``python -m simulator --cameras 16 --json-ready`` starts 16 cameras, prints one JSON line
(``{"ready": true, "control_port": ..., "cameras": [...]}``) when they are all listening, and
runs until SIGINT/SIGTERM or stdin closes (with ``--stdin-eof``), so a parent process such as
the console's ``--demo`` mode can never leave it behind.

``python -m simulator ctl CAMERA FAULT [key=value ...]`` injects a fault into a running
simulator through its control API (``FAULT`` = ``clear`` clears everything).

``--link-to HUB_PORT`` relays a district hub on loopback through a link that
``python -m simulator link down`` cuts and ``python -m simulator link up`` restores.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from typing import Any

from simulator.control import DEFAULT_CONTROL_PORT, ctl, set_link
from simulator.faults import Fault
from simulator.precinct import DEFAULT_PASSWORD, DEFAULT_USERNAME, Precinct


def _parse_value(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--cameras", type=int, default=16)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port-base", type=int, default=0, help="0: kernel-chosen ports")
    parser.add_argument("--control-port", type=int, default=DEFAULT_CONTROL_PORT)
    parser.add_argument("--username", default=DEFAULT_USERNAME)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--discovery", action="store_true", help="answer WS-Discovery on 3702")
    parser.add_argument(
        "--light",
        action="store_true",
        help="light mode: ONVIF and RTSP DESCRIBE only, no encoding, cached snapshots",
    )
    parser.add_argument("--link-to", type=int, help="relay the hub on this loopback port")
    parser.add_argument("--json-ready", action="store_true", help="print the camera list")
    parser.add_argument("--stdin-eof", action="store_true", help="exit when stdin closes")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.host.startswith("127."):
        parser.error("the simulator only listens on loopback (127.0.0.0/8)")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    precinct = Precinct(
        args.cameras,
        host=args.host,
        port_base=args.port_base,
        username=args.username,
        password=args.password,
        discovery=args.discovery,
        control_port=args.control_port,
        light=args.light,
        link_to=args.link_to,
    )
    with precinct:
        if args.json_ready:
            ready = {
                "ready": True,
                "started_in_s": round(precinct.started_in_s or 0, 3),
                "control_port": precinct.control_port,
                "link_port": precinct.link.port if precinct.link else None,
                "cameras": precinct.describe(),
            }
            print(json.dumps(ready), flush=True)
        if args.stdin_eof:

            def wait_for_eof() -> None:
                sys.stdin.read()
                done.set()

            threading.Thread(target=wait_for_eof, daemon=True, name="stdin").start()
        while not done.wait(0.5):
            pass
    return 0


def run_ctl(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator ctl")
    parser.add_argument("camera", help="index, serial or name")
    parser.add_argument(
        "fault", help="one of: " + ", ".join(f.value for f in Fault) + ", clear, clear:FAULT"
    )
    parser.add_argument("args", nargs="*", help="key=value, e.g. seconds=30")
    parser.add_argument("--control-port", type=int, default=DEFAULT_CONTROL_PORT)
    args = parser.parse_args(argv)
    extra = {}
    for item in args.args:
        key, _, value = item.partition("=")
        extra[key] = _parse_value(value)
    try:
        result = ctl(args.camera, args.fault, extra, port=args.control_port)
    except (RuntimeError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


def run_link(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator link")
    parser.add_argument("state", choices=["up", "down"])
    parser.add_argument("--control-port", type=int, default=DEFAULT_CONTROL_PORT)
    args = parser.parse_args(argv)
    try:
        result = set_link(args.state == "up", port=args.control_port)
    except (RuntimeError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


def main() -> int:
    argv = sys.argv[1:]
    if argv and argv[0] == "ctl":
        return run_ctl(argv[1:])
    if argv and argv[0] == "link":
        return run_link(argv[1:])
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
