"""Every injectable fault, observed the way a client would see it."""

from __future__ import annotations

import itertools
import socket
import threading
import time
import urllib.request

import av
import cv2
import numpy as np
import pytest
from onvif.exceptions import ONVIFError

from simulator import timecode
from simulator.precinct import Camera
from tests.simulator.conftest import OnvifFactory, ffprobe, grab_frames, picture, with_credentials

GET_TIME = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
    b'<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'
    b"</s:Body></s:Envelope>"
)


def soap(cam: Camera, body: bytes = GET_TIME, timeout: float = 5.0) -> tuple[int, bytes]:
    req = urllib.request.Request(  # noqa: S310 - loopback http only
        cam.device_url, data=body, headers={"Content-Type": "application/soap+xml"}
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
        return resp.status, resp.read()


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def one_frame(cam: Camera) -> np.ndarray:
    (_, img), *_ = grab_frames(cam, count=1, skip=1)
    return img


def sharpness(img: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(picture(img), cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())


def test_offline_refuses_onvif_and_rtsp_until_cleared(cam: Camera) -> None:
    cam.inject("offline")
    assert refused(cam.onvif_port) and refused(cam.rtsp_port)
    cam.clear("offline")
    assert soap(cam)[0] == 200
    assert not refused(cam.rtsp_port)


def test_reboot_drops_sessions_then_comes_back(cam: Camera) -> None:
    url = with_credentials(cam.rtsp_sub, cam.username, cam.password)
    ended = threading.Event()

    def watch() -> None:
        try:
            with av.open(url, options={"rtsp_transport": "tcp", "timeout": "3000000"}) as c:
                for _ in c.demux(video=0):
                    pass
        except av.error.FFmpegError:
            pass
        ended.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    time.sleep(1.5)
    assert not ended.is_set()
    cam.inject("reboot", seconds=1.5)
    assert ended.wait(5), "the RTSP session survived a reboot"
    assert refused(cam.onvif_port)
    deadline = time.monotonic() + 5
    while refused(cam.onvif_port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert soap(cam)[0] == 200
    assert "reboot" not in cam.faults()
    watcher.join(5)


def test_black_picture(cam: Camera) -> None:
    cam.inject("black")
    img = picture(one_frame(cam))
    assert img.mean() < 10 and img.std() < 5


def test_covered_lens(cam: Camera) -> None:
    cam.inject("covered")
    img = picture(one_frame(cam))
    assert 10 < img.mean() < 45 and img.std() < 8


def test_blurred(cam: Camera) -> None:
    sharp = sharpness(one_frame(cam))
    cam.inject("blurred")
    assert sharpness(one_frame(cam)) < sharp / 10


def test_colour_cast(cam: Camera) -> None:
    cam.inject("colour-cast", colour="red")
    b, g, r = picture(one_frame(cam)).reshape(-1, 3).mean(axis=0)
    assert r > 2 * g and r > 2 * b


def flicker(cam: Camera) -> float:
    """Mean absolute change between consecutive frames of the scene (median of 4 pairs: one
    pair is one random draw of the snow, and may straddle the moment a fault starts)."""
    frames = [picture(img).astype(int) for _, img in grab_frames(cam, count=5, skip=1)]
    return float(np.median([np.abs(a - b).mean() for a, b in itertools.pairwise(frames)]))


def test_snow(cam: Camera) -> None:
    clean = flicker(cam)
    cam.inject("snow")
    snowy = flicker(cam)
    assert snowy > 4 and snowy > 8 * max(clean, 0.5), (snowy, clean)


def test_frozen_repeats_picture_and_time_code(cam: Camera) -> None:
    cam.inject("frozen")
    frames = grab_frames(cam, count=10, skip=1)
    codes = {timecode.decode(img) for _, img in frames}
    assert len(codes) == 1 and None not in codes
    cam.clear("frozen")
    frames = grab_frames(cam, count=10, skip=1)
    assert len({timecode.decode(img) for _, img in frames}) > 5


def test_signal_loss_stops_rtsp_but_onvif_answers(cam: Camera, onvif: OnvifFactory) -> None:
    cam.inject("signal-loss")
    result = ffprobe(with_credentials(cam.rtsp_sub, cam.username, cam.password))
    assert result.returncode != 0 and "503" in result.stderr
    device = onvif(cam)
    assert device.devicemgmt.GetDeviceInformation().SerialNumber == cam.serial


def test_wrong_password(cam: Camera, onvif: OnvifFactory) -> None:
    cam.inject("wrong-password")
    with pytest.raises(ONVIFError, match="Sender not Authorized"):
        onvif(cam)
    result = ffprobe(with_credentials(cam.rtsp_sub, cam.username, cam.password))
    assert result.returncode != 0 and "401" in result.stderr


def test_slow_soap_times_out_a_patient_client(cam: Camera) -> None:
    cam.inject("slow-soap", seconds=2)
    with pytest.raises(TimeoutError):
        soap(cam, timeout=0.5)
    start = time.monotonic()
    assert soap(cam, timeout=5)[0] == 200
    assert time.monotonic() - start >= 1.9


def test_malformed_soap_garbage(cam: Camera, onvif: OnvifFactory) -> None:
    device = onvif(cam)
    cam.inject("malformed-soap", mode="garbage")
    with pytest.raises(ONVIFError):
        device.devicemgmt.GetDeviceInformation()


def test_malformed_soap_entity_expansion(cam: Camera, onvif: OnvifFactory) -> None:
    device = onvif(cam)
    cam.inject("malformed-soap", mode="dtd")
    _, body = soap(cam)
    assert b"<!ENTITY lol9" in body
    with pytest.raises(ONVIFError):  # zeep forbids entities by default
        device.devicemgmt.GetDeviceInformation()


def test_malformed_soap_oversized(cam: Camera) -> None:
    cam.inject("malformed-soap", mode="oversized")
    _, body = soap(cam, timeout=10)
    assert len(body) > 16 * 1024 * 1024


def test_request_with_dtd_is_refused(cam: Camera) -> None:
    evil = GET_TIME.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)
    with pytest.raises(urllib.error.HTTPError) as err:
        soap(cam, evil)
    err.value.close()
    assert err.value.code == 400


def test_rtsp_stall_keeps_connection_but_sends_nothing(cam: Camera) -> None:
    cam.inject("rtsp-stall")
    url = with_credentials(cam.rtsp_sub, cam.username, cam.password)
    start = time.monotonic()
    options = {"rtsp_transport": "tcp", "timeout": "2000000"}
    with pytest.raises(av.error.FFmpegError), av.open(url, options=options) as c:
        next(c.demux(video=0))
    assert time.monotonic() - start >= 1.5  # it waited on an open connection, not refused
