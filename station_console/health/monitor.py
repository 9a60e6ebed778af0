"""The health monitor: checks every camera on a schedule, in the background, never on the GUI.

One scheduler thread owns all state (the per-camera trackers) and is the only one that
applies rules; probing and picture diagnosis run on two small pools and hand their results
back through a queue. So a slow camera (a 3 s timeout) never delays the schedule, and no
lock is needed around the rules.

Schedule: every camera is checked every ``health_check_seconds`` (key places every
``health_key_place_seconds``), start times spread evenly so the load is flat. A bad look is
confirmed by a second look :data:`RECHECK_S` later, so a dark camera becomes a fault within
one interval plus a few seconds. Cameras on the wall are watched through the stream gateway:
when the wall loses a stream the camera is checked at once (a fault in a few seconds).
Pictures are diagnosed every ``vqd_check_seconds`` from the wall's latest key frame when the
camera is on the wall, else from the camera's snapshot URI.

The monitor acts as the system: it needs no signed-in officer, and decrypts camera
passwords only to hand them to the prober.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from station_console.health.alarms import AlarmDesk
from station_console.health.faults import Evidence, FaultDesk
from station_console.health.model import (
    ALARM_KINDS,
    PICTURE_KINDS,
    CameraState,
    Diagnoser,
    Diagnosis,
    FaultKind,
    LiveStreams,
    Picture,
    Prober,
    ProbeResult,
    ProbeTarget,
)
from station_console.health.rules import (
    DOWN_KINDS,
    Observation,
    Tracker,
    observe_picture,
    observe_probe,
)
from station_console.health.store import CheckRecord, HealthStore, PictureRecord
from station_console.security.keystore import CredentialCipher
from station_console.settings import Settings
from station_console.storage.database import Database

log = logging.getLogger(__name__)

RECHECK_S = 2.0
PICTURE_RECHECK_S = 3.0
PROBE_TIMEOUT_S = 3.0
SNAPSHOT_TIMEOUT_S = 5.0
CHUNK = 100  # cameras per prober call
TICK_S = 0.25
FLUSH_S = 1.0
REFRESH_S = 30.0
ROLLUP_S = 3600.0


@dataclass
class _Cam:
    target: ProbeTarget
    name: str
    key_place: bool
    updated_at: str
    tracker: Tracker = field(default_factory=Tracker)
    next_check: float = 0.0
    next_picture: float = 0.0
    checking: bool = False
    picturing: bool = False
    online: bool | None = None
    live: str | None = None  # None: not on the wall; "": live; else the gateway's problem
    baseline: dict[str, Any] = field(default_factory=dict)
    signature: bytes | None = None
    checks: int = 0
    last_checked: float = 0.0
    look_now: bool = False  # the wall lost it while a check was under way: look again


@dataclass(frozen=True)
class CycleStats:
    """For the status bar and the benchmark."""

    cameras: int
    checked_last_minute: int
    online: int
    offline: int
    degraded: int
    checks_total: int
    pictures_total: int


@dataclass(frozen=True)
class CameraVerdict:
    """One camera's outcome of :meth:`HealthMonitor.run_once` (the CLI)."""

    camera_id: str
    name: str
    state: CameraState
    problems: list[FaultKind]
    probe: ProbeResult | None
    picture: FaultKind | None
    measurements: Mapping[str, float]


class HealthMonitor:
    """Runs the schedule; start() and stop() from any thread (stop blocks briefly)."""

    def __init__(
        self,
        db: Database,
        cipher: CredentialCipher,
        settings: Settings,
        store: HealthStore,
        faults: FaultDesk,
        alarms: AlarmDesk,
        prober: Prober,
        diagnoser: Diagnoser | None = None,
        live: LiveStreams | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db = db
        self.cipher = cipher
        self.settings = settings
        self.store = store
        self.faults = faults
        self.alarms = alarms
        self.prober = prober
        self.diagnoser = diagnoser
        self.live = live
        self.clock = clock
        self._cams: dict[str, _Cam] = {}
        self._results: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._probe_pool: ThreadPoolExecutor | None = None
        self._picture_pool: ThreadPoolExecutor | None = None
        self._pending_checks: list[CheckRecord] = []
        self._pending_pictures: list[PictureRecord] = []
        self._last_flush = 0.0
        self._last_refresh = -REFRESH_S
        self._last_rollup = 0.0
        self._refresh_wanted = True
        self.checks_total = 0
        self.pictures_total = 0
        self.listeners: list[Callable[[str], None]] = []  # camera id whose state changed
        self.errors = 0

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._probe_pool = ThreadPoolExecutor(4, thread_name_prefix="health-probe")
        self._picture_pool = ThreadPoolExecutor(2, thread_name_prefix="health-vqd")
        self._thread = threading.Thread(target=self._run, name="health-monitor", daemon=True)
        self._thread.start()
        log.info("health monitor started")

    def stop(self, timeout: float = 10.0) -> None:
        thread, self._thread = self._thread, None
        self._stop.set()
        self._wake.set()
        if thread is not None:
            thread.join(timeout)
        for pool in (self._probe_pool, self._picture_pool):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._probe_pool = self._picture_pool = None
        try:
            self._flush(force=True)
        except Exception:
            log.exception("health samples not saved at stop")
        log.info("health monitor stopped")

    @property
    def running(self) -> bool:
        return self._thread is not None

    def refresh(self) -> None:
        """The inventory changed: reload cameras on the next tick."""
        self._refresh_wanted = True
        self._wake.set()

    def live_changed(self, camera_id: str | None = None) -> None:
        """The wall's stream state changed (gateway thread): look at it at once."""
        self._wake.set()

    # -- cameras ---------------------------------------------------------------------------

    def _load_cameras(self) -> None:
        rows = self.db.query(
            "SELECT c.id, c.name, c.onvif_url, c.main_stream_uri, c.sub_stream_uri, c.username, "
            "c.password_enc, c.updated_at, coalesce(s.kind, '') AS site_kind, "
            "coalesce(h.snapshot_uri, '') AS snapshot_uri, coalesce(h.baseline, '{}') AS baseline "
            "FROM cameras c LEFT JOIN sites s ON s.id = c.site_id "
            "LEFT JOIN camera_health h ON h.camera_id = c.id "
            "WHERE c.retired_at IS NULL AND (c.onvif_url <> '' OR c.main_stream_uri <> '')"
        )
        open_kinds = self.faults.open_kinds()
        now = self.clock()
        interval = float(self.settings.get("health_check_seconds"))
        key_interval = float(self.settings.get("health_key_place_seconds"))
        vqd = float(self.settings.get("vqd_check_seconds"))
        seen: set[str] = set()
        import json

        for r in rows:
            cid = r["id"]
            seen.add(cid)
            old = self._cams.get(cid)
            if old is not None and old.updated_at == r["updated_at"]:
                continue
            password = ""
            if r["password_enc"]:
                try:
                    password = self.cipher.decrypt(r["password_enc"], bound_to=cid)
                except Exception:
                    log.warning("camera %s: stored password cannot be decrypted", cid)
            target = ProbeTarget(
                camera_id=cid,
                onvif_url=r["onvif_url"],
                rtsp_url=r["sub_stream_uri"] or r["main_stream_uri"],
                username=r["username"],
                password=password,
                snapshot_uri=r["snapshot_uri"],
            )
            key_place = r["site_kind"] == "key_place"
            if old is not None:
                old.target, old.name, old.key_place = target, r["name"], key_place
                old.updated_at = r["updated_at"]
                continue
            cam = _Cam(target, r["name"], key_place, r["updated_at"])
            cam.tracker.confirmed = set(open_kinds.get(cid, set()))
            spread = key_interval if key_place else interval
            cam.next_check = now + random.uniform(0, spread)  # noqa: S311 - load spreading
            cam.next_picture = now + random.uniform(0, vqd) + 1.0  # noqa: S311
            try:
                cam.baseline = dict(json.loads(r["baseline"]))
            except ValueError:
                cam.baseline = {}
            self._cams[cid] = cam
        for cid in set(self._cams) - seen:
            del self._cams[cid]

    # -- the scheduler thread --------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._tick()
            except Exception:
                self.errors += 1
                log.exception("health monitor tick failed")
                self._stop.wait(1.0)
            self._wake.wait(TICK_S)
            self._wake.clear()

    def _tick(self) -> None:
        now = self.clock()
        if self._refresh_wanted or now - self._last_refresh >= REFRESH_S:
            self._refresh_wanted = False
            self._last_refresh = now
            self._load_cameras()
        if self.live is not None:
            self._poll_live(now)
        self._drain()
        self._dispatch(now)
        self._flush()
        if now - self._last_rollup >= ROLLUP_S:
            self._last_rollup = now
            self.store.roll_up(now)

    def _poll_live(self, now: float) -> None:
        assert self.live is not None
        try:
            live = self.live.live_cameras()
        except Exception:
            log.exception("live stream state unavailable")
            return
        for cid, cam in self._cams.items():
            state = live.get(cid)
            if state is None and cam.live is None:
                continue
            if state is not None and state != "" and cam.live != state:
                if cam.checking:
                    cam.look_now = True
                else:
                    cam.next_check = min(cam.next_check, now)  # the wall lost it: look now
            cam.live = state

    def _interval(self, cam: _Cam) -> float:
        key = "health_key_place_seconds" if cam.key_place else "health_check_seconds"
        return float(self.settings.get(key))

    def _dispatch(self, now: float) -> None:
        due = [c for c in self._cams.values() if not c.checking and c.next_check <= now]
        due.sort(key=lambda c: c.next_check)
        for i in range(0, len(due), CHUNK):
            chunk = due[i : i + CHUNK]
            for c in chunk:
                c.checking = True
            self._submit_probe([c.target for c in chunk])
        if self.diagnoser is None:
            return
        pics = [
            c
            for c in self._cams.values()
            if not c.picturing
            and c.next_picture <= now
            and c.online
            and (c.target.snapshot_uri or c.live == "")
        ]
        for c in pics:
            c.picturing = True
            self._submit_picture(c)

    def _submit_probe(self, targets: list[ProbeTarget]) -> None:
        pool = self._probe_pool
        if pool is None:
            return

        def work() -> None:
            try:
                results = self.prober.check(targets, PROBE_TIMEOUT_S)
            except Exception as exc:
                log.exception("health probe failed")
                self._results.put(("probe_failed", ([t.camera_id for t in targets], exc)))
            else:
                self._results.put(("probes", results))
            self._wake.set()

        pool.submit(work)

    def _submit_picture(self, cam: _Cam) -> None:
        pool = self._picture_pool
        diagnoser = self.diagnoser
        if pool is None or diagnoser is None:
            return
        target, live, baseline, previous = cam.target, cam.live, dict(cam.baseline), cam.signature

        def work() -> None:
            picture: Picture | None = None
            try:
                if live == "" and self.live is not None:
                    picture = self.live.keyframe(target.camera_id)
                if picture is None and target.snapshot_uri:
                    data = self.prober.snapshot(target, SNAPSHOT_TIMEOUT_S)
                    picture = Picture(target.camera_id, self.clock(), data)
                if picture is None:
                    self._results.put(("picture", (target.camera_id, None, None)))
                else:
                    diagnosis = diagnoser.diagnose(picture, baseline, previous)
                    self._results.put(("picture", (target.camera_id, picture, diagnosis)))
            except Exception as exc:
                log.debug("picture of %s not diagnosed: %s", target.camera_id, exc)
                self._results.put(("picture", (target.camera_id, None, None)))
            self._wake.set()

        pool.submit(work)

    def _drain(self) -> None:
        while True:
            try:
                what, payload = self._results.get_nowait()
            except queue.Empty:
                return
            if what == "probes":
                for result in payload:
                    self._apply_probe(result)
            elif what == "probe_failed":
                ids, _exc = payload
                for cid in ids:
                    cam = self._cams.get(cid)
                    if cam is not None:
                        cam.checking = False
                        cam.next_check = self.clock() + RECHECK_S
            elif what == "picture":
                self._apply_picture(*payload)

    # -- rules applied ---------------------------------------------------------------------

    def _apply_probe(self, result: ProbeResult) -> None:
        cam = self._cams.get(result.camera_id)
        if cam is None:
            return
        cam.checking = False
        cam.checks += 1
        cam.last_checked = result.checked_at
        self.checks_total += 1
        if result.snapshot_uri and not cam.target.snapshot_uri:
            cam.target = ProbeTarget(
                cam.target.camera_id, cam.target.onvif_url, cam.target.rtsp_url,
                cam.target.username, cam.target.password, result.snapshot_uri,
            )  # fmt: skip
        drift = float(self.settings.get("clock_drift_limit_seconds"))
        obs = observe_probe(result, drift, cam.live)
        was_online = cam.online
        cam.online = obs.online
        again = self._apply(cam, obs, result.checked_at, self._probe_evidence(result))
        cam.next_check = result.checked_at + (RECHECK_S if again else self._interval(cam))
        if cam.look_now:
            cam.look_now = False
            cam.next_check = min(cam.next_check, self.clock())
        if obs.online and not was_online:
            cam.next_picture = min(cam.next_picture, result.checked_at + 1.0)
        self._pending_checks.append(
            CheckRecord(
                camera_id=cam.target.camera_id,
                checked_at=result.checked_at,
                online=obs.online,
                state=cam.tracker.state(obs.online),
                problem=cam.tracker.problem(DOWN_KINDS),
                detail=obs.detail,
                clock_offset_s=result.clock_offset_s,
                rtt_ms=result.rtt_ms,
                snapshot_uri=result.snapshot_uri,
            )
        )
        if was_online != obs.online:
            self._notify(cam.target.camera_id)

    @staticmethod
    def _probe_evidence(result: ProbeResult) -> Evidence:
        m: dict[str, Any] = {
            "onvif": "ok" if result.onvif_ok else str(result.onvif_error or "failed"),
            "rtsp": "ok" if result.rtsp_ok else str(result.rtsp_error or "failed"),
        }
        if result.clock_offset_s is not None:
            m["clock_offset_s"] = round(result.clock_offset_s, 1)
        if result.rtt_ms is not None:
            m["rtt_ms"] = round(result.rtt_ms, 1)
        return Evidence(result.checked_at, m, None, result.detail)

    def _apply_picture(
        self, camera_id: str, picture: Picture | None, diagnosis: Diagnosis | None
    ) -> None:
        cam = self._cams.get(camera_id)
        if cam is None:
            return
        cam.picturing = False
        now = self.clock()
        vqd = float(self.settings.get("vqd_check_seconds"))
        if picture is None or diagnosis is None:
            cam.next_picture = now + vqd
            return
        self.pictures_total += 1
        cam.baseline = dict(diagnosis.baseline)
        cam.signature = diagnosis.signature or None
        obs = observe_picture(diagnosis.kind)
        jpeg = picture.data if picture.format == "jpeg" else None
        if jpeg is None and diagnosis.kind is not None:
            to_jpeg = getattr(self.diagnoser, "to_jpeg", None)
            if callable(to_jpeg):
                try:
                    jpeg = to_jpeg(picture)
                except Exception:
                    jpeg = None
        evidence = Evidence(picture.taken_at, dict(diagnosis.measurements), jpeg,
                            f"{picture.source} picture")  # fmt: skip
        again = self._apply(cam, obs, picture.taken_at, evidence)
        # A frozen picture needs two more pictures to confirm: look again soon either way.
        cam.next_picture = now + (PICTURE_RECHECK_S if again else vqd)
        self._pending_pictures.append(
            PictureRecord(
                camera_id,
                picture.taken_at,
                diagnosis.kind is not None,
                diagnosis.kind.value if diagnosis.kind else "",
                diagnosis.baseline,
            )
        )

    def _apply(self, cam: _Cam, obs: Observation, when: float, evidence: Evidence) -> bool:
        confirmed, recovered, again = cam.tracker.step(obs)
        cid = cam.target.camera_id
        for kind in sorted(confirmed):
            try:
                self.faults.report_detected(cid, kind, evidence)
                if kind in ALARM_KINDS:
                    self.alarms.camera_down(cid, kind)
            except Exception:
                self.errors += 1
                log.exception("fault %s on %s not recorded", kind, cid)
                cam.tracker.confirmed.discard(kind)  # try again on the next look
        if recovered:
            try:
                self.faults.report_recovered(cid, sorted(recovered), when)
                for kind in recovered & ALARM_KINDS:
                    self.alarms.camera_up(cid, kind)
            except Exception:
                self.errors += 1
                log.exception("recovery of %s not recorded", cid)
        if confirmed or recovered:
            log.info(
                "camera %s (%s): confirmed %s, recovered %s",
                cam.name, cid, [k.value for k in confirmed], [k.value for k in recovered],
            )  # fmt: skip
            self._notify(cid)
        return again

    def _notify(self, camera_id: str) -> None:
        for listener in list(self.listeners):
            try:
                listener(camera_id)
            except Exception:
                log.exception("health listener failed")

    def _flush(self, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self._last_flush < FLUSH_S:
            return
        self._last_flush = now
        checks, self._pending_checks = self._pending_checks, []
        pictures, self._pending_pictures = self._pending_pictures, []
        if checks or pictures:
            self.store.record(checks, pictures)

    # -- read side -------------------------------------------------------------------------

    def stats(self) -> CycleStats:
        now = self.clock()
        cams = list(self._cams.values())
        return CycleStats(
            cameras=len(cams),
            checked_last_minute=sum(1 for c in cams if now - c.last_checked <= 60.0),
            online=sum(1 for c in cams if c.online and not c.tracker.confirmed),
            offline=sum(1 for c in cams if c.online is False),
            degraded=sum(1 for c in cams if c.online and c.tracker.confirmed),
            checks_total=self.checks_total,
            pictures_total=self.pictures_total,
        )

    def last_checked(self) -> dict[str, float]:
        return {cid: c.last_checked for cid, c in self._cams.items()}

    # -- one pass, for the CLI -------------------------------------------------------------

    def run_once(self, timeout: float = PROBE_TIMEOUT_S) -> list[CameraVerdict]:
        """Check every camera once and diagnose its picture; writes nothing."""
        self._load_cameras()
        cams = list(self._cams.values())
        results = {r.camera_id: r for r in self.prober.check([c.target for c in cams], timeout)}
        drift = float(self.settings.get("clock_drift_limit_seconds"))
        verdicts: list[CameraVerdict] = []
        for cam in cams:
            result = results.get(cam.target.camera_id)
            problems: set[FaultKind] = set()
            online = False
            if result is not None:
                obs = observe_probe(result, drift)
                problems |= obs.found
                online = obs.online
                if result.snapshot_uri and not cam.target.snapshot_uri:
                    cam.target = ProbeTarget(
                        cam.target.camera_id, cam.target.onvif_url, cam.target.rtsp_url,
                        cam.target.username, cam.target.password, result.snapshot_uri,
                    )  # fmt: skip
            picture_kind: FaultKind | None = None
            measurements: Mapping[str, float] = {}
            if online and self.diagnoser is not None and cam.target.snapshot_uri:
                try:
                    data = self.prober.snapshot(cam.target, SNAPSHOT_TIMEOUT_S)
                    d = self.diagnoser.diagnose(
                        Picture(cam.target.camera_id, self.clock(), data), cam.baseline, None
                    )
                    picture_kind, measurements = d.kind, d.measurements
                    if d.kind is not None and d.kind in PICTURE_KINDS:
                        problems.add(d.kind)
                except Exception as exc:
                    log.debug("snapshot of %s failed: %s", cam.name, exc)
            tracker = Tracker(confirmed=problems)
            verdicts.append(
                CameraVerdict(
                    cam.target.camera_id,
                    cam.name,
                    tracker.state(online if result is not None else None),
                    sorted(problems),
                    result,
                    picture_kind,
                    measurements,
                )
            )
        return verdicts
