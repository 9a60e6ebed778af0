"""Timestamp rewriting for each consumer's output timeline.

Why: every reader (a tile's MPEG-TS, a clip) needs timestamps that start near zero, only go
forward and never jump across a reconnect, while the camera's own timeline restarts on every
new RTSP session. And a reader that starts with the cached GOP must not be made to wait for
it: those packets are *compressed* so the decoder runs through them at once and the newest
picture is shown without adding a GOP of latency. After the burst, live packets keep their
real spacing, offset to continue the burst's timeline.

How much to compress: a player starts showing pictures once its buffer holds its caching's
worth of stream time (libVLC: ``network-caching``). A burst squeezed into a few milliseconds
leaves that buffer nearly empty, and the player then waits for live packets to fill it; a
burst spread over ``burst_span`` (a little more than the caching) fills it at once. Measured
on the loaded 4x4 wall (bench/wall.py P2, warm start to pixels, two alternating pairs of
runs): 1 ms apart 539 and 520 ms, spread over 120 ms 436 and 464 ms. The burst is never
spread wider than the packets' own spacing (it would then play slower than real time).
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.gateway.model import MediaPacket

#: A forward jump larger than this many seconds (or any backward step) is a discontinuity.
MAX_JUMP_S = 2.0


@dataclass(frozen=True, slots=True)
class Stamp:
    pts: int
    dts: int


class TimestampRewriter:
    """Maps source (session, dts, pts) to a monotonic output timeline in ``ticks_per_s``.

    ``start`` is the first output dts (a little headroom keeps pts - dts offsets and muxer
    delays from going negative). Source timestamps are in each packet's own time base.
    """

    def __init__(
        self,
        ticks_per_s: int = 90_000,
        start_s: float = 1.0,
        burst_step_s: float = 0.001,
        burst_span_s: float = 0.0,
    ):
        self.ticks = ticks_per_s
        self.start = round(start_s * ticks_per_s)
        self.burst_step = max(1, round(burst_step_s * ticks_per_s))
        self.burst_span = max(0, round(burst_span_s * ticks_per_s))
        self._offset: int | None = None  # out_dts = src_dts (in ticks) + offset
        self._session: int | None = None
        self._last_src: int | None = None
        self._last_out: int | None = None
        self._last_arrival: float | None = None
        self._frame = ticks_per_s // 25  # nominal frame spacing, refined from the source
        self.discontinuities = 0

    def _to_ticks(self, value: int, packet: MediaPacket) -> int:
        tb = packet.info.time_base
        return value * tb.numerator * self.ticks // tb.denominator

    def burst(self, packets: list[MediaPacket]) -> list[Stamp]:
        """Stamps for the cached GOP, evenly apart; the last one anchors the live ones."""
        step = self._burst_spacing(packets)
        out: list[Stamp] = []
        for packet in packets:
            dts_out = self.start if self._last_out is None else self._last_out + step
            out.append(self._commit(packet, dts_out))
        return out

    def _burst_spacing(self, packets: list[MediaPacket]) -> int:
        """``burst_span`` shared out, at least ``burst_step``, at most the real spacing."""
        if len(packets) < 2 or self.burst_span <= 0:
            return self.burst_step
        gaps = len(packets) - 1
        real = self._to_ticks(packets[-1].dts, packets[-1]) - self._to_ticks(
            packets[0].dts, packets[0]
        )
        wanted = self.burst_span // gaps
        return max(self.burst_step, min(wanted, max(0, real) // gaps))

    def live(self, packet: MediaPacket) -> Stamp:
        """The stamp for a live packet: real spacing, continuous across reconnects."""
        src = self._to_ticks(packet.dts, packet)
        if self._last_out is None or self._offset is None or self._last_src is None:
            return self._commit(packet, self.start)
        step = src - self._last_src
        new_timeline = packet.session != self._session
        if new_timeline or step <= 0 or step > MAX_JUMP_S * self.ticks:
            self.discontinuities += 1
            # Continue after the wall-clock gap (capped), at least one frame later.
            gap = self._frame
            if self._last_arrival is not None:
                gap = max(gap, round((packet.arrival - self._last_arrival) * self.ticks))
            gap = min(gap, round(MAX_JUMP_S * self.ticks))
            return self._commit(packet, self._last_out + gap)
        if step < self.ticks * 4 // 10:  # learn the frame spacing from normal steps
            self._frame = step
        return self._commit(packet, src + self._offset)

    def _commit(self, packet: MediaPacket, dts_out: int) -> Stamp:
        src_dts = self._to_ticks(packet.dts, packet)
        if self._last_out is not None and dts_out <= self._last_out:
            dts_out = self._last_out + 1  # muxers demand strictly increasing dts
        self._offset = dts_out - src_dts
        self._session = packet.session
        self._last_src = src_dts
        self._last_out = dts_out
        self._last_arrival = packet.arrival
        delay = max(0, self._to_ticks(packet.pts, packet) - src_dts)  # B-frame reorder delay
        return Stamp(pts=dts_out + delay, dts=dts_out)
