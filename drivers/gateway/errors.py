"""Named failures, and the mapping from FFmpeg's errors to the problems an officer can act on.

Why: PyAV raises a zoo of exceptions (FFmpeg error codes, OS errors, its own timeout) whose
messages contain the URL *with credentials*. This module turns each into a ``StreamProblem``
plus a short masked English detail, in one place, so nothing unmasked escapes.
"""

from __future__ import annotations

import errno

import av
import av.error

from drivers.gateway.credentials import mask_secrets
from drivers.gateway.model import StreamProblem

_NETWORK_ERRNOS = {
    errno.ENETUNREACH,
    errno.ETIMEDOUT,
    errno.ECONNREFUSED,
    errno.EHOSTDOWN,
    errno.EHOSTUNREACH,
    errno.ECONNRESET,
    errno.EPIPE,
}


class GatewayError(Exception):
    """Base of the gateway's own errors."""


class UnknownStreamError(GatewayError, KeyError):
    """No stream with that key is held by the gateway."""


class NothingBufferedError(GatewayError):
    """``save_clip`` found no packets for the asked span in the ring buffer."""


class GatewayClosedError(GatewayError):
    """The gateway was closed."""


class StreamFailure(Exception):
    """Raised inside a session with the problem already decided (e.g. unsupported codec)."""

    def __init__(self, problem: StreamProblem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


def classify(
    exc: BaseException, *, opening: bool, secrets: tuple[str, ...] = ()
) -> tuple[StreamProblem, str]:
    """Map an exception from opening or reading a stream to (problem, masked detail)."""
    if isinstance(exc, StreamFailure):
        return exc.problem, mask_secrets(exc.detail, *secrets)
    problem: StreamProblem
    if isinstance(exc, av.error.HTTPUnauthorizedError | av.error.HTTPForbiddenError):
        problem = StreamProblem.AUTH_FAILED
    elif isinstance(exc, av.error.HTTPNotFoundError):
        problem = StreamProblem.NOT_FOUND
    elif isinstance(exc, av.error.HTTPError):  # 5xx and other client errors: camera refuses
        problem = StreamProblem.BAD_STREAM
    elif isinstance(exc, av.error.ExitError | TimeoutError):
        problem = StreamProblem.TIMEOUT if opening else StreamProblem.STALLED
    elif isinstance(
        exc,
        ConnectionRefusedError | ConnectionResetError | BrokenPipeError | ConnectionAbortedError,
    ):
        problem = StreamProblem.UNREACHABLE
    elif isinstance(exc, av.error.EOFError | EOFError):
        problem = StreamProblem.UNREACHABLE  # the camera hung up (reboot, signal loss)
    elif isinstance(exc, OSError) and not isinstance(exc, av.error.FFmpegError):
        problem = StreamProblem.UNREACHABLE  # no route, host down, network unreachable
    elif isinstance(exc, av.error.InvalidDataError):
        problem = StreamProblem.BAD_STREAM
    elif isinstance(exc, OSError) and exc.errno in _NETWORK_ERRNOS:
        problem = StreamProblem.UNREACHABLE
    else:
        problem = StreamProblem.BAD_STREAM
    return problem, describe(exc, secrets)


def describe(exc: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """A short, masked, English line about ``exc`` (no file name, no URL userinfo)."""
    strerror = getattr(exc, "strerror", None)
    if isinstance(exc, av.error.FFmpegError):
        text = f"{type(exc).__name__}: {strerror or ''}".strip()
        log = getattr(exc, "log", None)
        if log and len(log) > 2 and log[2]:
            text += f" ({str(log[2]).strip()})"
    elif isinstance(exc, OSError) and strerror:
        text = f"{type(exc).__name__}: {exc.strerror}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return mask_secrets(text, *secrets)[:200]
