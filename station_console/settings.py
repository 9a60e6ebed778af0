"""Every station-wide setting, declared once with its type, default and description.

Settings live in the ``settings`` table of the station database (so a backup carries them);
window geometry and other per-officer choices live in ``user_prefs`` instead.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from station_console.errors import ValidationError
from station_console.i18n import QT_TRANSLATE_NOOP
from station_console.services.audit import AuditLog
from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def check(self, value: Any) -> Any:
        if self.type is bool:
            if not isinstance(value, bool):
                raise ValidationError("settings", "{key} must be yes or no.", key=self.key)
        elif self.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError("settings", "{key} must be a whole number.", key=self.key)
        elif not isinstance(value, self.type):
            raise ValidationError("settings", "{key} has the wrong type.", key=self.key)
        if self.choices and value not in self.choices:
            raise ValidationError(
                "settings",
                "{key} must be one of: {choices}.",
                key=self.key,
                choices=", ".join(map(str, self.choices)),
            )
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(
                "settings", "{key} must be at least {n}.", key=self.key, n=self.minimum
            )
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(
                "settings", "{key} must be at most {n}.", key=self.key, n=self.maximum
            )
        return value


# Camera health monitor and fault desk (station_console/health).
_HEALTH_OPTIONS = [
    Option(
        "health_monitor",
        bool,
        True,
        QT_TRANSLATE_NOOP("settings", "Check every camera's health in the background."),
    ),
    Option(
        "health_check_seconds",
        int,
        20,
        QT_TRANSLATE_NOOP("settings", "Seconds between health checks of an ordinary camera."),
        minimum=5,
        maximum=600,
    ),
    Option(
        "health_key_place_seconds",
        int,
        10,
        QT_TRANSLATE_NOOP("settings", "Seconds between health checks of a key place's camera."),
        minimum=3,
        maximum=600,
    ),
    Option(
        "vqd_check_seconds",
        int,
        30,
        QT_TRANSLATE_NOOP("settings", "Seconds between picture quality checks of a camera."),
        minimum=5,
        maximum=3600,
    ),
    Option(
        "clock_drift_limit_seconds",
        int,
        60,
        QT_TRANSLATE_NOOP("settings", "A camera clock off by more than this is a fault."),
        minimum=2,
        maximum=86400,
    ),
    Option(
        "fault_due_hours_high",
        int,
        24,
        QT_TRANSLATE_NOOP("settings", "Hours allowed to repair a high-severity fault."),
        minimum=1,
        maximum=2160,
    ),
    Option(
        "fault_due_hours_medium",
        int,
        72,
        QT_TRANSLATE_NOOP("settings", "Hours allowed to repair a medium-severity fault."),
        minimum=1,
        maximum=2160,
    ),
    Option(
        "fault_due_hours_low",
        int,
        168,
        QT_TRANSLATE_NOOP("settings", "Hours allowed to repair a low-severity fault."),
        minimum=1,
        maximum=2160,
    ),
]

OPTIONS: dict[str, Option] = {
    o.key: o
    for o in [
        Option(
            "station_name",
            str,
            "",
            QT_TRANSLATE_NOOP(
                "settings", "Name of this station, shown in the title bar and reports."
            ),
        ),
        Option(
            "language",
            str,
            "zh_CN",
            QT_TRANSLATE_NOOP("settings", "Language of the console."),
            choices=("zh_CN", "en"),
        ),
        Option(
            "idle_lock_minutes",
            int,
            10,
            QT_TRANSLATE_NOOP(
                "settings", "Lock the console after this many idle minutes (0: never)."
            ),
            minimum=0,
            maximum=240,
        ),
        Option(
            "rtsp_transport",
            str,
            "tcp",
            QT_TRANSLATE_NOOP("settings", "How camera streams are fetched: TCP (robust) or UDP."),
            choices=("tcp", "udp"),
        ),
        Option(
            "ring_buffer_seconds",
            int,
            30,
            QT_TRANSLATE_NOOP("settings", "Seconds of video kept in memory for incident clips."),
            minimum=5,
            maximum=300,
        ),
        Option(
            "hub_url",
            str,
            "",
            QT_TRANSLATE_NOOP("settings", "Address of the district hub (empty: work alone)."),
        ),
        Option(
            "backups_to_keep",
            int,
            7,
            QT_TRANSLATE_NOOP("settings", "How many daily backups to keep."),
            minimum=1,
            maximum=365,
        ),
        Option(
            "audible_alarms",
            bool,
            True,
            QT_TRANSLATE_NOOP("settings", "Play a sound when a camera alarm is raised."),
        ),
        *_HEALTH_OPTIONS,
    ]
}


class Settings:
    def __init__(self, db: Database, audit: AuditLog, session: Session) -> None:
        self.db = db
        self.audit = audit
        self.session = session
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.listeners: list[Callable[[str, Any], None]] = []
        self.reload()

    def reload(self) -> None:
        values = {
            r["key"]: json.loads(r["value"])
            for r in self.db.query("SELECT key, value FROM settings")
        }
        with self._lock:
            self._cache = values

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        with self._lock:
            return self._cache.get(key, option.default)

    def set(self, key: str, value: Any) -> None:
        who = self.session.require(Permission.EDIT_SETTINGS)
        option = OPTIONS[key]
        value = option.check(value)
        old = self.get(key)
        if old == value:
            return
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )
            self.audit.append(
                who.username, "settings.change", key, {"from": old, "to": value}, conn=conn
            )
        with self._lock:
            self._cache[key] = value
        for listener in list(self.listeners):
            listener(key, value)

    def set_initial(self, key: str, value: Any) -> None:
        """Set a value without a session (first-run wizard, demo set-up)."""
        value = OPTIONS[key].check(value)
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )
        with self._lock:
            self._cache[key] = value
