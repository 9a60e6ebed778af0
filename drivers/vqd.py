"""Video quality diagnosis with OpenCV: black, frozen, blurred, covered, colour cast, snow,
signal loss — on snapshot JPEGs or the wall's H.264 key frames.

How it decides, and why:

* Only the middle of the picture is analysed (rows 25 %–85 %): cameras burn their name,
  clock and (in the simulator) a time code into the top and bottom, and a covered lens
  still shows a ticking clock.
* Everything is measured on a 320×180 (or 160×90) copy; decoding JPEGs at half size
  (``IMREAD_REDUCED_COLOR_2``) is the main saving, so one core diagnoses hundreds of
  pictures a second.
* Absolute thresholds catch the gross cases; a per-camera **baseline** (running averages of
  the camera's own normal pictures: sharpness, colour, picture-to-picture change) keeps a
  camera's normal from being a fault: a scene that is always green is not a green cast, a
  soft-focus wide view is not "blurred", and a camera whose pictures never change (a digital
  source) is not "frozen". Night infrared pictures are grey, so they have no cast at all.
* "Frozen" compares with the previous picture's signature: a live sensor never produces
  the same picture twice (noise alone differs), a frozen encoder does.

Thresholds are calibrated on ``simulator.labelled`` (tests/unit/test_vqd_calibration.py
keeps a set; bench/vqd.py measures recall and false alarms on a larger one).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from station_console.health.model import Diagnosis, FaultKind, Picture

log = logging.getLogger(__name__)

ROI_TOP, ROI_BOTTOM = 0.25, 0.85
SIGNATURE_SIZE = (80, 27)
_K5 = np.ones((5, 5), np.uint8)

# Calibrated thresholds (see the module docstring and tests/unit/test_vqd_calibration.py).
FLAT_FRACTION = 0.9  # share of pixels within ±3 grey levels of the median: a flat screen
BLACK_LUMA = 16.0
SIGNAL_LOSS_LUMA = 57.0  # a flat screen brighter than this (or coloured) is an encoder's
SIGNAL_LOSS_CHROMA = 30.0  # "no video" screen, not a lens in the dark
SIGNAL_LOSS_BLUE = -15.0  # Lab b* of a bluish flat screen
SIGNAL_LOSS_TEXT = 100.0  # crisp overlay text on a flat screen
COVERED_LUMA = 57.0
COVERED_STD = 5.0
COVERED_CHROMA = 25.0
SNOW_NOISE = 9.0
BLUR_SHARPNESS = 2.3  # steepest edges / local contrast: a defocused edge is a ramp
BLUR_CONTRAST = 60.0
BLUR_FROM_BASELINE = 0.7
CAST_CHROMA = 40.0
CAST_FROM_BASELINE = 22.0
FROZEN_DIFF = 0.08  # mean grey difference to the previous picture: a sensor never repeats
MIN_LIVE_MOTION = 0.15
BASELINE_WEIGHT = 0.1  # weight of a new normal picture in the running averages
BASELINE_READY = 3  # normal pictures before the baseline is trusted


def decode(picture: Picture) -> np.ndarray:
    """The picture as a BGR array of about 320×180 (JPEG) or full size (H.264)."""
    if picture.format == "jpeg":
        img = cv2.imdecode(np.frombuffer(picture.data, np.uint8), cv2.IMREAD_REDUCED_COLOR_2)
        if img is None:
            raise ValueError("not a JPEG picture")
        return img
    if picture.format == "h264":
        return decode_h264(picture.data)
    raise ValueError(f"unknown picture format {picture.format}")


def decode_h264(data: bytes) -> np.ndarray:
    """Decode one Annex B key frame (with its parameter sets) to BGR."""
    import av

    codec = av.CodecContext.create("h264", "r")
    try:
        frames = list(codec.decode(av.Packet(data)))
        frames += codec.decode(None)
    except av.error.FFmpegError as exc:
        raise ValueError(f"key frame not decodable: {exc}") from exc
    if not frames:
        raise ValueError("key frame not decodable")
    img: np.ndarray = frames[-1].to_ndarray(format="bgr24")
    return img


def _roi(img: np.ndarray) -> np.ndarray:
    h = img.shape[0]
    return img[int(h * ROI_TOP) : int(h * ROI_BOTTOM)]


class Vqd:
    """The real :class:`~station_console.health.model.Diagnoser`; stateless and thread-safe."""

    def diagnose(
        self, picture: Picture, baseline: Mapping[str, Any], previous: bytes | None
    ) -> Diagnosis:
        return self.diagnose_image(decode(picture), baseline, previous)

    def to_jpeg(self, picture: Picture) -> bytes:
        if picture.format == "jpeg":
            return picture.data
        ok, data = cv2.imencode(".jpg", decode(picture), [cv2.IMWRITE_JPEG_QUALITY, 85])
        if not ok:
            raise ValueError("JPEG encoding failed")
        return bytes(data.tobytes())

    @staticmethod
    def measure(img: np.ndarray) -> tuple[dict[str, float], bytes]:
        """The measurements of one BGR picture, and its signature for the next comparison."""
        mid = cv2.resize(_roi(img), (320, 108), interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(mid, cv2.COLOR_BGR2GRAY)
        small = cv2.resize(mid, (80, 27), interpolation=cv2.INTER_AREA)
        lab = cv2.cvtColor(small, cv2.COLOR_BGR2LAB)
        mean_a = float(lab[:, :, 1].mean()) - 128.0
        mean_b = float(lab[:, :, 2].mean()) - 128.0
        luma, luma_std = cv2.meanStdDev(grey)
        residual = cv2.absdiff(grey, cv2.medianBlur(grey, 3))
        gx = cv2.Sobel(grey, cv2.CV_16S, 1, 0)
        gy = cv2.Sobel(grey, cv2.CV_16S, 0, 1)
        gradient = np.abs(gx.astype(np.int32)) + np.abs(gy.astype(np.int32))
        local = cv2.subtract(cv2.dilate(grey, _K5), cv2.erode(grey, _K5))
        steep = float(np.percentile(gradient, 99))
        contrast = float(np.percentile(local, 99))
        signature = cv2.resize(grey, SIGNATURE_SIZE, interpolation=cv2.INTER_AREA)
        median = float(np.median(signature))
        m = {
            "luma": float(luma[0, 0]),
            "luma_std": float(luma_std[0, 0]),
            "noise": float(residual.mean()),
            "edges": float(gradient.mean()) / 8.0,
            "contrast": contrast,
            "sharpness": steep / (contrast + 1.0),
            "flat": float((cv2.absdiff(grey, median) <= 3).mean()),
            "a": mean_a,
            "b": mean_b,
            "chroma": float(np.hypot(mean_a, mean_b)),
        }
        return m, signature.tobytes()

    def diagnose_image(
        self, img: np.ndarray, baseline: Mapping[str, Any], previous: bytes | None
    ) -> Diagnosis:
        m, signature = self.measure(img)
        if previous is not None and len(previous) == len(signature):
            prev = np.frombuffer(previous, np.uint8)
            cur = np.frombuffer(signature, np.uint8)
            m["motion"] = float(np.abs(cur.astype(np.int16) - prev.astype(np.int16)).mean())
        kind = self.classify(m, baseline)
        new_baseline = dict(baseline)
        if kind is None:
            new_baseline = self.learn(baseline, m)
        elif kind is FaultKind.COLOUR_CAST and int(baseline.get("n", 0)) < BASELINE_READY:
            # A new camera's colour is learnt even when it looks tinted: a scene that is
            # always green (a lawn) is this camera's normal once a few pictures agree.
            new_baseline = self.learn(baseline, m)
        return Diagnosis(kind, m, new_baseline, signature)

    @staticmethod
    def classify(m: Mapping[str, float], baseline: Mapping[str, Any]) -> FaultKind | None:
        luma, chroma = m["luma"], m["chroma"]
        if m["flat"] >= FLAT_FRACTION:
            if luma < BLACK_LUMA:
                return FaultKind.BLACK
            if chroma > SIGNAL_LOSS_CHROMA or luma > SIGNAL_LOSS_LUMA:
                return FaultKind.SIGNAL_LOSS
            # Encoders draw their "no video" screen blue, often with text on it; whatever
            # covers a lens (hand, cloth, tape, paint) is dark and neutral or warm.
            if m["b"] < SIGNAL_LOSS_BLUE or m["contrast"] > SIGNAL_LOSS_TEXT:
                return FaultKind.SIGNAL_LOSS
            return FaultKind.COVERED
        if m["noise"] > SNOW_NOISE:
            return FaultKind.SNOW
        if luma < BLACK_LUMA and m["luma_std"] < 10.0:
            return FaultKind.BLACK
        if luma < COVERED_LUMA and m["luma_std"] < COVERED_STD and chroma < COVERED_CHROMA:
            return FaultKind.COVERED
        ready = int(baseline.get("n", 0)) >= BASELINE_READY
        if ready:
            shift = float(np.hypot(m["a"] - float(baseline["a"]), m["b"] - float(baseline["b"])))
            if shift > CAST_FROM_BASELINE and chroma > CAST_FROM_BASELINE:
                return FaultKind.COLOUR_CAST
        elif chroma > CAST_CHROMA:
            return FaultKind.COLOUR_CAST
        sharp, contrast = m["sharpness"], m["contrast"]
        if sharp < BLUR_SHARPNESS and contrast < BLUR_CONTRAST:
            return FaultKind.BLURRED
        if (
            ready
            and sharp < BLUR_FROM_BASELINE * float(baseline["sharpness"])
            and contrast < 0.5 * float(baseline["contrast"])
        ):
            return FaultKind.BLURRED
        motion = m.get("motion")
        if motion is not None and motion < FROZEN_DIFF:
            base_motion = baseline.get("motion")
            if base_motion is None or float(base_motion) >= MIN_LIVE_MOTION:
                return FaultKind.FROZEN
        return None

    @staticmethod
    def learn(baseline: Mapping[str, Any], m: Mapping[str, float]) -> dict[str, Any]:
        """Fold a normal picture's measurements into the camera's running averages."""
        out = dict(baseline)
        n = int(out.get("n", 0))
        w = max(BASELINE_WEIGHT, 1.0 / (n + 1))
        for key in ("sharpness", "contrast", "a", "b", "luma", "motion"):
            if key not in m:
                continue
            old = out.get(key)
            out[key] = round(m[key] if old is None else (1 - w) * float(old) + w * m[key], 4)
        out["n"] = n + 1
        return out
