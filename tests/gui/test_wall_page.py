"""The wall page remembers the officer's wall, and never overwrites a change made meanwhile."""

from __future__ import annotations

from station_console.station import Station
from station_console.wall_layouts import standard
from ui.tasks import TaskRunner
from ui.wall.wall_page import LAST_WALL_PREF, WallPage

NINE = {"layout": standard("9").to_json(), "cameras": []}


def make_page(qtbot, station: Station, tasks: TaskRunner) -> WallPage:  # type: ignore[no-untyped-def]
    page = WallPage(station, tasks)
    qtbot.addWidget(page)
    return page


def test_the_last_wall_comes_back(qtbot, station: Station, tasks: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    station.accounts.set_pref(LAST_WALL_PREF, NINE)
    page = make_page(qtbot, station, tasks)
    qtbot.waitUntil(lambda: not page._restoring, timeout=10_000)
    assert page.wall.layout_def.name == "9" and len(page.wall.tiles) == 9
    page.shutdown()


def test_a_change_before_the_wall_is_read_wins(qtbot, station: Station, tasks) -> None:  # type: ignore[no-untyped-def]
    station.accounts.set_pref(LAST_WALL_PREF, NINE)
    page = make_page(qtbot, station, tasks)
    assert page._restoring  # the preference is read off the GUI thread
    page.wall.set_layout(standard("1"))  # the officer picks one layout meanwhile
    qtbot.waitUntil(lambda: not page._restoring, timeout=10_000)
    assert page.wall.layout_def.name == "1" and len(page.wall.tiles) == 1
    # ... and that is what is remembered now.
    qtbot.waitUntil(
        lambda: (
            (station.accounts.get_pref(LAST_WALL_PREF) or {}).get("layout", {}).get("name") == "1"
        ),
        timeout=10_000,
    )
    page.shutdown()


def test_only_the_domes_used_last_keep_a_ptz_controller(station: Station) -> None:
    from ui.wall.ptz_pad import PtzControllers

    ids = [
        station.inventory.add_camera(
            {"name": f"球机-{i}", "kind": "dome",
             "onvif_url": f"http://127.0.0.1:{9300 + i}/onvif/device_service"},
            password="secret",
        ).id
        for i in range(PtzControllers.KEEP + 3)
    ]  # fmt: skip
    controllers = PtzControllers(station)
    made = {cam: controllers.get(cam) for cam in ids}  # no network until a dome is moved
    assert controllers.kept() == ids[-PtzControllers.KEEP :]
    assert controllers.get(ids[-1]) is made[ids[-1]]  # reused while kept
    assert controllers.get(ids[0]) is not made[ids[0]]  # the oldest was let go, made anew
    assert controllers.kept()[-1] == ids[0] and ids[3] not in controllers.kept()
    controllers.close()
    assert controllers.kept() == []
