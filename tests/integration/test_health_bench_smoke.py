"""P6 and P7 benchmarks run end to end in smoke mode and write finite figures
(no timing thresholds here: the figures are for bench/results)."""

from __future__ import annotations

import pytest

from tests.bench_smoke import run_smoke


@pytest.mark.parametrize("bench", ["vqd", "health"])
def test_bench_smoke_writes_finite_results(bench: str) -> None:
    run_smoke(bench)
