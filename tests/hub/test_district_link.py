"""The demo's district link (simulator.link) between a station and a real hub process: cut
it while changes are made, they wait in the outbox and the status says the hub is
unreachable; restore it and the backlog drains to the hub."""

from __future__ import annotations

import subprocess
import sys

from drivers.hub_client import HttpHubTransport
from simulator.control import set_link
from simulator.precinct import Precinct
from tests.hub.test_engine import hub_names, local_names


def test_cut_link_keeps_changes_and_the_backlog_drains_when_it_is_back(
    hub_process, make_station
) -> None:
    port = int(hub_process.url.rsplit(":", 1)[1])
    with Precinct(1, link_to=port, control_port=0) as precinct:
        st = make_station("linked")
        url = f"http://127.0.0.1:{precinct.link.port}"
        engine = st.engine(transport=HttpHubTransport(url, st.token, timeout=5))
        st.add_site("before-the-cut")
        assert engine.sync_once().link == "ok"

        cli = [sys.executable, "-m", "simulator", "link", "down"]
        cli += ["--control-port", str(precinct.control_port)]
        assert (
            '"up": false' in subprocess.run(cli, check=True, capture_output=True, text=True).stdout
        )
        made = [st.add_site(f"during-the-cut-{i}") for i in range(3)]
        status = engine.sync_once()
        assert status.link == "offline", status
        assert status.backlog == 3
        assert not set(made) & set(hub_names(hub_process, st.station_id))

        assert set_link(True, port=int(precinct.control_port))["up"]
        status = engine.sync_once()
        assert status.link == "ok", status.error
        assert status.backlog == 0
        assert hub_names(hub_process, st.station_id) == local_names(st)
