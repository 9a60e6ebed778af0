"""The console's stream gateway: RTSP in (PyAV, one session per stream), MPEG-TS out.

Debian's libVLC cannot open ``rtsp://``, so every camera stream goes through here; see
architecture.md, "The video path". Start with ``StreamGateway``; everything a caller needs is
re-exported below. No Qt in this package: the UI wraps listeners into signals.
"""

from drivers.gateway.errors import (
    GatewayClosedError,
    GatewayError,
    NothingBufferedError,
    UnknownStreamError,
)
from drivers.gateway.gateway import StreamGateway
from drivers.gateway.model import ClipInfo, StreamHealth, StreamProblem, StreamSource, StreamState
from drivers.gateway.ts_reader import TsReader

__all__ = [
    "ClipInfo",
    "GatewayClosedError",
    "GatewayError",
    "NothingBufferedError",
    "StreamGateway",
    "StreamHealth",
    "StreamProblem",
    "StreamSource",
    "StreamState",
    "TsReader",
    "UnknownStreamError",
]
