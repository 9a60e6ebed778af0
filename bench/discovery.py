"""P5: discovery and provisioning of a simulated fleet inside a private network namespace.

Targets: all 200 cameras found in ≤ 3 s, 10 runs out of 10; device info + profiles + stream
URIs for all 200 in ≤ 5 s and ≥ 2× faster than a plain sequential onvif-zeep loop
(``ONVIFCamera`` per camera) over the same cameras in the same run.

    python -m bench.discovery          (re-executes itself in a namespace; needs root)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from bench.common import Result, median, smoke
from simulator import netns


def sequential_onvif_zeep(cameras: list) -> float:  # type: ignore[type-arg]
    """The reference: what a plain onvif-zeep script does, one camera after another."""
    from onvif import ONVIFCamera

    from drivers.onvif_device import wsdl_dir

    wsdl = str(wsdl_dir())
    start = time.perf_counter()
    for c in cameras:
        cam = ONVIFCamera(c.host, c.onvif_port, c.username, c.password, wsdl, adjust_time=True)
        cam.devicemgmt.GetDeviceInformation()
        media = cam.create_media_service()
        for p in media.GetProfiles():
            media.GetStreamUri(
                {
                    "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                    "ProfileToken": p.token,
                }
            )
    return time.perf_counter() - start


class _Cam:
    def __init__(self, info: dict) -> None:  # type: ignore[type-arg]
        self.__dict__.update(info)


class FleetProcess:
    """The simulated fleet in its own process, as real cameras are separate machines: the
    console's client is measured, not the simulator sharing its interpreter."""

    def __init__(self, n: int) -> None:
        import json
        import subprocess

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "--cameras", str(n), "--discovery", "--json-ready",
             "--stdin-eof", "--control-port", "0"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.cameras = [_Cam(c) for c in json.loads(self.proc.stdout.readline())["cameras"]]

    def __enter__(self) -> FleetProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def run_inside() -> int:
    from drivers.discovery import discover
    from drivers.onvif_device import OnvifDeviceClient

    n = 20 if smoke() else 200
    runs = 3 if smoke() else 10
    result = Result("discovery")
    with FleetProcess(n) as p:
        times, complete = [], 0
        for _ in range(runs):
            found_at: dict[str, float] = {}
            start = time.perf_counter()
            discover(
                3.0,
                on_found=lambda d, f=found_at, t0=start: f.setdefault(
                    d.endpoint, time.perf_counter() - t0
                ),
            )
            if len(found_at) == n:
                complete += 1
                times.append(max(found_at.values()))
            time.sleep(0.2)
        result.add(
            "discovery_all_found_runs", complete, target=runs, unit=f"of {runs}", better="higher"
        )
        if times:
            result.add("discovery_time_to_last_camera_s", max(times), target=3.0, unit="s")
            result.notes["discovery_median_s"] = round(median(times), 3)
        targets = [(c.device_url, c.username, c.password) for c in p.cameras]
        client = OnvifDeviceClient()
        client.probe_many(targets[:1])  # WSDLs parsed once per process, as in the console
        ours, refs = [], []
        for _ in range(1):  # the reference loop alone takes minutes for 200 cameras
            t = time.perf_counter()
            details = client.probe_many(targets, workers=32)
            ours.append(time.perf_counter() - t)
            failures = [d for d in details if not hasattr(d, "serial")]
            refs.append(sequential_onvif_zeep(p.cameras))
        result.notes["probe_failures"] = len(failures)
        result.add(
            "details_profiles_uris_all_s",
            median(ours),
            target=5.0,
            unit="s",
            reference=("sequential onvif-zeep loop", median(refs)),
        )
        speedup = median(refs) / median(ours)
        result.add(
            "speedup_vs_sequential_onvif_zeep", speedup, target=2.0, unit="x", better="higher"
        )
        result.notes["cameras"] = n
        result.notes["setup"] = "simulated fleet in its own process, both inside one private netns"
    path = result.write()
    print(result.summary())
    print(f"written to {path}")
    return 0


def main() -> int:
    if netns.inside():
        return run_inside()
    reason = netns.unavailable_reason()
    if reason:
        print(f"discovery bench skipped: {reason}")
        return 0
    out = netns.run(
        [sys.executable, "-m", "bench.discovery"],
        cwd=Path(__file__).resolve().parents[1],
        timeout=1200,
    )
    sys.stdout.write(out.stdout)
    sys.stderr.write(out.stderr[-3000:])
    return out.returncode


if __name__ == "__main__":
    os.environ.setdefault("SC_NO_KEYRING", "1")
    sys.exit(main())
