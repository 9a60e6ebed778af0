"""P8 benchmarks run end to end in smoke mode: the storage bench on a 1/100 precinct in the
console's own tables, and the GUI start on such a precinct (no timing thresholds here: the
figures are for bench/results; these tests only make sure the benchmarks still run and
still measure everything they promise)."""

from __future__ import annotations

from tests.bench_smoke import RESULTS, run_smoke

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
