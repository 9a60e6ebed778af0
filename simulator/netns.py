"""Run a command inside a private network namespace with multicast on loopback.

WS-Discovery is multicast, and tests must never send multicast on the host's network. So
discovery tests run in a fresh namespace made by ``unshare --net``, in which only ``lo``
exists; we bring it up and route 224.0.0.0/4 through it, so multicast stays in the namespace
and vanishes with it. Needs root (or CAP_SYS_ADMIN); ``unavailable_reason()`` says why not.
Python 3.11 has no ``os.unshare``, hence the ``unshare`` command.

Usage::

    from simulator import netns
    result = netns.run([sys.executable, "-m", "pytest", "tests/simulator/test_discovery.py"])

The child sees ``SC_IN_NETNS=1`` in its environment (``inside()`` checks it).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

ENV_FLAG = "SC_IN_NETNS"
_SETUP = 'ip link set lo up && ip route add 224.0.0.0/4 dev lo && exec "$@"'


def inside() -> bool:
    """True in a process started by ``run``."""
    return os.environ.get(ENV_FLAG) == "1"


@functools.lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """None if ``run`` can work here, else a human-readable reason (for pytest.skip)."""
    if os.geteuid() != 0:
        return "needs root to create a network namespace (unshare --net)"
    for tool in ("unshare", "ip"):
        if shutil.which(tool) is None:
            return f"'{tool}' is not installed (util-linux / iproute2)"
    probe = subprocess.run(
        ["unshare", "--net", "sh", "-c", _SETUP, "sh", "true"],
        capture_output=True,
        text=True,
        timeout=10,
    )
    if probe.returncode != 0:
        return f"cannot create a network namespace: {probe.stderr.strip()}"
    return None


def command(argv: Sequence[str]) -> list[str]:
    """The argv that runs ``argv`` inside a fresh namespace."""
    return ["unshare", "--net", "sh", "-c", _SETUP, "sh", *argv]


def run(
    argv: Sequence[str],
    *,
    cwd: str | Path | None = None,
    timeout: float = 120.0,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` in a fresh network namespace, capturing output; raises on timeout."""
    child_env = dict(os.environ if env is None else env)
    child_env[ENV_FLAG] = "1"
    return subprocess.run(
        command(argv), cwd=cwd, env=child_env, capture_output=True, text=True, timeout=timeout
    )
