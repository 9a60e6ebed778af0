"""Station settings, generated from the option registry so a new option needs no UI code.

Each :class:`station_console.settings.Option` becomes a check box, spin box, combo box or
line edit by its type. Only officers with ``EDIT_SETTINGS`` may change anything: the service
enforces it, the dialog just disables the fields. Changed values are saved one by one on the
task runner; the first refusal stops the save and is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_console.services.permissions import Permission
from station_console.settings import OPTIONS, Option
from station_console.station import Station
from ui.lifetime import while_alive
from ui.messages import describe
from ui.tasks import TaskRunner


def _choice_label(value: Any) -> str:
    labels = {
        "zh_CN": QCoreApplication.translate("settings_dialog", "Chinese (简体中文)"),
        "en": QCoreApplication.translate("settings_dialog", "English"),
        "tcp": QCoreApplication.translate("settings_dialog", "TCP (robust)"),
        "udp": QCoreApplication.translate("settings_dialog", "UDP (lower delay)"),
    }
    return labels.get(str(value), str(value))


class _Field:
    """One editor widget plus how to read the value back out of it."""

    def __init__(self, widget: QWidget, read: Callable[[], Any]) -> None:
        self.widget = widget
        self.read = read


def _editor(option: Option, value: Any, parent: QWidget) -> _Field:
    if option.type is bool:
        box = QCheckBox(parent)
        box.setChecked(bool(value))
        return _Field(box, box.isChecked)
    if option.choices:
        combo = QComboBox(parent)
        for choice in option.choices:
            combo.addItem(_choice_label(choice), choice)
        combo.setCurrentIndex(max(0, combo.findData(value)))
        return _Field(combo, combo.currentData)
    if option.type is int:
        spin = QSpinBox(parent)
        spin.setRange(
            int(option.minimum if option.minimum is not None else -1_000_000),
            int(option.maximum if option.maximum is not None else 1_000_000),
        )
        spin.setValue(int(value))
        return _Field(spin, spin.value)
    line = QLineEdit(str(value), parent)
    return _Field(line, line.text)


class SettingsDialog(QDialog):
    saved = Signal(list)  # keys that changed
    save_failed = Signal(str)

    def __init__(self, station: Station, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Station settings"))
        self.editable = station.session.can(Permission.EDIT_SETTINGS)
        self.fields: dict[str, _Field] = {}
        form = QFormLayout()
        # Descriptions are whole sentences: put each above its field, full width, unwrapped
        # (wrapped labels beside fields get clipped by the form's height-for-width).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for key, option in OPTIONS.items():
            field = _editor(option, station.settings.get(key), self)
            field.widget.setObjectName(f"setting_{key}")
            field.widget.setEnabled(self.editable)
            description = QCoreApplication.translate("settings", option.description)
            field.widget.setToolTip(description)
            label = QLabel(description, self)
            label.setBuddy(field.widget)
            form.addRow(label, field.widget)
            self.fields[key] = field

        notes = QLabel(self)
        notes.setWordWrap(True)
        notes.setObjectName("settingsNotes")
        if self.editable:
            notes.setText(self.tr("A change of language takes effect when the console restarts."))
        else:
            notes.setText(
                self.tr("Only an administrator may change settings; you can read them here.")
            )
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            if self.editable
            else QDialogButtonBox.StandardButton.Close,
            self,
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(notes)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, field in self.fields.items():
            value = field.read()
            if value != self.station.settings.get(key):
                out[key] = value
        return out

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        self.buttons.setEnabled(False)
        settings = self.station.settings

        def apply() -> list[str]:
            for key, value in changes.items():
                settings.set(key, value)
            return list(changes)

        self.tasks.run(
            apply, on_done=while_alive(self, self._saved), on_error=while_alive(self, self._failed)
        )

    def _saved(self, keys: list[str]) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(keys)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        text = describe(exc)
        self.error.setText(text)
        self.save_failed.emit(text)
