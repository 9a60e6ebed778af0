"""kill -9 of the station sync process at named points, then rerun: nothing lost, nothing twice."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
from sqlalchemy import select

from hub.schema import applied_ops, feeds
from station_console.sync.engine import CRASH_POINTS
from tests.hub import reliability
from tests.hub.conftest import ROOT
from tests.hub.test_engine import hub_names, local_names

CHILD = ROOT / "tests" / "hub" / "_sync_child.py"
RUNS = reliability.count(ci=10, full_count=100)  # issue 9: 100 runs per point


def run_child(data_dir, point: str | None, after: int = 1) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SC_SYNC_CRASH_AT", None)
    if point:
        env["SC_SYNC_CRASH_AT"] = point
        env["SC_SYNC_CRASH_AFTER"] = str(after)
    proc = subprocess.run(
        [sys.executable, str(CHILD), str(data_dir)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode in (0, 137), proc.stderr.decode()[-2000:]
    return proc.returncode


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_crash_points_lose_and_duplicate_nothing(hub_process, make_station, point) -> None:
    rng = random.Random(point)
    st = make_station(f"crash-{point}")
    hub = hub_process.hub
    published: set[str] = set()
    crashes = 0
    for run in range(RUNS):
        ids = [st.add_site() for _ in range(rng.randint(2, 7))]
        st.rename_site(ids[0], f"renamed-{run}")
        for i in range(rng.randint(2, 5)):
            ins = f"ins-{st.station_id}-{run}-{i}"
            hub.publish("district-1", "instruction", ins, {"title": ins}, station_id=st.station_id)
            published.add(ins)
        rc = run_child(st.data_dir, point, after=rng.randint(1, 3))
        crashes += rc == 137
    assert crashes >= RUNS // 2, f"only {crashes} crashes at {point}"
    assert run_child(st.data_dir, None) == 0
    st.reopen()
    outbox_ops = [r[0] for r in st.db.query("SELECT op_id FROM outbox")]
    with hub.engine.connect() as conn:
        hub_ops = (
            conn.execute(
                select(applied_ops.c.op_id).where(applied_ops.c.station_id == st.station_id)
            )
            .scalars()
            .all()
        )
        last_seq = conn.execute(
            select(feeds.c.last_seq).where(feeds.c.feed == f"station:{st.station_id}")
        ).scalar_one()
    got = {r[0] for r in st.db.query("SELECT id FROM hub_instructions")}
    hub_view, local_view = hub_names(hub_process, st.station_id), local_names(st)
    lost = (
        len(set(outbox_ops) - set(hub_ops))
        + len(published - got)
        + sum(1 for k, v in local_view.items() if hub_view.get(k) != v)
    )
    duplicated = (
        len(hub_ops)
        - len(set(hub_ops))
        + len(set(hub_ops) - set(outbox_ops))
        + len(got - published)
        + len(set(hub_view) - set(local_view))
    )
    reliability.record(
        "crash_point",
        reliability.engine_name(hub_process.db_url),
        point=point,
        runs=RUNS,
        crashes=crashes,
        changes=len(outbox_ops),
        instructions=len(published),
        lost=lost,
        duplicated=duplicated,
    )
    assert len(hub_ops) == len(set(hub_ops)) == len(outbox_ops)
    assert set(hub_ops) == set(outbox_ops)
    assert hub_view == local_view
    assert got == published
    assert lost == duplicated == 0
    assert st.state(f"cursor:station:{st.station_id}") == str(last_seq)
    assert st.state("pushed_seq") == str(st.db.scalar("SELECT max(seq) FROM outbox"))
