"""One-key incident evidence against a real simulated camera and a real stream gateway.

The clip's span is read from the pictures themselves: every simulated frame carries the
wall-clock time it was rendered (simulator/timecode.py), so the first and last frames of the
MP4 say whether the clip really starts before the key press and ends after the "after" time.
The ring buffer is deliberately shorter than before + after: the part before the press must
be taken at the press, or it would be gone by the time the clip is written.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import av
import pytest

from drivers.gateway import StreamGateway, StreamSource, StreamState
from drivers.incident_capture import IncidentRecorder, NothingToSave
from simulator import Precinct, timecode
from station_console.incidents import ClipState
from station_console.services.permissions import Role
from station_console.station import Station
from tests.conftest import sign_in_as

RING_S = 4.0
BEFORE_S = 3.0
AFTER_S = 2.5
GOP_S = 1.0  # the simulator's key frame interval


@pytest.fixture(scope="module")
def precinct() -> Iterator[Precinct]:
    with Precinct(1) as p:
        yield p


@pytest.fixture
def gw() -> Iterator[StreamGateway]:
    gateway = StreamGateway(ring_seconds=RING_S, open_timeout=3.0, read_timeout=1.5, linger=0.2)
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.close()


def frames_of(path: Path) -> list[timecode.TimeCode]:
    with av.open(str(path)) as container:
        assert isinstance(container, av.container.InputContainer)
        codes = [timecode.decode(f.to_ndarray(format="gray")) for f in container.decode(video=0)]
    assert all(c is not None for c in codes), "every frame carries a readable time code"
    return [c for c in codes if c is not None]


def test_incident_clip_starts_before_the_key_press(
    precinct: Precinct, gw: StreamGateway, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    cam = precinct.cameras[0]
    key = f"{cam.index}:sub"
    gw.acquire(StreamSource(key, cam.rtsp_sub, cam.username, cam.password))
    assert gw.wait_for(key, StreamState.LIVE, 15)
    time.sleep(RING_S + 0.5)  # the buffer is full
    recorder = IncidentRecorder(gw)

    pressed = time.time()
    pre = recorder.begin(key, "cam-0", pressed, BEFORE_S, AFTER_S)
    gw.release(key)  # the officer closes the tile: the incident's hold keeps it buffering
    assert pre.snapshot is not None and pre.snapshot.startswith(b"\xff\xd8")
    assert not pre.missing
    incident = station.incidents.capture(
        "cam-0",
        datetime.fromtimestamp(pressed, UTC),
        snapshot=pre.snapshot,
        width=pre.width,
        height=pre.height,
        clip_due_at=datetime.fromtimestamp(pre.due, UTC),
    )
    assert incident.clip_state is ClipState.PENDING  # exists at once, says the clip is coming
    time.sleep(max(0.0, pre.due - time.time()) + 0.3)
    clip = recorder.finish(pre, station.incidents.clip_path(incident.id))
    done = station.incidents.attach_clip(incident.id, clip)
    assert done.clip_state is ClipState.SAVED

    codes = frames_of(Path(clip.path))
    assert {c.camera_index for c in codes} == {cam.index}
    first_s, last_s = codes[0].epoch_ms / 1000, codes[-1].epoch_ms / 1000
    # Starts at the key frame at or before "3 s before the press": rendered that early.
    assert pressed - BEFORE_S - GOP_S - 0.2 <= first_s <= pressed - BEFORE_S
    # Ends with the last frame that arrived by "2.5 s after the press".
    assert pressed + AFTER_S - 0.5 <= last_s <= pressed + AFTER_S
    # The two pieces join without a repeated frame or a lost GOP. (A loaded machine can make
    # the simulator itself render late, so single steps of a few frames are tolerated.)
    pairs = list(itertools.pairwise(codes))
    steps = [(b.epoch_ms - a.epoch_ms) / 1000 for a, b in pairs]
    assert min(steps) > 0 and max(steps) < 1.0
    at_press = [s for (a, b), s in zip(pairs, steps, strict=True)
                if a.epoch_ms / 1000 - 0.5 <= pressed <= b.epoch_ms / 1000 + 0.5]  # fmt: skip
    assert at_press and max(at_press) < 0.5
    assert len(codes) == clip.frames
    # The record states the span the file really holds (arrival times, within a frame or two).
    assert abs((clip.end - clip.start) - (last_s - first_s)) < 0.3
    with capsys.disabled():
        print(
            f"\nincident clip: asked {BEFORE_S:.1f} s before + {AFTER_S:.1f} s after the press "
            f"(ring {RING_S:.0f} s); frames rendered {pressed - first_s:.2f} s before to "
            f"{last_s - pressed:.2f} s after; {clip.frames} frames, {clip.bytes} bytes"
        )

    # The stream had just started: the clip is shorter than asked and says so.
    short_key = f"{cam.index}:main"
    gw.acquire(StreamSource(short_key, cam.rtsp_main, cam.username, cam.password))
    assert gw.wait_for(short_key, StreamState.LIVE, 15)
    time.sleep(1.2)
    pressed = time.time()
    pre = recorder.begin(short_key, "cam-0", pressed, 20.0, 0.5)
    time.sleep(0.8)
    second = station.incidents.capture(
        "cam-0", datetime.fromtimestamp(pressed, UTC), clip_due_at=datetime.now(UTC)
    )
    short = recorder.finish(pre, station.incidents.clip_path(second.id))
    station.incidents.attach_clip(second.id, short)
    (media,) = [m for m in station.incidents.media_of(second.id) if m.kind == "clip"]
    assert media.short_of_asked() and media.seconds < 3.0 and media.asked_seconds == 20.5
    first = frames_of(Path(short.path))[0].epoch_ms / 1000
    assert first >= pressed - 3.0  # nothing from before the stream existed
    gw.release(short_key)


def test_offline_camera_still_gives_an_incident(gw: StreamGateway, station: Station) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    recorder = IncidentRecorder(gw)
    pre = recorder.begin("99:sub", "cam-99", time.time(), BEFORE_S, AFTER_S)  # never held
    assert pre.snapshot is None and not pre.clip_expected
    assert [(m.what, m.reason) for m in pre.missing] == [
        ("snapshot", "offline"),
        ("clip", "offline"),
    ]
    incident = station.incidents.capture(
        "cam-99", datetime.now(UTC), missing=pre.missing, clip_due_at=None
    )
    assert incident.clip_state is ClipState.NONE and len(incident.missing) == 2
    with pytest.raises(NothingToSave):
        recorder.finish(pre, station.incidents.folder(incident.id, incident.occurred_at) / "x.mp4")
