"""The provisioning tool against the simulated precinct: fifty cameras in one run, failures
named per camera, nothing half-saved. Addresses are typed in (multicast discovery is tested
inside a network namespace in tests/integration/test_discovery.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from simulator.precinct import Precinct
from station_console.services.permissions import Role
from station_console.station import Station
from tests.gui.conftest import add_officer
from ui.provisioning_wizard import ProvisioningWizard
from ui.tasks import TaskRunner


@pytest.fixture(scope="module")
def fleet() -> Iterator[Precinct]:
    with Precinct(52) as p:
        yield p


def test_fifty_cameras_in_one_run(
    qtbot, station: Station, tasks: TaskRunner, fleet: Precinct
) -> None:  # type: ignore[no-untyped-def]
    site = station.inventory.add_site(
        {"name": "幸福里小区", "kind": "residential", "community": "幸福里社区"}
    )
    owner = station.inventory.add_owner({"name": "幸福里物业", "kind": "property_company"})
    broken = fleet.cameras[50]
    broken.inject("wrong-password")
    try:
        wizard = ProvisioningWizard(station, tasks)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitUntil(lambda: wizard.site_combo.count() > 1)
        cams = fleet.cameras[:51]
        wizard.manual_edit.setPlainText("\n".join(c.device_url for c in cams))
        qtbot.mouseClick(wizard.manual_button, Qt.MouseButton.LeftButton)
        assert wizard.table.rowCount() == 51
        wizard.table.selectAll()
        wizard.user_edit.setText(fleet.username)
        wizard.password_edit.setText(fleet.password)
        qtbot.mouseClick(wizard.read_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: all(c.details or c.error for c in wizard.candidates), timeout=60_000
        )
        failed = [c for c in wizard.candidates if c.error]
        assert [c.address for c in failed] == [broken.device_url]
        assert "refused the user name or password" in wizard.table.item(50, 4).text()
        wizard.site_combo.setCurrentIndex(wizard.site_combo.findData(site.id))
        wizard.owner_combo.setCurrentIndex(wizard.owner_combo.findData(owner.id))
        qtbot.mouseClick(wizard.apply_button, Qt.MouseButton.LeftButton)
        wizard.table.item(0, 5).setText("东门球机")
        with qtbot.waitSignal(wizard.saved, timeout=60_000) as saved:
            qtbot.mouseClick(wizard.save_button, Qt.MouseButton.LeftButton)
        assert saved.args == [50]
    finally:
        broken.clear()
    cameras = station.inventory.cameras()
    assert len(cameras) == 50
    assert {c.site_id for c in cameras} == {site.id} and {c.owner_id for c in cameras} == {owner.id}
    assert {c.serial for c in cameras} == {c.serial for c in fleet.cameras[:50]}
    first = next(c for c in cameras if c.serial == fleet.cameras[0].serial)
    assert first.name == "东门球机" and first.main.uri.startswith("rtsp://")
    assert station.inventory.credentials(first.id).password == fleet.password
    assert all(
        c.kind.value == ("dome" if f.has_ptz else "bullet")
        for c, f in zip(
            sorted(cameras, key=lambda c: c.serial),
            sorted(fleet.cameras[:50], key=lambda f: f.serial),
            strict=True,
        )
    )
    # Reading the same cameras again shows them as registered.
    wizard2 = ProvisioningWizard(station, tasks)
    qtbot.addWidget(wizard2)
    wizard2.add_candidates([(fleet.cameras[0].device_url, "typed")])
    wizard2.table.selectAll()
    wizard2.user_edit.setText(fleet.username)
    wizard2.password_edit.setText(fleet.password)
    wizard2.read_selected()
    qtbot.waitUntil(lambda: wizard2.candidates[0].match is not None, timeout=20_000)
    assert wizard2.candidates[0].match.state.value == "registered"  # type: ignore[union-attr]


def test_duty_officer_cannot_save(qtbot, station: Station, tasks: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    add_officer(station, Role.DUTY_OFFICER, "officer1")
    wizard = ProvisioningWizard(station, tasks)
    qtbot.addWidget(wizard)
    wizard.add_candidates([("127.0.0.1:9", "typed")])
    wizard.table.selectAll()
    assert wizard.read_button.isEnabled() and not wizard.save_button.isEnabled()
