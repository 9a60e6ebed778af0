"""Station Console composition root: parse arguments, then run a CLI command or the GUI.

``station-console`` with no command opens the console; ``--demo`` (also the default when the
station has no cameras and no data dir was given) opens it on a simulated precinct and a
local hub in a throw-away data directory. Subcommands (backup, restore, audit verify, import,
export, check, ...) run without loading Qt.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from drivers import cli as driver_cli
from station_console import __version__, cli
from station_console.logs import setup_logging
from station_console.paths import default_data_dir

if TYPE_CHECKING:
    from station_console.station import Station


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station-console",
        description="Station Console 派出所视频巡控台",
    )
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="data directory (default: the platform's)"
    )
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help="UI language")
    parser.add_argument(
        "--demo", action="store_true", help="open on a simulated precinct and a local hub"
    )
    parser.add_argument(
        "--no-demo", action="store_true", help="never fall back to the demo precinct"
    )
    parser.add_argument("--cameras", type=int, default=16, help="cameras in the demo precinct")
    parser.add_argument(
        "--demo-no-hub",
        action="store_true",
        help="demo without a district hub: reports and changes wait in the outbox",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command")
    cli.add_subcommands(sub)
    driver_cli.add_subcommands(sub)
    return parser


DEMO_PASSWORD = "demo-pass-1"  # noqa: S105 - the demo's published password, shown at start
DEMO_USERS = [
    ("admin", "演示管理员", "admin"),
    ("officer", "值班民警（演示）", "duty_officer"),
    ("community", "社区民警（演示）", "community_police"),
    ("tech", "技术员（演示）", "technician"),
    ("leader", "值班领导（演示）", "duty_leader"),
]


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the console dies, even by ``kill -9``."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def station_has_cameras(data_dir: Path) -> bool:
    """Read-only peek: does the station in ``data_dir`` have any camera yet?"""
    import sqlite3

    db = data_dir / "station.sqlite3"
    if not db.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return bool(conn.execute("SELECT 1 FROM cameras LIMIT 1").fetchone())
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # not ours to judge here: the console reports a damaged file itself


def seed_patrol(st: Station) -> None:
    """Demo patrol: a night plan over key places (20:00–04:00, starts by itself), an
    all-day tour over every site with a guard-post check, and a week-long empty-home watch."""
    import datetime as dt

    from station_console.domain import SiteKind
    from station_console.patrol_schedule import Window, parse_hhmm
    from station_console.services.patrol import PlanStep

    sites = st.inventory.sites()
    key_places = [s for s in sites if s.kind == SiteKind.KEY_PLACE]
    st.patrol.save_plan(
        "夜间重点部位巡逻",
        [PlanStep(site_id=s.id, priority=2) for s in key_places],
        windows=[Window(parse_hhmm("20:00"), parse_hhmm("04:00"))],
        layout="4",
        dwell_s=15,
    )
    steps = []
    for site in sites:
        check = "门岗保安在岗、着装规范" if "门岗" in site.name else ""
        priority = 2 if site.kind == SiteKind.KEY_PLACE else 1
        steps.append(PlanStep(site_id=site.id, priority=priority, check=check))
    st.patrol.save_plan("全天全域轮巡", steps, layout="4", dwell_s=10, auto_start=False)
    homes = [c for c in st.inventory.cameras() if c.site_name.startswith("幸福里")]
    if homes:
        today = dt.date.today()
        st.patrol.add_watch(
            "空屋预约：幸福里3栋201（住户外出）",
            [homes[0].id],
            today,
            today + dt.timedelta(days=6),
            address="幸福路99号3栋201",
            contact="王女士 138-0000-0000",
        )


class DemoPrecinct:
    """The ``--demo`` world: simulated cameras (a child process) and a throw-away station.

    The simulator runs in its own process so its encoders never compete with the GUI thread
    for the GIL, and it exits by itself when our end of its stdin closes, even if the console
    is killed.
    """

    def __init__(self, cameras: int, *, hub: bool = True) -> None:
        self.with_hub = hub
        import tempfile

        self.cameras = cameras
        self.root = Path(tempfile.mkdtemp(prefix="station-console-demo-"))
        self.data_dir = self.root / "station"
        self.processes: list[subprocess.Popen[str]] = []
        self.hub_url = ""  # set by start_hub; a precinct without a hub seeds no sync settings

    def start(self) -> None:
        import json

        link: list[str] = []
        if self.with_hub:
            self.start_hub()
            link = ["--link-to", str(self.hub_port)]
        sim = subprocess.Popen(
            [sys.executable, "-m", "simulator", "--cameras", str(self.cameras), "--json-ready",
             "--stdin-eof", "--control-port", "0", *link],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=_die_with_parent,
        )  # fmt: skip
        self.processes.append(sim)
        assert sim.stdout is not None
        line = sim.stdout.readline()
        if not line:
            raise RuntimeError("the simulated precinct did not start (see the log)")
        ready = json.loads(line)
        self.control_port = ready.get("control_port")
        if ready.get("link_port"):
            # The station reaches the hub through the precinct's district link, which
            # ``python -m simulator link down`` cuts; the command-centre page stays direct.
            self.hub_url = f"http://127.0.0.1:{ready['link_port']}"
        self.seed(ready["cameras"])

    def start_hub(self) -> None:
        """A local district hub on loopback, with this demo station registered."""
        import socket

        import httpx

        hub_db = str(self.root / "hub.sqlite3")
        out = subprocess.run(
            [sys.executable, "-m", "hub", "station", "add", "城东派出所", "--db", hub_db],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        fields = dict(line.split(": ", 1) for line in out.stdout.splitlines() if ": " in line)
        self.station_id, self.hub_token = fields["station_id"], fields["token"]
        admin = subprocess.run(
            [sys.executable, "-m", "hub", "admin-token", "--db", hub_db],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        self.admin_token = admin.stdout.split(": ", 1)[-1].strip()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.hub_port = port
        self.hub_url = self.command_centre_url = f"http://127.0.0.1:{port}"
        hub = subprocess.Popen(
            [sys.executable, "-m", "hub", "serve", "--db", hub_db, "--port", str(port)],
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        self.processes.append(hub)
        for _ in range(100):
            try:
                if (
                    httpx.get(
                        f"{self.hub_url}/openapi.json", timeout=0.5, trust_env=False
                    ).status_code
                    == 200
                ):
                    return
            except httpx.HTTPError:
                pass
            if hub.poll() is not None:
                break
            import time

            time.sleep(0.1)
        raise RuntimeError("the demo hub did not start (see the log)")

    def seed(self, cameras: list[dict[str, object]]) -> None:
        import json

        from station_console.services.permissions import Role
        from station_console.station import open_station
        from station_console.wall_layouts import standard

        plan = json.loads(
            (Path(__file__).parent / "resources" / "demo" / "precinct.json").read_text("utf-8")
        )
        st = open_station(self.data_dir)
        try:
            st.settings.set_initial("station_name", plan["station_name"])
            st.accounts.create_first_admin("admin", DEMO_USERS[0][1], DEMO_PASSWORD)
            st.accounts.sign_in("admin", DEMO_PASSWORD)
            for name, display, role in DEMO_USERS[1:]:
                st.accounts.create_user(name, display, Role(role), DEMO_PASSWORD)
            for owner in plan["owners"]:
                st.inventory.add_owner(owner)
            for site in plan["sites"]:
                st.inventory.add_site(site)
            places = plan["camera_sites"]
            for i, cam in enumerate(cameras):
                site, owner = places[i % len(places)]
                st.inventory.add_camera(
                    {
                        "name": f"{site}-{i + 1:02d}",
                        "kind": "dome" if cam.get("has_ptz") else "bullet",
                        "site": site,
                        "owner": owner,
                        "vendor": cam.get("vendor", ""),
                        "model": cam.get("model", ""),
                        "serial": cam.get("serial", ""),
                        "mac": cam.get("mac", ""),
                        "onvif_url": cam.get("device_url", ""),
                        "main_stream_uri": cam.get("rtsp_main", ""),
                        "main_resolution": "1280x720",
                        "main_codec": "H.264",
                        "sub_stream_uri": cam.get("rtsp_sub", ""),
                        "sub_resolution": "640x360",
                        "sub_codec": "H.264",
                        "username": cam.get("username", ""),
                        "notes": str(cam.get("name", "")),
                    },
                    password=str(cam.get("password", "")),
                )
            for device in plan["devices"]:
                st.inventory.add_device(device)
            seed_patrol(st)
            if self.hub_url:
                st.settings.set("hub_url", self.hub_url)
            # The demo opens on a live wall: the first four cameras, for admin and officer.
            first = [c.id for c in st.inventory.cameras()][:4]
            wall = {"layout": standard("4").to_json(), "cameras": first}
            st.accounts.set_pref("wall.last", wall)
            st.accounts.sign_in("officer", DEMO_PASSWORD)
            st.accounts.set_pref("wall.last", wall)
            st.accounts.sign_out()
            if self.hub_url:
                from station_console.sync.cli import configure

                configure(
                    st.db, hub_url=self.hub_url, token=self.hub_token, station_id=self.station_id
                )
        finally:
            st.close()

    def stop(self) -> None:
        import shutil

        processes, self.processes = self.processes, []
        for proc in processes:
            if proc.stdin:
                proc.stdin.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    explicit_data_dir = args.data_dir is not None
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    setup_logging(args.data_dir / "logs", verbose=args.verbose, console=args.command is not None)
    logging.getLogger(__name__).info("station-console %s", __version__)
    if args.command:
        return cli.run(args)
    from ui.app import LaunchOptions, run_gui

    options = LaunchOptions(
        data_dir=args.data_dir,
        explicit_data_dir=explicit_data_dir,
        lang=args.lang,
        demo=args.demo,
        allow_demo_fallback=not args.no_demo,
        demo_cameras=args.cameras,
    )
    use_demo = args.demo or (
        not explicit_data_dir and not args.no_demo and not station_has_cameras(args.data_dir)
    )
    if not use_demo:
        return run_gui(options)
    demo = DemoPrecinct(args.cameras, hub=not args.demo_no_hub)
    try:
        demo.start()
    except Exception:
        demo.stop()
        raise
    logging.getLogger(__name__).info(
        "demo precinct: %d cameras, data in %s; sign in as admin / %s",
        args.cameras,
        demo.data_dir,
        DEMO_PASSWORD,
    )
    logging.getLogger(__name__).info(
        "demo cameras take faults from: python -m simulator ctl INDEX covered --control-port %s "
        "(also offline, black, frozen, blurred, snow, signal-loss, ...; 'clear' to repair)",
        demo.control_port,
    )
    if demo.with_hub:
        logging.getLogger(__name__).info(
            "demo district hub: command centre at %s/ (admin token %s); cut the station's link "
            "with: python -m simulator link down --control-port %s ('link up' restores it)",
            demo.command_centre_url,
            demo.admin_token,
            demo.control_port,
        )
    options.data_dir = demo.data_dir
    options.demo = True
    options.auto_login = ("admin", DEMO_PASSWORD)
    options.on_exit.append(demo.stop)
    try:
        return run_gui(options)
    finally:
        demo.stop()


if __name__ == "__main__":
    sys.exit(main())
