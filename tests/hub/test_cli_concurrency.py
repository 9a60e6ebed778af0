"""The ``station-console sync`` entry point, and concurrent writers on the hub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid

import httpx
from sqlalchemy import select

from hub.schema import feed_rows
from tests.hub.conftest import ROOT


def test_sync_command_once_json(hub_process, make_station) -> None:
    st = make_station("cli")
    st.add_site()
    with st.db.write() as conn:  # configure through the command line instead
        conn.execute("DELETE FROM sync_state WHERE key IN ('hub_url', 'hub_token')")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SC_HUB_TOKEN": st.token}
    cmd = [
        sys.executable,
        "-m",
        "station_console.sync.cli",
        "--data-dir",
        str(st.data_dir),
        "--hub",
        hub_process.url,
        "--once",
        "--json",
    ]
    out = subprocess.run(
        cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    status = json.loads(out.stdout)
    assert status["link"] == "ok" and status["backlog"] == 0 and status["pushed"] == 1
    assert st.state("hub_url") == hub_process.url
    # Unreachable hub: exit 1 and a named error, nothing lost.
    st.add_site()
    cmd[cmd.index("--hub") + 1] = "http://127.0.0.1:9"
    out = subprocess.run(
        cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    status = json.loads(out.stdout)
    assert out.returncode == 1 and status["link"] == "offline"
    assert status["error_kind"] == "unreachable" and status["backlog"] == 1


def test_concurrent_publishers_get_contiguous_feed_seqs(hub_process, make_station) -> None:
    st = make_station("concurrent")
    feed = f"station:{st.station_id}"
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                hub_process.hub.publish(
                    "district-1",
                    "instruction",
                    f"c-{st.station_id}-{n}-{i}",
                    {"title": "x"},
                    station_id=st.station_id,
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    with hub_process.hub.engine.connect() as conn:
        seqs = (
            conn.execute(
                select(feed_rows.c.seq).where(feed_rows.c.feed == feed).order_by(feed_rows.c.seq)
            )
            .scalars()
            .all()
        )
    assert seqs == list(range(1, 41))
    engine = st.engine(pull_limit=7)
    assert engine.sync_once().link == "ok"  # (the district feed may carry other tests' bulletins)
    assert st.db.scalar("SELECT count(*) FROM hub_instructions") == 40
    assert st.state(f"cursor:{feed}") == "40"


def test_first_hellos_of_a_new_district_race_without_a_5xx(hub_process, make_station) -> None:
    """Many stations of a fresh district say hello at once: the hub's first clock row is
    created by one of them and the others must not fail on the insert race."""
    district = f"district-race-{uuid.uuid4().hex[:6]}"
    stations = [make_station(f"race-{i}", district=district) for i in range(16)]
    barrier = threading.Barrier(len(stations))
    codes: list[int] = []

    def hello(st) -> None:
        with httpx.Client(base_url=hub_process.url, timeout=30, trust_env=False) as client:
            body = {"station_id": st.station_id, "epoch": "e", "base_seq": 0}
            barrier.wait(30)
            r = client.post(
                "/v1/sync/hello", json=body, headers={"Authorization": f"Bearer {st.token}"}
            )
            codes.append(r.status_code)

    threads = [threading.Thread(target=hello, args=(st,)) for st in stations]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert codes == [200] * len(stations)
