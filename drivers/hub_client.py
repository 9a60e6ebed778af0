"""The real :class:`HubTransport`: HTTPS (or loopback HTTP) to the district hub with httpx.

Every call has a timeout; every failure becomes a named :class:`HubError` (unreachable,
timeout, auth failed, conflict, ...) so the status bar can say what to do.
"""

from __future__ import annotations

import hashlib
import logging
import ssl
from typing import Any

import httpx

from station_console.sync.protocol import (
    HelloRequest,
    HelloResponse,
    ProtocolError,
    PullResponse,
    PushBatch,
    PushResult,
)
from station_console.sync.transport import (
    AUTH_FAILED,
    BAD_RESPONSE,
    CLOCK_SKEW,
    FORBIDDEN,
    GAP,
    REJECTED,
    SEQ_CONFLICT,
    TIMEOUT,
    UNKNOWN_EPOCH,
    UNREACHABLE,
    HubError,
    HubTransport,
)

log = logging.getLogger(__name__)

_CODES = {
    "gap": GAP,
    "seq_reused": SEQ_CONFLICT,
    "unknown_epoch": UNKNOWN_EPOCH,
    "clock_ahead": CLOCK_SKEW,
    "auth_failed": AUTH_FAILED,
}


class HttpHubTransport(HubTransport):
    """Talks to ``base_url`` with the station's bearer token."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 15.0,
        ca_file: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """``ca_file`` pins the district CA (``python -m hub make-ca``) for HTTPS."""
        verify: ssl.SSLContext | bool = True
        if ca_file:
            verify = ssl.create_default_context(cafile=ca_file)
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            verify=verify,
            transport=transport,
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def _call(self, method: str, path: str, **kw: Any) -> Any:
        try:
            resp = self._client.request(method, path, **kw)
        except httpx.TimeoutException as exc:
            raise HubError(TIMEOUT, type(exc).__name__) from exc
        except httpx.TransportError as exc:
            raise HubError(UNREACHABLE, type(exc).__name__) from exc
        if resp.status_code >= 400:
            raise self._error(resp)
        try:
            return resp.json()
        except ValueError as exc:
            raise HubError(BAD_RESPONSE, "not JSON") from exc

    @staticmethod
    def _error(resp: httpx.Response) -> HubError:
        try:
            detail = resp.json().get("detail")
        except (ValueError, AttributeError):
            detail = None
        code = detail.get("code", "") if isinstance(detail, dict) else ""
        message = detail.get("message", "") if isinstance(detail, dict) else str(detail or "")
        if resp.status_code == 401:
            return HubError(AUTH_FAILED)
        if code in _CODES:
            resume = detail.get("resume_from") if isinstance(detail, dict) else None
            return HubError(
                _CODES[code], message, resume_from=resume if isinstance(resume, int) else None
            )
        if resp.status_code == 403:
            return HubError(FORBIDDEN, message or "forbidden")
        if resp.status_code >= 500:
            return HubError(UNREACHABLE, f"hub error {resp.status_code}")
        return HubError(REJECTED, f"{resp.status_code} {message}".strip())

    def _parse(self, parser: Any, data: Any) -> Any:
        try:
            return parser(data)
        except ProtocolError as exc:
            raise HubError(BAD_RESPONSE, str(exc)) from exc

    def hello(self, req: HelloRequest) -> HelloResponse:
        data = self._call("POST", "/v1/sync/hello", json=req.to_dict())
        return self._parse(HelloResponse.from_dict, data)  # type: ignore[no-any-return]

    def push(self, batch: PushBatch) -> PushResult:
        data = self._call("POST", "/v1/sync/push", json=batch.to_dict())
        return self._parse(PushResult.from_dict, data)  # type: ignore[no-any-return]

    def pull(self, feed: str, cursor: int, limit: int) -> PullResponse:
        data = self._call(
            "GET", "/v1/sync/pull", params={"feed": feed, "cursor": cursor, "limit": limit}
        )
        return self._parse(PullResponse.from_dict, data)  # type: ignore[no-any-return]

    def snapshot(self, feed: str) -> PullResponse:
        data = self._call("GET", "/v1/sync/snapshot", params={"feed": feed})
        return self._parse(PullResponse.from_dict, data)  # type: ignore[no-any-return]

    def fetch_media(self, media_id: str, sha256: str) -> bytes:
        """A bulletin photo, read whole (the hub caps photos at 5 MB) and checked."""
        try:
            resp = self._client.get(f"/v1/media/{media_id}")
        except httpx.TimeoutException as exc:
            raise HubError(TIMEOUT, type(exc).__name__) from exc
        except httpx.TransportError as exc:
            raise HubError(UNREACHABLE, type(exc).__name__) from exc
        if resp.status_code >= 400:
            raise self._error(resp)
        if hashlib.sha256(resp.content).hexdigest() != sha256:
            raise HubError(BAD_RESPONSE, f"photo {media_id} does not match its checksum")
        return resp.content
