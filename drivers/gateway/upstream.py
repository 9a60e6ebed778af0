"""One upstream RTSP session per stream key, on its own thread, reconnecting by itself.

Why one thread per stream: PyAV's demuxer blocks in FFmpeg (with the GIL released), so a
thread per camera stream is the simplest way to keep a stalled camera from delaying any other.
The thread only demuxes: it never decodes or re-encodes. Each packet is copied out of PyAV
once (so nothing depends on the FFmpeg session after a reconnect) and then shared by
reference with the GOP cache, the ring buffer and every reader.

Failures are classified (``errors.classify``) and retried with capped backoff; a camera that
comes back after a reboot is live again within ``max_backoff`` + connection time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from fractions import Fraction

import av
import av.container

from drivers.gateway.backoff import SLOW_RETRY_S, Backoff
from drivers.gateway.credentials import mask_url, with_credentials
from drivers.gateway.errors import StreamFailure, classify
from drivers.gateway.gop_cache import GopCache
from drivers.gateway.model import (
    MediaPacket,
    StreamHealth,
    StreamInfo,
    StreamProblem,
    StreamSource,
    StreamState,
)
from drivers.gateway.parameter_sets import with_parameter_sets
from drivers.gateway.ring_buffer import RingBuffer
from drivers.gateway.stream_stats import StreamStats
from drivers.gateway.ts_reader import TsReader

log = logging.getLogger(__name__)

SUPPORTED_CODECS = ("h264", "hevc")
#: Problems a retry will not fix without a human: retried slowly.
NEEDS_A_HUMAN = (
    StreamProblem.AUTH_FAILED,
    StreamProblem.NOT_FOUND,
    StreamProblem.UNSUPPORTED_CODEC,
)
#: A stream that was live and has not come back for this long is reported OFFLINE.
OFFLINE_AFTER_S = 10.0


def demux_options(source: StreamSource, read_timeout: float) -> dict[str, str]:
    """libavformat RTSP options for a fast start and a bounded wait.

    Small ``probesize``/``analyzeduration``: the SDP already names the codec and its
    parameter sets, so probing more only delays the first packet. ``fflags=nobuffer`` is
    deliberately *not* set: it makes FFmpeg discard the packets read while probing, which
    include the first key frame, and a new stream would then wait a whole GOP for a picture.
    ``timeout`` (µs) bounds every socket wait so a silent camera is noticed.
    """
    return {
        "rtsp_transport": source.transport,
        "timeout": str(int(read_timeout * 1_000_000)),
        "probesize": "32768",
        "analyzeduration": "500000",
        "reorder_queue_size": "0" if source.transport == "tcp" else "16",
        "max_delay": "100000" if source.transport == "udp" else "0",
        "allowed_media_types": "video",
    }


class Upstream:
    """The session for one stream key: its thread, caches, statistics and readers."""

    def __init__(
        self,
        source: StreamSource,
        *,
        ring_seconds: float,
        open_timeout: float,
        read_timeout: float,
        max_backoff: float,
        notify: Callable[[StreamHealth], None],
        may_retire: Callable[[Upstream], bool],
    ) -> None:
        self.source = source
        self.key = source.key
        self.open_timeout = open_timeout
        self.read_timeout = read_timeout
        self._notify = notify
        self._may_retire = may_retire
        self._backoff = Backoff(maximum=max_backoff)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._gop = GopCache()
        self._ring = RingBuffer(ring_seconds)
        self._stats = StreamStats()
        self._readers: set[TsReader] = set()
        self._state = StreamState.CONNECTING
        self._problem: StreamProblem | None = None
        self._detail = "connecting"
        self._since = time.time()
        self._info: StreamInfo | None = None
        self._ever_live = False
        self._lost_at: float | None = None
        self.reconnects = 0
        self.sessions_opened = 0
        self.idle_since: float | None = None  # set by the gateway when nobody holds the key
        self._thread = threading.Thread(
            target=self._run, name=f"gateway-upstream-{self.key}", daemon=True
        )

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end (it may be blocked in FFmpeg for up to a timeout)."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

    def wake(self) -> None:
        """Cut a backoff wait short (used when someone acquires the stream again)."""
        self._backoff.reset()

    # -- readers and caches (any thread) -------------------------------------------------------

    def open_reader(self, max_queue_bytes: int) -> TsReader:
        with self._lock:
            reader = TsReader(
                self.key,
                self._gop.snapshot(),
                max_queue_bytes=max_queue_bytes,
                on_close=self._drop_reader,
            )
            self._readers.add(reader)
        return reader

    def _drop_reader(self, reader: TsReader) -> None:
        with self._lock:
            self._readers.discard(reader)

    @property
    def reader_count(self) -> int:
        with self._lock:
            return len(self._readers)

    def close_readers(self) -> None:
        with self._lock:
            readers = list(self._readers)
        for reader in readers:
            reader.close()

    def latest_keyframe(self) -> tuple[float, bytes] | None:
        with self._lock:
            packet = self._gop.keyframe()
        return None if packet is None else (packet.arrival, packet.data)

    def ring_select(self, start: float, end: float) -> list[MediaPacket]:
        with self._lock:
            return self._ring.select(start, end)

    def ring_span(self) -> tuple[float, float] | None:
        with self._lock:
            return self._ring.span()

    def ring_bytes(self) -> int:
        with self._lock:
            return self._ring.nbytes

    def health(self) -> StreamHealth:
        now = time.time()
        with self._lock:
            pps, bps = self._stats.rates(now)
            info = self._info
            return StreamHealth(
                key=self.key,
                state=self._state,
                problem=self._problem,
                detail=self._detail,
                codec=info.codec if info else "",
                width=info.width if info else 0,
                height=info.height if info else 0,
                fps=info.fps if info else 0.0,
                packets_per_s=round(pps, 2),
                bitrate_bps=round(bps, 1),
                gaps=self._stats.gaps,
                last_packet_at=self._stats.last_packet_at,
                since=self._since,
                reconnects=self.reconnects,
            )

    # -- state --------------------------------------------------------------------------------

    def _set_state(self, state: StreamState, problem: StreamProblem | None, detail: str) -> None:
        with self._lock:
            changed = (state, problem) != (self._state, self._problem)
            if state != self._state:
                self._since = time.time()
            self._state, self._problem, self._detail = state, problem, detail
        if changed:
            if problem is None:
                log.info("stream %s %s", self.key, state.value)
            else:
                log.warning("stream %s %s: %s (%s)", self.key, state.value, problem.value, detail)
            self._notify(self.health())

    def _failed(self, problem: StreamProblem, detail: str) -> float:
        """Record a failed attempt; return how long to wait before the next one."""
        now = time.time()
        if problem in NEEDS_A_HUMAN:
            state = StreamState.OFFLINE
        elif not self._ever_live:
            state = StreamState.OFFLINE if self._backoff.attempts >= 1 else StreamState.CONNECTING
        elif self._lost_at is not None and now - self._lost_at >= OFFLINE_AFTER_S:
            state = StreamState.OFFLINE
        else:
            state = StreamState.RECONNECTING
        self._set_state(state, problem, detail)
        delay = self._backoff.next_delay()
        return max(delay, SLOW_RETRY_S) if problem in NEEDS_A_HUMAN else delay

    # -- the thread -----------------------------------------------------------------------------

    def _should_end(self) -> bool:
        if self._stop.is_set():
            return True
        if self.idle_since is not None and self.reader_count == 0 and self._may_retire(self):
            self._stop.set()
            return True
        return False

    def _wait(self, delay: float) -> None:
        end = time.monotonic() + delay
        while not self._should_end():
            remaining = end - time.monotonic()
            if remaining <= 0 or self._backoff.attempts == 0:
                return
            self._stop.wait(min(remaining, 0.2))

    def _run(self) -> None:
        secrets = (self.source.password,)
        url = with_credentials(self.source.url, self.source.username, self.source.password)
        log.info(
            "stream %s: opening %s over %s",
            self.key,
            mask_url(self.source.url),
            self.source.transport,
        )
        try:
            while not self._should_end():
                try:
                    container = av.open(
                        url,
                        options=demux_options(self.source, self.read_timeout),
                        timeout=(self.open_timeout, self.read_timeout),
                    )
                except Exception as exc:
                    problem, detail = classify(exc, opening=True, secrets=secrets)
                    del exc
                    self._wait(self._failed(problem, detail))
                    continue
                try:
                    assert isinstance(container, av.container.InputContainer)
                    self.sessions_opened += 1
                    self._pump(container)
                    problem, detail = StreamProblem.UNREACHABLE, "the camera ended the stream"
                except Exception as exc:
                    problem, detail = classify(exc, opening=False, secrets=secrets)
                    del exc
                finally:
                    container.close()
                    with self._lock:
                        self._gop.clear()  # a new reader must not take a dead session's picture as live
                if self._should_end():
                    break
                if self._state is StreamState.LIVE:
                    self._lost_at = time.time()
                    self.reconnects += 1
                    if problem is StreamProblem.STALLED:
                        with self._lock:
                            self._stats.on_stall()
                self._wait(self._failed(problem, detail))
        except Exception:
            log.exception("stream %s: upstream thread failed", self.key)
        finally:
            self.close_readers()
            log.info("stream %s: upstream closed", self.key)

    def _pump(self, container: av.container.InputContainer) -> None:
        """Demux until the session ends; raises on errors (classified by the caller)."""
        if not container.streams.video:
            raise StreamFailure(StreamProblem.BAD_STREAM, "no video track in the stream")
        stream = container.streams.video[0]
        ctx = stream.codec_context
        codec = ctx.name if ctx is not None else ""
        if codec not in SUPPORTED_CODECS:
            raise StreamFailure(
                StreamProblem.UNSUPPORTED_CODEC,
                f"video codec {codec or 'unknown'} is not H.264/H.265",
            )
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        time_base = stream.time_base or Fraction(1, 90_000)
        info = StreamInfo(
            codec=codec,
            width=ctx.width if ctx is not None else 0,
            height=ctx.height if ctx is not None else 0,
            time_base=time_base,
            fps=float(rate) if rate else 0.0,
            extradata=bytes(ctx.extradata or b"") if ctx is not None else b"",
        )
        frame_ticks = max(
            1, int(time_base.denominator / (time_base.numerator * (info.fps or 25.0)))
        )
        session = self.sessions_opened
        with self._lock:
            self._info = info
            self._stats.new_session()
        last_dts: int | None = None
        for av_packet in container.demux(stream):
            if self._should_end():
                return
            if av_packet.size == 0:
                continue  # the demuxer's flush packet at the end of the stream
            now = time.time()
            dts = av_packet.dts
            if dts is None:  # FFmpeg has no clock mapping yet for the first packets
                dts = (
                    av_packet.pts
                    if av_packet.pts is not None
                    else (last_dts + frame_ticks if last_dts is not None else 0)
                )
            pts = av_packet.pts if av_packet.pts is not None else dts
            last_dts = dts
            keyframe = bool(av_packet.is_keyframe)
            data = bytes(av_packet)
            if keyframe:
                data = with_parameter_sets(data, info.extradata, codec)
            packet = MediaPacket(
                data=data,
                pts=pts,
                dts=dts,
                duration=av_packet.duration or frame_ticks,
                keyframe=keyframe,
                arrival=now,
                session=session,
                info=info,
            )
            self._ingest(packet, corrupt=bool(av_packet.is_corrupt))

    def _ingest(self, packet: MediaPacket, corrupt: bool) -> None:
        tb = packet.info.time_base
        with self._lock:
            self._gop.add(packet)
            self._ring.add(packet)
            self._stats.on_packet(packet.arrival, len(packet.data), float(packet.dts * tb), corrupt)
            readers = list(self._readers)
            went_live = self._state is not StreamState.LIVE
        for reader in readers:
            reader.offer(packet)
        if went_live:
            self._ever_live = True
            self._lost_at = None
            self._backoff.reset()
            info = packet.info
            self._set_state(
                StreamState.LIVE,
                None,
                f"{info.codec} {info.width}x{info.height} over {self.source.transport}",
            )
