"""The console's background sync against a real hub process: changes drain, a dead link is
reported as offline with the backlog kept, and the backlog drains when the hub is back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from station_console.station import Station
from station_console.sync.cli import configure
from tests.hub.conftest import start_hub, stop
from ui.sync_status import SyncController
from ui.tasks import TaskRunner


def register(db_url: str) -> tuple[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "hub", "station", "add", "测试所", "--db", db_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    fields = dict(line.split(": ", 1) for line in out.stdout.splitlines() if ": " in line)
    return fields["station_id"], fields["token"]


def test_sync_controller_reports_link_and_drains_backlog(
    qtbot, station: Station, tasks: TaskRunner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    station_id, token = register(db_url)
    proc, url = start_hub(db_url, tmp_path / "hub.log")
    try:
        configure(station.db, hub_url=url, token=token, station_id=station_id)
        station.inventory.add_site({"name": "东门", "kind": "residential"})
        controller = SyncController(station, tasks, interval_s=3600)
        assert controller.configured
        with qtbot.waitSignal(controller.status_changed, timeout=20_000) as first:
            controller.start()
        assert first.args[0].link == "ok" and first.args[0].backlog == 0
        assert first.args[0].pushed >= 1

        stop(proc)  # the link goes down
        station.inventory.add_site({"name": "西门", "kind": "residential"})
        with qtbot.waitSignal(controller.status_changed, timeout=30_000) as down:
            controller.sync_now()
        assert down.args[0].link in ("offline", "error") and down.args[0].backlog >= 1

        proc, url2 = start_hub(db_url, tmp_path / "hub.log")
        configure(station.db, hub_url=url2, token=None, station_id=None)
        controller.stop()
        controller = SyncController(station, tasks, interval_s=3600)
        with qtbot.waitSignal(controller.status_changed, timeout=20_000) as back:
            controller.sync_now()
        assert back.args[0].link == "ok" and back.args[0].backlog == 0
        assert len(controller.log) == 1
        controller.stop()
    finally:
        stop(proc)


def test_no_hub_configured_means_no_sync(station: Station, tasks: TaskRunner) -> None:
    controller = SyncController(station, tasks)
    assert not controller.configured
    controller.start()
    controller.sync_now()
    assert len(controller.log) == 0
