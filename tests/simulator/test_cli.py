"""``python -m simulator`` as the console's --demo mode will run it, and ``ctl`` against it."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

from tests.simulator.conftest import REPO


def test_json_ready_then_ctl_injects_and_clears() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--cameras",
            "2",
            "--json-ready",
            "--control-port",
            "0",
            "--stdin-eof",
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        ready = json.loads(proc.stdout.readline())
        assert ready["ready"] is True
        assert [c["index"] for c in ready["cameras"]] == [0, 1]
        port = str(ready["control_port"])
        ctl = [sys.executable, "-m", "simulator", "ctl", "--control-port", port]
        out = subprocess.run(
            [*ctl, "1", "clock-skew", "seconds=-30"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["faults"] == {"clock-skew": {"seconds": -30.0}}
        bad = subprocess.run(
            [*ctl, "1", "melted"], cwd=REPO, capture_output=True, text=True, timeout=20
        )
        assert bad.returncode == 1 and "melted" in bad.stderr
        cleared = subprocess.run(
            [*ctl, "1", "clear"], cwd=REPO, capture_output=True, text=True, timeout=20
        )
        assert json.loads(cleared.stdout)["faults"] == {}
        url = f"http://127.0.0.1:{port}/cameras"
        with urllib.request.urlopen(url, timeout=5) as resp:
            assert len(json.load(resp)) == 2
        proc.stdin.close()  # the parent going away must stop the simulator
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
