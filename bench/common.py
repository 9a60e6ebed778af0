"""Shared shape of benchmark results (targets.md): one JSON file per benchmark."""

from __future__ import annotations

import json
import os
import platform
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def smoke() -> bool:
    """CI runs every benchmark in a short smoke mode (SC_BENCH_SMOKE=1)."""
    return os.environ.get("SC_BENCH_SMOKE") == "1"


def machine() -> str:
    cores = os.cpu_count() or 0
    gpu = "no GPU"
    return f"{cores} cores, {platform.machine()}, {platform.system()} {platform.release()}, {gpu}"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Result:
    bench: str
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    def add(
        self,
        name: str,
        value: float,
        *,
        target: float | None,
        unit: str,
        better: str = "lower",
        reference: tuple[str, float] | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "value": round(value, 3),
            "target": target,
            "unit": unit,
            "better": better,
        }
        if target is not None:
            entry["met"] = value <= target if better == "lower" else value >= target
        if reference is not None:
            ref_name, ref_value = reference
            entry["reference"] = {"name": ref_name, "value": round(ref_value, 3)}
            entry["ratio"] = round(value / ref_value, 3) if ref_value else None
        self.metrics[name] = entry

    def write(self) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        suffix = "-smoke" if smoke() else ""
        path = RESULTS / f"{self.bench}{suffix}.json"
        body = {
            "bench": self.bench,
            "when": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "machine": machine(),
            "smoke": smoke(),
            "metrics": self.metrics,
            "notes": self.notes,
        }
        path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path

    def summary(self) -> str:
        lines = [f"{self.bench}{' (smoke)' if smoke() else ''}:"]
        for name, m in self.metrics.items():
            target = "" if m["target"] is None else f" target {m['target']}"
            met = "" if "met" not in m else (" ok" if m["met"] else " MISSED")
            ref = ""
            if "reference" in m:
                ref = f" ref {m['reference']['name']}={m['reference']['value']} ratio {m['ratio']}"
            lines.append(f"  {name}: {m['value']} {m['unit']}{target}{met}{ref}")
        return "\n".join(lines)
