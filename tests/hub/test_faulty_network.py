"""Sync through a proxy that resets and drops: every change takes effect exactly once."""

from __future__ import annotations

from sqlalchemy import select

from drivers.hub_client import HttpHubTransport
from hub.schema import applied_ops
from tests.hub.faulty_proxy import FaultyProxy
from tests.hub.test_engine import hub_names, local_names


def test_exactly_once_through_drops_and_resets(hub_process, make_station) -> None:
    st = make_station("lossy")
    port = int(hub_process.url.rsplit(":", 1)[1])
    proxy = FaultyProxy(port, seed=7).start()
    try:
        transport = HttpHubTransport(f"http://127.0.0.1:{proxy.port}", st.token, timeout=5)
        engine = st.engine(batch_size=4, pull_limit=3, transport=transport)
        published = set()
        for round_ in range(5):
            for _ in range(6):
                st.add_site()
            for i in range(4):
                ins = f"lossy-{st.station_id}-{round_}-{i}"
                hub_process.hub.publish(
                    "district-1", "instruction", ins, {"title": ins}, station_id=st.station_id
                )
                published.add(ins)
            for _ in range(200):
                status = engine.sync_once()
                if status.link == "ok":
                    break
                assert status.error_kind in ("unreachable", "timeout"), status.error
            assert status.link == "ok"
        assert proxy.faults["reset"] > 0 and proxy.faults["drop_reply"] > 0, proxy.faults
    finally:
        proxy.stop()
    with hub_process.hub.engine.connect() as conn:
        hub_ops = (
            conn.execute(
                select(applied_ops.c.op_id).where(applied_ops.c.station_id == st.station_id)
            )
            .scalars()
            .all()
        )
    outbox_ops = [r[0] for r in st.db.query("SELECT op_id FROM outbox")]
    assert sorted(hub_ops) == sorted(outbox_ops)
    assert hub_names(hub_process, st.station_id) == local_names(st)
    assert {r[0] for r in st.db.query("SELECT id FROM hub_instructions")} == published
