"""Command-line tools: backup, restore, audit verification, CSV import/export, checks.

Messages are printed in Chinese and English (the CLI cannot load Qt's translator, so it
reads the same ``.ts`` catalogue). Exit codes: 0 ok, 1 the check failed or input was
rejected, 2 usage, 3 storage trouble (locked, corrupt, disk full), 4 authentication.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from station_console import backup as backup_mod
from station_console.errors import (
    AuthenticationFailed,
    ConsoleError,
    ImportRejected,
    PermissionDenied,
    StorageError,
)
from station_console.i18n import Message
from station_console.incidents import cli as evidence_cli
from station_console.paths import DataPaths
from station_console.station import Station, open_station
from station_console.storage.instance_lock import InstanceLock

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STORAGE, EXIT_AUTH = 0, 1, 2, 3, 4


def say(context: str, text: str, **params: object) -> None:
    print(Message(context, text, params).bilingual())


def add_subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="online backup of the station database")
    p.add_argument("path", type=Path, help="file or directory to write the backup to")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (console closed)")
    p.add_argument("path", type=Path)
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("audit", help="audit log tools")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    v = audit_sub.add_parser("verify", help="check the audit hash chain")
    v.add_argument("--json", action="store_true")
    v.set_defaults(handler=cmd_audit_verify)

    p = sub.add_parser("check", help="PRAGMA integrity_check of the station database")
    p.set_defaults(handler=cmd_check)

    for name, handler in (("import", cmd_import), ("export", cmd_export)):
        p = sub.add_parser(name, help=f"CSV {name} of cameras, sites or owner units")
        p.add_argument("entity", choices=["cameras", "sites", "owners"])
        p.add_argument("file", type=Path)
        p.add_argument("--user", required=True, help="officer who does it (password asked)")
        p.set_defaults(handler=handler)

    evidence_cli.add_subcommands(sub)


def _open(args: argparse.Namespace) -> Station:
    return open_station(args.data_dir, exclusive=False)


def _sign_in(station: Station, user: str) -> None:
    password = os.environ.get("SC_PASSWORD") or getpass.getpass(f"password for {user}: ")
    station.accounts.sign_in(user, password)


def cmd_backup(args: argparse.Namespace) -> int:
    with _open(args) as st:
        target = backup_mod.backup(st.db, args.path)
        st.audit.append(f"cli:{getpass.getuser()}", "backup", str(target))
    say("cli", "Backup written to {path}.", path=str(target))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    paths = DataPaths(args.data_dir).ensure()
    with InstanceLock(paths.lock_file):
        moved = backup_mod.restore(args.path, paths.database)
    say("cli", "Restored from {path}.", path=str(args.path))
    if moved:
        say("cli", "The previous database was kept as {path}.", path=str(moved))
    with _open(args) as st:
        st.audit.append(f"cli:{getpass.getuser()}", "restore", str(args.path))
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with _open(args) as st:
        result = st.audit.verify()
    if args.json:
        print(json.dumps(result.__dict__, ensure_ascii=False))
    elif result.ok:
        say("cli", "Audit log intact: {n} rows verified.", n=result.rows)
    else:
        say(
            "cli",
            "Audit log TAMPERED at row {seq}: {reason}.",
            seq=result.first_bad_seq if result.first_bad_seq is not None else "?",
            reason=result.reason,
        )
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args) as st:
        problems = st.db.integrity_check()
    if problems:
        for p in problems[:20]:
            print(p)
        say("cli", "The database has {n} integrity problems.", n=len(problems))
        return EXIT_FAILED
    say("cli", "Database integrity check passed.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    with _open(args) as st:
        _sign_in(st, args.user)
        try:
            result = st.csv.import_file(args.entity, args.file)
        except ImportRejected as exc:
            print(exc.bilingual())
            for problem in exc.problems:
                print("  " + problem.bilingual())
            return EXIT_FAILED
    say("cli", "Imported {rows} rows: {added} added, {updated} updated.", **result.__dict__)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args) as st:
        _sign_in(st, args.user)
        n = st.csv.export(args.entity, args.file)
    say("cli", "Exported {n} rows to {path}.", n=n, path=str(args.file))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run a parsed subcommand, turning known failures into messages and exit codes."""
    try:
        return int(args.handler(args))
    except (AuthenticationFailed, PermissionDenied) as exc:
        print(exc.bilingual(), file=sys.stderr)
        return EXIT_AUTH
    except StorageError as exc:
        print(exc.bilingual(), file=sys.stderr)
        return EXIT_STORAGE
    except ConsoleError as exc:
        print(exc.bilingual(), file=sys.stderr)
        return EXIT_FAILED
