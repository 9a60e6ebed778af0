"""The Live-wall issue's "done when", end to end from ``--demo`` (tests/render/walkthrough.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.render

if shutil.which("Xvfb") is None:
    pytest.skip("Xvfb is not installed (scripts/bootstrap installs it)", allow_module_level=True)


def test_officer_fills_enlarges_moves_a_dome_snapshots_and_sees_a_reboot_recover() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SC_NO_KEYRING": "1"}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.render.walkthrough"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=420, check=False,
    )  # fmt: skip
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    assert lines, proc.stderr[-3000:]
    r = json.loads(lines[-1])
    assert r["done"] and "error" not in r, r
    assert r["tiles_showing_their_camera"] == 16, r
    assert r["enlarged_stream"] == "main" and r["enlarged_reads_camera"] and r["restored"], r
    assert r["dome_tile"] is not None and r["dome_moved_right"] and r["dome_stopped"], r
    assert r["snapshot_is_jpeg"] and r["snapshot_recorded"], r
    assert r["reboot_state_seen"] in ("reconnecting", "offline"), r
    assert r["reboot_tile_reads_camera"], r
