"""Inventory: validation, credentials at rest, outbox and audit in the same transaction."""

from __future__ import annotations

import json
import sqlite3

import pytest

from station_console.errors import ValidationError
from station_console.station import Station, open_station
from station_console.validation import validate_gb_id

GOOD_GB = "34020000001320000001"  # Anhui, type 132 (IPC)


def seed(st: Station) -> tuple[str, str]:
    site = st.inventory.add_site(
        {"name": "人民广场", "kind": "key_place", "community": "东城社区", "latitude": "31.2"}
    )
    owner = st.inventory.add_owner(
        {"name": "万达物业", "kind": "property_company", "phone": "0571-8888"}
    )
    return site.id, owner.id


def test_camera_round_trip(station: Station) -> None:
    site_id, owner_id = seed(station)
    cam = station.inventory.add_camera(
        {
            "name": "广场东口",
            "kind": "dome",
            "site": "人民广场",
            "owner": owner_id,
            "serial": "SN-1",
            "mac": "aa-bb-cc-dd-ee-ff",
            "onvif_url": "127.0.0.1:8000",
            "gb_id": GOOD_GB,
            "networked_to_city": "是",
            "install_date": "2024-05-01",
            "main_stream_uri": "rtsp://admin:secret@127.0.0.1:8554/main",
        },
        password="cam-secret",
    )
    assert cam.site_id == site_id and cam.site_name == "人民广场" and cam.community == "东城社区"
    assert cam.mac == "AA:BB:CC:DD:EE:FF"
    assert cam.onvif_url == "http://127.0.0.1:8000/onvif/device_service"
    assert cam.main.uri == "rtsp://127.0.0.1:8554/main"
    assert cam.networked_to_city and cam.has_password
    assert station.inventory.credentials(cam.id).password == "cam-secret"


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("3402000000132000000", "20 digits"),
        ("99020000001320000001", "province"),
        ("34020000001110000001", "not a camera"),
        ("3402000000132000000X", "20 digits"),
    ],
)
def test_gb_id_validation(value: str, needle: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_gb_id(value)
    assert needle in str(err.value) and err.value.field == "gb_id"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mac", "zz:zz"),
        ("install_date", "2024-13-01"),
        ("kind", "fisheye"),
        ("onvif_url", "ftp://x"),
        ("main_stream_uri", "not a url"),
        ("name", "  "),
    ],
)
def test_bad_camera_fields_name_the_field(station: Station, field: str, value: str) -> None:
    data = {"name": "cam", "kind": "bullet", field: value}
    with pytest.raises(ValidationError) as err:
        station.inventory.add_camera(data)
    assert err.value.field == field
    assert station.inventory.counts()["cameras"] == 0


def test_duplicate_serial_is_refused(station: Station) -> None:
    station.inventory.add_camera({"name": "a", "serial": "S1"})
    with pytest.raises(ValidationError) as err:
        station.inventory.add_camera({"name": "b", "serial": "S1"})
    assert err.value.field == "serial"


def test_password_is_encrypted_at_rest_and_bound_to_its_camera(station: Station) -> None:
    a = station.inventory.add_camera({"name": "a"}, password="hunter2-secret")
    b = station.inventory.add_camera({"name": "b"}, password="other")
    raw = sqlite3.connect(station.paths.database)
    blob = raw.execute("SELECT password_enc FROM cameras WHERE id = ?", (a.id,)).fetchone()[0]
    assert b"hunter2" not in blob
    assert b"hunter2" not in station.paths.database.read_bytes()
    # Copy a's ciphertext onto b: it must not decrypt as b's password.
    with station.db.write() as conn:
        conn.execute("UPDATE cameras SET password_enc = ? WHERE id = ?", (blob, b.id))
    with pytest.raises(Exception, match="cannot be decrypted"):
        station.inventory.credentials(b.id)


def test_key_file_is_private_and_outside_the_database(station: Station) -> None:
    key = station.paths.key_file
    assert key.exists() and (key.stat().st_mode & 0o777) == 0o600
    assert key.read_bytes() not in station.paths.database.read_bytes()


def test_credentials_survive_reopen_but_not_a_lost_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    st = open_station(tmp_path, use_keyring=False)
    st.accounts.create_first_admin("admin", "A", "password-1")
    st.accounts.sign_in("admin", "password-1")
    cam = st.inventory.add_camera({"name": "a"}, password="pw-1")
    st.close()
    st = open_station(tmp_path, use_keyring=False)
    st.accounts.sign_in("admin", "password-1")
    assert st.inventory.credentials(cam.id).password == "pw-1"
    st.close()


def test_every_change_has_outbox_and_audit_rows(station: Station) -> None:
    seed(station)
    cam = station.inventory.add_camera({"name": "a", "site": "人民广场"}, password="pw")
    station.inventory.update_camera(cam.id, {"name": "a2", "site": "人民广场"})
    station.inventory.retire_camera(cam.id, "removed")
    rows = station.db.query("SELECT entity, fields FROM outbox WHERE entity_id = ?", (cam.id,))
    assert len(rows) == 3
    for r in rows:
        fields = json.loads(r["fields"])
        assert "password_enc" not in fields and "username" not in fields
    actions = [e.action for e in station.audit.entries(text=cam.id)]
    assert actions == ["camera.retire", "camera.edit", "camera.add"]
    assert station.audit.verify().ok


def test_failed_write_leaves_no_outbox_or_audit(station: Station) -> None:
    before = (
        station.db.scalar("SELECT count(*) FROM outbox"),
        station.db.scalar("SELECT count(*) FROM audit_log"),
    )
    with pytest.raises(ValidationError):
        station.inventory.add_camera({"name": "a", "site": "no such site"})
    after = (
        station.db.scalar("SELECT count(*) FROM outbox"),
        station.db.scalar("SELECT count(*) FROM audit_log"),
    )
    assert before == after


def test_tree_groups_community_site_camera_and_search_filters(station: Station) -> None:
    seed(station)
    station.inventory.add_site({"name": "西村口", "kind": "village", "community": "西村"})
    station.inventory.add_camera({"name": "广场东口", "site": "人民广场"})
    station.inventory.add_camera({"name": "村口", "site": "西村口"})
    station.inventory.add_camera({"name": "无点位"})
    tree = station.inventory.tree()
    names = [
        (c.name, [(s.site.name, [cam.name for cam in s.cameras]) for s in c.sites]) for c in tree
    ]
    assert ("东城社区", [("人民广场", ["广场东口"])]) in names
    assert ("西村", [("西村口", ["村口"])]) in names
    assert names[-1] == ("", [("", ["无点位"])])
    found = station.inventory.tree("东口")
    assert [c.name for c in found] == ["东城社区"]


def test_retired_site_with_cameras_is_refused(station: Station) -> None:
    site_id, _ = seed(station)
    station.inventory.add_camera({"name": "a", "site": site_id})
    with pytest.raises(ValidationError):
        station.inventory.retire_site(site_id)


def test_other_devices(station: Station) -> None:
    seed(station)
    dev = station.inventory.add_device(
        {"name": "北门红外", "kind": "infrared_alarm", "site": "人民广场"}
    )
    assert [d.name for d in station.inventory.devices()] == ["北门红外"]
    moved = station.inventory.update_device(
        dev.id, {"name": "北门红外对射", "kind": "infrared_alarm"}
    )
    assert moved.name == "北门红外对射" and moved.site_id is None
    station.inventory.retire_device(dev.id)
    assert station.inventory.devices() == []
