"""R1: ``kill -9`` during writes never corrupts the database or loses a saved record.

A child process saves records in a loop and prints each id only after its transaction
committed (the moment the UI would say "saved"). The parent kills it with SIGKILL at a
random moment, then checks ``PRAGMA integrity_check`` and that every printed id is present.
The run count is ``SC_R1_RUNS`` (25 by default, 200 for the full target).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from station_console.station import open_station

CHILD = r"""
import sys
from pathlib import Path
from station_console.station import open_station
st = open_station(Path(sys.argv[1]), use_keyring=False)
st.accounts.sign_in("admin", "admin-pass-1")
print("ready", flush=True)
i = 0
while True:
    i += 1
    site = st.inventory.add_site({"name": f"{sys.argv[2]}-{i}", "kind": "village"})
    cam = st.inventory.add_camera({"name": f"cam-{sys.argv[2]}-{i}", "site": site.id}, password="pw")
    # One write of one line: print() with several arguments writes them one by one when
    # stdout is unbuffered (PYTHONUNBUFFERED), and a kill between them left a half line.
    sys.stdout.write(f"saved {site.id} {cam.id}\n")
    sys.stdout.flush()
"""


@pytest.mark.slow
def test_kill_minus_nine_during_writes(tmp_path: Path) -> None:
    runs = int(os.environ.get("SC_R1_RUNS", "25"))
    data = tmp_path / "data"
    st = open_station(data, use_keyring=False)
    st.accounts.create_first_admin("admin", "A", "admin-pass-1")
    st.close()
    rng = random.Random(1)
    saved: list[tuple[str, str]] = []
    env = {**os.environ, "SC_NO_KEYRING": "1"}
    for run in range(runs):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data), str(run)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        # Only whole lines: the kill may still cut the last write short.
        for line in out.splitlines(keepends=True):
            if line.startswith("saved ") and line.endswith("\n"):
                _, site_id, cam_id = line.split()
                saved.append((site_id, cam_id))
    st = open_station(data, use_keyring=False)
    try:
        assert st.db.integrity_check() == []
        sites = {r[0] for r in st.db.query("SELECT id FROM sites")}
        cams = {r[0] for r in st.db.query("SELECT id FROM cameras")}
        missing = [s for s in saved if s[0] not in sites or s[1] not in cams]
        assert missing == []
        assert st.audit.verify().ok
        # Every camera row has its outbox row (written in the same transaction).
        orphan = st.db.scalar(
            "SELECT count(*) FROM cameras c WHERE NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.entity = 'camera' AND o.entity_id = c.id)"
        )
        assert orphan == 0
    finally:
        st.close()
    print(f"R1: {runs} kills, {len(saved)} records reported saved, 0 lost, integrity ok")
