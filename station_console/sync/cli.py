"""``station-console sync``: sync this station with its hub from the command line.

Wired by ``main.py`` as ``station-console sync [--hub URL] [--once] [--json]``. Optional
attributes on ``args``: ``token``, ``station_id`` (stored in ``sync_state`` on first use;
``SC_HUB_TOKEN`` may carry the token), ``data_dir`` and ``interval``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from station_console.paths import DataPaths, default_data_dir
from station_console.storage.database import Database
from station_console.storage.migrations import migrate
from station_console.sync.engine import SyncEngine, SyncStatus, configured_station
from station_console.sync.hlc import HybridClock
from station_console.sync.transport import HubTransport

log = logging.getLogger(__name__)

TransportFactory = Callable[[str, str], HubTransport]


def http_transport(url: str, token: str) -> HubTransport:
    """The httpx transport, imported only here so the core never loads an HTTP library."""
    module = importlib.import_module("drivers.hub_client")
    transport: HubTransport = module.HttpHubTransport(url, token)
    return transport


def configure(
    db: Database, *, hub_url: str | None, token: str | None, station_id: str | None
) -> None:
    """Store whichever of hub URL, token and station id are given."""
    with db.write() as conn:
        for key, value in (("hub_url", hub_url), ("hub_token", token), ("station_id", station_id)):
            if value:
                conn.execute(
                    "INSERT INTO sync_state(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )


def build_engine(
    db: Database, transport_factory: TransportFactory = http_transport
) -> SyncEngine | None:
    """The engine for a configured station database, or None when sync is not set up."""
    config = configured_station(db)
    if config is None:
        return None
    url, token, station_id = config
    return SyncEngine(
        db, transport_factory(url, token), HybridClock(station_id), station_id=station_id
    )


def _print(status: SyncStatus, as_json: bool) -> None:
    if as_json:
        print(json.dumps(asdict(status), ensure_ascii=False))
        return
    line = f"link={status.link} backlog={status.backlog} last_sync={status.last_sync_at or '-'}"
    if status.error:
        line += f" error={status.error}"
    print(line)


def sync_command(
    args: argparse.Namespace, *, transport_factory: TransportFactory = http_transport
) -> int:
    """Run one sync (``--once``) or keep syncing until interrupted. Exit 0 when in sync."""
    data_dir = getattr(args, "data_dir", None)
    paths = DataPaths(Path(data_dir) if data_dir else default_data_dir()).ensure()
    db = Database(paths.database)
    try:
        migrate(db)
        configure(
            db,
            hub_url=getattr(args, "hub", None),
            token=getattr(args, "token", None) or os.environ.get("SC_HUB_TOKEN"),
            station_id=getattr(args, "station_id", None),
        )
        engine = build_engine(db, transport_factory)
        if engine is None:
            print(
                "sync is not configured: give --hub URL, --token and --station-id "
                "(from `python -m hub station add`)",
                file=sys.stderr,
            )
            return 2
        try:
            if getattr(args, "once", False):
                status = engine.sync_once()
                _print(status, getattr(args, "json", False))
                return 0 if status.link == "ok" else 1
            stop = threading.Event()
            interval = float(getattr(args, "interval", 30.0) or 30.0)
            try:
                while not stop.is_set():
                    status = engine.sync_once()
                    _print(status, getattr(args, "json", False))
                    stop.wait(status.retry_in_s or interval)
            except KeyboardInterrupt:
                return 0
            return 0
        finally:
            engine.transport.close()
    finally:
        db.close()


def add_arguments(parser: argparse.ArgumentParser, *, with_data_dir: bool = True) -> None:
    """The options ``sync_command`` understands, for main.py's sub-parser (which has its own
    global ``--data-dir``: a sub-parser default would overwrite it)."""
    parser.add_argument("--hub", help="hub base URL, e.g. https://127.0.0.1:8765")
    parser.add_argument("--token", help="station token (or set SC_HUB_TOKEN)")
    parser.add_argument("--station-id", help="station id printed by `hub station add`")
    parser.add_argument("--once", action="store_true", help="sync once and exit")
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.add_argument("--interval", type=float, default=30.0)
    if with_data_dir:
        parser.add_argument("--data-dir")


def main(argv: list[str] | None = None) -> int:
    """``python -m station_console.sync.cli`` until main.py wires the sub-command."""
    parser = argparse.ArgumentParser(prog="station-console sync")
    add_arguments(parser)
    logging.basicConfig(level=logging.WARNING)
    return sync_command(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
