"""The P9 benchmark runs end to end in its smoke mode (figures are for bench/results only)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.hub.conftest import ROOT


def test_sync_bench_smoke() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "sync.py")],
        env={**os.environ, "SC_BENCH_SMOKE": "1", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    for name in ("push_100k_s_sqlite", "round_trip_100_ms_sqlite"):
        assert any(line.strip().startswith(name + ":") for line in lines), out.stdout
    if os.geteuid() == 0:  # PostgreSQL figures need the throw-away cluster (root)
        assert any("fleet_500_failed_cycles: 0 " in line for line in lines), out.stdout
