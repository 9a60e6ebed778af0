"""How the sync engine talks to the hub: an interface, named failures, and a fake.

The core never imports an HTTP library: ``drivers/hub_client.py`` implements
:class:`HubTransport` with httpx; :class:`FakeHubTransport` is an in-memory hub with fault
flags for unit tests (the real hub process is for integration tests).
"""

from __future__ import annotations

import abc
import threading
from dataclasses import dataclass, field
from typing import Any

from station_console.errors import ConsoleError
from station_console.i18n import QT_TRANSLATE_NOOP
from station_console.sync.protocol import (
    FeedChange,
    HelloRequest,
    HelloResponse,
    PullResponse,
    PushBatch,
    PushResult,
    district_feed,
    station_feed,
)

# Failure kinds the user can act on (style rule 5).
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"
AUTH_FAILED = "auth_failed"
FORBIDDEN = "forbidden"
BAD_RESPONSE = "bad_response"
SEQ_CONFLICT = "seq_conflict"
GAP = "gap"
UNKNOWN_EPOCH = "unknown_epoch"
CLOCK_SKEW = "clock_skew"
REJECTED = "rejected"

# Marked for scripts/build_translations.py so the UI and CLI show them in Chinese.
_TEXT = {
    UNREACHABLE: QT_TRANSLATE_NOOP(
        "sync", "The district hub cannot be reached ({detail}). Changes are kept and sent later."
    ),
    TIMEOUT: QT_TRANSLATE_NOOP(
        "sync", "The district hub did not answer in time. Changes are kept and sent later."
    ),
    AUTH_FAILED: QT_TRANSLATE_NOOP(
        "sync", "The district hub refused this station's token. Ask the hub administrator."
    ),
    FORBIDDEN: QT_TRANSLATE_NOOP("sync", "The district hub refused the request: {detail}"),
    BAD_RESPONSE: QT_TRANSLATE_NOOP(
        "sync", "The district hub sent an answer this program cannot read: {detail}"
    ),
    SEQ_CONFLICT: QT_TRANSLATE_NOOP(
        "sync", "The hub already holds a different change with the same number: {detail}"
    ),
    GAP: QT_TRANSLATE_NOOP("sync", "The hub is missing earlier changes: {detail}"),
    UNKNOWN_EPOCH: QT_TRANSLATE_NOOP(
        "sync", "The hub does not know this station database; a full resync is needed."
    ),
    CLOCK_SKEW: QT_TRANSLATE_NOOP(
        "sync", "This computer's clock is far ahead of the hub's: {detail}"
    ),
    REJECTED: QT_TRANSLATE_NOOP("sync", "The district hub rejected the changes: {detail}"),
}


class HubError(ConsoleError):
    """A named sync failure; ``resume_from`` is set on a gap (the hub's next expected seq)."""

    def __init__(self, kind: str, detail: str = "", *, resume_from: int | None = None) -> None:
        super().__init__("sync", _TEXT.get(kind, "{detail}"), detail=detail)
        self.kind = kind
        self.detail = detail
        self.resume_from = resume_from

    @property
    def transient(self) -> bool:
        """Worth retrying later without anyone doing anything."""
        return self.kind in (UNREACHABLE, TIMEOUT, BAD_RESPONSE)


class HubTransport(abc.ABC):
    """The four calls of the protocol. Implementations must time out every call."""

    @abc.abstractmethod
    def hello(self, req: HelloRequest) -> HelloResponse: ...

    @abc.abstractmethod
    def push(self, batch: PushBatch) -> PushResult: ...

    @abc.abstractmethod
    def pull(self, feed: str, cursor: int, limit: int) -> PullResponse: ...

    @abc.abstractmethod
    def snapshot(self, feed: str) -> PullResponse: ...

    def fetch_media(self, media_id: str, sha256: str) -> bytes:
        """A photo of a bulletin (fetched on request, not synced); checked against ``sha256``."""
        raise HubError(BAD_RESPONSE, "this transport cannot fetch photos")

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""


@dataclass
class _FakeEpoch:
    last_seq: int
    ops: dict[int, str] = field(default_factory=dict)


class FakeHubTransport(HubTransport):
    """An in-memory hub with fault flags, following the same push/pull rules as ``hub/``.

    Flags: ``unreachable``, ``auth_fail``, ``lose_reply`` (commit, then time out), and
    ``forget_epochs`` (behave like a hub restored from an old backup).
    """

    def __init__(self, station_id: str = "st-1", district_id: str = "d-1") -> None:
        self.station_id = station_id
        self.district_id = district_id
        self.unreachable = False
        self.auth_fail = False
        self.lose_reply = False
        self.epochs: dict[str, _FakeEpoch] = {}
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.feeds: dict[str, list[FeedChange]] = {
            station_feed(station_id): [],
            district_feed(district_id): [],
        }
        self.feed_floor: dict[str, int] = {}
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def _check(self, call: str) -> None:
        self.calls.append(call)
        if self.unreachable:
            raise HubError(UNREACHABLE, "connection refused")
        if self.auth_fail:
            raise HubError(AUTH_FAILED)

    def publish(
        self,
        feed: str,
        entity: str,
        entity_id: str,
        fields: dict[str, Any],
        hlc: str,
        op: str = "upsert",
    ) -> None:
        """Hub-side write into a feed (what the command centre does)."""
        rows = self.feeds[feed]
        rows.append(FeedChange(len(rows) + 1, entity, entity_id, op, fields, hlc))

    def hello(self, req: HelloRequest) -> HelloResponse:
        self._check("hello")
        ep = self.epochs.setdefault(req.epoch, _FakeEpoch(req.base_seq))
        return HelloResponse(
            self.station_id, self.district_id, req.epoch, ep.last_seq, "", list(self.feeds)
        )

    def push(self, batch: PushBatch) -> PushResult:
        self._check("push")
        with self._lock:
            ep = self.epochs.get(batch.epoch)
            if ep is None:
                raise HubError(UNKNOWN_EPOCH)
            for ch in sorted(batch.changes, key=lambda c: c.seq):
                if ch.seq <= ep.last_seq:
                    if ep.ops.get(ch.seq, ch.op_id) != ch.op_id:
                        raise HubError(SEQ_CONFLICT, f"seq {ch.seq}")
                    continue
                if ch.seq != ep.last_seq + 1:
                    raise HubError(GAP, f"expected {ep.last_seq + 1}", resume_from=ep.last_seq + 1)
                ep.ops[ch.seq] = ch.op_id
                ep.last_seq = ch.seq
                self.records[(ch.entity, ch.entity_id)] = {"op": ch.op, **ch.fields}
            if self.lose_reply:
                raise HubError(TIMEOUT)
            return PushResult(ep.last_seq, "")

    def pull(self, feed: str, cursor: int, limit: int) -> PullResponse:
        self._check("pull")
        rows = self.feeds.get(feed)
        if rows is None:
            raise HubError(FORBIDDEN, feed)
        if cursor > len(rows) or cursor < self.feed_floor.get(feed, 0):
            return PullResponse(feed, cursor, [], True)
        page = rows[cursor : cursor + limit]
        new_cursor = page[-1].seq if page else cursor
        return PullResponse(feed, new_cursor, page, False, new_cursor < len(rows))

    def snapshot(self, feed: str) -> PullResponse:
        self._check("snapshot")
        rows = self.feeds[feed]
        latest: dict[tuple[str, str], FeedChange] = {}
        for r in rows:
            latest[(r.entity, r.entity_id)] = r
        return PullResponse(feed, len(rows), list(latest.values()), False)
