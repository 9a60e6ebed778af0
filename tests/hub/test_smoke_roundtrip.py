"""Push/pull round trip against a real hub process."""

from __future__ import annotations

import json

from sqlalchemy import select

from hub.schema import applied_ops, records


def test_push_pull_round_trip(hub_process, make_station) -> None:
    st = make_station("roundtrip")
    ids = [st.add_site() for _ in range(7)]
    st.rename_site(ids[0], "renamed")
    st.delete_site(ids[1])
    engine = st.engine(batch_size=3)
    status = engine.sync_once()
    assert status.link == "ok", status.error
    assert status.backlog == 0
    assert status.pushed == 9
    hub = hub_process.hub
    with hub.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.entity_id, records.c.state, records.c.deleted).where(
                records.c.owner == st.station_id
            )
        ).all()
        ops = (
            conn.execute(
                select(applied_ops.c.op_id).where(applied_ops.c.station_id == st.station_id)
            )
            .scalars()
            .all()
        )
    by_id = {r[0]: (json.loads(r[1]), r[2]) for r in rows}
    assert set(by_id) == set(ids)
    assert by_id[ids[0]][0]["name"][0] == "renamed"
    assert by_id[ids[1]][1] is True
    outbox_ops = [r[0] for r in st.db.query("SELECT op_id FROM outbox ORDER BY seq")]
    assert sorted(ops) == sorted(outbox_ops)

    hub.publish(
        "district-1",
        "instruction",
        "ins-rt-1",
        {"title": "巡逻加强", "body": "今晚加强巡逻", "priority": "urgent"},
        station_id=st.station_id,
    )
    hub.publish("district-1", "bulletin", "bul-rt-1", {"title": "通报", "body": "内容"})
    status = engine.sync_once()
    assert status.link == "ok", status.error
    ins = st.db.query("SELECT title, priority FROM hub_instructions WHERE id = 'ins-rt-1'")
    assert [tuple(r) for r in ins] == [("巡逻加强", "urgent")]
    assert st.db.scalar("SELECT count(*) FROM hub_bulletins WHERE id = 'bul-rt-1'") == 1
    engine.transport.close()
