"""ONVIF Device, Media and PTZ services, checked with onvif-zeep (which shares no code with us)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from onvif.exceptions import ONVIFError

from simulator.precinct import Camera
from tests.simulator.conftest import OnvifFactory


def test_device_information_matches_identity(cam: Camera, onvif: OnvifFactory) -> None:
    info = onvif(cam).devicemgmt.GetDeviceInformation()
    assert info.Manufacturer == cam.vendor
    assert info.Model == cam.model
    assert info.SerialNumber == cam.serial
    assert info.FirmwareVersion
    assert info.HardwareId


def test_system_date_and_time_is_utc_now(cam: Camera, onvif: OnvifFactory) -> None:
    sdt = onvif(cam).devicemgmt.GetSystemDateAndTime()
    u = sdt.UTCDateTime
    reported = dt.datetime(
        u.Date.Year,
        u.Date.Month,
        u.Date.Day,
        u.Time.Hour,
        u.Time.Minute,
        u.Time.Second,
        tzinfo=dt.UTC,
    )
    assert abs(reported.timestamp() - time.time()) < 3
    assert sdt.TimeZone.TZ == "CST-8"


def test_set_system_date_and_time_manual_then_ntp(cam: Camera, onvif: OnvifFactory) -> None:
    device = onvif(cam)
    target = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    device.devicemgmt.SetSystemDateAndTime(
        {
            "DateTimeType": "Manual",
            "DaylightSavings": False,
            "UTCDateTime": {
                "Date": {"Year": 2030, "Month": 1, "Day": 2},
                "Time": {"Hour": 3, "Minute": 4, "Second": 5},
            },
        }
    )
    try:
        sdt = device.devicemgmt.GetSystemDateAndTime()
        assert sdt.DateTimeType == "Manual"
        assert sdt.UTCDateTime.Date.Year == target.year
    finally:
        # The camera clock is now years ahead, so this call must be made as the camera sees it.
        fresh = onvif(cam, adjust_time=True)
        fresh.devicemgmt.SetSystemDateAndTime({"DateTimeType": "NTP", "DaylightSavings": False})
    assert onvif(cam).devicemgmt.GetSystemDateAndTime().DateTimeType == "NTP"


def test_capabilities_and_services(cam: Camera, dome: Camera, onvif: OnvifFactory) -> None:
    caps = onvif(cam).devicemgmt.GetCapabilities({"Category": "All"})
    assert caps.Device.XAddr == cam.device_url
    assert caps.Media.XAddr.endswith("/onvif/media_service")
    assert caps.Media.StreamingCapabilities.RTP_RTSP_TCP is True
    assert caps.PTZ is None  # a bullet has no PTZ
    dome_caps = onvif(dome).devicemgmt.GetCapabilities({"Category": "All"})
    assert dome_caps.PTZ.XAddr.endswith("/onvif/ptz_service")
    services = onvif(dome).devicemgmt.GetServices(False)
    namespaces = {s.Namespace for s in services}
    assert "http://www.onvif.org/ver20/ptz/wsdl" in namespaces
    assert all(s.Version.Major == 2 for s in services)


def test_scopes_and_network_interfaces(cam: Camera, onvif: OnvifFactory) -> None:
    device = onvif(cam)
    scopes = [s.ScopeItem for s in device.devicemgmt.GetScopes()]
    assert f"onvif://www.onvif.org/hardware/{cam.model}" in scopes
    assert any(s.startswith("onvif://www.onvif.org/name/") for s in scopes)
    nics = device.devicemgmt.GetNetworkInterfaces()
    assert nics[0].Info.HwAddress == cam.mac
    assert nics[0].IPv4.Config.Manual[0].Address == cam.host


def test_hostname_round_trip(cam: Camera, onvif: OnvifFactory) -> None:
    device = onvif(cam)
    before = device.devicemgmt.GetHostname().Name
    device.devicemgmt.SetHostname({"Name": "gate-east"})
    assert device.devicemgmt.GetHostname().Name == "gate-east"
    device.devicemgmt.SetHostname({"Name": before})


def test_ntp_round_trip(cam: Camera, onvif: OnvifFactory) -> None:
    device = onvif(cam)
    device.devicemgmt.SetNTP(
        {"FromDHCP": False, "NTPManual": [{"Type": "DNS", "DNSname": "time.example"}]}
    )
    ntp = device.devicemgmt.GetNTP()
    assert ntp.FromDHCP is False
    assert [h.DNSname for h in ntp.NTPManual] == ["time.example"]


def test_media_profiles_uris_and_encoders(cam: Camera, onvif: OnvifFactory) -> None:
    media = onvif(cam).create_media_service()
    profiles = media.GetProfiles()
    sizes = [
        (
            p.VideoEncoderConfiguration.Resolution.Width,
            p.VideoEncoderConfiguration.Resolution.Height,
        )
        for p in profiles
    ]
    assert sizes == [(1280, 720), (640, 360)]
    setup = {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}}
    main = media.GetStreamUri({"StreamSetup": setup, "ProfileToken": profiles[0].token})
    sub = media.GetStreamUri({"StreamSetup": setup, "ProfileToken": profiles[1].token})
    assert (main.Uri, sub.Uri) == (cam.rtsp_main, cam.rtsp_sub)
    snap = media.GetSnapshotUri({"ProfileToken": profiles[0].token})
    assert snap.Uri.startswith(f"http://{cam.host}:{cam.onvif_port}/")
    encoders = media.GetVideoEncoderConfigurations()
    assert [e.Encoding for e in encoders] == ["H264", "H264"]
    assert encoders[1].RateControl.FrameRateLimit == 25


def test_ptz_moves_and_presets(dome: Camera, onvif: OnvifFactory) -> None:
    device = onvif(dome)
    token = device.create_media_service().GetProfiles()[0].token
    ptz = device.create_ptz_service()
    ptz.AbsoluteMove({"ProfileToken": token, "Position": {"PanTilt": {"x": 0.5, "y": -0.25}}})
    status = ptz.GetStatus({"ProfileToken": token})
    assert status.Position.PanTilt.x == pytest.approx(0.5)
    assert status.Position.PanTilt.y == pytest.approx(-0.25)
    preset = ptz.SetPreset({"ProfileToken": token, "PresetName": "gate"})
    ptz.ContinuousMove({"ProfileToken": token, "Velocity": {"PanTilt": {"x": -1.0, "y": 0.0}}})
    time.sleep(0.3)
    moving = ptz.GetStatus({"ProfileToken": token})
    assert moving.MoveStatus.PanTilt == "MOVING"
    ptz.Stop({"ProfileToken": token, "PanTilt": True, "Zoom": True})
    stopped = ptz.GetStatus({"ProfileToken": token})
    assert stopped.MoveStatus.PanTilt == "IDLE"
    assert stopped.Position.PanTilt.x < 0.45
    presets = ptz.GetPresets({"ProfileToken": token})
    assert [(p.token, p.Name) for p in presets] == [(preset, "gate")]
    ptz.GotoPreset({"ProfileToken": token, "PresetToken": preset})
    assert ptz.GetStatus({"ProfileToken": token}).Position.PanTilt.x == pytest.approx(0.5)
    with pytest.raises(ONVIFError, match="no such preset"):
        ptz.GotoPreset({"ProfileToken": token, "PresetToken": "nope"})


def test_wrong_password_is_not_authorized(cam: Camera, onvif: OnvifFactory) -> None:
    with pytest.raises(ONVIFError, match="Sender not Authorized"):
        onvif(cam, password="guess").devicemgmt.GetDeviceInformation()


def test_no_token_only_pre_auth_operations(cam: Camera, onvif: OnvifFactory) -> None:
    anonymous = onvif(cam).create_devicemgmt_service()
    anonymous.zeep_client.wsse = None
    assert anonymous.GetSystemDateAndTime().UTCDateTime.Date.Year >= 2024
    assert anonymous.GetHostname().Name
    with pytest.raises(ONVIFError, match="Sender not Authorized"):
        anonymous.GetDeviceInformation()


def test_clock_skew_breaks_auth_unless_client_adjusts(cam: Camera, onvif: OnvifFactory) -> None:
    cam.inject("clock-skew", seconds=-3600)
    # A client on true time is refused as soon as it sends a token (GetCapabilities)...
    with pytest.raises(ONVIFError, match="Sender not Authorized"):
        onvif(cam)
    # ...while one that first asks the camera's time (answered regardless) gets in.
    adjusted = onvif(cam, adjust_time=True)
    sdt = adjusted.devicemgmt.GetSystemDateAndTime()
    u = sdt.UTCDateTime
    reported = dt.datetime(
        u.Date.Year,
        u.Date.Month,
        u.Date.Day,
        u.Time.Hour,
        u.Time.Minute,
        u.Time.Second,
        tzinfo=dt.UTC,
    )
    assert reported.timestamp() - time.time() == pytest.approx(-3600, abs=3)
    assert adjusted.devicemgmt.GetDeviceInformation().SerialNumber == cam.serial
