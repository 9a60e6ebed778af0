"""Per-stream counters for the health monitor: packets/s, bitrate, gaps, last packet.

Why here: the gateway already touches every packet, so it can measure the stream for free;
the health monitor then needs no second connection to a camera that is on the wall. Rates are
over a short sliding window so a stall shows within seconds. Timestamps come from the caller
so the logic is testable without a clock.
"""

from __future__ import annotations

from collections import deque

WINDOW_S = 2.0


class StreamStats:
    """Not thread-safe: the owner locks."""

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._recent: deque[tuple[float, int]] = deque()
        self._recent_bytes = 0
        self.packets = 0
        self.bytes = 0
        self.gaps = 0
        self.last_packet_at: float | None = None
        self._last_dts_s: float | None = None
        self._frame_s: float | None = None

    def on_packet(self, now: float, size: int, dts_s: float | None, corrupt: bool) -> None:
        self.packets += 1
        self.bytes += size
        self.last_packet_at = now
        self._recent.append((now, size))
        self._recent_bytes += size
        self._expire(now)
        if corrupt:
            self.gaps += 1
        if dts_s is not None and self._last_dts_s is not None:
            step = dts_s - self._last_dts_s
            if self._frame_s is not None and step > 2.5 * self._frame_s:
                self.gaps += 1  # frames missing from the camera's timeline
            elif 0 < step < 0.5:
                self._frame_s = (
                    step if self._frame_s is None else min(self._frame_s, step) * 0.5 + step * 0.5
                )
        self._last_dts_s = dts_s

    def on_stall(self) -> None:
        self.gaps += 1

    def new_session(self) -> None:
        """A new RTSP session restarts the camera's timeline: do not count that as a gap."""
        self._last_dts_s = None

    def _expire(self, now: float) -> None:
        while self._recent and self._recent[0][0] < now - self.window_s:
            self._recent_bytes -= self._recent.popleft()[1]

    def rates(self, now: float) -> tuple[float, float]:
        """(packets per second, bits per second) over the window ending at ``now``."""
        self._expire(now)
        if not self._recent:
            return 0.0, 0.0
        span = (
            max(self.window_s, 1e-6)
            if self.packets > len(self._recent)
            else max(now - self._recent[0][0], 0.5)
        )
        return len(self._recent) / span, self._recent_bytes * 8 / span
