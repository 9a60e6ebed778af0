"""A Hypothesis state machine: several stations, partitions, lost replies, crashes, replays.

Each station is a real SQLite station database with its sync engine, talking HTTP to the
real hub process through a switch that can cut its link (a partition) or lose the hub's
next reply after the hub committed. A crash raises at one of the engine's named crash
points and throws the engine away; the database is reopened as after ``kill -9`` (an open
SQLite transaction rolls back either way; ``test_crash.py`` does the real ``kill -9``).

The model is what each side was asked to do. After every step: fault status never moves
backwards anywhere and no station's HLC goes backwards. At ``converge`` (a rule, and at the
end of every run): all links up, every station syncs, and hub and stations agree with the
model: nothing lost, nothing twice, each fault at the highest status anyone gave it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from drivers.hub_client import HttpHubTransport
from hub.schema import applied_ops, feeds, records
from hub.store import HubReject
from station_console.sync.engine import CRASH_POINTS
from station_console.sync.hlc import Hlc
from station_console.sync.local import record_fault_change
from station_console.sync.merge import FAULT_STATUS_ORDER, status_rank
from station_console.sync.protocol import Change, PushBatch
from station_console.sync.transport import TIMEOUT, UNREACHABLE, HubError, HubTransport
from tests.hub import reliability

STATIONS = 3
EXAMPLES = reliability.count(ci=15, full_count=100)
STEPS = reliability.count(ci=40, full_count=60)


class Crash(BaseException):
    """Stands for kill -9: nothing after it runs, open transactions roll back."""


class CrashAt:
    def __init__(self, point: str) -> None:
        self.point = point

    def __call__(self, point: str) -> None:
        if point == self.point:
            raise Crash(point)


class Switch(HubTransport):
    """A station's link: ``down`` refuses everything; ``lose_reply`` loses one answer."""

    def __init__(self, inner: HubTransport) -> None:
        self.inner = inner
        self.down = False
        self.lose_reply = False

    def _go(self, fn: Any, *args: Any) -> Any:
        if self.down:
            raise HubError(UNREACHABLE, "partition")
        result = fn(*args)
        if self.lose_reply:
            self.lose_reply = False
            raise HubError(TIMEOUT, "reply lost after the hub committed")
        return result

    def hello(self, req):  # type: ignore[no-untyped-def]
        return self._go(self.inner.hello, req)

    def push(self, batch):  # type: ignore[no-untyped-def]
        return self._go(self.inner.push, batch)

    def pull(self, feed, cursor, limit):  # type: ignore[no-untyped-def]
        return self._go(self.inner.pull, feed, cursor, limit)

    def snapshot(self, feed):  # type: ignore[no-untyped-def]
        return self._go(self.inner.snapshot, feed)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Sim:
    st: Any
    link: Switch
    engine: Any
    sites: dict[str, str] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)  # id -> highest status rank given
    instructions: set[str] = field(default_factory=set)
    n: int = 0

    def fresh_engine(self) -> None:
        self.engine = self.st.engine(batch_size=3, pull_limit=2, transport=self.link)


def _hub_records(hub, station_id: str) -> list[tuple[Any, ...]]:
    with hub.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.entity, records.c.entity_id, records.c.state, records.c.deleted)
            .where(records.c.owner == station_id)
            .order_by(records.c.entity, records.c.entity_id)
        ).all()
    return [tuple(r) for r in rows]


def _feed_seq(hub, feed: str) -> int:
    with hub.engine.connect() as conn:
        return int(conn.execute(select(feeds.c.last_seq).where(feeds.c.feed == feed)).scalar() or 0)


def _values(state_json: str) -> dict[str, Any]:
    return {k: v[0] for k, v in json.loads(state_json).items()}


TALLY: dict[str, int] = {}


def tally(name: str) -> None:
    TALLY[name] = TALLY.get(name, 0) + 1


class SyncMachine(RuleBasedStateMachine):
    hub_process: Any = None
    make_station: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.hub = self.hub_process.hub
        self.sims: list[Sim] = []
        for i in range(STATIONS):
            st_ = self.make_station(f"sm-{i}")
            link = Switch(HttpHubTransport(st_.hub_url, st_.token, timeout=10))
            sim = Sim(st_, link, None)
            sim.fresh_engine()
            self.sims.append(sim)
        self.bulletins: set[str] = set()
        self.seen_rank: dict[tuple[str, str], int] = {}
        self.seen_hlc: dict[str, Hlc] = {}
        self.since_converge = 0

    # -- station work ----------------------------------------------------------------------

    @rule(i=st.integers(0, STATIONS - 1))
    def add_site(self, i: int) -> None:
        sim = self.sims[i]
        site_id = sim.st.add_site()
        sim.sites[site_id] = sim.st.db.scalar("SELECT name FROM sites WHERE id = ?", (site_id,))

    @rule(i=st.integers(0, STATIONS - 1), pick=st.integers(0, 10**6))
    def rename_site(self, i: int, pick: int) -> None:
        sim = self.sims[i]
        if not sim.sites:
            return
        site_id = sorted(sim.sites)[pick % len(sim.sites)]
        sim.n += 1
        name = f"改名-{sim.n}"
        sim.st.rename_site(site_id, name)
        sim.sites[site_id] = name

    @rule(i=st.integers(0, STATIONS - 1), pick=st.integers(0, 10**6))
    def delete_site(self, i: int, pick: int) -> None:
        sim = self.sims[i]
        if not sim.sites:
            return
        site_id = sorted(sim.sites)[pick % len(sim.sites)]
        sim.st.delete_site(site_id)
        del sim.sites[site_id]

    @rule(
        i=st.integers(0, STATIONS - 1),
        pick=st.integers(0, 10**6),
        status=st.sampled_from(FAULT_STATUS_ORDER),
        new=st.booleans(),
    )
    def station_fault(self, i: int, pick: int, status: str, new: bool) -> None:
        sim = self.sims[i]
        sim.n += 1
        if new or not sim.faults:
            fid = f"f-{sim.st.station_id}-{sim.n}"
            fields = {"camera_id": f"cam-{sim.n}", "status": status, "summary": "无信号"}
        else:
            fid = sorted(sim.faults)[pick % len(sim.faults)]
            fields = {"status": status, "summary": f"站内更新-{sim.n}"}
        with sim.st.db.write() as conn:
            record_fault_change(conn, sim.st.outbox, fid, fields)
        sim.faults[fid] = max(sim.faults.get(fid, -1), status_rank(status))

    # -- hub work --------------------------------------------------------------------------

    @rule(
        i=st.integers(0, STATIONS - 1),
        pick=st.integers(0, 10**6),
        status=st.sampled_from(FAULT_STATUS_ORDER),
    )
    def hub_fault(self, i: int, pick: int, status: str) -> None:
        sim = self.sims[i]
        if not sim.faults:
            return
        fid = sorted(sim.faults)[pick % len(sim.faults)]
        try:
            self.hub.publish("district-1", "fault", fid, {"status": status, "assignee": "维修队"})
        except HubReject as exc:
            assert exc.code == "not_found"  # not pushed yet
            return
        sim.faults[fid] = max(sim.faults[fid], status_rank(status))

    @rule(i=st.integers(0, STATIONS - 1))
    def hub_instruction(self, i: int) -> None:
        sim = self.sims[i]
        sim.n += 1
        ins = f"ins-{sim.st.station_id}-{sim.n}"
        self.hub.publish(
            "district-1", "instruction", ins, {"title": "加强巡逻"}, station_id=sim.st.station_id
        )
        sim.instructions.add(ins)

    @rule()
    def hub_bulletin(self) -> None:
        b = f"bul-{len(self.bulletins)}-{id(self)}"
        self.hub.publish("district-1", "bulletin", b, {"title": "通报"})
        self.bulletins.add(b)

    # -- links, syncs, crashes -------------------------------------------------------------

    @rule(i=st.integers(0, STATIONS - 1), down=st.booleans())
    def set_link(self, i: int, down: bool) -> None:
        self.sims[i].link.down = down

    @rule(i=st.integers(0, STATIONS - 1))
    def lose_next_reply(self, i: int) -> None:
        self.sims[i].link.lose_reply = True

    @rule(i=st.integers(0, STATIONS - 1))
    def sync(self, i: int) -> None:
        sim = self.sims[i]
        status = sim.engine.sync_once()
        tally(f"sync_{status.link}")
        if sim.link.down:
            assert status.link == "offline"
        else:
            assert status.link in ("ok", "offline"), status.error

    @rule(i=st.integers(0, STATIONS - 1), point=st.sampled_from(CRASH_POINTS))
    def crash_during_sync(self, i: int, point: str) -> None:
        sim = self.sims[i]
        tally("crash_attempts")
        # Give the engine something to push and to pull, so the point is passed.
        self.add_site(i)
        self.hub_instruction(i)
        sim.engine._crash = CrashAt(point)
        try:
            sim.engine.sync_once()
        except Crash:
            tally("crashes")
        sim.st.reopen()  # the process is gone; a new one opens the same file
        sim.fresh_engine()

    @rule(i=st.integers(0, STATIONS - 1), a=st.integers(0, 10**6), b=st.integers(0, 10**6))
    def replay_old_batch(self, i: int, a: int, b: int) -> None:
        """Resend (reversed) changes the hub already acknowledged: nothing may change."""
        sim = self.sims[i]
        pushed = int(sim.st.state("pushed_seq") or 0)
        base = int(sim.st.state("epoch_base_seq") or 0)
        if pushed <= base or sim.link.down:
            return
        lo = base + 1 + a % (pushed - base)
        hi = lo + b % (pushed - lo + 1)
        rows = sim.st.db.query(
            "SELECT seq, op_id, entity, entity_id, op, fields, hlc FROM outbox "
            "WHERE seq BETWEEN ? AND ? ORDER BY seq DESC",
            (lo, hi),
        )
        changes = [Change(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]
        feed = f"station:{sim.st.station_id}"
        before = (_hub_records(self.hub, sim.st.station_id), _feed_seq(self.hub, feed))
        result = sim.link.inner.push(PushBatch(sim.st.station_id, sim.st.state("epoch"), changes))
        assert result.acked_seq >= pushed
        after = (_hub_records(self.hub, sim.st.station_id), _feed_seq(self.hub, feed))
        assert before == after
        tally("replays")

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def fault_status_never_moves_backwards(self) -> None:
        ids = [fid for sim in self.sims for fid in sim.faults]
        if not ids:
            return
        with self.hub.engine.connect() as conn:
            rows = conn.execute(
                select(records.c.entity_id, records.c.state).where(
                    records.c.entity == "fault", records.c.entity_id.in_(ids)
                )
            ).all()
        now = {("hub", r[0]): status_rank(_values(r[1]).get("status")) for r in rows}
        for sim in self.sims:
            for fid, status in sim.st.db.query("SELECT id, status FROM fault_tickets"):
                now[(sim.st.station_id, fid)] = status_rank(status)
        for key, rank in now.items():
            assert rank >= self.seen_rank.get(key, -1), key
            self.seen_rank[key] = rank

    @invariant()
    def hlc_never_moves_backwards(self) -> None:
        tally("steps")
        self.since_converge += 1
        for sim in self.sims:
            stored = sim.st.state("hlc")
            if stored:
                stamp = Hlc.decode(stored)
                prev = self.seen_hlc.get(sim.st.station_id)
                assert prev is None or stamp >= prev
                self.seen_hlc[sim.st.station_id] = stamp

    # -- convergence -----------------------------------------------------------------------

    @precondition(lambda self: self.since_converge >= 12)
    @rule()
    def converge(self) -> None:
        self.since_converge = 0
        for sim in self.sims:
            sim.link.down = False
            sim.link.lose_reply = False
        for _ in range(2):  # hub-side fault merges made by one pass reach the station next
            for sim in self.sims:
                status = sim.engine.sync_once()
                assert status.link == "ok" and status.backlog == 0, status
        for sim in self.sims:
            self._check(sim)
        tally("converged")

    def _check(self, sim: Sim) -> None:
        st_ = sim.st
        outbox_ops = [r[0] for r in st_.db.query("SELECT op_id FROM outbox")]
        with self.hub.engine.connect() as conn:
            hub_ops = (
                conn.execute(
                    select(applied_ops.c.op_id).where(applied_ops.c.station_id == st_.station_id)
                )
                .scalars()
                .all()
            )
        assert sorted(hub_ops) == sorted(outbox_ops)  # nothing lost, nothing twice
        recs = _hub_records(self.hub, st_.station_id)
        hub_sites = {r[1]: _values(r[2])["name"] for r in recs if r[0] == "site" and not r[3]}
        assert hub_sites == sim.sites
        assert {r[0]: r[1] for r in st_.db.query("SELECT id, name FROM sites")} == sim.sites
        hub_faults = {r[1]: json.loads(r[2]) for r in recs if r[0] == "fault"}
        local_faults = {
            r[0]: json.loads(r[1]) for r in st_.db.query("SELECT id, state FROM fault_tickets")
        }
        assert hub_faults == local_faults
        for fid, top in sim.faults.items():
            assert status_rank(hub_faults[fid]["status"][0]) == top, fid
        got = [r[0] for r in st_.db.query("SELECT id FROM hub_instructions")]
        assert sorted(got) == sorted(sim.instructions)
        bulletins = {r[0] for r in st_.db.query("SELECT id FROM hub_bulletins")}
        assert self.bulletins <= bulletins

    def teardown(self) -> None:
        self.since_converge = 12
        self.converge()


def test_stations_partitions_and_crashes_converge_to_the_model(hub_process, make_station) -> None:
    TALLY.clear()
    SyncMachine.hub_process = hub_process
    SyncMachine.make_station = staticmethod(make_station)
    run_state_machine_as_test(
        SyncMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        ),
    )
    assert TALLY.get("crashes", 0) > 0 and TALLY.get("replays", 0) > 0, TALLY
    assert TALLY.get("sync_offline", 0) > 0 and TALLY["converged"] >= EXAMPLES, TALLY
    reliability.record(
        "state_machine",
        reliability.engine_name(hub_process.db_url),
        stations=STATIONS,
        examples=EXAMPLES,
        steps_per_example=STEPS,
        tally=dict(TALLY),
        lost=0,
        duplicated=0,
    )
