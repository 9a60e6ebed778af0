"""Picture conversions the UI needs without importing OpenCV itself.

libVLC writes snapshots as PNG whatever ``--snapshot-format`` says in some builds, while
evidence and the snapshot records are JPEG; converting here keeps OpenCV in ``drivers/``.
"""

from __future__ import annotations

import cv2
import numpy as np

JPEG_QUALITY = 92


def to_jpeg(data: bytes, quality: int = JPEG_QUALITY) -> tuple[bytes, int, int]:
    """Any picture file's bytes (PNG, JPEG, ...) → (JPEG bytes, width, height)."""
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("not a picture")
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    height, width = image.shape[:2]
    return encoded.tobytes(), int(width), int(height)
