"""The incident desk: list with filters, detail with media playback, response and outcome,
evidence export, bulletins and statistics.

Everything the desk does goes through the incident service on the task runner; the service's
change callbacks (any thread) arrive here as a queued signal and refresh the list, so an
incident captured on the wall, a clip saved later or an answer from the hub shows up without
the officer pressing anything. Rows whose response is late against the 1/3/10-minute targets
are highlighted and re-evaluated every few seconds.
"""

from __future__ import annotations

import html
import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from station_console.incidents import (
    Bulletin,
    Category,
    Incident,
    IncidentDetail,
    IncidentFilter,
    MediaItem,
    Outcome,
    State,
    Stats,
)
from station_console.incidents.evidence import ExportResult
from station_console.services.permissions import Permission
from station_console.station import Station
from ui.incidents.labels import (
    category_text,
    missing_text,
    outcome_text,
    priority_text,
    report_text,
    state_text,
)
from ui.messages import describe
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

OVERDUE = QColor("#f8c8c8")
REFRESH_MS = 5000


def local(ts: str | None) -> str:
    if not ts:
        return "—"
    return datetime.fromisoformat(ts).astimezone().strftime("%Y-%m-%d %H:%M:%S")


class IncidentBridge(QObject):
    """The service's change callbacks (any thread) as a GUI-thread signal."""

    changed = Signal(str)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        listeners = station.incidents.listeners
        listeners.append(self.changed.emit)
        emit = self.changed.emit
        self.destroyed.connect(lambda *_: emit in listeners and listeners.remove(emit))
        self._listeners = listeners

    def detach(self) -> None:
        if self.changed.emit in self._listeners:
            self._listeners.remove(self.changed.emit)


class OutcomeDialog(QDialog):
    def __init__(self, incident: Incident, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeDialog")
        self.setWindowTitle(self.tr("Outcome of incident {number}").format(number=incident.number))
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("outcome")
        for o in Outcome:
            if o is not Outcome.NONE:
                self.outcome.addItem(outcome_text(o), o.value)
        if incident.outcome is not Outcome.NONE:
            self.outcome.setCurrentIndex(self.outcome.findData(incident.outcome.value))
        self.suspects = QSpinBox(self)
        self.suspects.setObjectName("suspects")
        self.suspects.setRange(0, 999)
        self.suspects.setValue(incident.suspects_caught)
        self.note = QPlainTextEdit(incident.outcome_note, self)
        self.note.setObjectName("outcomeNote")
        form = QFormLayout(self)
        form.addRow(self.tr("Outcome:"), self.outcome)
        form.addRow(self.tr("Suspects caught:"), self.suspects)
        form.addRow(self.tr("Details:"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[Outcome, int, str]:
        return (
            Outcome(self.outcome.currentData()),
            self.suspects.value(),
            self.note.toPlainText(),
        )


class MediaPlayer(QWidget):
    """Plays a clip (libVLC) or shows a snapshot of the selected incident."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.wall.video_player import VideoSurface

        self.tasks = tasks
        self.setObjectName("incidentMedia")
        self.surface = VideoSurface(self)
        self.surface.setMinimumSize(240, 135)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(240, 135)
        self.player: Any = None
        self.playing = ""
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.surface, 1)
        column.addWidget(self.picture, 1)
        self.surface.hide()

    def show_item(self, item: MediaItem) -> None:
        self.stop()
        if item.kind == "snapshot":
            self.surface.hide()
            self.picture.show()
            pixmap = QPixmap(item.path)
            self.picture.setPixmap(
                pixmap.scaled(
                    640, 360, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )  # fmt: skip
            return
        from ui.wall.video_player import VlcPlayer

        self.picture.hide()
        self.surface.show()
        if self.player is None:
            self.player = VlcPlayer(self.surface, self)
        self.player.play(Path(item.path).as_uri(), options=(":no-audio",))
        self.playing = item.path

    def stop(self) -> None:
        if self.player is not None and self.playing:
            self.tasks.run(self.player.player.stop)  # blocks: never on the GUI thread
        self.playing = ""

    def close_player(self) -> None:
        """Free the libVLC player off the GUI thread (it joins its threads)."""
        player, self.player = self.player, None
        self.playing = ""
        if player is not None:
            player.detach()
            self.tasks.run(player.dispose)


class IncidentDesk(QWidget):
    """The incidents tab (see the module docstring)."""

    sighting_requested = Signal(str)  # bulletin id: capture from the wall's selected tile
    message = Signal(str)
    exported = Signal(object)  # ExportResult

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentDesk")
        self.station = station
        self.tasks = tasks
        self.incidents: list[Incident] = []
        self.current: IncidentDetail | None = None
        self.bulletin_list: list[Bulletin] = []
        self._loading = False
        self._again = False

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("incidentTabs")
        self.tabs.addTab(self._build_list(), self.tr("Incidents"))
        self.tabs.addTab(self._build_bulletins(), self.tr("Bulletins and assistance requests"))
        self.tabs.addTab(self._build_stats(), self.tr("Statistics"))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.tabs)

        self.bridge = IncidentBridge(station, self)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(300)
        self._later.timeout.connect(self.refresh)
        self.bridge.changed.connect(lambda _id: self._later.start())
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._repaint_overdue)
        self._tick.start(REFRESH_MS)
        self.refresh()
        self.load_bulletins()

    # -- building --------------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        page = QWidget(self)
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-30), page)
        self.since.setObjectName("since")
        self.since.setCalendarPopup(True)
        self.until = QDateEdit(today, page)
        self.until.setObjectName("until")
        self.until.setCalendarPopup(True)
        self.site = QComboBox(page)
        self.site.setObjectName("siteFilter")
        self.site.addItem(self.tr("All sites"), "")
        self.category = QComboBox(page)
        self.category.setObjectName("categoryFilter")
        self.category.addItem(self.tr("All categories"), "")
        for c in Category:
            self.category.addItem(category_text(c), c.value)
        self.state = QComboBox(page)
        self.state.setObjectName("stateFilter")
        self.state.addItem(self.tr("All states"), "")
        for s in State:
            self.state.addItem(state_text(s), s.value)
        self.outcome = QComboBox(page)
        self.outcome.setObjectName("outcomeFilter")
        self.outcome.addItem(self.tr("All outcomes"), None)
        for o in Outcome:
            self.outcome.addItem(outcome_text(o), o.value)
        self.search = QLineEdit(page)
        self.search.setObjectName("incidentSearch")
        self.search.setPlaceholderText(self.tr("Number, camera, site or note"))
        for box in (self.site, self.category, self.state, self.outcome):
            box.activated.connect(lambda _i: self.refresh())
        self.since.dateChanged.connect(lambda _d: self.refresh())
        self.until.dateChanged.connect(lambda _d: self.refresh())
        self.search.returnPressed.connect(self.refresh)
        for box in (self.site, self.category, self.state, self.outcome):
            box.setMinimumContentsLength(6)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("From:"), page))
        dates.addWidget(self.since)
        dates.addWidget(QLabel(self.tr("to:"), page))
        dates.addWidget(self.until)
        dates.addStretch(1)
        boxes = QGridLayout()
        for n, w in enumerate((self.site, self.category, self.state, self.outcome)):
            boxes.addWidget(w, n // 2, n % 2)
        boxes.addWidget(self.search, 2, 0, 1, 2)
        self.waiting = QLabel(page)
        self.waiting.setObjectName("outboxWaiting")
        self.waiting.setWordWrap(True)
        filters = QVBoxLayout()
        filters.addLayout(dates)
        filters.addLayout(boxes)
        filters.addWidget(self.waiting)

        self.model = QStandardItemModel(0, 9, page)
        self.model.setHorizontalHeaderLabels(
            [
                self.tr("Number"), self.tr("Time"), self.tr("Camera"), self.tr("Site"),
                self.tr("Category"), self.tr("Priority"), self.tr("State"),
                self.tr("Command centre"), self.tr("Outcome"),
            ]
        )  # fmt: skip
        self.table = QTableView(page)
        self.table.setObjectName("incidentTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _p: self._selected(cur.row())
        )

        self.detail = QTextBrowser(page)
        self.detail.setObjectName("incidentDetail")
        self.media_list = QListWidget(page)
        self.media_list.setObjectName("incidentMediaList")
        self.media_list.setMaximumHeight(90)
        self.media_list.itemActivated.connect(self._play)
        self.media_list.itemClicked.connect(self._play)
        self.player = MediaPlayer(self.tasks, page)

        can = self.station.session.can
        self.report_button = self._button(self.tr("Report…"), self.report, "reportButton")
        self.dispatched_button = self._button(
            self.tr("Units dispatched"), lambda: self.advance(State.DISPATCHED), "dispatchedButton"
        )
        self.on_scene_button = self._button(
            self.tr("Units on scene"), lambda: self.advance(State.ON_SCENE), "onSceneButton"
        )
        self.outcome_button = self._button(
            self.tr("Outcome…"), self.record_outcome, "outcomeButton"
        )
        self.link_button = self._button(self.tr("Link…"), self.link, "linkButton")
        self.export_button = self._button(self.tr("Export evidence…"), self.export, "exportButton")
        for b in (
            self.report_button, self.dispatched_button, self.on_scene_button,
            self.outcome_button, self.link_button,
        ):  # fmt: skip
            b.setVisible(can(Permission.REPORT_INCIDENTS))
        self.export_button.setVisible(can(Permission.EXPORT_EVIDENCE))
        actions = QGridLayout()
        for n, b in enumerate(
            (
                self.report_button, self.dispatched_button, self.on_scene_button,
                self.outcome_button, self.link_button, self.export_button,
            )
        ):  # fmt: skip
            actions.addWidget(b, n // 2, n % 2)

        right = QWidget(page)
        right_col = QVBoxLayout(right)
        right_col.setContentsMargins(0, 0, 0, 0)
        right_col.addLayout(actions)
        right_col.addWidget(self.detail, 2)
        right_col.addWidget(self.media_list)
        right_col.addWidget(self.player, 2)
        left = QWidget(page)
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addLayout(filters)
        left_col.addWidget(self.table, 1)
        split = QSplitter(page)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 500])
        column = QVBoxLayout(page)
        column.addWidget(split, 1)
        self._enable_actions()
        self.tasks.run(self.station.inventory.sites, on_done=self._sites, on_error=lambda e: None)
        return page

    def _button(self, text: str, slot: Any, name: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.clicked.connect(slot)
        return b

    def _sites(self, sites: list[Any]) -> None:
        for s in sites:
            self.site.addItem(s.name, s.id)

    def _build_bulletins(self) -> QWidget:
        page = QWidget(self)
        self.bulletins_view = QListWidget(page)
        self.bulletins_view.setObjectName("bulletinList")
        self.bulletins_view.currentRowChanged.connect(self._bulletin_selected)
        self.bulletin_text = QTextBrowser(page)
        self.bulletin_text.setObjectName("bulletinText")
        self.photos = QHBoxLayout()
        self.sighting_button = QPushButton(
            self.tr("Report a sighting from the selected tile"), page
        )
        self.sighting_button.setObjectName("sightingButton")
        self.sighting_button.clicked.connect(self._sighting)
        self.sighting_button.setVisible(self.station.session.can(Permission.REPORT_INCIDENTS))
        right = QWidget(page)
        col = QVBoxLayout(right)
        col.addWidget(self.bulletin_text, 1)
        col.addLayout(self.photos)
        col.addWidget(self.sighting_button)
        split = QSplitter(page)
        split.addWidget(self.bulletins_view)
        split.addWidget(right)
        split.setSizes([300, 700])
        layout = QVBoxLayout(page)
        layout.addWidget(split)
        return page

    def _build_stats(self) -> QWidget:
        page = QWidget(self)
        self.period = QComboBox(page)
        self.period.setObjectName("statsPeriod")
        self.period.addItem(self.tr("Per day"), "day")
        self.period.addItem(self.tr("Per week"), "week")
        self.period.addItem(self.tr("Per month"), "month")
        self.period.setCurrentIndex(2)
        self.period.activated.connect(lambda _i: self.load_stats())
        self.stats_model = QStandardItemModel(0, 8, page)
        self.stats_model.setHorizontalHeaderLabels(
            [
                self.tr("Period"), self.tr("Incidents"), self.tr("Reported"),
                self.tr("Video clues"), self.tr("Cases solved (current)"),
                self.tr("Cases solved (backlog)"), self.tr("Suspects caught"),
                self.tr("Late responses"),
            ]
        )  # fmt: skip
        self.stats_table = QTableView(page)
        self.stats_table.setObjectName("statsTable")
        self.stats_table.setModel(self.stats_model)
        self.stats_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stats_table.verticalHeader().hide()
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Statistics for the dates chosen on the list:"), page))
        row.addWidget(self.period)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.stats_table)
        return page

    # -- the list --------------------------------------------------------------------------

    def _range(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.since.date().toPython(), time.min).astimezone()
        end = datetime.combine(self.until.date().toPython(), time.min).astimezone()
        return start.astimezone(UTC), (end + timedelta(days=1)).astimezone(UTC)

    def current_filter(self) -> IncidentFilter:
        start, end = self._range()
        outcome = self.outcome.currentData()
        return IncidentFilter(
            since=start.isoformat(),
            until=end.isoformat(),
            site_id=self.site.currentData() or None,
            category=Category(self.category.currentData()) if self.category.currentData() else None,
            state=State(self.state.currentData()) if self.state.currentData() else None,
            outcome=Outcome(outcome) if outcome is not None else None,
            text=self.search.text().strip(),
        )

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        service = self.station.incidents
        flt = self.current_filter()

        def load() -> tuple[list[Incident], int]:
            return service.search(flt), service.changes_waiting()

        self.tasks.run(load, on_done=self._loaded, on_error=self._load_failed)
        self.load_stats()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.message.emit(describe(exc))

    def _loaded(self, result: tuple[list[Incident], int]) -> None:
        self._loading = False
        incidents, waiting = result
        keep = self.current.incident.id if self.current else None
        self.incidents = incidents
        self.model.removeRows(0, self.model.rowCount())
        for inc in incidents:
            cells = [
                inc.number, local(inc.occurred_at), inc.camera_name or "—", inc.site_name or "—",
                category_text(inc.category), priority_text(inc.priority), state_text(inc.state),
                report_text(inc.report_status), outcome_text(inc.outcome),
            ]  # fmt: skip
            items = [QStandardItem(c) for c in cells]
            items[0].setData(inc.id, Qt.ItemDataRole.UserRole)
            self.model.appendRow(items)
        self._repaint_overdue()
        self.waiting.setText(
            self.tr("{n} incident changes waiting for the command centre").format(n=waiting)
            if waiting
            else ""
        )
        if keep:
            for row, inc in enumerate(incidents):
                if inc.id == keep:
                    self.table.selectRow(row)
                    self.load_detail(inc.id)
                    break
        if self._again:
            self._again = False
            self.refresh()

    def overdue_rows(self) -> list[int]:
        service = self.station.incidents
        return [r for r, inc in enumerate(self.incidents) if service.overdue(inc)]

    def _repaint_overdue(self) -> None:
        late = set(self.overdue_rows())
        for row in range(self.model.rowCount()):
            brush = QBrush(OVERDUE) if row in late else QBrush()
            for col in range(self.model.columnCount()):
                item = self.model.item(row, col)
                if item is not None:
                    item.setBackground(brush)
            state = self.model.item(row, 6)
            if state is not None and row < len(self.incidents):
                text = state_text(self.incidents[row].state)
                state.setText(text + (" ⚠ " + self.tr("late") if row in late else ""))
        if self.current is not None:
            self._show_detail(self.current, refresh_media=False)

    def _selected(self, row: int) -> None:
        if 0 <= row < len(self.incidents):
            self.load_detail(self.incidents[row].id)

    def load_detail(self, incident_id: str) -> None:
        self.tasks.run(
            self.station.incidents.detail,
            incident_id,
            on_done=self._show_detail,
            on_error=lambda exc: self.message.emit(describe(exc)),
        )

    def _show_detail(self, d: IncidentDetail, refresh_media: bool = True) -> None:
        same = self.current is not None and self.current.incident.id == d.incident.id
        self.current = d
        i = d.incident
        e = html.escape
        rows = [
            (self.tr("Number"), i.number),
            (self.tr("Time of the key press"), local(i.occurred_at)),
            (self.tr("Camera"), i.camera_name or "—"),
            (self.tr("Site"), i.site_name or "—"),
            (self.tr("Officer"), i.officer_name or i.officer),
            (self.tr("Category"), category_text(i.category)),
            (self.tr("Priority"), priority_text(i.priority)),
            (self.tr("State"), state_text(i.state)),
            (self.tr("Command centre"), report_text(i.report_status)),
            (self.tr("Note"), i.note or "—"),
            (self.tr("Outcome"), outcome_text(i.outcome)),
            (self.tr("Suspects caught"), str(i.suspects_caught)),
            (self.tr("Outcome details"), i.outcome_note or "—"),
        ]
        parts = ["<table cellpadding='2'>"]
        parts += [f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in rows]
        parts.append("</table>")
        timings = self.station.incidents.timings(i)
        if timings:
            parts.append(f"<h4>{e(self.tr('Response times (from the report)'))}</h4><ul>")
            names = {
                State.DISPATCHED: self.tr("Dispatched"),
                State.ON_SCENE: self.tr("On scene"),
                State.CLOSED: self.tr("Closed"),
            }
            for t in timings:
                target = int(t.target_s // 60)
                if t.elapsed_s is None:
                    value = self.tr("not recorded")
                elif t.reached:
                    value = self.tr("{s} s (target {m} min)").format(s=int(t.elapsed_s), m=target)
                else:
                    value = self.tr("waiting {s} s (target {m} min)").format(
                        s=int(t.elapsed_s), m=target
                    )
                style = " style='color:#b00;font-weight:bold'" if t.overdue else ""
                late = " ⚠ " + self.tr("late") if t.overdue else ""
                parts.append(f"<li{style}>{e(names[t.stage])}: {e(value)}{e(late)}</li>")
            parts.append("</ul>")
        if i.missing:
            parts.append(f"<h4>{e(self.tr('Not captured'))}</h4><ul>")
            parts += [f"<li>{e(missing_text(m))}</li>" for m in i.missing]
            parts.append("</ul>")
        if d.linked:
            parts.append(f"<h4>{e(self.tr('Linked incidents'))}</h4><ul>")
            parts += [
                f"<li>{e(x.number)} {e(x.camera_name)} {e(local(x.occurred_at))}</li>"
                for x in d.linked
            ]
            parts.append("</ul>")
        if d.instructions:
            parts.append(f"<h4>{e(self.tr('Instructions from the command centre'))}</h4><ul>")
            for x in d.instructions:
                ack = (
                    self.tr("acknowledged by {who}").format(who=x.acked_by)
                    if x.acked_by
                    else self.tr("not acknowledged")
                )
                parts.append(
                    f"<li>{e(local(x.issued_at))} <b>{e(x.title)}</b> {e(x.body)} ({e(ack)})</li>"
                )
            parts.append("</ul>")
        scroll = self.detail.verticalScrollBar().value()
        self.detail.setHtml("".join(parts))
        self.detail.verticalScrollBar().setValue(scroll)
        if refresh_media and not (same and self.media_list.count() == len(d.media)):
            self.media_list.clear()
            for m in d.media:
                if m.kind == "clip":
                    text = self.tr("Clip {file}: {s} s, from {start} to {end}").format(
                        file=Path(m.path).name, s=f"{m.seconds:.1f}",
                        start=local(m.started_at), end=local(m.ended_at),
                    )  # fmt: skip
                    if m.short_of_asked():
                        text += " — " + self.tr("shorter than asked ({s} s)").format(
                            s=f"{m.asked_seconds:.0f}"
                        )
                else:
                    text = self.tr("Snapshot {file}").format(file=Path(m.path).name)
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m)
                self.media_list.addItem(item)
            if d.media:
                snap = next((m for m in d.media if m.kind == "snapshot"), None)
                if snap is not None:
                    self.player.show_item(snap)
        self._enable_actions()

    def _play(self, item: QListWidgetItem) -> None:
        media = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(media, MediaItem):
            self.player.show_item(media)

    def _enable_actions(self) -> None:
        inc = self.current.incident if self.current else None
        state = inc.state if inc else None
        self.report_button.setEnabled(inc is not None)
        self.dispatched_button.setEnabled(state is State.REPORTED)
        self.on_scene_button.setEnabled(state in (State.REPORTED, State.DISPATCHED))
        self.outcome_button.setEnabled(inc is not None)
        self.link_button.setEnabled(inc is not None and len(self.incidents) > 1)
        self.export_button.setEnabled(inc is not None)

    # -- actions ----------------------------------------------------------------------------

    def _run(self, fn: Any, *args: Any, **kwargs: Any) -> None:
        self.tasks.run(
            fn,
            *args,
            on_done=lambda _r: self.refresh(),
            on_error=lambda exc: self.message.emit(describe(exc)),
            **kwargs,
        )

    def report(self) -> None:
        if self.current is None:
            return
        from ui.incidents.capture import IncidentForm

        form = IncidentForm(self.station, self.tasks, self.current.incident, self)
        form.reported.connect(lambda _i: self.refresh())
        form.show()

    def advance(self, stage: State) -> None:
        if self.current is not None:
            self._run(self.station.incidents.advance, self.current.incident.id, stage)

    def record_outcome(self) -> OutcomeDialog | None:
        if self.current is None:
            return None
        dialog = OutcomeDialog(self.current.incident, self)
        incident_id = self.current.incident.id

        def accepted() -> None:
            outcome, suspects, note = dialog.values()
            self._run(self.station.incidents.record_outcome, incident_id, outcome, suspects, note)

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def link(self) -> None:
        if self.current is None:
            return
        me = self.current.incident
        others = [i for i in self.incidents if i.id != me.id]
        labels = [f"{i.number} {i.camera_name} {local(i.occurred_at)}" for i in others]
        choice, ok = QInputDialog.getItem(
            self, self.tr("Link incidents"), self.tr("Same suspect or event as:"), labels, 0, False
        )
        if ok and choice in labels:
            self._run(self.station.incidents.link, me.id, others[labels.index(choice)].id)

    def export(self, target: Path | None = None, as_zip: bool | None = None) -> None:
        """Ask where (a new folder, or a .zip), then export the selected incident."""
        if self.current is None:
            return
        if target is None:
            name = f"evidence-{self.current.incident.number}"
            zip_filter = self.tr("Zip file (*.zip)")
            path, chosen = QFileDialog.getSaveFileName(
                self,
                self.tr("Export evidence"),
                str(Path.home() / name),
                ";;".join([zip_filter, self.tr("Folder (*)")]),
            )
            if not path:
                return
            target, as_zip = Path(path), chosen == zip_filter
        from ui.incidents.sheet_pdf import render_sheet

        self.export_button.setEnabled(False)
        self.tasks.run(
            self.station.evidence.export,
            [self.current.incident.id],
            target,
            as_zip=bool(as_zip),
            render_sheet=render_sheet,
            on_done=self._exported,
            on_error=self._export_failed,
        )

    def _exported(self, result: ExportResult) -> None:
        self.export_button.setEnabled(True)
        self.message.emit(
            self.tr("Evidence exported to {path}: {n} files, manifest SHA-256 {digest}.").format(
                path=str(result.path), n=result.files, digest=result.manifest_sha256[:16]
            )
        )
        self.exported.emit(result)

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.message.emit(describe(exc))

    # -- bulletins --------------------------------------------------------------------------

    def load_bulletins(self) -> None:
        self.tasks.run(
            self.station.incidents.bulletins,
            on_done=self._bulletins_loaded,
            on_error=lambda exc: self.message.emit(describe(exc)),
        )

    def _bulletins_loaded(self, bulletins: list[Bulletin]) -> None:
        self.bulletin_list = bulletins
        self.bulletins_view.clear()
        for b in bulletins:
            text = f"{b.title}  ({local(b.issued_at)})"
            if b.sightings:
                text += "  " + self.tr("{n} sightings").format(n=b.sightings)
            self.bulletins_view.addItem(text)
        self.sighting_button.setEnabled(False)

    def _bulletin_selected(self, row: int) -> None:
        while self.photos.count():
            w = self.photos.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        if not 0 <= row < len(self.bulletin_list):
            self.sighting_button.setEnabled(False)
            return
        b = self.bulletin_list[row]
        self.sighting_button.setEnabled(True)
        e = html.escape
        self.bulletin_text.setHtml(
            f"<h3>{e(b.title)}</h3><p>{e(b.body).replace(chr(10), '<br>')}</p>"
            f"<p><small>{e(b.issued_by)} {e(local(b.issued_at))}</small></p>"
        )
        for photo in b.photos:
            label = QLabel(self.tr("Loading photo…"), self)
            label.setObjectName("bulletinPhoto")
            label.setFixedSize(200, 150)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.photos.addWidget(label)
            self.tasks.run(
                self._photo_file,
                photo,
                on_done=lambda path, lb=label: self._photo_shown(lb, path),
                on_error=lambda exc, lb=label: lb.setText(describe(exc)),
            )

    def _photo_file(self, photo: Any) -> Path:
        """The photo's local copy, fetched from the hub on first view (worker thread)."""
        service = self.station.incidents
        cached = service.cached_photo(photo)
        if cached is not None:
            return cached
        from drivers.hub_client import HttpHubTransport
        from station_console.sync.engine import configured_station

        config = configured_station(self.station.db)
        if config is None:
            from station_console.errors import ValidationError

            raise ValidationError(
                "incidents", "No district hub is configured to fetch photos from."
            )
        url, token, _sid = config
        transport = HttpHubTransport(url, token)
        try:
            data = transport.fetch_media(photo.id, photo.sha256)
        finally:
            transport.close()
        return service.store_photo(photo, data)

    def _photo_shown(self, label: QLabel, path: Path) -> None:
        pixmap = QPixmap(str(path))
        if pixmap.isNull():
            label.setText(self.tr("The photo cannot be shown."))
        else:
            label.setPixmap(
                pixmap.scaled(
                    200, 150, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )  # fmt: skip

    def _sighting(self) -> None:
        row = self.bulletins_view.currentRow()
        if 0 <= row < len(self.bulletin_list):
            self.sighting_requested.emit(self.bulletin_list[row].id)

    # -- statistics -------------------------------------------------------------------------

    def load_stats(self) -> None:
        start, end = self._range()
        self.tasks.run(
            self.station.incidents.stats,
            start,
            end,
            str(self.period.currentData()),
            on_done=self._stats_loaded,
            on_error=lambda exc: log.info("statistics not loaded: %s", exc),
        )

    def _stats_loaded(self, rows: list[Stats]) -> None:
        self.stats_model.removeRows(0, self.stats_model.rowCount())
        for s in rows:
            label = self.tr("Total") if s.label == "total" else s.label
            cells = [
                label, s.incidents, s.reported, s.video_clues, s.current_cases_solved,
                s.backlog_cases_solved, s.suspects_caught, s.overdue,
            ]  # fmt: skip
            self.stats_model.appendRow([QStandardItem(str(c)) for c in cells])

    def shutdown(self) -> None:
        self._tick.stop()
        self._later.stop()
        self.bridge.detach()
        self.player.close_player()
