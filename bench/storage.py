"""P8: storage at scale, on the console's own tables, through the services its pages call.

Builds ten years of a 2,000-camera station (``bench.storage_precinct``: 200k faults, 100k
incidents, 5M patrol entries, health roll-ups, the audit chain and the outbox that go with
them), opens it once as the console does, checks with the real services that they read it
as their own, then times:

* ``start_to_usable_s``: open the station (migration check, instance lock, dangling views),
  sign in (Argon2), load the camera tree and the counts;
* every list and report a page of the console asks the services for, signed in as the
  officer who asks: the duty officer on shift for the desk's pages, a duty leader for the
  spot check, the shift list and the audit log.

Target: start ≤ 2 s, every query ≤ 200 ms. ``SC_BENCH_SMOKE=1`` builds 1/100 of it and
writes ``storage-smoke.json``.

    python -m bench.storage [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Result, median, smoke
from bench.storage_precinct import PASSWORD, build
from bench.storage_precinct import scale as precinct_scale
from station_console.health.faults import FaultFilter
from station_console.incidents.model import Category, IncidentFilter, ReportStatus, State
from station_console.station import Station, open_station
from station_console.sync import merge


def scale() -> dict[str, int]:
    return precinct_scale(smoke())


def generate(data_dir: Path, sizes: dict[str, int], rng: random.Random) -> dict[str, Any]:
    """Build the precinct and start it once, as the console would have been started daily.

    The first start is the console's own: ``Database.close`` runs ``PRAGMA optimize``, so
    the query planner gets the statistics the console itself leaves, no more.
    """
    rows = build(data_dir, sizes, rng)
    st = open_station(data_dir, use_keyring=False)
    try:
        st.accounts.sign_in(on_duty(st), PASSWORD)
        st.accounts.sign_out()
    finally:
        st.close()
    return rows


def on_duty(st: Station) -> str:
    """The duty officer whose shift is open now."""
    return str(
        st.db.scalar("SELECT username FROM duty_shifts WHERE ended_at IS NULL ORDER BY id DESC")
    )


@dataclass(frozen=True)
class Subjects:
    """What the timed queries ask about, picked before the clock runs."""

    officer: str
    leader: str
    busiest_site: str
    community: str
    flaky_camera: str
    flaky_camera_name: str
    busy_camera: str
    open_fault: str
    incident: str
    incident_site: str
    widest_plan: str


def subjects(st: Station) -> Subjects:
    db = st.db
    flaky = db.query_one(
        "SELECT f.camera_id, c.name FROM fault_tickets f JOIN cameras c ON c.id = f.camera_id "
        "GROUP BY f.camera_id ORDER BY count(*) DESC LIMIT 1"
    )
    assert flaky is not None
    since = (datetime.now(UTC) - timedelta(days=365)).isoformat()
    site = db.query_one(
        "SELECT site_id FROM incidents WHERE occurred_at >= ? GROUP BY site_id "
        "ORDER BY count(*) DESC LIMIT 1",
        (since,),
    )
    assert site is not None
    return Subjects(
        officer=on_duty(st),
        leader=str(db.scalar("SELECT username FROM users WHERE role = 'duty_leader' LIMIT 1")),
        busiest_site=str(
            db.scalar("SELECT site_id FROM cameras GROUP BY site_id ORDER BY count(*) DESC")
        ),
        community=str(
            db.scalar(
                "SELECT s.community FROM fault_tickets f JOIN cameras c ON c.id = f.camera_id "
                "JOIN sites s ON s.id = c.site_id WHERE f.status <> 'closed' "
                "GROUP BY s.community ORDER BY count(*) DESC"
            )
            or ""
        ),
        flaky_camera=flaky[0],
        flaky_camera_name=flaky[1],
        busy_camera=str(
            db.scalar(
                "SELECT camera_id FROM camera_views WHERE id > (SELECT max(id) - 20000 FROM "
                "camera_views) GROUP BY camera_id ORDER BY count(*) DESC"
            )
        ),
        open_fault=str(
            db.scalar(
                "SELECT id FROM fault_tickets WHERE status <> 'closed' ORDER BY opened_at DESC"
            )
        ),
        incident=str(
            db.scalar(
                "SELECT i.id FROM incidents i JOIN incident_media m ON m.incident_id = i.id "
                "WHERE i.state = 'closed' ORDER BY i.occurred_at DESC"
            )
        ),
        incident_site=str(site[0]),
        widest_plan=str(
            db.scalar(
                "SELECT id FROM patrol_plans WHERE retired_at IS NULL "
                "ORDER BY length(steps) DESC LIMIT 1"
            )
        ),
    )


Query = Callable[[], Any]

# What each metric is: the officer's action, and the service call the page makes for it.
CALLS = {
    "camera_tree": "camera tree loads: inventory.tree()",
    "camera_tree_search": "types in the tree's search box: inventory.tree('0012')",
    "cameras_of_site": "opens the busiest site: inventory.cameras(site_id=...)",
    "inventory_counts": "status bar counts: inventory.counts()",
    "fault_desk_open": "fault desk opens (open faults): health.faults.faults(FaultFilter())",
    "fault_desk_overdue": "fault desk, overdue: faults(FaultFilter(overdue_only=True))",
    "fault_desk_community": "fault desk, one community: faults(FaultFilter(community=...))",
    "fault_desk_all_faults": "fault desk, scope all: faults(FaultFilter(open_only=False))",
    "fault_desk_find_camera_in_all": (
        "fault desk, scope all, searches the flakiest camera's name: "
        "faults(FaultFilter(open_only=False, search=name))"
    ),
    "camera_fault_history": (
        "a camera's whole fault history: faults(FaultFilter(open_only=False, camera_id=...))"
    ),
    "fault_desk_open_one": "selects a fault: faults.fault(id) + faults.history(id)",
    "health_dashboard": (
        "health dashboard loads: store.summary, store.online_rate('station', 24 h), "
        "faults.open_by_kind, faults.open_by_owner, faults.mean_time_to_repair_hours(30 d), "
        "store.never_seen"
    ),
    "open_faults_by_owner_unit": "open faults by owner unit: faults.open_by_owner()",
    "online_rate_7d_by_site": "dashboard online rate, by site, 7 days: store.online_rate",
    "online_rate_daily_90d_by_community": (
        "daily online-rate report, 90 days by community: store.online_rate_daily "
        "(no page calls it yet)"
    ),
    "alarm_bar": "alarm bar loads: health.alarms.alarms()",
    "incident_desk_30d": "incident desk opens (last 30 days): incidents.search + changes_waiting",
    "incident_desk_year_site_category": (
        "incidents of a year at one site, one category: incidents.search(IncidentFilter(...))"
    ),
    "incident_desk_year_text": "incidents of a year by text: incidents.search(text=...)",
    "incident_open_one": "selects an incident: incidents.detail(id)",
    "incident_stats_30d_by_day": "statistics tab, 30 days by day: incidents.stats(..., 'day')",
    "incident_stats_year_by_month": "statistics, a year by month: incidents.stats(..., 'month')",
    "incident_alerts": "pending instructions: incidents.instructions(pending_only=True)",
    "patrol_page": "patrol page loads: patrol.plans, inventory.cameras, sites, patrol.watches",
    "duty_page": (
        "duty page loads: duty.current, events, last_handover, inventory.cameras, "
        "patrol.coverage of every plan since the shift began"
    ),
    "patrol_coverage_of_shift": "coverage of the widest plan this shift: patrol.coverage",
    "tour_cycle_of_widest_plan": "one tour cycle of the widest plan: patrol.cycle",
    "camera_viewings_30d": "a camera's viewings, 30 days: wall.viewings(camera_id, since)",
    "handover_open_items": "ends the shift, open items gathered: duty.open_items()",
    "spot_check_view": "duty leader's spot check: duty.spot_view()",
    "shift_list": "shift list: duty.shifts()",
    "audit_page": "audit log opens (newest 2,000): audit.entries(limit=2000)",
    "audit_of_officer": "audit log, one officer: audit.entries(actor=...)",
    "audit_fault_actions": "audit log, actions 'fault.': audit.entries(action='fault.')",
    "audit_logins": "audit log, actions 'login': audit.entries(action='login')",
}


def officer_queries(st: Station, s: Subjects) -> dict[str, Query]:
    """The duty officer's pages: camera tree, fault desk, health, incidents, patrol, duty."""
    h = st.health
    now = datetime.now(UTC)
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    month = IncidentFilter(since=(day_start - timedelta(days=30)).isoformat(),
                           until=(day_start + timedelta(days=1)).isoformat())  # fmt: skip
    year_start = (day_start - timedelta(days=365)).isoformat()

    def health_dashboard() -> Any:  # ui.health.dashboard.HealthDashboard.load
        since = (datetime.now(UTC) - timedelta(days=30)).isoformat()
        return (
            h.faults.mean_time_to_repair_hours(since),
            h.store.summary(),
            h.store.online_rate("station", hours=24),
            h.faults.open_by_kind(),
            h.faults.open_by_owner(),
            h.store.never_seen(),
        )

    def fault_desk_open_one() -> Any:  # ui.health.fault_desk: a row is selected
        return h.faults.fault(s.open_fault), h.faults.history(s.open_fault)

    def incident_desk() -> Any:  # ui.incidents.desk.IncidentDesk.refresh
        return st.incidents.search(month), st.incidents.changes_waiting()

    def patrol_page() -> Any:  # ui.patrol.patrol_view.PatrolView.refresh
        return (st.patrol.plans(), st.inventory.cameras(), st.inventory.sites(),
                st.patrol.watches())  # fmt: skip

    def duty_page() -> Any:  # ui.patrol.duty_view.DutyView.refresh (an officer)
        shift = st.duty.current()
        assert shift is not None, "the officer on duty has an open shift"
        since = datetime.fromisoformat(shift.started_at)
        return (
            st.duty.events(shift.id),
            st.duty.last_handover(),
            {c.id: c.name for c in st.inventory.cameras()},
            [(p.name, st.patrol.coverage(p, since, username=shift.username))
             for p in st.patrol.plans()],
        )  # fmt: skip

    def coverage_of_shift() -> Any:
        shift = st.duty.current()
        assert shift is not None
        plan = st.patrol.plan(s.widest_plan)
        return st.patrol.coverage(
            plan, datetime.fromisoformat(shift.started_at), username=shift.username
        )

    return {
        "camera_tree": lambda: st.inventory.tree(),
        "camera_tree_search": lambda: st.inventory.tree("0012"),
        "cameras_of_site": lambda: st.inventory.cameras(site_id=s.busiest_site),
        "inventory_counts": lambda: st.inventory.counts(),
        "fault_desk_open": lambda: h.faults.faults(FaultFilter()),
        "fault_desk_overdue": lambda: h.faults.faults(FaultFilter(overdue_only=True)),
        "fault_desk_community": lambda: h.faults.faults(FaultFilter(community=s.community)),
        "fault_desk_all_faults": lambda: h.faults.faults(FaultFilter(open_only=False)),
        "fault_desk_find_camera_in_all": lambda: h.faults.faults(
            FaultFilter(open_only=False, search=s.flaky_camera_name)
        ),
        "camera_fault_history": lambda: h.faults.faults(
            FaultFilter(open_only=False, camera_id=s.flaky_camera)
        ),
        "fault_desk_open_one": fault_desk_open_one,
        "health_dashboard": health_dashboard,
        "open_faults_by_owner_unit": lambda: h.faults.open_by_owner(),
        "online_rate_7d_by_site": lambda: h.store.online_rate("site", hours=24 * 7),
        "online_rate_daily_90d_by_community": lambda: h.store.online_rate_daily(
            "community", days=90
        ),
        "alarm_bar": lambda: h.alarms.alarms(),
        "incident_desk_30d": incident_desk,
        "incident_desk_year_site_category": lambda: st.incidents.search(
            IncidentFilter(since=year_start, site_id=s.incident_site, category=Category.THEFT)
        ),
        "incident_desk_year_text": lambda: st.incidents.search(
            IncidentFilter(since=year_start, text="电动车")
        ),
        "incident_open_one": lambda: st.incidents.detail(s.incident),
        "incident_stats_30d_by_day": lambda: st.incidents.stats(
            day_start - timedelta(days=30), day_start + timedelta(days=1), "day"
        ),
        "incident_stats_year_by_month": lambda: st.incidents.stats(
            day_start - timedelta(days=365), day_start + timedelta(days=1), "month"
        ),
        "incident_alerts": lambda: st.incidents.instructions(pending_only=True),
        "patrol_page": patrol_page,
        "duty_page": duty_page,
        "patrol_coverage_of_shift": coverage_of_shift,
        "tour_cycle_of_widest_plan": lambda: st.patrol.cycle(st.patrol.plan(s.widest_plan)),
        "camera_viewings_30d": lambda: st.wall.viewings(
            camera_id=s.busy_camera, since=(now - timedelta(days=30)).isoformat()
        ),
        "handover_open_items": lambda: st.duty.open_items(),
    }


def leader_queries(st: Station, s: Subjects) -> dict[str, Query]:
    """The duty leader's: spot check, shift list, audit log."""
    return {
        "spot_check_view": lambda: st.duty.spot_view(),
        "shift_list": lambda: st.duty.shifts(),
        "audit_page": lambda: st.audit.entries(limit=2000),  # ui.audit_view: no filter
        "audit_of_officer": lambda: st.audit.entries(actor=s.officer, limit=2000),
        "audit_fault_actions": lambda: st.audit.entries(action="fault.", limit=2000),
        "audit_logins": lambda: st.audit.entries(action="login", limit=2000),
    }


def check(st: Station, *, full_audit: bool) -> dict[str, Any]:
    """Prove the services read the precinct as their own; raise if they do not."""
    db = st.db
    problems = db.query("PRAGMA foreign_key_check")
    assert not problems, f"foreign keys broken: {[tuple(r) for r in problems[:5]]}"
    st.accounts.sign_in(on_duty(st), PASSWORD)
    # A fault's state is the merge of its outbox changes (sync.merge, as the hub merges it).
    sample = [r[0] for r in db.query("SELECT id FROM fault_tickets ORDER BY random() LIMIT 100")]
    for fid in sample:
        state: merge.State = {}
        for fields, hlc in db.query(
            "SELECT fields, hlc FROM outbox WHERE entity = 'fault' AND entity_id = ? ORDER BY seq",
            (fid,),
        ):
            change = merge.change_to_state(json.loads(fields), hlc)
            state, _ = merge.merge_states("fault", state, change)
        stored = db.scalar("SELECT state FROM fault_tickets WHERE id = ?", (fid,))
        assert merge.state_to_json(state) == stored, f"fault {fid}: state is not its changes"
        st.health.faults.fault(fid)
        st.health.faults.history(fid)
    open_faults = st.health.faults.faults(FaultFilter(limit=100_000))
    assert open_faults, "no open fault"
    # Incidents: every report has its outbox rows; all but the newest changes were pushed.
    for r in db.query("SELECT id FROM incidents ORDER BY random() LIMIT 100"):
        st.incidents.detail(r[0])
    old = st.incidents.search(IncidentFilter(until=(datetime.now(UTC) - timedelta(days=1))
                                             .isoformat(), limit=5000))  # fmt: skip
    statuses = {i.report_status for i in old if i.state is not State.CAPTURED}
    assert ReportStatus.QUEUED not in statuses and ReportStatus.NOT_REPORTED not in statuses
    # The clock continues after the last stamp the precinct's changes carry.
    last = str(db.scalar("SELECT max(hlc) FROM outbox"))
    assert st.clock.tick().encode() > last, "the HLC would go backwards"
    assert db.scalar("SELECT count(*) FROM camera_views WHERE ended_at IS NULL") == 0
    notes: dict[str, Any] = {
        "open_faults": len(open_faults),
        "faults_replayed_from_outbox": len(sample),
    }
    if full_audit:
        verdict = st.audit.verify()
        assert verdict.ok, f"audit chain: {verdict}"
        notes["audit_chain_verified_rows"] = verdict.rows
    st.accounts.sign_out()
    return notes


def measure(data_dir: Path, repeats: int) -> tuple[list[float], dict[str, list[float]]]:
    starts: list[float] = []
    timings: dict[str, list[float]] = {}

    def timed(queries: dict[str, Query]) -> None:
        for name, fn in queries.items():
            t = time.perf_counter()
            fn()
            timings.setdefault(name, []).append((time.perf_counter() - t) * 1000)

    for _ in range(repeats):
        probe = sqlite3.connect(data_dir / "station.sqlite3")
        officer = str(
            probe.execute(
                "SELECT username FROM duty_shifts WHERE ended_at IS NULL ORDER BY id DESC"
            ).fetchone()[0]
        )
        probe.close()
        t0 = time.perf_counter()
        st = open_station(data_dir, use_keyring=False)
        try:
            st.accounts.sign_in(officer, PASSWORD)
            st.inventory.tree()
            st.inventory.counts()
            starts.append(time.perf_counter() - t0)
            s = subjects(st)
            timed(officer_queries(st, s))
            st.accounts.sign_in(s.leader, PASSWORD)
            timed(leader_queries(st, s))
        finally:
            st.close()
    return starts, timings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--keep", type=Path, help="build/reuse the precinct in this directory")
    args = ap.parse_args(argv)
    os.environ.setdefault("SC_NO_KEYRING", "1")
    sizes = scale()
    tmp = None
    if args.keep:
        data_dir = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="sc-bench-storage-")
        data_dir = Path(tmp.name)
    result = Result("storage")
    try:
        if not (data_dir / "station.sqlite3").exists():
            t0 = time.perf_counter()
            result.notes["rows"] = generate(data_dir, sizes, random.Random(42))
            result.notes["generate_s"] = round(time.perf_counter() - t0, 1)
        st = open_station(data_dir, use_keyring=False)
        try:
            result.notes["checked"] = check(st, full_audit=smoke())
        finally:
            st.close()
        result.notes["sizes"] = sizes
        result.notes["db_mb"] = round((data_dir / "station.sqlite3").stat().st_size / 1e6, 1)
        starts, timings = measure(data_dir, repeats=3 if smoke() else 5)
    finally:
        if tmp:
            tmp.cleanup()
    result.add("start_to_usable_s", median(starts), target=2.0, unit="s")
    result.notes["start_note"] = (
        "core start: open + migrate check + sign-in (Argon2) + camera tree + counts; "
        "the GUI window start is measured by bench.gui_start"
    )
    for name, values in timings.items():
        result.add(f"{name}_ms", median(values), target=200, unit="ms")
    worst = max(timings, key=lambda n: median(timings[n]))
    result.notes["slowest_query"] = worst
    result.notes["repeats"] = 3 if smoke() else 5
    assert set(timings) == set(CALLS), set(timings) ^ set(CALLS)
    result.notes["calls"] = CALLS
    result.notes["not_measured"] = {
        "audit free-text search": (
            "audit.entries(text=...) is a substring scan of the whole log (LIKE '%x%' over "
            "target and detail); no index can serve it"
        ),
        "monthly online-rate report": "the console has none (daily roll-ups are the coarsest)",
    }
    assert all(math.isfinite(m["value"]) for m in result.metrics.values())
    path = result.write()
    print(result.summary())
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
