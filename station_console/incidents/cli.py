"""``station-console evidence verify PATH``: check an evidence export against its manifest.

Needs no signed-in officer and no Qt: whoever receives an export (a court clerk, the
command centre) can run it. With ``--audit`` it also looks the manifest's SHA-256 up in the
station's audit log, which catches a manifest rewritten together with the files.
Exit codes follow ``station_console.cli``: 0 intact, 1 tampered or unknown, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from station_console.i18n import Message
from station_console.incidents.evidence import verify

EXIT_OK, EXIT_FAILED = 0, 1


def say(context: str, text: str, **params: object) -> None:
    print(Message(context, text, params).bilingual())


def add_subcommands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("evidence", help="evidence export tools")
    evidence_sub = p.add_subparsers(dest="evidence_command", required=True)
    v = evidence_sub.add_parser("verify", help="check an evidence folder or zip (SHA-256)")
    v.add_argument("path", type=Path, help="the exported folder or .zip file")
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.add_argument(
        "--audit",
        action="store_true",
        help="also check that this station's audit log recorded this export (uses --data-dir)",
    )
    v.set_defaults(handler=cmd_verify)


def _audited(data_dir: Path, digest: str) -> bool:
    from station_console.station import open_station

    with open_station(data_dir, exclusive=False) as st:
        rows = st.db.query(
            "SELECT detail FROM audit_log WHERE action = 'evidence.export' AND detail LIKE ?",
            (f"%{digest}%",),
        )
        return any(json.loads(r["detail"]).get("manifest_sha256") == digest for r in rows)


def cmd_verify(args: argparse.Namespace) -> int:
    report = verify(args.path)
    audited: bool | None = None
    if args.audit and report.manifest_sha256:
        audited = _audited(args.data_dir, report.manifest_sha256)
    ok = report.ok and audited is not False
    if args.json:
        data = asdict(report)
        data["problems"] = [asdict(p) for p in report.problems]
        data["audited"] = audited
        data["ok"] = ok
        print(json.dumps(data, ensure_ascii=False))
        return EXIT_OK if ok else EXIT_FAILED
    if report.ok:
        say(
            "cli",
            "Evidence intact: {n} files match the manifest (incidents {numbers}).",
            n=report.files,
            numbers=", ".join(report.incidents) or "-",
        )
    else:
        say("cli", "Evidence TAMPERED or incomplete: {n} problems.", n=len(report.problems))
        for problem in report.problems:
            print("  " + problem.message().bilingual())
    say("cli", "Manifest SHA-256: {digest}", digest=report.manifest_sha256 or "-")
    if audited is True:
        say("cli", "The station's audit log recorded this export.")
    elif audited is False:
        say("cli", "This station's audit log has no export with this manifest.")
    return EXIT_OK if ok else EXIT_FAILED
