"""Camera health: the monitor's rules, the fault desk, alarms, inspection rounds, roll-ups.

:class:`HealthServices` bundles the services one station uses; the monitor itself is built
by whoever owns the drivers (the GUI's composition root, the CLI, benchmarks) with
:meth:`HealthServices.monitor`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from station_console.health.alarms import AlarmDesk
from station_console.health.faults import FaultDesk
from station_console.health.inspections import Inspections
from station_console.health.store import HealthStore

if TYPE_CHECKING:
    from station_console.health.model import Diagnoser, LiveStreams, Prober
    from station_console.health.monitor import HealthMonitor
    from station_console.station import Station


@dataclass
class HealthServices:
    store: HealthStore
    faults: FaultDesk
    alarms: AlarmDesk
    inspections: Inspections

    @classmethod
    def build(cls, station: Station) -> HealthServices:
        faults = FaultDesk(
            station.db,
            station.audit,
            station.session,
            station.outbox,
            station.settings,
            station.paths.media,
        )
        return cls(
            store=HealthStore(
                station.db, station.session, outbox=station.outbox, station_key=station.epoch
            ),
            faults=faults,
            alarms=AlarmDesk(station.db, station.audit, station.session),
            inspections=Inspections(station.db, station.audit, station.session, faults),
        )

    def monitor(
        self,
        station: Station,
        prober: Prober,
        diagnoser: Diagnoser | None = None,
        live: LiveStreams | None = None,
    ) -> HealthMonitor:
        from station_console.health.monitor import HealthMonitor

        return HealthMonitor(
            station.db,
            station.cipher,
            station.settings,
            self.store,
            self.faults,
            self.alarms,
            prober,
            diagnoser,
            live,
        )
