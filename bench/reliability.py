"""R2/R5 sync reliability at the full counts of issue 9, recorded.

Runs the reliability tests of ``tests/hub`` with ``SC_RELIABILITY_FULL=1`` (100 ``kill -9``
runs per crash point, 10,000 operations through the faulty proxy with a 150 s outage, the
long Hypothesis state machine, a long schemathesis run), on both hub engines, and collects
what each test measured into ``bench/results/reliability.json``: runs, lost, duplicated,
convergence time after the link returns. The tests themselves assert 0 lost and 0
duplicated; this script keeps the counts.

``python bench/reliability.py [-k EXPR]``: ``-k`` is passed to pytest to run a subset, whose
rows then replace the same tests' rows in the existing result file (each row says when it
was measured). Every test may take up to an hour at full counts (pytest's 300 s default
timeout is lifted here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import RESULTS, machine  # noqa: E402

TESTS = [
    "tests/hub/test_crash.py",
    "tests/hub/test_faulty_network.py",
    "tests/hub/test_state_machine.py",
    "tests/hub/test_openapi_fuzz.py",
]


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "measured.jsonl"
        env = {
            **os.environ,
            "SC_RELIABILITY_FULL": "1",
            "SC_RELIABILITY_OUT": str(out),
            "PYTHONPATH": str(ROOT),
        }
        t0 = time.monotonic()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--timeout=3600",
                *TESTS,
                *argv,
            ],
            cwd=ROOT,
            env=env,
            timeout=6 * 3600,
            check=False,
        )
        wall = time.monotonic() - t0
        rows: list[dict[str, Any]] = (
            [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
        )
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    session = {"when": when, "args": argv, "pytest_exit_code": proc.returncode, "wall_s": wall}
    for r in rows:
        r["measured"] = when
    path = RESULTS / "reliability.json"
    sessions = [session]
    if "-k" in argv and path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))

        def key(r: dict[str, Any]) -> tuple[Any, ...]:
            return (r["test"], r["hub_engine"], r.get("point"), r.get("mode"))

        fresh = {key(r) for r in rows}
        rows = [r for r in old["runs"] if key(r) not in fresh] + rows
        sessions = [*old.get("sessions", []), session]
    body = {
        "bench": "reliability",
        "when": when,
        "machine": machine(),
        "sessions": sessions,
        "totals": {
            "lost": sum(int(r.get("lost", 0)) for r in rows),
            "duplicated": sum(int(r.get("duplicated", 0)) for r in rows),
            "server_errors": sum(int(r.get("server_errors", 0)) for r in rows),
            "crash_runs": sum(int(r.get("runs", 0)) for r in rows if r["test"] == "crash_point"),
            "crashes": sum(int(r.get("crashes", 0)) for r in rows if r["test"] == "crash_point"),
            "proxy_operations": sum(
                int(r.get("operations", 0)) for r in rows if r["test"] == "faulty_proxy"
            ),
            "max_converged_after_link_back_s": max(
                (
                    float(r["converged_after_link_back_s"])
                    for r in rows
                    if "converged_after_link_back_s" in r
                ),
                default=None,
            ),
        },
        "targets": {"lost": 0, "duplicated": 0, "server_errors": 0, "converged_s": 60},
        "runs": rows,
    }
    if proc.returncode == 0:  # a failed run's counts are printed, not kept
        RESULTS.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    print(json.dumps(body["totals"], ensure_ascii=False, indent=2))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
