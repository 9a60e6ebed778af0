"""``StreamGateway``: one upstream session per stream key, fanned out to every consumer.

Why it exists: Debian's libVLC cannot open ``rtsp://`` (no live555), so the console pulls
each camera stream itself with PyAV and hands players loopback HTTP MPEG-TS (or a pull-style
``TsReader`` for libVLC media callbacks). Holding the session here also gives, for free, a
warm start for new tiles (the cached GOP), an incident ring buffer and per-stream health.

Threads: one per held stream (``gateway-upstream-<key>``), one accepting player connections
(``gateway-http-accept``) and one per player connection (``gateway-http-<n>``); all daemon, all
named, all joined by ``close()``. Listeners are called on those threads and must be quick.
No Qt here: the UI wraps listeners into signals.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

from drivers.gateway.clips import write_clip
from drivers.gateway.errors import GatewayClosedError, NothingBufferedError, UnknownStreamError
from drivers.gateway.http_output import HttpOutput
from drivers.gateway.model import (
    ClipInfo,
    MediaPacket,
    StreamHealth,
    StreamSource,
    StreamState,
)
from drivers.gateway.ts_reader import MAX_QUEUE_BYTES, TsReader
from drivers.gateway.upstream import Upstream

log = logging.getLogger(__name__)

Listener = Callable[[StreamHealth], None]


class StreamGateway:
    """See the module docstring. Thread-safe; ``start()`` before handing out URLs."""

    def __init__(
        self,
        *,
        ring_seconds: float = 30.0,
        open_timeout: float = 5.0,
        read_timeout: float = 4.0,
        max_backoff: float = 2.0,
        linger: float = 5.0,
        host: str = "127.0.0.1",
        max_reader_queue_bytes: int = MAX_QUEUE_BYTES,
    ) -> None:
        self.ring_seconds = ring_seconds
        self.open_timeout = open_timeout
        self.read_timeout = read_timeout
        self.max_backoff = max_backoff
        self.linger = linger
        self.max_reader_queue_bytes = max_reader_queue_bytes
        self._lock = threading.RLock()
        self._upstreams: dict[str, Upstream] = {}
        self._sources: dict[str, StreamSource] = {}
        self._refs: dict[str, int] = {}
        self._retired: list[Upstream] = []
        self._listeners: list[Listener] = []
        self._http = HttpOutput(host, secrets.token_urlsafe(18), self._reader_for_http)
        self._started = False
        self._closed = False

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the loopback server for players."""
        with self._lock:
            if self._closed:
                raise GatewayClosedError("gateway closed")
            if self._started:
                return
            self._http.start()
            self._started = True
        log.info("stream gateway serving players on %s:%d", self._http.host, self._http.port)

    def close(self) -> None:
        """Stop every session and the server; join all threads; close all sockets."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            upstreams = list(self._upstreams.values()) + self._retired
            self._upstreams.clear()
            self._retired = []
            self._refs.clear()
        for upstream in upstreams:
            upstream.stop()
        self._http.close()
        for upstream in upstreams:
            upstream.close_readers()
        for upstream in upstreams:
            upstream.join()
        log.info("stream gateway closed")

    def __enter__(self) -> StreamGateway:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- holding streams ---------------------------------------------------------------------

    def acquire(self, source: StreamSource) -> str:
        """Hold ``source`` (refcounted) and return the URL a libVLC player opens.

        A second acquire of the same key with a different URL, credentials or transport
        replaces the session (the camera's settings changed).
        """
        with self._lock:
            if self._closed:
                raise GatewayClosedError("gateway closed")
            if not self._started:
                self.start()
            key = source.key
            self._refs[key] = self._refs.get(key, 0) + 1
            upstream = self._upstreams.get(key)
            if upstream is not None and (self._sources[key] != source or not upstream.alive):
                self._retire_now(upstream)
                upstream = None
            if upstream is None:
                upstream = self._new_upstream(source)
            else:
                upstream.idle_since = None
                upstream.wake()
            return self._http.url(key)

    def release(self, key: str) -> None:
        """Drop one hold; the session closes ``linger`` s after the last one goes."""
        with self._lock:
            count = self._refs.get(key, 0)
            if count <= 0:
                return
            if count > 1:
                self._refs[key] = count - 1
                return
            del self._refs[key]
            upstream = self._upstreams.get(key)
            if upstream is not None:
                upstream.idle_since = time.monotonic()

    def _new_upstream(self, source: StreamSource) -> Upstream:
        upstream = Upstream(
            source,
            ring_seconds=self.ring_seconds,
            open_timeout=self.open_timeout,
            read_timeout=self.read_timeout,
            max_backoff=self.max_backoff,
            notify=self._notify,
            may_retire=self._may_retire,
        )
        self._upstreams[source.key] = upstream
        self._sources[source.key] = source
        self._reap()
        upstream.start()
        return upstream

    def _retire_now(self, upstream: Upstream) -> None:
        upstream.stop()
        upstream.close_readers()
        self._retired.append(upstream)
        self._upstreams.pop(upstream.key, None)

    def _may_retire(self, upstream: Upstream) -> bool:
        """Called by an upstream thread: may it end now (idle for ``linger``)?"""
        with self._lock:
            if self._upstreams.get(upstream.key) is not upstream:
                return True
            idle = upstream.idle_since
            if (
                self._refs.get(upstream.key)
                or idle is None
                or time.monotonic() - idle < self.linger
            ):
                return False
            del self._upstreams[upstream.key]
            self._sources.pop(upstream.key, None)
            self._retired.append(upstream)
            log.info("stream %s released: closing the upstream session", upstream.key)
            return True

    def _reap(self) -> None:
        """Join threads of retired sessions that have finished (keeps the list short)."""
        alive = []
        for upstream in self._retired:
            if upstream._thread.is_alive():
                alive.append(upstream)
            else:
                upstream.join()
        self._retired = alive

    def _upstream(self, key: str) -> Upstream:
        with self._lock:
            upstream = self._upstreams.get(key)
        if upstream is None:
            raise UnknownStreamError(key)
        return upstream

    # -- consumers ---------------------------------------------------------------------------

    def open_reader(self, key: str) -> TsReader:
        """The same MPEG-TS bytes a player gets, pull style. Close it when done."""
        return self._upstream(key).open_reader(self.max_reader_queue_bytes)

    def _reader_for_http(self, key: str) -> TsReader | None:
        try:
            return self.open_reader(key)
        except UnknownStreamError:
            return None

    def latest_keyframe(self, key: str) -> tuple[float, bytes] | None:
        """(arrival wall time, key packet with parameter sets, Annex B) for the prober."""
        return self._upstream(key).latest_keyframe()

    def save_clip(self, key: str, start: float, end: float, path: Path) -> ClipInfo:
        """Remux the buffered span [start, end] (wall times) into an MP4 at ``path``.

        Starts at the key frame at or before ``start``; raises ``NothingBufferedError`` when
        nothing buffered falls in the span. Runs in the caller's thread (disk I/O).
        """
        if end <= start:
            raise ValueError("end must be after start")
        packets = self._upstream(key).ring_select(start, end)
        if not packets or packets[-1].arrival < start:
            raise NothingBufferedError(f"nothing buffered for stream {key} between the asked times")
        return write_clip(key, packets, path, start, end)

    def buffered_packets(self, key: str, start: float, end: float) -> list[MediaPacket]:
        """The ring buffer's packets from the key frame at or before ``start`` to ``end``.

        For incident clips made of two pieces (before and after the key press): the caller
        keeps the first piece while the second one is still being buffered.
        """
        return self._upstream(key).ring_select(start, end)

    def retain(self, key: str) -> None:
        """One more hold on a stream already held (an incident keeps it buffering after its
        tile moves on); ``release`` drops it. Raises ``UnknownStreamError`` if not held."""
        with self._lock:
            upstream = self._upstreams.get(key)
            if upstream is None or key not in self._refs:
                raise UnknownStreamError(key)
            self._refs[key] += 1
            upstream.idle_since = None

    def buffered_span(self, key: str) -> tuple[float, float] | None:
        """Arrival times of the oldest and newest packets in the ring buffer (added API)."""
        return self._upstream(key).ring_span()

    # -- health ------------------------------------------------------------------------------

    def health(self, key: str) -> StreamHealth | None:
        with self._lock:
            upstream = self._upstreams.get(key)
        return None if upstream is None else upstream.health()

    def buffered(self) -> dict[str, tuple[float, int]]:
        """Per open stream: seconds and bytes its incident ring buffer holds.

        The buffers are the gateway's largest memory by design (``ring_seconds`` of every
        open stream); a soak that measures memory must compare them full with full."""
        with self._lock:
            upstreams = list(self._upstreams.values())
        out: dict[str, tuple[float, int]] = {}
        for u in upstreams:
            span = u.ring_span()
            out[u.key] = (span[1] - span[0] if span else 0.0, u.ring_bytes())
        return out

    def all_health(self) -> list[StreamHealth]:
        with self._lock:
            upstreams = list(self._upstreams.values())
        return [u.health() for u in upstreams]

    def sessions_opened(self, key: str) -> int:
        """How many RTSP sessions this stream has opened so far (added API, for tests)."""
        return self._upstream(key).sessions_opened

    def add_listener(self, fn: Listener) -> Callable[[], None]:
        """Call ``fn(health)`` on every state or problem change (on gateway threads)."""
        with self._lock:
            self._listeners.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._listeners:
                    self._listeners.remove(fn)

        return unsubscribe

    def _notify(self, health: StreamHealth) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn(health)
            except Exception:
                log.exception("gateway listener failed")

    def wait_for(self, key: str, state: StreamState, timeout: float) -> bool:
        """Poll until ``key`` is in ``state``; False after ``timeout`` s (tests, CLI)."""
        deadline = time.monotonic() + timeout
        while True:
            health = self.health(key)
            if health is not None and health.state is state:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    @property
    def port(self) -> int:
        return self._http.port
