"""The station sync engine against the real hub, and against the in-memory fake."""

from __future__ import annotations

import json
import shutil

from sqlalchemy import select

from hub.schema import applied_ops, record_history, records
from station_console.storage.database import Database
from station_console.storage.migrations import migrate
from station_console.sync.engine import SyncEngine
from station_console.sync.hlc import Hlc, HybridClock
from station_console.sync.local import record_fault_change
from station_console.sync.transport import FakeHubTransport


def hub_names(hub_process, station_id: str) -> dict[str, str]:
    with hub_process.hub.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.entity_id, records.c.state, records.c.deleted).where(
                records.c.owner == station_id
            )
        ).all()
    return {r[0]: json.loads(r[1])["name"][0] for r in rows if not r[2]}


def local_names(st) -> dict[str, str]:
    return {r[0]: r[1] for r in st.db.query("SELECT id, name FROM sites")}


def test_unknown_epoch_triggers_full_resync(hub_process, make_station) -> None:
    st = make_station("resync")
    ids = [st.add_site() for _ in range(4)]
    engine = st.engine()
    assert engine.sync_once().link == "ok"
    # The hub "forgets" the epoch (restored from an old backup): pretend we already said hello.
    with st.db.write() as conn:
        conn.execute("UPDATE sync_state SET value = 'forgotten' WHERE key = 'epoch'")
        conn.execute("UPDATE sync_state SET value = 'forgotten' WHERE key = 'epoch_hello'")
    st.rename_site(ids[0], "after-restore")
    status = engine.sync_once()
    assert status.link == "ok", status.error
    assert st.state("epoch") not in ("forgotten", None)
    assert hub_names(hub_process, st.station_id) == local_names(st)


def test_restored_station_backup_is_a_conflict(hub_process, make_station, tmp_path) -> None:
    st = make_station("restore")
    st.add_site()
    engine = st.engine()
    assert engine.sync_once().link == "ok"
    backup = tmp_path / "backup.sqlite3"
    st.db.backup_to(backup)
    st.add_site()
    assert engine.sync_once().link == "ok"
    # Restore the backup: the next change reuses seq 2 with a different op id.
    st.db.close()
    shutil.copy(backup, st.data_dir / "station.sqlite3")
    for suffix in ("-wal", "-shm"):
        (st.data_dir / f"station.sqlite3{suffix}").unlink(missing_ok=True)
    st.reopen()
    st.add_site("made-after-restore")
    engine = st.engine()
    status = engine.sync_once()
    assert status.link == "error"
    assert status.error_kind == "seq_conflict"
    assert "already used" in (status.error or "")
    # The officer's remedy: a full resync under a new epoch.
    engine.full_resync()
    assert engine.sync_once().link == "ok"
    assert "made-after-restore" in hub_names(hub_process, st.station_id).values()


def test_clock_jump_back_never_moves_hlc_backwards(hub_process, make_station) -> None:
    now = [1_900_000_000.0]
    st = make_station("clock", wall=lambda: now[0])
    now[0] = __import__("time").time()
    for _ in range(3):
        st.add_site()
    now[0] -= 3600  # the station clock jumps an hour back
    for _ in range(3):
        st.add_site()
    st.reopen()  # a restart after the jump still continues upwards
    st.add_site()
    stamps = [Hlc.decode(r[0]) for r in st.db.query("SELECT hlc FROM outbox ORDER BY seq")]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    engine = st.engine()
    assert engine.sync_once().link == "ok"
    before = st.clock.last
    hub_process.hub.publish(
        "district-1",
        "instruction",
        f"i-clock-{st.station_id}",
        {"title": "x"},
        station_id=st.station_id,
    )
    assert engine.sync_once().link == "ok"
    assert st.clock.last > before  # observed the hub's stamp
    now[0] += 7200  # a clock far in the future is refused, with a clear error
    st.add_site()
    status = engine.sync_once()
    assert status.link == "error" and status.error_kind == "clock_skew"


def test_fault_ticket_merges_both_ways(hub_process, make_station) -> None:
    st = make_station("fault")
    engine = st.engine()
    fid = f"fault-{st.station_id}"
    with st.db.write() as conn:
        record_fault_change(
            conn, st.outbox, fid, {"camera_id": "cam-1", "status": "open", "summary": "黑屏"}
        )
    assert engine.sync_once().link == "ok"
    hub_process.hub.publish(
        "district-1", "fault", fid, {"status": "in_repair", "assignee": "维修队"}
    )
    # Meanwhile the station (not yet synced) moves the status to a lower state.
    with st.db.write() as conn:
        record_fault_change(
            conn, st.outbox, fid, {"status": "owner_notified", "summary": "黑屏，已通知"}
        )
    assert engine.sync_once().link == "ok"
    row = st.db.query_one("SELECT status, summary, state FROM fault_tickets WHERE id = ?", (fid,))
    assert row is not None
    assert row["status"] == "in_repair"
    assert row["summary"] == "黑屏，已通知"
    assert json.loads(row["state"])["assignee"][0] == "维修队"
    with hub_process.hub.engine.connect() as conn:
        hub_state = json.loads(
            conn.execute(select(records.c.state).where(records.c.entity_id == fid)).scalar_one()
        )
        lost = conn.execute(
            select(record_history.c.field, record_history.c.value).where(
                record_history.c.entity_id == fid
            )
        ).all()
    assert hub_state["status"][0] == "in_repair"
    assert hub_state["summary"][0] == "黑屏，已通知"
    assert ("status", '"owner_notified"') in {(r[0], r[1]) for r in lost}
    assert (
        st.db.scalar(
            "SELECT count(*) FROM fault_ticket_history WHERE fault_id = ? AND field = 'status'",
            (fid,),
        )
        >= 1
    )


def test_expired_cursor_takes_a_snapshot(hub_process, make_station) -> None:
    st = make_station("snap")
    engine = st.engine(pull_limit=2)
    feed = f"station:{st.station_id}"
    for i in range(3):
        hub_process.hub.publish(
            "district-1",
            "instruction",
            f"s-{st.station_id}-{i}",
            {"title": f"t{i}"},
            station_id=st.station_id,
        )
    assert engine.sync_once().link == "ok"
    # Hub deletes one, adds two, and prunes its log past the station's cursor.
    hub_process.hub.publish("district-1", "instruction", f"s-{st.station_id}-0", {}, op="delete")
    for i in (3, 4):
        hub_process.hub.publish(
            "district-1",
            "instruction",
            f"s-{st.station_id}-{i}",
            {"title": f"t{i}"},
            station_id=st.station_id,
        )
    hub_process.hub.prune_feed(feed, 5)
    assert engine.sync_once().link == "ok"
    live = {r[0] for r in st.db.query("SELECT id FROM hub_instructions WHERE deleted = 0")}
    assert live == {f"s-{st.station_id}-{i}" for i in (1, 2, 3, 4)}
    assert st.state(f"cursor:{feed}") == "6"


def test_engine_with_fake_hub_offline_and_lost_reply(tmp_path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    migrate(db)
    try:
        fake = FakeHubTransport("st-1")
        clock = HybridClock("st-1")
        engine = SyncEngine(db, fake, clock, station_id="st-1", batch_size=2)
        from station_console.sync.outbox import Outbox

        out = Outbox(clock)
        with db.write() as conn:
            for i in range(5):
                out.record(conn, "site", f"s{i}", {"name": f"n{i}"})
        fake.unreachable = True
        status = engine.sync_once()
        assert status.link == "offline" and status.backlog == 5 and status.retry_in_s > 0
        fake.unreachable = False
        fake.lose_reply = True  # the hub commits but the answer never arrives
        assert engine.sync_once().link == "offline"
        fake.lose_reply = False
        status = engine.sync_once()
        assert status.link == "ok" and status.backlog == 0 and status.retry_in_s == 0
        assert sorted(fake.epochs[next(iter(fake.epochs))].ops) == [1, 2, 3, 4, 5]
        fake.auth_fail = True
        assert engine.sync_once().error_kind == "auth_failed"
        fake.auth_fail = False
        fake.publish("district:d-1", "bulletin", "b1", {"title": "通报"}, "000000000000001-0-hub")
        assert engine.sync_once().pulled == 1
        assert db.scalar("SELECT title FROM hub_bulletins WHERE id = 'b1'") == "通报"
    finally:
        db.close()


def test_hub_behind_station_resends_from_where_it_asks(hub_process, make_station) -> None:
    from sqlalchemy import and_, delete, update

    from hub.schema import epochs

    st = make_station("behind")
    for _ in range(6):
        st.add_site()
    engine = st.engine()
    assert engine.sync_once().link == "ok"
    # The hub was restored from a backup taken after seq 3.
    with hub_process.hub.engine.begin() as conn:
        conn.execute(update(epochs).where(epochs.c.station_id == st.station_id).values(last_seq=3))
        conn.execute(
            delete(applied_ops).where(
                and_(applied_ops.c.station_id == st.station_id, applied_ops.c.seq > 3)
            )
        )
    st.add_site()
    status = engine.sync_once()
    assert status.link == "ok", status.error
    assert status.pushed == 4  # seqs 4..7
    with hub_process.hub.engine.connect() as conn:
        seqs = (
            conn.execute(
                select(applied_ops.c.seq)
                .where(applied_ops.c.station_id == st.station_id)
                .order_by(applied_ops.c.seq)
            )
            .scalars()
            .all()
        )
    assert seqs == list(range(1, 8))
