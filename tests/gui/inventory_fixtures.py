"""Fixtures for the inventory, users and audit view tests.

Kept in their own module (imported by the tests) so these tests do not depend on the order in
which the shared GUI conftest is written. Each test gets a real station in ``tmp_path`` with
an administrator signed in, and a TaskRunner: the synchronous one for step-by-step tests,
the real thread pool where the threading itself is under test.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_console.services.permissions import Role
from station_console.station import Station, open_station
from ui.tasks import SyncTaskRunner, TaskRunner

ADMIN = "admin"
ADMIN_PASSWORD = "admin-pass-1"
USER_PASSWORD = "password-123"
GOOD_GB_ID = "11010200001320000001"

# The offscreen platform warns on every top-level show(); that is not our bug.
QT_LOG_IGNORE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def gui_station(tmp_path: Path) -> Iterator[Station]:
    """A fresh station with the administrator signed in."""
    station = open_station(tmp_path / "data", use_keyring=False)
    station.accounts.create_first_admin(ADMIN, "管理员", ADMIN_PASSWORD)
    station.accounts.sign_in(ADMIN, ADMIN_PASSWORD)
    try:
        yield station
    finally:
        station.close()


@pytest.fixture
def sync_tasks(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = SyncTaskRunner()
    yield runner


@pytest.fixture
def thread_tasks(qtbot: QtBot) -> Iterator[TaskRunner]:
    """The real pool; waits for every task before the station closes."""
    runner = TaskRunner(max_threads=2)
    yield runner
    runner.wait(10000)


def sign_in_as(station: Station, role: Role, username: str | None = None) -> None:
    """Create (if needed) and sign in a user of ``role``."""
    name = username or role.value
    station.accounts.sign_in(ADMIN, ADMIN_PASSWORD)
    if not station.db.scalar("SELECT 1 FROM users WHERE username = ?", (name,)):
        station.accounts.create_user(name, name, role, USER_PASSWORD)
    station.accounts.sign_in(name, USER_PASSWORD)


def seed_estate(station: Station) -> None:
    """One site, one owner unit and two cameras."""
    inv = station.inventory
    inv.add_site({"name": "幸福小区东门", "kind": "residential", "community": "幸福社区"})
    inv.add_owner({"name": "幸福物业", "kind": "property_company", "phone": "010-12345678"})
    inv.add_camera(
        {"name": "东门枪机", "kind": "bullet", "site": "幸福小区东门", "owner": "幸福物业",
         "serial": "SN-001"}
    )  # fmt: skip
    inv.add_camera({"name": "东门球机", "kind": "dome", "site": "幸福小区东门", "serial": "SN-002"})
