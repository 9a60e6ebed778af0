"""P8 benchmarks run end to end in smoke mode: the storage bench on a 1/100 precinct in the
console's own tables, and the GUI start on such a precinct (no timing thresholds here: the
figures are for bench/results; these tests only make sure the benchmarks still run and
still measure everything they promise)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"

# What bench/storage.py promises to time (besides start_to_usable_s), one per page action.
STORAGE_QUERIES = [
    "camera_tree",
    "camera_tree_search",
    "cameras_of_site",
    "inventory_counts",
    "fault_desk_open",
    "fault_desk_overdue",
    "fault_desk_community",
    "fault_desk_all_faults",
    "fault_desk_find_camera_in_all",
    "camera_fault_history",
    "fault_desk_open_one",
    "health_dashboard",
    "open_faults_by_owner_unit",
    "online_rate_7d_by_site",
    "online_rate_daily_90d_by_community",
    "alarm_bar",
    "incident_desk_30d",
    "incident_desk_year_site_category",
    "incident_desk_year_text",
    "incident_open_one",
    "incident_stats_30d_by_day",
    "incident_stats_year_by_month",
    "incident_alerts",
    "patrol_page",
    "duty_page",
    "patrol_coverage_of_shift",
    "tour_cycle_of_widest_plan",
    "camera_viewings_30d",
    "handover_open_items",
    "spot_check_view",
    "shift_list",
    "audit_page",
    "audit_of_officer",
    "audit_fault_actions",
    "audit_logins",
]


def run_smoke(bench: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", f"bench.{bench}"],
        env={**os.environ, "SC_BENCH_SMOKE": "1", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result: dict[str, Any] = json.loads((RESULTS / f"{bench}-smoke.json").read_text("utf-8"))
    assert result["bench"] == bench and result["smoke"] is True
    for name, metric in result["metrics"].items():
        assert math.isfinite(metric["value"]), name
        assert {"value", "target", "unit", "better"} <= set(metric)
    return result


def test_storage_bench_times_every_page_query_on_the_console_tables() -> None:
    committed = RESULTS / "storage.json"
    before = committed.read_bytes() if committed.exists() else None
    result = run_smoke("storage")
    promised = {"start_to_usable_s", *(f"{q}_ms" for q in STORAGE_QUERIES)}
    assert set(result["metrics"]) == promised
    # The precinct was read back by the services: the audit chain verified, faults replayed.
    checked = result["notes"]["checked"]
    assert checked["audit_chain_verified_rows"] > 0 and checked["open_faults"] > 0
    assert result["notes"]["rows"]["camera_views"] > 0
    # The committed full-scale result is left alone.
    assert (committed.read_bytes() if committed.exists() else None) == before


def test_gui_start_bench_opens_a_usable_window_offscreen() -> None:
    result = run_smoke("gui_start")
    assert set(result["metrics"]) == {"launch_to_usable_window_s"}
    assert result["notes"]["cameras_in_tree"] > 0
