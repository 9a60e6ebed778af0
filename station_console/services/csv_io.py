"""CSV import and export of cameras, sites and owner units.

Import is all-or-nothing: every row is validated first, problems are reported with their
row numbers (as a spreadsheet shows them: the header is row 1), and only a clean file is
written, in one transaction. Rows match existing records by a natural key (site and owner
name, camera serial or else name), so re-importing a corrected sheet updates instead of
duplicating. Files saved by Chinese Excel in GB18030/GBK are read as well as UTF-8.

Exports never contain credentials.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station_console.errors import ConsoleError, ImportRejected, ValidationError
from station_console.fields import FIELD_LABELS
from station_console.i18n import Message, catalog
from station_console.services.inventory import (
    CAMERA_SELECT,
    Inventory,
    clean_camera,
    clean_owner,
    clean_site,
)
from station_console.services.permissions import Permission

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

SITE_COLUMNS = ["name", "kind", "community", "grid", "address", "latitude", "longitude", "notes"]
OWNER_COLUMNS = ["name", "kind", "contact_person", "phone", "notes"]
CAMERA_COLUMNS = [
    "name", "kind", "site", "owner", "vendor", "model", "serial", "mac", "firmware",
    "onvif_url", "gb_id", "networked_to_city", "install_date", "main_stream_uri",
    "main_resolution", "main_codec", "sub_stream_uri", "sub_resolution", "sub_codec", "notes",
]  # fmt: skip

ENTITIES = {"cameras": CAMERA_COLUMNS, "sites": SITE_COLUMNS, "owners": OWNER_COLUMNS}
MAX_IMPORT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    rows: int


def _header_aliases() -> dict[str, str]:
    """Column name → field code, accepting the code, the English label or the Chinese one."""
    aliases: dict[str, str] = {}
    cat = catalog()
    for code, label in FIELD_LABELS.items():
        for alias in (code, label, cat.translate("fields", label)):
            aliases[alias.strip().lower()] = code
    return aliases


def read_text(path: Path) -> str:
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise ConsoleError("import", "The file {path} is larger than 50 MB.", path=str(path))
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConsoleError(
        "import", "The file {path} is neither UTF-8 nor GB18030 text.", path=str(path)
    )


def parse_rows(text: str, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, {field: value}); unknown headers are an error."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ConsoleError("import", "The file is empty.") from None
    aliases = _header_aliases()
    fields: list[str | None] = []
    unknown = []
    for h in header:
        code = aliases.get(h.strip().lower())
        if code is None and h.strip().lower() in columns:
            code = h.strip().lower()
        if code is None or code not in columns:
            unknown.append(h)
        fields.append(code if code in columns else None)
    if unknown:
        raise ConsoleError(
            "import",
            "Unknown columns: {columns}. Expected: {expected}.",
            columns=", ".join(unknown),
            expected=", ".join(columns),
        )
    if "name" not in fields:
        raise ConsoleError("import", "The file has no 'name' column.")
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(fields):
            raise ConsoleError("import", "Row {row} has more cells than the header.", row=number)
        rows.append((number, {f: v for f, v in zip(fields, values, strict=False) if f}))
    return rows


def _problem(row: int, err: ValidationError) -> Message:
    return Message("import", "Row {row}: {error}", {"row": row, "error": err.message})


class CsvTransfer:
    """Import and export for the inventory, permission-checked and audited."""

    def __init__(self, inventory: Inventory) -> None:
        self.inv = inventory

    # -- export ----------------------------------------------------------------------------

    def export(self, entity: str, path: Path) -> int:
        who = self.inv.session.require(Permission.EXPORT_INVENTORY)
        columns = ENTITIES[entity]
        rows = list(self._export_rows(entity))
        tmp = path.with_name(path.name + ".partial")
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
        tmp.replace(path)
        self.inv.audit.append(who.username, f"{entity}.export", str(path), {"rows": len(rows)})
        return len(rows)

    def _export_rows(self, entity: str) -> Iterable[dict[str, Any]]:
        db = self.inv.db
        if entity == "sites":
            yield from (
                dict(r)
                for r in db.query("SELECT * FROM sites WHERE retired_at IS NULL ORDER BY name")
            )
        elif entity == "owners":
            yield from (
                dict(r)
                for r in db.query(
                    "SELECT * FROM owner_units WHERE retired_at IS NULL ORDER BY name"
                )
            )
        else:
            for r in db.query(CAMERA_SELECT + " WHERE c.retired_at IS NULL ORDER BY c.name"):
                d = dict(r)
                d["site"] = d.pop("site_name") or ""
                d["owner"] = d.pop("owner_name") or ""
                yield d

    # -- import ----------------------------------------------------------------------------

    def import_file(
        self, entity: str, path: Path, progress: Progress | None = None
    ) -> ImportResult:
        self.inv.session.require(Permission.IMPORT_INVENTORY)
        text = read_text(path)
        return self.import_text(entity, text, source=str(path), progress=progress)

    def import_text(
        self, entity: str, text: str, *, source: str = "", progress: Progress | None = None
    ) -> ImportResult:
        who = self.inv.session.require(Permission.IMPORT_INVENTORY)
        columns = ENTITIES[entity]
        rows = parse_rows(text, columns)
        cleaner = {"cameras": clean_camera, "sites": clean_site, "owners": clean_owner}[entity]
        problems: list[Message] = []
        cleaned: list[tuple[int, dict[str, Any], dict[str, str]]] = []
        seen: dict[str, int] = {}
        with self.inv.db.reading() as reader:
            for number, raw in rows:
                try:
                    values = cleaner(raw)
                    if entity == "cameras":
                        # Checked now so one pass reports every problem; resolved again on write.
                        self.inv._resolve(reader, "sites", raw.get("site"), "site")
                        self.inv._resolve(reader, "owner_units", raw.get("owner"), "owner")
                except ValidationError as err:
                    problems.append(_problem(number, err))
                    continue
                key = self._key(entity, values)
                if key in seen:
                    problems.append(
                        Message(
                            "import",
                            "Row {row}: the same record as row {other} ({key}).",
                            {"row": number, "other": seen[key], "key": key.split(":", 1)[1]},
                        )
                    )
                    continue
                seen[key] = number
                cleaned.append((number, values, raw))
        if problems:
            problems.sort(key=lambda m: int(m.params["row"]))
            raise ImportRejected(
                "import",
                "Nothing was imported: {n} rows have problems.",
                problems=problems,
                n=len(problems),
            )
        added = updated = 0
        total = len(cleaned)
        table = {"cameras": "cameras", "sites": "sites", "owners": "owner_units"}[entity]
        sync_entity = {"cameras": "camera", "sites": "site", "owners": "owner_unit"}[entity]
        with self.inv.db.write() as conn:
            for i, (number, values, raw) in enumerate(cleaned, start=1):
                try:
                    if entity == "cameras":
                        values["site_id"] = self.inv._resolve(
                            conn, "sites", raw.get("site"), "site"
                        )
                        values["owner_id"] = self.inv._resolve(
                            conn, "owner_units", raw.get("owner"), "owner"
                        )
                    existing = self._existing(conn, entity, values)
                    if existing:
                        self.inv._update(conn, table, sync_entity, existing, values)
                        updated += 1
                    else:
                        self.inv._insert(conn, table, sync_entity, values)
                        added += 1
                except ValidationError as err:
                    problems.append(_problem(number, err))
                if progress and (i % 50 == 0 or i == total):
                    progress(i, total)
            if problems:
                raise ImportRejected(
                    "import",
                    "Nothing was imported: {n} rows have problems.",
                    problems=problems,
                    n=len(problems),
                )
            self.inv.audit.append(
                who.username,
                f"{entity}.import",
                source,
                {"added": added, "updated": updated, "rows": total},
                conn=conn,
            )
        self.inv._changed(sync_entity, "*")
        return ImportResult(added, updated, total)

    @staticmethod
    def _key(entity: str, values: dict[str, Any]) -> str:
        if entity == "cameras" and values.get("serial"):
            return f"serial:{values['serial']}"
        return f"name:{values['name']}"

    @staticmethod
    def _existing(conn: Any, entity: str, values: dict[str, Any]) -> str | None:
        if entity == "cameras":
            if values.get("serial"):
                row = conn.execute(
                    "SELECT id FROM cameras WHERE serial = ? AND retired_at IS NULL",
                    (values["serial"],),
                ).fetchone()
            else:
                row = conn.execute(
                    "SELECT id FROM cameras WHERE name = ? AND serial = '' AND retired_at IS NULL",
                    (values["name"],),
                ).fetchone()
        else:
            table = "sites" if entity == "sites" else "owner_units"
            row = conn.execute(
                f"SELECT id FROM {table} WHERE name = ? AND retired_at IS NULL", (values["name"],)
            ).fetchone()
        return str(row[0]) if row else None
