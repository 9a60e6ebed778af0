"""Showing core messages and errors in the user's language.

The core raises :class:`ConsoleError` with an English :class:`Message`; here it is
translated with Qt's translator (the same ``.ts`` catalogue) and shown. Anything that is
not a ConsoleError is a bug: it is logged with its traceback and shown as an unexpected
error, so the officer can report it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from station_console.errors import ConsoleError, ImportRejected
from station_console.i18n import Message

log = logging.getLogger(__name__)


def qt_translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def render(message: Message) -> str:
    return message.render(qt_translate)


def describe(exc: BaseException) -> str:
    """One translated sentence for an exception."""
    if isinstance(exc, ConsoleError):
        return render(exc.message)
    return QCoreApplication.translate(
        "messages", "Unexpected error: {error}. It has been logged; please report it."
    ).format(error=f"{type(exc).__name__}: {exc}")


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    if not isinstance(exc, ConsoleError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or QCoreApplication.translate("messages", "Station Console"))
    box.setText(describe(exc))
    if isinstance(exc, ImportRejected):
        box.setDetailedText("\n".join(render(p) for p in exc.problems))
    box.open()
