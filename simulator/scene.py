"""What a virtual camera sees: a cheap moving picture with OSD, PTZ view and picture faults.

The picture must move (so a frozen stream is detectable), show the camera's name (so a human
can tell tiles apart), carry the time code (so a machine can), and cost little CPU, because two
cores may be feeding dozens of encoders. So there is one shared panorama per process, built
once, and each frame is a crop of it plus a few drawn shapes; per-camera variety comes from
where in the panorama the camera looks. Nothing here touches the network or threads.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import cv2
import numpy as np

from simulator import timecode
from simulator.faults import Fault

PANORAMA_SIZE = (2560, 1440)
_panorama_lock = threading.Lock()
_panoramas: dict[int, np.ndarray] = {}


def _build_panorama(width: int, height: int) -> np.ndarray:
    """A street-ish panorama: sky gradient, blocks of 'buildings', road and lane marks."""
    rng = np.random.default_rng(20261123)
    img = np.empty((height, width, 3), np.uint8)
    ramp = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    img[:, :, 0] = (200 - 90 * ramp).astype(np.uint8)  # B
    img[:, :, 1] = (170 - 80 * ramp).astype(np.uint8)  # G
    img[:, :, 2] = (120 - 40 * ramp).astype(np.uint8)  # R
    horizon = int(height * 0.62)
    x = 0
    while x < width:
        w = int(rng.integers(width // 40, width // 12))
        h = int(rng.integers(height // 6, height // 2))
        colour = tuple(int(c) for c in rng.integers(60, 200, 3))
        cv2.rectangle(img, (x, horizon - h), (x + w, horizon), colour, -1)
        for wy in range(horizon - h + 12, horizon - 12, max(8, height // 40)):
            for wx in range(x + 6, x + w - 10, max(10, width // 90)):
                lit = int(rng.integers(0, 2))
                cv2.rectangle(img, (wx, wy), (wx + 5, wy + 6), (40, 200 * lit + 40, 230), -1)
        x += w + int(rng.integers(0, width // 60))
    img[horizon:, :] = (70, 72, 75)
    for lx in range(0, width, width // 16):
        cv2.line(img, (lx, int(height * 0.8)), (lx + width // 32, int(height * 0.8)), (220,) * 3, 6)
    return img


def panorama(scale: int) -> np.ndarray:
    """The shared panorama at 1/``scale`` size (1 for main streams, 2 for sub streams)."""
    with _panorama_lock:
        if scale not in _panoramas:
            full = _panoramas.get(1)
            if full is None:
                full = _panoramas[1] = _build_panorama(*PANORAMA_SIZE)
            if scale != 1:
                w, h = PANORAMA_SIZE[0] // scale, PANORAMA_SIZE[1] // scale
                _panoramas[scale] = cv2.resize(full, (w, h), interpolation=cv2.INTER_AREA)
        return _panoramas[scale]


@dataclass
class View:
    """Where the camera looks. pan/tilt in [-1, 1], zoom in [0, 1] (ONVIF generic spaces)."""

    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0


@dataclass(frozen=True)
class OSD:
    """Text and code drawn on top of the picture, as a camera's OSD would be."""

    name: str
    camera_index: int
    clock_text: str


def _crop(pano: np.ndarray, width: int, height: int, view: View, home: float) -> np.ndarray:
    ph, pw = pano.shape[:2]
    factor = 1.0 + 3.0 * min(max(view.zoom, 0.0), 1.0)
    cw, ch = int(width / factor), int(height / factor)
    # Centre of the window: each camera has its own home position along the panorama.
    cx = (home + 0.5 * max(min(view.pan, 1.0), -1.0)) % 1.0 * (pw - cw) + cw / 2
    cy = ph / 2 - max(min(view.tilt, 1.0), -1.0) * (ph - ch) / 2
    x0 = int(min(max(cx - cw / 2, 0), pw - cw))
    y0 = int(min(max(cy - ch / 2, 0), ph - ch))
    window = pano[y0 : y0 + ch, x0 : x0 + cw]
    if (cw, ch) == (width, height):
        return window.copy()
    return cv2.resize(window, (width, height), interpolation=cv2.INTER_LINEAR)


def _apply_faults(img: np.ndarray, faults: dict[Fault, dict[str, object]]) -> np.ndarray:
    h, w = img.shape[:2]
    if Fault.BLURRED in faults:
        small = cv2.resize(img, (max(w // 24, 2), max(h // 24, 2)), interpolation=cv2.INTER_AREA)
        img = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    if Fault.COLOUR_CAST in faults:
        colour = faults[Fault.COLOUR_CAST].get("colour", "red")
        keep = {"blue": 0, "green": 1, "red": 2}[str(colour)]
        gains = np.full(3, 0.25, np.float32)
        gains[keep] = 1.0
        offset = np.zeros(3, np.float32)
        offset[keep] = 60.0
        img = np.clip(img.astype(np.float32) * gains + offset, 0, 255).astype(np.uint8)
    if Fault.COVERED in faults:
        noise = np.random.randint(0, 8, (h, w, 1), np.uint8)
        img = np.broadcast_to(noise + 22, (h, w, 3)).copy()
    if Fault.SNOW in faults:
        # Grains of 3×3 px: single-pixel noise is the first thing H.264 smooths away.
        grains = np.random.randint(0, 256, (h // 3 + 1, w // 3 + 1), np.uint8)
        noise = cv2.resize(grains, (w, h), interpolation=cv2.INTER_NEAREST)
        noise3 = cv2.cvtColor(noise, cv2.COLOR_GRAY2BGR)
        img = cv2.addWeighted(img, 0.25, noise3, 0.75, 0)
    if Fault.BLACK in faults:
        img = np.zeros_like(img)
    return img


def render(
    width: int,
    height: int,
    now: float,
    view: View,
    osd: OSD,
    faults: dict[Fault, dict[str, object]],
) -> np.ndarray:
    """Render one BGR frame of ``width`` × ``height`` for wall-clock time ``now``."""
    scale = 1 if width > PANORAMA_SIZE[0] // 2 else 2
    home = (osd.camera_index * 0.137) % 1.0
    img = _crop(panorama(scale), width, height, view, home)
    # A 'car' drives along the road and a 'pedestrian' bobs about: motion everywhere.
    phase = now * 0.5 + osd.camera_index
    car_x = int((phase * 0.2 % 1.0) * (width + 200)) - 100
    car_y = int(height * 0.78)
    cv2.rectangle(img, (car_x, car_y), (car_x + width // 10, car_y + height // 14), (0, 0, 220), -1)
    px = int(width * (0.5 + 0.35 * math.sin(phase * 1.3)))
    py = int(height * (0.55 + 0.2 * math.sin(phase * 2.1)))
    cv2.circle(img, (px, py), max(height // 24, 4), (30, 230, 250), -1)
    img = _apply_faults(img, faults)
    _draw_osd(img, now, osd)
    return img


def _draw_osd(img: np.ndarray, now: float, osd: OSD) -> None:
    h, w = img.shape[:2]
    timecode.draw(img, int(now * 1000), osd.camera_index)
    font_scale = h / 720 * 1.2
    thickness = max(int(h / 360), 1)
    y_name = int(h * timecode.STRIP_HEIGHT_FRACTION + 40 * h / 720)
    for text, org in ((osd.name, (int(12 * w / 1280), y_name)), (osd.clock_text, None)):
        if org is None:
            org = (int(12 * w / 1280), h - int(16 * h / 720))
        cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, font_scale, (0, 0, 0), thickness + 2)
        cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, font_scale, (255,) * 3, thickness)
