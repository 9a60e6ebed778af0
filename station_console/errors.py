"""Errors the core raises on purpose, each with a message an officer can act on.

Known failures (locked, corrupt, disk full, refused permission, bad input) are
:class:`ConsoleError` subclasses carrying a translatable :class:`Message`. Anything else
escaping the core is a bug and goes to the crash dialog instead.
"""

from __future__ import annotations

from typing import Any

from station_console.fields import FIELD_LABELS
from station_console.i18n import Message


class ConsoleError(Exception):
    """A failure the user can understand and act on."""

    def __init__(self, context: str, text: str, **params: Any) -> None:
        self.message = Message(context, text, params)
        super().__init__(self.message.render())

    def bilingual(self) -> str:
        return self.message.bilingual()


class StorageError(ConsoleError):
    pass


class DatabaseCorrupt(StorageError):
    pass


class DataDirInUse(StorageError):
    pass


class DiskFull(StorageError):
    pass


class DatabaseBusy(StorageError):
    pass


class PermissionDenied(ConsoleError):
    pass


class AuthenticationFailed(ConsoleError):
    pass


class ValidationError(ConsoleError):
    """Bad input; ``field`` names the field that is wrong when there is one."""

    def __init__(self, context: str, text: str, *, field: str | None = None, **params: Any):
        if field is not None:
            params.setdefault("field", Message("fields", FIELD_LABELS.get(field, field)))
        super().__init__(context, text, **params)
        self.field = field


class NotFound(ConsoleError):
    pass


class ImportRejected(ConsoleError):
    """An import found bad rows; nothing was written. ``problems`` holds one Message a row."""

    def __init__(self, context: str, text: str, problems: list[Message], **params: Any):
        super().__init__(context, text, **params)
        self.problems = problems


class EvidenceChanged(ConsoleError):
    """A media file no longer matches the checksum taken when it was captured."""
