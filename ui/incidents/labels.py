"""Incident enums and messages in the officer's language (the core marks, Qt translates)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from station_console.incidents import Category, Missing, Outcome, Priority, ReportStatus, State
from station_console.incidents.model import (
    CATEGORY_LABELS,
    OUTCOME_LABELS,
    PRIORITY_LABELS,
    REPORT_LABELS,
    STATE_LABELS,
)
from ui.messages import render


def _tr(text: str) -> str:
    return QCoreApplication.translate("incidents", text)


def category_text(c: Category) -> str:
    return _tr(CATEGORY_LABELS[Category(c)])


def priority_text(p: Priority) -> str:
    return _tr(PRIORITY_LABELS[Priority(p)])


def state_text(s: State) -> str:
    return _tr(STATE_LABELS[State(s)])


def outcome_text(o: Outcome) -> str:
    return _tr(OUTCOME_LABELS[Outcome(o)])


def report_text(r: ReportStatus) -> str:
    return _tr(REPORT_LABELS[ReportStatus(r)])


def missing_text(m: Missing) -> str:
    return render(m.message())


def bring_to_front(widget: QWidget) -> None:
    """Raise a window where the platform can (the offscreen test platform cannot)."""
    if QGuiApplication.platformName() != "offscreen":
        widget.raise_()
        widget.activateWindow()
