"""The query plans of what a service reads: tests that a list or report stays an index read
when the station holds years of history (the sizes are in ``bench/storage.py``; the tests
never time anything).

SQLite plans without statistics here (the console never runs ANALYZE), the same way on a
test database as on a station's, so the plan of a statement on a small database is the plan
it gets on a large one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from station_console.station import Station


@contextlib.contextmanager
def reads(st: Station, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """Every statement the station's services read with inside the block, with its params."""
    seen: list[tuple[str, Any]] = []
    query = st.db.query

    def recording(sql: str, params: Any = ()) -> Any:
        seen.append((sql, params))
        return query(sql, params)

    with monkeypatch.context() as m:
        m.setattr(st.db, "query", recording)
        yield seen


def plan(st: Station, sql: str, params: Any = ()) -> str:
    """``EXPLAIN QUERY PLAN`` of one statement, one step a line."""
    with st.db.reading() as conn:
        return "\n".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


def plans(st: Station, statements: list[tuple[str, Any]], table: str) -> list[str]:
    """The plans of the statements that read ``table``."""
    return [plan(st, sql, p) for sql, p in statements if f" {table}" in sql]
