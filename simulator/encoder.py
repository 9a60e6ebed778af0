"""H.264 encoding for one camera stream, running only while someone watches.

Two hundred cameras on two cores is only possible because an idle camera costs nothing: a
``StreamEncoder`` starts its thread when the first RTSP session subscribes and lets it end when
the last one leaves. Encoding is libx264 through PyAV with ultrafast/zerolatency, one thread per
encoder, a one-second GOP and SPS/PPS repeated on every keyframe, so a client joining late only
waits for the next keyframe (and it asks for one at once). Access units are handed to the
asyncio loop with ``call_soon_threadsafe``; this module never touches a socket.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import av
import cv2
import numpy as np

log = logging.getLogger(__name__)

RTP_CLOCK = 90_000


@dataclass(frozen=True)
class StreamProfile:
    """One of a camera's two streams, as advertised in ONVIF profiles and RTSP."""

    name: str  # "main" or "sub"
    width: int
    height: int
    fps: int
    bitrate_kbps: int


MAIN = StreamProfile("main", 1280, 720, 10, 2048)
SUB = StreamProfile("sub", 640, 360, 25, 512)


@dataclass(frozen=True)
class AccessUnit:
    """One encoded picture: its NAL units (no start codes) and its capture time."""

    nals: tuple[bytes, ...]
    rtp_timestamp: int
    keyframe: bool
    captured: float  # wall-clock seconds when the frame was rendered


def _open_codec(profile: StreamProfile) -> av.VideoCodecContext:
    ctx = av.CodecContext.create("libx264", "w")
    assert isinstance(ctx, av.VideoCodecContext)
    ctx.width = profile.width
    ctx.height = profile.height
    ctx.pix_fmt = "yuv420p"
    ctx.time_base = Fraction(1, RTP_CLOCK)
    ctx.framerate = Fraction(profile.fps)
    ctx.gop_size = profile.fps
    keyint = profile.fps
    ctx.options = {
        "preset": "ultrafast",
        "tune": "zerolatency",
        "threads": "1",
        "x264-params": (
            f"repeat-headers=1:forced-idr=1:keyint={keyint}:min-keyint={keyint}:scenecut=0"
            f":vbv-maxrate={profile.bitrate_kbps}:vbv-bufsize={profile.bitrate_kbps}"
        ),
        "crf": "26",
    }
    ctx.open()
    return ctx


def split_nals(data: bytes) -> list[bytes]:
    """Split an Annex B byte stream into NAL units without their start codes."""
    out: list[bytes] = []
    i, n = 0, len(data)
    starts: list[int] = []
    while True:
        j = data.find(b"\x00\x00\x01", i)
        if j < 0:
            break
        starts.append(j + 3)
        i = j + 3
    for k, s in enumerate(starts):
        end = starts[k + 1] - 3 if k + 1 < len(starts) else n
        nal = data[s:end]
        # A four-byte start code leaves a trailing zero on the previous NAL.
        if k + 1 < len(starts) and nal.endswith(b"\x00"):
            nal = nal[:-1]
        if nal:
            out.append(nal)
    return out


def _to_frame(bgr: np.ndarray) -> av.VideoFrame:
    return av.VideoFrame.from_ndarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420), format="yuv420p")


@functools.lru_cache(maxsize=8)
def parameter_sets(profile: StreamProfile) -> tuple[bytes, bytes]:
    """SPS and PPS for the SDP, found by encoding one frame with the stream's settings."""
    ctx = _open_codec(profile)
    frame = _to_frame(np.zeros((profile.height, profile.width, 3), np.uint8))
    frame.pts = 0
    nals = [n for p in ctx.encode(frame) for n in split_nals(bytes(p))]
    sps = next(n for n in nals if n[0] & 0x1F == 7)
    pps = next(n for n in nals if n[0] & 0x1F == 8)
    return sps, pps


Subscriber = Callable[[AccessUnit], None]


class StreamEncoder:
    """Encodes one stream of one camera for however many RTSP sessions subscribe to it.

    ``render(width, height, now)`` returns a BGR frame; it is called on the encoder thread.
    Subscribers are called on ``loop``'s thread.
    """

    def __init__(
        self,
        profile: StreamProfile,
        render: Callable[[int, int, float], np.ndarray],
        loop: asyncio.AbstractEventLoop,
        label: str,
    ) -> None:
        self.profile = profile
        self._render = render
        self._loop = loop
        self._label = label
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._want_keyframe = False
        self._closed = False
        self.frames_encoded = 0

    @property
    def running(self) -> bool:
        with self._lock:
            return self._thread is not None

    def subscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            if self._closed:
                return
            self._subscribers.append(subscriber)
            self._want_keyframe = True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=f"enc-{self._label}", daemon=True
                )
                self._thread.start()

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    def close(self) -> threading.Thread | None:
        """Drop all subscribers and stop; return the thread so the caller may join it."""
        with self._lock:
            self._closed = True
            self._subscribers.clear()
            return self._thread

    def _fanout(self, unit: AccessUnit) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(unit)
            except Exception:
                log.exception("RTSP subscriber of %s failed", self._label)

    def _run(self) -> None:
        profile = self.profile
        interval = 1.0 / profile.fps
        ctx = _open_codec(profile)
        rtp_base = int.from_bytes(np.random.bytes(4), "big")
        next_tick = time.monotonic()
        log.debug("encoder %s started", self._label)
        try:
            while True:
                with self._lock:
                    if not self._subscribers:
                        self._thread = None
                        break
                    keyframe_now, self._want_keyframe = self._want_keyframe, False
                now = time.time()
                frame = _to_frame(self._render(profile.width, profile.height, now))
                frame.pts = int(now * RTP_CLOCK)
                if keyframe_now:
                    frame.pict_type = av.video.frame.PictureType.I
                for packet in ctx.encode(frame):
                    unit = AccessUnit(
                        nals=tuple(split_nals(bytes(packet))),
                        rtp_timestamp=(rtp_base + int(now * RTP_CLOCK)) & 0xFFFFFFFF,
                        keyframe=bool(packet.is_keyframe),
                        captured=now,
                    )
                    try:
                        self._loop.call_soon_threadsafe(self._fanout, unit)
                    except RuntimeError:  # loop closed under us: the precinct is stopping
                        with self._lock:
                            self._subscribers.clear()
                self.frames_encoded += 1
                next_tick += interval
                delay = next_tick - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                else:  # behind schedule (CPU starved): skip ahead rather than burst
                    next_tick = time.monotonic()
        except Exception:
            log.exception("encoder %s crashed", self._label)
            with self._lock:
                self._thread = None
        finally:
            log.debug("encoder %s stopped", self._label)
