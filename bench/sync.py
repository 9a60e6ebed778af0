"""Sync benchmark: a 100k-change backlog pushed to a real hub, and a 100-change round trip.

Run ``python bench/sync.py``; ``SC_BENCH_SMOKE=1`` uses tiny sizes. Writes
``bench/results/sync.json`` and prints a summary.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Result  # noqa: E402
from drivers.hub_client import HttpHubTransport  # noqa: E402
from hub.schema import make_engine  # noqa: E402
from hub.store import Hub  # noqa: E402
from station_console.storage.database import Database  # noqa: E402
from station_console.storage.migrations import migrate  # noqa: E402
from station_console.sync.engine import SyncEngine  # noqa: E402
from station_console.sync.hlc import HybridClock  # noqa: E402
from station_console.sync.outbox import Outbox  # noqa: E402

SMOKE = os.environ.get("SC_BENCH_SMOKE") == "1"
BACKLOG = 2_000 if SMOKE else 100_000
ROUND_TRIP = 100


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_hub(db_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = _port()
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hub", "serve", "--db", db_url, "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{url}/healthz", timeout=1, trust_env=False).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("hub did not start")


def _fill(db: Database, outbox: Outbox, n: int) -> None:
    now = "2026-11-23T00:00:00Z"
    with db.write() as conn:
        for i in range(n):
            site_id = str(uuid.uuid4())
            values = {
                "id": site_id,
                "name": f"site-{i}-{site_id[:6]}",
                "kind": "street",
                "created_at": now,
                "updated_at": now,
            }
            conn.execute(
                "INSERT INTO sites(id, name, kind, created_at, updated_at) "
                "VALUES (:id, :name, :kind, :created_at, :updated_at)",
                values,
            )
            outbox.record(conn, "site", site_id, values)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/hub.sqlite3"
        engine = make_engine(db_url)
        station_id, token = Hub(engine).add_station("bench", "district-1")
        engine.dispose()
        proc, url = _start_hub(db_url, Path(tmp) / "hub.log")
        db = Database(Path(tmp) / "station.sqlite3")
        transport = HttpHubTransport(url, token, timeout=60)
        try:
            migrate(db)
            clock = HybridClock(station_id)
            outbox = Outbox(clock)
            _fill(db, outbox, BACKLOG)
            sync = SyncEngine(db, transport, clock, station_id=station_id, batch_size=2000)
            t0 = time.perf_counter()
            status = sync.sync_once()
            push_s = time.perf_counter() - t0
            assert status.link == "ok" and status.backlog == 0, status
            trips = []
            for _ in range(5):
                _fill(db, outbox, ROUND_TRIP)
                t0 = time.perf_counter()
                status = sync.sync_once()
                trips.append((time.perf_counter() - t0) * 1000)
                assert status.link == "ok" and status.pushed == ROUND_TRIP, status
            trip_ms = statistics.median(trips)
        finally:
            transport.close()
            db.close()
            proc.terminate()
            proc.wait(timeout=10)
    result = Result("sync", notes={"backlog": BACKLOG, "round_trip_changes": ROUND_TRIP})
    result.add("push_100k_s", push_s, target=30, unit="s")
    result.add("round_trip_100_ms", trip_ms, target=200, unit="ms")
    if not SMOKE:  # smoke runs only prove the bench works; they keep no file
        result.write()
    metrics = result.metrics
    for name, m in metrics.items():
        flag = "ok" if m["met"] else "MISSED"
        print(f"{name}: {m['value']} {m['unit']} (target {m['target']}) {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
