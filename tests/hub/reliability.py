"""Counts for the reliability tests: small in CI, the full counts of issue 9 on request.

``SC_RELIABILITY_FULL=1`` switches every reliability test to its full count (100 kill -9 runs
per crash point, 10,000 operations through the faulty proxy, longer state-machine runs);
``SC_RELIABILITY_OUT=FILE`` makes each test append what it measured (one JSON object a
line) for ``bench/reliability.py`` to collect into ``bench/results/reliability.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def full() -> bool:
    return os.environ.get("SC_RELIABILITY_FULL") == "1"


def count(ci: int, full_count: int) -> int:
    return full_count if full() else ci


def record(test: str, engine: str, **measured: Any) -> None:
    """Append one measurement when a collector asked for it (never in plain CI runs)."""
    out = os.environ.get("SC_RELIABILITY_OUT")
    if not out:
        return
    row = {"test": test, "hub_engine": engine, "full": full(), **measured}
    with Path(out).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def engine_name(db_url: str) -> str:
    return "postgresql" if db_url.startswith("postgresql") else "sqlite"
