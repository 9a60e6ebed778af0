"""Roles, permissions and the signed-in session.

Permissions are checked here, in the services, so a hidden button is a convenience and never
the only guard: a service called by the wrong role raises :class:`PermissionDenied` and the
refusal is audited.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass

from station_console.errors import PermissionDenied
from station_console.i18n import QT_TRANSLATE_NOOP, Message


class Role(enum.StrEnum):
    DUTY_OFFICER = "duty_officer"
    COMMUNITY_POLICE = "community_police"
    TECHNICIAN = "technician"
    DUTY_LEADER = "duty_leader"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.DUTY_OFFICER: QT_TRANSLATE_NOOP("roles", "Duty officer"),
    Role.COMMUNITY_POLICE: QT_TRANSLATE_NOOP("roles", "Community police"),
    Role.TECHNICIAN: QT_TRANSLATE_NOOP("roles", "Technician"),
    Role.DUTY_LEADER: QT_TRANSLATE_NOOP("roles", "Duty leader"),
    Role.ADMIN: QT_TRANSLATE_NOOP("roles", "Administrator"),
}


class Permission(enum.StrEnum):
    VIEW_CAMERAS = "view_cameras"
    EDIT_INVENTORY = "edit_inventory"
    IMPORT_INVENTORY = "import_inventory"
    EXPORT_INVENTORY = "export_inventory"
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    EDIT_SETTINGS = "edit_settings"
    BACKUP = "backup"
    VIEW_CREDENTIALS = "view_credentials"
    MANAGE_PATROL = "manage_patrol"
    REGISTER_WATCH = "register_watch"
    SPOT_CHECK = "spot_check"
    VIEW_INCIDENTS = "view_incidents"
    REPORT_INCIDENTS = "report_incidents"
    EXPORT_EVIDENCE = "export_evidence"
    VIEW_HEALTH = "view_health"
    LOG_FAULTS = "log_faults"
    MANAGE_FAULTS = "manage_faults"
    ACK_ALARMS = "ack_alarms"
    INSPECT = "inspect"


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW_CAMERAS: QT_TRANSLATE_NOOP("permissions", "view cameras"),
    Permission.EDIT_INVENTORY: QT_TRANSLATE_NOOP("permissions", "edit the inventory"),
    Permission.IMPORT_INVENTORY: QT_TRANSLATE_NOOP("permissions", "import the inventory"),
    Permission.EXPORT_INVENTORY: QT_TRANSLATE_NOOP("permissions", "export the inventory"),
    Permission.MANAGE_USERS: QT_TRANSLATE_NOOP("permissions", "manage users"),
    Permission.READ_AUDIT: QT_TRANSLATE_NOOP("permissions", "read the audit log"),
    Permission.EDIT_SETTINGS: QT_TRANSLATE_NOOP("permissions", "change settings"),
    Permission.BACKUP: QT_TRANSLATE_NOOP("permissions", "back up the database"),
    Permission.VIEW_CREDENTIALS: QT_TRANSLATE_NOOP("permissions", "use camera credentials"),
    Permission.MANAGE_PATROL: QT_TRANSLATE_NOOP("permissions", "edit patrol plans"),
    Permission.REGISTER_WATCH: QT_TRANSLATE_NOOP("permissions", "register temporary watches"),
    Permission.SPOT_CHECK: QT_TRANSLATE_NOOP("permissions", "record spot checks"),
    Permission.VIEW_INCIDENTS: QT_TRANSLATE_NOOP("permissions", "see incidents and bulletins"),
    Permission.REPORT_INCIDENTS: QT_TRANSLATE_NOOP("permissions", "record and report incidents"),
    Permission.EXPORT_EVIDENCE: QT_TRANSLATE_NOOP("permissions", "export evidence"),
    Permission.VIEW_HEALTH: QT_TRANSLATE_NOOP("permissions", "see camera health and faults"),
    Permission.LOG_FAULTS: QT_TRANSLATE_NOOP("permissions", "log camera faults"),
    Permission.MANAGE_FAULTS: QT_TRANSLATE_NOOP("permissions", "follow faults through repair"),
    Permission.ACK_ALARMS: QT_TRANSLATE_NOOP("permissions", "acknowledge camera alarms"),
    Permission.INSPECT: QT_TRANSLATE_NOOP("permissions", "run inspection rounds"),
}

_ALL = frozenset(Permission)

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.DUTY_OFFICER: frozenset(
        {Permission.VIEW_CAMERAS, Permission.VIEW_CREDENTIALS, Permission.REGISTER_WATCH}
    ),
    Role.COMMUNITY_POLICE: frozenset(
        {Permission.VIEW_CAMERAS, Permission.VIEW_CREDENTIALS, Permission.REGISTER_WATCH}
    ),
    Role.TECHNICIAN: frozenset(
        {
            Permission.VIEW_CAMERAS,
            Permission.VIEW_CREDENTIALS,
            Permission.EDIT_INVENTORY,
            Permission.IMPORT_INVENTORY,
            Permission.EXPORT_INVENTORY,
        }
    ),
    Role.DUTY_LEADER: frozenset(
        {
            Permission.VIEW_CAMERAS,
            Permission.VIEW_CREDENTIALS,
            Permission.EXPORT_INVENTORY,
            Permission.READ_AUDIT,
            Permission.MANAGE_PATROL,
            Permission.REGISTER_WATCH,
            Permission.SPOT_CHECK,
        }
    ),
    Role.ADMIN: _ALL,
}

# Camera health and the fault desk: community police follow faults to repair and run
# inspection rounds; duty officers log faults and acknowledge alarms; leaders and
# technicians read the health dashboard.
_HEALTH_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.DUTY_OFFICER: frozenset(
        {Permission.VIEW_HEALTH, Permission.LOG_FAULTS, Permission.ACK_ALARMS}
    ),
    Role.COMMUNITY_POLICE: frozenset(
        {
            Permission.VIEW_HEALTH,
            Permission.LOG_FAULTS,
            Permission.MANAGE_FAULTS,
            Permission.ACK_ALARMS,
            Permission.INSPECT,
        }
    ),
    Role.TECHNICIAN: frozenset({Permission.VIEW_HEALTH, Permission.LOG_FAULTS}),
    Role.DUTY_LEADER: frozenset({Permission.VIEW_HEALTH, Permission.ACK_ALARMS}),
}
GRANTS = {role: perms | _HEALTH_GRANTS.get(role, frozenset()) for role, perms in GRANTS.items()}

# Incidents: whoever watches the wall or answers for a community records and reports what
# they see; exporting evidence (video of people) is for duty officers and leaders only.
# Technicians provision cameras and see no incidents.
_INCIDENT_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.DUTY_OFFICER: frozenset(
        {Permission.VIEW_INCIDENTS, Permission.REPORT_INCIDENTS, Permission.EXPORT_EVIDENCE}
    ),
    Role.COMMUNITY_POLICE: frozenset({Permission.VIEW_INCIDENTS, Permission.REPORT_INCIDENTS}),
    Role.DUTY_LEADER: frozenset(
        {Permission.VIEW_INCIDENTS, Permission.REPORT_INCIDENTS, Permission.EXPORT_EVIDENCE}
    ),
}
GRANTS = {role: perms | _INCIDENT_GRANTS.get(role, frozenset()) for role, perms in GRANTS.items()}


def role_can(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


@dataclass(frozen=True)
class Officer:
    """Who is signed in."""

    user_id: int
    username: str
    display_name: str
    role: Role


# The actor name written to the audit log for work done by the console itself.
SYSTEM_ACTOR = "system"


class Session:
    """The signed-in officer, shared by all services of one console.

    Refusals go through ``on_refused`` (the audit log) before the exception is raised.
    """

    def __init__(self) -> None:
        self._officer: Officer | None = None
        self._lock = threading.Lock()
        self.on_refused: list[object] = []

    @property
    def officer(self) -> Officer | None:
        return self._officer

    @property
    def actor(self) -> str:
        o = self._officer
        return o.username if o else SYSTEM_ACTOR

    def sign_in(self, officer: Officer) -> None:
        with self._lock:
            self._officer = officer

    def sign_out(self) -> None:
        with self._lock:
            self._officer = None

    def can(self, permission: Permission) -> bool:
        o = self._officer
        return o is not None and role_can(o.role, permission)

    def require(self, permission: Permission) -> Officer:
        o = self._officer
        if o is None:
            self._refused(None, permission)
            raise PermissionDenied(
                "permissions",
                "Sign in first: this needs permission to {what}.",
                what=Message("permissions", PERMISSION_LABELS[permission]),
            )
        if not role_can(o.role, permission):
            self._refused(o, permission)
            raise PermissionDenied(
                "permissions",
                "Your role ({role}) may not {what}.",
                role=Message("roles", ROLE_LABELS[o.role]),
                what=Message("permissions", PERMISSION_LABELS[permission]),
            )
        return o

    def _refused(self, officer: Officer | None, permission: Permission) -> None:
        for callback in self.on_refused:
            if callable(callback):
                callback(officer, permission)
