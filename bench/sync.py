"""P9 sync benchmark, on both hub engines (SQLite file and PostgreSQL on loopback).

Per engine: a 100k-change station backlog pushed through a real hub process by the real
sync engine, and a 100-change round trip (push + pull of both feeds). Then, against the
PostgreSQL hub only, 500 simulated stations each syncing every 30 s, in real time (not
compressed): station ``i`` starts at ``i * 30 / 500`` s, and every cycle pushes a few new
changes (sites, and now and then a fault) and pulls its station and district feeds while
the hub side publishes instructions and bulletins. The figure is the p99 of the cycle time
(hello once, then push + 2 pulls per cycle). All 500 stations are asyncio tasks over one
httpx client pool in this process, so they share the machine's cores with the hub.

Run ``python bench/sync.py``; ``SC_BENCH_SMOKE=1`` uses tiny sizes (20 stations, 2 short
cycles) and keeps no file. PostgreSQL needs root (a throw-away cluster run as the
``postgres`` user, as the tests do); without it the PostgreSQL figures are left out and
the notes say why. Writes ``bench/results/sync.json``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Result, percentile  # noqa: E402
from drivers.hub_client import HttpHubTransport  # noqa: E402
from hub.devpg import pg_unavailable, throwaway_postgres  # noqa: E402
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
TRIPS = 5 if SMOKE else 15
FLEET = 20 if SMOKE else 500
PERIOD_S = 2.0 if SMOKE else 30.0
CYCLES = 2 if SMOKE else 4
CHANGES_PER_CYCLE = 5
TIMEOUT_S = 30.0


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_hub(db_url: str, log: Path) -> Iterator[str]:
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
    try:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"hub exited: {log.read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("hub did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


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


def backlog_and_round_trip(db_url: str, tmp: Path) -> tuple[float, list[float]]:
    """(seconds to push the backlog, round-trip times in ms) against a fresh hub."""
    engine = make_engine(db_url)
    station_id, token = Hub(engine).add_station("bench", "district-1")
    engine.dispose()
    with running_hub(db_url, tmp / "hub.log") as url:
        db = Database(tmp / "station.sqlite3")
        transport = HttpHubTransport(url, token, timeout=120)
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
            for _ in range(TRIPS):
                _fill(db, outbox, ROUND_TRIP)
                t0 = time.perf_counter()
                status = sync.sync_once()
                trips.append((time.perf_counter() - t0) * 1000)
                assert status.link == "ok" and status.pushed == ROUND_TRIP, status
        finally:
            transport.close()
            db.close()
    return push_s, trips


# -- 500 stations --------------------------------------------------------------------------


class SimStation:
    """A protocol-level station: its own token, epoch, outbox seq and feed cursors."""

    def __init__(self, station_id: str, token: str, index: int) -> None:
        self.station_id = station_id
        self.headers = {"Authorization": f"Bearer {token}"}
        self.index = index
        self.epoch = str(uuid.uuid4())
        self.seq = 0
        self.cursors: dict[str, int] = {}
        self.feeds: list[str] = []
        self.clock = HybridClock(station_id)
        self.faults: list[str] = []
        self.rng = random.Random(index)

    def changes(self) -> list[dict[str, Any]]:
        out = []
        for _ in range(CHANGES_PER_CYCLE):
            self.seq += 1
            stamp = self.clock.tick().encode()
            if self.rng.random() < 0.2:
                fid = f"f-{self.station_id}-{self.seq}"
                self.faults.append(fid)
                entity, eid = "fault", fid
                fields: dict[str, Any] = {"camera_id": "c", "status": "open", "summary": "黑屏"}
            else:
                entity, eid = "site", f"s-{self.station_id}-{self.seq % 50}"
                fields = {"name": f"点位-{self.seq}"}
            out.append(
                {
                    "seq": self.seq,
                    "op_id": str(uuid.uuid4()),
                    "entity": entity,
                    "entity_id": eid,
                    "op": "upsert",
                    "fields": fields,
                    "hlc": stamp,
                }
            )
        return out

    async def hello(self, client: Any) -> None:
        r = await client.post(
            "/v1/sync/hello",
            json={"station_id": self.station_id, "epoch": self.epoch, "base_seq": 0},
            headers=self.headers,
        )
        r.raise_for_status()
        self.feeds = r.json()["feeds"]
        self.cursors = dict.fromkeys(self.feeds, 0)

    async def cycle(self, client: Any) -> None:
        body = {
            "station_id": self.station_id,
            "epoch": self.epoch,
            "changes": self.changes(),
            "backlog": 0,
        }
        r = await client.post("/v1/sync/push", json=body, headers=self.headers)
        r.raise_for_status()
        if r.json()["acked_seq"] != self.seq:
            raise RuntimeError(f"acked {r.json()['acked_seq']} != {self.seq}")
        for feed in self.feeds:
            while True:
                r = await client.get(
                    "/v1/sync/pull",
                    params={"feed": feed, "cursor": self.cursors[feed], "limit": 500},
                    headers=self.headers,
                )
                r.raise_for_status()
                page = r.json()
                self.cursors[feed] = page["cursor"]
                if not page["more"]:
                    break


ERROR_KINDS: dict[str, int] = {}


async def _fleet_run(url: str, fleet: list[SimStation]) -> tuple[list[float], int]:
    import httpx

    # Idle connections are dropped before uvicorn's 5 s keep-alive closes them under us (a
    # station syncing every 30 s reconnects each cycle, as a real one would).
    limits = httpx.Limits(
        max_connections=len(fleet), max_keepalive_connections=len(fleet), keepalive_expiry=4.0
    )
    async with httpx.AsyncClient(
        base_url=url, timeout=TIMEOUT_S, limits=limits, trust_env=False
    ) as client:
        for i in range(0, len(fleet), 20):  # sign in: not part of the timed cycles
            for attempt in range(5):
                try:
                    await asyncio.gather(*(s.hello(client) for s in fleet[i : i + 20]))
                    break
                except httpx.TransportError:
                    if attempt == 4:
                        raise
                    await asyncio.sleep(1)
        times: list[float] = []
        errors = 0
        start = time.monotonic() + 1.0

        async def run(s: SimStation) -> None:
            nonlocal errors
            for c in range(CYCLES):
                due = start + s.index * PERIOD_S / len(fleet) + c * PERIOD_S
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                t0 = time.perf_counter()
                try:
                    await s.cycle(client)
                except (httpx.HTTPError, RuntimeError, KeyError, ValueError) as exc:
                    errors += 1
                    ERROR_KINDS[type(exc).__name__] = ERROR_KINDS.get(type(exc).__name__, 0) + 1
                    continue
                times.append(time.perf_counter() - t0)

        await asyncio.gather(*(run(s) for s in fleet))
    return times, errors


def fleet(db_url: str, tmp: Path) -> dict[str, Any]:
    engine = make_engine(db_url)
    hub = Hub(engine)
    stations = [SimStation(*hub.add_station(f"所-{i}", "district-1"), i) for i in range(FLEET)]
    stop = threading.Event()
    published = [0]

    def command_centre() -> None:
        """The hub side keeps writing: instructions to stations and district bulletins."""
        rng = random.Random(5)
        while not stop.wait(0.5):
            s = rng.choice(stations)
            hub.publish(
                "district-1",
                "instruction",
                str(uuid.uuid4()),
                {"title": "加强巡逻"},
                station_id=s.station_id,
            )
            if rng.random() < 0.1:
                hub.publish("district-1", "bulletin", str(uuid.uuid4()), {"title": "通报"})
            published[0] += 1

    with running_hub(db_url, tmp / "fleet-hub.log") as url:
        writer = threading.Thread(target=command_centre, daemon=True)
        writer.start()
        t0 = time.monotonic()
        try:
            times, errors = asyncio.run(_fleet_run(url, stations))
        finally:
            stop.set()
            writer.join(30)
        wall = time.monotonic() - t0
        load = os.getloadavg()
        if errors:
            errs = [ln for ln in (tmp / "fleet-hub.log").read_text().splitlines() if "Error" in ln]
            print("hub errors:", *errs[-10:], sep="\n  ")
    engine.dispose()
    return {
        "times": times,
        "errors": errors,
        "wall_s": wall,
        "published": published[0],
        "load": load,
    }


def main() -> int:
    result = Result(
        "sync",
        notes={
            "backlog": BACKLOG,
            "round_trip_changes": ROUND_TRIP,
            "round_trips": TRIPS,
            "fleet": {
                "stations": FLEET,
                "period_s": PERIOD_S,
                "cycles": CYCLES,
                "changes_per_cycle": CHANGES_PER_CYCLE,
                "how": (
                    "real time, not compressed: each simulated station (an asyncio task "
                    "speaking the sync protocol over one httpx pool, in the bench process) "
                    "syncs every period_s, starts staggered evenly over one period; a "
                    "cycle is push + pull of its station and district feeds; the hub side "
                    "publishes an instruction every 0.5 s and now and then a bulletin; "
                    "PostgreSQL hub, one uvicorn process, same 2 cores as the clients"
                ),
            },
        },
    )
    engines: dict[str, tuple[float, float]] = {}
    pg_reason = pg_unavailable()
    # The machine is shared: say how busy it was, as the figures depend on it.
    result.notes["load_average_at_start"] = [round(x, 1) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        (tmp / "sqlite").mkdir()
        push_s, trips = backlog_and_round_trip(
            f"sqlite:///{tmp}/sqlite/hub.sqlite3", tmp / "sqlite"
        )
        engines["sqlite"] = (push_s, statistics.median(trips))
        fleet_out = None
        if pg_reason is None:
            (tmp / "pg").mkdir()
            with throwaway_postgres() as pg_url:
                push_s, trips = backlog_and_round_trip(pg_url, tmp / "pg")
                engines["postgresql"] = (push_s, statistics.median(trips))
            with throwaway_postgres() as pg_url:
                fleet_out = fleet(pg_url, tmp / "pg")
        else:
            result.notes["postgresql_skipped"] = pg_reason
    for name, (push_s, trip_ms) in engines.items():
        other = "postgresql" if name == "sqlite" else "sqlite"
        ref = engines.get(other)
        result.add(
            f"push_100k_s_{name}",
            push_s,
            target=30,
            unit="s",
            reference=(f"same run, {other} hub", ref[0]) if ref else None,
        )
        result.add(
            f"round_trip_100_ms_{name}",
            trip_ms,
            target=200,
            unit="ms",
            reference=(f"same run, {other} hub", ref[1]) if ref else None,
        )
    if fleet_out is not None:
        times = fleet_out["times"]
        result.add("fleet_500_sync_p99_s_postgresql", percentile(times, 0.99), target=2, unit="s")
        result.add("fleet_500_sync_p50_s_postgresql", percentile(times, 0.5), target=None, unit="s")
        result.add("fleet_500_sync_max_s_postgresql", max(times), target=None, unit="s")
        result.add("fleet_500_failed_cycles", fleet_out["errors"], target=0, unit="cycles")
        result.notes["fleet"].update(
            load_average_after_fleet=[round(x, 1) for x in fleet_out["load"]],
            cycles_done=len(times),
            failed_cycle_errors=ERROR_KINDS,
            wall_s=round(fleet_out["wall_s"], 1),
            hub_publishes=fleet_out["published"],
        )
    result.notes["load_average_at_end"] = [round(x, 1) for x in os.getloadavg()]
    if not SMOKE:  # smoke runs only prove the bench works; they keep no file
        result.write()
    print(result.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
