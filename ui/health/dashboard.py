"""The health dashboard: how much of the estate can be seen, where it cannot, and how fast
faults get repaired.

Online rate per hour (by community, site or owner unit) over the last day or week, open
faults by kind and by owner unit (with how many are overdue), mean time to repair over 30
days, and the cameras never seen online (wrong address, or never built). Everything is read
on the task runner; plots are pyqtgraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.health.model import FaultKind
from station_console.health.store import CameraHealth
from station_console.station import Station
from ui.lifetime import while_alive
from ui.messages import show_error
from ui.tasks import TaskRunner

COLOURS = ["#1565c0", "#2e7d32", "#c62828", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037",
           "#ad1457"]  # fmt: skip


@dataclass(frozen=True)
class DashboardData:
    summary: dict[str, int]
    rates: dict[str, list[tuple[str, float]]]
    by_kind: dict[FaultKind, int]
    by_owner: list[tuple[str, int, int]]
    mttr_hours: float | None
    mttr_n: int
    never_seen: list[CameraHealth]


def hour_to_ts(hour: str) -> float:
    return datetime.strptime(hour, "%Y-%m-%dT%H").replace(tzinfo=UTC).timestamp()


class HealthDashboard(QWidget):
    loaded = Signal(object)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("healthDashboard")
        self.station = station
        self.tasks = tasks
        self.data: DashboardData | None = None
        pg.setConfigOptions(antialias=True, background="w", foreground="k")

        self.group = QComboBox(self)
        self.group.setObjectName("rateGroup")
        self.group.addItem(self.tr("Whole station"), "station")
        self.group.addItem(self.tr("By community"), "community")
        self.group.addItem(self.tr("By site"), "site")
        self.group.addItem(self.tr("By owner unit"), "owner")
        self.span = QComboBox(self)
        self.span.addItem(self.tr("Last 24 hours"), 24)
        self.span.addItem(self.tr("Last 7 days"), 24 * 7)
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.clicked.connect(self.reload)
        self.group.currentIndexChanged.connect(self.reload)
        self.span.currentIndexChanged.connect(self.reload)
        top = QHBoxLayout()
        self.summary = QLabel(self)
        self.summary.setObjectName("healthSummary")
        top.addWidget(self.summary, 1)
        top.addWidget(self.group)
        top.addWidget(self.span)
        top.addWidget(refresh)

        self.rate_plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.rate_plot.setObjectName("onlineRatePlot")
        self.rate_plot.setLabel("left", self.tr("Online rate (%)"))
        self.rate_plot.setYRange(0, 100)
        self.rate_plot.showGrid(x=True, y=True, alpha=0.3)
        self.legend = self.rate_plot.addLegend(offset=(10, 10))
        self.kind_plot = pg.PlotWidget()
        self.kind_plot.setObjectName("faultsByKindPlot")
        self.kind_plot.setLabel("left", self.tr("Open faults"))
        for plot in (self.rate_plot, self.kind_plot):
            # pyqtgraph's own menus are English only: keep its export, in our words.
            plot.setMenuEnabled(False)
            for action in plot.scene().contextMenu:
                action.setText(self.tr("Export the chart…"))
                action.setToolTip(self.tr("Export the chart"))
        self.owner_table = QTableWidget(0, 3, self)
        self.owner_table.setObjectName("faultsByOwner")
        self.owner_table.setHorizontalHeaderLabels(
            [self.tr("Owner unit"), self.tr("Open faults"), self.tr("Overdue")]
        )
        self.owner_table.verticalHeader().setVisible(False)
        self.owner_table.horizontalHeader().setStretchLastSection(True)
        self.mttr = QLabel(self)
        self.mttr.setObjectName("mttr")
        self.never = QListWidget(self)
        self.never.setObjectName("neverSeen")

        def box(title: str, widget: QWidget) -> QGroupBox:
            g = QGroupBox(title, self)
            lay = QVBoxLayout(g)
            lay.addWidget(widget)
            return g

        grid = QGridLayout()
        grid.addWidget(box(self.tr("Online rate"), self.rate_plot), 0, 0, 1, 2)
        grid.addWidget(box(self.tr("Open faults by kind"), self.kind_plot), 1, 0)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.owner_table, 2)
        rl.addWidget(self.mttr)
        grid.addWidget(box(self.tr("Open faults by owner unit"), right), 1, 1)
        grid.addWidget(box(self.tr("Never seen online"), self.never), 0, 2, 2, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        self.reload()

    def load(self, group: str, hours: int) -> DashboardData:
        """Runs on the task runner."""
        h = self.station.health
        since = (datetime.now(UTC) - timedelta(days=30)).isoformat()
        mttr, n = h.faults.mean_time_to_repair_hours(since)
        return DashboardData(
            summary=h.store.summary(),
            rates=h.store.online_rate(group, hours=hours),
            by_kind=h.faults.open_by_kind(),
            by_owner=h.faults.open_by_owner(),
            mttr_hours=mttr,
            mttr_n=n,
            never_seen=h.store.never_seen(),
        )

    def reload(self) -> None:
        self.tasks.run(self.load, str(self.group.currentData()), int(self.span.currentData()),
                       on_done=while_alive(self, self._show),
                       on_error=while_alive(self, lambda exc: show_error(self, exc)))  # fmt: skip

    def _show(self, d: DashboardData) -> None:
        from ui.health.fault_desk import kind_text

        self.data = d
        s = d.summary
        total = sum(s.values())
        self.summary.setText(
            self.tr(
                "{total} cameras: {online} online, {degraded} degraded, {offline} offline, "
                "{unknown} not checked yet."
            ).format(
                total=total,
                online=s.get("online", 0),
                degraded=s.get("degraded", 0),
                offline=s.get("offline", 0),
                unknown=s.get("unknown", 0),
            )
        )
        self.rate_plot.clear()
        self.legend.clear()
        groups = sorted(d.rates.items(), key=lambda kv: min(r for _, r in kv[1]))[:8]
        for i, (name, series) in enumerate(groups):
            xs = [hour_to_ts(h) + 1800 for h, _ in series]
            ys = [100.0 * r for _, r in series]
            label = name or self.tr("Whole station")
            self.rate_plot.plot(xs, ys, pen=pg.mkPen(COLOURS[i % len(COLOURS)], width=2),
                                symbol="o", symbolSize=5, name=label)  # fmt: skip
        self.kind_plot.clear()
        kinds = sorted(d.by_kind.items(), key=lambda kv: -kv[1])
        if kinds:
            bars = pg.BarGraphItem(x=list(range(len(kinds))), height=[n for _, n in kinds],
                                   width=0.6, brush="#c62828")  # fmt: skip
            self.kind_plot.addItem(bars)
            axis = self.kind_plot.getAxis("bottom")
            axis.setTicks([[(i, kind_text(k)) for i, (k, _) in enumerate(kinds)]])
        self.owner_table.setRowCount(len(d.by_owner))
        for r, (owner, n, late) in enumerate(d.by_owner):
            for c, v in enumerate((owner or self.tr("(no owner unit)"), str(n), str(late))):
                self.owner_table.setItem(r, c, QTableWidgetItem(v))
        if d.mttr_hours is None:
            self.mttr.setText(self.tr("Mean time to repair (30 days): no fault closed yet."))
        else:
            self.mttr.setText(
                self.tr("Mean time to repair (30 days): {h:.1f} hours over {n} faults.").format(
                    h=d.mttr_hours, n=d.mttr_n
                )
            )
        self.never.clear()
        for c in d.never_seen:
            self.never.addItem(f"{c.camera_name} — {c.site_name}")
        if not d.never_seen:
            self.never.addItem(self.tr("Every checked camera has been seen online."))
        self.loaded.emit(d)

    def rate_series(self) -> dict[str, list[tuple[str, float]]]:
        return {} if self.data is None else dict(self.data.rates)

    def plotted(self) -> list[Any]:
        return list(self.rate_plot.getPlotItem().listDataItems())
