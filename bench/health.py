"""P6: the health cycle over 2,000 simulated cameras.

Targets (targets.md P6): every camera checked within 60 s using ≤ 25 % of one core; a dark
camera becomes a fault ≤ 30 s after it goes dark (≤ 5 s when it is on the wall); recovery
noticed ≤ 30 s.

Set-up: the fleet runs in its own process in the simulator's light mode (ONVIF and RTSP
DESCRIBE answered, no encoding, a few cached snapshots), as real cameras are other machines;
this process runs the real monitor (``HealthProber`` + ``Vqd``) on a real station database
with the default schedule (20 s, key places 10 s, pictures every 30 s). CPU is this
process's CPU time over the steady-state window, before the wall part starts.

The wall part: a second, small fleet with real H.264 streams, held by a real stream gateway
as the wall holds them; the monitor watches it through ``GatewayLive``.

    python -m bench.health          (SC_BENCH_SMOKE=1: 60 cameras, short windows)
"""

from __future__ import annotations

import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Result, percentile, smoke

log = logging.getLogger("bench.health")


class Fleet:
    def __init__(self, n: int, light: bool) -> None:
        args = [sys.executable, "-m", "simulator", "--cameras", str(n), "--json-ready",
                "--stdin-eof", "--control-port", "0"]  # fmt: skip
        if light:
            args.append("--light")
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("simulator did not start")
        ready = json.loads(line)
        self.cameras: list[dict[str, Any]] = ready["cameras"]
        self.control_port = int(ready["control_port"])

    def inject(self, index: int, fault: str) -> None:
        from simulator.control import ctl

        ctl(str(index), fault, {}, port=self.control_port)

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def seed(st: Any, cameras: list[dict[str, Any]], prefix: str, key_every: int = 10) -> list[str]:
    """Register the fleet: 50 cameras a site, one site in ten a key place."""
    ids = []
    owner = st.inventory.add_owner({"name": f"{prefix} owner", "kind": "property_company"}).name
    sites: dict[int, str] = {}
    for i, cam in enumerate(cameras):
        s = i // 50
        if s not in sites:
            kind = "key_place" if s % key_every == 0 else "residential"
            sites[s] = st.inventory.add_site(
                {"name": f"{prefix} site {s}", "kind": kind, "community": f"community {s % 7}"}
            ).name
        ids.append(
            st.inventory.add_camera(
                {
                    "name": f"{prefix} {i:04d}",
                    "site": sites[s],
                    "owner": owner,
                    "onvif_url": cam["device_url"],
                    "main_stream_uri": cam["rtsp_main"],
                    "sub_stream_uri": cam["rtsp_sub"],
                    "username": cam["username"],
                },
                password=cam["password"],
            ).id
        )
    return ids


FAULT_OPEN = (
    "SELECT 1 FROM fault_tickets WHERE camera_id = ? AND kind = ? AND status <> 'closed' "
    "AND recovered_at IS NULL"
)
FAULT_RECOVERED = (
    "SELECT 1 FROM fault_tickets WHERE camera_id = ? AND kind = ? AND recovered_at IS NOT NULL"
)


def wait_all(
    st: Any, sql: str, cameras: dict[str, float], kind: str, timeout: float
) -> dict[str, float | None]:
    """Poll every camera at once (0.1 s): camera id → seconds from its start to the event."""
    seen: dict[str, float | None] = dict.fromkeys(cameras)
    deadline = max(cameras.values()) + timeout
    while time.time() < deadline and any(v is None for v in seen.values()):
        for cid, since in cameras.items():
            if seen[cid] is None and st.db.query_one(sql, (cid, kind)) is not None:
                seen[cid] = time.time() - since
        time.sleep(0.1)
    return seen


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("SC_NO_KEYRING", "1")
    from drivers.gateway import StreamGateway, StreamSource, StreamState
    from drivers.health_live import GatewayLive
    from drivers.health_probe import HealthProber
    from drivers.vqd import Vqd
    from station_console.station import open_station

    n = 60 if smoke() else 2000
    dark_n = 3 if smoke() else 10
    window = 12.0 if smoke() else 75.0
    result = Result("health")
    root = Path(tempfile.mkdtemp(prefix="bench-health-"))
    t_start = time.time()
    fleet = Fleet(n, light=True)
    wall_fleet = Fleet(2, light=False)
    notes: dict[str, Any] = {"cameras": n, "fleet_start_s": round(time.time() - t_start, 1)}
    st = open_station(root / "station", use_keyring=False)
    prober = HealthProber()
    gateway: StreamGateway | None = None
    try:
        st.accounts.create_first_admin("admin", "admin", "bench-pass-1")
        st.accounts.sign_in("admin", "bench-pass-1")
        t0 = time.time()
        ids = seed(st, fleet.cameras, "fleet")
        wall_ids = seed(st, wall_fleet.cameras, "wall", key_every=1000)
        notes["seed_s"] = round(time.time() - t0, 1)
        key_place = {
            r[0]
            for r in st.db.query(
                "SELECT c.id FROM cameras c JOIN sites s ON s.id = c.site_id "
                "WHERE s.kind = 'key_place'"
            )
        }
        if smoke():  # a short schedule, so CI sees the whole path in well under a minute
            st.settings.set("health_check_seconds", 5)
            st.settings.set("health_key_place_seconds", 3)
            st.settings.set("vqd_check_seconds", 5)
        live_holder: dict[str, StreamGateway | None] = {"gw": None}
        monitor = st.health.monitor(st, prober, Vqd(), GatewayLive(lambda: live_holder["gw"]))

        # -- 1. coverage and CPU in steady state -------------------------------------------
        started = time.time()
        c_start = time.process_time()
        monitor.start()
        gaps: list[float] = []
        checked_60: int | None = None
        c_mark = w_mark = None
        while time.time() - started < window:
            time.sleep(1.0)
            el = time.time() - started
            last = monitor.last_checked()
            if checked_60 is None and el >= min(60.0, window - 1):
                checked_60 = sum(1 for cid in ids if last.get(cid, 0) >= started)
            if el >= (5.0 if smoke() else 25.0) and c_mark is None:
                c_mark, w_mark = time.process_time(), time.time()
            if el >= 30.0 or smoke():
                now = time.time()
                gaps.append(max(now - (last.get(cid) or started) for cid in ids))
        cpu_pct = (
            100.0
            * (time.process_time() - (c_mark or c_start))
            / (time.time() - (w_mark or started))
        )
        stats = monitor.stats()
        result.add("P6_cameras_checked_within_60s", float(checked_60 or 0), target=float(n),
                   unit="cameras", better="higher")  # fmt: skip
        result.add("P6_max_time_between_checks_s", max(gaps) if gaps else float("nan"),
                   target=60, unit="s")  # fmt: skip
        result.add("P6_cpu_pct_of_one_core", cpu_pct, target=25, unit="%")
        notes.update(
            checks_total=stats.checks_total,
            pictures_total=stats.pictures_total,
            checks_per_s=round(stats.checks_total / (time.time() - started), 1),
            online_after_warmup=stats.online,
            cpu_window_s=round(time.time() - (w_mark or started), 1),
            monitor_errors=monitor.errors,
        )

        # -- 2. dark → fault and recovery, cameras not on the wall -------------------------
        rng = random.Random(7)
        ordinary = [i for i, cid in enumerate(ids) if cid not in key_place]
        chosen = rng.sample(ordinary, dark_n)
        dark_at: dict[int, float] = {}
        for i in chosen:
            fleet.inject(i, "offline")
            dark_at[i] = time.time()
            time.sleep(0.5)
        got = wait_all(st, FAULT_OPEN, {ids[i]: dark_at[i] for i in chosen}, "offline", 60.0)
        to_fault = [got[ids[i]] for i in chosen]
        back_at: dict[int, float] = {}
        for i in chosen:
            fleet.inject(i, "clear")
            back_at[i] = time.time()
        got = wait_all(st, FAULT_RECOVERED, {ids[i]: back_at[i] for i in chosen}, "offline", 60.0)
        to_recover = [got[ids[i]] for i in chosen]
        ok_f = [x for x in to_fault if x is not None]
        ok_r = [x for x in to_recover if x is not None]
        result.add("P6_dark_to_fault_max_s", max(ok_f) if len(ok_f) == dark_n else float("inf"),
                   target=30, unit="s")  # fmt: skip
        result.add("P6_dark_to_fault_median_s", statistics.median(ok_f) if ok_f else float("inf"),
                   target=None, unit="s")  # fmt: skip
        result.add("P6_recovery_noticed_max_s",
                   max(ok_r) if len(ok_r) == dark_n else float("inf"), target=30, unit="s")  # fmt: skip

        # -- 3. a camera on the wall --------------------------------------------------------
        gateway = StreamGateway(ring_seconds=5)
        gateway.start()
        for cid, cam in zip(wall_ids, wall_fleet.cameras, strict=True):
            gateway.acquire(StreamSource(key=f"{cid}:sub", url=cam["rtsp_sub"],
                                         username=cam["username"], password=cam["password"]))  # fmt: skip
        for cid in wall_ids:
            gateway.wait_for(f"{cid}:sub", StreamState.LIVE, 20)
        live_holder["gw"] = gateway
        time.sleep(3.0)
        wall_times = []
        for idx, cid in enumerate(wall_ids):
            t = time.time()
            wall_fleet.inject(idx, "offline")
            wall_times.append(wait_all(st, FAULT_OPEN, {cid: t}, "offline", 30.0)[cid])
        ok_w = [x for x in wall_times if x is not None]
        result.add("P6_dark_to_fault_on_wall_max_s",
                   max(ok_w) if len(ok_w) == len(wall_ids) else float("inf"), target=5, unit="s")  # fmt: skip
        notes.update(
            dark_to_fault_s=[None if x is None else round(x, 2) for x in to_fault],
            recovery_s=[None if x is None else round(x, 2) for x in to_recover],
            wall_dark_to_fault_s=[None if x is None else round(x, 2) for x in wall_times],
            gap_p95_s=round(percentile(gaps, 0.95), 2) if gaps else None,
            schedule={
                k: st.settings.get(k)
                for k in ("health_check_seconds", "health_key_place_seconds", "vqd_check_seconds")
            },
            key_place_cameras=len(key_place & set(ids)),
        )
        monitor.stop()
    finally:
        if gateway is not None:
            gateway.close()
        prober.close()
        st.close()
        fleet.stop()
        wall_fleet.stop()
    result.notes = notes
    path = result.write()
    print(result.summary())
    print(f"written to {path}")


if __name__ == "__main__":
    main()
