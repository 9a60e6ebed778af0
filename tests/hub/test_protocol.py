"""The hub's push/pull rules, spoken directly over HTTP to a real hub process."""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import select

from hub.schema import applied_ops, feed_rows, records, stations
from station_console.sync.hlc import Hlc


def _stamp(offset_ms: int = 0, node: str = "t") -> str:
    return Hlc(int(time.time() * 1000) + offset_ms, 0, node).encode()


def change(
    seq: int,
    entity_id: str | None = None,
    *,
    entity: str = "site",
    op: str = "upsert",
    op_id: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "op_id": op_id or str(uuid.uuid4()),
        "entity": entity,
        "entity_id": entity_id or str(uuid.uuid4()),
        "op": op,
        "fields": fields or {"name": f"n{seq}"},
        "hlc": _stamp(),
    }


def setup_station(hub_process, make_station, name: str = "p"):
    st = make_station(name)
    client = hub_process.client(st.token)
    epoch = str(uuid.uuid4())
    r = client.post(
        "/v1/sync/hello", json={"station_id": st.station_id, "epoch": epoch, "base_seq": 0}
    )
    assert r.status_code == 200, r.text
    return st, client, epoch


def push(client, st, epoch, changes):
    return client.post(
        "/v1/sync/push", json={"station_id": st.station_id, "epoch": epoch, "changes": changes}
    )


def count_ops(hub_process, st) -> int:
    with hub_process.hub.engine.connect() as conn:
        return len(
            conn.execute(
                select(applied_ops.c.seq).where(applied_ops.c.station_id == st.station_id)
            ).all()
        )


def test_replay_changes_nothing(hub_process, make_station) -> None:
    st, client, epoch = setup_station(hub_process, make_station)
    batch = [change(i) for i in range(1, 6)]
    first = push(client, st, epoch, batch)
    assert first.status_code == 200 and first.json()["acked_seq"] == 5
    with hub_process.hub.engine.connect() as conn:
        before = conn.execute(select(records).where(records.c.owner == st.station_id)).all()
    again = push(client, st, epoch, batch)
    assert again.status_code == 200 and again.json()["acked_seq"] == 5
    with hub_process.hub.engine.connect() as conn:
        after = conn.execute(select(records).where(records.c.owner == st.station_id)).all()
    assert before == after
    assert count_ops(hub_process, st) == 5
    # An overlapping batch applies only the new tail.
    overlap = push(client, st, epoch, [*batch[3:], change(6), change(7)])
    assert overlap.json()["acked_seq"] == 7
    assert count_ops(hub_process, st) == 7


def test_reordered_batches_and_gap(hub_process, make_station) -> None:
    st, client, epoch = setup_station(hub_process, make_station)
    b1 = [change(i) for i in (1, 2, 3)]
    b2 = [change(i) for i in (4, 5, 6)]
    r = push(client, st, epoch, b2)
    assert r.status_code == 409
    assert r.json()["detail"]["code"] == "gap"
    assert r.json()["detail"]["resume_from"] == 1
    assert count_ops(hub_process, st) == 0
    # Rows inside a batch may arrive in any order; the hub applies them by seq.
    assert push(client, st, epoch, list(reversed(b1))).json()["acked_seq"] == 3
    assert push(client, st, epoch, b2).json()["acked_seq"] == 6
    # A batch with a hole in it is malformed.
    r = push(client, st, epoch, [change(7), change(9)])
    assert r.status_code == 422 and r.json()["detail"]["code"] == "not_contiguous"


def test_reused_seq_is_a_conflict_not_a_drop(hub_process, make_station) -> None:
    st, client, epoch = setup_station(hub_process, make_station)
    assert push(client, st, epoch, [change(1), change(2)]).status_code == 200
    r = push(client, st, epoch, [change(2), change(3)])
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert detail["code"] == "seq_reused" and detail["seq"] == 2
    assert "already used" in detail["message"]
    assert count_ops(hub_process, st) == 2  # the whole batch was rolled back


def test_unknown_epoch_asks_for_resync(hub_process, make_station) -> None:
    st, client, _epoch = setup_station(hub_process, make_station)
    r = push(client, st, "never-said-hello", [change(1)])
    assert r.status_code == 409 and r.json()["detail"]["code"] == "unknown_epoch"


def test_station_cannot_touch_another_station(hub_process, make_station) -> None:
    a, ca, ea = setup_station(hub_process, make_station, "iso-a")
    b, cb, eb = setup_station(hub_process, make_station, "iso-b")
    shared_id = str(uuid.uuid4())
    assert push(ca, a, ea, [change(1, shared_id)]).status_code == 200
    hub_process.hub.publish(
        "district-1",
        "instruction",
        f"ins-{a.station_id}",
        {"title": "for A only"},
        station_id=a.station_id,
    )
    # B reads A's feed: refused.
    for path in ("/v1/sync/pull", "/v1/sync/snapshot"):
        r = cb.get(path, params={"feed": f"station:{a.station_id}"})
        assert r.status_code == 403, r.text
    # B claims to be A: refused.
    r = cb.post(
        "/v1/sync/push", json={"station_id": a.station_id, "epoch": ea, "changes": [change(2)]}
    )
    assert r.status_code == 403
    r = cb.post("/v1/sync/hello", json={"station_id": a.station_id, "epoch": ea, "base_seq": 0})
    assert r.status_code == 403
    # B edits A's record under its own name: refused, nothing changed.
    r = push(cb, b, eb, [change(1, shared_id, name="hijacked")])
    assert r.status_code == 403 and r.json()["detail"]["code"] == "not_owner"
    with hub_process.hub.engine.connect() as conn:
        state = conn.execute(
            select(records.c.state).where(records.c.entity_id == shared_id)
        ).scalar_one()
    assert "hijacked" not in state
    # B's own feed does not carry A's instruction.
    r = cb.get("/v1/sync/pull", params={"feed": f"station:{b.station_id}"})
    assert r.status_code == 200 and r.json()["changes"] == []
    # No token, wrong token.
    assert hub_process.client().get("/v1/sync/pull", params={"feed": "x"}).status_code == 401
    assert hub_process.client("nope").post("/v1/sync/push", json={}).status_code == 401


def test_hub_owned_entities_cannot_be_pushed(hub_process, make_station) -> None:
    st, client, epoch = setup_station(hub_process, make_station)
    for entity in ("instruction", "bulletin", "district_camera"):
        r = push(client, st, epoch, [change(1, entity=entity)])
        assert r.status_code == 403, r.text
        assert r.json()["detail"]["code"] == "hub_owned"
    r = push(client, st, epoch, [change(1, entity="no_such_thing")])
    assert r.status_code == 422


def test_future_stamp_rejected_and_drift_recorded(hub_process, make_station) -> None:
    st, client, epoch = setup_station(hub_process, make_station)
    ahead = change(1)
    ahead["hlc"] = _stamp(offset_ms=10 * 60 * 1000)
    r = push(client, st, epoch, [ahead])
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail["code"] == "clock_ahead" and "ahead of the hub clock" in detail["message"]
    with hub_process.hub.engine.connect() as conn:
        drift, rejected = conn.execute(
            select(stations.c.clock_drift_ms, stations.c.rejected_stamps).where(
                stations.c.station_id == st.station_id
            )
        ).one()
    assert drift >= 9 * 60 * 1000 and rejected == 1
    # A small skew is fine.
    ok = change(1)
    ok["hlc"] = _stamp(offset_ms=60 * 1000)
    assert push(client, st, epoch, [ok]).status_code == 200


def test_pull_cursor_and_reset(hub_process, make_station) -> None:
    st, client, _epoch = setup_station(hub_process, make_station)
    feed = f"station:{st.station_id}"
    for i in range(5):
        hub_process.hub.publish(
            "district-1",
            "instruction",
            f"ins-{st.station_id}-{i}",
            {"title": f"t{i}"},
            station_id=st.station_id,
        )
    r = client.get("/v1/sync/pull", params={"feed": feed, "cursor": 0, "limit": 2}).json()
    assert [c["seq"] for c in r["changes"]] == [1, 2] and r["more"] and r["cursor"] == 2
    r = client.get("/v1/sync/pull", params={"feed": feed, "cursor": 2, "limit": 10}).json()
    assert [c["seq"] for c in r["changes"]] == [3, 4, 5] and not r["more"]
    # A cursor from the future (hub restored from an older backup): reset.
    r = client.get("/v1/sync/pull", params={"feed": feed, "cursor": 99}).json()
    assert r["reset_required"] is True
    hub_process.hub.prune_feed(feed, 3)
    r = client.get("/v1/sync/pull", params={"feed": feed, "cursor": 1}).json()
    assert r["reset_required"] is True
    snap = client.get("/v1/sync/snapshot", params={"feed": feed}).json()
    assert snap["cursor"] == 5 and len(snap["changes"]) == 5
    with hub_process.hub.engine.connect() as conn:
        left = conn.execute(select(feed_rows.c.seq).where(feed_rows.c.feed == feed)).all()
    assert [r[0] for r in left] == [4, 5]
