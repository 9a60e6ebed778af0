"""Provisioning classification (new / registered / moved / replaced) and all-or-nothing saves."""

from __future__ import annotations

from station_console.devices import DeviceDetails, StreamProfile
from station_console.services.provisioning import MatchState, Provisioning, ProvisionRequest
from station_console.station import Station


def details(serial: str, address: str, ptz: bool = False) -> DeviceDetails:
    return DeviceDetails(
        address=f"http://{address}/onvif/device_service",
        manufacturer="Hikvision",
        model="DS-2CD",
        firmware="V5",
        serial=serial,
        hardware_id="hw",
        clock_offset_s=0.0,
        profiles=[
            StreamProfile(
                "p1",
                "main",
                "H264",
                1280,
                720,
                25,
                2048,
                f"rtsp://{address.split(':')[0]}:554/main",
            ),
            StreamProfile(
                "p2", "sub", "H264", 640, 360, 25, 512, f"rtsp://{address.split(':')[0]}:554/sub"
            ),
        ],
        has_ptz=ptz,
    )


def test_states_and_saves(station: Station) -> None:
    prov = Provisioning(station.inventory)
    site = station.inventory.add_site({"name": "东门", "kind": "residential"})
    first = prov.save(
        ProvisionRequest(details("S1", "127.0.0.1:8001", ptz=True), "admin", "pw1", site=site.id)
    )
    assert first.ok and first.state is MatchState.NEW
    assert first.camera is not None and first.camera.kind.value == "dome"
    assert first.camera.main.resolution == "1280x720" and first.camera.sub.uri.endswith("/sub")

    again = prov.classify_all(
        [
            ("S1", "127.0.0.1:8001"),
            ("S1", "127.0.0.1:9001"),
            ("S2", "127.0.0.1:8001"),
            ("S3", "127.0.0.1:7001"),
        ]
    )
    assert [m.state for m in again] == [
        MatchState.REGISTERED,
        MatchState.MOVED,
        MatchState.REPLACED,
        MatchState.NEW,
    ]

    moved = prov.save(ProvisionRequest(details("S1", "127.0.0.1:9001"), "admin", "pw2"))
    assert moved.state is MatchState.MOVED and moved.camera is not None
    assert moved.camera.id == first.camera.id and moved.camera.onvif_url.endswith(
        ":9001/onvif/device_service"
    )
    assert moved.camera.site_id == site.id
    assert station.inventory.credentials(moved.camera.id).password == "pw2"

    replaced = prov.save(ProvisionRequest(details("S9", "127.0.0.1:9001"), "admin", "pw3"))
    assert replaced.state is MatchState.REPLACED and replaced.camera is not None
    assert replaced.camera.site_id == site.id and replaced.camera.name == first.camera.name
    old = station.inventory.camera(first.camera.id)
    assert old.retired_at is not None and "S9" in old.retired_reason


def test_a_failing_camera_leaves_nothing_half_saved(station: Station) -> None:
    prov = Provisioning(station.inventory)
    before = (
        station.db.scalar("SELECT count(*) FROM cameras"),
        station.db.scalar("SELECT count(*) FROM outbox"),
    )
    results = prov.save_many(
        [
            ProvisionRequest(details("A1", "127.0.0.1:8101"), "admin", "pw"),
            ProvisionRequest(details("A2", "127.0.0.1:8102"), "admin", "pw", site="no such site"),
            ProvisionRequest(details("A3", "127.0.0.1:8103"), "admin", "pw", gb_id="123"),
        ]
    )
    assert [r.ok for r in results] == [True, False, False]
    assert results[1].error is not None and "no such site" in str(results[1].error)
    after = (
        station.db.scalar("SELECT count(*) FROM cameras"),
        station.db.scalar("SELECT count(*) FROM outbox"),
    )
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1
