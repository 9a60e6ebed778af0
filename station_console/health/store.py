"""Health samples and camera state: written in batches, kept as hourly and daily roll-ups.

A station checks 2,000 cameras every 10–20 s: 100 results a second. Writing each would
keep the single writer busy for nothing, so the monitor hands over batches (one transaction
per batch), and a check is never kept on its own: it only increments its camera's hourly
and daily rows, and the hourly rows of its site and its owner unit. Hourly rows are
kept :data:`HOURLY_KEEP_DAYS` days (the hourly charts), daily rows for years, so ten years
of history stay a few million small rows.

Both roll-ups the reports read are written as the checks come, not derived later: a daily
report reads one row per camera and day (a 90-day report at 2,000 cameras read 1.7 million
hourly rows for its last five weeks when recent days existed only as hours), and the hourly
chart reads one row per site (or owner unit) and hour (by site over 7 days it summed 336,000
camera-hours, over 200 ms however it was joined). A site's or owner's row counts a check
where the camera belonged then: a camera moved to another site leaves its past there.

The district command centre sees each station's camera health as one ``health_rollup``
record per day (checks, online rate, cameras by state), queued for the hub with the first
batch of every hour, so the hub is never more than an hour behind and the outbox gets 24
small rows a day, not one per batch.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from station_console.health.model import CameraState
from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database
from station_console.sync.outbox import Outbox

HOURLY_KEEP_DAYS = 35


def hour_of(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H")


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class CheckRecord:
    """One check's outcome, as the store keeps it."""

    camera_id: str
    checked_at: float
    online: bool
    state: CameraState
    problem: str
    detail: str
    clock_offset_s: float | None
    rtt_ms: float | None
    snapshot_uri: str = ""


@dataclass(frozen=True)
class PictureRecord:
    camera_id: str
    taken_at: float
    bad: bool
    verdict: str  # "" for normal or the fault kind
    baseline: Mapping[str, Any]


@dataclass(frozen=True)
class CameraHealth:
    camera_id: str
    camera_name: str
    site_name: str
    community: str
    owner_name: str
    state: CameraState
    problem: str
    detail: str
    since: str | None
    last_check_at: str | None
    last_online_at: str | None
    first_online_at: str | None
    clock_offset_s: float | None
    rtt_ms: float | None
    picture: str


# Hourly roll-ups per place: (table, place column), in the order of cameras.site_id, owner_id.
PLACES = (("site_health_hourly", "site_id"), ("owner_health_hourly", "owner_id"))

GROUPS = {
    "community": "coalesce(s.community, '')",
    "site": "coalesce(s.name, '')",
    "owner": "coalesce(o.name, '')",
    "station": "''",
}


class HealthStore:
    def __init__(
        self,
        db: Database,
        session: Session,
        *,
        outbox: Outbox | None = None,
        station_key: str = "",
    ) -> None:
        """``outbox`` queues the daily roll-ups for the hub (None: they stay local);
        ``station_key`` (the database's sync epoch) makes their hub ids the station's own."""
        self.db = db
        self.session = session
        self.outbox = outbox
        self.station_key = station_key
        self._queued_hour: str | None = None  # the hour whose first batch queued a roll-up

    # -- writing (the monitor) -------------------------------------------------------------

    def record(self, checks: Iterable[CheckRecord], pictures: Iterable[PictureRecord] = ()) -> None:
        """Write a batch of checks and picture verdicts in one transaction."""
        checks, pictures = list(checks), list(pictures)
        if not checks and not pictures:
            return
        hourly: dict[tuple[str, str], list[int]] = {}
        for c in checks:
            acc = hourly.setdefault((c.camera_id, hour_of(c.checked_at)), [0, 0, 0, 0])
            acc[0] += 1
            acc[1] += int(c.online)
        for p in pictures:
            acc = hourly.setdefault((p.camera_id, hour_of(p.taken_at)), [0, 0, 0, 0])
            acc[2] += 1
            acc[3] += int(p.bad)
        daily: dict[tuple[str, str], list[int]] = {}
        for (cid, hour), acc in hourly.items():
            day = daily.setdefault((cid, hour[:10]), [0, 0, 0, 0])
            for i, n in enumerate(acc):
                day[i] += n
        with self.db.write() as conn:
            ids = sorted({cid for cid, _ in hourly})
            marks = ", ".join("?" for _ in ids)
            place_of = {
                r[0]: (r[1], r[2])
                for r in conn.execute(
                    "SELECT id, coalesce(site_id, ''), coalesce(owner_id, '') FROM cameras "
                    f"WHERE id IN ({marks})",
                    ids,
                )
            }
            places: dict[str, dict[tuple[str, str], list[int]]] = {t: {} for t, _ in PLACES}
            for (cid, hour), acc in hourly.items():
                if cid not in place_of:  # a camera the inventory no longer knows has no place
                    continue
                for (table, _), place in zip(PLACES, place_of[cid], strict=True):
                    sums = places[table].setdefault((hour, place), [0, 0, 0, 0])
                    for i, n in enumerate(acc):
                        sums[i] += n
            for table, key in PLACES:
                conn.executemany(
                    f"INSERT INTO {table}(hour, {key}, checks, online, pictures, bad_pictures) "
                    f"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(hour, {key}) DO UPDATE SET "
                    "checks = checks + excluded.checks, online = online + excluded.online, "
                    "pictures = pictures + excluded.pictures, "
                    "bad_pictures = bad_pictures + excluded.bad_pictures",
                    [(*where, *acc) for where, acc in places[table].items()],
                )
            for table, key, rows in (
                ("camera_health_hourly", "hour", hourly),
                ("camera_health_daily", "day", daily),
            ):
                conn.executemany(
                    f"INSERT INTO {table}(camera_id, {key}, checks, online, pictures, "
                    f"bad_pictures) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(camera_id, {key}) "
                    "DO UPDATE SET checks = checks + excluded.checks, "
                    "online = online + excluded.online, pictures = pictures + excluded.pictures, "
                    "bad_pictures = bad_pictures + excluded.bad_pictures",
                    [(cid, when, *acc) for (cid, when), acc in rows.items()],
                )
            conn.executemany(
                "INSERT INTO camera_health(camera_id, state, problem, detail, since, "
                "last_check_at, last_online_at, first_online_at, clock_offset_s, rtt_ms, "
                "snapshot_uri) VALUES (:id, :state, :problem, :detail, :at, :at, :online_at, "
                ":online_at, :clock, :rtt, :snap) ON CONFLICT(camera_id) DO UPDATE SET "
                "since = CASE WHEN state = excluded.state AND problem = excluded.problem "
                "THEN since ELSE excluded.since END, "
                "state = excluded.state, problem = excluded.problem, detail = excluded.detail, "
                "last_check_at = excluded.last_check_at, "
                "last_online_at = coalesce(excluded.last_online_at, last_online_at), "
                "first_online_at = coalesce(first_online_at, excluded.first_online_at), "
                "clock_offset_s = coalesce(excluded.clock_offset_s, clock_offset_s), "
                "rtt_ms = excluded.rtt_ms, "
                "snapshot_uri = CASE WHEN excluded.snapshot_uri <> '' "
                "THEN excluded.snapshot_uri ELSE snapshot_uri END",
                [
                    {
                        "id": c.camera_id,
                        "state": c.state.value,
                        "problem": c.problem,
                        "detail": c.detail[:300],
                        "at": iso(c.checked_at),
                        "online_at": iso(c.checked_at) if c.online else None,
                        "clock": c.clock_offset_s,
                        "rtt": c.rtt_ms,
                        "snap": c.snapshot_uri,
                    }
                    for c in checks
                ],
            )
            conn.executemany(
                "INSERT INTO camera_health(camera_id, last_diagnosis_at, picture, baseline) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(camera_id) DO UPDATE SET "
                "last_diagnosis_at = excluded.last_diagnosis_at, picture = excluded.picture, "
                "baseline = excluded.baseline",
                [
                    (p.camera_id, iso(p.taken_at), p.verdict,
                     json.dumps(dict(p.baseline), separators=(",", ":")))
                    for p in pictures
                ],
            )  # fmt: skip
            hour = max(h for _, h in hourly)
            if self.outbox is not None and hour != self._queued_hour:
                self._queue_for_hub(conn, hour)

    def _queue_for_hub(self, conn: sqlite3.Connection, hour: str) -> None:
        """Queue the day's roll-up, and the day before's as it ended (its last hour came
        after the last roll-up queued, or the console was closed over midnight)."""
        assert self.outbox is not None
        today = hour[:10]
        before = (datetime.fromisoformat(today) - timedelta(days=1)).strftime("%Y-%m-%d")
        states = {
            str(r[0]): int(r[1])
            for r in conn.execute(
                "SELECT coalesce(h.state, 'unknown'), count(*) FROM cameras c "
                "LEFT JOIN camera_health h ON h.camera_id = c.id WHERE c.retired_at IS NULL "
                "GROUP BY 1"
            )
        }
        for day in (before, today):
            checks, online, pictures, bad, cameras = conn.execute(
                "SELECT coalesce(sum(checks), 0), coalesce(sum(online), 0), "
                "coalesce(sum(pictures), 0), coalesce(sum(bad_pictures), 0), count(*) "
                "FROM camera_health_daily WHERE day = ?",
                (day,),
            ).fetchone()
            if not checks:
                continue
            fields: dict[str, Any] = {
                "day": day,
                "checks": int(checks),
                "online": int(online),
                "online_rate": round(online / checks, 4),
                "pictures": int(pictures),
                "bad_pictures": int(bad),
                "cameras_checked": int(cameras),
                "as_of_hour": hour if day == today else f"{day}T23",
            }
            if day == today:
                fields["cameras_by_state"] = states
            self.outbox.record(conn, "health_rollup", f"{self.station_key}:health:{day}", fields)
        self._queued_hour = hour

    def roll_up(self, now: float | None = None) -> int:
        """Drop hourly rows older than :data:`HOURLY_KEEP_DAYS` (their days are kept daily)."""
        cutoff = (datetime.fromtimestamp(now, UTC) if now else datetime.now(UTC)) - timedelta(
            days=HOURLY_KEEP_DAYS
        )
        limit = cutoff.strftime("%Y-%m-%dT00")
        with self.db.write() as conn:
            for table, _ in PLACES:
                conn.execute(f"DELETE FROM {table} WHERE hour < ?", (limit,))
            return conn.execute(
                "DELETE FROM camera_health_hourly WHERE hour < ?", (limit,)
            ).rowcount

    def baselines(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """camera id → (snapshot URI, picture baseline), for a monitor that starts."""
        return {
            r["camera_id"]: (r["snapshot_uri"], json.loads(r["baseline"] or "{}"))
            for r in self.db.query("SELECT camera_id, snapshot_uri, baseline FROM camera_health")
        }

    # -- reading (dashboard, CLI) ----------------------------------------------------------

    def cameras(self) -> list[CameraHealth]:
        self.session.require(Permission.VIEW_HEALTH)
        return self._cameras()

    def _cameras(self) -> list[CameraHealth]:
        rows = self.db.query(
            "SELECT c.id, c.name, coalesce(s.name, '') AS site, coalesce(s.community, '') AS "
            "community, coalesce(o.name, '') AS owner, h.* FROM cameras c "
            "LEFT JOIN camera_health h ON h.camera_id = c.id LEFT JOIN sites s ON s.id = c.site_id "
            "LEFT JOIN owner_units o ON o.id = c.owner_id WHERE c.retired_at IS NULL "
            "ORDER BY s.community, s.name, c.name"
        )
        return [
            CameraHealth(
                r["id"],
                r["name"],
                r["site"],
                r["community"],
                r["owner"],
                CameraState(r["state"] or "unknown"),
                r["problem"] or "",
                r["detail"] or "",
                r["since"],
                r["last_check_at"],
                r["last_online_at"],
                r["first_online_at"],
                r["clock_offset_s"],
                r["rtt_ms"],
                r["picture"] or "",
            )
            for r in rows
        ]

    def never_seen(self) -> list[CameraHealth]:
        """Active cameras checked at least once but never online (wrong address, never built)."""
        self.session.require(Permission.VIEW_HEALTH)
        return [c for c in self._cameras() if c.first_online_at is None and c.last_check_at]

    def summary(self) -> dict[str, int]:
        self.session.require(Permission.VIEW_HEALTH)
        counts = {s.value: 0 for s in CameraState}
        for r in self.db.query(
            "SELECT coalesce(h.state, 'unknown') AS st, count(*) AS n FROM cameras c "
            "LEFT JOIN camera_health h ON h.camera_id = c.id WHERE c.retired_at IS NULL "
            "GROUP BY st"
        ):
            counts[r["st"]] = int(r["n"])
        return counts

    def online_rate(
        self, group: str = "station", *, hours: int = 24, now: float | None = None
    ) -> dict[str, list[tuple[str, float]]]:
        """Online rate per hour over the last ``hours`` hours, per group.

        ``group``: station, community, site or owner. Rates are online checks / checks,
        so an hour in which a camera was dark half the time counts it half.
        """
        self.session.require(Permission.VIEW_HEALTH)
        if group not in GROUPS:
            raise KeyError(group)
        end = datetime.fromtimestamp(now, UTC) if now else datetime.now(UTC)
        start = (end - timedelta(hours=hours)).strftime("%Y-%m-%dT%H")
        # One row per site (or owner unit) and hour, in the table's own order, never sorted;
        # named here from a few hundred places rather than joined for every row.
        table, key = PLACES[1] if group == "owner" else PLACES[0]
        if group == "station":
            sql = (
                f"SELECT hour, '' AS place, sum(checks), sum(online) FROM {table} "
                "WHERE hour >= ? GROUP BY hour ORDER BY hour"
            )
        else:
            sql = (
                f"SELECT hour, {key} AS place, checks, online FROM {table} WHERE hour >= ? "
                f"ORDER BY hour, {key}"
            )
        rows = self.db.query(sql, (start,))
        names = self._place_names(group)
        out: dict[str, list[tuple[str, float]]] = {}
        current: dict[str, list[Any]] = {}  # group -> [hour, checks, online] being summed
        for hour, place, checks, online in rows:
            label = names.get(place, "") if names else ""
            cell = current.get(label)
            if cell is not None and cell[0] == hour:  # another place of the group, same hour
                cell[1] += checks
                cell[2] += online
                continue
            if cell is not None and cell[1]:
                out.setdefault(label, []).append((cell[0], cell[2] / cell[1]))
            current[label] = [hour, checks, online]
        for label, (hour, checks, online) in current.items():
            if checks:
                out.setdefault(label, []).append((hour, online / checks))
        return dict(sorted(out.items()))

    def _place_names(self, group: str) -> dict[str, str] | None:
        """Site or owner-unit id → the label of its group (as :data:`GROUPS` names them);
        None for the whole station."""
        if group == "station":
            return None
        if group == "owner":
            sql = "SELECT id, coalesce(name, '') FROM owner_units"
        else:
            column = "community" if group == "community" else "name"
            sql = f"SELECT id, coalesce({column}, '') FROM sites"
        return {r[0]: r[1] for r in self.db.query(sql)}

    def online_rate_daily(
        self, group: str = "station", *, days: int = 90
    ) -> dict[str, list[tuple[str, float]]]:
        """Online rate per day, from the daily roll-ups."""
        self.session.require(Permission.VIEW_HEALTH)
        expr = GROUPS[group]
        start = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%d")
        # Camera by camera, its site and owner looked up once (CROSS JOIN keeps the days
        # last), each camera's days read in primary-key order; through the index on day
        # every row was a second lookup, and the site and owner were looked up per row.
        rows = self.db.query(
            f"SELECT {expr} AS g, d.day AS day, sum(d.checks) AS checks, sum(d.online) AS online "
            "FROM cameras c LEFT JOIN sites s ON s.id = c.site_id "
            "LEFT JOIN owner_units o ON o.id = c.owner_id "
            "CROSS JOIN camera_health_daily d ON d.camera_id = c.id "
            "WHERE d.day >= ? GROUP BY g, d.day ORDER BY g, d.day",
            (start,),
        )
        out: dict[str, list[tuple[str, float]]] = {}
        for r in rows:
            if r["checks"]:
                out.setdefault(r["g"], []).append((r["day"], r["online"] / r["checks"]))
        return out
