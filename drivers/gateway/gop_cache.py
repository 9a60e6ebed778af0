"""The latest group of pictures, so that a new viewer starts at once.

Why: a decoder can only start at a key frame, and cameras send one every 1–4 s. Without a
cache a new tile shows black until the next one. With it, the gateway hands the new reader the
last key frame and everything after it; the reader's timestamp rewriter squeezes those packets
together so the player decodes through them immediately and shows the newest picture.
The cache is bounded: a camera with a very long GOP (or none) cannot grow it without limit.
"""

from __future__ import annotations

from drivers.gateway.model import MediaPacket

#: Upper bound on cached bytes; past it the cache keeps the key frame and drops the rest
#: (a new reader then starts at the key frame and waits for the next one for the rest).
MAX_GOP_BYTES = 16 * 1024 * 1024


class GopCache:
    """Packets from the most recent key frame on. Not thread-safe: the owner locks."""

    def __init__(self, max_bytes: int = MAX_GOP_BYTES) -> None:
        self.max_bytes = max_bytes
        self._packets: list[MediaPacket] = []
        self._bytes = 0
        self.overflowed = False

    def add(self, packet: MediaPacket) -> None:
        if packet.keyframe:
            self._packets = [packet]
            self._bytes = len(packet.data)
            self.overflowed = False
            return
        if not self._packets or self.overflowed:
            return  # nothing decodable to append to
        if packet.session != self._packets[0].session:
            self.clear()
            return
        if self._bytes + len(packet.data) > self.max_bytes:
            self.overflowed = True
            return
        self._packets.append(packet)
        self._bytes += len(packet.data)

    def snapshot(self) -> list[MediaPacket]:
        """The cached GOP, starting with its key frame, or [] when none is usable."""
        return [] if self.overflowed else list(self._packets)

    def keyframe(self) -> MediaPacket | None:
        return self._packets[0] if self._packets else None

    def clear(self) -> None:
        self._packets = []
        self._bytes = 0
        self.overflowed = False

    def __len__(self) -> int:
        return len(self._packets)
