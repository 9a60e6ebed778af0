"""Online patrol: plans, temporary watches, what a tour shows, and whether it was watched.

"Focus on key places and key times, cover everything": a plan is an ordered list of cameras
or sites with a dwell time, daily windows (20:00–04:00 crosses midnight) and priorities (a
key place comes round more often); a temporary watch (空屋预约: a resident's empty home) is a
camera or address patrolled between two dates. Proof that patrol happened comes from the
wall's viewing records (``camera_views``): coverage compares what a plan asked for with
what was actually on screen, for at least the dwell time, per shift and per officer.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from station_console.domain import SiteKind
from station_console.errors import NotFound, ValidationError
from station_console.patrol_schedule import Window, any_active, in_dates
from station_console.services.audit import AuditLog
from station_console.services.inventory import Inventory
from station_console.services.permissions import Permission, Session
from station_console.storage.database import Database
from station_console.tour import TourStep, WeightedStep, weighted_order

MAX_STEPS = 500
#: Raw patrol rows older than this are folded into the daily roll-up.
RAW_RETENTION_DAYS = 90


def _utc() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class PlanStep:
    """A camera or a whole site; ``priority`` 1–3 = times per cycle; ``check`` = guard check."""

    camera_id: str | None = None
    site_id: str | None = None
    dwell_s: int | None = None
    priority: int = 1
    check: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanStep:
        step = cls(
            camera_id=data.get("camera_id") or None,
            site_id=data.get("site_id") or None,
            dwell_s=int(data["dwell_s"]) if data.get("dwell_s") else None,
            priority=int(data.get("priority") or 1),
            check=str(data.get("check") or ""),
        )
        if (step.camera_id is None) == (step.site_id is None):
            raise ValidationError("patrol", "A plan step is either one camera or one site.")
        if not 1 <= step.priority <= 3:
            raise ValidationError("patrol", "A step's priority is 1, 2 or 3.")
        if step.dwell_s is not None and not 3 <= step.dwell_s <= 3600:
            raise ValidationError("patrol", "A dwell time is between 3 and 3600 seconds.")
        return step


@dataclass(frozen=True)
class PatrolPlan:
    id: str
    name: str
    layout: str
    dwell_s: int
    steps: tuple[PlanStep, ...]
    windows: tuple[Window, ...]
    auto_start: bool = True
    include_watches: bool = True
    notes: str = ""


@dataclass(frozen=True)
class Watch:
    """A temporary watch: cameras to patrol between two dates (inclusive)."""

    id: str
    title: str
    address: str
    cameras: tuple[str, ...]
    first_day: date
    last_day: date
    windows: tuple[Window, ...] = ()
    dwell_s: int = 20
    contact: str = ""
    notes: str = ""

    def active(self, now: datetime) -> bool:
        """Between its dates and, when it has windows, inside one of them."""
        if self.windows:
            opening = any_active(list(self.windows), now)
            return opening is not None and in_dates(
                opening.opening(now) or now, self.first_day, self.last_day
            )
        return in_dates(now, self.first_day, self.last_day)


@dataclass(frozen=True)
class CameraCoverage:
    camera_id: str
    planned_s: int
    shown_s: float

    @property
    def covered(self) -> bool:
        return self.shown_s >= self.planned_s


@dataclass(frozen=True)
class Coverage:
    """Planned cameras vs cameras shown for at least their dwell time, in a period."""

    plan_id: str
    since: str
    until: str
    cameras: tuple[CameraCoverage, ...] = field(default_factory=tuple)

    @property
    def planned(self) -> int:
        return len(self.cameras)

    @property
    def covered(self) -> int:
        return sum(c.covered for c in self.cameras)

    @property
    def ratio(self) -> float:
        return self.covered / self.planned if self.planned else 1.0

    def missed(self) -> list[str]:
        return [c.camera_id for c in self.cameras if not c.covered]


def _windows(raw: Iterable[dict[str, str]]) -> tuple[Window, ...]:
    return tuple(Window.from_json(w) for w in raw)


class PatrolService:
    """Plans, watches, tours and coverage for the signed-in officer."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        session: Session,
        inventory: Inventory,
        local_now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.db = db
        self.audit = audit
        self.session = session
        self.inventory = inventory
        self.local_now = local_now

    # -- plans ---------------------------------------------------------------------------

    def plans(self) -> list[PatrolPlan]:
        self.session.require(Permission.VIEW_CAMERAS)
        rows = self.db.query(
            "SELECT * FROM patrol_plans WHERE retired_at IS NULL ORDER BY name COLLATE NOCASE"
        )
        return [self._plan(r) for r in rows]

    def plan(self, plan_id: str) -> PatrolPlan:
        self.session.require(Permission.VIEW_CAMERAS)
        row = self.db.query_one("SELECT * FROM patrol_plans WHERE id = ?", (plan_id,))
        if row is None:
            raise NotFound("patrol", "There is no patrol plan {id}.", id=plan_id)
        return self._plan(row)

    @staticmethod
    def _plan(r: sqlite3.Row) -> PatrolPlan:
        return PatrolPlan(
            id=r["id"],
            name=r["name"],
            layout=r["layout"],
            dwell_s=int(r["dwell_s"]),
            steps=tuple(PlanStep.from_json(s) for s in json.loads(r["steps"])),
            windows=_windows(json.loads(r["windows"])),
            auto_start=bool(r["auto_start"]),
            include_watches=bool(r["include_watches"]),
            notes=r["notes"],
        )

    def save_plan(
        self,
        name: str,
        steps: list[PlanStep],
        *,
        windows: list[Window] | None = None,
        layout: str = "4",
        dwell_s: int = 15,
        auto_start: bool = True,
        include_watches: bool = True,
        notes: str = "",
        plan_id: str | None = None,
    ) -> PatrolPlan:
        """Create a plan (``plan_id`` None) or replace one."""
        who = self.session.require(Permission.MANAGE_PATROL)
        from station_console.wall_layouts import standard

        name = name.strip()
        if not name or len(name) > 60:
            raise ValidationError("patrol", "A plan needs a name of 1 to 60 characters.")
        if not steps:
            raise ValidationError("patrol", "A plan needs at least one camera or site.")
        if len(steps) > MAX_STEPS:
            raise ValidationError("patrol", "A plan has at most {n} steps.", n=MAX_STEPS)
        if not 3 <= dwell_s <= 3600:
            raise ValidationError("patrol", "A dwell time is between 3 and 3600 seconds.")
        standard(layout)
        checked = [PlanStep.from_json(s.to_json()) for s in steps]
        for s in checked:  # the records must exist now, not only when the tour runs
            if s.camera_id:
                self.inventory.camera(s.camera_id)
            elif s.site_id:
                self.inventory.site(s.site_id)
        pid = plan_id or str(uuid.uuid4())
        values = (
            name, layout, dwell_s, json.dumps([s.to_json() for s in checked]),
            json.dumps([w.to_json() for w in windows or []]), int(auto_start),
            int(include_watches), notes, who.username, _utc(),
        )  # fmt: skip
        try:
            with self.db.write() as conn:
                if plan_id:
                    cur = conn.execute(
                        "UPDATE patrol_plans SET name=?, layout=?, dwell_s=?, steps=?, windows=?, "
                        "auto_start=?, include_watches=?, notes=?, created_by=?, updated_at=? "
                        "WHERE id = ? AND retired_at IS NULL",
                        (*values, pid),
                    )
                    if not cur.rowcount:
                        raise NotFound("patrol", "There is no patrol plan {id}.", id=pid)
                else:
                    conn.execute(
                        "INSERT INTO patrol_plans(name, layout, dwell_s, steps, windows, "
                        "auto_start, include_watches, notes, created_by, updated_at, id) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (*values, pid),
                    )
                self.audit.append(
                    who.username,
                    "patrol.plan.save",
                    f"plan:{pid}",
                    {"name": name, "steps": len(checked)},
                    conn=conn,
                )
        except sqlite3.IntegrityError as exc:
            raise ValidationError(
                "patrol", "There is already a plan called {name}.", name=name
            ) from exc
        return self.plan(pid)

    def retire_plan(self, plan_id: str) -> None:
        who = self.session.require(Permission.MANAGE_PATROL)
        with self.db.write() as conn:
            conn.execute(
                "UPDATE patrol_plans SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                (_utc(), plan_id),
            )
            self.audit.append(who.username, "patrol.plan.retire", f"plan:{plan_id}", conn=conn)

    def due_plans(self, now: datetime | None = None) -> list[PatrolPlan]:
        """Plans inside one of their windows now (auto-start ones first)."""
        now = now or self.local_now()
        due = [p for p in self.plans() if any_active(list(p.windows), now)]
        return sorted(due, key=lambda p: not p.auto_start)

    def suggest_steps(self, days: int = 90, limit: int = 30) -> list[PlanStep]:
        """Sites with the most incidents in the last ``days`` first, then key places.

        A plan that suggests itself from data: where things happen is where to look.
        """
        self.session.require(Permission.VIEW_CAMERAS)
        since = (datetime.now(UTC) - timedelta(days=days)).isoformat()
        counts: dict[str, int] = {}
        has_incidents = self.db.scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'incidents'"
        )
        if has_incidents:
            cols = {r["name"] for r in self.db.query("PRAGMA table_info(incidents)")}
            when = "reported_at" if "reported_at" in cols else "created_at"
            if "site_id" in cols and when in cols:
                for r in self.db.query(
                    f"SELECT site_id, count(*) AS n FROM incidents WHERE {when} >= ? "
                    "AND site_id IS NOT NULL GROUP BY site_id",
                    (since,),
                ):
                    counts[str(r["site_id"])] = int(r["n"])
        sites = [s for s in self.inventory.sites()]
        ranked = sorted(
            sites,
            key=lambda s: (-counts.get(s.id, 0), s.kind != SiteKind.KEY_PLACE, s.name),
        )
        steps = []
        for s in ranked[:limit]:
            busy = counts.get(s.id, 0)
            priority = 3 if busy >= 5 else 2 if busy or s.kind == SiteKind.KEY_PLACE else 1
            steps.append(PlanStep(site_id=s.id, priority=priority))
        return steps

    # -- temporary watches ------------------------------------------------------------------

    def add_watch(
        self,
        title: str,
        cameras: list[str],
        first_day: date,
        last_day: date,
        *,
        address: str = "",
        windows: list[Window] | None = None,
        dwell_s: int = 20,
        contact: str = "",
        notes: str = "",
    ) -> Watch:
        who = self.session.require(Permission.REGISTER_WATCH)
        title = title.strip()
        if not title:
            raise ValidationError("patrol", "A watch needs a title.")
        if not cameras:
            raise ValidationError("patrol", "Choose at least one camera that sees the address.")
        if last_day < first_day:
            raise ValidationError("patrol", "The last day comes before the first day.")
        for cid in cameras:
            self.inventory.camera(cid)
        wid = str(uuid.uuid4())
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO patrol_watches(id, title, address, cameras, first_day, last_day, "
                "windows, dwell_s, contact, notes, registered_by, created_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (wid, title, address, json.dumps(cameras), first_day.isoformat(),
                 last_day.isoformat(), json.dumps([w.to_json() for w in windows or []]),
                 dwell_s, contact, notes, who.username, _utc()),
            )  # fmt: skip
            self.audit.append(
                who.username,
                "patrol.watch.add",
                f"watch:{wid}",
                {"title": title, "from": first_day.isoformat(), "to": last_day.isoformat()},
                conn=conn,
            )
        return self.watch(wid)

    def watch(self, watch_id: str) -> Watch:
        row = self.db.query_one("SELECT * FROM patrol_watches WHERE id = ?", (watch_id,))
        if row is None:
            raise NotFound("patrol", "There is no watch {id}.", id=watch_id)
        return self._watch(row)

    @staticmethod
    def _watch(r: sqlite3.Row) -> Watch:
        return Watch(
            r["id"], r["title"], r["address"], tuple(json.loads(r["cameras"])),
            date.fromisoformat(r["first_day"]), date.fromisoformat(r["last_day"]),
            _windows(json.loads(r["windows"])), int(r["dwell_s"]), r["contact"], r["notes"],
        )  # fmt: skip

    def watches(self, active_at: datetime | None = None) -> list[Watch]:
        """All watches not cancelled; with ``active_at``, only those running then."""
        self.session.require(Permission.VIEW_CAMERAS)
        sql = "SELECT * FROM patrol_watches WHERE cancelled_at IS NULL"
        params: tuple[str, ...] = ()
        if active_at is not None:
            # Only watches whose dates can hold ``active_at`` (a night window opened
            # yesterday still runs): years of finished watches are not read and parsed.
            day = active_at.date()
            sql += " AND first_day <= ? AND last_day >= ?"
            params = (day.isoformat(), (day - timedelta(days=1)).isoformat())
        rows = self.db.query(sql + " ORDER BY first_day, title", params)
        found = [self._watch(r) for r in rows]
        if active_at is not None:
            found = [w for w in found if w.active(active_at)]
        return found

    def cancel_watch(self, watch_id: str) -> None:
        who = self.session.require(Permission.REGISTER_WATCH)
        with self.db.write() as conn:
            conn.execute(
                "UPDATE patrol_watches SET cancelled_at = ? WHERE id = ?", (_utc(), watch_id)
            )
            self.audit.append(who.username, "patrol.watch.cancel", f"watch:{watch_id}", conn=conn)

    # -- tours ---------------------------------------------------------------------------

    def cycle(self, plan: PatrolPlan, now: datetime | None = None) -> list[TourStep]:
        """One cycle of a plan's tour at ``now``: sites expanded, priorities, active watches."""
        items = self._steps(plan, now or self.local_now())
        return weighted_order(items) if items else []

    def _steps(self, plan: PatrolPlan, now: datetime) -> list[WeightedStep]:
        """The plan's cameras at ``now`` (sites expanded, active watches added), unordered."""
        items: list[WeightedStep] = []
        # The cameras of every site step in one read (a plan may cover hundreds of sites).
        at_site: dict[str, list[str]] = {}
        site_ids = [step.site_id for step in plan.steps if step.site_id]
        if site_ids:
            for cam in self.inventory.cameras(site_ids=site_ids):
                at_site.setdefault(cam.site_id or "", []).append(cam.id)
        for step in plan.steps:
            dwell = step.dwell_s or plan.dwell_s
            ids = [step.camera_id] if step.camera_id else at_site.get(step.site_id or "", [])
            for cid in ids:
                items.append(WeightedStep(TourStep(cid, dwell, plan.id, step.check), step.priority))
        if plan.include_watches:
            for watch in self.watches(active_at=now):
                for cid in watch.cameras:
                    items.append(WeightedStep(TourStep(cid, watch.dwell_s, plan.id, "", watch.id)))
        return items

    # -- coverage ------------------------------------------------------------------------

    def coverage(
        self,
        plan: PatrolPlan,
        since: datetime,
        until: datetime | None = None,
        username: str | None = None,
    ) -> Coverage:
        """Which of the plan's cameras were on screen for at least their dwell time.

        Any viewing counts (a camera the officer opened by hand was watched too); time is
        summed over the period, clipped to it.
        """
        self.session.require(Permission.VIEW_CAMERAS)
        until = until or datetime.now(UTC)
        lo, hi = since.astimezone(UTC), until.astimezone(UTC)
        planned: dict[str, int] = {}
        for item in self._steps(plan, self.local_now()):  # which cameras, not in what order
            step = item.step
            planned[step.camera_id] = max(planned.get(step.camera_id, 0), step.dwell_s)
        shown = {cid: 0.0 for cid in planned}
        if planned:
            marks = ",".join("?" * len(planned))
            # Each planned camera's viewings that end inside or after the period, from the
            # index ordered by their end: only those can reach into it. Named, because the
            # planner would rather take the officer's index and read every viewing the
            # officer ever had before the period's end.
            sql = (
                "SELECT camera_id, started_at, coalesce(ended_at, heartbeat_at) AS ended "
                "FROM camera_views INDEXED BY camera_views_camera_end "
                f"WHERE camera_id IN ({marks}) AND coalesce(ended_at, heartbeat_at) > ? "
                "AND started_at < ?"
            )
            params: list[Any] = [*planned, lo.isoformat(), hi.isoformat()]
            if username:
                sql += " AND username = ?"
                params.append(username)
            for r in self.db.query(sql, tuple(params)):
                start = max(datetime.fromisoformat(r["started_at"]), lo)
                end = min(datetime.fromisoformat(r["ended"]), hi)
                if r["ended"] and end > start:
                    shown[r["camera_id"]] += (end - start).total_seconds()
        cams = tuple(CameraCoverage(cid, planned[cid], shown[cid]) for cid in planned)
        return Coverage(plan.id, lo.isoformat(), hi.isoformat(), cams)

    def coverage_by_plan(
        self, since: datetime, until: datetime | None = None
    ) -> list[tuple[str, Coverage]]:
        """(plan name, coverage) of every plan in force over the period: what a spot check
        shows and what an ended shift reports to the hub."""
        return [(plan.name, self.coverage(plan, since, until)) for plan in self.plans()]

    # -- keeping years small ---------------------------------------------------------------

    def roll_up(self, older_than_days: int = RAW_RETENTION_DAYS) -> int:
        """Fold closed viewing rows older than the retention into ``patrol_daily``."""
        cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)).isoformat()
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO patrol_daily(day, camera_id, username, plan_id, shows, seconds) "
                "SELECT substr(started_at, 1, 10), camera_id, username, coalesce(plan_id, ''), "
                "count(*), coalesce(sum(seconds), 0) FROM camera_views "
                "WHERE ended_at IS NOT NULL AND started_at < ? "
                "GROUP BY 1, 2, 3, 4 "
                "ON CONFLICT(day, camera_id, username, plan_id) DO UPDATE SET "
                "shows = shows + excluded.shows, seconds = seconds + excluded.seconds",
                (cutoff,),
            )
            cur = conn.execute(
                "DELETE FROM camera_views WHERE ended_at IS NOT NULL AND started_at < ?",
                (cutoff,),
            )
        return int(cur.rowcount)
