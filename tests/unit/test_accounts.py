"""Accounts and roles: permissions are enforced in the services, not the UI."""

from __future__ import annotations

import pytest

from station_console.errors import AuthenticationFailed, PermissionDenied, ValidationError
from station_console.services.permissions import Permission, Role
from station_console.station import Station, open_station
from tests.conftest import ADMIN_PASSWORD, sign_in_as


def test_first_run_creates_exactly_one_administrator(tmp_path) -> None:  # type: ignore[no-untyped-def]
    st = open_station(tmp_path, use_keyring=False)
    try:
        assert st.accounts.needs_first_admin()
        st.accounts.create_first_admin("chief", "Chief", "long-password")
        assert not st.accounts.needs_first_admin()
        with pytest.raises(ValidationError):
            st.accounts.create_first_admin("other", "Other", "long-password")
        stored = st.db.scalar("SELECT password_hash FROM users WHERE username = 'chief'")
        assert stored.startswith("$argon2id$") and "long-password" not in stored
    finally:
        st.close()


def test_short_password_refused(station: Station) -> None:
    with pytest.raises(ValidationError) as err:
        station.accounts.create_user("x", "X", Role.DUTY_OFFICER, "short")
    assert err.value.field == "password"


def test_wrong_password_then_lockout(station: Station) -> None:
    station.accounts.create_user("officer", "O", Role.DUTY_OFFICER, "password-123")
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            station.accounts.sign_in("officer", "nope")
    with pytest.raises(AuthenticationFailed) as err:
        station.accounts.sign_in("officer", "password-123")
    assert "locked" in str(err.value)


@pytest.mark.parametrize(
    ("role", "call"),
    [
        (Role.DUTY_OFFICER, lambda st: st.inventory.add_site({"name": "x", "kind": "village"})),
        (Role.COMMUNITY_POLICE, lambda st: st.accounts.list_users()),
        (Role.TECHNICIAN, lambda st: st.accounts.create_user("u", "u", Role.ADMIN, "password-1")),
        (Role.DUTY_LEADER, lambda st: st.settings.set("idle_lock_minutes", 5)),
        (Role.DUTY_OFFICER, lambda st: st.csv.export("cameras", st.paths.root / "x.csv")),
    ],
)
def test_wrong_role_is_refused_by_the_service_and_audited(
    station: Station, role: Role, call
) -> None:  # type: ignore[no-untyped-def]
    sign_in_as(station, role)
    with pytest.raises(PermissionDenied):
        call(station)
    if not station.session.can(Permission.READ_AUDIT):
        with pytest.raises(PermissionDenied):
            station.audit.entries()  # reading the audit log is itself a permission
    station.accounts.sign_in("admin", ADMIN_PASSWORD)
    refusals = station.audit.entries(action="permission.refused")
    assert refusals and refusals[0].actor == role.value


def test_signed_out_session_is_refused(station: Station) -> None:
    station.accounts.sign_out()
    with pytest.raises(PermissionDenied):
        station.inventory.add_site({"name": "x", "kind": "village"})


def test_technician_can_edit_inventory_but_not_users(station: Station) -> None:
    sign_in_as(station, Role.TECHNICIAN)
    assert station.session.can(Permission.EDIT_INVENTORY)
    assert not station.session.can(Permission.MANAGE_USERS)
    station.inventory.add_site({"name": "x", "kind": "village"})


def test_last_admin_cannot_be_demoted(station: Station) -> None:
    uid = station.db.scalar("SELECT id FROM users WHERE username = 'admin'")
    with pytest.raises(ValidationError):
        station.accounts.update_user(uid, role=Role.DUTY_OFFICER)


def test_preferences_are_per_officer(station: Station) -> None:
    station.accounts.set_pref("geometry", "AAA")
    sign_in_as(station, Role.DUTY_OFFICER, "o1")
    assert station.accounts.get_pref("geometry") is None
    station.accounts.set_pref("geometry", "BBB")
    station.accounts.sign_in("admin", ADMIN_PASSWORD)
    assert station.accounts.get_pref("geometry") == "AAA"


def test_permission_message_is_translated_for_the_cli(station: Station) -> None:
    sign_in_as(station, Role.DUTY_OFFICER)
    with pytest.raises(PermissionDenied) as err:
        station.accounts.list_users()
    text = err.value.bilingual()
    assert "manage users" in text
