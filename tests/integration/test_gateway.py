"""The stream gateway against a real simulated precinct, over real loopback sockets.

Players are PyAV (decoding the gateway's HTTP MPEG-TS) and ``TsReader`` bytes decoded by PyAV;
frames are checked by the simulator's burned-in time code (camera index and render time).
No timing thresholds: times are measured and printed, assertions are about correctness.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from drivers.gateway import (
    NothingBufferedError,
    StreamGateway,
    StreamHealth,
    StreamProblem,
    StreamSource,
    StreamState,
    TsReader,
    UnknownStreamError,
)
from simulator import Camera, Precinct, timecode

GOP_S = 1.0  # the simulator's key frame interval
FAULT_WAIT_S = 20.0


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def gateway_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("gateway-")]


@pytest.fixture(scope="module")
def precinct() -> Iterator[Precinct]:
    with Precinct(6) as p:
        yield p


@pytest.fixture
def gw() -> Iterator[StreamGateway]:
    gateway = StreamGateway(
        ring_seconds=6.0, open_timeout=3.0, read_timeout=1.5, max_backoff=1.0, linger=0.5
    )
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.close()
    assert gateway_threads() == []


def source(cam: Camera, profile: str = "sub", **kw: str) -> StreamSource:
    url = cam.rtsp_sub if profile == "sub" else cam.rtsp_main
    args = {"username": cam.username, "password": cam.password, **kw}
    return StreamSource(f"{cam.index}:{profile}:{kw.get('transport', 'tcp')}", url, **args)


@pytest.fixture
def cam_factory(precinct: Precinct) -> Iterator[list[Camera]]:
    used: list[Camera] = []
    yield used
    for cam in used:
        cam.clear()


class ReaderFile:
    """File-like view of a TsReader for PyAV: blocks up to ``timeout`` for data."""

    def __init__(self, reader: TsReader, timeout: float = 10.0) -> None:
        self.reader = reader
        self.timeout = timeout

    def read(self, n: int) -> bytes:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            data = self.reader.read(n, timeout=0.5)
            if data:
                return data
        return b""


def decode_codes(
    container: av.container.InputContainer, count: int
) -> list[tuple[float, timecode.TimeCode | None]]:
    """(arrival time, time code) of the next ``count`` decoded frames."""
    out: list[tuple[float, timecode.TimeCode | None]] = []
    for frame in container.decode(video=0):
        out.append((time.time(), timecode.decode(frame.to_ndarray(format="gray"))))
        if len(out) >= count:
            break
    return out


def open_ts(reader: TsReader) -> av.container.InputContainer:
    container = av.open(
        ReaderFile(reader), format="mpegts", options={"probesize": "32768", "analyzeduration": "0"}
    )
    assert isinstance(container, av.container.InputContainer)
    return container


def test_player_over_http_gets_recent_frames_of_its_camera(
    precinct: Precinct, gw: StreamGateway
) -> None:
    cam = precinct.cameras[1]
    src = source(cam)
    t0 = time.time()
    url = gw.acquire(src)
    assert url.startswith(f"http://127.0.0.1:{gw.port}/") and url.endswith(".ts")
    with av.open(url, timeout=(10, 10)) as container:
        assert isinstance(container, av.container.InputContainer)
        codes = decode_codes(container, 40)
    print(f"cold first frame over HTTP after {codes[0][0] - t0:.3f} s")
    read = [(at, tc) for at, tc in codes if tc is not None]
    assert len(read) >= 30
    assert {tc.camera_index for _, tc in read} == {1}
    # Recent: the newest frames were rendered a moment before they were decoded, not seconds.
    at, tc = read[-1]
    assert 0 <= at - tc.epoch_ms / 1000 < 2.0
    # Time codes only go forward: no frame is shown twice or out of order.
    stamps = [tc.epoch_ms for _, tc in read]
    assert stamps == sorted(stamps)
    health = gw.health(src.key)
    assert health is not None and health.state is StreamState.LIVE
    assert (health.codec, health.width, health.height) == ("h264", 640, 360)
    assert health.packets_per_s > 0 and health.bitrate_bps > 0 and health.last_packet_at is not None
    gw.release(src.key)


def test_two_readers_share_one_session_and_a_warm_reader_starts_from_the_cached_gop(
    precinct: Precinct, gw: StreamGateway
) -> None:
    cam = precinct.cameras[2]
    src = source(cam, "main")
    url = gw.acquire(src)
    assert gw.wait_for(src.key, StreamState.LIVE, 10)
    with av.open(url, timeout=(10, 10)) as first:
        assert isinstance(first, av.container.InputContainer)
        decode_codes(first, 5)
        time.sleep(GOP_S * 0.6)  # let the cache hold a partial GOP
        opened = time.time()
        with gw.open_reader(src.key) as reader, open_ts(reader) as second:
            codes = decode_codes(second, 12)
        print(f"warm first frame from TsReader after {codes[0][0] - opened:.3f} s")
    assert all(tc is not None and tc.camera_index == 2 for _, tc in codes)
    first_code = codes[0][1]
    assert first_code is not None
    # The first picture came from the cache (rendered before the reader existed), i.e. the
    # reader did not wait for the camera's next key frame.
    assert first_code.epoch_ms / 1000 < opened
    assert gw.sessions_opened(src.key) == 1
    assert cam.encoders_running() == 1
    health = gw.health(src.key)
    assert health is not None and health.reconnects == 0
    gw.release(src.key)


def test_reboot_reconnects_by_itself_and_the_same_reader_continues(
    precinct: Precinct, gw: StreamGateway, cam_factory: list[Camera]
) -> None:
    cam = precinct.cameras[3]
    cam_factory.append(cam)
    src = source(cam)
    seen: list[StreamHealth] = []
    unsubscribe = gw.add_listener(seen.append)
    gw.acquire(src)
    assert gw.wait_for(src.key, StreamState.LIVE, 10)
    with gw.open_reader(src.key) as reader, open_ts(reader) as container:
        decode_codes(container, 3)
        cam.inject("reboot", seconds=2)
        assert gw.wait_for(src.key, StreamState.RECONNECTING, FAULT_WAIT_S)
        assert gw.wait_for(src.key, StreamState.LIVE, FAULT_WAIT_S)
        back = time.time()
        codes = decode_codes(container, 60)
    unsubscribe()
    states = [h.state for h in seen]
    assert StreamState.RECONNECTING in states
    assert states[-1] is StreamState.LIVE
    problems = {h.problem for h in seen if h.state is StreamState.RECONNECTING}
    assert problems <= {StreamProblem.UNREACHABLE, StreamProblem.STALLED, StreamProblem.TIMEOUT}
    health = gw.health(src.key)
    assert health is not None and health.reconnects >= 1
    # The same player keeps decoding: pictures rendered after the camera came back arrive.
    after = [tc for _, tc in codes if tc is not None and tc.epoch_ms / 1000 >= back]
    assert after and all(tc.camera_index == 3 for tc in after)


def test_rtsp_stall_is_reported_as_stalled(
    precinct: Precinct, gw: StreamGateway, cam_factory: list[Camera]
) -> None:
    cam = precinct.cameras[4]
    cam_factory.append(cam)
    src = source(cam)
    gw.acquire(src)
    assert gw.wait_for(src.key, StreamState.LIVE, 10)
    cam.inject("rtsp-stall")
    deadline = time.monotonic() + FAULT_WAIT_S
    health = gw.health(src.key)
    while time.monotonic() < deadline and (
        health is None or health.problem is not StreamProblem.STALLED
    ):
        time.sleep(0.05)
        health = gw.health(src.key)
    assert health is not None and health.problem is StreamProblem.STALLED
    assert health.state in (StreamState.RECONNECTING, StreamState.OFFLINE)
    assert health.gaps >= 1
    cam.clear()
    assert gw.wait_for(src.key, StreamState.LIVE, FAULT_WAIT_S)


def test_wrong_password_is_auth_failed(
    precinct: Precinct, gw: StreamGateway, cam_factory: list[Camera]
) -> None:
    cam = precinct.cameras[5]
    cam_factory.append(cam)
    cam.inject("wrong-password")
    src = source(cam, "main")
    gw.acquire(src)
    assert gw.wait_for(src.key, StreamState.OFFLINE, FAULT_WAIT_S)
    health = gw.health(src.key)
    assert health is not None and health.problem is StreamProblem.AUTH_FAILED
    assert cam.password not in health.detail


def test_offline_camera_is_unreachable(
    precinct: Precinct, gw: StreamGateway, cam_factory: list[Camera]
) -> None:
    cam = precinct.cameras[5]
    cam_factory.append(cam)
    cam.inject("offline")
    src = source(cam)
    gw.acquire(src)
    assert gw.wait_for(src.key, StreamState.OFFLINE, FAULT_WAIT_S)
    health = gw.health(src.key)
    assert health is not None and health.problem is StreamProblem.UNREACHABLE


def test_unknown_path_is_not_found(precinct: Precinct, gw: StreamGateway) -> None:
    cam = precinct.cameras[0]
    src = StreamSource(
        "0:bogus", cam.rtsp_sub.rsplit("/", 1)[0] + "/nope", cam.username, cam.password
    )
    gw.acquire(src)
    assert gw.wait_for(src.key, StreamState.OFFLINE, FAULT_WAIT_S)
    health = gw.health(src.key)
    assert health is not None and health.problem is StreamProblem.NOT_FOUND


def test_save_clip_starts_at_a_key_frame_and_states_its_real_span(
    precinct: Precinct, gw: StreamGateway, tmp_path: Path
) -> None:
    cam = precinct.cameras[0]
    src = source(cam)
    gw.acquire(src)
    assert gw.wait_for(src.key, StreamState.LIVE, 10)
    with pytest.raises(NothingBufferedError):
        gw.save_clip(src.key, time.time() - 100, time.time() - 90, tmp_path / "none.mp4")
    time.sleep(3.2)
    now = time.time()
    asked_start, asked_end = now - 1.5, now - 0.5
    clip = gw.save_clip(src.key, asked_start, asked_end, tmp_path / "clip.mp4")
    assert clip.path.exists() and clip.asked_start == asked_start and clip.asked_end == asked_end
    # Starts at the key frame at or before the asked start: at most one GOP earlier.
    assert asked_start - GOP_S - 0.1 <= clip.start <= asked_start
    assert asked_end - 0.2 <= clip.end <= asked_end
    with av.open(str(clip.path)) as container:
        assert isinstance(container, av.container.InputContainer)
        stream = container.streams.video[0]
        frames = [
            (f.time, timecode.decode(f.to_ndarray(format="gray"))) for f in container.decode(stream)
        ]
    assert len(frames) == clip.frames
    codes = [tc for _, tc in frames if tc is not None]
    assert codes and all(tc.camera_index == 0 for tc in codes)
    first = codes[0]
    # A frame is rendered before it arrives, so the first picture is no later than the start.
    assert first.epoch_ms / 1000 <= clip.start <= asked_start
    # The file's own span matches the stated one (camera clock vs arrival clock: a frame or two).
    times = [t for t, _ in frames if t is not None]
    assert abs((times[-1] - times[0]) - (clip.end - clip.start)) < 0.2
    # Asked for more than is buffered: the clip says what it really holds.
    long = gw.save_clip(src.key, now - 100, time.time(), tmp_path / "long.mp4")
    span = gw.buffered_span(src.key)
    assert span is not None
    assert long.start > long.asked_start and long.start == span[0]
    assert long.frames > clip.frames
    seconds, nbytes = gw.buffered()[src.key]  # what the memory soak waits for
    assert seconds >= span[1] - span[0] and 3.0 <= seconds < 10 and nbytes > 10_000


def test_udp_transport(precinct: Precinct, gw: StreamGateway) -> None:
    cam = precinct.cameras[1]
    src = source(cam, "main", transport="udp")
    gw.acquire(src)
    with gw.open_reader(src.key) as reader, open_ts(reader) as container:
        codes = decode_codes(container, 15)
    assert all(tc is not None and tc.camera_index == 1 for _, tc in codes)
    health = gw.health(src.key)
    assert health is not None and health.state is StreamState.LIVE and "udp" in health.detail


def test_http_paths_loopback_and_404(precinct: Precinct, gw: StreamGateway) -> None:
    cam = precinct.cameras[0]
    url = gw.acquire(source(cam))
    base, _, name = url.rpartition("/")
    for bad in (
        f"{base}/other.ts",
        f"http://127.0.0.1:{gw.port}/wrongtoken/{name}",
        f"{base}/{name}x",
    ):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(bad, timeout=5)  # noqa: S310 - loopback test URL
        assert info.value.code == 404
        info.value.close()
    with pytest.raises(UnknownStreamError):
        gw.open_reader("nope")


def test_credentials_never_logged(precinct: Precinct, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    cam = precinct.cameras[0]
    secret = "S3cret-Pass!"
    src = StreamSource("0:sub:wrongpw", cam.rtsp_sub, cam.username, secret)
    assert secret not in repr(src)
    with StreamGateway(open_timeout=3.0, read_timeout=1.5) as gw:
        gw.acquire(src)
        assert gw.wait_for(src.key, StreamState.OFFLINE, FAULT_WAIT_S)
        health = gw.health(src.key)
        assert health is not None and health.problem is StreamProblem.AUTH_FAILED
        good = source(cam)
        gw.acquire(good)
        assert gw.wait_for(good.key, StreamState.LIVE, 10)
        text = caplog.text + repr(gw.all_health())
    assert "rtsp://" in caplog.text  # the URL is logged, masked
    assert secret not in text and cam.password not in text


def test_release_closes_the_session_and_nothing_leaks(precinct: Precinct) -> None:
    cam = precinct.cameras[2]
    fds, threads = fd_count(), {t.name for t in threading.enumerate()}
    with StreamGateway(linger=0.3, read_timeout=1.5) as gw:
        src = source(cam)
        url = gw.acquire(src)
        with av.open(url, timeout=(10, 10)) as container:
            assert isinstance(container, av.container.InputContainer)
            decode_codes(container, 3)
        gw.release(src.key)
        deadline = time.monotonic() + 10
        while gw.health(src.key) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gw.health(src.key) is None  # closed `linger` after the last release
        gw.acquire(src)  # and a new hold opens it again
        assert gw.wait_for(src.key, StreamState.LIVE, 10)
    assert gateway_threads() == []
    assert {t.name for t in threading.enumerate()} - threads <= {
        "asyncio_0",
        "asyncio_1",
        "enc-2-sub",
    }
    deadline = time.monotonic() + 5
    while fd_count() > fds and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fd_count() <= fds
