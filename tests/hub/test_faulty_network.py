"""Sync through a proxy that delays, drops, resets, stalls and cuts: exactly-once effect.

CI runs a few hundred operations; ``SC_RELIABILITY_FULL=1`` runs the 10,000 of issue 9 and a
longer outage. After the operations, the link goes down while both sides keep changing
things, then comes back; the station's own background loop (real backoff) must catch up, and
the time from "link back" to "converged" is recorded (``tests/hub/reliability.py``).
"""

from __future__ import annotations

import json
import random
import threading
import time

from sqlalchemy import select

from drivers.hub_client import HttpHubTransport
from hub.schema import applied_ops, records
from hub.store import HubReject
from station_console.sync.local import record_fault_change
from station_console.sync.merge import FAULT_STATUS_ORDER, status_rank
from tests.hub import reliability
from tests.hub.faulty_proxy import FaultyProxy
from tests.hub.test_engine import local_names

OPERATIONS = reliability.count(ci=300, full_count=10_000)
OUTAGE_S = 150.0 if reliability.full() else 3.0  # long enough for backoff to reach its cap
ROUND = 50


def _sync_until_ok(engine, limit: int = 500):
    for _ in range(limit):
        status = engine.sync_once()
        if status.link == "ok":
            return status
        assert status.error_kind in ("unreachable", "timeout", "bad_response"), status.error
    raise AssertionError(f"no clean sync in {limit} attempts: {status.error}")


def _hub_ops(hub_process, station_id: str) -> list[str]:
    with hub_process.hub.engine.connect() as conn:
        return list(
            conn.execute(select(applied_ops.c.op_id).where(applied_ops.c.station_id == station_id))
            .scalars()
            .all()
        )


def hub_sites(hub_process, station_id: str) -> dict[str, str]:
    with hub_process.hub.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.entity_id, records.c.state, records.c.deleted).where(
                records.c.owner == station_id, records.c.entity == "site"
            )
        ).all()
    return {r[0]: json.loads(r[1])["name"][0] for r in rows if not r[2]}


def _hub_faults(hub_process, ids) -> dict[str, dict]:
    with hub_process.hub.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.entity_id, records.c.state).where(
                records.c.entity == "fault", records.c.entity_id.in_(sorted(ids))
            )
        ).all()
    return {r[0]: {k: v[0] for k, v in json.loads(r[1]).items()} for r in rows}


def _local_faults(st) -> dict[str, dict]:
    return {
        r[0]: {k: v[0] for k, v in json.loads(r[1]).items()}
        for r in st.db.query("SELECT id, state FROM fault_tickets")
    }


class Workload:
    """Random station and hub operations, and what they should add up to."""

    def __init__(self, hub_process, st, seed: int) -> None:
        self.hub = hub_process.hub
        self.st = st
        self.rng = random.Random(seed)
        self.sites: list[str] = []
        self.published: set[str] = set()
        self.top_status: dict[str, int] = {}
        self.ops = 0

    def step(self) -> None:
        rng, st = self.rng, self.st
        kind = rng.choice(["add", "add", "rename", "fault", "fault_edit", "ins", "hub_fault"])
        if kind == "rename" and self.sites:
            st.rename_site(rng.choice(self.sites), f"n-{self.ops}")
        elif kind == "fault" or (kind == "fault_edit" and not self.top_status):
            fid = f"f-{st.station_id}-{self.ops}"
            with st.db.write() as conn:
                record_fault_change(
                    conn, st.outbox, fid, {"camera_id": "c1", "status": "open", "summary": "黑屏"}
                )
            self.top_status[fid] = 0
        elif kind == "fault_edit":
            fid = rng.choice(sorted(self.top_status))
            status = rng.choice(FAULT_STATUS_ORDER)
            with st.db.write() as conn:
                record_fault_change(
                    conn, st.outbox, fid, {"status": status, "summary": f"s-{self.ops}"}
                )
            self.top_status[fid] = max(self.top_status[fid], status_rank(status))
        elif kind == "hub_fault" and self.top_status:
            fid = rng.choice(sorted(self.top_status))
            status = rng.choice(FAULT_STATUS_ORDER)
            try:
                self.hub.publish("district-1", "fault", fid, {"status": status, "assignee": "维修"})
            except HubReject as exc:  # not pushed yet: the hub cannot edit what it lacks
                assert exc.code == "not_found"
            else:
                self.top_status[fid] = max(self.top_status[fid], status_rank(status))
        elif kind == "ins":
            ins = f"ins-{st.station_id}-{self.ops}"
            self.hub.publish(
                "district-1", "instruction", ins, {"title": ins}, station_id=st.station_id
            )
            self.published.add(ins)
        else:
            self.sites.append(st.add_site())
        self.ops += 1

    def check(self, hub_process) -> tuple[int, int]:
        """(lost, duplicated) over everything the workload did."""
        st = self.st
        hub_ops = _hub_ops(hub_process, st.station_id)
        outbox_ops = [r[0] for r in st.db.query("SELECT op_id FROM outbox")]
        got = [r[0] for r in st.db.query("SELECT id FROM hub_instructions")]
        hub_view, local_view = hub_sites(hub_process, st.station_id), local_names(st)
        hub_f, local_f = _hub_faults(hub_process, self.top_status), _local_faults(st)
        lost = (
            len(set(outbox_ops) - set(hub_ops))
            + len(self.published - set(got))
            + sum(1 for k, v in local_view.items() if hub_view.get(k) != v)
            + sum(1 for k in self.top_status if k not in hub_f or hub_f[k] != local_f.get(k))
            + sum(
                1
                for k, top in self.top_status.items()
                if status_rank(local_f.get(k, {}).get("status")) != top
            )
        )
        duplicated = (
            len(hub_ops)
            - len(set(hub_ops))
            + len(set(hub_ops) - set(outbox_ops))
            + len(got)
            - len(set(got))
            + len(set(got) - self.published)
            + len(set(hub_view) - set(local_view))
        )
        return lost, duplicated


def test_exactly_once_through_a_faulty_link(hub_process, make_station) -> None:
    st = make_station("lossy")
    port = int(hub_process.url.rsplit(":", 1)[1])
    proxy = FaultyProxy(port, seed=7).start()
    stop = threading.Event()
    loop = None
    try:
        transport = HttpHubTransport(f"http://127.0.0.1:{proxy.port}", st.token, timeout=2)
        engine = st.engine(batch_size=20, pull_limit=10, transport=transport)
        work = Workload(hub_process, st, seed=11)
        attempts = 0
        while work.ops < OPERATIONS:
            for _ in range(ROUND):
                work.step()
            _sync_until_ok(engine)
            attempts += 1
        assert all(proxy.faults[k] > 0 for k in ("reset", "drop_reply", "delay")), proxy.faults
        busy_faults = dict(proxy.faults)

        # A partition while both sides keep working, then the link returns (with light faults).
        proxy.down = True
        # From here on the station runs as the console does: its own background loop, default
        # batch and page sizes (the small ones above only make faults hit mid-sync more).
        engine = st.engine(transport=transport)
        loop = threading.Thread(target=engine.run, args=(stop, 30.0), daemon=True)
        loop.start()
        end = time.monotonic() + OUTAGE_S
        while time.monotonic() < end:
            for _ in range(10):
                work.step()
            time.sleep(0.2)
        for name in ("p_reset_request", "p_drop_reply", "p_reset_mid_reply", "p_cut_reply"):
            setattr(proxy, name, 0.01)
        proxy.p_stall = 0.0
        back = time.monotonic()
        proxy.down = False
        want = set(work.published)
        deadline = back + 180  # a guard against hanging, not a performance threshold
        while time.monotonic() < deadline:
            status = engine.status()
            have = {r[0] for r in st.db.query("SELECT id FROM hub_instructions")}
            if status.link == "ok" and status.backlog == 0 and want <= have:
                break
            time.sleep(0.1)
        converged_s = time.monotonic() - back
        stop.set()
        loop.join(60)
        _sync_until_ok(engine)  # settle fault edits made by the hub during the outage
    finally:
        stop.set()
        proxy.stop()
    lost, duplicated = work.check(hub_process)
    reliability.record(
        "faulty_proxy",
        reliability.engine_name(hub_process.db_url),
        operations=work.ops,
        sync_rounds=attempts,
        faults_while_busy=busy_faults,
        faults_total=dict(proxy.faults),
        outage_s=OUTAGE_S,
        converged_after_link_back_s=round(converged_s, 2),
        lost=lost,
        duplicated=duplicated,
    )
    assert status.link == "ok" and status.backlog == 0, status
    assert want <= have
    assert (lost, duplicated) == (0, 0)
