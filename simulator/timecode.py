"""Machine-readable wall-clock time code burned into every simulated frame.

Benchmarks measure glass-to-glass latency by screenshotting a tile, decoding the time code and
comparing it with the screenshot's own clock; tests use the camera index to check that a tile
shows the camera it claims to. The code must therefore survive H.264 compression and scaling
down to a 320×180 tile, and the decoder must need nothing but numpy so that any test or
benchmark can import it without pulling in the simulator's encoders.

Layout (fractions of the frame, so scale does not matter): a strip across the top of the
frame, ``STRIP_ROWS`` rows of ``CELLS_PER_ROW`` square-ish cells, each cell either white or
black. Cell 0 is always white and the first cell of row 1 is always black: they are the
decoder's reference levels. The remaining cells carry, most significant bit first,
``MS_BITS`` bits of milliseconds since the Unix epoch, ``INDEX_BITS`` bits of camera index and
an 8-bit CRC over both, so a bad read is rejected instead of returning a wrong time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CELLS_PER_ROW = 32
STRIP_ROWS = 2
#: Each row of cells is this fraction of the frame height (40 px at 720p, 10 px at 180p).
ROW_HEIGHT_FRACTION = 1 / 18
#: The strip covers the top ``STRIP_HEIGHT_FRACTION`` of the frame; analytics should ignore it.
STRIP_HEIGHT_FRACTION = STRIP_ROWS * ROW_HEIGHT_FRACTION
MS_BITS = 42
INDEX_BITS = 12
CRC_BITS = 8
MAX_CAMERA_INDEX = (1 << INDEX_BITS) - 1
_WHITE_REF = 0
_BLACK_REF = CELLS_PER_ROW
_DATA_CELLS = [i for i in range(CELLS_PER_ROW * STRIP_ROWS) if i not in (_WHITE_REF, _BLACK_REF)]
assert len(_DATA_CELLS) == MS_BITS + INDEX_BITS + CRC_BITS


@dataclass(frozen=True)
class TimeCode:
    """What one frame's strip says: when it was rendered and which camera rendered it."""

    epoch_ms: int
    camera_index: int


def _crc8(value: int, nbits: int) -> int:
    """CRC-8 (polynomial 0x07) over the ``nbits`` low bits of ``value``, MSB first."""
    crc = 0
    for i in range(nbits - 1, -1, -1):
        bit = (value >> i) & 1
        top = (crc >> 7) & 1
        crc = (crc << 1) & 0xFF
        if bit ^ top:
            crc ^= 0x07
    return crc


def encode_bits(epoch_ms: int, camera_index: int) -> np.ndarray:
    """Return the cell pattern (``STRIP_ROWS`` × ``CELLS_PER_ROW`` bools, True = white)."""
    if not 0 <= camera_index <= MAX_CAMERA_INDEX:
        raise ValueError(f"camera index {camera_index} does not fit in {INDEX_BITS} bits")
    payload = ((epoch_ms & ((1 << MS_BITS) - 1)) << INDEX_BITS) | camera_index
    word = (payload << CRC_BITS) | _crc8(payload, MS_BITS + INDEX_BITS)
    total = MS_BITS + INDEX_BITS + CRC_BITS
    cells = np.zeros(CELLS_PER_ROW * STRIP_ROWS, dtype=bool)
    cells[_WHITE_REF] = True
    for n, cell in enumerate(_DATA_CELLS):
        cells[cell] = bool((word >> (total - 1 - n)) & 1)
    return cells.reshape(STRIP_ROWS, CELLS_PER_ROW)


def cell_box(row: int, col: int, width: int, height: int) -> tuple[int, int, int, int]:
    """Pixel box ``(x0, y0, x1, y1)`` of one cell in a ``width`` × ``height`` frame."""
    x0 = round(col * width / CELLS_PER_ROW)
    x1 = round((col + 1) * width / CELLS_PER_ROW)
    y0 = round(row * height * ROW_HEIGHT_FRACTION)
    y1 = round((row + 1) * height * ROW_HEIGHT_FRACTION)
    return x0, y0, x1, y1


def draw(luma: np.ndarray, epoch_ms: int, camera_index: int) -> None:
    """Paint the strip in place on a 2-D luma plane (or 3-D image: all channels alike)."""
    height, width = luma.shape[:2]
    cells = encode_bits(epoch_ms, camera_index)
    white = 235 if luma.ndim == 2 else 255
    black = 16 if luma.ndim == 2 else 0
    for row in range(STRIP_ROWS):
        for col in range(CELLS_PER_ROW):
            x0, y0, x1, y1 = cell_box(row, col, width, height)
            luma[y0:y1, x0:x1] = white if cells[row, col] else black


def _to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image.astype(np.float32)
    if image.ndim == 3 and image.shape[2] >= 3:
        return image[:, :, :3].astype(np.float32).mean(axis=2)
    raise ValueError(f"expected a 2-D gray or H×W×3/4 image, got shape {image.shape}")


def _read(gray: np.ndarray, x_off: float, y_off: float, scale: float) -> TimeCode | None:
    height, width = gray.shape
    means = np.empty(CELLS_PER_ROW * STRIP_ROWS, dtype=np.float32)
    cell_w = width * scale / CELLS_PER_ROW
    cell_h = height * scale * ROW_HEIGHT_FRACTION
    for row in range(STRIP_ROWS):
        for col in range(CELLS_PER_ROW):
            # Sample the middle half of the cell: edges are where scaling and DCT blur bleed.
            cx = x_off + (col + 0.5) * cell_w
            cy = y_off + (row + 0.5) * cell_h
            x0, x1 = int(cx - cell_w / 4), int(cx + cell_w / 4) + 1
            y0, y1 = int(cy - cell_h / 4), int(cy + cell_h / 4) + 1
            if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
                return None
            means[row * CELLS_PER_ROW + col] = gray[y0:y1, x0:x1].mean()
    white, black = means[_WHITE_REF], means[_BLACK_REF]
    if white - black < 40:
        return None
    bits = means > (white + black) / 2
    word = 0
    for cell in _DATA_CELLS:
        word = (word << 1) | int(bits[cell])
    payload, crc = word >> CRC_BITS, word & 0xFF
    if _crc8(payload, MS_BITS + INDEX_BITS) != crc:
        return None
    return TimeCode(epoch_ms=payload >> INDEX_BITS, camera_index=payload & MAX_CAMERA_INDEX)


def decode(image: np.ndarray) -> TimeCode | None:
    """Decode the strip from a frame or a screenshot of a tile showing the whole frame.

    ``image`` is a numpy array: 2-D gray/luma, or H×W×3 (RGB or BGR, either works) or H×W×4.
    The nominal geometry is tried first, then small shifts and scales, to tolerate a tile
    that is cropped or bordered by a few pixels. Returns None when no reading passes the CRC.
    """
    gray = _to_gray(np.asarray(image))
    height, width = gray.shape
    found = _read(gray, 0.0, 0.0, 1.0)
    if found is not None:
        return found
    step_x = width / CELLS_PER_ROW / 4
    step_y = height * ROW_HEIGHT_FRACTION / 4
    for scale in (1.0, 0.98, 1.02, 0.96, 1.04):
        for dy in (0, -1, 1, -2, 2):
            for dx in (0, -1, 1, -2, 2):
                found = _read(gray, dx * step_x, dy * step_y, scale)
                if found is not None:
                    return found
    return None
