"""An incident report through a real hub: pushed, answered with a linked instruction, pulled.

The station side is the real incident service on the fixture's database; the hub is the
real process. Queued before the sync, sent after it; the command centre's instruction for
the incident acknowledges the report and marks the dispatch.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import and_, select

from hub.schema import records
from station_console.incidents import Category, IncidentService, Priority, ReportStatus, State
from station_console.services.audit import AuditLog
from station_console.services.permissions import Officer, Role, Session


def test_incident_report_round_trip(hub_process, make_station) -> None:
    st = make_station("incidents")
    session = Session()
    session.sign_in(Officer(1, "wang", "王警官", Role.DUTY_OFFICER))
    service = IncidentService(st.db, AuditLog(st.db), session, st.outbox, st.data_dir / "media")
    inc = service.capture("cam-1", datetime.now(UTC))
    service.report(inc.id, Category.SUSPICIOUS_VEHICLE, Priority.URGENT, "白色面包车")
    assert service.incident(inc.id).report_status is ReportStatus.QUEUED

    engine = st.engine()
    status = engine.sync_once()
    assert status.link == "ok", status.error
    assert service.incident(inc.id).report_status is ReportStatus.SENT
    hub = hub_process.hub
    with hub.engine.connect() as conn:
        state = conn.execute(
            select(records.c.state).where(
                and_(records.c.entity == "incident", records.c.entity_id == inc.id)
            )
        ).scalar_one()
    fields = {k: v[0] for k, v in json.loads(state).items()}
    assert fields["category"] == "suspicious_vehicle" and fields["title"].startswith(inc.number)
    assert "officer" not in fields and fields["officer_name"] == "王警官"

    hub.publish(
        "district-1", "instruction", "ins-inc-1",
        {"title": "设卡拦截", "body": "东门外", "incident_id": inc.id,
         "issued_at": datetime.now(UTC).isoformat()},
        station_id=st.station_id,
    )  # fmt: skip
    assert engine.sync_once().link == "ok"
    assert service.apply_hub_answers() == 1
    done = service.incident(inc.id)
    assert done.report_status is ReportStatus.ACKNOWLEDGED and done.state is State.DISPATCHED
    (pending,) = service.instructions(pending_only=True)
    assert pending.incident_id == inc.id
    service.acknowledge_instruction(pending.id)
    assert engine.sync_once().backlog == 0  # the dispatch and the acknowledgement went up
    engine.transport.close()
