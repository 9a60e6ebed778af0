"""A labelled set of camera pictures for calibrating and measuring video quality diagnosis.

Every class the diagnosis must tell apart, made the way the simulated cameras make them
(the same panorama, OSD and fault rendering as ``scene.py``), plus the hard normal cases a
real estate has: night infrared (grey, darker, noisy), quiet scenes whose consecutive
pictures barely differ, dusk, and colourful scenes. Each sample is a pair (previous picture,
picture), both JPEG round-tripped like a snapshot, so "frozen" can be labelled honestly:
the two are the same bytes.

``samples(n_per_class, seed)`` is deterministic for a seed; tests keep a small set, the
benchmark a large one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from simulator import scene
from simulator.faults import Fault

CLASSES = (
    "normal",
    "black",
    "frozen",
    "blurred",
    "covered",
    "colour_cast",
    "snow",
    "signal_loss",
)
WIDTH, HEIGHT = 640, 360
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Sample:
    label: str
    variant: str
    camera: int  # which simulated camera (for per-camera baselines)
    previous: np.ndarray  # BGR, decoded from JPEG
    picture: np.ndarray
    previous_jpeg: bytes
    picture_jpeg: bytes


def _jpeg(img: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    assert ok
    return data.tobytes()


def _osd(index: int, now: float) -> scene.OSD:
    clock = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now + 8 * 3600))
    return scene.OSD(f"CAM-{index + 1:03d} Test", index, clock)


def _render(index: int, now: float, rng: np.random.Generator, faults: dict[Fault, dict[str, object]],
            zoom: float = 0.0) -> np.ndarray:  # fmt: skip
    view = scene.View(pan=float(rng.uniform(-0.3, 0.3)), zoom=zoom)
    return scene.render(WIDTH, HEIGHT, now, view, _osd(index, now), faults)


def _night(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Infrared night picture: no colour, darker, grainy."""
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32)
    grey = grey * float(rng.uniform(0.45, 0.8)) + float(rng.uniform(5, 25))
    grey += rng.normal(0, float(rng.uniform(2, 6)), grey.shape).astype(np.float32)
    out = np.clip(grey, 0, 255).astype(np.uint8)
    return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)


def _sensor_noise(img: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noise = rng.normal(0, sigma, img.shape).astype(np.float32)
    return np.clip(img.astype(np.float32) + noise, 0, 255).astype(np.uint8)


def _keep_osd(faulted: np.ndarray, index: int, now: float) -> np.ndarray:
    scene._draw_osd(faulted, now, _osd(index, now))
    return faulted


def _signal_loss(index: int, now: float, rng: np.random.Generator) -> np.ndarray:
    """What an encoder shows without a sensor signal: a flat screen, often blue, with text."""
    kind = rng.integers(0, 3)
    if kind == 0:
        colour = (int(rng.integers(150, 256)), int(rng.integers(0, 40)), int(rng.integers(0, 40)))
    elif kind == 1:
        g = int(rng.integers(60, 200))
        colour = (g, g, g)
    else:
        colour = (int(rng.integers(80, 140)), int(rng.integers(20, 60)), 0)
    img = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    img[:] = colour
    if rng.random() < 0.7:
        cv2.putText(img, "NO VIDEO", (WIDTH // 2 - 90, HEIGHT // 2), cv2.FONT_HERSHEY_SIMPLEX,
                    1.0, (255, 255, 255), 2)  # fmt: skip
    return _keep_osd(img, index, now)


def _pair(label: str, rng: np.random.Generator, index: int) -> tuple[str, np.ndarray, np.ndarray]:
    now = 1_790_000_000.0 + float(rng.uniform(0, 86_400 * 30))
    gap = float(rng.uniform(3, 60))
    zoom = float(rng.choice([0.0, 0.0, 0.3, 0.7]))
    if label == "normal":
        variant = str(rng.choice(["day", "day", "night_ir", "quiet", "dusk", "quiet_night"]))
        if variant in ("quiet", "quiet_night"):
            base = _render(index, now, rng, {}, zoom)
            if variant == "quiet_night":
                base = _night(base, rng)
            sigma = float(rng.uniform(1.5, 4.0))
            return variant, _sensor_noise(base, rng, sigma), _sensor_noise(base, rng, sigma)
        prev = _render(index, now - gap, rng, {}, zoom)
        cur = _render(index, now, rng, {}, zoom)
        if variant == "night_ir":
            prev, cur = _night(prev, rng), _night(cur, rng)
        elif variant == "dusk":
            f = float(rng.uniform(0.35, 0.6))
            prev = (prev.astype(np.float32) * f).astype(np.uint8)
            cur = (cur.astype(np.float32) * f).astype(np.uint8)
        return variant, prev, cur
    if label == "frozen":
        variant = str(rng.choice(["day", "night_ir"]))
        cur = _render(index, now, rng, {}, zoom)
        if variant == "night_ir":
            cur = _night(cur, rng)
        return variant, cur, cur
    prev = _render(index, now - gap, rng, {}, zoom)
    if label == "signal_loss":
        return "flat", prev, _signal_loss(index, now, rng)
    if label == "black":
        return "black", prev, _render(index, now, rng, {Fault.BLACK: {}}, zoom)
    if label == "covered":
        variant = str(rng.choice(["sim", "hand"]))
        if variant == "sim":
            return variant, prev, _render(index, now, rng, {Fault.COVERED: {}}, zoom)
        tone = np.array([rng.uniform(15, 45), rng.uniform(20, 55), rng.uniform(25, 65)], np.float32)
        img = np.broadcast_to(tone, (HEIGHT, WIDTH, 3)).astype(np.float32)
        img = img + rng.normal(0, 3, (HEIGHT, WIDTH, 1)).astype(np.float32)
        img = cv2.GaussianBlur(np.clip(img, 0, 255).astype(np.uint8), (0, 0), 9)
        return variant, prev, _keep_osd(img, index, now)
    if label == "blurred":
        variant = str(rng.choice(["sim", "defocus"]))
        if variant == "sim":
            return variant, prev, _render(index, now, rng, {Fault.BLURRED: {}}, zoom)
        clean = _render(index, now, rng, {}, zoom)
        sigma = float(rng.uniform(5, 10))
        return variant, prev, _keep_osd(cv2.GaussianBlur(clean, (0, 0), sigma), index, now)
    if label == "colour_cast":
        colour = str(rng.choice(["red", "green", "blue"]))
        return colour, prev, _render(index, now, rng, {Fault.COLOUR_CAST: {"colour": colour}}, zoom)
    if label == "snow":
        return "snow", prev, _render(index, now, rng, {Fault.SNOW: {}}, zoom)
    raise ValueError(label)


def samples(
    n_per_class: int, seed: int = 7, classes: tuple[str, ...] = CLASSES
) -> Iterator[Sample]:
    """``n_per_class`` samples of every class, in a deterministic order for ``seed``.

    Normal pictures come in twice the number: false alarms are measured on them.
    """
    rng = np.random.default_rng(seed)
    for label in classes:
        count = n_per_class * (2 if label == "normal" else 1)
        for i in range(count):
            index = int(rng.integers(0, 40))
            variant, prev, cur = _pair(label, rng, index)
            pj, cj = _jpeg(prev), _jpeg(cur)
            if label == "frozen":
                cj = pj
            yield Sample(
                label, variant, index,
                cv2.imdecode(np.frombuffer(pj, np.uint8), cv2.IMREAD_COLOR),
                cv2.imdecode(np.frombuffer(cj, np.uint8), cv2.IMREAD_COLOR),
                pj, cj,
            )  # fmt: skip
            del i
