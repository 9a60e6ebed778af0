"""The values that cross the gateway's boundary: sources, states, problems, health, clips.

Why a module of its own: the UI, the health monitor and the tests all speak in these types,
and none of them should need PyAV to import them. Nothing here does I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from drivers.gateway.credentials import mask_url


@dataclass(frozen=True)
class StreamSource:
    """One camera stream the gateway may pull: where it is and how to log in.

    ``url`` carries no credentials; they travel separately so they can be masked everywhere.
    """

    key: str  # unique stream key, e.g. "12:sub" (camera id : profile)
    url: str  # rtsp://host:port/path, WITHOUT credentials
    username: str = ""
    password: str = field(default="", repr=False)  # never logged
    transport: str = "tcp"  # "tcp" (interleaved, default) or "udp"

    def __post_init__(self) -> None:
        if self.transport not in ("tcp", "udp"):
            raise ValueError(f"transport must be 'tcp' or 'udp', not {self.transport!r}")
        if not self.key or "/" in self.key:
            raise ValueError("a stream key must be non-empty and contain no '/'")

    def __repr__(self) -> str:
        secret = "***" if self.password else ""
        return (
            f"StreamSource(key={self.key!r}, url={mask_url(self.url)!r}, "
            f"username={self.username!r}, password={secret!r}, transport={self.transport!r})"
        )


class StreamState(enum.StrEnum):
    """Where an upstream session is in its life."""

    CONNECTING = "connecting"  # first attempt, nothing received yet
    LIVE = "live"  # packets flowing
    RECONNECTING = "reconnecting"  # was live, lost it, trying again (problem says why)
    OFFLINE = "offline"  # cannot get a picture; still retrying, more slowly (problem says why)


class StreamProblem(enum.StrEnum):
    """Why a stream is not live: a small set the officer (or the technician) can act on."""

    UNREACHABLE = "unreachable"  # connection refused / no route / reset: camera or network down
    AUTH_FAILED = "auth_failed"  # 401: the stored password is wrong
    NOT_FOUND = "not_found"  # 404: the stream path is wrong
    STALLED = "stalled"  # connected but no packets for read_timeout
    UNSUPPORTED_CODEC = "unsupported_codec"  # not H.264/H.265 video
    BAD_STREAM = "bad_stream"  # garbage, refused to stream (5xx), or no video track
    TIMEOUT = "timeout"  # the camera did not answer within open_timeout


@dataclass(frozen=True)
class StreamHealth:
    """A snapshot of one stream for tiles and the health monitor."""

    key: str
    state: StreamState
    problem: StreamProblem | None
    detail: str  # short English technical text, credentials masked
    codec: str
    width: int
    height: int
    fps: float
    packets_per_s: float
    bitrate_bps: float
    gaps: int  # timestamp jumps, corrupt packets and stalls counted
    last_packet_at: float | None  # time.time() of the last packet
    since: float  # when the current state began
    reconnects: int


@dataclass(frozen=True)
class ClipInfo:
    """What ``save_clip`` really wrote: ``start``/``end`` are arrival times of the first
    (a key frame) and last packets in the file, which may differ from what was asked."""

    path: Path
    start: float
    end: float
    frames: int
    asked_start: float
    asked_end: float


@dataclass(frozen=True)
class StreamInfo:
    """Codec parameters of one upstream session (they may change across a reconnect)."""

    codec: str  # "h264" or "hevc"
    width: int
    height: int
    time_base: Fraction
    fps: float
    extradata: bytes = field(default=b"", repr=False)  # Annex B parameter sets, if any


@dataclass(frozen=True, slots=True)
class MediaPacket:
    """One demuxed video packet, owned by the gateway (no PyAV object survives the session).

    Timestamps are in ``info.time_base``; ``session`` changes on every reconnect so that
    consumers can tell a new timeline from a jump in the old one.
    """

    data: bytes = field(repr=False)
    pts: int
    dts: int
    duration: int
    keyframe: bool
    arrival: float  # time.time() when the packet left the demuxer
    session: int
    info: StreamInfo = field(repr=False)
