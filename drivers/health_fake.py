"""Fakes of the health drivers with fault flags, for unit tests of the monitor and the UI.

``FakeProber`` answers from per-camera flags (``offline``, ``no_video``, ``auth``,
``clock_offset``, ``slow``); ``FakeDiagnoser`` returns a per-camera picture verdict. No
network, no OpenCV.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from station_console.health.model import (
    Diagnosis,
    FaultKind,
    Picture,
    ProbeError,
    ProbeResult,
    ProbeTarget,
)

# A real 8×8 grey JPEG, so widgets can show the evidence.
FAKE_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDjqKKKAP/Z"
)


@dataclass
class CameraFlags:
    offline: bool = False
    no_video: bool = False
    auth: bool = False
    clock_offset: float = 0.0
    onvif_off: bool = False
    picture: FaultKind | None = None


@dataclass
class FakeProber:
    flags: dict[str, CameraFlags] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    snapshot_uri: str = "http://127.0.0.1:9/snapshot.jpg"
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def flag(self, camera_id: str) -> CameraFlags:
        with self._lock:
            return self.flags.setdefault(camera_id, CameraFlags())

    def check(self, targets: Sequence[ProbeTarget], timeout: float) -> list[ProbeResult]:
        out = []
        for t in targets:
            f = self.flag(t.camera_id)
            with self._lock:
                self.checks.append(t.camera_id)
            now = time.time()
            if f.offline:
                out.append(ProbeResult(t.camera_id, now, False, False, ProbeError.UNREACHABLE,
                                       ProbeError.UNREACHABLE, detail="refused"))  # fmt: skip
                continue
            rtsp_error = ProbeError.AUTH if f.auth else ProbeError.NO_VIDEO if f.no_video else None
            out.append(
                ProbeResult(
                    t.camera_id,
                    now,
                    not f.onvif_off,
                    rtsp_error is None,
                    ProbeError.UNREACHABLE if f.onvif_off else None,
                    rtsp_error,
                    None if f.onvif_off else f.clock_offset,
                    1.0,
                    snapshot_uri="" if t.snapshot_uri else self.snapshot_uri,
                )
            )
        return out

    def snapshot(self, target: ProbeTarget, timeout: float) -> bytes:
        f = self.flag(target.camera_id)
        if f.offline or f.no_video:
            raise ConnectionError("no snapshot")
        return FAKE_JPEG

    def close(self) -> None:
        pass


@dataclass
class FakeDiagnoser:
    prober: FakeProber

    def diagnose(
        self, picture: Picture, baseline: Mapping[str, Any], previous: bytes | None
    ) -> Diagnosis:
        kind = self.prober.flag(picture.camera_id).picture
        n = int(baseline.get("n", 0))
        return Diagnosis(kind, {"luma": 10.0 if kind else 120.0}, {**baseline, "n": n + 1},
                         b"sig")  # fmt: skip
