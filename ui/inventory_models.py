"""Table models for the inventory, user and audit views.

One generic :class:`RecordTableModel` holds a plain list of core dataclasses and a list of
columns (header + getter). Rows are never widgets, so a 2,000-camera table stays cheap to
load and sort; filtering is a :class:`QSortFilterProxyModel` over the same model. The model
never touches the database: views load records through the TaskRunner and hand them over.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from station_console.domain import (
    CAMERA_KIND_LABELS,
    DEVICE_KIND_LABELS,
    OWNER_KIND_LABELS,
    SITE_KIND_LABELS,
    Camera,
    OtherDevice,
    OwnerUnit,
    Site,
)
from station_console.fields import FIELD_LABELS

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex

# The role that returns the record (dataclass) behind a row.
RecordRole = Qt.ItemDataRole.UserRole + 1


def field_header(code: str) -> str:
    """A column header in the user's language, from the shared field names."""
    return QCoreApplication.translate("fields", FIELD_LABELS.get(code, code))


def kind_label(labels: dict[Any, str], kind: Any) -> str:
    """Translated text of a kind enum (labels are marked in context ``kinds``)."""
    text = labels.get(kind)
    return QCoreApplication.translate("kinds", text) if text else str(kind)


@dataclass(frozen=True)
class Column(Generic[T]):
    """One table column: its header text and how to read a cell from a record."""

    header: str
    value: Callable[[T], Any]


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """Read-only rows of one record type; replaced wholesale on every refresh."""

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []
        # Display text is computed once per load: painting, sorting and filtering 2,000 rows
        # then never call back into the column getters.
        self._cells: list[list[str]] = []
        self._haystacks: list[str] = []

    # -- Qt API ----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == RecordRole:
            return self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return super().headerData(section, orientation, role)

    # -- ours ------------------------------------------------------------------------------

    def set_records(self, records: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self._cells = [[_cell_text(c.value(r)) for c in self._columns] for r in self._rows]
        self._haystacks = ["\x1f".join(cells).casefold() for cells in self._cells]
        self.endResetModel()

    def matches(self, row: int, needle: str) -> bool:
        """Whether any cell of ``row`` contains ``needle`` (already case-folded)."""
        return needle in self._haystacks[row]

    def records(self) -> list[T]:
        return list(self._rows)

    def record(self, row: int) -> T:
        return self._rows[row]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✔" if value else ""
    return str(value)


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorting plus a case-insensitive 'contains' search over every column of a row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortLocaleAware(True)

    def set_search(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        assert isinstance(model, RecordTableModel)
        return model.matches(source_row, self._needle)


def filter_proxy(model: RecordTableModel[Any], parent: Any = None) -> RecordFilterProxy:
    proxy = RecordFilterProxy(parent)
    proxy.setSourceModel(model)
    return proxy


# -- column sets for the inventory tabs ------------------------------------------------------


def camera_columns() -> list[Column[Camera]]:
    return [
        Column(field_header("name"), lambda c: c.name),
        Column(field_header("kind"), lambda c: kind_label(CAMERA_KIND_LABELS, c.kind)),
        Column(field_header("community"), lambda c: c.community),
        Column(field_header("site"), lambda c: c.site_name),
        Column(field_header("owner"), lambda c: c.owner_name),
        Column(field_header("vendor"), lambda c: c.vendor),
        Column(field_header("model"), lambda c: c.model),
        Column(field_header("serial"), lambda c: c.serial),
        Column(field_header("gb_id"), lambda c: c.gb_id),
        Column(field_header("onvif_url"), lambda c: c.onvif_url),
        Column(field_header("networked_to_city"), lambda c: c.networked_to_city),
        Column(field_header("install_date"), lambda c: c.install_date),
    ]


def site_columns() -> list[Column[Site]]:
    return [
        Column(field_header("name"), lambda s: s.name),
        Column(field_header("kind"), lambda s: kind_label(SITE_KIND_LABELS, s.kind)),
        Column(field_header("community"), lambda s: s.community),
        Column(field_header("grid"), lambda s: s.grid),
        Column(field_header("address"), lambda s: s.address),
        Column(field_header("latitude"), lambda s: s.latitude),
        Column(field_header("longitude"), lambda s: s.longitude),
        Column(field_header("notes"), lambda s: s.notes),
    ]


def owner_columns() -> list[Column[OwnerUnit]]:
    return [
        Column(field_header("name"), lambda o: o.name),
        Column(field_header("kind"), lambda o: kind_label(OWNER_KIND_LABELS, o.kind)),
        Column(field_header("contact_person"), lambda o: o.contact_person),
        Column(field_header("phone"), lambda o: o.phone),
        Column(field_header("notes"), lambda o: o.notes),
    ]


def device_columns(
    site_names: Callable[[str | None], str], owner_names: Callable[[str | None], str]
) -> list[Column[OtherDevice]]:
    return [
        Column(field_header("name"), lambda d: d.name),
        Column(field_header("kind"), lambda d: kind_label(DEVICE_KIND_LABELS, d.kind)),
        Column(field_header("site"), lambda d: site_names(d.site_id)),
        Column(field_header("owner"), lambda d: owner_names(d.owner_id)),
        Column(field_header("serial"), lambda d: d.serial),
        Column(field_header("address"), lambda d: d.address),
        Column(field_header("notes"), lambda d: d.notes),
    ]


def local_time(ts: str | None) -> str:
    """A stored UTC ISO timestamp as local wall-clock time (officers think in local time)."""
    if not ts:
        return ""
    try:
        moment = datetime.fromisoformat(ts)
    except ValueError:
        return ts
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
