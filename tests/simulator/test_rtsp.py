"""RTSP streams checked with ffprobe and PyAV (libavformat's RTSP client), snapshots with urllib."""

from __future__ import annotations

import statistics
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from simulator import timecode
from simulator.precinct import Camera
from tests.simulator.conftest import OnvifFactory, ffprobe, grab_frames, with_credentials


@pytest.mark.parametrize("transport", ["tcp", "udp"])
@pytest.mark.parametrize(("stream", "size"), [("main", "1280,720"), ("sub", "640,360")])
def test_ffprobe_sees_h264(cam: Camera, transport: str, stream: str, size: str) -> None:
    url = cam.rtsp_main if stream == "main" else cam.rtsp_sub
    result = ffprobe(with_credentials(url, cam.username, cam.password), transport)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"h264,{size}"


def test_rtsp_digest_auth_rejects_a_wrong_password(cam: Camera) -> None:
    result = ffprobe(with_credentials(cam.rtsp_sub, cam.username, "guess"))
    assert result.returncode != 0
    assert "401" in result.stderr


def test_several_clients_share_a_stream_and_encoders_stop_after(cam: Camera) -> None:
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: grab_frames(cam, count=2), range(3)))
    assert all(len(frames) == 2 for frames in results)
    indices = {timecode.decode(img).camera_index for frames in results for _, img in frames}
    assert indices == {cam.index}
    deadline = time.monotonic() + 3
    while cam.encoders_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cam.encoders_running() == 0


def test_time_code_is_within_100ms_of_arrival(cam: Camera) -> None:
    frames = grab_frames(cam, count=20, stream="sub", skip=10)
    lags = []
    for arrived, img in frames:
        code = timecode.decode(img)
        assert code is not None and code.camera_index == cam.index
        lags.append(arrived * 1000 - code.epoch_ms)
    assert 0 <= statistics.median(lags) < 100, lags


def test_main_stream_time_code_decodes_from_a_tile(cam: Camera) -> None:
    import cv2

    (_, img), *_ = grab_frames(cam, count=1, stream="main", skip=1)
    tile = cv2.resize(img, (320, 180), interpolation=cv2.INTER_AREA)
    code = timecode.decode(tile)
    assert code is not None and code.camera_index == cam.index
    assert abs(code.epoch_ms - time.time() * 1000) < 5000


def test_ptz_move_shifts_the_view(dome: Camera, onvif: OnvifFactory) -> None:
    import numpy as np

    from tests.simulator.conftest import picture

    (_, before), *_ = grab_frames(dome, count=1)
    device = onvif(dome)
    ptz = device.create_ptz_service()
    ptz.AbsoluteMove(
        {
            "ProfileToken": "Profile_2",
            "Position": {"PanTilt": {"x": 0.9, "y": 0.5}, "Zoom": {"x": 0.5}},
        }
    )
    (_, after), *_ = grab_frames(dome, count=1)
    diff = np.abs(picture(before).astype(int) - picture(after).astype(int)).mean()
    assert diff > 20


def _get(url: str, user: str, password: str) -> tuple[int, bytes]:
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, user, password)
    opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
    try:
        with opener.open(url, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        err.close()
        return err.code, b""


def test_snapshot_needs_digest_auth_and_is_a_jpeg(cam: Camera) -> None:
    status, body = _get(cam.snapshot_url, cam.username, cam.password)
    assert status == 200 and body[:3] == b"\xff\xd8\xff"
    assert _get(cam.snapshot_url, cam.username, "guess")[0] == 401
