"""One-key incident from the wall: capture at the key press, a small form, the clip later.

The key press (F8 or the toolbar button) records the moment on the GUI thread, then the task
runner copies the ring buffer's "before" part, decodes the picture and creates the incident
at once (it says its clip is pending). A single-shot timer fires when the "after" part is
buffered and the clip is written and attached off the GUI thread. The form asks only the
category, priority and a note (and, optionally, the bulletin the sighting belongs to).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drivers.incident_capture import IncidentRecorder, NothingToSave, PreCapture
from station_console.incidents import (
    Bulletin,
    Category,
    ClipState,
    Incident,
    Missing,
    Priority,
)
from station_console.station import Station
from ui.incidents.labels import (
    bring_to_front,
    category_text,
    missing_text,
    priority_text,
    report_text,
)
from ui.messages import describe
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

#: Seconds of video kept after the key press (the "before" part is the ring buffer's length).
AFTER_S = 30.0
#: How long a closing console waits for clips still being recorded.
SHUTDOWN_WAIT_MS = 15_000


@dataclass
class _Pending:
    incident_id: str
    pre: PreCapture
    timer: QTimer


class IncidentCapture(QObject):
    """The wall's incident key. ``source()`` says which camera/stream the selected tile holds."""

    created = Signal(object)  # Incident (just captured)
    changed = Signal(object)  # Incident (clip attached or failed, reported)
    message = Signal(str)

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        gateway: object,
        parent: QObject | None = None,
        *,
        after_s: float = AFTER_S,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self._gateway_of = gateway  # callable returning the StreamGateway (started lazily)
        self.after_s = after_s
        self.pending: dict[str, _Pending] = {}
        self.forms: list[IncidentForm] = []
        self._recorder: IncidentRecorder | None = None
        self.closed = False

    def recorder(self) -> IncidentRecorder:
        if self._recorder is None:
            self._recorder = IncidentRecorder(self._gateway_of())  # type: ignore[operator]
        return self._recorder

    def before_s(self) -> float:
        return float(self.station.settings.get("ring_buffer_seconds"))

    def capture(
        self,
        camera_id: str | None,
        key: str | None,
        *,
        bulletin_id: str = "",
        parent: QWidget | None = None,
        show_form: bool = True,
    ) -> None:
        """The key press: ``key`` is the stream the tile holds (None: it shows no picture)."""
        pressed = time.time()
        before, after = self.before_s(), self.after_s
        service = self.station.incidents

        def work() -> tuple[Incident, PreCapture]:
            pre = self.recorder().begin(key, camera_id or "", pressed, before, after)
            try:
                incident = service.capture(
                    camera_id,
                    datetime.fromtimestamp(pressed, UTC),
                    snapshot=pre.snapshot,
                    width=pre.width,
                    height=pre.height,
                    missing=pre.missing,
                    clip_due_at=datetime.fromtimestamp(pre.due, UTC) if pre.clip_expected else None,
                    bulletin_id=bulletin_id,
                )
            except BaseException:
                self.recorder().release(pre)
                raise
            return incident, pre

        def done(result: tuple[Incident, PreCapture]) -> None:
            incident, pre = result
            if pre.clip_expected:
                timer = QTimer(self)
                timer.setSingleShot(True)
                timer.timeout.connect(lambda: self._finish(incident.id))
                timer.start(max(0, int((pre.due - time.time()) * 1000) + 300))
                self.pending[incident.id] = _Pending(incident.id, pre, timer)
            self.created.emit(incident)
            self.message.emit(self.tr("Incident {number} captured.").format(number=incident.number))
            if show_form:
                self.open_form(incident, parent, bulletin_id=bulletin_id)

        self.tasks.run(work, on_done=done, on_error=lambda exc: self.message.emit(describe(exc)))

    def open_form(
        self, incident: Incident, parent: QWidget | None = None, *, bulletin_id: str = ""
    ) -> IncidentForm:
        form = IncidentForm(self.station, self.tasks, incident, parent, bulletin_id=bulletin_id)
        form.reported.connect(self.changed.emit)
        self.changed.connect(form.incident_changed)
        form.finished.connect(lambda _r: self.forms.remove(form) if form in self.forms else None)
        self.forms.append(form)
        form.show()
        bring_to_front(form)
        return form

    # -- the clip ----------------------------------------------------------------------------

    def _finish(self, incident_id: str) -> None:
        item = self.pending.pop(incident_id, None)
        if item is None:
            return
        self.tasks.run(
            self.finish_now,
            item.incident_id,
            item.pre,
            on_done=self.changed.emit,
            on_error=lambda exc: self.message.emit(describe(exc)),
        )

    def finish_now(self, incident_id: str, pre: PreCapture) -> Incident:
        """Write and attach the clip (worker thread); failures are stated on the incident."""
        service = self.station.incidents
        try:
            clip = self.recorder().finish(pre, service.clip_path(incident_id))
        except NothingToSave:
            return service.clip_failed(incident_id, "offline")
        except OSError as exc:
            return service.clip_failed(incident_id, "failed", exc.strerror or str(exc))
        except Exception as exc:
            log.warning("clip of incident %s not saved", incident_id, exc_info=True)
            return service.clip_failed(incident_id, "failed", type(exc).__name__)
        return service.attach_clip(incident_id, clip)

    def shutdown(self) -> None:
        """Save the clips still being recorded with what is buffered now (console closing)."""
        self.closed = True
        items, self.pending = list(self.pending.values()), {}
        for item in items:
            item.timer.stop()
            item.pre.after = max(0.0, time.time() - item.pre.at)
            self.tasks.run(
                self.finish_now,
                item.incident_id,
                item.pre,
                on_error=lambda exc: log.warning("clip not saved at close: %s", exc),
            )
        if items:
            self.tasks.wait(SHUTDOWN_WAIT_MS)
        for form in list(self.forms):
            form.close()


class IncidentForm(QDialog):
    """Category, priority, note; everything else was filled in at the key press."""

    reported = Signal(object)  # Incident

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        incident: Incident,
        parent: QWidget | None = None,
        *,
        bulletin_id: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("incidentForm")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.station = station
        self.tasks = tasks
        self.incident = incident
        self.setWindowTitle(self.tr("Incident {number}").format(number=incident.number))

        self.picture = QLabel(self)
        self.picture.setObjectName("incidentPicture")
        self.picture.setMinimumSize(320, 180)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.facts = QLabel(self)
        self.facts.setObjectName("incidentFacts")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clip_label = QLabel(self)
        self.clip_label.setObjectName("clipState")
        self.clip_label.setWordWrap(True)

        self.category = QComboBox(self)
        self.category.setObjectName("category")
        for c in Category:
            self.category.addItem(category_text(c), c.value)
        self.category.setCurrentIndex(self.category.findData(incident.category.value))
        self.priority = QComboBox(self)
        self.priority.setObjectName("priority")
        for p in Priority:
            self.priority.addItem(priority_text(p), p.value)
        self.priority.setCurrentIndex(self.priority.findData(incident.priority.value))
        self.note = QPlainTextEdit(incident.note, self)
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("What was seen: person, vehicle, direction…"))
        self.note.setMaximumHeight(90)
        self.bulletin = QComboBox(self)
        self.bulletin.setObjectName("bulletin")
        self.bulletin.addItem(self.tr("(none)"), "")
        self._bulletin_wanted = bulletin_id or incident.bulletin_id

        form = QFormLayout()
        form.addRow(self.tr("Category:"), self.category)
        form.addRow(self.tr("Priority:"), self.priority)
        form.addRow(self.tr("Note:"), self.note)
        form.addRow(self.tr("Sighting for bulletin:"), self.bulletin)

        self.buttons = QDialogButtonBox(self)
        self.report_button = QPushButton(self.tr("Report to command centre"), self)
        self.report_button.setObjectName("reportIncident")
        self.report_button.setDefault(True)
        self.keep_button = QPushButton(self.tr("Keep without reporting"), self)
        self.keep_button.setObjectName("keepIncident")
        self.buttons.addButton(self.report_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.report_button.clicked.connect(self.report)
        self.keep_button.clicked.connect(self.keep)
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #b00;")
        self.error.setWordWrap(True)

        column = QVBoxLayout(self)
        column.addWidget(self.picture)
        column.addWidget(self.facts)
        column.addWidget(self.clip_label)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self.category.setFocus()
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._show_clip)
        self._clock.start(1000)
        self._show(incident)
        tasks.run(station.incidents.media_of, incident.id, on_done=self._show_media)
        tasks.run(station.incidents.bulletins, on_done=self._show_bulletins)

    def _show(self, incident: Incident) -> None:
        self.incident = incident
        when = datetime.fromisoformat(incident.occurred_at).astimezone()
        lines = [
            self.tr("Camera: {camera}").format(camera=incident.camera_name or "—"),
            self.tr("Site: {site}").format(site=incident.site_name or "—"),
            self.tr("Time: {time}").format(time=when.strftime("%Y-%m-%d %H:%M:%S")),
            self.tr("Officer: {officer}").format(officer=incident.officer_name),
            self.tr("Report: {status}").format(status=report_text(incident.report_status)),
        ]
        lines += [missing_text(m) for m in incident.missing if m.what != "clip"]
        self.facts.setText("\n".join(lines))
        self._show_clip()

    def _show_clip(self) -> None:
        inc = self.incident
        if inc.clip_state is ClipState.PENDING and inc.clip_due_at:
            left = max(
                0,
                int((datetime.fromisoformat(inc.clip_due_at) - datetime.now(UTC)).total_seconds()),
            )
            text = self.tr("Clip pending: it is saved in {n} s (video after the key press).")
            self.clip_label.setText(text.format(n=left))
        elif inc.clip_state is ClipState.SAVED:
            self.clip_label.setText(self.tr("Clip saved."))
            self._clock.stop()
        else:
            clip_missing = [m for m in inc.missing if m.what == "clip"]
            self.clip_label.setText(
                "\n".join(missing_text(m) for m in clip_missing) or self.tr("No clip.")
            )
            self._clock.stop()

    def _show_media(self, media: list[object]) -> None:
        for m in media:
            if getattr(m, "kind", "") == "snapshot":
                pixmap = QPixmap(str(m.path))  # type: ignore[attr-defined]
                if not pixmap.isNull():
                    self.picture.setPixmap(
                        pixmap.scaled(
                            480, 270, Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation,
                        )
                    )  # fmt: skip
                return
        missing = [m for m in self.incident.missing if m.what == "snapshot"]
        self.picture.setText(missing_text(missing[0]) if missing else self.tr("No snapshot."))

    def _show_bulletins(self, bulletins: list[Bulletin]) -> None:
        for b in bulletins:
            self.bulletin.addItem(b.title, b.id)
        if self._bulletin_wanted:
            index = self.bulletin.findData(self._bulletin_wanted)
            if index >= 0:
                self.bulletin.setCurrentIndex(index)

    def incident_changed(self, incident: Incident) -> None:
        if incident.id == self.incident.id:
            self._show(incident)

    def _values(self) -> tuple[Category, Priority, str]:
        return (
            Category(self.category.currentData()),
            Priority(self.priority.currentData()),
            self.note.toPlainText(),
        )

    def report(self) -> None:
        category, priority, note = self._values()
        self.report_button.setEnabled(False)
        self.tasks.run(
            self.station.incidents.report,
            self.incident.id,
            category,
            priority,
            note,
            bulletin_id=str(self.bulletin.currentData() or ""),
            on_done=self._done,
            on_error=self._failed,
        )

    def keep(self) -> None:
        category, priority, note = self._values()
        self.tasks.run(
            self.station.incidents.update_details,
            self.incident.id,
            category,
            priority,
            note,
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, incident: Incident) -> None:
        self.reported.emit(incident)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.report_button.setEnabled(True)
        self.error.setText(describe(exc))


def missing_summary(items: list[Missing]) -> str:
    return "\n".join(missing_text(m) for m in items) or QCoreApplication.translate(
        "incidents", "Nothing missing."
    )
