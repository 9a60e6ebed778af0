"""Pure logic of the stream gateway, with fake packets: no sockets, no FFmpeg sessions."""

from __future__ import annotations

from fractions import Fraction

import av

from drivers.gateway.backoff import Backoff
from drivers.gateway.credentials import mask_secrets, mask_url, with_credentials
from drivers.gateway.errors import classify
from drivers.gateway.gop_cache import GopCache
from drivers.gateway.model import MediaPacket, StreamInfo, StreamProblem, StreamSource
from drivers.gateway.parameter_sets import has_parameter_sets, with_parameter_sets
from drivers.gateway.ring_buffer import RingBuffer
from drivers.gateway.stream_stats import StreamStats
from drivers.gateway.timestamps import TimestampRewriter
from drivers.gateway.ts_reader import TsReader

INFO = StreamInfo(
    "h264", 640, 360, Fraction(1, 90_000), 25.0, b"\x00\x00\x00\x01\x67\x42\x00\x00\x00\x01\x68\xce"
)
FRAME = 3600  # 25 fps at 90 kHz


def pkt(
    i: int,
    *,
    key: bool | None = None,
    session: int = 1,
    arrival: float | None = None,
    base: int = 0,
    size: int = 100,
) -> MediaPacket:
    keyframe = (i % 25 == 0) if key is None else key
    data = b"\x00\x00\x00\x01" + (b"\x65" if keyframe else b"\x41") + b"\x00" * size
    return MediaPacket(
        data=data,
        pts=base + i * FRAME,
        dts=base + i * FRAME,
        duration=FRAME,
        keyframe=keyframe,
        arrival=1000.0 + i * 0.04 if arrival is None else arrival,
        session=session,
        info=INFO,
    )


def test_backoff_doubles_caps_and_resets() -> None:
    b = Backoff(first=0.25, maximum=2.0, jitter=0.0)
    assert [b.next_delay() for _ in range(6)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    b.reset()
    assert b.next_delay() == 0.25


def test_backoff_jitter_stays_within_the_cap() -> None:
    b = Backoff(first=1.0, maximum=2.0, jitter=0.5, rand=lambda: 1.0)
    assert b.next_delay() == 1.5
    assert b.next_delay() == 2.0  # 2 * 1.5 capped


def test_masking() -> None:
    assert (
        mask_url("open rtsp://admin:pw@10.0.0.1:554/x failed")
        == "open rtsp://***@10.0.0.1:554/x failed"
    )
    assert mask_secrets("Connection refused: 'p@ss w'", "p@ss w") == "Connection refused: '***'"
    url = with_credentials("rtsp://h:554/a", "ad min", "p@ss:/")
    assert url == "rtsp://ad%20min:p%40ss%3A%2F@h:554/a"
    assert mask_url(url) == "rtsp://***@h:554/a"
    src = StreamSource("1:sub", "rtsp://h/a", "admin", "hunter2")
    assert "hunter2" not in repr(src) and "hunter2" not in str(src)


def test_classify_maps_ffmpeg_errors_and_masks() -> None:
    url = "rtsp://admin:hunter2@127.0.0.1:1/x"
    refused = av.error.ConnectionRefusedError(111, "Connection refused", url)
    problem, detail = classify(refused, opening=True, secrets=("hunter2",))
    assert problem is StreamProblem.UNREACHABLE and "hunter2" not in detail
    assert classify(TimeoutError(), opening=True)[0] is StreamProblem.TIMEOUT
    assert classify(TimeoutError(), opening=False)[0] is StreamProblem.STALLED


def test_gop_cache_restarts_at_each_key_frame() -> None:
    cache = GopCache()
    cache.add(pkt(1))  # no key frame yet: nothing decodable
    assert cache.snapshot() == []
    for i in range(25, 30):
        cache.add(pkt(i))
    assert [p.dts // FRAME for p in cache.snapshot()] == [25, 26, 27, 28, 29]
    cache.add(pkt(50))
    assert len(cache) == 1 and cache.keyframe() is not None
    cache.add(pkt(51, session=2))  # a new session without its key frame: drop the old GOP
    assert cache.snapshot() == []


def test_gop_cache_is_bounded() -> None:
    cache = GopCache(max_bytes=1000)
    cache.add(pkt(0, size=500))
    for i in range(1, 10):
        cache.add(pkt(i, size=200))
    assert cache.snapshot() == []  # overflowed: a partial GOP would show a broken picture
    assert cache.keyframe() is not None


def test_burst_is_compressed_then_live_keeps_real_spacing() -> None:
    rw = TimestampRewriter(start_s=1.0, burst_step_s=0.001)
    burst = rw.burst([pkt(i) for i in range(25, 35)])
    assert [s.dts for s in burst] == [90_000 + 90 * k for k in range(10)]
    live = [rw.live(pkt(i)) for i in range(35, 38)]
    assert [s.dts for s in live] == [burst[-1].dts + FRAME * k for k in (1, 2, 3)]


def test_burst_spreads_over_its_span_but_never_slower_than_real_time() -> None:
    rw = TimestampRewriter(start_s=1.0, burst_span_s=0.12)
    burst = rw.burst([pkt(i) for i in range(25, 35)])  # 10 packets, 9 gaps of 40 ms real
    assert [s.dts for s in burst] == [90_000 + 1200 * k for k in range(10)]  # 120 ms / 9
    live = rw.live(pkt(35))
    assert live.dts == burst[-1].dts + FRAME
    # Three packets 80 ms apart in real time cannot be spread over 120 ms each.
    slow = TimestampRewriter(start_s=1.0, burst_span_s=1.0).burst([pkt(i) for i in range(3)])
    assert [s.dts for s in slow] == [90_000, 90_000 + FRAME, 90_000 + 2 * FRAME]
    # One packet: nothing to spread.
    assert [s.dts for s in TimestampRewriter(burst_span_s=0.12).burst([pkt(0)])] == [90_000]


def test_rewriter_continues_across_a_new_session_and_jumps() -> None:
    rw = TimestampRewriter(start_s=0.0)
    a = rw.live(pkt(0))
    b = rw.live(pkt(1))
    # A reconnect restarts the camera's timeline at some other value, 1.5 s of wall time later.
    c = rw.live(pkt(0, session=2, base=123_456_789, arrival=1000.04 + 1.5))
    d = rw.live(pkt(1, session=2, base=123_456_789, arrival=1000.04 + 1.54))
    assert a.dts < b.dts < c.dts < d.dts
    assert c.dts - b.dts == 135_000  # the wall-clock gap
    assert d.dts - c.dts == FRAME
    # A backwards step within a session never makes dts go back.
    e = rw.live(pkt(0, session=2, base=123_456_789, arrival=1002.0))
    assert e.dts > d.dts and rw.discontinuities == 2


def test_rewriter_keeps_b_frame_reordering_delay() -> None:
    rw = TimestampRewriter(start_s=1.0)
    p = pkt(3)
    reordered = MediaPacket(p.data, p.pts + 2 * FRAME, p.dts, p.duration, False, p.arrival, 1, INFO)
    stamp = rw.live(reordered)
    assert stamp.pts - stamp.dts == 2 * FRAME


def test_ring_buffer_keeps_the_window_from_a_key_frame() -> None:
    ring = RingBuffer(seconds=2.0)
    for i in range(1, 5):
        ring.add(pkt(i))  # before the first key frame: useless, not kept
    assert len(ring) == 0
    for i in range(25, 200):  # 7 s at 25 fps, a key frame every second
        ring.add(pkt(i))
    first, last = ring.span() or (0.0, 0.0)
    newest = pkt(199).arrival
    assert last == newest
    # The oldest packet is the newest key frame at or before the 2 s horizon.
    assert newest - 3.0 < first <= newest - 2.0
    selected = ring.select(newest - 1.5, newest - 0.5)
    assert selected[0].keyframe and selected[0].arrival <= newest - 1.5
    assert selected[-1].arrival <= newest - 0.5
    assert ring.select(0.0, 10.0) == []


def test_stats_rates_and_gaps() -> None:
    stats = StreamStats(window_s=2.0)
    t = 100.0
    for i in range(50):
        stats.on_packet(t + i * 0.04, 1000, i * 0.04, corrupt=False)
    pps, bps = stats.rates(t + 49 * 0.04)
    assert 24 <= pps <= 26 and 190_000 <= bps <= 210_000
    stats.on_packet(t + 2.5, 1000, 2.5, corrupt=False)  # half a second of frames missing
    stats.on_packet(t + 2.54, 1000, 2.54, corrupt=True)
    assert stats.gaps == 2
    stats.new_session()
    stats.on_packet(t + 3.0, 1000, 0.0, corrupt=False)  # a new timeline is not a gap
    assert stats.gaps == 2
    assert stats.rates(t + 100)[0] == 0.0


def test_parameter_sets_are_prepended_once() -> None:
    key = pkt(0).data
    assert not has_parameter_sets(key, "h264")
    fixed = with_parameter_sets(key, INFO.extradata, "h264")
    assert fixed.startswith(INFO.extradata) and has_parameter_sets(fixed, "h264")
    assert with_parameter_sets(fixed, INFO.extradata, "h264") == fixed
    assert with_parameter_sets(key, b"\x01\x42avcC", "h264") == key  # not Annex B: left out


def test_slow_reader_skips_to_the_next_key_frame() -> None:
    reader = TsReader("k", [], max_queue_bytes=1000)
    reader.offer(pkt(1))  # no key frame yet: dropped
    for i in range(25, 40):
        reader.offer(pkt(i, size=200))  # overflows after a few packets
    assert reader.packets_dropped > 1
    reader.offer(pkt(50))  # the next key frame: starts again from it
    assert reader._queue[0].keyframe and len(reader._queue) == 1
    reader.close()
    assert reader.read(100, timeout=0.01) == b""
