"""The last N seconds of a stream, kept so an incident clip can include what came *before*
the officer pressed the button.

Why trimming keeps one key frame older than the window: a clip can only start at a key frame,
so the buffer always holds the newest key frame at or before ``now - seconds`` and everything
after it. That way the full window is decodable, and memory stays bounded by window + 1 GOP.
"""

from __future__ import annotations

import bisect
from collections import deque

from drivers.gateway.model import MediaPacket


class RingBuffer:
    """Packets with arrival times, trimmed to ``seconds``. Not thread-safe: the owner locks."""

    def __init__(self, seconds: float, max_bytes: int = 256 * 1024 * 1024) -> None:
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._packets: deque[MediaPacket] = deque()
        self._bytes = 0

    def add(self, packet: MediaPacket) -> None:
        if not self._packets and not packet.keyframe:
            return  # a buffer must start at a key frame to be of any use
        self._packets.append(packet)
        self._bytes += len(packet.data)
        self._trim(packet.arrival)

    def _trim(self, now: float) -> None:
        horizon = now - self.seconds
        packets = self._packets
        while True:
            # Drop the oldest GOP while the next key frame is still at or before the horizon
            # (or while over the byte cap and there is a later key frame to start from).
            nxt = self._next_keyframe_index(1)
            if nxt is None:
                break
            if packets[nxt].arrival <= horizon or self._bytes > self.max_bytes:
                for _ in range(nxt):
                    self._bytes -= len(packets.popleft().data)
            else:
                break

    def _next_keyframe_index(self, start: int) -> int | None:
        for i in range(start, len(self._packets)):
            if self._packets[i].keyframe:
                return i
        return None

    def span(self) -> tuple[float, float] | None:
        """Arrival times of the oldest and newest packets held."""
        if not self._packets:
            return None
        return self._packets[0].arrival, self._packets[-1].arrival

    def select(self, start: float, end: float) -> list[MediaPacket]:
        """Packets from the key frame at or before ``start`` (or the oldest, if none is that
        old) up to the last packet that arrived at or before ``end``."""
        packets = list(self._packets)
        if not packets:
            return []
        arrivals = [p.arrival for p in packets]
        last = bisect.bisect_right(arrivals, end)
        first = 0
        for i in range(min(bisect.bisect_right(arrivals, start), len(packets)) - 1, -1, -1):
            if packets[i].keyframe:
                first = i
                break
        return packets[first:last]

    def clear(self) -> None:
        self._packets.clear()
        self._bytes = 0

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._packets)
