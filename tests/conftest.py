"""Shared fixtures: a real station in a temporary data directory, signed in by role."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SC_NO_KEYRING", "1")

from station_console.services.permissions import Role
from station_console.station import Station, open_station

ADMIN_PASSWORD = "admin-pass-1"


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
