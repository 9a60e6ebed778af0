"""The hub's tables, in portable SQLAlchemy Core (SQLite embedded, PostgreSQL by URL).

Every table carries ``district_id`` so a city can shard by district later.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)

metadata = MetaData()

ID = String(64)

stations = Table(
    "stations",
    metadata,
    Column("district_id", ID, nullable=False),
    Column("station_id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
    Column("last_sync_at", String(40)),
    Column("clock_drift_ms", BigInteger, nullable=False, default=0),
    Column("rejected_stamps", Integer, nullable=False, default=0),
    Column("reported_backlog", BigInteger, nullable=False, default=0),
)

epochs = Table(
    "epochs",
    metadata,
    Column("district_id", ID, nullable=False),
    Column("station_id", ID, primary_key=True),
    Column("epoch", ID, primary_key=True),
    Column("base_seq", BigInteger, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("created_at", String(40), nullable=False),
)

# One row per applied outbox change: the replay key (station, epoch, seq) and its op id.
applied_ops = Table(
    "applied_ops",
    metadata,
    Column("district_id", ID, nullable=False),
    Column("station_id", ID, primary_key=True),
    Column("epoch", ID, primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("op_id", String(64), nullable=False),
)

# Current state of every synced record: a merge state (field -> [value, hlc]).
records = Table(
    "records",
    metadata,
    Column("district_id", ID, nullable=False),
    Column("entity", String(32), primary_key=True),
    Column("entity_id", String(128), primary_key=True),
    Column("owner", ID, nullable=False),  # a station id, or "hub"
    Column("feed", String(80), nullable=False),
    Column("state", Text, nullable=False),
    Column("hlc", String(128), nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("updated_at", String(40), nullable=False),
)

record_history = Table(
    "record_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("district_id", ID, nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(128), nullable=False),
    Column("field", String(128), nullable=False),
    Column("value", Text, nullable=False),
    Column("hlc", String(128), nullable=False),
    Column("recorded_at", String(40), nullable=False),
)

# Feed counters: seq is taken by UPDATE ... RETURNING inside the writing transaction, so the
# row lock makes commit order equal seq order. Rows at or below floor_seq were pruned.
feeds = Table(
    "feeds",
    metadata,
    Column("district_id", ID, nullable=False),
    Column("feed", String(80), primary_key=True),
    Column("last_seq", BigInteger, nullable=False, default=0),
    Column("floor_seq", BigInteger, nullable=False, default=0),
)

feed_rows = Table(
    "feed_rows",
    metadata,
    Column("district_id", ID, nullable=False),
    Column("feed", String(80), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(128), nullable=False),
    Column("op", String(10), nullable=False),
    Column("fields", Text, nullable=False),
    Column("hlc", String(128), nullable=False),
    Column("created_at", String(40), nullable=False),
)

# Photos attached to bulletins at the command centre; stations fetch them on request.
media = Table(
    "media",
    metadata,
    Column("district_id", ID, nullable=False),
    Column("media_id", ID, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("content_type", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", String(40), nullable=False),
)

hub_state = Table(
    "hub_state",
    metadata,
    Column("district_id", ID, primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is switched off so "begin" below can take the
    # write lock up front: a deferred transaction that upgrades later fails with BUSY.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA busy_timeout = 30000")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a bare path means a SQLite file."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        # As many connections as the ASGI threadpool has threads (40), so a burst of requests
        # waits for a thread, never for a connection (which would time out as a 500).
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30)
        # Batch executemany INSERTs into multi-row statements (one round trip per page,
        # not per row) also without RETURNING: pushes of big batches are several times faster.
        engine.dialect.use_insertmanyvalues_wo_returning = True
    metadata.create_all(engine)
    return engine
