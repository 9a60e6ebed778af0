"""Editor dialogs for cameras, sites, owner units and other devices.

A dialog collects the field values on the GUI thread, hands the save to the TaskRunner (the
service validates, writes and audits) and closes only when the save succeeded. A
:class:`ValidationError` from the service is shown at the field it names (red border and a
message under it) and the dialog stays open with everything the officer typed. The dialogs
never read the database themselves: the view passes in the sites and owner units it has
already loaded for the combo boxes.

Camera passwords are write-only here: the field is never pre-filled, and an empty field
means "unchanged", so ``set_credentials`` is called only when a new password was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_console.domain import (
    CAMERA_KIND_LABELS,
    DEVICE_KIND_LABELS,
    OWNER_KIND_LABELS,
    SITE_KIND_LABELS,
    Camera,
    CameraKind,
    OtherDevice,
    OwnerUnit,
    Site,
)
from station_console.errors import ConsoleError, ValidationError
from station_console.i18n import Message
from station_console.station import Station
from ui.inventory_models import field_header, kind_label
from ui.messages import describe, render, show_error
from ui.tasks import TaskRunner

ERROR_STYLE = "border: 1px solid #d32f2f;"
ERROR_LABEL_STYLE = "color: #d32f2f;"


def _line(text: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setText(text)
    return edit


def _notes(text: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlainText(text)
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(80)
    return edit


def kind_combo(labels: dict[Any, str], current: Any = None) -> QComboBox:
    """A combo of translated kind labels; the item data is the stored code."""
    combo = QComboBox()
    for kind in labels:
        combo.addItem(kind_label(labels, kind), str(kind))
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(str(current))))
    return combo


def reference_combo(
    records: Sequence[Site | OwnerUnit], current_id: str | None, current_name: str = ""
) -> QComboBox:
    """Pick a site or owner unit by name; item data is its id, the first item means none."""
    combo = QComboBox()
    combo.addItem(QCoreApplication.translate("inventory_dialogs", "(none)"), "")
    for record in records:
        combo.addItem(record.name, record.id)
    if current_id:
        index = combo.findData(current_id)
        if index < 0:
            # A retired site/owner still referenced by this record: keep it selectable.
            combo.addItem(current_name or current_id, current_id)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
    return combo


def widget_value(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QDateEdit):
        return widget.date().toString("yyyy-MM-dd")
    raise TypeError(type(widget).__name__)


class RecordDialog(QDialog):
    """Shared form, inline field errors and background save for the editor dialogs.

    Subclasses add fields with :meth:`add_field`, implement :meth:`values` (GUI thread) and
    :meth:`save` (worker thread; calls the service and returns the saved record).
    """

    saved = Signal(object)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.fields: dict[str, QWidget] = {}
        self.error_labels: dict[str, QLabel] = {}
        self._field_page: dict[str, int] = {}
        self.pages: QTabWidget | None = None
        self.form = QFormLayout()
        self.general_error = QLabel()
        self.general_error.setStyleSheet(ERROR_LABEL_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.body = QVBoxLayout()
        self.body.addLayout(self.form)
        layout.addLayout(self.body)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    # -- building --------------------------------------------------------------------------

    def use_pages(self) -> QTabWidget:
        """Split a long form over tabs; later add_field calls pass ``page``."""
        self.pages = QTabWidget()
        self.body.removeItem(self.form)
        self.body.addWidget(self.pages)
        return self.pages

    def add_page(self, title: str) -> QFormLayout:
        assert self.pages is not None
        page = QWidget()
        form = QFormLayout(page)
        self.pages.addTab(page, title)
        return form

    def add_field(
        self,
        code: str,
        widget: QWidget,
        *,
        form: QFormLayout | None = None,
        label: str | None = None,
        editor: QWidget | None = None,
    ) -> QWidget:
        """Add ``widget`` under the field's translated name with an error label below it.

        ``editor`` is the value widget when ``widget`` is a container around it.
        """
        target = form or self.form
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setStyleSheet(ERROR_LABEL_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        target.addRow(label or field_header(code), box)
        value_widget = editor or widget
        value_widget.setObjectName(f"field_{code}")
        self.fields[code] = value_widget
        self.error_labels[code] = error
        if self.pages is not None:
            self._field_page[code] = self.pages.count() - 1
        return value_widget

    # -- errors ----------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for code, label in self.error_labels.items():
            label.clear()
            label.hide()
            self.fields[code].setStyleSheet("")
        self.general_error.clear()
        self.general_error.hide()

    def show_field_error(self, code: str, text: str) -> None:
        widget = self.fields[code]
        widget.setStyleSheet(ERROR_STYLE)
        label = self.error_labels[code]
        label.setText(text)
        label.show()
        if self.pages is not None and code in self._field_page:
            self.pages.setCurrentIndex(self._field_page[code])
        widget.setFocus()

    def show_general_error(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.show()

    def field_error(self, code: str) -> str:
        """The error shown at a field ('' when none): for tests and accessibility."""
        label = self.error_labels.get(code)
        return label.text() if label is not None and label.isVisible() else ""

    # -- saving ----------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def submit(self) -> None:
        self.clear_errors()
        self.ok_button.setEnabled(False)
        self.tasks.run(self.save, self.values(), on_done=self._saved, on_error=self._failed)

    def _saved(self, result: Any) -> None:
        self.ok_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationError) and exc.field in self.fields:
            self.show_field_error(str(exc.field), describe(exc))
        elif isinstance(exc, ConsoleError):
            self.show_general_error(describe(exc))
        else:
            show_error(self, exc)


class CameraDialog(RecordDialog):
    """Add or edit a camera: identity, place and owner, network and streams, access."""

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        sites: Sequence[Site],
        owners: Sequence[OwnerUnit],
        camera: Camera | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(station, tasks, parent)
        self.camera = camera
        c = camera or Camera(id="", name="", kind=CameraKind.BULLET)
        self.setWindowTitle(self.tr("Edit camera") if camera else self.tr("Add camera"))
        self.use_pages()

        general = self.add_page(self.tr("General"))
        self.add_field("name", _line(c.name), form=general)
        self.add_field("kind", kind_combo(CAMERA_KIND_LABELS, c.kind), form=general)
        self.add_field("site", reference_combo(sites, c.site_id, c.site_name), form=general)
        self.add_field("owner", reference_combo(owners, c.owner_id, c.owner_name), form=general)
        for code, value in (
            ("vendor", c.vendor),
            ("model", c.model),
            ("serial", c.serial),
            ("firmware", c.firmware),
        ):
            self.add_field(code, _line(value), form=general)
        date_row = QWidget()
        row = QHBoxLayout(date_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.install_known = QCheckBox(self.tr("Known"))
        self.install_date = QDateEdit()
        self.install_date.setCalendarPopup(True)
        self.install_date.setDisplayFormat("yyyy-MM-dd")
        known = QDate.fromString(c.install_date, "yyyy-MM-dd") if c.install_date else QDate()
        self.install_known.setChecked(known.isValid())
        self.install_date.setDate(known if known.isValid() else QDate.currentDate())
        self.install_date.setEnabled(known.isValid())
        self.install_known.toggled.connect(self.install_date.setEnabled)
        row.addWidget(self.install_known)
        row.addWidget(self.install_date, 1)
        self.add_field("install_date", date_row, form=general, editor=self.install_date)
        self.add_field("notes", _notes(c.notes), form=general)

        network = self.add_page(self.tr("Network and streams"))
        self.add_field("mac", _line(c.mac), form=network)
        self.add_field("onvif_url", _line(c.onvif_url), form=network)
        gb = self.add_field("gb_id", _line(c.gb_id), form=network)
        assert isinstance(gb, QLineEdit)
        gb.setPlaceholderText(self.tr("20 digits, e.g. 11010200001320000001"))
        self.add_field(
            "networked_to_city",
            QCheckBox(self.tr("Networked to the city platform")),
            form=network,
        )
        city = self.fields["networked_to_city"]
        assert isinstance(city, QCheckBox)
        city.setChecked(c.networked_to_city)
        for code, value in (
            ("main_stream_uri", c.main.uri),
            ("main_resolution", c.main.resolution),
            ("main_codec", c.main.codec),
            ("sub_stream_uri", c.sub.uri),
            ("sub_resolution", c.sub.resolution),
            ("sub_codec", c.sub.codec),
        ):
            self.add_field(code, _line(value), form=network)

        access = self.add_page(self.tr("Access"))
        self.add_field("username", _line(c.username), form=access)
        password = self.add_field("password", _line(), form=access)
        assert isinstance(password, QLineEdit)
        password.setEchoMode(QLineEdit.EchoMode.Password)
        if camera is not None:
            password.setPlaceholderText(
                self.tr("Unchanged (a password is stored)")
                if camera.has_password
                else self.tr("Unchanged (no password stored)")
            )
        self.resize(520, 480)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {code: widget_value(w) for code, w in self.fields.items()}
        out["install_date"] = (
            self.install_date.date().toString("yyyy-MM-dd")
            if self.install_known.isChecked()
            else ""
        )
        return out

    def save(self, values: dict[str, Any]) -> Camera:
        inv = self.station.inventory
        values = dict(values)
        password = str(values.pop("password") or "")
        if self.camera is None:
            return inv.add_camera(values, password=password or None)
        camera = inv.update_camera(self.camera.id, values)
        if password:
            inv.set_credentials(self.camera.id, str(values.get("username") or ""), password)
            camera = inv.camera(self.camera.id)
        return camera


class SiteDialog(RecordDialog):
    """Add or edit a site (点位)."""

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        site: Site | None = None,
        communities: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(station, tasks, parent)
        self.site = site
        self.setWindowTitle(self.tr("Edit site") if site else self.tr("Add site"))
        s = site
        self.add_field("name", _line(s.name if s else ""))
        self.add_field("kind", kind_combo(SITE_KIND_LABELS, s.kind if s else None))
        community = self.add_field("community", _line(s.community if s else ""))
        assert isinstance(community, QLineEdit)
        completer = QCompleter(sorted({c for c in communities if c}), community)
        community.setCompleter(completer)
        self.add_field("grid", _line(s.grid if s else ""))
        self.add_field("address", _line(s.address if s else ""))
        lat = s.latitude if s and s.latitude is not None else ""
        lon = s.longitude if s and s.longitude is not None else ""
        self.add_field("latitude", _line(str(lat)))
        self.add_field("longitude", _line(str(lon)))
        self.add_field("notes", _notes(s.notes if s else ""))

    def values(self) -> dict[str, Any]:
        return {code: widget_value(w) for code, w in self.fields.items()}

    def save(self, values: dict[str, Any]) -> Site:
        inv = self.station.inventory
        if self.site is None:
            return inv.add_site(values)
        return inv.update_site(self.site.id, values)


class OwnerDialog(RecordDialog):
    """Add or edit an owner unit (产权单位): who to call when a camera breaks."""

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        owner: OwnerUnit | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(station, tasks, parent)
        self.owner = owner
        o = owner
        self.setWindowTitle(self.tr("Edit owner unit") if o else self.tr("Add owner unit"))
        self.add_field("name", _line(o.name if o else ""))
        self.add_field("kind", kind_combo(OWNER_KIND_LABELS, o.kind if o else None))
        self.add_field("contact_person", _line(o.contact_person if o else ""))
        self.add_field("phone", _line(o.phone if o else ""))
        self.add_field("notes", _notes(o.notes if o else ""))

    def values(self) -> dict[str, Any]:
        return {code: widget_value(w) for code, w in self.fields.items()}

    def save(self, values: dict[str, Any]) -> OwnerUnit:
        inv = self.station.inventory
        if self.owner is None:
            return inv.add_owner(values)
        return inv.update_owner(self.owner.id, values)


class DeviceDialog(RecordDialog):
    """Add another device (infrared alarm, alarm pole). The core has no device update yet."""

    def __init__(
        self,
        station: Station,
        tasks: TaskRunner,
        sites: Sequence[Site],
        owners: Sequence[OwnerUnit],
        device: OtherDevice | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(station, tasks, parent)
        self.device = device
        d = device
        self.setWindowTitle(self.tr("Add other device"))
        self.add_field("name", _line(d.name if d else ""))
        self.add_field("kind", kind_combo(DEVICE_KIND_LABELS, d.kind if d else None))
        self.add_field("site", reference_combo(sites, d.site_id if d else None))
        self.add_field("owner", reference_combo(owners, d.owner_id if d else None))
        self.add_field("serial", _line(d.serial if d else ""))
        self.add_field("address", _line(d.address if d else ""))
        self.add_field("notes", _notes(d.notes if d else ""))

    def values(self) -> dict[str, Any]:
        return {code: widget_value(w) for code, w in self.fields.items()}

    def save(self, values: dict[str, Any]) -> OtherDevice:
        return self.station.inventory.add_device(values)


class RetireDialog(QDialog):
    """Confirm taking a record out of service, optionally with a reason."""

    def __init__(self, what: str, *, ask_reason: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Retire"))
        layout = QVBoxLayout(self)
        question = QLabel(
            self.tr(
                "Retire {what}? It leaves the active inventory; its history and audit "
                "records are kept."
            ).format(what=what)
        )
        question.setWordWrap(True)
        layout.addWidget(question)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reason, e.g. dismantled, replaced, moved"))
        if ask_reason:
            layout.addWidget(QLabel(self.tr("Reason:")))
            layout.addWidget(self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(self.tr("Retire"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ImportProblemsDialog(QDialog):
    """Lists every bad row of a rejected import, one line each, with their row numbers."""

    def __init__(self, summary: str, problems: Sequence[Message], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import rejected"))
        layout = QVBoxLayout(self)
        heading = QLabel(summary + "\n" + self.tr("Correct these rows and import the file again:"))
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.problem_list = QListWidget()
        self.problem_list.addItems([render(p) for p in problems])
        layout.addWidget(self.problem_list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def problems(self) -> list[str]:
        return [self.problem_list.item(i).text() for i in range(self.problem_list.count())]
