"""The ONVIF device client against the simulated precinct: details, skewed clocks, and every
injected fault reported as its named failure without hanging."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from drivers.onvif_device import OnvifDeviceClient
from simulator.precinct import Camera, Precinct
from station_console.devices import DeviceError, DeviceErrorKind


@pytest.fixture(scope="module")
def precinct() -> Iterator[Precinct]:
    with Precinct(4) as p:
        yield p


@pytest.fixture
def cam(precinct: Precinct) -> Iterator[Camera]:
    camera = precinct.cameras[0]
    camera.clear()
    yield camera
    camera.clear()


def probe(cam: Camera, password: str | None = None, timeout: float = 2.0) -> object:
    return OnvifDeviceClient(read_timeout=timeout).probe(
        cam.device_url, cam.username, password or cam.password
    )


def test_details_profiles_and_uris(precinct: Precinct) -> None:
    dome = next(c for c in precinct.cameras if c.has_ptz)
    d = OnvifDeviceClient().probe(dome.device_url, dome.username, dome.password)
    assert d.serial == dome.serial and d.manufacturer == dome.vendor and d.model == dome.model
    assert d.main is not None and (d.main.width, d.main.height) == (1280, 720)
    assert d.sub is not None and (d.sub.width, d.sub.height) == (640, 360)
    assert d.main.uri.startswith("rtsp://127.0.0.1:") and "@" not in d.main.uri
    assert d.has_ptz and d.snapshot_uri.startswith("http://")
    assert abs(d.clock_offset_s) < 5


@pytest.mark.parametrize("skew", [3600, -3600, 86400])
def test_skewed_camera_clock_still_authenticates(cam: Camera, skew: int) -> None:
    cam.inject("clock-skew", seconds=skew)
    d = probe(cam)
    assert abs(d.clock_offset_s - skew) < 5  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fault", "args", "kind"),
    [
        ("wrong-password", {}, DeviceErrorKind.AUTH_FAILED),
        ("offline", {}, DeviceErrorKind.UNREACHABLE),
        ("slow-soap", {"seconds": 4}, DeviceErrorKind.TIMEOUT),
        ("malformed-soap", {"mode": "garbage"}, DeviceErrorKind.MALFORMED),
        ("malformed-soap", {"mode": "dtd"}, DeviceErrorKind.MALFORMED),
        ("malformed-soap", {"mode": "oversized"}, DeviceErrorKind.MALFORMED),
    ],
)
def test_faults_are_named_and_bounded(
    cam: Camera, fault: str, args: dict[str, object], kind: DeviceErrorKind
) -> None:
    cam.inject(fault, **args)
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        probe(cam, timeout=1.5)
    assert err.value.kind is kind, err.value
    assert time.monotonic() - started < 10
    assert cam.device_url.split("/onvif")[0].split("//")[1] in str(err.value)


def test_wrong_password_given_by_the_user(cam: Camera) -> None:
    with pytest.raises(DeviceError) as err:
        probe(cam, password="not-the-password")
    assert err.value.kind is DeviceErrorKind.AUTH_FAILED


def test_a_port_that_is_not_onvif(tmp_path: object) -> None:
    import http.server
    import threading

    class Html(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = b"<html><body>router login</body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Html)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(DeviceError) as err:
            OnvifDeviceClient(read_timeout=2).probe(f"127.0.0.1:{server.server_port}", "a", "b")
        assert err.value.kind is DeviceErrorKind.NOT_ONVIF
    finally:
        server.shutdown()
        server.server_close()


def test_one_slow_camera_does_not_delay_the_others(precinct: Precinct) -> None:
    slow, *_others = precinct.cameras
    slow.inject("slow-soap", seconds=6)
    try:
        client = OnvifDeviceClient(read_timeout=2)
        started = time.monotonic()
        results = client.probe_many(
            [(c.device_url, c.username, c.password) for c in precinct.cameras]
        )
        elapsed = time.monotonic() - started
    finally:
        slow.clear()
    assert isinstance(results[0], DeviceError) and results[0].kind is DeviceErrorKind.TIMEOUT
    assert all(not isinstance(r, DeviceError) for r in results[1:])
    assert elapsed < 8


def test_cli_provision_json_and_exit_codes(precinct: Precinct, tmp_path: object) -> None:
    import json
    import subprocess
    import sys

    good = precinct.cameras[1]
    base = [sys.executable, "-m", "main", "--data-dir", str(tmp_path), "provision"]
    ok = subprocess.run(
        [*base, good.device_url, "--user", good.username, "--password", good.password, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["serial"] == good.serial and data["main"] and "@" not in ok.stdout
    bad = subprocess.run(
        [*base, good.device_url, "--user", good.username, "--password", "wrong", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 11
    assert json.loads(bad.stdout)["error"] == "auth_failed"


def test_set_clock_hostname_and_snapshot(cam: Camera) -> None:
    import datetime as dt

    from drivers.onvif_device import fetch_snapshot, set_camera_clock, set_camera_hostname

    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5000)
    set_camera_clock(cam.device_url, cam.username, cam.password, later)
    assert abs(probe(cam).clock_offset_s - 5000) < 5  # type: ignore[attr-defined]
    before = set_camera_clock(cam.device_url, cam.username, cam.password)
    assert abs(before - 5000) < 5
    assert abs(probe(cam).clock_offset_s) < 5  # type: ignore[attr-defined]
    set_camera_hostname(cam.device_url, cam.username, cam.password, "gate-cam-01")
    d = OnvifDeviceClient().probe(cam.device_url, cam.username, cam.password, hostname=True)
    assert d.hostname == "gate-cam-01"
    jpeg = fetch_snapshot(cam.snapshot_url, cam.username, cam.password)
    assert jpeg[:2] == b"\xff\xd8" and len(jpeg) > 1000
    with pytest.raises(DeviceError) as err:
        fetch_snapshot(cam.snapshot_url, cam.username, "wrong")
    assert err.value.kind is DeviceErrorKind.AUTH_FAILED


def test_cli_provision_save_registers_the_camera(precinct: Precinct, tmp_path: object) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    from station_console.station import open_station

    data = Path(str(tmp_path)) / "station"
    with open_station(data, use_keyring=False) as st:
        st.accounts.create_first_admin("admin", "A", "admin-pass-1")
        st.accounts.sign_in("admin", "admin-pass-1")
        st.inventory.add_site({"name": "东门", "kind": "residential"})
    cam = precinct.cameras[2]
    out = subprocess.run(
        [sys.executable, "-m", "main", "--data-dir", str(data), "provision", cam.device_url,
         "--user", cam.username, "--password", cam.password, "--save", "--site", "东门",
         "--officer", "admin", "--name", "东门枪机"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SC_PASSWORD": "admin-pass-1", "SC_NO_KEYRING": "1"},
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    with open_station(data, use_keyring=False, exclusive=False) as st:
        saved = st.inventory.cameras()
        assert [(c.name, c.serial, c.site_name) for c in saved] == [
            ("东门枪机", cam.serial, "东门")
        ]
