"""The time code survives scaling to a 320×180 tile and JPEG compression, and rejects noise."""

from __future__ import annotations

import cv2
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import scene, timecode


def frame(epoch_ms: int, index: int, width: int = 1280, height: int = 720) -> np.ndarray:
    osd = scene.OSD("CAM-007 Gate", index, "2026-11-23 12:00:00")
    return scene.render(width, height, epoch_ms / 1000, scene.View(), osd, {})


@settings(max_examples=25, deadline=None)
@given(
    epoch_ms=st.integers(min_value=1_600_000_000_000, max_value=(1 << timecode.MS_BITS) - 1),
    index=st.integers(min_value=0, max_value=timecode.MAX_CAMERA_INDEX),
)
def test_round_trip_bits(epoch_ms: int, index: int) -> None:
    img = np.zeros((180, 320), np.uint8)
    timecode.draw(img, epoch_ms, index)
    assert timecode.decode(img) == timecode.TimeCode(epoch_ms, index)


def test_decodes_from_a_jpeg_320x180_tile_of_the_main_stream() -> None:
    img = frame(1_795_000_123_456, 199)
    tile = cv2.resize(img, (320, 180), interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", tile, [cv2.IMWRITE_JPEG_QUALITY, 40])
    assert ok
    decoded = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
    rgb = cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)
    assert timecode.decode(rgb) == timecode.TimeCode(1_795_000_123_456, 199)


def test_tolerates_a_small_border_around_the_tile() -> None:
    tile = cv2.resize(frame(1_795_000_000_001, 5, 640, 360), (316, 178))
    bordered = cv2.copyMakeBorder(tile, 1, 1, 2, 2, cv2.BORDER_CONSTANT, value=(40, 40, 40))
    assert timecode.decode(bordered) == timecode.TimeCode(1_795_000_000_001, 5)


def test_noise_is_not_a_time_code() -> None:
    rng = np.random.default_rng(1)
    assert timecode.decode(rng.integers(0, 256, (180, 320, 3), dtype=np.uint8)) is None
    assert timecode.decode(np.zeros((180, 320), np.uint8)) is None
