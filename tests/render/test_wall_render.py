"""The wall on a real X server with real libVLC: each tile shows its own camera, recovers.

Each scenario runs in a child process (``tests/render/harness.py``): it needs Qt's xcb
platform while the rest of the suite runs offscreen. What a tile shows is read from the
screenshot's pixels (the simulator's time code carries the camera index), not from the
console's own idea of what it shows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.render

if shutil.which("Xvfb") is None:
    pytest.skip("Xvfb is not installed (scripts/bootstrap installs it)", allow_module_level=True)


def run(scenario: str, *args: str, timeout: float = 240) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SC_NO_KEYRING": "1"}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.render.harness", scenario, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_each_tile_of_a_4x4_wall_shows_its_own_camera() -> None:
    result = run("identity", "--cameras", "16", "--layout", "16")
    assert result["all_shown"], result
    assert all(result["matched"]), result["matched"]
    assert result["states"] == ["live"] * 16
    assert result["latencies_ms"]  # decoded from the screen; figures go to bench/wall.py


def test_tiles_decode_in_software_and_skip_opengl_where_it_is_a_software_renderer() -> None:
    """``set_xwindow`` resets libVLC's hardware-decoding and output choices, so they travel as
    a media option and instance options nobody resets (drivers.vlc_options); checked in
    libVLC's own log of what it loaded for two tiles, whose pictures are read from the
    screen (an output that draws into a window the tile never shows would fail here)."""
    from drivers.vlc_options import is_software_renderer

    r = run("video_output", "--cameras", "2")
    assert r["all_shown"] and r["reads"] == [0, 1], r
    assert r["hw_lookups"] and all('matching "none"' in x for x in r["hw_lookups"]), r
    if is_software_renderer(r["renderer"]):  # this machine: Mesa's llvmpipe under Xvfb
        assert "--gl=none" in r["options"] and "--gles2=none" in r["options"], r
        assert not r["glx_used"], r
        assert r["displays_used"] == ['using vout display module "xcb_x11"'], r
    else:
        assert "--gl=none" not in r["options"], r


def test_the_wall_moved_to_its_own_window_and_back_still_shows_every_camera() -> None:
    r = run("detach", "--cameras", "4", "--layout", "4")
    assert r["all_shown"], r
    for step in ("attached", "detached", "detached_resized", "reattached"):
        assert r[step] == r["expected"], (step, r)


def test_reboot_comes_back_stall_and_wrong_password_are_named() -> None:
    r = run("recovery", "--cameras", "4")
    assert r["reboot_left_live"] and r["reboot_state_seen"] in ("reconnecting", "offline"), r
    assert r["reboot_back"], r
    assert r["reboot_tile_reads_camera"] == 1, r
    assert r["stall_reported"] and r["stall_reason"] == "The camera stopped sending video.", r
    assert r["stall_recovered"], r
    assert r["auth_reported"] and "password" in r["auth_reason"], r


def test_tiles_switched_again_before_their_picture_still_show_their_own_camera() -> None:
    r = run("rapid_switch", "--cameras", "8")
    assert r["shown"] == r["expected"], r
    assert r["states"] == ["live"] * 4, r
    # ... and the players switched away are gone from memory, not only stopped.
    assert r["players_on_wall"] == 4, r
    assert r["libvlc_players_alive"] == r["tile_players_alive"] == 4, r


def test_enlarge_switches_to_main_and_snapshot_is_recorded() -> None:
    r = run("enlarge_snapshot", "--cameras", "4")
    assert r["main_shown"] and r["stream"] == "main"
    assert r["enlarged_reads_camera"] == 0
    assert r["snapshot_camera"] == 0 and r["snapshot_size"] == [720, 1280]
    assert r["back_to_sub"]
    # Every stream change is its own viewing record: four sub tiles, main enlarged, sub again.
    assert r["viewings"] == [["sub", 0]] * 4 + [["main", 1], ["sub", 0]]


def test_tour_prerolls_and_skips_an_offline_camera_with_a_logged_reason() -> None:
    r = run("tour", "--cameras", "8")
    pre = r["prerolled"]
    assert pre["missing"] == 0  # every tile showed its step's camera (read from the pixels)
    assert pre["prerolled_ready"] >= len(pre["gaps_ms"]) // 2  # decoded before the step
    skip = r["skipping"]
    assert skip["missing"] == 0
    assert len(skip["skip_log"]) == 1 and r["offline_name"] in skip["skip_log"][0]
    assert "cannot be reached" in skip["skip_log"][0]
