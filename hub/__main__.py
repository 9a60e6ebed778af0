"""``python -m hub``: run the district hub, manage stations, make a district CA."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_DB = os.environ.get("HUB_DB", "hub.sqlite3")
DEFAULT_DISTRICT = "district-1"


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from hub.app import create_app

    if args.host not in ("127.0.0.1", "::1", "localhost") and not args.allow_remote:
        print(
            "refusing to listen on a non-loopback address without --allow-remote", file=sys.stderr
        )
        return 2
    app = create_app(args.db)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
    )
    return 0


def _station_add(args: argparse.Namespace) -> int:
    from hub.schema import make_engine
    from hub.store import Hub

    hub = Hub(make_engine(args.db))
    station_id, token = hub.add_station(args.name, args.district)
    print(f"station_id: {station_id}")
    print(f"token: {token}")
    print("The token is shown only once; the hub keeps only its hash.", file=sys.stderr)
    return 0


def _admin_token(args: argparse.Namespace) -> int:
    from hub.schema import make_engine
    from hub.web import set_admin_token

    print(f"admin_token: {set_admin_token(make_engine(args.db), args.district)}")
    return 0


def _make_ca(args: argparse.Namespace) -> int:
    from hub.tls import make_ca

    for path in make_ca(Path(args.dir), args.hostname):
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub", description="District hub")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the hub")
    serve.add_argument("--db", default=DEFAULT_DB, help="SQLAlchemy URL or SQLite path")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--certfile")
    serve.add_argument("--keyfile")
    serve.add_argument("--allow-remote", action="store_true")
    serve.add_argument("--log-level", default="warning")
    serve.set_defaults(func=_serve)

    station = sub.add_parser("station", help="manage stations")
    ssub = station.add_subparsers(dest="action", required=True)
    add = ssub.add_parser("add", help="register a station; prints its id and token once")
    add.add_argument("name")
    add.add_argument("--db", default=DEFAULT_DB)
    add.add_argument("--district", default=DEFAULT_DISTRICT)
    add.set_defaults(func=_station_add)

    admin = sub.add_parser("admin-token", help="make a new command-centre admin token")
    admin.add_argument("--db", default=DEFAULT_DB)
    admin.add_argument("--district", default=DEFAULT_DISTRICT)
    admin.set_defaults(func=_admin_token)

    ca = sub.add_parser("make-ca", help="write a district CA and a server certificate")
    ca.add_argument("dir")
    ca.add_argument("--hostname", default="localhost")
    ca.set_defaults(func=_make_ca)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
