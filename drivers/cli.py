"""CLI commands that need drivers: discover, provision, sync (the core CLI loads no drivers).

``station-console provision HOST[:PORT] --user U --password P [--json]
[--save --site S --owner O --officer NAME]`` reads a camera's identity, profiles (stream URIs
with credentials masked), snapshot URI, PTZ support and clock offset. Exit codes name the
failure kind (see ``station_console.devices.EXIT_CODES``).
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
from typing import Any

from drivers.hub_client import HttpHubTransport
from station_console.devices import EXIT_CODES, DeviceDetails, DeviceError
from station_console.i18n import Message
from station_console.services.provisioning import Provisioning, ProvisionRequest
from station_console.sync import cli as sync_cli


def add_subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    y = sub.add_parser("sync", help="sync this station with the district hub")
    sync_cli.add_arguments(y, with_data_dir=False)
    y.set_defaults(
        handler=lambda args: sync_cli.sync_command(args, transport_factory=HttpHubTransport)
    )

    d = sub.add_parser("discover", help="find ONVIF cameras (WS-Discovery)")
    d.add_argument("--json", action="store_true", help="one JSON object per line")
    d.add_argument("--timeout", type=float, default=3.0, help="seconds to listen")
    d.add_argument("--range", dest="cidr", help="also probe this address range by unicast (CIDR)")
    d.set_defaults(handler=cmd_discover)

    p = sub.add_parser("provision", help="read a camera over ONVIF (and optionally register it)")
    p.add_argument("address", help="HOST[:PORT] or the device service URL")
    p.add_argument("--user", required=True, help="camera user name")
    p.add_argument("--password", default=None, help="camera password (or SC_CAMERA_PASSWORD)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds per camera request")
    p.add_argument("--save", action="store_true", help="register the camera in the station")
    p.add_argument("--name", help="camera name when saving (default: model + serial)")
    p.add_argument("--site", help="site name or id when saving")
    p.add_argument("--owner", help="owner unit name or id when saving")
    p.add_argument("--officer", help="officer who registers it (password from SC_PASSWORD)")
    p.set_defaults(handler=cmd_provision)

    from drivers import health_cli

    health_cli.add_subcommands(sub)


def cmd_discover(args: argparse.Namespace) -> int:
    from drivers.discovery import DiscoveredDevice, discover, unicast_probe

    seen: set[str] = set()

    def show(dev: DiscoveredDevice) -> None:
        if dev.endpoint in seen:
            return
        seen.add(dev.endpoint)
        if args.json:
            print(json.dumps(dev.to_json(), ensure_ascii=False), flush=True)
        else:
            print(
                f"{dev.address:<22} {dev.name or '-':<24} {dev.hardware or '-':<20} {dev.endpoint}",
                flush=True,
            )

    discover(args.timeout, on_found=show)
    if args.cidr:
        try:
            unicast_probe(args.cidr, args.timeout, on_found=show)
        except ValueError as exc:
            print(Message("cli", "Bad address range: {error}", {"error": str(exc)}).bilingual())
            return 2
    if not args.json:
        print(Message("cli", "{n} cameras found.", {"n": len(seen)}).bilingual())
    return 0


def details_json(d: DeviceDetails) -> dict[str, Any]:
    out = dataclasses.asdict(d)
    out["main"] = d.main.token if d.main else None
    out["sub"] = d.sub.token if d.sub else None
    return out


def cmd_provision(args: argparse.Namespace) -> int:
    from drivers.onvif_device import OnvifDeviceClient

    password = (
        args.password
        or os.environ.get("SC_CAMERA_PASSWORD")
        or getpass.getpass("camera password: ")
    )
    try:
        details = OnvifDeviceClient(read_timeout=args.timeout).probe(
            args.address, args.user, password
        )
    except DeviceError as err:
        if args.json:
            print(
                json.dumps(
                    {"ok": False, "error": err.kind.value, "message": err.bilingual()},
                    ensure_ascii=False,
                )
            )
        else:
            print(err.bilingual())
        return EXIT_CODES[err.kind]
    if args.json:
        print(json.dumps({"ok": True, **details_json(details)}, ensure_ascii=False))
    else:
        print(
            f"{details.manufacturer} {details.model}  serial {details.serial}  firmware {details.firmware}"
        )
        print(
            f"clock offset {details.clock_offset_s:+.1f} s   PTZ {'yes' if details.has_ptz else 'no'}"
        )
        for p in details.profiles:
            print(f"  {p.token:<12} {p.encoding} {p.width}x{p.height} {p.fps:g} fps  {p.uri}")
        print(f"  snapshot    {details.snapshot_uri}")
    if args.save:
        return save(args, details, password)
    return 0


def save(args: argparse.Namespace, d: DeviceDetails, camera_password: str) -> int:
    from station_console.station import open_station

    if not args.officer:
        print(Message("cli", "--save needs --officer NAME.").bilingual())
        return 2
    with open_station(args.data_dir, exclusive=False) as st:
        st.accounts.sign_in(
            args.officer, os.environ.get("SC_PASSWORD") or getpass.getpass("officer password: ")
        )
        request = ProvisionRequest(
            d, args.user, camera_password, name=args.name or "", site=args.site, owner=args.owner
        )
        result = Provisioning(st.inventory).save(request)
    if result.error is not None or result.camera is None:
        print(result.error.bilingual() if result.error else "?")
        return 1
    cam = result.camera
    print(Message("cli", "Camera saved as {name}.", {"name": cam.name}).bilingual())
    return 0
