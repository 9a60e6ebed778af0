"""pytest support for tests marked ``netns``: run them inside a private network namespace.

A test marked ``@pytest.mark.netns`` is not called in the outer pytest. Instead the same test
id is re-run by a child pytest under ``unshare --net`` (see ``simulator.netns``), where it can
start a precinct with discovery and multicast freely; the outer test passes or fails with the
child. Without root (or without ``unshare``/``ip``) such tests are skipped with the reason.

Use from any conftest::

    from simulator.pytest_netns import netns_run, pytest_pyfunc_call, pytest_runtest_setup

Fixtures of a ``netns`` test are still set up in the outer process too, so keep them cheap and
start what the test needs inside its body. ``netns_run`` runs any other command in a namespace.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from simulator import netns

CHILD_TIMEOUT_S = 120.0


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("netns") and not netns.inside():
        reason = netns.unavailable_reason()
        if reason:
            pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not pyfuncitem.get_closest_marker("netns") or netns.inside():
        return None
    rootdir = Path(str(pyfuncitem.config.rootpath))
    result = netns.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", pyfuncitem.nodeid],
        cwd=rootdir,
        timeout=CHILD_TIMEOUT_S,
    )
    if result.returncode != 0:
        pytest.fail(f"in network namespace:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return True


@pytest.fixture
def netns_run() -> Callable[..., CompletedProcess[str]]:
    """``netns_run([argv...], timeout=60)`` runs a command in a fresh namespace (or skips)."""
    reason = netns.unavailable_reason()
    if reason:
        pytest.skip(reason)

    def run(argv: Sequence[str], timeout: float = CHILD_TIMEOUT_S) -> CompletedProcess[str]:
        return netns.run(argv, timeout=timeout)

    return run
