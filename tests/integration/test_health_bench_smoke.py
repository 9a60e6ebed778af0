"""P6 and P7 benchmarks run end to end in smoke mode and write finite figures
(no timing thresholds here: the figures are for bench/results)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("bench", ["vqd", "health"])
def test_bench_smoke_writes_finite_results(bench: str) -> None:
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
    result = json.loads((ROOT / "bench" / "results" / f"{bench}-smoke.json").read_text("utf-8"))
    assert result["bench"] == bench and result["metrics"]
    for name, metric in result["metrics"].items():
        assert math.isfinite(metric["value"]), name
        assert {"value", "target", "unit", "better"} <= set(metric)
