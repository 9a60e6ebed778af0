"""Fixtures for hub and sync tests: a real hub process on loopback and real station files.

The hub runs as ``python -m hub serve`` (uvicorn) on a free 127.0.0.1 port with a SQLite
file in a temp dir; the test process opens the same file with :class:`hub.store.Hub` to
register stations and publish hub-side records, as the command centre would.
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from drivers.hub_client import HttpHubTransport
from hub.devpg import pg_unavailable, throwaway_postgres
from hub.schema import make_engine
from hub.store import Hub
from station_console.storage.database import Database
from station_console.storage.migrations import migrate
from station_console.sync.cli import configure
from station_console.sync.engine import SyncEngine
from station_console.sync.hlc import HybridClock
from station_console.sync.outbox import Outbox

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class HubProcess:
    url: str
    db_url: str
    hub: Hub
    proc: subprocess.Popen[bytes]

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client for raw protocol tests; closed after each test."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        c = httpx.Client(base_url=self.url, headers=headers, timeout=10, trust_env=False)
        _CLIENTS.append(c)
        return c


def start_hub(
    db_url: str,
    log: Path,
    *,
    extra: list[str] | None = None,
    scheme: str = "http",
    ca_file: str | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``python -m hub serve`` on a free loopback port; returns (process, base URL)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("ab") as fh:
        proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "hub",
                "serve",
                "--db",
                db_url,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                *(extra or []),
            ],
            cwd=ROOT,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    url = f"{scheme}://127.0.0.1:{port}"
    verify: Any = ssl.create_default_context(cafile=ca_file) if ca_file else True
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hub exited: {log.read_text()}")
        try:
            ok = httpx.get(f"{url}/healthz", timeout=1, trust_env=False, verify=verify)
            if ok.status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("hub did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


_CLIENTS: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def hub_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The hub database: a SQLite file, then a throwaway PostgreSQL (same suite)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.sqlite3'}"
        return
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    with throwaway_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def hub_process(hub_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    log = tmp_path_factory.mktemp("hublog") / "hub.log"
    proc, url = start_hub(hub_db_url, log)
    engine = make_engine(hub_db_url)
    try:
        yield HubProcess(url, hub_db_url, Hub(engine), proc)
    finally:
        stop(proc)
        engine.dispose()


@dataclass
class StationFixture:
    name: str
    station_id: str
    token: str
    data_dir: Path
    db: Database
    clock: HybridClock
    outbox: Outbox
    hub_url: str
    engines: list[SyncEngine] = field(default_factory=list)

    def engine(
        self, *, batch_size: int = 500, pull_limit: int = 500, transport: Any = None
    ) -> SyncEngine:
        t = transport or HttpHubTransport(self.hub_url, self.token, timeout=10)
        engine = SyncEngine(
            self.db,
            t,
            self.clock,
            station_id=self.station_id,
            batch_size=batch_size,
            pull_limit=pull_limit,
            wall=self.clock._wall,
        )
        self.engines.append(engine)
        return engine

    def add_site(self, name: str | None = None) -> str:
        site_id = str(uuid.uuid4())
        now = "2026-11-23T00:00:00Z"
        with self.db.write() as conn:
            values = {
                "id": site_id,
                "name": name or f"site-{site_id[:8]}",
                "kind": "street",
                "created_at": now,
                "updated_at": now,
            }
            conn.execute(
                "INSERT INTO sites(id, name, kind, created_at, updated_at) "
                "VALUES (:id, :name, :kind, :created_at, :updated_at)",
                values,
            )
            self.outbox.record(conn, "site", site_id, values)
        return site_id

    def rename_site(self, site_id: str, name: str) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE sites SET name = ? WHERE id = ?", (name, site_id))
            self.outbox.record(conn, "site", site_id, {"name": name})

    def delete_site(self, site_id: str) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM sites WHERE id = ?", (site_id,))
            self.outbox.record(conn, "site", site_id, {}, op="delete")

    def state(self, key: str) -> str | None:
        value = self.db.scalar("SELECT value FROM sync_state WHERE key = ?", (key,))
        return None if value is None else str(value)

    def reopen(self) -> None:
        """Close and reopen the database, as after a crash of the sync process."""
        self.db.close()
        self.db = Database(self.data_dir / "station.sqlite3")
        self.clock = HybridClock(self.station_id, wall=self.clock._wall)
        with self.db.write() as conn:
            self.clock.load(conn)
        self.outbox = Outbox(self.clock)


@pytest.fixture
def make_station(hub_process: HubProcess, tmp_path: Path) -> Iterator[Any]:
    made: list[StationFixture] = []

    def factory(
        name: str = "station", district: str = "district-1", wall: Any = time.time
    ) -> StationFixture:
        station_id, token = hub_process.hub.add_station(name, district)
        data_dir = tmp_path / f"{name}-{station_id[:8]}"
        data_dir.mkdir()
        db = Database(data_dir / "station.sqlite3")
        migrate(db)
        configure(db, hub_url=hub_process.url, token=token, station_id=station_id)
        clock = HybridClock(station_id, wall=wall)
        with db.write() as conn:
            clock.load(conn)
        st = StationFixture(
            name, station_id, token, data_dir, db, clock, Outbox(clock), hub_process.url
        )
        made.append(st)
        return st

    yield factory
    for st in made:
        for engine in st.engines:
            engine.transport.close()
        st.db.close()
