"""Evidence for a one-key incident, taken from the stream gateway's ring buffer.

At the key press (:meth:`IncidentRecorder.begin`) the packets buffered *before* it are copied
out of the ring buffer, the picture on screen at that moment is decoded into a JPEG, and the
stream gets an extra hold so it keeps buffering even if the officer closes the tile. When the
"after" period has passed (:meth:`IncidentRecorder.finish`) the packets since the key press
are appended and the whole span is remuxed into one MP4 without re-encoding.

Why two pieces: the ring buffer holds ``ring_buffer_seconds`` (30 s by default); by the time
30 s after the press have passed, the 30 s before it are gone from the buffer. Copying the
first piece at once costs only references to packets that already exist.

Nothing here knows about incidents' records: results are plain values (``PreCapture``,
:class:`ClipRecord`) that the incident service stores. Failures become named
:class:`~station_console.incidents.Missing` items, never exceptions, so an incident is
created whatever the camera does.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import av
import cv2

from drivers.gateway import GatewayError, StreamGateway, StreamState, UnknownStreamError
from drivers.gateway.clips import usable_run, write_clip
from drivers.gateway.errors import describe
from drivers.gateway.model import MediaPacket
from station_console.incidents import ClipRecord, Missing

log = logging.getLogger(__name__)

JPEG_QUALITY = 92
#: A snapshot older than this (the stream stalled before the press) is not "the moment".
SNAPSHOT_MAX_AGE_S = 5.0


@dataclass
class PreCapture:
    """What was taken at the key press; :meth:`IncidentRecorder.finish` completes the clip."""

    key: str | None
    camera_id: str
    at: float
    before: float
    after: float
    packets: list[MediaPacket] = field(default_factory=list, repr=False)
    snapshot: bytes | None = field(default=None, repr=False)
    width: int = 0
    height: int = 0
    missing: list[Missing] = field(default_factory=list)
    held: bool = False
    done: bool = False

    @property
    def due(self) -> float:
        """Wall time when the "after" part is complete."""
        return self.at + self.after

    @property
    def clip_expected(self) -> bool:
        """A clip will be attempted (something buffered or the stream is held)."""
        return bool(self.packets) or self.held


def jpeg_of_last_frame(packets: list[MediaPacket]) -> tuple[bytes, int, int] | None:
    """Decode the last GOP of ``packets`` and return its last picture as JPEG."""
    last_key = max((i for i, p in enumerate(packets) if p.keyframe), default=None)
    if last_key is None:
        return None
    gop = packets[last_key:]
    info = gop[0].info
    ctx = av.CodecContext.create(info.codec, "r")
    try:
        if info.extradata:
            ctx.extradata = info.extradata
        frame = None
        for p in gop:
            for decoded in ctx.decode(av.Packet(p.data)):
                frame = decoded
        for decoded in ctx.decode(None):
            frame = decoded
    except (av.error.FFmpegError, ValueError) as exc:
        log.info("snapshot: cannot decode the stream's last frames: %s", describe(exc))
        return None
    if frame is None:
        return None
    image = frame.to_ndarray(format="bgr24")
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        return None
    return encoded.tobytes(), int(frame.width), int(frame.height)


def _from_first_keyframe(packets: list[MediaPacket]) -> list[MediaPacket]:
    first = next((i for i, p in enumerate(packets) if p.keyframe), None)
    return [] if first is None else packets[first:]


class IncidentRecorder:
    """Takes incident evidence from one gateway. Thread-safe; runs in the caller's thread."""

    def __init__(self, gateway: StreamGateway) -> None:
        self.gateway = gateway
        self._lock = threading.Lock()

    def begin(
        self, key: str | None, camera_id: str, at: float, before: float, after: float
    ) -> PreCapture:
        """Copy what was buffered before ``at``, decode the picture, hold the stream."""
        pre = PreCapture(key, camera_id, at, before, after)
        if key is None:
            pre.missing += [Missing("snapshot", "offline"), Missing("clip", "offline")]
            return pre
        try:
            packets = self.gateway.buffered_packets(key, at - before, at)
            health = self.gateway.health(key)
            self.gateway.retain(key)
            pre.held = True
        except (UnknownStreamError, GatewayError):
            packets, health = [], None
        pre.packets = _from_first_keyframe(packets)
        recent = [p for p in pre.packets if p.arrival >= at - SNAPSHOT_MAX_AGE_S]
        picture = jpeg_of_last_frame(pre.packets) if recent else None
        if picture is not None:
            pre.snapshot, pre.width, pre.height = picture
        else:
            live = health is not None and health.state is StreamState.LIVE
            reason = "no_picture" if live else "offline"
            detail = "" if health is None else (health.problem or health.state).value
            pre.missing.append(Missing("snapshot", reason, detail))
        if not pre.clip_expected:
            pre.missing.append(Missing("clip", "offline"))
        return pre

    def finish(self, pre: PreCapture, path: Path) -> ClipRecord:
        """Append what arrived after the press, write the MP4 at ``path``, drop the hold.

        Raises :class:`NothingToSave` when no video exists for the span, ``OSError`` when the
        file cannot be written (nothing is left behind: the writer uses a temporary file).
        """
        with self._lock:
            if pre.done:
                raise ValueError("this capture was already finished")
            pre.done = True
        try:
            packets = list(pre.packets)
            if pre.key is not None and pre.held:
                try:
                    later = self.gateway.buffered_packets(pre.key, pre.at, pre.due)
                except UnknownStreamError:
                    later = []
                if packets:
                    newest = packets[-1].arrival
                    later = [p for p in later if p.arrival > newest]
                    # The stream reconnected in between: a new session cannot continue the
                    # old timeline, so the clip keeps the part before the press.
                    if later and later[0].session != packets[-1].session:
                        later = []
                else:
                    later = _from_first_keyframe(later)
                packets += later
            packets = usable_run(packets)
            if not packets:
                raise NothingToSave(pre.key or "")
            clip = write_clip(pre.key or "", packets, path, pre.at - pre.before, pre.due)
        finally:
            self.release(pre)
        return ClipRecord(
            path=str(clip.path),
            sha256=_sha256(clip.path),
            bytes=clip.path.stat().st_size,
            start=clip.start,
            end=clip.end,
            asked_start=clip.asked_start,
            asked_end=clip.asked_end,
            frames=clip.frames,
            camera_id=pre.camera_id,
        )

    def release(self, pre: PreCapture) -> None:
        """Drop the stream hold and the copied packets (finish or give up)."""
        with self._lock:
            held, pre.held = pre.held, False
        pre.packets = []
        if held and pre.key is not None:
            try:
                self.gateway.release(pre.key)
            except GatewayError:
                log.debug("stream %s already gone", pre.key)


class NothingToSave(GatewayError):
    """No video was buffered for the incident's span (the camera was offline)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
