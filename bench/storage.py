"""P8: storage at scale.

Builds a precinct of 2,000 cameras with ten years of rolled-up health history (daily for the
last year, monthly before), 200k faults, 100k incidents and 5M patrol entries, then times
opening the station and the list/report queries the console runs. Target: start ≤ 2 s,
every query ≤ 200 ms. ``SC_BENCH_SMOKE=1`` builds 1/100 of it.

    python -m bench.storage [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Result, median, smoke
from bench.storage_schema import SCHEMA
from station_console.station import Station, open_station
from station_console.storage.migrations import run_script

KINDS = [
    "key_place",
    "residential",
    "village",
    "street_shop",
    "school",
    "enterprise",
    "road",
    "checkpoint",
]
FAULT_KINDS = [
    "offline",
    "black",
    "frozen",
    "blurred",
    "covered",
    "colour_cast",
    "snow",
    "cable_cut",
]
FAULT_STATUS = ["open", "owner_notified", "in_repair", "resolved", "closed"]
CATEGORIES = [
    "suspicious_person",
    "suspicious_vehicle",
    "fight",
    "theft",
    "traffic",
    "fire",
    "crowd",
    "other",
]


def scale() -> dict[str, int]:
    div = 100 if smoke() else 1
    return {
        "cameras": max(2000 // div, 20),
        "sites": max(400 // div, 4),
        "owners": max(120 // div, 2),
        "faults": 200_000 // div,
        "incidents": 100_000 // div,
        "patrol": 5_000_000 // div,
        "years": 10,
    }


def generate(data_dir: Path, sizes: dict[str, int], rng: random.Random) -> None:
    st = open_station(data_dir, use_keyring=False)
    st.accounts.create_first_admin("admin", "Admin", "bench-password")
    st.close()
    conn = sqlite3.connect(data_dir / "station.sqlite3", isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    run_script(conn, SCHEMA)
    now = datetime.now(UTC)
    stamp = now.isoformat(timespec="seconds")
    owners = [str(uuid.uuid4()) for _ in range(sizes["owners"])]
    conn.executemany(
        "INSERT INTO owner_units(id, name, kind, contact_person, phone, created_at, updated_at) "
        "VALUES (?, ?, 'property_company', '联系人', '0571-0000', ?, ?)",
        [(o, f"产权单位{i:03d}", stamp, stamp) for i, o in enumerate(owners)],
    )
    sites = [str(uuid.uuid4()) for _ in range(sizes["sites"])]
    conn.executemany(
        "INSERT INTO sites(id, name, kind, community, address, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (s, f"点位{i:04d}", rng.choice(KINDS), f"社区{i % 40:02d}", f"某路{i}号", stamp, stamp)
            for i, s in enumerate(sites)
        ],
    )
    cameras = [str(uuid.uuid4()) for _ in range(sizes["cameras"])]
    conn.executemany(
        "INSERT INTO cameras(id, name, kind, site_id, owner_id, serial, onvif_url, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                c,
                f"摄像机{i:05d}",
                rng.choice(["bullet", "dome", "class_a"]),
                rng.choice(sites),
                rng.choice(owners),
                f"SN{i:08d}",
                f"http://127.0.0.1:{10000 + i}/onvif/device_service",
                stamp,
                stamp,
            )
            for i, c in enumerate(cameras)
        ],
    )
    # Health roll-ups: daily for a year, monthly for the years before.
    for c in cameras:
        conn.executemany(
            "INSERT INTO health_daily VALUES (?, ?, ?, ?)",
            [
                (c, (now - timedelta(days=d)).date().isoformat(), 1440, 1440 - rng.randrange(0, 60))
                for d in range(365)
            ],
        )
        conn.executemany(
            "INSERT INTO health_monthly VALUES (?, ?, ?, ?)",
            [
                (
                    c,
                    f"{now.year - 1 - m // 12}-{m % 12 + 1:02d}",
                    44640,
                    44640 - rng.randrange(0, 900),
                )
                for m in range(12 * (sizes["years"] - 1))
            ],
        )
    span = 10 * 365 * 86400

    def when() -> str:
        return (now - timedelta(seconds=rng.randrange(span))).isoformat(timespec="seconds")

    conn.executemany(
        "INSERT INTO faults VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, '')",
        (
            (
                str(uuid.uuid4()),
                rng.choice(cameras),
                rng.choice(FAULT_KINDS),
                rng.choices(FAULT_STATUS, weights=[2, 1, 1, 3, 93])[0],
                rng.randrange(1, 4),
                when(),
                rng.randrange(1, 9),
            )
            for _ in range(sizes["faults"])
        ),
    )
    conn.executemany(
        "INSERT INTO bench_incidents VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, '')",
        (
            (
                str(uuid.uuid4()),
                rng.choice(cameras),
                rng.choice(sites),
                rng.choice(CATEGORIES),
                rng.randrange(1, 4),
                rng.choice(["reported", "dispatched", "closed"]),
                when(),
                f"officer{rng.randrange(30)}",
            )
            for _ in range(sizes["incidents"])
        ),
    )
    shifts = sizes["years"] * 365 * 3
    per_shift = max(sizes["patrol"] // shifts, 1)
    rows_left = sizes["patrol"]
    shift = 0
    batch: list[tuple[Any, ...]] = []
    while rows_left > 0:
        start = now - timedelta(hours=8 * shift)
        officer = f"officer{shift % 30}"
        for k in range(min(per_shift, rows_left)):
            batch.append(
                (rng.choice(cameras), officer, shifts - shift, rng.choice([None, 1, 2, 3]),
                 (start + timedelta(seconds=k * 10)).isoformat(timespec="seconds"),
                 rng.randrange(3000, 30000), rng.choice(["1x1", "2x2", "4x4"]))
            )  # fmt: skip
        rows_left -= min(per_shift, rows_left)
        shift += 1
        if len(batch) > 50_000 or rows_left == 0:
            conn.executemany(
                "INSERT INTO patrol_log(camera_id, officer, shift_id, plan_id, shown_at, dwell_ms, tile_size) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                batch,
            )
            batch.clear()
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def queries(st: Station) -> dict[str, Callable[[], Any]]:
    db = st.db
    month_ago = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    some_site = db.scalar("SELECT id FROM sites LIMIT 1 OFFSET 3")
    some_camera = db.scalar("SELECT id FROM cameras LIMIT 1 OFFSET 7")
    last_shift = db.scalar("SELECT max(shift_id) FROM patrol_log")
    return {
        "camera_tree": lambda: st.inventory.tree(),
        "camera_search": lambda: st.inventory.cameras(search="0012"),
        "cameras_of_site": lambda: st.inventory.cameras(site_id=some_site),
        "inventory_counts": lambda: st.inventory.counts(),
        "open_faults_list": lambda: db.query(
            "SELECT f.*, c.name, s.name FROM faults f JOIN cameras c ON c.id = f.camera_id "
            "LEFT JOIN sites s ON s.id = c.site_id WHERE f.status <> 'closed' "
            "ORDER BY f.opened_at DESC LIMIT 200"
        ),
        "open_faults_by_owner": lambda: db.query(
            "SELECT c.owner_id, count(*) FROM faults f JOIN cameras c ON c.id = f.camera_id "
            "WHERE f.status <> 'closed' GROUP BY c.owner_id"
        ),
        "faults_of_camera": lambda: db.query(
            "SELECT * FROM faults WHERE camera_id = ? ORDER BY opened_at DESC", (some_camera,)
        ),
        "incidents_last_30_days": lambda: db.query(
            "SELECT i.*, s.name FROM bench_incidents i LEFT JOIN sites s ON s.id = i.site_id "
            "WHERE i.reported_at >= ? ORDER BY i.reported_at DESC LIMIT 200",
            (month_ago,),
        ),
        "incidents_per_month_1y": lambda: db.query(
            "SELECT substr(reported_at, 1, 7) m, category, count(*) FROM bench_incidents "
            "WHERE reported_at >= ? GROUP BY m, category",
            ((datetime.now(UTC) - timedelta(days=365)).isoformat(),),
        ),
        "top_incident_sites_90d": lambda: db.query(
            "SELECT site_id, count(*) n FROM bench_incidents WHERE reported_at >= ? "
            "GROUP BY site_id ORDER BY n DESC LIMIT 20",
            ((datetime.now(UTC) - timedelta(days=90)).isoformat(),),
        ),
        "patrol_coverage_of_shift": lambda: db.query(
            "SELECT camera_id, officer, sum(dwell_ms), count(*) FROM patrol_log "
            "WHERE shift_id = ? GROUP BY camera_id, officer",
            (last_shift,),
        ),
        "patrol_of_camera_30d": lambda: db.query(
            "SELECT * FROM patrol_log WHERE camera_id = ? AND shown_at >= ? ORDER BY shown_at",
            (some_camera, month_ago),
        ),
        "online_rate_by_community_30d": lambda: db.query(
            "SELECT s.community, sum(h.online) * 1.0 / sum(h.checks) FROM health_daily h "
            "JOIN cameras c ON c.id = h.camera_id JOIN sites s ON s.id = c.site_id "
            "WHERE h.day >= ? GROUP BY s.community",
            (month_ago[:10],),
        ),
        "online_rate_10y_by_month": lambda: db.query(
            "SELECT month, sum(online) * 1.0 / sum(checks) FROM health_monthly GROUP BY month"
        ),
        "audit_recent": lambda: st.audit.entries(limit=500),
    }


def measure(data_dir: Path, repeats: int) -> tuple[list[float], dict[str, list[float]]]:
    starts: list[float] = []
    timings: dict[str, list[float]] = {}
    for _ in range(repeats):
        t0 = time.perf_counter()
        st = open_station(data_dir, use_keyring=False)
        st.accounts.sign_in("admin", "bench-password")
        st.inventory.tree()
        st.inventory.counts()
        starts.append(time.perf_counter() - t0)
        for name, fn in queries(st).items():
            t = time.perf_counter()
            fn()
            timings.setdefault(name, []).append((time.perf_counter() - t) * 1000)
        st.close()
    return starts, timings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--keep", type=Path, help="build/reuse the precinct in this directory")
    args = ap.parse_args(argv)
    os.environ.setdefault("SC_NO_KEYRING", "1")
    sizes = scale()
    tmp = None
    if args.keep:
        data_dir = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="sc-bench-storage-")
        data_dir = Path(tmp.name)
    result = Result("storage")
    if not (data_dir / "station.sqlite3").exists():
        t0 = time.perf_counter()
        generate(data_dir, sizes, random.Random(42))
        result.notes["generate_s"] = round(time.perf_counter() - t0, 1)
    else:
        conn = sqlite3.connect(data_dir / "station.sqlite3", isolation_level=None)
        run_script(conn, SCHEMA)  # indexes added since the precinct was built
        conn.execute("ANALYZE")
        conn.close()
    result.notes["sizes"] = sizes
    result.notes["db_mb"] = round((data_dir / "station.sqlite3").stat().st_size / 1e6, 1)
    starts, timings = measure(data_dir, repeats=3 if smoke() else 5)
    result.add("start_to_usable_s", median(starts), target=2.0, unit="s")
    result.notes["start_note"] = (
        "core start: open + migrate check + sign-in (Argon2) + camera tree + counts; "
        "the GUI window start is measured by bench.gui_start"
    )
    for name, values in timings.items():
        result.add(f"{name}_ms", median(values), target=200, unit="ms")
    worst = max(timings, key=lambda n: median(timings[n]))
    result.notes["slowest_query"] = worst
    path = result.write()
    print(result.summary())
    print(f"written to {path}")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
