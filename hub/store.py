"""The hub's sync logic over SQLAlchemy Core: stations, push, pull, snapshot, publish.

Every function takes the engine and opens its own transaction, so each HTTP request is
exactly one transaction and answers only after it commits.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from hub.schema import (
    applied_ops,
    epochs,
    feed_rows,
    feeds,
    hub_state,
    record_history,
    records,
    stations,
)
from station_console.sync import merge
from station_console.sync.hlc import Hlc, HybridClock
from station_console.sync.protocol import (
    ALL_ENTITIES,
    HUB_OWNED,
    MAX_FUTURE_MS,
    OPS,
    SHARED,
    Change,
    FeedChange,
    HelloResponse,
    PullResponse,
    PushResult,
    district_feed,
    station_feed,
)

HUB = "hub"
CLOCK_CEILING_MS = 10_000  # how far ahead of its stamps the hub persists its clock
STAMPS = "_stamps"  # per-field HLCs of a shared record, sent in feed rows


class HubReject(Exception):
    """A refused request: HTTP status, a stable code, a sentence for the log."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def detail(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.extra}


@dataclass(frozen=True)
class Station:
    station_id: str
    district_id: str
    name: str


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Hub:
    """The hub's storage and rules; one instance per process."""

    def __init__(self, engine: Engine, *, wall: Any = time.time) -> None:
        self.engine = engine
        self._wall = wall
        self.clock = HybridClock(HUB, wall=wall)
        self._clock_lock = threading.Lock()
        with engine.connect() as conn:
            stored = conn.execute(
                select(func.max(hub_state.c.value)).where(hub_state.c.key == "hlc")
            ).scalar()
        if stored:
            self.clock.observe(Hlc.decode(stored))

    # -- hlc -------------------------------------------------------------------------------

    def _tick(self, conn: Connection, district: str) -> str:
        """A hub stamp, covered by the persisted ceiling before the transaction commits.

        The hub does not write its clock on every request (one hot row every push would
        serialize all stations): it persists a ceiling 10 s ahead and raises it only when a
        stamp passes it. After a restart the clock starts above the ceiling, so hub stamps
        never go backwards. The ceiling is read and raised inside the caller's transaction
        (``WHERE value < new``), so a rolled-back request leaves nothing behind and
        concurrent raises only ever move it up.
        """
        stamp = self.clock.tick()
        where = and_(hub_state.c.district_id == district, hub_state.c.key == "hlc")
        stored = conn.execute(select(hub_state.c.value).where(where)).scalar()
        if stored is None or stamp.encode() > stored:
            ceiling = Hlc(stamp.millis + CLOCK_CEILING_MS, 0, HUB).encode()
            self._save_clock(conn, district, ceiling)
        return stamp.encode()

    def _save_clock(self, conn: Connection, district: str, stamp: str) -> None:
        """Raise the stored clock ceiling of ``district`` to ``stamp`` (never lowers it)."""
        where = and_(hub_state.c.district_id == district, hub_state.c.key == "hlc")
        done = conn.execute(
            update(hub_state).where(and_(where, hub_state.c.value < stamp)).values(value=stamp)
        ).rowcount
        if done:
            return
        if conn.execute(select(hub_state.c.value).where(where)).scalar() is not None:
            return  # already at or above
        # Two first requests of a district may both find no row: the loser of the insert
        # race raises the winner's row instead of failing the request.
        try:
            with conn.begin_nested():
                conn.execute(insert(hub_state).values(district_id=district, key="hlc", value=stamp))
        except IntegrityError:
            conn.execute(
                update(hub_state).where(and_(where, hub_state.c.value < stamp)).values(value=stamp)
            )

    # -- stations --------------------------------------------------------------------------

    def add_station(self, name: str, district: str) -> tuple[str, str]:
        """Create a station; returns (station id, token). Only the token's hash is kept."""
        station_id = str(uuid.uuid4())
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                insert(stations).values(
                    district_id=district,
                    station_id=station_id,
                    name=name,
                    token_hash=hash_token(token),
                    created_at=now_iso(),
                    clock_drift_ms=0,
                    rejected_stamps=0,
                    reported_backlog=0,
                )
            )
            for feed in (station_feed(station_id), district_feed(district)):
                exists = conn.execute(select(feeds.c.feed).where(feeds.c.feed == feed)).first()
                if not exists:
                    conn.execute(
                        insert(feeds).values(
                            district_id=district, feed=feed, last_seq=0, floor_seq=0
                        )
                    )
        return station_id, token

    def authenticate(self, token: str) -> Station | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(stations.c.station_id, stations.c.district_id, stations.c.name).where(
                    stations.c.token_hash == hash_token(token)
                )
            ).first()
        return Station(row[0], row[1], row[2]) if row else None

    # -- hello -----------------------------------------------------------------------------

    def hello(
        self, st: Station, epoch: str, base_seq: int, *, wall_ms: int | None = None
    ) -> HelloResponse:
        """Register (or look up) the station's epoch. A new epoch starts after ``base_seq``."""
        with self.engine.begin() as conn:
            if wall_ms is not None:
                conn.execute(
                    update(stations)
                    .where(stations.c.station_id == st.station_id)
                    .values(clock_drift_ms=wall_ms - int(self._wall() * 1000))
                )
            row = conn.execute(
                select(epochs.c.last_seq).where(
                    and_(epochs.c.station_id == st.station_id, epochs.c.epoch == epoch)
                )
            ).first()
            if row is None:
                conn.execute(
                    insert(epochs).values(
                        district_id=st.district_id,
                        station_id=st.station_id,
                        epoch=epoch,
                        base_seq=base_seq,
                        last_seq=base_seq,
                        created_at=now_iso(),
                    )
                )
                last = base_seq
            else:
                last = int(row[0])
            stamp = self._tick(conn, st.district_id)
        return HelloResponse(
            st.station_id,
            st.district_id,
            epoch,
            last,
            stamp,
            [station_feed(st.station_id), district_feed(st.district_id)],
        )

    # -- push ------------------------------------------------------------------------------

    def push(
        self,
        st: Station,
        epoch: str,
        changes: list[Change],
        *,
        backlog: int = 0,
        wall_ms: int | None = None,
    ) -> PushResult:
        """Apply a contiguous batch in one transaction; a replay changes nothing."""
        if not changes:
            raise HubReject(422, "empty_batch", "a push must carry at least one change")
        changes = sorted(changes, key=lambda c: c.seq)
        for a, b in itertools.pairwise(changes):
            if b.seq != a.seq + 1:
                raise HubReject(
                    422, "not_contiguous", f"batch seqs must be contiguous ({a.seq} then {b.seq})"
                )
        now_ms = int(self._wall() * 1000)
        stamps = [self._check_change(c) for c in changes]
        newest = max(stamps)
        drift = newest.millis - now_ms
        # The station's own wall clock says how far off it is in either direction; without
        # it, only a stamp running ahead tells (old backlog stamps say nothing).
        clock_drift = wall_ms - now_ms if wall_ms is not None else max(drift, 0)
        if drift > MAX_FUTURE_MS:
            self._note_drift(st, max(drift, clock_drift), rejected=True)
            raise HubReject(
                422,
                "clock_ahead",
                f"change stamped {drift // 1000} s ahead of the hub clock; "
                "fix the station clock (allowed: "
                f"{MAX_FUTURE_MS // 1000} s)",
                drift_ms=drift,
            )
        with self.engine.begin() as conn:
            ep = conn.execute(
                select(epochs.c.base_seq, epochs.c.last_seq)
                .where(and_(epochs.c.station_id == st.station_id, epochs.c.epoch == epoch))
                .with_for_update()
            ).first()
            if ep is None:
                raise HubReject(
                    409,
                    "unknown_epoch",
                    "the hub does not know this station epoch; do a full resync",
                )
            base, last = int(ep[0]), int(ep[1])
            first = changes[0].seq
            if first <= base:
                raise HubReject(
                    409, "before_epoch", f"seq {first} is before this epoch began (after {base})"
                )
            if first > last + 1:
                raise HubReject(
                    409,
                    "gap",
                    f"batch starts at seq {first} but the hub holds up to {last}; "
                    f"resume from {last + 1}",
                    resume_from=last + 1,
                )
            known = {
                int(r[0]): r[1]
                for r in conn.execute(
                    select(applied_ops.c.seq, applied_ops.c.op_id).where(
                        and_(
                            applied_ops.c.station_id == st.station_id,
                            applied_ops.c.epoch == epoch,
                            applied_ops.c.seq >= first,
                            applied_ops.c.seq <= min(last, changes[-1].seq),
                        )
                    )
                )
            }
            fresh = []
            for ch in changes:
                if ch.seq <= last:
                    if known.get(ch.seq) != ch.op_id:
                        raise HubReject(
                            409,
                            "seq_reused",
                            f"seq {ch.seq} of epoch {epoch} was already used by another "
                            f"change (op {known.get(ch.seq)}, now {ch.op_id}); the station "
                            "database was probably restored from a backup",
                            seq=ch.seq,
                        )
                    continue
                fresh.append(ch)
            if fresh:
                self._apply_many(conn, st, fresh)
            if fresh:
                _insert_rows(
                    conn,
                    applied_ops,
                    [
                        {
                            "district_id": st.district_id,
                            "station_id": st.station_id,
                            "epoch": epoch,
                            "seq": c.seq,
                            "op_id": c.op_id,
                        }
                        for c in fresh
                    ],
                )
                last = fresh[-1].seq
                conn.execute(
                    update(epochs)
                    .where(and_(epochs.c.station_id == st.station_id, epochs.c.epoch == epoch))
                    .values(last_seq=last)
                )
            conn.execute(
                update(stations)
                .where(stations.c.station_id == st.station_id)
                .values(
                    last_sync_at=now_iso(),
                    clock_drift_ms=clock_drift,
                    reported_backlog=backlog,
                )
            )
            with self._clock_lock:
                self.clock.observe(newest)
                stamp = self._tick(conn, st.district_id)
        return PushResult(last, stamp)

    @staticmethod
    def _check_change(ch: Change) -> Hlc:
        if ch.entity not in ALL_ENTITIES:
            raise HubReject(422, "unknown_entity", f"unknown entity {ch.entity!r}")
        if ch.op not in OPS:
            raise HubReject(422, "bad_op", f"op must be one of {sorted(OPS)}")
        if ch.entity in HUB_OWNED:
            raise HubReject(403, "hub_owned", f"{ch.entity} records are edited only at the hub")
        try:
            return Hlc.decode(ch.hlc)
        except ValueError as exc:
            raise HubReject(422, "bad_hlc", f"bad HLC stamp {ch.hlc!r}") from exc

    def _note_drift(self, st: Station, drift: int, *, rejected: bool) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(stations)
                .where(stations.c.station_id == st.station_id)
                .values(
                    clock_drift_ms=drift, rejected_stamps=stations.c.rejected_stamps + int(rejected)
                )
            )

    def _apply_many(self, conn: Connection, st: Station, changes: list[Change]) -> None:
        """Merge a batch into ``records`` with a few bulk statements instead of a few per row.

        Rows are read once (locked), merged in memory in seq order, and written back with
        executemany; only shared records (faults) append to a feed, one row each.
        """
        current: dict[tuple[str, str], merge.State] = {}
        existing: set[tuple[str, str]] = set()
        by_entity: dict[str, set[str]] = {}
        for ch in changes:
            by_entity.setdefault(ch.entity, set()).add(ch.entity_id)
        for entity, ids in by_entity.items():
            id_list = sorted(ids)
            for i in range(0, len(id_list), 500):
                rows = conn.execute(
                    select(records.c.entity_id, records.c.owner, records.c.state)
                    .where(
                        and_(
                            records.c.entity == entity,
                            records.c.entity_id.in_(id_list[i : i + 500]),
                        )
                    )
                    .with_for_update()
                ).all()
                for entity_id, owner, state in rows:
                    if owner != st.station_id:
                        raise HubReject(
                            403, "not_owner", f"{entity} {entity_id} belongs to another station"
                        )
                    current[(entity, entity_id)] = merge.state_from_json(state)
                    existing.add((entity, entity_id))
        feed = station_feed(st.station_id)
        history: list[dict[str, Any]] = []
        touched: dict[tuple[str, str], None] = {}
        now = now_iso()
        for ch in changes:
            if (
                ch.entity == "fault"
                and "status" in ch.fields
                and merge.status_rank(ch.fields["status"]) < 0
            ):
                raise HubReject(422, "bad_status", f"unknown fault status {ch.fields['status']!r}")
            key = (ch.entity, ch.entity_id)
            incoming = merge.change_to_state(
                {k: v for k, v in ch.fields.items() if k != STAMPS}, ch.hlc, ch.op
            )
            merged, losers = merge.merge_states(ch.entity, current.get(key, {}), incoming)
            current[key] = merged
            touched[key] = None
            history.extend(
                {
                    "district_id": st.district_id,
                    "entity": ch.entity,
                    "entity_id": ch.entity_id,
                    "field": lost.field,
                    "value": json.dumps(lost.value, ensure_ascii=False, default=str),
                    "hlc": lost.hlc,
                    "recorded_at": now,
                }
                for lost in losers
            )
            if ch.entity in SHARED:
                self._append(conn, st.district_id, feed, ch.entity, ch.entity_id, merged)
        if history:
            _insert_rows(conn, record_history, history)
        inserts, updates = [], []
        for key in touched:
            state = current[key]
            row = {
                "state": merge.state_to_json(state),
                "hlc": merge.latest_hlc(state),
                "deleted": merge.is_deleted(state),
                "updated_at": now,
            }
            if key in existing:
                updates.append({"k_entity": key[0], "k_id": key[1], **row})
            else:
                inserts.append(
                    {
                        "district_id": st.district_id,
                        "entity": key[0],
                        "entity_id": key[1],
                        "owner": st.station_id,
                        "feed": feed,
                        **row,
                    }
                )
        if inserts:
            _insert_rows(conn, records, inserts)
        if updates:
            conn.execute(
                update(records)
                .where(
                    and_(
                        records.c.entity == bindparam("k_entity"),
                        records.c.entity_id == bindparam("k_id"),
                    )
                )
                .values(
                    state=bindparam("state"),
                    hlc=bindparam("hlc"),
                    deleted=bindparam("deleted"),
                    updated_at=bindparam("updated_at"),
                ),
                updates,
            )

    def _store(
        self,
        conn: Connection,
        district: str,
        entity: str,
        entity_id: str,
        owner: str,
        feed: str,
        current: merge.State,
        incoming: merge.State,
        *,
        exists: bool,
    ) -> merge.State:
        merged, losers = merge.merge_states(entity, current, incoming)
        if losers:
            conn.execute(
                insert(record_history),
                [
                    {
                        "district_id": district,
                        "entity": entity,
                        "entity_id": entity_id,
                        "field": lost.field,
                        "value": json.dumps(lost.value, ensure_ascii=False, default=str),
                        "hlc": lost.hlc,
                        "recorded_at": now_iso(),
                    }
                    for lost in losers
                ],
            )
        values = {
            "state": merge.state_to_json(merged),
            "hlc": merge.latest_hlc(merged),
            "deleted": merge.is_deleted(merged),
            "updated_at": now_iso(),
        }
        if exists:
            conn.execute(
                update(records)
                .where(and_(records.c.entity == entity, records.c.entity_id == entity_id))
                .values(**values)
            )
        else:
            conn.execute(
                insert(records).values(
                    district_id=district,
                    entity=entity,
                    entity_id=entity_id,
                    owner=owner,
                    feed=feed,
                    **values,
                )
            )
        if entity in SHARED or entity in HUB_OWNED:
            self._append(conn, district, feed, entity, entity_id, merged)
        return merged

    def _append(
        self,
        conn: Connection,
        district: str,
        feed: str,
        entity: str,
        entity_id: str,
        state: merge.State,
    ) -> None:
        seq = conn.execute(
            update(feeds)
            .where(feeds.c.feed == feed)
            .values(last_seq=feeds.c.last_seq + 1)
            .returning(feeds.c.last_seq)
        ).scalar()
        if seq is None:
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(feeds).values(
                            district_id=district, feed=feed, last_seq=1, floor_seq=0
                        )
                    )
                seq = 1
            except IntegrityError:  # created meanwhile by another writer
                seq = conn.execute(
                    update(feeds)
                    .where(feeds.c.feed == feed)
                    .values(last_seq=feeds.c.last_seq + 1)
                    .returning(feeds.c.last_seq)
                ).scalar_one()
        fields = _feed_fields(entity, state)
        conn.execute(
            insert(feed_rows).values(
                district_id=district,
                feed=feed,
                seq=seq,
                entity=entity,
                entity_id=entity_id,
                op="delete" if merge.is_deleted(state) else "upsert",
                fields=json.dumps(fields, ensure_ascii=False, default=str),
                hlc=merge.latest_hlc(state),
                created_at=now_iso(),
            )
        )

    # -- hub-side writes (command centre) --------------------------------------------------

    def publish(
        self,
        district: str,
        entity: str,
        entity_id: str,
        fields: dict[str, Any],
        *,
        station_id: str | None = None,
        op: str = "upsert",
    ) -> str:
        """Create or change a hub-owned record, or a fault's fields, from the hub side."""
        if entity not in HUB_OWNED and entity not in SHARED:
            raise HubReject(422, "not_hub_entity", f"the hub does not edit {entity} records")
        with self.engine.begin() as conn:
            row = conn.execute(
                select(records.c.owner, records.c.state, records.c.feed)
                .where(and_(records.c.entity == entity, records.c.entity_id == entity_id))
                .with_for_update()
            ).first()
            if row is not None:
                owner, feed = row[0], row[2]
            elif entity in SHARED:
                raise HubReject(404, "not_found", f"no {entity} {entity_id}")
            elif entity == "instruction":
                if not station_id:
                    raise HubReject(422, "no_station", "an instruction needs a station")
                owner, feed = HUB, station_feed(station_id)
            else:
                owner, feed = HUB, district_feed(district)
            with self._clock_lock:
                stamp = self._tick(conn, district)
            current = merge.state_from_json(row[1]) if row else {}
            incoming = merge.change_to_state(fields, stamp, op)
            self._store(
                conn,
                district,
                entity,
                entity_id,
                owner,
                feed,
                current,
                incoming,
                exists=row is not None,
            )
        return stamp

    # -- pull ------------------------------------------------------------------------------

    def _authorize_feed(self, st: Station, feed: str) -> None:
        if feed not in (station_feed(st.station_id), district_feed(st.district_id)):
            raise HubReject(403, "forbidden_feed", "a station may read only its own feeds")

    def pull(self, st: Station, feed: str, cursor: int, limit: int) -> PullResponse:
        self._authorize_feed(st, feed)
        with self.engine.connect() as conn:
            meta = conn.execute(
                select(feeds.c.last_seq, feeds.c.floor_seq).where(feeds.c.feed == feed)
            ).first()
            last, floor = (int(meta[0]), int(meta[1])) if meta else (0, 0)
            stamp = self.clock.last.encode()
            if cursor > last or cursor < floor:
                return PullResponse(feed, cursor, [], True, False, stamp)
            rows = conn.execute(
                select(
                    feed_rows.c.seq,
                    feed_rows.c.entity,
                    feed_rows.c.entity_id,
                    feed_rows.c.op,
                    feed_rows.c.fields,
                    feed_rows.c.hlc,
                )
                .where(and_(feed_rows.c.feed == feed, feed_rows.c.seq > cursor))
                .order_by(feed_rows.c.seq)
                .limit(limit)
            ).all()
        changes = [FeedChange(int(r[0]), r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]
        new_cursor = changes[-1].seq if changes else cursor
        return PullResponse(feed, new_cursor, changes, False, new_cursor < last, stamp)

    def snapshot(self, st: Station, feed: str) -> PullResponse:
        """Every live hub-edited record of the feed, and the cursor it is valid at."""
        self._authorize_feed(st, feed)
        with self.engine.begin() as conn:  # one transaction: records and cursor agree
            last = conn.execute(select(feeds.c.last_seq).where(feeds.c.feed == feed)).scalar()
            rows = conn.execute(
                select(records.c.entity, records.c.entity_id, records.c.state).where(
                    and_(records.c.feed == feed, records.c.entity.in_(sorted(HUB_OWNED | SHARED)))
                )
            ).all()
        cursor = int(last or 0)
        changes = []
        for r in rows:
            state = merge.state_from_json(r[2])
            changes.append(
                FeedChange(
                    cursor,
                    r[0],
                    r[1],
                    "delete" if merge.is_deleted(state) else "upsert",
                    _feed_fields(r[0], state),
                    merge.latest_hlc(state),
                )
            )
        return PullResponse(feed, cursor, changes, False, False, self.clock.last.encode())

    def prune_feed(self, feed: str, up_to_seq: int) -> None:
        """Forget feed rows up to ``up_to_seq``; cursors older than that must resync."""
        with self.engine.begin() as conn:
            conn.execute(
                feed_rows.delete().where(
                    and_(feed_rows.c.feed == feed, feed_rows.c.seq <= up_to_seq)
                )
            )
            conn.execute(update(feeds).where(feeds.c.feed == feed).values(floor_seq=up_to_seq))


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows in one executemany (batched into multi-row INSERTs on PostgreSQL by
    the engine's insertmanyvalues, see ``hub.schema.make_engine``)."""
    conn.execute(insert(table), rows)


def _feed_fields(entity: str, state: merge.State) -> dict[str, Any]:
    fields = merge.values(state)
    if entity in SHARED:
        fields[STAMPS] = {k: fv.hlc for k, fv in state.items()}
    return fields
