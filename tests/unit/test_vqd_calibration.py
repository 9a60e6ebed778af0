"""Video quality diagnosis against the simulator's labelled set: every class recognised,
normal pictures (night infrared, quiet scenes, dusk) not flagged; per-camera baselines."""

from __future__ import annotations

import collections

import numpy as np
import pytest

from drivers.vqd import Vqd
from simulator import labelled
from station_console.health.model import FaultKind, Picture

LABELS = {
    "normal": None,
    "black": FaultKind.BLACK,
    "frozen": FaultKind.FROZEN,
    "blurred": FaultKind.BLURRED,
    "covered": FaultKind.COVERED,
    "colour_cast": FaultKind.COLOUR_CAST,
    "snow": FaultKind.SNOW,
    "signal_loss": FaultKind.SIGNAL_LOSS,
}


@pytest.fixture(scope="module")
def verdicts() -> dict[str, collections.Counter[FaultKind | None]]:
    vqd = Vqd()
    out: dict[str, collections.Counter[FaultKind | None]] = collections.defaultdict(
        collections.Counter
    )
    for s in labelled.samples(15, seed=20261123):
        _, previous = vqd.measure(vqd_decode(s.previous_jpeg))
        d = vqd.diagnose(Picture("cam", 0.0, s.picture_jpeg), {}, previous)
        out[s.label][d.kind] += 1
    return out


def vqd_decode(jpeg: bytes) -> np.ndarray:
    from drivers.vqd import decode

    return decode(Picture("cam", 0.0, jpeg))


@pytest.mark.parametrize("label", [k for k in LABELS if k != "normal"])
def test_every_fault_class_is_recognised(verdicts, label: str) -> None:  # type: ignore[no-untyped-def]
    counts = verdicts[label]
    recall = counts[LABELS[label]] / sum(counts.values())
    assert recall >= 0.95, dict(counts)


def test_normal_pictures_raise_no_false_alarms(verdicts) -> None:  # type: ignore[no-untyped-def]
    counts = verdicts["normal"]
    false_alarms = 1 - counts[None] / sum(counts.values())
    assert false_alarms <= 0.02, dict(counts)


def test_a_camera_that_always_looks_green_is_not_a_colour_cast() -> None:
    """A baseline learnt from the camera's own pictures: a lawn is green every day."""
    vqd = Vqd()
    rng = np.random.default_rng(1)
    baseline: dict[str, float] = {}
    verdicts = []
    lawn = [s.picture for s in labelled.samples(4, seed=3, classes=("normal",))]
    for i in range(8):
        img = lawn[i % len(lawn)].astype(np.float32) * (0.5, 1.0, 0.5) + (0, 60, 0)
        img = np.clip(img + rng.normal(0, 2, img.shape), 0, 255).astype(np.uint8)
        d = vqd.diagnose_image(img, baseline, None)
        verdicts.append(d.kind)
        baseline = dict(d.baseline)
    # Tinted-looking at first (no baseline yet), then this camera's normal.
    assert verdicts[0] is FaultKind.COLOUR_CAST
    assert verdicts[3:] == [None] * 5


def test_a_camera_whose_pictures_never_change_is_not_frozen() -> None:
    vqd = Vqd()
    s = next(labelled.samples(1, seed=5, classes=("frozen",)))
    _, sig = vqd.measure(vqd_decode(s.previous_jpeg))
    assert vqd.diagnose(Picture("c", 0, s.picture_jpeg), {}, sig).kind is FaultKind.FROZEN
    static_source = {"n": 10, "motion": 0.0, "sharpness": 3.0, "contrast": 100.0,
                     "a": 0.0, "b": 0.0, "luma": 120.0}  # fmt: skip
    assert vqd.diagnose(Picture("c", 0, s.picture_jpeg), static_source, sig).kind is None


def test_a_wall_key_frame_is_diagnosed() -> None:
    import av

    s = next(labelled.samples(1, seed=9, classes=("covered",)))
    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = 640, 360, "yuv420p"
    codec.options = {"preset": "ultrafast", "x264-params": "repeat-headers=1"}
    codec.open()
    frame = av.VideoFrame.from_ndarray(s.picture, format="bgr24").reformat(format="yuv420p")
    data = b"".join(bytes(p) for p in [*codec.encode(frame), *codec.encode(None)])
    vqd = Vqd()
    picture = Picture("c", 0.0, data, format="h264", source="wall")
    assert vqd.diagnose(picture, {}, None).kind is FaultKind.COVERED
    assert vqd.to_jpeg(picture).startswith(b"\xff\xd8")
