"""Station Console composition root: parse arguments, then run a CLI command or the GUI.

``station-console`` with no command opens the console; ``--demo`` (also the default when the
station has no cameras and no data dir was given) opens it on a simulated precinct and a
local hub in a throw-away data directory. Subcommands (backup, restore, audit verify, import,
export, check, ...) run without loading Qt.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from station_console import __version__, cli
from station_console.logs import setup_logging
from station_console.paths import default_data_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station-console",
        description="Station Console 派出所视频巡控台",
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="data directory (default: the platform's)"
    )
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="UI language")
    parser.add_argument(
        "--demo", action="store_true", help="open on a simulated precinct and a local hub"
    )
    parser.add_argument(
        "--no-demo", action="store_true", help="never fall back to the demo precinct"
    )
    parser.add_argument("--cameras", type=int, default=16, help="cameras in the demo precinct")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command")
    cli.add_subcommands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    explicit_data_dir = args.data_dir is not None
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    setup_logging(args.data_dir / "logs", verbose=args.verbose, console=args.command is not None)
    logging.getLogger(__name__).info("station-console %s", __version__)
    if args.command:
        return cli.run(args)
    from ui.app import LaunchOptions, run_gui

    return run_gui(
        LaunchOptions(
            data_dir=args.data_dir,
            explicit_data_dir=explicit_data_dir,
            lang=args.lang,
            demo=args.demo,
            allow_demo_fallback=not args.no_demo,
            demo_cameras=args.cameras,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
