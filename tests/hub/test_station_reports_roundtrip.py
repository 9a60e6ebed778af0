"""What a station reports of its duty through a real hub: the duty log and the shift's patrol
coverage go up when the officer signs out, the day's camera health with the hour's first
health batch, and the command-centre page shows them under the station.

The station is a real one (``open_station``: its duty and patrol services, its own outbox and
clock) configured for the hub process on loopback, as ``station-console sync`` would be.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, select

from drivers.hub_client import HttpHubTransport
from hub.schema import records
from hub.web import _render
from station_console.health.model import CameraState
from station_console.health.store import CheckRecord
from station_console.services.patrol import PlanStep
from station_console.services.permissions import Role
from station_console.station import open_station
from station_console.sync.cli import configure
from station_console.sync.engine import SyncEngine
from station_console.sync.local import requeue_all
from tests.conftest import ADMIN_PASSWORD

ENTITIES = ["duty_log", "patrol_log", "health_rollup"]


def test_handover_patrol_and_health_reach_the_command_centre(hub_process, tmp_path) -> None:
    district = f"district-duty-{uuid.uuid4().hex[:6]}"
    station_id, token = hub_process.hub.add_station("城关派出所", district)
    st = open_station(tmp_path / "data", use_keyring=False)
    try:
        configure(st.db, hub_url=hub_process.url, token=token, station_id=station_id)
        st.accounts.create_first_admin("admin", "管理员", ADMIN_PASSWORD)
        st.accounts.sign_in("admin", ADMIN_PASSWORD)
        cams = [st.inventory.add_camera({"name": f"东门{i}", "kind": "bullet"}).id for i in (1, 2)]
        st.patrol.save_plan("夜间重点部位", [PlanStep(camera_id=c) for c in cams], dwell_s=3)
        st.accounts.create_user("zhang", "张警官", Role.DUTY_OFFICER, "password-123")
        st.accounts.sign_in("zhang", "password-123")
        shift = st.duty.start()
        start = datetime.now(UTC) - timedelta(hours=8)
        with st.db.write() as conn:  # an eight-hour night shift; one camera watched in it
            conn.execute("UPDATE duty_shifts SET started_at = ?", (start.isoformat(),))
            conn.execute(
                "INSERT INTO camera_views(camera_id, username, started_at, heartbeat_at, "
                "ended_at, seconds, tiles_on_wall, stream) VALUES (?, 'zhang', ?, ?, ?, 60, 4, "
                "'sub')",
                (cams[0], start.isoformat(), (start + timedelta(minutes=1)).isoformat(),
                 (start + timedelta(minutes=1)).isoformat()),
            )  # fmt: skip
        st.duty.end("夜班平稳，东门2画面未巡。")
        now = time.time()
        st.health.store.record(
            CheckRecord(c, now, c == cams[0], CameraState.ONLINE if c == cams[0] else
                        CameraState.OFFLINE, "", "", None, None)
            for c in cams
        )  # fmt: skip

        engine = SyncEngine(
            st.db, HttpHubTransport(hub_process.url, token), st.clock, station_id=station_id
        )
        try:
            status = engine.sync_once()
            assert status.link == "ok" and status.backlog == 0, status.error
            hub = hub_process.hub
            duty_id = f"{st.epoch}:shift:{shift.id}"
            with hub.engine.connect() as conn:
                got = {
                    (r.entity, r.entity_id): (r.owner, json.loads(r.state))
                    for r in conn.execute(
                        select(records.c.entity, records.c.entity_id, records.c.owner,
                               records.c.state).where(
                            and_(records.c.district_id == district,
                                 records.c.entity.in_(ENTITIES))
                        )
                    )
                }  # fmt: skip
            today = time.strftime("%Y-%m-%d", time.gmtime(now))
            assert sorted(got) == [
                ("duty_log", duty_id),
                ("health_rollup", f"{st.epoch}:health:{today}"),
                ("patrol_log", f"{duty_id}:plan:{st.patrol.plans()[0].id}"),
            ]
            owner, duty = got[("duty_log", duty_id)]
            assert owner == station_id
            assert duty["officer_name"][0] == "张警官" and "username" not in duty

            page = _render(hub, district)
            section = page.split("<h2>值班交接与网上巡控</h2>", 1)[1].split("<h2>", 1)[0]
            assert "城关派出所" in section and "张警官" in section
            assert "夜间重点部位 1/2（漏巡 1 路）" in section
            assert "夜班平稳，东门2画面未巡。" in section
            assert "辖区摄像机在线率：50.0%（1 个派出所上报）" in page
            assert f"50.0%（{today}） <span class='bad'>离线 1 路</span>" in page

            # A full resync (say, after a restore) sends the same records again: the hub
            # takes them as the same records, not new ones.
            with st.db.write() as conn:
                assert requeue_all(conn, st.outbox) > 0
            assert engine.sync_once().backlog == 0
            with hub.engine.connect() as conn:
                count = conn.execute(
                    select(records.c.entity_id).where(
                        and_(records.c.district_id == district,
                             records.c.entity.in_(ENTITIES))
                    )
                ).all()  # fmt: skip
            assert len(count) == 3
        finally:
            engine.transport.close()
    finally:
        st.close()
