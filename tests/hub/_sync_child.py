"""A station sync process for crash tests: ``python _sync_child.py DATA_DIR``.

Small batches and pages so a crash point is passed many times per run.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from drivers.hub_client import HttpHubTransport
from station_console.storage.database import Database
from station_console.sync.engine import SyncEngine, configured_station
from station_console.sync.hlc import HybridClock


def main() -> int:
    db = Database(Path(sys.argv[1]) / "station.sqlite3")
    config = configured_station(db)
    assert config is not None
    url, token, station_id = config
    transport = HttpHubTransport(url, token, timeout=10)
    try:
        engine = SyncEngine(
            db,
            transport,
            HybridClock(station_id),
            station_id=station_id,
            batch_size=3,
            pull_limit=2,
        )
        status = engine.sync_once()
        print(json.dumps(asdict(status)))
        return 0 if status.link == "ok" else 1
    finally:
        transport.close()
        db.close()


if __name__ == "__main__":
    sys.exit(main())
