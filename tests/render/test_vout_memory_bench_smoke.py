"""CI smoke of ``bench/vout_memory.py``: every video output starts, draws and is measured.

No figures are judged here (a smoke run makes six starts per output); the test checks the
measuring path end to end: each output's child process ran, its starts reached a video
output, and both readings are in the result.
"""

from __future__ import annotations

import shutil

import pytest

from drivers.vlc_options import VIDEO_OUTPUT_OPTIONS
from tests.bench_smoke import run_smoke

pytestmark = pytest.mark.render

if shutil.which("Xvfb") is None:
    pytest.skip("Xvfb is not installed (scripts/bootstrap installs it)", allow_module_level=True)


def test_every_output_is_started_and_measured() -> None:
    result = run_smoke("vout_memory")
    runs = result["notes"]["runs"]
    assert set(runs) == set(VIDEO_OUTPUT_OPTIONS)
    for output, run in runs.items():
        # One start of six may miss its 3 s on a busy CI machine; an output that cannot draw
        # misses them all.
        assert run["starts"] > 0 and run["with_picture"] >= run["starts"] - 1, (output, run)
        assert run["after_warm_up"]["in_use_kb"] > 0 and run["at_end"]["rss_kb"] > 0, run
        assert f"heap_kept_per_start_{output}_kb" in result["metrics"]
    assert result["metrics"]["heap_kept_per_start_gles2_kb"]["reference"]["name"] == "x11"
