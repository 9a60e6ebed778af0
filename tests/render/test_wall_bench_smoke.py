"""CI smoke of the wall benchmark: ``bench/wall.py`` runs end to end and writes its results.

No timing thresholds here: the figures of a smoke run on a shared CI machine mean little.
The test only checks that every metric the benchmark promises is in the JSON file, with a
finite value, so a broken measurement path is caught before the next full run.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULT = ROOT / "bench" / "results" / "wall-smoke.json"
pytestmark = pytest.mark.render

if shutil.which("Xvfb") is None or shutil.which("ffplay") is None:
    pytest.skip("needs Xvfb and ffplay (scripts/bootstrap installs them)", allow_module_level=True)

METRICS = (
    "P1_latency_median_ms",
    "P1_latency_p95_ms",
    "P1_latency_ratio_to_ffplay",
    "P1_latency_median_vs_libvlc_default_ms",
    "P2_first_frame_cold_median_ms",
    "P2_first_frame_warm_median_ms",
    "P2_first_frame_cold_event_median_ms",
    "P2_first_frame_warm_event_median_ms",
    "P4_displayed_ratio_16_tiles_min_pct",
    "P4_fps_36_tiles_min",
    "P4_cpu_per_frame_16_tiles_ms",
    "P4_cpu_per_frame_ratio_16_tiles",
    "P4_cpu_per_frame_36_tiles_ms",
    "P4_cpu_per_frame_ratio_36_tiles",
    "P10_stall_max_ms",
    "P10_stall_p99_ms",
    "P11_rss_growth_mb",
    "P11_rss_growth_after_first_tenth_mb",
    "P11_rss_growth_second_half_mb",
    "P11_threads_leaked",
    "P11_fds_leaked",
    "P11_tiles_recovered_pct",
    "P11_switches",
    "P11_reboots",
)


def test_wall_bench_smoke_writes_every_metric() -> None:
    RESULT.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SC_BENCH_SMOKE": "1", "SC_NO_KEYRING": "1"}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.wall"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert RESULT.exists(), proc.stderr[-3000:]
    body = json.loads(RESULT.read_text("utf-8"))
    assert body["bench"] == "wall" and body["smoke"] is True
    assert body["machine"] and body["load_average"]
    metrics = body["metrics"]
    assert sorted(metrics) == sorted(METRICS)
    for name, metric in metrics.items():
        assert {"value", "target", "unit", "better"} <= set(metric), name
        assert ("met" in metric) == (metric["target"] is not None), name  # judged if targeted
        assert isinstance(metric["value"], (int, float)), name
        assert math.isfinite(metric["value"]), (name, metric["value"])
    # The soak's descriptor census: at each rest after "before", the kinds whose count changed.
    changes = body["notes"]["P11"]["fds_changed_by_kind"]
    assert len(changes) == 3  # a tenth, half-way, after
    assert all(isinstance(n, int) for changed in changes for n in changed.values())
