"""The incident key on a real wall (Xvfb, libVLC, simulator): the --demo "done when" path.

F8 on a live tile creates the incident at once (its clip pending), the clip saved a few
seconds later starts before the key press (read from the frames' time codes), the report
waits in the outbox (no hub in the rig), and the evidence export verifies.
"""

from __future__ import annotations

import pytest

from tests.render.test_wall_render import run

pytestmark = pytest.mark.render


def test_incident_key_on_a_live_tile() -> None:
    r = run("incident", "--cameras", "2")
    assert r["created"] and r["camera"] and r["form_open"], r
    assert r["clip_state_at_once"] == "pending"
    assert r["clip_state"] == "saved" and r["clip_camera"] == [1], r
    assert r["clip_starts_before_press_s"] >= 5.0  # the video from before the key press
    assert 2.0 <= r["clip_ends_after_press_s"] <= 3.0
    assert r["report_status"] == "queued" and r["outbox_rows"] >= 1
    assert r["export_verified"] and r["export_files"] == 4
