"""When a patrol plan or a temporary watch is due: daily windows, weekdays, date ranges.

Pure functions of the station's local wall-clock time, evaluated afresh at every check, so a
clock that jumps (NTP correction, a wrong time fixed by hand, a time-zone change) is simply a
different "now" next time: nothing is pre-computed that could go stale.

A window whose end is not after its start crosses midnight (20:00–04:00). Such a window
belongs to the day it *starts*: "Fridays 20:00–04:00" covers Saturday 02:00, and a date range
ending on the 5th still covers the night of the 5th to the 6th.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from station_console.errors import ValidationError

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
ALL_DAYS = "1234567"  # ISO weekdays, Monday = 1


def parse_hhmm(text: str) -> time:
    match = _HHMM.match(text.strip())
    if not match:
        raise ValidationError("patrol", "{value} is not a time of day (HH:MM).", value=text)
    return time(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class Window:
    """A daily time window, optionally limited to weekdays and a date range."""

    start: time
    end: time
    weekdays: str = ALL_DAYS
    first_day: date | None = None
    last_day: date | None = None

    def __post_init__(self) -> None:
        if not self.weekdays or any(d not in ALL_DAYS for d in self.weekdays):
            raise ValidationError("patrol", "Weekdays are written as digits 1 (Monday) to 7.")
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError("patrol", "The last day comes before the first day.")

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def _day_allowed(self, day: date) -> bool:
        if str(day.isoweekday()) not in self.weekdays:
            return False
        if self.first_day and day < self.first_day:
            return False
        return not (self.last_day and day > self.last_day)

    def opening(self, now: datetime) -> datetime | None:
        """The start of the occurrence of this window that contains ``now``, if any."""
        today = now.date()
        at = now.time()
        if not self.crosses_midnight:
            if self.start <= at < self.end and self._day_allowed(today):
                return datetime.combine(today, self.start)
            return None
        if at >= self.start and self._day_allowed(today):
            return datetime.combine(today, self.start)
        yesterday = today - timedelta(days=1)
        if at < self.end and self._day_allowed(yesterday):
            return datetime.combine(yesterday, self.start)
        return None

    def active(self, now: datetime) -> bool:
        return self.opening(now) is not None

    def closing(self, opening: datetime) -> datetime:
        day = opening.date() + (timedelta(days=1) if self.crosses_midnight else timedelta(0))
        return datetime.combine(day, self.end)

    def to_json(self) -> dict[str, str]:
        return {
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "weekdays": self.weekdays,
            "first_day": self.first_day.isoformat() if self.first_day else "",
            "last_day": self.last_day.isoformat() if self.last_day else "",
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Window:
        try:
            return cls(
                parse_hhmm(data["start"]),
                parse_hhmm(data["end"]),
                str(data.get("weekdays") or ALL_DAYS),
                date.fromisoformat(data["first_day"]) if data.get("first_day") else None,
                date.fromisoformat(data["last_day"]) if data.get("last_day") else None,
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ValidationError("patrol", "A schedule window cannot be read.") from exc


def any_active(windows: list[Window], now: datetime) -> Window | None:
    """The first window active at ``now`` (plans with no window are never due by themselves)."""
    return next((w for w in windows if w.active(now)), None)


def in_dates(now: datetime, first_day: date, last_day: date) -> bool:
    """Whether a temporary watch (first day … last day, inclusive) runs at ``now``."""
    return first_day <= now.date() <= last_day
