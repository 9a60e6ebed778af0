"""``python -m drivers.gateway rtsp://host/path --user U --password P``: pull one stream through
the gateway, print the player URL, then its health once a second (Ctrl+C to stop).

Why: the quickest way for a technician (or a developer) to see what the console sees of a
camera: whether it connects, why not, and at what rate. The password is never printed.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import time

from drivers.gateway import StreamGateway, StreamSource
from drivers.gateway.credentials import mask_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.gateway", description=__doc__)
    parser.add_argument("url", help="rtsp://host:port/path (credentials may be given separately)")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default=None, help="omit to be asked (not echoed)")
    parser.add_argument("--transport", choices=("tcp", "udp"), default="tcp")
    parser.add_argument(
        "--seconds", type=float, default=0.0, help="stop after this long (0 = never)"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    password = args.password
    if password is None:
        password = getpass.getpass("password: ") if args.user else ""
    source = StreamSource("cli", args.url, args.user, password, args.transport)
    start = time.monotonic()
    with StreamGateway() as gateway, contextlib.suppress(KeyboardInterrupt):
        print(f"source {mask_url(args.url)} over {args.transport}")
        print(f"player URL {gateway.acquire(source)}", flush=True)
        while not args.seconds or time.monotonic() - start < args.seconds:
            time.sleep(1.0)
            h = gateway.health(source.key)
            if h is None:
                continue
            problem = f" {h.problem.value}" if h.problem else ""
            print(
                f"{h.state.value}{problem} {h.codec} {h.width}x{h.height} {h.packets_per_s:.1f} pkt/s "
                f"{h.bitrate_bps / 1000:.0f} kbit/s gaps {h.gaps} reconnects {h.reconnects} - {h.detail}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
