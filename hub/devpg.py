"""A throw-away PostgreSQL cluster on loopback, for tests and benchmarks of the hub.

``initdb`` into a temp dir, ``postgres`` on a free 127.0.0.1 port run as the ``postgres``
system user (so the caller must be root, as CI is), ``fsync=off``; removed on exit.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PG_BIN = Path(os.environ.get("SC_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def pg_unavailable() -> str | None:
    if os.geteuid() != 0:
        return "throwaway PostgreSQL needs root (to run it as the postgres user via runuser)"
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL binaries not found in {PG_BIN} (apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres system user"
    return None


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """initdb into a temp dir, run postgres on a free loopback port as the postgres user."""
    import pwd
    import shutil
    import tempfile

    pw = pwd.getpwnam("postgres")
    root = Path(tempfile.mkdtemp(prefix="sc-pg-"))
    os.chown(root, pw.pw_uid, pw.pw_gid)
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    os.chown(sock, pw.pw_uid, pw.pw_gid)
    port = free_port()

    def as_pg(*cmd: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *cmd], check=True, capture_output=True, timeout=120
        )

    try:
        as_pg(
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "hub",
            "-E",
            "UTF8",
            "--no-locale",
        )
        as_pg(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "pg.log"),
            "-w",
            "-o",
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
        try:
            yield f"postgresql+psycopg://hub@127.0.0.1:{port}/postgres"
        finally:
            as_pg(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
