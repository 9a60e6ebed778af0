"""Incident clips: packets from the ring buffer remuxed into an MP4, without re-encoding.

Why no re-encoding: a clip is evidence, so it must be the camera's own bits, and it must be
cheap enough to save while the wall keeps running. A clip starts at the key frame at or before
the asked start (a decoder cannot start anywhere else) and is cut where the stream's codec or
picture size changes across a reconnect (one MP4 track cannot hold both). ``ClipInfo`` states
the span really written, which may be shorter than asked (the stream had just started) or
start earlier (the key frame).
"""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path

import av
import av.container

from drivers.gateway.errors import NothingBufferedError
from drivers.gateway.model import ClipInfo, MediaPacket
from drivers.gateway.timestamps import TimestampRewriter

log = logging.getLogger(__name__)

CLIP_TIME_BASE = Fraction(1, 90_000)


def usable_run(packets: list[MediaPacket]) -> list[MediaPacket]:
    """The leading packets that share the first packet's codec and picture size."""
    if not packets:
        return []
    first = packets[0].info
    out: list[MediaPacket] = []
    for packet in packets:
        info = packet.info
        if (info.codec, info.width, info.height) != (first.codec, first.width, first.height):
            break
        out.append(packet)
    return out


def write_clip(
    key: str, packets: list[MediaPacket], path: Path, asked_start: float, asked_end: float
) -> ClipInfo:
    """Write ``packets`` (starting at a key frame) to ``path`` as MP4; return the real span."""
    packets = usable_run(packets)
    if not packets or not packets[0].keyframe:
        raise NothingBufferedError(f"nothing buffered for stream {key} between the asked times")
    info = packets[0].info
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    rewriter = TimestampRewriter(start_s=0.0)
    try:
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            assert isinstance(out, av.container.OutputContainer)
            rate = Fraction(info.fps).limit_denominator(1001) if info.fps > 0 else None
            stream = out.add_mux_stream(info.codec, rate=rate, width=info.width, height=info.height)
            stream.time_base = CLIP_TIME_BASE
            for packet in packets:
                stamp = rewriter.live(packet)
                av_packet = av.Packet(packet.data)
                av_packet.pts, av_packet.dts = stamp.pts, stamp.dts
                av_packet.duration = max(
                    1, round(packet.duration * packet.info.time_base / CLIP_TIME_BASE)
                )
                av_packet.time_base = CLIP_TIME_BASE
                av_packet.stream = stream
                av_packet.is_keyframe = packet.keyframe
                out.mux(av_packet)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    clip = ClipInfo(
        path=path,
        start=packets[0].arrival,
        end=packets[-1].arrival,
        frames=len(packets),
        asked_start=asked_start,
        asked_end=asked_end,
    )
    log.info(
        "clip of %s: %d frames, %.2f s written to %s",
        key,
        clip.frames,
        clip.end - clip.start,
        path.name,
    )
    return clip
