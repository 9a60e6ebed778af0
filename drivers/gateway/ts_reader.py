"""One consumer's MPEG-TS view of a stream: its own muxer, its own timeline, a bounded queue.

Why per reader: players join at different moments, so each needs its own PAT/PMT at the start,
its own compressed GOP burst and its own timestamps; sharing one muxed byte stream would force
every newcomer to wait for the next key frame. Muxing is cheap (no decoding, no encoding) and
it happens in the *consumer's* thread inside ``read()``, so the upstream thread only appends
packet references to a queue and never waits for anyone.

A slow consumer (a player that stopped reading) must not grow memory or hold up others: once
its queue passes ``max_queue_bytes`` it skips to the next key frame, dropping what is queued.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from fractions import Fraction

import av
import av.container
import av.stream

from drivers.gateway.model import MediaPacket
from drivers.gateway.timestamps import TimestampRewriter

log = logging.getLogger(__name__)

TS_TIME_BASE = Fraction(1, 90_000)
MAX_QUEUE_BYTES = 8 * 1024 * 1024
#: libavformat options for the per-reader MPEG-TS muxer: no mux delay (PCR equals DTS, so a
#: player does not buffer a muxing delay on top of its own caching) and a flush after every
#: packet so bytes reach the reader at once.
TS_MUX_OPTIONS = {"max_delay": "0", "flush_packets": "1"}
#: The start-up burst (the cached GOP) spans this much stream time: a little more than the
#: players' caching (100 ms, drivers.vlc_options), so a player's start-up buffer is full the
#: moment the burst arrives (drivers.gateway.timestamps says why, with figures).
BURST_SPAN_S = 0.12


class TsReader:
    """Pull-style MPEG-TS bytes for one consumer. ``read`` from one thread at a time."""

    def __init__(
        self,
        key: str,
        burst: list[MediaPacket],
        *,
        max_queue_bytes: int = MAX_QUEUE_BYTES,
        on_close: Callable[[TsReader], None] | None = None,
    ) -> None:
        self.key = key
        self.max_queue_bytes = max_queue_bytes
        self._on_close = on_close
        self._cond = threading.Condition()
        self._read_lock = threading.Lock()
        self._queue: deque[MediaPacket] = deque()
        self._queued_bytes = 0
        self._burst = list(burst)
        self._waiting_for_keyframe = not burst
        self._closed = False
        self._out = bytearray()
        self._muxer: av.container.OutputContainer | None = None
        self._stream: av.stream.Stream | None = None
        self._codec = ""
        self._rewriter = TimestampRewriter(burst_span_s=BURST_SPAN_S)
        self.opened_at = time.time()
        self.packets_in = 0
        self.packets_dropped = 0
        self.bytes_out = 0

    # -- producer side (the upstream thread) ------------------------------------------------

    def offer(self, packet: MediaPacket) -> None:
        """Queue a live packet; never blocks. Called by the upstream thread."""
        with self._cond:
            if self._closed:
                return
            if self._waiting_for_keyframe:
                if not packet.keyframe:
                    self.packets_dropped += 1
                    return
                self._waiting_for_keyframe = False
                self.packets_dropped += len(self._queue)
                self._queue.clear()
                self._queued_bytes = 0
            elif self._queued_bytes + len(packet.data) > self.max_queue_bytes:
                self._waiting_for_keyframe = True  # slow consumer: skip to the next key frame
                self.packets_dropped += 1
                log.debug("reader of %s too slow: skipping to the next key frame", self.key)
                return
            self._queue.append(packet)
            self._queued_bytes += len(packet.data)
            self._cond.notify()

    # -- consumer side ----------------------------------------------------------------------

    def read(self, max_bytes: int = 65536, timeout: float = 1.0) -> bytes:
        """Up to ``max_bytes`` of MPEG-TS; b"" after ``timeout`` s without data or when closed."""
        deadline = time.monotonic() + max(0.0, timeout)
        with self._read_lock:
            while not self._out:
                with self._cond:
                    burst, self._burst = self._burst, []
                    while not burst and not self._queue and not self._closed:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            return b""
                        self._cond.wait(remaining)
                    if self._closed:
                        return b""
                    live = list(self._queue)
                    self._queue.clear()
                    self._queued_bytes = 0
                self._mux(burst, live)
            chunk = bytes(self._out[:max_bytes])
            del self._out[:max_bytes]
            self.bytes_out += len(chunk)
            return chunk

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop reading; wakes a blocked ``read``. Idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._queue.clear()
            self._burst = []
            self._cond.notify_all()
        with self._read_lock:
            self._close_muxer()
        if self._on_close is not None:
            self._on_close(self)

    def __enter__(self) -> TsReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- muxing -------------------------------------------------------------------------------

    def write(self, data: bytes) -> int:
        """File-like sink for the muxer (called inside ``_mux``)."""
        self._out += data
        return len(data)

    def _open_muxer(self, packet: MediaPacket) -> None:
        self._close_muxer()
        info = packet.info
        muxer = av.open(self, "w", format="mpegts", options=dict(TS_MUX_OPTIONS))
        assert isinstance(muxer, av.container.OutputContainer)
        rate = Fraction(info.fps).limit_denominator(1001) if info.fps > 0 else None
        stream = muxer.add_mux_stream(info.codec, rate=rate, width=info.width, height=info.height)
        stream.time_base = TS_TIME_BASE
        self._muxer, self._stream, self._codec = muxer, stream, info.codec

    def _close_muxer(self) -> None:
        if self._muxer is not None:
            try:
                self._muxer.close()
            except Exception:  # a trailer we do not need; never let it mask the caller's path
                log.debug("closing the TS muxer of %s failed", self.key, exc_info=True)
            self._muxer = self._stream = None

    def _mux(self, burst: list[MediaPacket], live: list[MediaPacket]) -> None:
        stamps = self._rewriter.burst(burst) + [self._rewriter.live(p) for p in live]
        for packet, stamp in zip(burst + live, stamps, strict=True):
            if self._muxer is None or packet.info.codec != self._codec:
                if not packet.keyframe and self._muxer is None:
                    continue
                self._open_muxer(packet)
            out = av.Packet(packet.data)
            out.pts, out.dts = stamp.pts, stamp.dts
            out.time_base = TS_TIME_BASE
            assert self._muxer is not None and self._stream is not None
            out.stream = self._stream
            out.is_keyframe = packet.keyframe
            self._muxer.mux(out)
            self.packets_in += 1
