"""The Patrol tab: patrol plans (steps, schedules, preview) and temporary watches.

Cameras are added to a plan by dragging them (or a whole site) from the camera tree onto the
step list; "Suggest" fills the list from data (sites with the most incidents in the last 90
days first). The preview shows one cycle of the tour as it would run now, with key places
coming round more often and today's temporary watches included.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_console.domain import Camera, Site
from station_console.errors import ValidationError
from station_console.patrol_schedule import ALL_DAYS, Window, parse_hhmm
from station_console.services.patrol import PatrolPlan, PlanStep, Watch
from station_console.services.permissions import Permission
from station_console.station import Station
from station_console.wall_layouts import STANDARD
from ui.camera_tree import CAMERA_MIME
from ui.messages import describe
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class StepTable(QTableWidget):
    """Plan steps; accepts cameras (and sites, as their cameras) dragged from the tree."""

    cameras_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("planSteps")
        self.setHorizontalHeaderLabels(
            [self.tr("Camera or site"), self.tr("Priority"), self.tr("Dwell (s)"), self.tr("Check")]
        )
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.horizontalHeader().setStretchLastSection(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        raw = bytes(event.mimeData().data(CAMERA_MIME).data()).decode()
        ids = [i for i in raw.split("\n") if i]
        if ids:
            self.cameras_dropped.emit(ids)
        event.acceptProposedAction()


class WatchDialog(QDialog):
    """Register a temporary watch: what, where, who to call, which dates, which cameras."""

    def __init__(self, cameras: list[Camera], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Register a temporary watch"))
        self.title = QLineEdit(self)
        self.address = QLineEdit(self)
        self.contact = QLineEdit(self)
        today = QDate.currentDate()
        self.first = QDateEdit(today, self)
        self.last = QDateEdit(today.addDays(7), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.cameras = QListWidget(self)
        for cam in cameras:
            item = QListWidgetItem(f"{cam.name} · {cam.site_name}", self.cameras)
            item.setData(Qt.ItemDataRole.UserRole, cam.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Contact"), self.contact)
        form.addRow(self.tr("First day"), self.first)
        form.addRow(self.tr("Last day"), self.last)
        form.addRow(self.tr("Cameras that see it"), self.cameras)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [
            str(self.cameras.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.cameras.count())
            if self.cameras.item(i).checkState() == Qt.CheckState.Checked
        ]

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.text(),
            "cameras": self.chosen(),
            "first_day": self.first.date().toPython(),
            "last_day": self.last.date().toPython(),
            "address": self.address.text(),
            "contact": self.contact.text(),
        }


class PatrolView(QWidget):
    """Plans on the left, the chosen plan's editor and preview on the right; watches below."""

    plans_changed = Signal()
    saved = Signal(object)  # PatrolPlan
    watches_changed = Signal()

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("patrolView")
        self.station, self.tasks = station, tasks
        self.can_edit = station.session.can(Permission.MANAGE_PATROL)
        self.can_watch = station.session.can(Permission.REGISTER_WATCH)
        self.plans: list[PatrolPlan] = []
        self.cameras: dict[str, Camera] = {}
        self.sites: dict[str, Site] = {}
        self.current: PatrolPlan | None = None

        # Plans list.
        self.plan_list = QListWidget(self)
        self.plan_list.setObjectName("planList")
        self.plan_list.currentRowChanged.connect(self._plan_chosen)
        self.new_button = QPushButton(self.tr("&New plan"), self)
        self.new_button.clicked.connect(self.new_plan)
        self.retire_button = QPushButton(self.tr("&Delete plan"), self)
        self.retire_button.clicked.connect(self.retire_current)
        left = QWidget(self)
        lcol = QVBoxLayout(left)
        lcol.addWidget(QLabel(self.tr("Patrol plans"), left))
        lcol.addWidget(self.plan_list, 1)
        lbuttons = QHBoxLayout()
        lbuttons.addWidget(self.new_button)
        lbuttons.addWidget(self.retire_button)
        lcol.addLayout(lbuttons)

        # Editor.
        self.name = QLineEdit(self)
        self.name.setObjectName("planName")
        self.layout_box = QComboBox(self)
        for n in STANDARD:
            self.layout_box.addItem(self.tr("{n} tiles").format(n=n), n)
        self.dwell = QSpinBox(self)
        self.dwell.setRange(3, 3600)
        self.dwell.setValue(15)
        self.dwell.setSuffix(self.tr(" s"))
        self.auto_start = QCheckBox(self.tr("Start by itself when its time comes"), self)
        self.auto_start.setChecked(True)
        self.include_watches = QCheckBox(self.tr("Include today's temporary watches"), self)
        self.include_watches.setChecked(True)
        self.windows = QTableWidget(0, 5, self)
        self.windows.setObjectName("planWindows")
        self.windows.setHorizontalHeaderLabels(
            [self.tr("From"), self.tr("To"), self.tr("Weekdays"), self.tr("First day"),
             self.tr("Last day")]
        )  # fmt: skip
        self.windows.horizontalHeader().setStretchLastSection(True)
        add_window = QPushButton(self.tr("Add time window"), self)
        add_window.clicked.connect(
            lambda: self._add_window_row(Window(parse_hhmm("20:00"), parse_hhmm("04:00")))
        )
        del_window = QPushButton(self.tr("Remove time window"), self)
        del_window.clicked.connect(lambda: self.windows.removeRow(self.windows.currentRow()))
        self.steps = StepTable(self)
        self.steps.cameras_dropped.connect(self.add_cameras)
        self.site_box = QComboBox(self)
        self.site_box.setObjectName("planSiteBox")
        add_site = QPushButton(self.tr("Add site"), self)
        add_site.clicked.connect(self._add_site)
        suggest = QPushButton(self.tr("Suggest from incidents"), self)
        suggest.setObjectName("suggestSteps")
        suggest.clicked.connect(self.suggest)
        remove_step = QPushButton(self.tr("Remove step"), self)
        remove_step.clicked.connect(lambda: self.steps.removeRow(self.steps.currentRow()))
        self.save_button = QPushButton(self.tr("&Save plan"), self)
        self.save_button.setObjectName("savePlan")
        self.save_button.clicked.connect(self.save)
        self.preview = QListWidget(self)
        self.preview.setObjectName("planPreview")
        self.status = QLabel(self)
        self.status.setObjectName("patrolStatus")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Layout"), self.layout_box)
        form.addRow(self.tr("Dwell per camera"), self.dwell)
        form.addRow("", self.auto_start)
        form.addRow("", self.include_watches)
        wbuttons = QHBoxLayout()
        wbuttons.addWidget(add_window)
        wbuttons.addWidget(del_window)
        sbuttons = QHBoxLayout()
        sbuttons.addWidget(self.site_box, 1)
        sbuttons.addWidget(add_site)
        sbuttons.addWidget(suggest)
        sbuttons.addWidget(remove_step)
        editor = QWidget(self)
        ecol = QVBoxLayout(editor)
        ecol.addLayout(form)
        ecol.addWidget(
            QLabel(self.tr("When (a window ending before it starts runs past midnight)"))
        )
        ecol.addWidget(self.windows)
        ecol.addLayout(wbuttons)
        ecol.addWidget(QLabel(self.tr("Steps (drag cameras or sites here from the tree)")))
        ecol.addWidget(self.steps, 1)
        ecol.addLayout(sbuttons)
        ecol.addWidget(self.save_button)
        ecol.addWidget(self.status)
        preview_box = QGroupBox(self.tr("One cycle as it would run now"), self)
        pcol = QVBoxLayout(preview_box)
        pcol.addWidget(self.preview)

        plans_page = QSplitter(self)
        plans_page.addWidget(left)
        plans_page.addWidget(editor)
        plans_page.addWidget(preview_box)
        plans_page.setStretchFactor(1, 2)

        # Watches.
        self.watch_table = QTableWidget(0, 4, self)
        self.watch_table.setObjectName("watchTable")
        self.watch_table.setHorizontalHeaderLabels(
            [self.tr("Watch"), self.tr("Address"), self.tr("Dates"), self.tr("Cameras")]
        )
        self.watch_table.horizontalHeader().setStretchLastSection(True)
        self.watch_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.watch_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_watch_button = QPushButton(self.tr("&Register watch…"), self)
        self.add_watch_button.clicked.connect(self.ask_watch)
        self.cancel_watch_button = QPushButton(self.tr("&Cancel watch"), self)
        self.cancel_watch_button.clicked.connect(self.cancel_selected_watch)
        watches_page = QWidget(self)
        wcol = QVBoxLayout(watches_page)
        wcol.addWidget(self.watch_table, 1)
        wb = QHBoxLayout()
        wb.addWidget(self.add_watch_button)
        wb.addWidget(self.cancel_watch_button)
        wb.addStretch(1)
        wcol.addLayout(wb)
        self.watches: list[Watch] = []

        self.pages = QTabWidget(self)
        self.pages.addTab(plans_page, self.tr("Plans"))
        self.pages.addTab(watches_page, self.tr("Temporary watches"))
        column = QVBoxLayout(self)
        column.addWidget(self.pages)

        for w in (self.new_button, self.retire_button, self.save_button, add_window, del_window,
                  add_site, suggest, remove_step):  # fmt: skip
            w.setEnabled(self.can_edit)
        self.add_watch_button.setEnabled(self.can_watch)
        self.cancel_watch_button.setEnabled(self.can_watch)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        st = self.station

        def load() -> tuple[list[PatrolPlan], list[Camera], list[Site], list[Watch]]:
            return (
                st.patrol.plans(),
                st.inventory.cameras(),
                st.inventory.sites(),
                st.patrol.watches(),
            )

        self.tasks.run(load, on_done=self._loaded, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(describe(exc))

    def _loaded(self, data: tuple[list[PatrolPlan], list[Camera], list[Site], list[Watch]]) -> None:
        plans, cameras, sites, watches = data
        self.plans = plans
        self.cameras = {c.id: c for c in cameras}
        self.sites = {s.id: s for s in sites}
        self.site_box.clear()
        for s in sites:
            self.site_box.addItem(s.name, s.id)
        keep = self.current.id if self.current else None
        self.plan_list.blockSignals(True)
        self.plan_list.clear()
        for p in plans:
            item = QListWidgetItem(p.name, self.plan_list)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
        self.plan_list.blockSignals(False)
        row = next((i for i, p in enumerate(plans) if p.id == keep), 0 if plans else -1)
        if row >= 0:
            self.plan_list.setCurrentRow(row)
            self._plan_chosen(row)
        else:
            self.new_plan()
        self._show_watches(watches)

    # -- editing ---------------------------------------------------------------------------

    def new_plan(self) -> None:
        self.current = None
        self.plan_list.clearSelection()
        self.name.clear()
        self.dwell.setValue(15)
        self.layout_box.setCurrentIndex(self.layout_box.findData("4"))
        self.auto_start.setChecked(True)
        self.include_watches.setChecked(True)
        self.windows.setRowCount(0)
        self.steps.setRowCount(0)
        self.preview.clear()

    def _plan_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.plans):
            return
        plan = self.plans[row]
        self.current = plan
        self.name.setText(plan.name)
        self.dwell.setValue(plan.dwell_s)
        self.layout_box.setCurrentIndex(max(0, self.layout_box.findData(plan.layout)))
        self.auto_start.setChecked(plan.auto_start)
        self.include_watches.setChecked(plan.include_watches)
        self.windows.setRowCount(0)
        for w in plan.windows:
            self._add_window_row(w)
        self.steps.setRowCount(0)
        for s in plan.steps:
            self._add_step_row(s)
        self.show_preview(plan)

    def _add_window_row(self, window: Window) -> None:
        data = window.to_json()
        row = self.windows.rowCount()
        self.windows.insertRow(row)
        for col, key in enumerate(("start", "end", "weekdays", "first_day", "last_day")):
            self.windows.setItem(row, col, QTableWidgetItem(data[key]))

    def _add_step_row(self, step: PlanStep) -> None:
        row = self.steps.rowCount()
        self.steps.insertRow(row)
        if step.camera_id:
            cam = self.cameras.get(step.camera_id)
            text = f"📷 {cam.name}" if cam else step.camera_id
        else:
            site = self.sites.get(step.site_id or "")
            text = f"📍 {site.name}" if site else str(step.site_id)
        first = QTableWidgetItem(text)
        first.setData(Qt.ItemDataRole.UserRole, step.to_json())
        first.setFlags(first.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.steps.setItem(row, 0, first)
        self.steps.setItem(row, 1, QTableWidgetItem(str(step.priority)))
        self.steps.setItem(row, 2, QTableWidgetItem(str(step.dwell_s or "")))
        self.steps.setItem(row, 3, QTableWidgetItem(step.check))

    def add_cameras(self, ids: list[str]) -> None:
        for cid in ids:
            self._add_step_row(PlanStep(camera_id=cid))

    def _add_site(self) -> None:
        sid = self.site_box.currentData()
        if sid:
            self._add_step_row(PlanStep(site_id=str(sid)))

    def suggest(self) -> None:
        self.tasks.run(
            self.station.patrol.suggest_steps,
            on_done=lambda steps: [self._add_step_row(s) for s in steps],
            on_error=self._failed,
        )

    def collect(self) -> dict[str, Any]:
        """The editor's content as arguments for the patrol service (raises on bad input)."""
        windows = []
        for r in range(self.windows.rowCount()):
            cells = [
                self.windows.item(r, c).text() if self.windows.item(r, c) else "" for c in range(5)
            ]
            windows.append(
                Window.from_json(
                    {"start": cells[0], "end": cells[1], "weekdays": cells[2] or ALL_DAYS,
                     "first_day": cells[3], "last_day": cells[4]}
                )
            )  # fmt: skip
        steps = []
        for r in range(self.steps.rowCount()):
            base = dict(self.steps.item(r, 0).data(Qt.ItemDataRole.UserRole))
            priority = self.steps.item(r, 1).text().strip() if self.steps.item(r, 1) else "1"
            dwell = self.steps.item(r, 2).text().strip() if self.steps.item(r, 2) else ""
            check = self.steps.item(r, 3).text().strip() if self.steps.item(r, 3) else ""
            if not priority.isdigit() or (dwell and not dwell.isdigit()):
                raise ValidationError(
                    "patrol", "Step {n}: priority and dwell are whole numbers.", n=r + 1
                )
            base.update(priority=int(priority), dwell_s=int(dwell) if dwell else None, check=check)
            steps.append(PlanStep.from_json(base))
        return {
            "name": self.name.text(),
            "steps": steps,
            "windows": windows,
            "layout": str(self.layout_box.currentData()),
            "dwell_s": self.dwell.value(),
            "auto_start": self.auto_start.isChecked(),
            "include_watches": self.include_watches.isChecked(),
            "plan_id": self.current.id if self.current else None,
        }

    def save(self) -> None:
        try:
            args = self.collect()
        except ValidationError as exc:
            self.status.setText(describe(exc))
            return
        name = args.pop("name")
        steps = args.pop("steps")

        def done(plan: PatrolPlan) -> None:
            self.current = plan
            self.status.setText(self.tr("Plan {name} saved.").format(name=plan.name))
            self.saved.emit(plan)
            self.plans_changed.emit()
            self.refresh()

        self.tasks.run(
            self.station.patrol.save_plan, name, steps, **args, on_done=done, on_error=self._failed
        )

    def retire_current(self) -> None:
        if self.current is None:
            return
        pid = self.current.id
        self.current = None

        def done(_: object) -> None:
            self.plans_changed.emit()
            self.refresh()

        self.tasks.run(self.station.patrol.retire_plan, pid, on_done=done, on_error=self._failed)

    def show_preview(self, plan: PatrolPlan) -> None:
        def done(cycle: list[Any]) -> None:
            self.preview.clear()
            for n, step in enumerate(cycle, start=1):
                cam = self.cameras.get(step.camera_id)
                name = cam.name if cam else step.camera_id
                extra = self.tr(" (watch)") if step.watch_id else ""
                check = f" ✔ {step.check}" if step.check else ""
                self.preview.addItem(f"{n}. {name} · {step.dwell_s}s{extra}{check}")

        self.tasks.run(self.station.patrol.cycle, plan, on_done=done, on_error=self._failed)

    # -- watches ---------------------------------------------------------------------------

    def _show_watches(self, watches: list[Watch]) -> None:
        self.watches = watches
        self.watch_table.setRowCount(len(watches))
        today = date.today()
        for r, w in enumerate(watches):
            state = self.tr(" (running)") if w.first_day <= today <= w.last_day else ""
            cells = [
                w.title + state,
                w.address,
                f"{w.first_day.isoformat()} – {w.last_day.isoformat()}",
                ", ".join(self.cameras[c].name if c in self.cameras else c for c in w.cameras),
            ]
            for c, text in enumerate(cells):
                self.watch_table.setItem(r, c, QTableWidgetItem(text))

    def ask_watch(self) -> WatchDialog:
        dialog = WatchDialog(list(self.cameras.values()), self)
        dialog.accepted.connect(lambda: self.add_watch(dialog.values()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def add_watch(self, values: dict[str, Any]) -> None:
        def done(_: Watch) -> None:
            self.watches_changed.emit()
            self.refresh()

        self.tasks.run(
            self.station.patrol.add_watch,
            values.pop("title"),
            values.pop("cameras"),
            values.pop("first_day"),
            values.pop("last_day"),
            **values,
            on_done=done,
            on_error=self._failed,
        )

    def cancel_selected_watch(self) -> None:
        row = self.watch_table.currentRow()
        if 0 <= row < len(self.watches):
            self.tasks.run(
                self.station.patrol.cancel_watch,
                self.watches[row].id,
                on_done=lambda _: self.refresh(),
                on_error=self._failed,
            )
