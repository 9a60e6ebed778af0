"""Run a benchmark in its smoke mode and read back what it wrote, for the CI smoke tests.

The figures of a smoke run mean little; what a smoke test checks is that the benchmark still
runs end to end and writes every metric finite, in the shape bench/results expects."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def run_smoke(bench: str, timeout: float = 300) -> dict[str, Any]:
    """``python -m bench.<bench>`` with ``SC_BENCH_SMOKE=1``; its ``<bench>-smoke.json``."""
    out = subprocess.run(
        [sys.executable, "-m", f"bench.{bench}"],
        env={**os.environ, "SC_BENCH_SMOKE": "1", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result: dict[str, Any] = json.loads((RESULTS / f"{bench}-smoke.json").read_text("utf-8"))
    assert result["bench"] == bench and result["smoke"] is True and result["metrics"]
    for name, metric in result["metrics"].items():
        assert math.isfinite(metric["value"]), name
        assert {"value", "target", "unit", "better"} <= set(metric)
    return result
