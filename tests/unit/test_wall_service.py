"""Wall layouts, named views, viewing records and snapshots (real SQLite, real files)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from station_console.errors import PermissionDenied, ValidationError
from station_console.services.audit import AuditLog
from station_console.station import Station, open_station
from station_console.wall_layouts import STANDARD, WallLayout, merge, standard, validate
from tests.conftest import sign_in_as

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.mark.parametrize(
    ("name", "tiles", "grid"),
    [("1", 1, 1), ("4", 4, 2), ("6", 6, 3), ("8", 8, 4), ("9", 9, 3), ("16", 16, 4),
     ("25", 25, 5), ("36", 36, 6)],
)  # fmt: skip
def test_standard_layouts_cover_their_grid_without_overlap(name, tiles, grid) -> None:
    layout = standard(name)
    assert layout.size == tiles and layout.rows == layout.cols == grid
    validate(layout)
    cells = set().union(*(t.cells() for t in layout.tiles))
    assert cells == {(r, c) for r in range(grid) for c in range(grid)}


def test_merge_makes_a_span_and_refuses_a_crossing_tile() -> None:
    merged = merge(STANDARD["16"], 0, 5)  # top-left 2x2
    assert merged.size == 13 and merged.tiles[0].rows == 2 and merged.tiles[0].cols == 2

    def at(layout: WallLayout, row: int, col: int) -> int:
        return next(i for i, t in enumerate(layout.tiles) if (row, col) in t.cells())

    bottom = merge(merged, at(merged, 2, 1), at(merged, 2, 2))  # a 1x2 tile at (2,1)-(2,2)
    assert bottom.size == 12
    with pytest.raises(ValidationError):  # (1,2)-(3,2) would cut that tile in half
        merge(bottom, at(bottom, 1, 2), at(bottom, 3, 2))
    again = WallLayout.from_json(json.loads(json.dumps(merged.to_json())))
    assert again == merged


def test_validate_rejects_overlap_and_outside() -> None:
    bad = WallLayout.from_json
    with pytest.raises(ValidationError):
        bad({"rows": 2, "cols": 2, "tiles": [[0, 0, 2, 2], [1, 1, 1, 1]]})
    with pytest.raises(ValidationError):
        bad({"rows": 2, "cols": 2, "tiles": [[1, 1, 2, 1]]})
    with pytest.raises(ValidationError):
        bad({"rows": 2, "tiles": []})


def test_named_views_are_per_officer(station: Station) -> None:
    layout = standard("4")
    station.wall.save_view("夜间重点", layout, ["c1", None, "c3"])
    views = station.wall.views()
    assert [v.name for v in views] == ["夜间重点"]
    assert views[0].cameras == ("c1", None, "c3", None) and views[0].layout == layout
    station.wall.save_view("夜间重点", standard("1"), ["c9"])  # replace
    assert station.wall.views()[0].cameras == ("c9",)
    from station_console.services.permissions import Role

    sign_in_as(station, Role.DUTY_OFFICER, "officer2")
    assert station.wall.views() == []
    with pytest.raises(ValidationError):
        station.wall.save_view("  ", layout, [])


def test_viewing_is_recorded_and_audited(station: Station) -> None:
    vid = station.wall.open_viewing("cam-1", tiles_on_wall=16, large=False, stream="sub")
    seconds = station.wall.close_viewing(vid)
    assert seconds >= 0
    assert station.wall.close_viewing(vid) == pytest.approx(seconds, abs=0.01)
    (v,) = station.wall.viewings(camera_id="cam-1")
    assert v.ended_at is not None and v.stream == "sub" and v.tiles_on_wall == 16
    actions = [r["action"] for r in station.db.query("SELECT action FROM audit_log ORDER BY seq")]
    assert actions.count("camera.view") == 1 and actions.count("camera.view.end") == 1
    assert station.audit.verify().ok


def test_killed_console_viewings_close_at_last_heartbeat(tmp_path: Path) -> None:
    data = tmp_path / "data"
    st = open_station(data, use_keyring=False)
    st.accounts.create_first_admin("admin", "管理员", "admin-pass-1")
    st.accounts.sign_in("admin", "admin-pass-1")
    vid = st.wall.open_viewing("cam-2", tiles_on_wall=4, large=True, stream="main")
    with st.db.write() as conn:  # as if the last heartbeat was 30 s after the start
        conn.execute(
            "UPDATE camera_views SET started_at = '2026-01-01T00:00:00.000+00:00', "
            "heartbeat_at = '2026-01-01T00:00:30.000+00:00' WHERE id = ?",
            (vid,),
        )
    st.close()  # no close_viewing: the console "died"
    st = open_station(data, use_keyring=False)
    try:
        row = st.db.query_one("SELECT ended_at, seconds FROM camera_views WHERE id = ?", (vid,))
        assert row is not None
        assert row["ended_at"] == "2026-01-01T00:00:30.000+00:00" and row["seconds"] == 30
    finally:
        st.close()


def test_snapshot_file_record_and_audit(station: Station) -> None:
    snap = station.wall.record_snapshot("cam-3", "广场东口", JPEG, width=640, height=360)
    data = snap.path.read_bytes()
    assert data.startswith(b"\xff\xd8\xff\xfe")  # COM segment first
    meta = json.loads(data[6 : 6 + int.from_bytes(data[4:6], "big") - 2])
    assert meta["camera"] == "广场东口" and meta["officer"] == "admin"
    (listed,) = station.wall.snapshots("cam-3")
    assert listed.sha256 == snap.sha256 and listed.path == snap.path
    assert station.db.scalar("SELECT count(*) FROM audit_log WHERE action='camera.snapshot'") == 1
    with pytest.raises(ValidationError):
        station.wall.record_snapshot("cam-3", "x", b"not a jpeg")


def test_snapshot_that_cannot_be_recorded_leaves_no_file(station: Station, monkeypatch) -> None:
    def broken(self: AuditLog, *args: object, **kwargs: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(AuditLog, "append", broken)
    with pytest.raises(sqlite3.OperationalError):
        station.wall.record_snapshot("cam-4", "x", JPEG)
    assert not list((station.paths.media / "snapshots").rglob("*.jpg"))
    assert station.db.scalar("SELECT count(*) FROM snapshots") == 0


def test_wall_records_need_a_signed_in_viewer(station: Station) -> None:
    station.accounts.sign_out()
    with pytest.raises(PermissionDenied):
        station.wall.open_viewing("cam-1", tiles_on_wall=1, large=True, stream="main")
    with pytest.raises(PermissionDenied):
        station.wall.record_snapshot("cam-1", "x", JPEG)
