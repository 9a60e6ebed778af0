"""Screen grabber for the latency bench (P1): grabs the X screen and decodes time codes.

Runs in its own process so that decoding screenshots (numpy, several ms per tile) never
holds the console's GIL: the gateway's threads and the GUI thread of the process under test
must not wait for the measurement. It prints one JSON line: every decoded reading as
``[grab time ms, rect name, camera index, time code ms]`` and how many grabs it made.

    python -m bench.wall_grab '{"rects": {"t0": [x, y, w, h], ...}, "interval": 0.2, "seconds": 10}'
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    spec = json.loads(sys.argv[1])
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    import numpy as np
    from PySide6.QtGui import QGuiApplication, QImage

    from simulator.timecode import decode
    from tests.render.harness import _letterbox_crop

    app = QGuiApplication.instance() or QGuiApplication([])
    screen = app.primaryScreen()
    rects = {name: tuple(r) for name, r in spec["rects"].items()}
    interval = float(spec["interval"])
    samples: list[list[float | str | int]] = []
    grabs = 0
    end = time.monotonic() + float(spec["seconds"])
    while time.monotonic() < end:
        tick = time.monotonic()
        when = time.time()
        image = screen.grabWindow(0).toImage().convertToFormat(QImage.Format.Format_RGB888)
        grabs += 1
        raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
        pixels = raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
        pixels = pixels.reshape(image.height(), image.width(), 3)
        for name, (x, y, w, h) in rects.items():
            crop = _letterbox_crop(pixels[y : y + h, x : x + w])
            code = decode(crop) if crop.size else None
            if code is not None:
                samples.append([round(when * 1000, 1), name, code.camera_index, code.epoch_ms])
        del pixels, raw, image
        time.sleep(max(0.0, interval - (time.monotonic() - tick)))
    print(json.dumps({"grabs": grabs, "samples": samples}), flush=True)


if __name__ == "__main__":
    main()
