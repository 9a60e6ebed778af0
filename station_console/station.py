"""Opens a station: the data directory, its lock, the database and every core service.

This is the core's composition root, shared by the GUI (``main.py``), the CLI and tests, so
all of them get the same wiring: migrations run, the station key is loaded, the audit log is
anchored, and services share one session.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from station_console.health import HealthServices
from station_console.incidents import EvidenceExporter, IncidentService
from station_console.paths import DataPaths
from station_console.security.keystore import CredentialCipher, choose_backend
from station_console.services.accounts import Accounts
from station_console.services.audit import AuditLog
from station_console.services.csv_io import CsvTransfer
from station_console.services.duty import DutyService
from station_console.services.inventory import Inventory
from station_console.services.patrol import PatrolService
from station_console.services.permissions import Officer, Permission, Session
from station_console.services.wall import WallService
from station_console.settings import Settings
from station_console.storage.database import Database
from station_console.storage.instance_lock import InstanceLock
from station_console.storage.migrations import migrate
from station_console.sync.hlc import HybridClock
from station_console.sync.outbox import Outbox

log = logging.getLogger(__name__)


@dataclass
class Station:
    paths: DataPaths
    db: Database
    session: Session
    audit: AuditLog
    accounts: Accounts
    inventory: Inventory
    csv: CsvTransfer
    settings: Settings
    clock: HybridClock
    outbox: Outbox
    cipher: CredentialCipher
    wall: WallService
    patrol: PatrolService
    duty: DutyService
    lock: InstanceLock | None = None
    epoch: str = ""
    incidents: IncidentService = field(init=False)
    evidence: EvidenceExporter = field(init=False)
    health: HealthServices = field(init=False)
    extras: dict[str, object] = field(default_factory=dict)

    def close(self) -> None:
        self.db.close()
        if self.lock:
            self.lock.release()

    def __enter__(self) -> Station:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _camera_lookup(inventory: Inventory) -> Callable[[str], tuple[str, str, str]]:
    """Camera id -> (name, site id, site name) for incidents."""

    def lookup(camera_id: str) -> tuple[str, str, str]:
        camera = inventory.camera(camera_id)
        return camera.name, camera.site_id or "", camera.site_name

    return lookup


def open_station(
    data_dir: Path,
    *,
    exclusive: bool = True,
    use_keyring: bool | None = None,
) -> Station:
    """Open (creating if needed) the station in ``data_dir``.

    ``exclusive`` takes the instance lock (the GUI does; CLI reads and backups do not).
    Raises :class:`DataDirInUse` or :class:`DatabaseCorrupt` without touching any file.
    """
    paths = DataPaths(data_dir).ensure()
    lock = InstanceLock(paths.lock_file).acquire() if exclusive else None
    try:
        db = Database(paths.database)
        migrate(db)
        cipher = CredentialCipher(choose_backend(paths.key_file, use_keyring=use_keyring))
        session = Session()
        audit = AuditLog(db, paths.audit_anchor, cipher.derive("audit-anchor"), session=session)
        epoch = str(db.scalar("SELECT value FROM sync_state WHERE key = 'epoch'"))
        clock = HybridClock(node=epoch[:8])
        with db.write() as conn:
            clock.load(conn)
        outbox = Outbox(clock)

        def audit_refusal(officer: Officer | None, permission: Permission) -> None:
            actor = officer.username if officer else "anonymous"
            audit.append(actor, "permission.refused", permission.value)

        session.on_refused.append(audit_refusal)
        accounts = Accounts(db, audit, session)
        inventory = Inventory(db, audit, session, outbox, cipher)
        patrol = PatrolService(db, audit, session, inventory)
        station = Station(
            paths=paths,
            db=db,
            session=session,
            audit=audit,
            accounts=accounts,
            inventory=inventory,
            csv=CsvTransfer(inventory),
            settings=Settings(db, audit, session),
            clock=clock,
            outbox=outbox,
            cipher=cipher,
            wall=WallService(db, audit, session, paths.media),
            patrol=patrol,
            duty=DutyService(db, audit, session, patrol, outbox=outbox, station_key=epoch),
            lock=lock,
            epoch=epoch,
        )
        station.incidents = IncidentService(
            db, audit, session, outbox, paths.media, camera_lookup=_camera_lookup(inventory)
        )
        station.evidence = EvidenceExporter(
            station.incidents, lambda: str(station.settings.get("station_name") or "")
        )
        station.health = HealthServices.build(station)
        if exclusive:
            recovered = station.wall.close_dangling()
            if recovered:
                log.info("closed %d camera viewings left open by the last run", recovered)
    except BaseException:
        if lock:
            lock.release()
        raise
    log.info("station opened at %s on %s", data_dir, socket.gethostname())
    return station
