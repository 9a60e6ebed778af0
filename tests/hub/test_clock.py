"""Station clocks off by ±1 h and ±1 day, and jumping back (targets.md R3).

HLC stamps never go backwards, at the station (across restarts) or at the hub; a station
whose clock runs ahead is refused by the hub, which records the drift and shows it on the
command-centre page, so a future-dated edit never wins; a station whose clock runs behind
still syncs, and its edits made after it saw a hub edit still come after that edit.
"""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select

from hub.schema import records, stations
from hub.store import Hub
from hub.web import _render
from station_console.sync.hlc import Hlc
from station_console.sync.local import record_fault_change

HOUR = 3600.0
DAY = 86400.0


class Wall:
    """A settable station clock: real time plus an offset."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def _stamps(st) -> list[Hlc]:
    return [Hlc.decode(r[0]) for r in st.db.query("SELECT hlc FROM outbox ORDER BY seq")]


def _hub_fault(hub, fid: str) -> dict:
    with hub.engine.connect() as conn:
        state = conn.execute(select(records.c.state).where(records.c.entity_id == fid)).scalar()
    return json.loads(state)


def _edit_fault(st, fid: str, **fields) -> None:
    with st.db.write() as conn:
        record_fault_change(conn, st.outbox, fid, fields)


@pytest.mark.parametrize("ahead", [HOUR, DAY], ids=["1h", "1day"])
def test_station_clock_ahead_is_refused_and_reported(hub_process, make_station, ahead) -> None:
    wall = Wall()
    st = make_station(f"ahead-{int(ahead)}", wall=wall)
    engine = st.engine()
    fid = f"f-{st.station_id}"
    _edit_fault(st, fid, camera_id="c1", status="open", summary="黑屏")
    assert engine.sync_once().link == "ok"
    hub_process.hub.publish("district-1", "fault", fid, {"summary": "分局：已派维修"})

    wall.offset = ahead  # the station clock runs ahead
    _edit_fault(st, fid, summary="来自未来的修改")
    st.add_site("未来的点位")
    status = engine.sync_once()
    assert status.link == "error" and status.error_kind == "clock_skew", status
    assert status.backlog == 2
    # Nothing future-dated reached the hub: the hub's edit still stands.
    assert _hub_fault(hub_process.hub, fid)["summary"][0] == "分局：已派维修"
    with hub_process.hub.engine.connect() as conn:
        drift, rejected = conn.execute(
            select(stations.c.clock_drift_ms, stations.c.rejected_stamps).where(
                stations.c.station_id == st.station_id
            )
        ).one()
    assert drift >= (ahead - 60) * 1000 and rejected >= 1
    # The command centre sees the drift, marked.
    html = _render(hub_process.hub, "district-1")
    row = html[html.index(st.name) :]
    row = row[: row.index("</tr>")]
    assert "class='bad'" in row and f"{drift / 1000:.0f}" in row

    # The station's stamps never went backwards, also across a restart.
    stamps = _stamps(st)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    wall.offset = 0.0  # the clock is fixed; the HLC does not follow it back
    st.reopen()
    st.add_site("修正后的点位")
    later = _stamps(st)
    assert later == sorted(later) and later[-1] > stamps[-1]
    assert later[-1].millis >= stamps[-1].millis  # still ahead of real time: still refused
    assert st.engine().sync_once().error_kind == "clock_skew"


@pytest.mark.parametrize("behind", [HOUR, DAY], ids=["1h", "1day"])
def test_station_clock_behind_still_orders_after_what_it_saw(
    hub_process, make_station, behind
) -> None:
    wall = Wall()
    wall.offset = -behind
    st = make_station(f"behind-{int(behind)}", wall=wall)
    engine = st.engine()
    fid = f"f-{st.station_id}"
    _edit_fault(st, fid, camera_id="c1", status="open", summary="黑屏")
    assert engine.sync_once().link == "ok"
    # The hub reports a clock running behind too (from the wall time the station sends).
    with hub_process.hub.engine.connect() as conn:
        drift = conn.execute(
            select(stations.c.clock_drift_ms).where(stations.c.station_id == st.station_id)
        ).scalar_one()
    assert drift <= -(behind - 60) * 1000
    html = _render(hub_process.hub, "district-1")
    row = html[html.index(st.name) :]
    assert "class='bad'" in row[: row.index("</tr>")]

    # Concurrent edits: the hub's (stamped now) and the station's (stamped a day ago, before
    # it saw the hub's). The hub's wins on both sides; the station's value is kept in history.
    hub_process.hub.publish("district-1", "fault", fid, {"summary": "分局的说明"})
    _edit_fault(st, fid, summary="站内并发修改")
    assert engine.sync_once().link == "ok"
    assert _hub_fault(hub_process.hub, fid)["summary"][0] == "分局的说明"
    local = st.db.scalar("SELECT summary FROM fault_tickets WHERE id = ?", (fid,))
    assert local == "分局的说明"
    kept = st.db.query(
        "SELECT value FROM fault_ticket_history WHERE fault_id = ? AND field = 'summary'", (fid,)
    )
    assert '"站内并发修改"' in {r[0] for r in kept}

    # Having seen the hub's stamp, the station's next edit comes after it, despite its clock.
    seen = st.clock.last
    assert seen.millis >= int(time.time() * 1000) - 60_000  # pulled up to the hub's time
    _edit_fault(st, fid, summary="看过分局说明后的修改")
    assert engine.sync_once().link == "ok"
    assert _hub_fault(hub_process.hub, fid)["summary"][0] == "看过分局说明后的修改"
    stamps = _stamps(st)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_station_clock_jumps_back_a_day(hub_process, make_station) -> None:
    wall = Wall()
    st = make_station("jump-day", wall=wall)
    engine = st.engine()
    for _ in range(3):
        st.add_site()
    assert engine.sync_once().link == "ok"
    wall.offset = -DAY
    for _ in range(3):
        st.add_site()
    st.reopen()
    st.add_site()
    stamps = _stamps(st)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert st.engine().sync_once().link == "ok"


def test_hub_clock_jump_back_keeps_hub_stamps_rising(hub_process) -> None:
    """A hub restarted with its clock a day behind continues from its stored HLC."""
    before = hub_process.hub.publish("district-clock", "bulletin", "clock-b1", {"title": "一"})
    behind = Hub(hub_process.hub.engine, wall=lambda: time.time() - DAY)
    after = behind.publish("district-clock", "bulletin", "clock-b2", {"title": "二"})
    assert Hlc.decode(after) > Hlc.decode(before)
