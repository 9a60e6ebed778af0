"""Make every key frame self-contained by carrying the codec's parameter sets in-band.

Why: a player that joins at a key frame (a new tile, the quality prober, an incident clip)
needs SPS/PPS (and VPS for H.265) in front of it. FFmpeg's RTSP demuxer delivers them once, as
Annex B ``extradata`` from the SDP, and many cameras do not repeat them in the stream. MPEG-TS
has no other place for them, so they are prepended to key frames that lack them.
"""

from __future__ import annotations

_START = b"\x00\x00\x01"


def nal_types(data: bytes, codec: str) -> set[int]:
    """NAL unit types in an Annex B buffer (H.264 or H.265)."""
    types: set[int] = set()
    i = data.find(_START)
    while i >= 0 and i + 3 < len(data):
        header = data[i + 3]
        types.add(header & 0x1F if codec == "h264" else (header >> 1) & 0x3F)
        i = data.find(_START, i + 3)
    return types


def _parameter_set_types(codec: str) -> set[int]:
    return {7, 8} if codec == "h264" else {32, 33, 34}


def has_parameter_sets(data: bytes, codec: str) -> bool:
    """True when the buffer carries an SPS (H.264) or VPS+SPS (H.265)."""
    types = nal_types(data, codec)
    return 7 in types if codec == "h264" else {32, 33} <= types


def with_parameter_sets(data: bytes, extradata: bytes, codec: str) -> bytes:
    """``data`` with the Annex B ``extradata`` in front, unless it already carries them.

    Extradata that is not Annex B (avcC/hvcC, which RTSP never yields) is left out: putting
    it into an Annex B stream would corrupt it.
    """
    if codec not in ("h264", "hevc") or not extradata:
        return data
    if not (extradata.startswith(_START) or extradata.startswith(b"\x00" + _START)):
        return data
    if has_parameter_sets(data, codec):
        return data
    if not nal_types(extradata, codec) & _parameter_set_types(codec):
        return data
    return extradata + data
