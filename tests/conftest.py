"""Shared fixtures: a real station in a temporary data directory, signed in by role."""

from __future__ import annotations

import faulthandler
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SC_NO_KEYRING", "1")

from station_console.services.permissions import Role
from station_console.station import Station, open_station

ADMIN_PASSWORD = "admin-pass-1"
# A CI run once hung in a test until its 90 minutes ran out, printing nothing (a deadlock between
# a worker's garbage collection and the GUI thread: ui/gui_collector.py). pytest-timeout
# (300 s, pyproject.toml) fails a test by raising in its main thread, which cannot happen while
# that thread is stuck in C code, or while another thread holds the GIL and never lets go. This
# watchdog is faulthandler's C thread: it prints every thread's stack and ends the run.
HANG_S = 360
_watchdog_fd = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    # Kept before any test runs: during a test, descriptor 2 is pytest's capture file, which
    # is thrown away when the process exits.
    config.stash[_watchdog_fd] = os.dup(2)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    faulthandler.dump_traceback_later(HANG_S, exit=True, file=item.config.stash[_watchdog_fd])
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def pytest_unconfigure(config: pytest.Config) -> None:
    # Armed again for the way out: Python joins worker threads left running before it exits.
    if _watchdog_fd in config.stash:
        faulthandler.dump_traceback_later(HANG_S, exit=True, file=config.stash[_watchdog_fd])


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    """A fresh station with an administrator signed in."""
    st = open_station(tmp_path / "data", use_keyring=False)
    st.accounts.create_first_admin("admin", "管理员", ADMIN_PASSWORD)
    st.accounts.sign_in("admin", ADMIN_PASSWORD)
    try:
        yield st
    finally:
        st.close()


def sign_in_as(st: Station, role: Role, username: str | None = None) -> None:
    """Create (if needed) and sign in a user of ``role``."""
    name = username or role.value
    st.accounts.sign_in("admin", ADMIN_PASSWORD)
    if not st.db.scalar("SELECT 1 FROM users WHERE username = ?", (name,)):
        st.accounts.create_user(name, name, role, "password-123")
    st.accounts.sign_in(name, "password-123")
