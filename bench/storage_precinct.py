"""The P8 precinct: ten years of one station, written into the console's own tables.

``build`` makes the data directory of a station that has run for ten years: its inventory,
officers and duty shifts, the wall's viewing records (the patrol log), camera health
roll-ups, fault tickets with their whole life cycle, incidents from capture to outcome,
alarms, inspection rounds, patrol plans and watches, and the hub's instructions and
bulletins. The schema is the console's own: the station is opened once through
``open_station`` (so its migrations make every table), then the rows are written with plain
sqlite3 in one transaction, because services writing them one fsynced transaction at a time
would take hours.

Rows are written the way the services write them, so the services read them back as their
own (``bench.storage.check`` tries it on every run: foreign keys, a hundred faults replayed
from their outbox changes, a hundred incidents read in full, report statuses, the clock;
the whole audit chain in smoke mode):

* every event runs on one clock, in time order: the audit log is a valid hash chain
  (``row_hash``) with one row wherever a service appends one (each camera shown on the wall
  is two: ``camera.view`` and ``camera.view.end``);
* a fault is the merge of its changes: each change is an outbox row with its own HLC stamp,
  and the ticket's state holds every field with the stamp of the change that last set it;
* a reported incident puts its shaped record into the outbox at every change, as
  ``IncidentService._queue`` does; the sync cursor and the clock are where a station that
  syncs every few seconds leaves them;
* health history is daily for ten years, hourly (per camera, site and owner unit) for the
  last ``HOURLY_KEEP_DAYS`` days, as ``HealthStore.record`` and its roll-up leave it; the
  patrol log is ``camera_views`` (nothing in the console runs ``PatrolService.roll_up``, so
  ten years of viewings stay raw).

Not written: media files (incident and fault media rows name files that do not exist),
camera passwords, snapshots and guard-post checks.

Distributions: every camera exists for the whole ten years (the upper bound of the health
history), a site's cameras mostly share one owner unit; faults fall on cameras by a
heavy-tailed weight (a tenth of them have 40 % of the faults, the worst ~860 in ten years,
the median 57); most faults recover or are
repaired within days, a few hundred are open at the end, a few stay stuck for months;
incidents follow the evening and the busy places; the desk is staffed in three shifts a day
and the patrol log is what their tours and manual views put on screen.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import sqlite3
import uuid
from bisect import bisect
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from itertools import accumulate, count
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, ClassVar

from station_console.domain import OwnerKind, SiteKind
from station_console.health.alarms import FAMILY
from station_console.health.model import FAULT_KIND_LABELS, FaultKind, severity_for
from station_console.health.store import HOURLY_KEEP_DAYS
from station_console.incidents.model import Category, Outcome, Priority
from station_console.patrol_schedule import Window
from station_console.security.passwords import hash_password
from station_console.services.audit import GENESIS, row_hash
from station_console.services.inventory import clean_camera, clean_owner, clean_site
from station_console.services.patrol import PlanStep
from station_console.services.permissions import SYSTEM_ACTOR, Role
from station_console.settings import OPTIONS
from station_console.station import open_station
from station_console.sync.outbox import PRIVATE_FIELDS

PASSWORD = "bench-password"  # noqa: S105 - every officer of the generated precinct
DAY = 86_400.0
HOUR = 3_600.0
SHIFT = 8 * HOUR

# Tables whose indexes are dropped while they fill and made again afterwards from the
# migrations' own definitions (one sort per index instead of millions of random inserts).
BIG_TABLES = (
    "audit_log",
    "camera_views",
    "camera_health_daily",
    "camera_health_hourly",
    "outbox",
    "fault_tickets",
    "fault_events",
    "incidents",
    "incident_media",
    "alarms",
)

SITE_KINDS = {
    SiteKind.KEY_PLACE: 10,
    SiteKind.RESIDENTIAL: 30,
    SiteKind.VILLAGE: 15,
    SiteKind.STREET_SHOP: 15,
    SiteKind.SCHOOL: 5,
    SiteKind.ENTERPRISE: 10,
    SiteKind.ROAD: 10,
    SiteKind.CHECKPOINT: 5,
}
# How much happens where: incidents and manual views lean to busy places.
BUSY = {
    SiteKind.KEY_PLACE: 5.0,
    SiteKind.STREET_SHOP: 4.0,
    SiteKind.ROAD: 3.0,
    SiteKind.CHECKPOINT: 3.0,
    SiteKind.RESIDENTIAL: 2.0,
    SiteKind.SCHOOL: 2.0,
    SiteKind.VILLAGE: 1.0,
    SiteKind.ENTERPRISE: 1.0,
}
AUTO_KINDS = {
    FaultKind.OFFLINE: 40,
    FaultKind.SIGNAL_LOSS: 5,
    FaultKind.STREAM_STALLED: 5,
    FaultKind.AUTH_FAILED: 2,
    FaultKind.CLOCK_DRIFT: 5,
    FaultKind.BLACK: 3,
    FaultKind.FROZEN: 4,
    FaultKind.BLURRED: 6,
    FaultKind.COVERED: 2,
    FaultKind.COLOUR_CAST: 3,
    FaultKind.SNOW: 2,
}
PHYSICAL_KINDS = {
    FaultKind.DIRTY_LENS: 8,
    FaultKind.POLE_TILTED: 3,
    FaultKind.CABLE_CUT: 3,
    FaultKind.POWER: 4,
    FaultKind.VANDALISM: 2,
    FaultKind.OTHER: 3,
}
DOWN_KINDS = frozenset(k for k, family in FAMILY.items() if family == "down")
CATEGORIES = {
    Category.SUSPICIOUS_PERSON: 22,
    Category.SUSPICIOUS_VEHICLE: 15,
    Category.FIGHT: 8,
    Category.THEFT: 18,
    Category.TRAFFIC: 20,
    Category.FIRE: 2,
    Category.CROWD: 5,
    Category.OTHER: 10,
}
OUTCOMES = {
    Outcome.FALSE_ALARM: 20,
    Outcome.HANDLED_ON_SCENE: 45,
    Outcome.CLUE_PROVIDED: 20,
    Outcome.CURRENT_CASE_SOLVED: 10,
    Outcome.BACKLOG_CASE_SOLVED: 5,
}
# Incidents by hour of the day (local time of the precinct; the bench runs in UTC).
INCIDENT_HOURS = [2, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 5, 4, 4, 4, 5, 6, 7, 8, 8, 7, 5, 3]


def scale(smoke: bool) -> dict[str, int]:
    div = 100 if smoke else 1
    return {
        "cameras": max(2000 // div, 20),
        "sites": max(400 // div, 4),
        "owners": max(120 // div, 2),
        "faults": 200_000 // div,
        "incidents": 100_000 // div,
        "patrol": 5_000_000 // div,
        "years": 10,
    }


# -- time as the services write it -------------------------------------------------------------

_DAYS: dict[int, str] = {}


def _day(day_number: int) -> str:
    text = _DAYS.get(day_number)
    if text is None:
        text = _DAYS[day_number] = datetime.fromtimestamp(day_number * DAY, UTC).strftime(
            "%Y-%m-%d"
        )
    return text


def iso_ms(t: float) -> str:
    """``datetime.isoformat(timespec="milliseconds")`` of a UTC epoch time, fast."""
    ms = int(t * 1000)
    d, r = divmod(ms, 86_400_000)
    h, r = divmod(r, 3_600_000)
    m, r = divmod(r, 60_000)
    s, r = divmod(r, 1000)
    return f"{_day(d)}T{h:02d}:{m:02d}:{s:02d}.{r:03d}+00:00"


def iso_s(t: float) -> str:
    """``datetime.isoformat(timespec="seconds")`` of a UTC epoch time, fast."""
    sec = int(t)
    d, r = divmod(sec, 86_400)
    h, r = divmod(r, 3600)
    m, s = divmod(r, 60)
    return f"{_day(d)}T{h:02d}:{m:02d}:{s:02d}+00:00"


def chain_hash(prev_hash: str, ts: str, actor: str, action: str, target: str, detail: str) -> str:
    """``row_hash`` without building a list for ``json.dumps`` (the same C string encoder),
    three times as fast; ``Builder`` checks that both agree before it starts."""
    q = encode_basestring
    payload = f"[{q(prev_hash)}, {q(ts)}, {q(actor)}, {q(action)}, {q(target)}, {q(detail)}]"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _json(value: Any) -> str:
    """The services' JSON: sorted keys, Chinese as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass
class Place:
    id: str
    name: str
    kind: SiteKind
    community: str
    owner: str = ""  # cameras: owner unit id
    site: Place | None = None  # cameras: their site


@dataclass
class Plan:
    id: str
    name: str
    layout: int
    dwell_s: int
    cameras: list[Place]
    hours: tuple[int, int]  # UTC hours the plan's tours run, end exclusive, may wrap
    position: int = 0


@dataclass
class Alarm:
    id: int
    key: str
    family: str
    site_id: str | None
    raised: float
    updated: float
    cameras: list[str] = field(default_factory=list)
    clears: dict[str, float] = field(default_factory=dict)  # camera -> time it came back
    ack: tuple[float, str] | None = None

    def until(self) -> float:
        return max(self.clears.values(), default=math.inf)


class Builder:
    """Writes one precinct; ``run`` is the whole build."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        sizes: dict[str, int],
        rng: random.Random,
        *,
        node: str,
        now: float,
        media: Path,
    ) -> None:
        self.conn = conn
        self.media = media
        self.sizes = sizes
        self.rng = rng
        self.node = node
        self.now = now
        self.days = sizes["years"] * 365
        self.t0 = (math.floor(now / DAY) - self.days) * DAY
        self.counts: dict[str, int] = {}
        self._later: dict[int, list[tuple[float, int, str, tuple[Any, ...]]]] = {}
        self._order = count()
        self._batches: dict[str, list[tuple[Any, ...]]] = {}
        self._prev_hash = GENESIS
        self._stamps: dict[int, int] = {}
        self.last_stamp = ""
        self._ids = {"view": count(1), "shift": count(1), "alarm": count(1), "spot": count(1)}
        self.made = {"faults": 0, "incidents": 0, "patrol": 0}
        self._numbers: dict[str, int] = {}
        self.busy: dict[tuple[str, FaultKind], float] = {}  # open fault per camera and kind
        self.alarms: dict[str, Alarm] = {}  # active alarm per group key
        self.alarm_rows: list[Alarm] = []
        self.health_now: dict[str, tuple[str, str, float]] = {}
        self.recent_incidents: dict[str, deque[dict[str, Any]]] = {}
        self.pick_auto = self.weighted(list(AUTO_KINDS), AUTO_KINDS.values())
        self.pick_physical = self.weighted(list(PHYSICAL_KINDS), PHYSICAL_KINDS.values())
        self.pick_category = self.weighted(list(CATEGORIES), CATEGORIES.values())
        self.pick_outcome = self.weighted(list(OUTCOMES), OUTCOMES.values())
        self.pick_hour = self.weighted(range(24), INCIDENT_HOURS)
        probe = (GENESIS, iso_ms(now), "值班民警", "camera.view", 'a"\\b', '{"x": "é"}')
        assert chain_hash(*probe) == row_hash(*probe), "chain_hash no longer matches row_hash"

    # -- plumbing ------------------------------------------------------------------------------

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def ln(self, median_s: float, sigma: float = 1.0) -> float:
        """A log-normal delay: most near the median, a long tail."""
        return median_s * math.exp(self.rng.gauss(0.0, sigma))

    def stamp(self, t: float, node: str | None = None) -> str:
        """The HLC stamp a change at ``t`` gets (fixed width, sorts in time order)."""
        ms = int(t * 1000)
        if node is not None:
            return f"{ms:015d}-000000-{node}"
        n = self._stamps.get(ms, 0)
        self._stamps[ms] = n + 1
        stamp = f"{ms:015d}-{n:06d}-{self.node}"
        self.last_stamp = max(self.last_stamp, stamp)
        return stamp

    def at(self, t: float, table: str, row: tuple[Any, ...]) -> bool:
        """Schedule a row written at ``t``; rows of the future are never written."""
        if t > self.now:
            return False
        day = int((t - self.t0) // DAY)
        self._later.setdefault(day, []).append((t, next(self._order), table, row))
        return True

    def audit(self, t: float, actor: str, action: str, target: str = "",
              detail: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.at(t, "audit", (iso_ms(t), actor, action, target, _json(detail or {})))

    def outbox(self, t: float, entity: str, entity_id: str, fields: dict[str, Any],
               stamp: str) -> None:  # fmt: skip
        clean = {k: v for k, v in fields.items() if k not in PRIVATE_FIELDS}
        self.at(t, "outbox", (self.uid(), entity, entity_id, "upsert", _json(clean), stamp,
                              iso_ms(t)))  # fmt: skip

    SQL: ClassVar[dict[str, str]] = {
        "audit": "INSERT INTO audit_log(ts, actor, action, target, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        "outbox": "INSERT INTO outbox(op_id, entity, entity_id, op, fields, hlc, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        "fault_events": "INSERT INTO fault_events(fault_id, ts, actor, action, status, note, "
        "detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        "shift_events": "INSERT INTO shift_events(shift_id, at, kind, text) VALUES (?, ?, ?, ?)",
        "fault_tickets": "INSERT INTO fault_tickets(id, camera_id, status, summary, state, hlc, "
        "deleted, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "camera_views": "INSERT INTO camera_views(id, camera_id, username, started_at, "
        "heartbeat_at, ended_at, seconds, tiles_on_wall, large, stream, source, plan_id, "
        "shift_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    }

    def put(self, table: str, row: tuple[Any, ...]) -> None:
        batch = self._batches.setdefault(table, [])
        batch.append(row)
        if len(batch) >= 50_000:
            self._write(table)

    def _write(self, table: str) -> None:
        rows = self._batches.pop(table, [])
        if rows:
            sql = self.SQL.get(table) or (
                f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})"
            )
            self.conn.executemany(sql, rows)
            self.counts[table] = self.counts.get(table, 0) + len(rows)

    def flush_day(self, day: int) -> None:
        """Write what happened on ``day`` in time order; the audit rows join the chain."""
        events = self._later.pop(day, [])
        events.sort()
        audit = self._batches.setdefault("audit", [])
        prev = self._prev_hash
        for _, _, table, row in events:
            if table == "audit":
                digest = chain_hash(prev, *row)
                audit.append((*row, prev, digest))
                prev = digest
            else:
                self.put(table, row)
        self._prev_hash = prev
        if len(audit) >= 50_000:
            self._write("audit")

    def flush_all(self) -> None:
        for day in sorted(self._later):
            self.flush_day(day)
        for table in list(self._batches):
            self._write(table)

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        cols = list(rows[0])
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [tuple(r[c] for c in cols) for r in rows],
        )
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def weighted(self, items: Sequence[Any], weights: Iterable[float]) -> Callable[[], Any]:
        cum = list(accumulate(weights))
        total = cum[-1]
        rng = self.rng
        return lambda: items[bisect(cum, rng.random() * total)]

    # -- the build -----------------------------------------------------------------------------

    def run(self) -> None:
        self.people()
        self.estate()
        self.plans_and_hub()
        self.history()
        self.health()
        self.finish()

    def people(self) -> None:
        secret = hash_password(PASSWORD)  # one Argon2 hash, the same password for everyone
        crew = [("admin", "站长", Role.ADMIN)]
        crew += [(f"leader{i:02d}", f"值班领导{i:02d}", Role.DUTY_LEADER) for i in range(1, 5)]
        crew += [(f"officer{i:02d}", f"值班民警{i:02d}", Role.DUTY_OFFICER) for i in range(1, 17)]
        crew += [(f"cp{i:02d}", f"社区民警{i:02d}", Role.COMMUNITY_POLICE) for i in range(1, 9)]
        crew += [(f"tech{i:02d}", f"运维{i:02d}", Role.TECHNICIAN) for i in range(1, 4)]
        t = self.t0 - 5 * DAY + 9 * HOUR  # the station is set up before its ten years start
        rows = []
        for n, (name, display, role) in enumerate(crew):
            when = t + n * 60
            rows.append({"id": n + 1, "username": name, "display_name": display,
                         "role": role.value, "password_hash": secret,
                         "created_at": iso_s(when), "last_login_at": None})  # fmt: skip
            if role is Role.ADMIN:
                self.audit(when, name, "user.create_first_admin", f"user:{name}",
                           {"role": "admin"})  # fmt: skip
            else:
                self.audit(when, "admin", "user.create", f"user:{name}", {"role": role.value})
        self.insert("users", rows)
        self.display = {name: display for name, display, _ in crew}
        self.leaders = [c[0] for c in crew if c[2] is Role.DUTY_LEADER]
        self.officers = [c[0] for c in crew if c[2] is Role.DUTY_OFFICER]
        self.community_police = [c[0] for c in crew if c[2] is Role.COMMUNITY_POLICE]
        self.technicians = [c[0] for c in crew if c[2] is Role.TECHNICIAN]

    def estate(self) -> None:
        """Owner units, sites and cameras, added by a technician in the first days."""
        rng, sizes = self.rng, self.sizes
        t = self.t0 - 4 * DAY + 9 * HOUR
        tech = self.technicians[0]
        owner_kinds = list(OwnerKind)
        owners = []
        for i in range(sizes["owners"]):
            values = clean_owner({
                "name": f"产权单位{i:03d}", "kind": rng.choice(owner_kinds),
                "contact_person": f"联系人{i:03d}", "phone": f"0571-8{i:07d}",
            })  # fmt: skip
            owners.append(self._add(t + i * 20, "owner_units", "owner_unit", "owner", tech,
                                    values))  # fmt: skip
        communities = max(sizes["sites"] // 10, 2)
        kinds = list(SITE_KINDS)
        pick_kind = self.weighted(kinds, SITE_KINDS.values())
        self.sites: list[Place] = []
        t += HOUR
        for i in range(sizes["sites"]):
            kind = pick_kind() if i >= len(kinds) else kinds[i]  # every kind at least once
            community = f"社区{i % communities:02d}"
            values = clean_site({
                "name": f"点位{i:04d}", "kind": kind, "community": community,
                "grid": f"网格{i % 97:02d}", "address": f"某路{i}号",
                "latitude": 30.2 + rng.random() / 10, "longitude": 120.1 + rng.random() / 10,
            })  # fmt: skip
            sid = self._add(t + i * 20, "sites", "site", "site", tech, values)
            # A site's cameras mostly belong to one owner unit (the compound's property
            # company, the school, the shop).
            self.sites.append(Place(sid, values["name"], kind, community, rng.choice(owners)))
        self.cameras: list[Place] = []
        t += DAY
        vendors = ["Hikvision", "Dahua", "Uniview"]
        for i in range(sizes["cameras"]):
            site = (
                self.sites[i % len(self.sites)] if i < len(self.sites) else rng.choice(self.sites)
            )
            owner = site.owner if rng.random() < 0.9 else rng.choice(owners)
            vendor = rng.choice(vendors)
            values = clean_camera({
                "name": f"摄像机{i:05d}", "kind": rng.choice(["bullet", "dome", "class_a"]),
                "vendor": vendor, "model": f"{vendor[:2].upper()}-IPC-{rng.randrange(100, 999)}",
                "serial": f"SN{i:08d}",
                "mac": ":".join(f"{rng.randrange(256):02X}" for _ in range(6)),
                "firmware": f"V5.{rng.randrange(4, 8)}.{rng.randrange(10)}",
                "onvif_url": f"http://10.{i // 250 % 256}.{i % 250}.2/onvif/device_service",
                "gb_id": f"3301060000131{i:07d}", "networked_to_city": rng.random() < 0.3,
                "install_date": _day(int(self.t0 // DAY) - rng.randrange(0, 2000)),
                "main_stream_uri": f"rtsp://10.{i // 250 % 256}.{i % 250}.2:554/Streaming/101",
                "sub_stream_uri": f"rtsp://10.{i // 250 % 256}.{i % 250}.2:554/Streaming/102",
                "main_resolution": "1920x1080", "main_codec": "H.264",
                "sub_resolution": "640x360", "sub_codec": "H.264",
            })  # fmt: skip
            values["site_id"], values["owner_id"] = site.id, owner
            cid = self._add(t + i * 15, "cameras", "camera", "camera", tech, values)
            self.cameras.append(Place(cid, values["name"], site.kind, site.community, owner,
                                      site))  # fmt: skip
        cams = self.cameras
        self.of_site: dict[str, list[Place]] = {}
        for c in cams:
            assert c.site is not None
            self.of_site.setdefault(c.site.id, []).append(c)
        self.communities = sorted({s.community for s in self.sites})
        self.in_community = {
            name: [c for c in cams if c.community == name] for name in self.communities
        }
        self.officer_of = {
            name: self.community_police[i % len(self.community_police)]
            for i, name in enumerate(self.communities)
        }
        self.flaky = self.weighted(cams, [min(rng.paretovariate(1.2), 30.0) for _ in cams])
        self.busy_camera = self.weighted(cams, [BUSY[c.kind] * (0.5 + rng.random()) for c in cams])

    def _add(self, t: float, table: str, entity: str, audit: str, actor: str,
             values: dict[str, Any]) -> str:  # fmt: skip
        """One inventory record as ``Inventory._add_record`` writes it."""
        row = {"id": self.uid(), **values, "created_at": iso_s(t), "updated_at": iso_s(t)}
        self.insert(table, [row])
        self.outbox(t, entity, row["id"], row, self.stamp(t))
        self.audit(t, actor, f"{audit}.add", f"{audit}:{row['id']}", {"name": values["name"]})
        return str(row["id"])

    # -- plans, watches and what the hub sends ---------------------------------------------

    def plans_and_hub(self) -> None:
        rng = self.rng
        t = self.t0 - DAY + 10 * HOUR
        leader = self.leaders[0]

        def sites_of(*kinds: SiteKind) -> list[Place]:
            return [s for s in self.sites if s.kind in kinds]

        night = Window(time(20, 0), time(6, 0))
        specs = [
            ("全域轮巡", sites_of(*SiteKind), 16, 10, 1, [Window(time(0, 0), time(23, 59))],
             (6, 20)),
            ("夜间重点部位", sites_of(SiteKind.KEY_PLACE, SiteKind.CHECKPOINT), 4, 15, 2,
             [night], (20, 6)),
            ("沿街商铺", sites_of(SiteKind.STREET_SHOP, SiteKind.ROAD), 9, 12, 1,
             [Window(time(9, 0), time(22, 0))], (9, 20)),
            ("校园上下学", sites_of(SiteKind.SCHOOL), 4, 20, 2,
             [Window(time(7, 0), time(8, 30), "12345"), Window(time(16, 0), time(17, 30), "12345")],
             (7, 9)),
        ]  # fmt: skip
        self.plans: list[Plan] = []
        rows = []
        for n, (name, sites, layout, dwell, priority, windows, hours) in enumerate(specs):
            pid = self.uid()
            steps = [PlanStep(site_id=s.id, priority=priority) for s in sites[:500]]
            cams = [c for s in sites[:500] for c in self.of_site.get(s.id, [])]
            when = t + n * 600
            rows.append({
                "id": pid, "name": name, "layout": str(layout), "dwell_s": dwell,
                "steps": json.dumps([s.to_json() for s in steps]),
                "windows": json.dumps([w.to_json() for w in windows]), "auto_start": 1,
                "include_watches": 1, "notes": "", "created_by": leader,
                "updated_at": iso_ms(when), "retired_at": None,
            })  # fmt: skip
            self.audit(when, leader, "patrol.plan.save", f"plan:{pid}",
                       {"name": name, "steps": len(steps)})  # fmt: skip
            if cams:
                self.plans.append(Plan(pid, name, layout, dwell, cams, hours))
        # A plan tried for a year and retired.
        old = self.uid()
        rows.append({
            "id": old, "name": "春节安保", "layout": "4", "dwell_s": 15,
            "steps": json.dumps([PlanStep(camera_id=c.id).to_json() for c in self.cameras[:8]]),
            "windows": "[]", "auto_start": 0, "include_watches": 0, "notes": "",
            "created_by": leader, "updated_at": iso_ms(t + HOUR), "retired_at": iso_ms(t + 365 * DAY),
        })  # fmt: skip
        self.audit(t + HOUR, leader, "patrol.plan.save", f"plan:{old}",
                   {"name": "春节安保", "steps": 8})  # fmt: skip
        self.audit(t + 365 * DAY, leader, "patrol.plan.retire", f"plan:{old}")
        self.insert("patrol_plans", rows)
        # Bulletins from the command centre, about one a week.
        bulletins = []
        self.bulletins: list[tuple[float, str]] = []
        for k in range(self.days // 7):
            issued = self.t0 + k * 7 * DAY + rng.uniform(0, 7 * DAY)
            if issued > self.now:
                break
            bid = self.uid()
            fields = {"title": f"协查通报{k:04d}", "body": "请各所留意可疑人员。",
                      "level": rng.choice(["info", "warning"]), "issued_by": "指挥中心",
                      "issued_at": iso_s(issued), "photos": []}  # fmt: skip
            bulletins.append({"id": bid, **{c: fields[c] for c in ("title", "body", "level",
                              "issued_by", "issued_at")}, "fields": _json(fields),
                              "hlc": self.stamp(issued, "hub"), "deleted": 0,
                              "received_at": iso_ms(issued + rng.uniform(1, 30))})  # fmt: skip
            self.bulletins.append((issued, bid))
        self.insert("hub_bulletins", bulletins)
        self.bulletin_times = [b[0] for b in self.bulletins]

    # -- ten years, day by day -------------------------------------------------------------------

    def history(self) -> None:
        sizes, rng = self.sizes, self.rng
        for day in sorted(d for d in self._later if d < 0):  # setting the station up
            self.flush_day(day)
        shifts = self.days * 3 + 3
        self.shift_row: dict[str, Any] | None = None
        inspect_every = 91
        for day in range(self.days + 1):
            start = self.t0 + day * DAY
            if start > self.now:
                break
            days_left = self.days + 1 - day
            for k in range(3):
                begin = start + k * SHIFT
                if begin > self.now:
                    break
                left = sizes["patrol"] - self.made["patrol"]
                n = left // shifts + (rng.random() < (left % shifts) / shifts)
                shifts -= 1
                self.made["patrol"] += self.shift(begin, n)
            for c, community in enumerate(self.communities):
                if day % inspect_every == (c * 2) % inspect_every and day > 30:
                    self.inspection(start + rng.uniform(9, 11) * HOUR, community)
            span = min(DAY, self.now - start)  # today: only what happened so far
            for what in ("faults", "incidents"):
                left = sizes[what] - self.made[what]
                n = round(left / days_left + rng.uniform(-0.5, 0.5))
                for _ in range(max(0, min(n, left))):
                    if what == "faults":
                        self.fault(start + rng.uniform(0, span))
                        continue
                    at = start + (self.pick_hour() + rng.random()) * HOUR
                    self.incident(at if at <= self.now else start + rng.uniform(0, span))
            if rng.random() < 0.4:
                self.watch(start + rng.uniform(8, 20) * HOUR)
            if rng.random() < 0.33:
                self.spot_check(start + rng.uniform(9, 23) * HOUR)
            for _ in range(2):
                self.general_instruction(start + rng.uniform(0, DAY))
            # Events reach at most minutes back (a shift starts a little early): a day is
            # written once the next one is made, so the chain stays in time order.
            self.flush_day(day - 1)
        self.flush_all()

    def general_instruction(self, t: float) -> None:
        answer = self.instruction(t, None, None)
        if answer is None:
            return
        iid, received = answer
        when = received + self.ln(300)
        if when <= self.now:
            who = self.on_duty(when)
            self.put("instruction_acks", (iid, who, iso_ms(when)))
            self.audit(when, who, "instruction.ack", f"instruction:{iid}",
                       {"title": "指令：加强巡逻", "incident": None})  # fmt: skip

    def on_duty(self, t: float) -> str:
        return self.officers[int((t - self.t0) // SHIFT) % len(self.officers)]

    def cp_of(self, cam: Place) -> str:
        return self.officer_of[cam.community]

    # -- duty shifts and the patrol log -------------------------------------------------------

    def shift(self, begin: float, views: int) -> int:
        """One duty shift at the desk; returns the viewings written."""
        rng = self.rng
        who = self.on_duty(begin)
        sid = next(self._ids["shift"])
        started = begin + rng.uniform(-600, 300) if begin > self.t0 else begin
        end = begin + SHIFT + rng.uniform(-300, 600)
        ended = end if end <= self.now else None
        previous = self.shift_row
        self.audit(started - 20, who, "login", "", {"role": Role.DUTY_OFFICER.value})
        self.audit(started, who, "duty.shift.start", f"shift:{sid}")
        self.at(started, "shift_events", (sid, iso_ms(started), "start", ""))
        items = []
        if ended is not None:
            items = [{"kind": "watch", "ref": self.uid(), "text": "空屋预约"}] * rng.randrange(3)
            note = rng.choice(["", "平稳。", "夜间重点部位正常。", "有两处摄像机离线，已报修。"])
            self.at(ended, "shift_events", (sid, iso_ms(ended), "end", note))
            self.audit(ended, who, "duty.shift.end", f"shift:{sid}", {"open_items": len(items)})
            self.audit(ended + 5, who, "logout")
        else:
            note = ""
        self.shift_row = {
            "id": sid, "username": who, "display_name": self.display[who],
            "started_at": iso_ms(started), "ended_at": iso_ms(ended) if ended else None,
            "handover_note": note, "open_items": json.dumps(items),
            "taken_over_from": previous["id"] if previous else None,
        }  # fmt: skip
        self.put("duty_shifts", tuple(self.shift_row.values()))
        # Tours of the plan whose hours these are, and cameras opened by hand, in runs.
        hour = int(((begin - self.t0) % DAY) // HOUR)
        plans = [p for p in self.plans if _in_hours(hour, p.hours)] or self.plans
        written = 0
        runs = max(1, views // 60)
        t = started + rng.uniform(60, 600)
        stop = min(end, self.now)
        while written < views and t < stop:
            run = min(views - written, max(4, int(rng.uniform(0.5, 1.5) * views / runs)))
            if rng.random() < 0.75:
                plan = rng.choice(plans)
                t, n = self.tour(t, stop, plan, run, who, sid)
            else:
                t, n = self.manual(t, stop, run, who, sid)
            if n == 0:
                break
            written += n
            t += rng.uniform(0.2, 1.0) * max(0.0, stop - t) / max(1, runs)
        if rng.random() < 0.05 and ended is not None:
            at = started + rng.uniform(600, SHIFT - 600)
            text = f"{rng.choice(self.cameras).name} 离线，已跳过"
            self.at(at, "shift_events", (sid, iso_ms(at), "tour_skip", text))
        return written

    def _view(self, cam: Place, who: str, sid: int, start: float, seconds: float, tiles: int,
              large: bool, source: str, plan_id: str | None) -> None:  # fmt: skip
        vid = next(self._ids["view"])
        end = start + seconds
        stream = "main" if large or tiles == 1 else "sub"
        began, stopped = iso_ms(start), iso_ms(end)
        self.at(start, "audit", (began, who, "camera.view", f"camera:{cam.id}",
                                 f'{{"source": "{source}", "stream": "{stream}", "tiles": '
                                 f'{tiles}, "viewing": {vid}}}'))  # fmt: skip
        self.at(end, "audit", (stopped, who, "camera.view.end", f"camera:{cam.id}",
                               f'{{"seconds": {round(seconds, 1)!r}, "viewing": {vid}}}'))  # fmt: skip
        # Written now, not in time order: its ids are given, and only the chain needs order.
        self.put("camera_views", (vid, cam.id, who, began, stopped, stopped, round(seconds, 3),
                                  tiles, int(large), stream, source, plan_id, sid))  # fmt: skip

    def tour(self, t: float, stop: float, plan: Plan, n: int, who: str,
             sid: int) -> tuple[float, int]:  # fmt: skip
        rng = self.rng
        tiles = plan.layout
        written = 0
        while written < n:
            seconds = plan.dwell_s + rng.uniform(0.05, 0.4)
            if t + seconds > stop:
                break
            for k in range(min(tiles, n - written)):
                cam = plan.cameras[(plan.position + k) % len(plan.cameras)]
                self._view(cam, who, sid, t + k * 0.01, seconds, tiles, False, "tour", plan.id)
                written += 1
            plan.position = (plan.position + tiles) % len(plan.cameras)
            t += seconds + 0.3
        return t, written

    def manual(self, t: float, stop: float, n: int, who: str, sid: int) -> tuple[float, int]:
        rng = self.rng
        written = 0
        while written < n:
            tiles = rng.choice((1, 4, 4, 9))
            seconds = min(self.ln(90.0), 3600.0)
            if t + seconds > stop:
                break
            large = tiles > 1 and rng.random() < 0.1
            self._view(self.busy_camera(), who, sid, t, seconds, tiles, large, "manual", None)
            written += 1
            t += rng.uniform(0.3, 1.0) * seconds
        return t, written

    def watch(self, t: float) -> None:
        """A temporary watch (an empty home over the holidays)."""
        rng = self.rng
        wid = self.uid()
        who = rng.choice(self.officers + self.community_police)
        first = datetime.fromtimestamp(t, UTC).date() + timedelta(days=rng.randrange(0, 5))
        last = first + timedelta(days=rng.randrange(2, 20))
        cams = [self.busy_camera().id for _ in range(rng.randrange(1, 4))]
        windows = [Window(time(20, 0), time(6, 0)).to_json()] if rng.random() < 0.5 else []
        cancelled = t + rng.uniform(1, 3) * DAY if rng.random() < 0.05 else None
        if cancelled is not None and cancelled > self.now:
            cancelled = None
        self.put("patrol_watches", (
            wid, f"空屋预约{wid[:4]}", f"某小区{rng.randrange(1, 40)}幢", json.dumps(cams),
            first.isoformat(), last.isoformat(), json.dumps(windows), 20,
            f"1{rng.randrange(3_000_000_000, 9_999_999_999)}", "", who, iso_ms(t),
            iso_ms(cancelled) if cancelled else None,
        ))  # fmt: skip
        self.audit(t, who, "patrol.watch.add", f"watch:{wid}",
                   {"title": f"空屋预约{wid[:4]}", "from": first.isoformat(),
                    "to": last.isoformat()})  # fmt: skip
        if cancelled is not None:
            self.audit(cancelled, who, "patrol.watch.cancel", f"watch:{wid}")

    def spot_check(self, t: float) -> None:
        if t > self.now:
            return
        rng = self.rng
        leader = rng.choice(self.leaders)
        on_duty = [self.on_duty(t)]
        summary = {}
        for plan in self.plans:
            planned = len(plan.cameras)
            missed = [c.id for c in plan.cameras if rng.random() < 0.3][:50]
            summary[plan.name] = {"planned": planned, "covered": planned - len(missed),
                                  "missed": missed}  # fmt: skip
        remarks = rng.choice(["", "在岗，巡逻正常。", "提醒按计划轮巡。"])
        spot = next(self._ids["spot"])
        self.put("spot_checks", (spot, leader, iso_ms(t), None, json.dumps(on_duty),
                                 json.dumps(summary, ensure_ascii=False), remarks))  # fmt: skip
        self.audit(t, leader, "duty.spot_check", f"spot:{spot}",
                   {"on_duty": on_duty, "remarks": remarks})  # fmt: skip

    # -- faults, alarms and inspections --------------------------------------------------------

    def fault(self, t: float, cam: Place | None = None, kind: FaultKind | None = None, *,
              source: str = "", who: str = "") -> str:  # fmt: skip
        """One fault's life as the fault desk records it; returns its id ("" if none)."""
        rng = self.rng
        if t > self.now:
            return ""
        if kind is None:
            auto = rng.random() < 0.85
            kind = self.pick_auto() if auto else self.pick_physical()
            source = "auto" if auto else "manual"
        if not who:
            who = SYSTEM_ACTOR if source == "auto" else self.on_duty(t)
        if cam is not None:  # one open fault per camera and kind: a repeat is no new ticket
            if self.busy.get((cam.id, kind), 0.0) > t:
                return ""
        else:
            for _ in range(10):
                cam = self.flaky()
                if self.busy.get((cam.id, kind), 0.0) <= t:
                    break
            else:
                return ""
        assert cam.site is not None
        self.made["faults"] += 1
        t = round(t, 3)
        fid = self.uid()
        severity = severity_for(kind, cam.kind is SiteKind.KEY_PLACE)
        hours = int(OPTIONS[f"fault_due_hours_{severity.value}"].default)
        state: dict[str, list[Any]] = {}
        last = {"t": t, "stamp": "", "status": "open"}
        target = f"fault:{fid}"

        def change(when: float, fields: dict[str, Any], actor: str, action: str,
                   note: str = "", detail: dict[str, Any] | None = None) -> bool:  # fmt: skip
            if when > self.now:
                return False
            stamp = self.stamp(when)
            for k, v in fields.items():
                state[k] = [v, stamp]
            state["_deleted"] = [False, stamp]
            last.update(t=when, stamp=stamp, status=str(fields.get("status", last["status"])))
            self.outbox(when, "fault", fid, fields, stamp)
            # In the order of the fault's changes, which is all its history needs.
            self.put("fault_events", (fid, iso_s(when), actor, action, last["status"], note,
                                      _json(detail or {})))  # fmt: skip
            return True

        manual = source != "auto"
        summary = f"{cam.name}: {FAULT_KIND_LABELS[kind]}"
        description = rng.choice(["镜头脏污", "立杆倾斜", "线路被挖断", "停电", "人为破坏",
                                  "画面异常"]) if manual else ""  # fmt: skip
        ref = self._evidence(t, kind)
        opened = {
            "camera_id": cam.id, "kind": kind.value, "source": source,
            "severity": severity.value, "status": "open", "summary": summary,
            "description": description, "opened_at": iso_s(t), "opened_by": who,
            "due_at": iso_s(t + hours * HOUR), "occurrences": 1, "last_occurrence_at": iso_s(t),
            "recovered_at": None, "evidence": [] if manual else [ref],
        }  # fmt: skip
        if manual:
            opened["photo"] = ""
            change(t, opened, who, "opened", description, {"source": source})
            self.audit(t, who, "fault.log", target,
                       {"camera": cam.id, "kind": kind.value, "source": source})  # fmt: skip
        else:
            change(t, opened, SYSTEM_ACTOR, "opened", "", ref)
            self.audit(t, SYSTEM_ACTOR, "fault.open", target,
                       {"camera": cam.id, "kind": kind.value})  # fmt: skip
        family = FAMILY.get(kind)
        stuck = 40.0 if rng.random() < 0.003 else 1.0
        cp = self.cp_of(cam)
        now = t
        recovered: float | None = None
        dismissed = rng.random() < 0.03
        self_heals = (
            not manual and not dismissed and rng.random() < (0.7 if kind in DOWN_KINDS else 0.5)
        )
        if not manual:  # a flapping camera: recoveries and repeats on the same ticket
            evidence = [ref]
            occurrences = 1
            while rng.random() < 0.35:
                now += self.ln(1200)
                change(now, {"recovered_at": iso_s(now)}, SYSTEM_ACTOR, "recovered")
                now += self.ln(1800)
                occurrences += 1
                again = self._evidence(now, kind)
                evidence = (evidence[:1] + evidence[1:][-4:] + [again])[-6:]
                change(now, {"occurrences": occurrences, "last_occurrence_at": iso_s(now),
                             "recovered_at": None, "evidence": evidence}, SYSTEM_ACTOR,
                       "occurrence", "", again)  # fmt: skip

        def advance(when: float, status: str, actor: str, action: str, note: str = "",
                    extra: dict[str, Any] | None = None) -> None:  # fmt: skip
            before = last["status"]
            fields = {"status": status, f"{status}_at": iso_s(when), f"{status}_by": actor,
                      **(extra or {})}  # fmt: skip
            if note:
                fields[f"{status}_note"] = note
            if change(when, fields, actor, action, note):
                self.audit(when, actor, f"fault.{action}", target,
                           {"from": before, "to": status, **({"note": note} if note else {})})  # fmt: skip

        if dismissed:
            now += self.ln(2 * HOUR) * stuck
            advance(now, "closed", cp, "dismissed", "误报", {"verified": False})
            recovered = now
        elif self_heals:
            now += self.ln(40 * 60) * stuck
            recovered = now
            change(now, {"recovered_at": iso_s(now)}, SYSTEM_ACTOR, "recovered")
            now += self.ln(16 * HOUR) * stuck
            advance(now, "closed", cp, "closed", rng.choice(["", "画面已恢复"]), {"verified": True})
        else:
            if rng.random() < 0.7:
                now += self.ln(3 * HOUR) * stuck
                advance(now, "owner_notified", cp, "owner_notified", "已电话通知产权单位")
            now += self.ln(30 * HOUR) * stuck
            advance(now, "in_repair", cp, "in_repair")
            now += self.ln(40 * HOUR) * stuck
            if not manual:
                recovered = now - self.ln(600, 0.5)
                change(recovered, {"recovered_at": iso_s(recovered)}, SYSTEM_ACTOR, "recovered")
            else:
                recovered = now
            advance(now, "resolved", cp, "resolved", "已维修")
            now += self.ln(8 * HOUR) * stuck
            advance(now, "closed", cp, "closed", "", {"verified": True})
        self.busy[(cam.id, kind)] = now
        if family is not None:
            self._alarm(t, cam, family, recovered)
        if last["status"] != "closed" and kind.value not in ("clock_drift", "auth_failed"):
            down = recovered is None or recovered > self.now
            if down:
                state_now = "offline" if kind in DOWN_KINDS else "degraded"
                old = self.health_now.get(cam.id)
                if old is None or old[0] != "offline":
                    self.health_now[cam.id] = (state_now, kind.value, t)
        values = {k: v[0] for k, v in state.items()}
        self.put("fault_tickets", (
            fid, cam.id, values["status"], summary, _json(state), last["stamp"], 0,
            iso_ms(float(last["t"])),
        ))  # fmt: skip
        return fid

    def _evidence(self, t: float, kind: FaultKind) -> dict[str, Any]:
        ref: dict[str, Any] = {"taken_at": iso_s(t)}
        if kind in DOWN_KINDS:
            ref["detail"] = "ONVIF: timeout; RTSP: timeout"
        elif kind not in (FaultKind.AUTH_FAILED, FaultKind.CLOCK_DRIFT):
            ref["measurements"] = {"mean_luma": round(self.rng.uniform(2, 200), 3),
                                   "sharpness": round(self.rng.uniform(0, 50), 3)}  # fmt: skip
        return ref

    def _alarm(self, t: float, cam: Place, family: str, back: float | None) -> None:
        """The alarm bar: cameras of one site going dark join one alarm until all are back."""
        assert cam.site is not None
        key = f"site:{cam.site.id}:{family}"
        alarm = self.alarms.get(key)
        if alarm is None or alarm.until() <= t:
            alarm = Alarm(next(self._ids["alarm"]), key, family, cam.site.id, t, t)
            self.alarms[key] = alarm
            self.alarm_rows.append(alarm)
        if cam.id not in alarm.cameras:
            alarm.cameras.append(cam.id)
        alarm.clears[cam.id] = back if back is not None else math.inf
        alarm.updated = max(alarm.updated, t)
        if alarm.ack is None or alarm.ack[0] < t:  # raised (again): an officer acknowledges
            when = t + self.ln(120)
            if when <= self.now:
                who = self.on_duty(when)
                alarm.ack = (when, who)
                self.audit(when, who, "alarm.acknowledge", f"alarm:{alarm.id}")
            else:
                alarm.ack = None

    def inspection(self, t: float, community: str) -> None:
        """A community officer's round: every camera of the community, pass or fail."""
        rng = self.rng
        cams = self.in_community[community]
        if not cams or t > self.now:
            return
        cp = self.officer_of[community]
        rid = self.uid()
        self.audit(t, cp, "inspection.start", f"inspection:{rid}",
                   {"community": community, "cameras": len(cams)})  # fmt: skip
        when = t
        for cam in cams:
            when += rng.uniform(60, 300)
            if when > self.now:
                break
            passed = rng.random() > 0.03
            fault_id = None
            kind = None
            if not passed:
                kind = self.pick_physical()
                fault_id = self.fault(when, cam, kind, source="inspection", who=cp) or None
            remarks = "" if passed else "现场检查发现问题"
            self.put("inspection_items", (rid, cam.id, "pass" if passed else "fail",
                                          kind.value if kind else "", remarks, "", iso_s(when),
                                          fault_id))  # fmt: skip
            self.audit(when, cp, "inspection.item", f"inspection:{rid}",
                       {"camera": cam.id, "passed": passed, "fault": fault_id})  # fmt: skip
        finished = iso_s(when) if when <= self.now else None
        self.put("inspection_rounds", (rid, community, cp, iso_s(t), finished, ""))

    # -- incidents and the command centre ------------------------------------------------------

    def instruction(self, t: float, incident: dict[str, Any] | None,
                    priority: str | None) -> tuple[str, float] | None:  # fmt: skip
        """An instruction from the hub (for an incident, or general); its acknowledgement."""
        if t > self.now:
            return None
        rng = self.rng
        iid = self.uid()
        received = t + rng.uniform(1, 8)
        if received > self.now:
            return None
        title = f"指令：核实 {incident['number']}" if incident else "指令：加强巡逻"
        fields = {"title": title, "body": "请立即核实并反馈。", "priority": priority or "normal",
                  "incident_id": incident["id"] if incident else "", "issued_by": "指挥中心",
                  "issued_at": iso_s(t)}  # fmt: skip
        self.put("hub_instructions", (
            iid, fields["title"], fields["body"], fields["priority"], fields["incident_id"],
            fields["issued_by"], fields["issued_at"], _json(fields), self.stamp(t, "hub"), 0,
            iso_ms(received),
        ))  # fmt: skip
        return iid, received

    def incident(self, t: float) -> None:
        """One incident from the key press to its outcome, as ``IncidentService`` writes it."""
        rng = self.rng
        t = round(t, 3)
        cam = self.busy_camera()
        assert cam.site is not None
        self.made["incidents"] += 1
        who = self.on_duty(t)
        iid = self.uid()
        local = datetime.fromtimestamp(t).astimezone()
        prefix = local.strftime("%Y%m%d")
        self._numbers[prefix] = self._numbers.get(prefix, 0) + 1
        number = f"{prefix}-{self._numbers[prefix]:03d}"
        missing: list[dict[str, str]] = []
        media: list[dict[str, Any]] = []
        links: list[str] = []
        acks: list[dict[str, str]] = []
        folder = str(self.media / "incidents" / local.strftime("%Y-%m-%d") / iid)
        snapshot = rng.random() < 0.95
        clip = rng.random() < 0.75
        bulletin = ""
        issued = bisect(self.bulletin_times, t)  # bulletins issued before the key press
        if issued and rng.random() < 0.03:
            bulletin = self.bulletins[issued - 1 - rng.randrange(min(4, issued))][1]
        row: dict[str, Any] = {
            "id": iid, "number": number, "camera_id": cam.id, "camera_name": cam.name,
            "site_id": cam.site.id, "site_name": cam.site.name, "occurred_at": iso_ms(t),
            "officer": who, "officer_name": self.display[who], "category": "other",
            "priority": "normal", "note": "", "state": "captured", "reported_at": None,
            "dispatched_at": None, "on_scene_at": None, "closed_at": None, "hub_ack_at": None,
            "outcome": "", "suspects_caught": 0, "outcome_note": "", "bulletin_id": bulletin,
            "clip_state": "pending" if clip else "none",
            "clip_due_at": iso_ms(t + 30) if clip else None, "missing": "[]",
            "created_at": iso_ms(t), "updated_at": iso_ms(t),
        }  # fmt: skip
        sha = f"{rng.getrandbits(256):064x}"
        if snapshot:
            media.append({
                "incident_id": iid, "kind": "snapshot", "camera_id": cam.id,
                "path": f"{folder}/snapshot-{cam.id[:8]}.jpg", "sha256": sha,
                "bytes": rng.randrange(150_000, 400_000), "width": 1920, "height": 1080,
                "started_at": iso_ms(t), "ended_at": iso_ms(t), "asked_start": None,
                "asked_end": None, "frames": 0, "created_at": iso_ms(t),
            })  # fmt: skip
        else:
            missing.append({"what": "snapshot", "reason": "camera_offline", "detail": ""})
        row["missing"] = json.dumps(missing, ensure_ascii=False)
        self.audit(t, who, "incident.capture", f"incident:{iid}", {
            "number": number, "camera": cam.id, "snapshot": sha if snapshot else None,
            "clip_pending": clip, "missing": missing, "bulletin": bulletin or None,
        })  # fmt: skip
        steps: list[tuple[float, Callable[[float], None]]] = []

        def touch(when: float, **values: Any) -> None:
            row.update(values, updated_at=iso_ms(when))

        def queue(when: float) -> None:
            if row["reported_at"] is None:
                return
            fields = {k: v for k, v in row.items() if k not in ("missing", "officer")}
            fields["missing"] = json.loads(row["missing"])
            fields["title"] = f"{row['number']} {row['camera_name']}".strip()
            fields["media"] = [
                {"kind": m["kind"], "camera_id": m["camera_id"], "file": m["path"].rsplit("/")[-1],
                 "sha256": m["sha256"], "bytes": m["bytes"], "started_at": m["started_at"],
                 "ended_at": m["ended_at"]}
                for m in media
            ]  # fmt: skip
            fields["links"] = sorted(links)
            fields["instruction_acks"] = list(acks)
            self.outbox(when, "incident", iid, fields, self.stamp(when))

        now = t
        if clip:
            now += rng.uniform(31, 40)
            if rng.random() < 0.94:

                def saved(when: float) -> None:
                    clip_sha = f"{rng.getrandbits(256):064x}"
                    media.append({
                        "incident_id": iid, "kind": "clip", "camera_id": cam.id,
                        "path": f"{folder}/clip-{cam.id[:8]}.mp4", "sha256": clip_sha,
                        "bytes": rng.randrange(4_000_000, 12_000_000), "width": 0, "height": 0,
                        "started_at": iso_ms(t - 15), "ended_at": iso_ms(t + 30),
                        "asked_start": iso_ms(t - 15), "asked_end": iso_ms(t + 30),
                        "frames": 1125, "created_at": iso_ms(when),
                    })  # fmt: skip
                    touch(when, clip_state="saved")
                    self.audit(when, who, "incident.clip", f"incident:{iid}", {
                        "sha256": clip_sha, "file": f"clip-{cam.id[:8]}.mp4", "seconds": 45.0,
                        "asked_seconds": 45.0, "before_press_s": 0.0,
                    })  # fmt: skip
                    queue(when)

                steps.append((now, saved))
            else:

                def failed(when: float) -> None:
                    gone = [*json.loads(row["missing"]),
                            {"what": "clip", "reason": "interrupted", "detail": ""}]  # fmt: skip
                    touch(when, clip_state="failed", missing=json.dumps(gone, ensure_ascii=False))
                    self.audit(when, who, "incident.clip.failed", f"incident:{iid}",
                               {"reason": "interrupted", "detail": ""})  # fmt: skip
                    queue(when)

                steps.append((now, failed))
        if rng.random() < 0.96:  # reported to the command centre (the rest stay captures)
            category = self.pick_category()
            priority = rng.choices(list(Priority), weights=[80, 17, 3])[0]
            note = rng.choice(["", "两人在店门口争执", "可疑车辆徘徊", "电动车被盗", "路口剐蹭"])
            now = max(now, t) + self.ln(90, 0.6)

            def report(when: float) -> None:
                touch(when, category=category.value, priority=priority.value, note=note,
                      reported_at=iso_ms(when), state="reported")  # fmt: skip
                self.audit(when, who, "incident.report", f"incident:{iid}", {
                    "number": number, "category": category.value, "priority": priority.value,
                })  # fmt: skip
                queue(when)

            steps.append((now, report))

            def stage(state: str) -> Callable[[float], None]:
                """The officer's step to ``state`` (dispatched, on_scene), its time stamped."""

                def step(when: float) -> None:
                    touch(when, state=state, **{f"{state}_at": iso_ms(when)})
                    self.audit(when, who, f"incident.{state}", f"incident:{iid}",
                               {"number": number, "at": iso_ms(when)})  # fmt: skip
                    queue(when)

                return step

            outcome = self.pick_outcome()
            quick = outcome is Outcome.FALSE_ALARM and rng.random() < 0.5
            if not quick:
                if rng.random() < 0.6:  # the hub answers with an instruction: dispatched
                    issued = now + self.ln(50, 0.5)
                    answer = self.instruction(issued, row, priority.value)
                    if answer is not None:
                        instruction_id, received = answer
                        now = received + rng.uniform(1, 15)

                        def acknowledged(when: float, issued: float = issued,
                                         received: float = received) -> None:  # fmt: skip
                            touch(when, hub_ack_at=iso_ms(received), state="dispatched",
                                  dispatched_at=iso_ms(issued))  # fmt: skip
                            self.audit(when, SYSTEM_ACTOR, "incident.acknowledged",
                                       f"incident:{iid}", {"dispatched_at": iso_ms(issued)})  # fmt: skip
                            queue(when)

                        steps.append((now, acknowledged))
                        now += self.ln(90)

                        def ack(when: float, instruction_id: str = instruction_id) -> None:
                            acks.append({"instruction_id": instruction_id, "acked_by": who,
                                         "acked_at": iso_ms(when)})  # fmt: skip
                            self.put("instruction_acks", (instruction_id, who, iso_ms(when)))
                            self.audit(when, who, "instruction.ack",
                                       f"instruction:{instruction_id}",
                                       {"title": f"指令：核实 {number}", "incident": iid})  # fmt: skip
                            queue(when)

                        steps.append((now, ack))
                else:
                    now += self.ln(70, 0.6)
                    steps.append((now, stage("dispatched")))
                now += self.ln(180, 0.6)
                steps.append((now, stage("on_scene")))
            earlier = self.recent_incidents.get(cam.site.id)
            if earlier and rng.random() < 0.15:
                other = earlier[-1]
                now += self.ln(300)

                def link(when: float, other: dict[str, Any] = other) -> None:
                    if other["last"] >= when:
                        return
                    links.append(other["row"]["id"])
                    other["links"].append(iid)
                    self.audit(when, who, "incident.link", f"incident:{iid}",
                               {"with": other["row"]["id"],
                                "numbers": [number, other["row"]["number"]]})  # fmt: skip
                    self.put("incident_links", (*sorted((iid, other["row"]["id"])), who,
                                                iso_ms(when)))  # fmt: skip
                    queue(when)
                    other["queue"](when)

                steps.append((now, link))
            now += self.ln(25 * 60, 0.8)
            suspects = rng.randrange(1, 4) if outcome in (Outcome.CURRENT_CASE_SOLVED,
                                                          Outcome.BACKLOG_CASE_SOLVED) else 0  # fmt: skip

            def closed(when: float) -> None:
                touch(when, outcome=outcome.value, suspects_caught=suspects,
                      outcome_note="", state="closed",
                      closed_at=max(iso_ms(when), row["reported_at"] or ""))  # fmt: skip
                self.audit(when, who, "incident.outcome", f"incident:{iid}", {
                    "number": number, "outcome": outcome.value, "suspects_caught": suspects,
                    "closed": True,
                })  # fmt: skip
                queue(when)

            steps.append((now, closed))
        last = t
        for when, step in sorted(steps, key=lambda s: s[0]):
            if when > self.now:
                break
            step(when)
            last = when
        self.put("incidents", tuple(row.values()))  # in the table's column order
        for m in media:
            self.put("incident_media", (None, *m.values()))
        if row["state"] == "closed":

            def requeue(when: float) -> None:
                fields_row = dict(row)
                fields = {k: v for k, v in fields_row.items() if k not in ("missing", "officer")}
                fields.update(missing=json.loads(row["missing"]),
                              title=f"{row['number']} {row['camera_name']}".strip(),
                              links=sorted(other_links), instruction_acks=list(acks),
                              media=[{"kind": m["kind"], "camera_id": m["camera_id"],
                                      "file": m["path"].rsplit("/")[-1], "sha256": m["sha256"],
                                      "bytes": m["bytes"], "started_at": m["started_at"],
                                      "ended_at": m["ended_at"]} for m in media])  # fmt: skip
                self.outbox(when, "incident", iid, fields, self.stamp(when))

            other_links = links
            self.recent_incidents.setdefault(cam.site.id, deque(maxlen=3)).append(
                {"row": row, "last": last, "links": other_links, "queue": requeue}
            )

    # -- health roll-ups, and what is left to write ------------------------------------------

    def health(self) -> None:
        """Daily roll-ups for ten years, hourly ones for the last weeks, each camera's state.

        As ``HealthStore.record`` writes them: every check counts in its camera's hour and
        day, and in the hours of the camera's site and owner unit.
        """
        rng = self.rng
        keep = datetime.fromtimestamp(self.now, UTC) - timedelta(days=HOURLY_KEEP_DAYS)
        first_hourly_day = int(
            keep.replace(hour=0, minute=0, second=0, microsecond=0).timestamp() // DAY
        )
        last_hour = int(self.now // HOUR)
        first_day = int(self.t0 // DAY)
        checks_day, checks_hour = 5760, 240  # one check every 15 s
        pictures_day, pictures_hour = 288, 12  # one picture diagnosis every 5 min
        daily: list[tuple[Any, ...]] = []
        hourly: list[tuple[Any, ...]] = []
        hours = [
            datetime.fromtimestamp(h * HOUR, UTC).strftime("%Y-%m-%dT%H")
            for h in range(first_hourly_day * 24, last_hour + 1)
        ]
        days = [_day(d) for d in range(first_day, first_hourly_day)]
        places: dict[str, dict[tuple[str, str], list[int]]] = {
            "site_health_hourly": {},
            "owner_health_hourly": {},
        }
        for cam in sorted(self.cameras, key=lambda c: c.id):  # primary-key order: appends
            assert cam.site is not None
            shaky = rng.random() < 0.1
            for day in days:
                r = rng.random()
                if r < (0.08 if shaky else 0.02):
                    online = int(checks_day * r * (12 if shaky else 50))
                    bad = rng.randrange(0, 30)
                else:
                    online, bad = checks_day, 0
                daily.append((cam.id, day, checks_day, online, pictures_day, bad))
            today: list[Any] = []
            for hour in hours:
                r = rng.random()
                online = checks_hour if r > 0.01 else int(checks_hour * r * 100)
                hourly.append((cam.id, hour, checks_hour, online, pictures_hour, 0))
                for table, place_id in (
                    ("site_health_hourly", cam.site.id),
                    ("owner_health_hourly", cam.owner),
                ):
                    place = places[table].setdefault((hour, place_id), [0, 0, 0, 0])
                    place[0] += checks_hour
                    place[1] += online
                    place[2] += pictures_hour
                if not today or today[1] != hour[:10]:
                    if today:
                        daily.append(tuple(today))
                    today = [cam.id, hour[:10], 0, 0, 0, 0]
                today[2] += checks_hour
                today[3] += online
                today[4] += pictures_hour
            if today:
                daily.append(tuple(today))
            if len(daily) > 200_000:
                self._health_rows(daily, hourly)
        self._health_rows(daily, hourly)
        for table, rows in places.items():
            self.conn.executemany(
                f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?)",
                [(*key, *acc) for key, acc in rows.items()],
            )
            self.counts[table] = len(rows)
        rows = []
        last = iso_s(self.now - rng.uniform(0, 15))
        for cam in self.cameras:
            state, problem, since = self.health_now.get(cam.id, ("online", "", self.t0))
            rows.append({
                "camera_id": cam.id, "state": state, "problem": problem, "detail": "",
                "since": iso_s(since), "last_check_at": last,
                "last_online_at": last if state != "offline" else iso_s(since),
                "first_online_at": iso_s(self.t0), "clock_offset_s": round(rng.gauss(0, 2), 3),
                "rtt_ms": round(rng.uniform(2, 40), 1),
                "snapshot_uri": f"http://{cam.id[:8]}.cam/onvif/snapshot",
                "last_diagnosis_at": last, "picture": problem if state == "degraded" else "",
                "baseline": '{"mean_luma":96.0}',
            })  # fmt: skip
        self.insert("camera_health", rows)

    def _health_rows(self, daily: list[tuple[Any, ...]], hourly: list[tuple[Any, ...]]) -> None:
        self.conn.executemany("INSERT INTO camera_health_daily VALUES (?, ?, ?, ?, ?, ?)", daily)
        self.conn.executemany("INSERT INTO camera_health_hourly VALUES (?, ?, ?, ?, ?, ?)", hourly)
        self.counts["camera_health_daily"] = self.counts.get("camera_health_daily", 0) + len(daily)
        self.counts["camera_health_hourly"] = self.counts.get("camera_health_hourly", 0) + len(
            hourly
        )
        daily.clear()
        hourly.clear()

    def finish(self) -> None:
        rows = []
        for a in self.alarm_rows:
            cleared = a.until()
            back = [c for c, when in a.clears.items() if when > self.now]
            done = cleared <= self.now
            ack = a.ack if a.ack and a.ack[0] <= self.now else None
            changed = [a.updated] + [w for w in a.clears.values() if w <= self.now]
            rows.append((a.id, a.key, a.family, a.site_id, json.dumps(a.cameras),
                         json.dumps(back), iso_s(a.raised), iso_s(max(changed)),
                         iso_s(ack[0]) if ack else None, ack[1] if ack else None,
                         iso_s(cleared) if done else None))  # fmt: skip
        self.conn.executemany("INSERT INTO alarms VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        self.counts["alarms"] = len(rows)
        # The sync cursor of a station that pushes every few seconds: all but the last change.
        top = int(self.conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])
        self.conn.executemany(
            "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
            "SET value = excluded.value",
            [("hlc", self.last_stamp), ("pushed_seq", str(max(0, top - 2)))],
        )
        self.conn.execute(
            "UPDATE users SET last_login_at = ? WHERE role <> 'admin'", (iso_s(self.now - HOUR),)
        )


def _in_hours(hour: int, span: tuple[int, int]) -> bool:
    lo, hi = span
    return lo <= hour < hi if lo < hi else hour >= lo or hour < hi


def build(data_dir: Path, sizes: dict[str, int], rng: random.Random) -> dict[str, Any]:
    """Make the precinct in ``data_dir``; returns the row counts (notes for the result)."""
    st = open_station(data_dir, use_keyring=False)
    epoch = st.epoch
    st.close()
    conn = sqlite3.connect(data_dir / "station.sqlite3", isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -1000000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA defer_foreign_keys = ON")
        conn.execute("BEGIN")
        marks = ", ".join("?" for _ in BIG_TABLES)
        indexes = conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})",
            BIG_TABLES,
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        now = float(int(datetime.now(UTC).timestamp()))
        builder = Builder(conn, sizes, rng, node=epoch[:8], now=now, media=data_dir / "media")
        builder.run()
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    return dict(sorted(builder.counts.items()))
