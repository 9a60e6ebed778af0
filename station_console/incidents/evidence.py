"""Evidence export (folder or zip) with a SHA-256 manifest, and its verification.

An export holds the incidents' clips and snapshots, an incident sheet (PDF, Chinese; drawn by
a renderer the caller passes in, because drawing a PDF with CJK fonts needs Qt), the record
as JSON and ``manifest.json`` listing every file with its size and SHA-256, plus
``SHA256SUMS`` so anyone can check it with ``sha256sum -c``. The manifest's own SHA-256 goes
into the audit log, so replacing the whole manifest is detected against the station's log.

Rules: the export needs ``EXPORT_EVIDENCE`` and is audited; every media file is checked
against the checksum taken at capture before it is copied (a file changed on disk is
refused, not exported); everything is written to a hidden staging folder and moved into
place at the end, so a full disk or any failure leaves nothing half-written behind.

:func:`verify` needs nothing but the standard library (``station-console evidence verify``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from station_console.errors import DiskFull, EvidenceChanged, ValidationError
from station_console.i18n import QT_TRANSLATE_NOOP, Message, catalog
from station_console.incidents.model import (
    CATEGORY_LABELS,
    OUTCOME_LABELS,
    PRIORITY_LABELS,
    REPORT_LABELS,
    STATE_LABELS,
    IncidentDetail,
)
from station_console.incidents.service import IncidentService, sha256_file
from station_console.services.permissions import Permission

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
FORMAT = "station-console-evidence/1"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class SheetLine:
    label: str
    value: str


@dataclass(frozen=True)
class SheetIncident:
    """One incident as the sheet prints it (already in Chinese)."""

    number: str
    lines: tuple[SheetLine, ...]
    pictures: tuple[Path, ...]  # snapshots to print on the sheet
    media: tuple[SheetLine, ...]  # file name → checksum and span


@dataclass(frozen=True)
class IncidentSheet:
    title: str
    station: str
    exported_by: str
    exported_at: str
    incidents: tuple[SheetIncident, ...]
    footer: str


SheetRenderer = Callable[[IncidentSheet, Path], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    files: int
    bytes: int
    manifest_sha256: str


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str  # missing, changed, unexpected, bad_manifest

    def message(self) -> Message:
        texts = {
            "missing": QT_TRANSLATE_NOOP("evidence", "{path}: file missing"),
            "changed": QT_TRANSLATE_NOOP("evidence", "{path}: content changed (checksum differs)"),
            "unexpected": QT_TRANSLATE_NOOP("evidence", "{path}: file not in the manifest"),
            "bad_manifest": QT_TRANSLATE_NOOP("evidence", "{path}: manifest unreadable"),
            "sums_differ": QT_TRANSLATE_NOOP(
                "evidence", "{path}: does not agree with the manifest"
            ),
        }
        return Message(
            "evidence", texts.get(self.reason, "{path}: " + self.reason), {"path": self.path}
        )


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    files: int
    manifest_sha256: str
    problems: tuple[Problem, ...] = ()
    incidents: tuple[str, ...] = ()
    exported_at: str = ""
    exported_by: str = ""
    station: str = ""


# -- labels for the sheet (always Chinese, whatever the UI language) -------------------------

_SHEET = {
    "title": QT_TRANSLATE_NOOP("incident_sheet", "Incident evidence sheet"),
    "number": QT_TRANSLATE_NOOP("incident_sheet", "Incident number"),
    "time": QT_TRANSLATE_NOOP("incident_sheet", "Time of the key press"),
    "camera": QT_TRANSLATE_NOOP("incident_sheet", "Camera"),
    "site": QT_TRANSLATE_NOOP("incident_sheet", "Site"),
    "officer": QT_TRANSLATE_NOOP("incident_sheet", "Officer"),
    "category": QT_TRANSLATE_NOOP("incident_sheet", "Category"),
    "priority": QT_TRANSLATE_NOOP("incident_sheet", "Priority"),
    "state": QT_TRANSLATE_NOOP("incident_sheet", "State"),
    "report": QT_TRANSLATE_NOOP("incident_sheet", "Report to the command centre"),
    "reported": QT_TRANSLATE_NOOP("incident_sheet", "Reported"),
    "dispatched": QT_TRANSLATE_NOOP("incident_sheet", "Dispatched"),
    "on_scene": QT_TRANSLATE_NOOP("incident_sheet", "On scene"),
    "closed": QT_TRANSLATE_NOOP("incident_sheet", "Closed"),
    "outcome": QT_TRANSLATE_NOOP("incident_sheet", "Outcome"),
    "suspects": QT_TRANSLATE_NOOP("incident_sheet", "Suspects caught"),
    "note": QT_TRANSLATE_NOOP("incident_sheet", "Note"),
    "outcome_note": QT_TRANSLATE_NOOP("incident_sheet", "Outcome note"),
    "missing": QT_TRANSLATE_NOOP("incident_sheet", "Not captured"),
    "linked": QT_TRANSLATE_NOOP("incident_sheet", "Linked incidents"),
    "bulletin": QT_TRANSLATE_NOOP("incident_sheet", "Bulletin"),
    "instructions": QT_TRANSLATE_NOOP("incident_sheet", "Instructions received"),
    "clip_span": QT_TRANSLATE_NOOP(
        "incident_sheet", "{start} to {end} ({seconds} s, {before} s before the key press)"
    ),
    "footer": QT_TRANSLATE_NOOP(
        "incident_sheet",
        "Every file of this export is listed with its SHA-256 in manifest.json "
        "(manifest SHA-256 recorded in the station's audit log). Check it with: "
        "station-console evidence verify PATH",
    ),
    "station": QT_TRANSLATE_NOOP("incident_sheet", "Station"),
    "none": QT_TRANSLATE_NOOP("incident_sheet", "none"),
}


def zh(context: str, text: str, **params: Any) -> str:
    return Message(context, text, params).render(catalog().translate)


def _label(key: str, **params: Any) -> str:
    return zh("incident_sheet", _SHEET[key], **params)


def _local(ts: str | None) -> str:
    if not ts:
        return "—"
    return datetime.fromisoformat(ts).astimezone().strftime("%Y-%m-%d %H:%M:%S")


# -- export ---------------------------------------------------------------------------------


class EvidenceExporter:
    """Exports incidents with their media, sheet and manifest (see the module docstring)."""

    def __init__(self, service: IncidentService, station_name: Callable[[], str]) -> None:
        self.service = service
        self.station_name = station_name

    def export(
        self,
        incident_ids: Sequence[str],
        target: Path,
        *,
        as_zip: bool = False,
        render_sheet: SheetRenderer,
        include_linked: bool = True,
    ) -> ExportResult:
        """Write the export to ``target`` (a new folder, or a ``.zip`` file)."""
        service = self.service
        who = service.session.require(Permission.EXPORT_EVIDENCE)
        if not incident_ids:
            raise ValidationError("evidence", "Choose at least one incident to export.")
        target = Path(target)
        if as_zip and target.suffix.lower() != ".zip":
            target = target.with_name(target.name + ".zip")
        if target.exists():
            raise ValidationError(
                "evidence", "{path} already exists; choose a new name.", path=str(target)
            )
        details: dict[str, IncidentDetail] = {}
        queue = list(incident_ids)
        while queue:
            incident_id = queue.pop(0)
            if incident_id in details:
                continue
            details[incident_id] = service.detail(incident_id)
            if include_linked:
                queue += [i.id for i in details[incident_id].linked]
        ordered = sorted(details.values(), key=lambda d: d.incident.occurred_at)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        staging = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:8]}"
        try:
            staging.mkdir(parents=True)
            files: list[tuple[str, Path]] = []
            sheet_items = []
            for d in ordered:
                rel_dir = PurePosixPath(d.incident.number)
                pictures: list[Path] = []
                media_lines: list[SheetLine] = []
                for m in d.media:
                    source = Path(m.path)
                    rel = rel_dir / source.name
                    dest = staging / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    self._copy_checked(source, dest, m.sha256, d.incident.number)
                    files.append((str(rel), dest))
                    if m.kind == "snapshot":
                        pictures.append(dest)
                        media_lines.append(SheetLine(str(rel), m.sha256))
                    else:
                        span = _label(
                            "clip_span",
                            start=_local(m.started_at),
                            end=_local(m.ended_at),
                            seconds=f"{m.seconds:.1f}",
                            before=f"{self._before(d, m):.1f}",
                        )
                        media_lines.append(SheetLine(str(rel), f"{m.sha256}\n{span}"))
                record = rel_dir / "incident.json"
                (staging / record).parent.mkdir(parents=True, exist_ok=True)
                (staging / record).write_text(
                    json.dumps(self._record(d), ensure_ascii=False, indent=2), encoding="utf-8"
                )
                files.append((str(record), staging / record))
                sheet_items.append(
                    SheetIncident(
                        d.incident.number, self._lines(d), tuple(pictures), tuple(media_lines)
                    )
                )
            sheet = IncidentSheet(
                title=_label("title"),
                station=self.station_name(),
                exported_by=who.display_name,
                exported_at=_local(now),
                incidents=tuple(sheet_items),
                footer=_label("footer"),
            )
            sheet_path = staging / "incident-sheet.pdf"
            render_sheet(sheet, sheet_path)
            files.append(("incident-sheet.pdf", sheet_path))
            entries: list[dict[str, Any]] = [
                {"path": rel, "bytes": path.stat().st_size, "sha256": sha256_file(path)}
                for rel, path in sorted(files)
            ]
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "station": self.station_name(),
                "exported_at": now,
                "exported_by": who.username,
                "incidents": [d.incident.number for d in ordered],
                "files": entries,
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            (staging / MANIFEST).write_bytes(manifest_bytes)
            sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in entries)
            (staging / SUMS).write_text(sums, encoding="utf-8")
            digest = hashlib.sha256(manifest_bytes).hexdigest()
            total = sum(int(f["bytes"]) for f in entries)
            self._fsync_tree(staging)
            if as_zip:
                self._zip(staging, target)
                shutil.rmtree(staging, ignore_errors=True)
            else:
                os.replace(staging, target)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if as_zip:
                target.with_name(target.name + ".part").unlink(missing_ok=True)
            raise DiskFull(
                "evidence",
                "The evidence could not be written to {path}: {reason}. Nothing was exported.",
                path=str(target),
                reason=exc.strerror or str(exc),
            ) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            service.audit.append(
                who.username,
                "evidence.export",
                f"evidence:{target.name}",
                {
                    "path": str(target),
                    "incidents": manifest["incidents"],
                    "files": len(manifest["files"]),
                    "manifest_sha256": digest,
                    "zip": as_zip,
                },
            )
        except BaseException:
            # An export that cannot be audited must not exist.
            if as_zip:
                target.unlink(missing_ok=True)
            else:
                shutil.rmtree(target, ignore_errors=True)
            raise
        return ExportResult(target, len(manifest["files"]), total, digest)

    @staticmethod
    def _before(d: IncidentDetail, m: Any) -> float:
        if not m.started_at:
            return 0.0
        return (
            datetime.fromisoformat(d.incident.occurred_at) - datetime.fromisoformat(m.started_at)
        ).total_seconds()

    @staticmethod
    def _copy_checked(source: Path, dest: Path, expected: str, number: str) -> None:
        digest = hashlib.sha256()
        if not source.is_file():
            raise EvidenceChanged(
                "evidence",
                "The file {file} of incident {number} is missing from the media folder; "
                "nothing was exported.",
                file=source.name,
                number=number,
            )
        with open(source, "rb") as src, open(dest, "wb") as out:
            for chunk in iter(lambda: src.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected:
            raise EvidenceChanged(
                "evidence",
                "The file {file} of incident {number} was changed after it was captured "
                "(its checksum differs); nothing was exported.",
                file=source.name,
                number=number,
            )

    @staticmethod
    def _fsync_tree(root: Path) -> None:
        for path in root.rglob("*"):
            if path.is_file():
                with open(path, "rb") as fh:
                    os.fsync(fh.fileno())

    @staticmethod
    def _zip(staging: Path, target: Path) -> None:
        part = target.with_name(target.name + ".part")
        try:
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(staging.rglob("*")):
                    if path.is_file():
                        zf.write(path, path.relative_to(staging).as_posix())
            with open(part, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)

    def _lines(self, d: IncidentDetail) -> tuple[SheetLine, ...]:
        i = d.incident
        ctx = "incidents"
        lines = [
            SheetLine(_label("number"), i.number),
            SheetLine(_label("time"), _local(i.occurred_at)),
            SheetLine(_label("camera"), f"{i.camera_name} ({i.camera_id})" if i.camera_id else "—"),
            SheetLine(_label("site"), i.site_name or "—"),
            SheetLine(_label("officer"), i.officer_name or i.officer),
            SheetLine(_label("category"), zh(ctx, CATEGORY_LABELS[i.category])),
            SheetLine(_label("priority"), zh(ctx, PRIORITY_LABELS[i.priority])),
            SheetLine(_label("state"), zh(ctx, STATE_LABELS[i.state])),
            SheetLine(_label("report"), zh(ctx, REPORT_LABELS[i.report_status])),
            SheetLine(_label("reported"), _local(i.reported_at)),
            SheetLine(_label("dispatched"), _local(i.dispatched_at)),
            SheetLine(_label("on_scene"), _local(i.on_scene_at)),
            SheetLine(_label("closed"), _local(i.closed_at)),
            SheetLine(_label("outcome"), zh(ctx, OUTCOME_LABELS[i.outcome])),
            SheetLine(_label("suspects"), str(i.suspects_caught)),
            SheetLine(_label("note"), i.note or "—"),
            SheetLine(_label("outcome_note"), i.outcome_note or "—"),
        ]
        if i.missing:
            lines.append(
                SheetLine(
                    _label("missing"),
                    "\n".join(m.message().render(catalog().translate) for m in i.missing),
                )
            )
        if d.linked:
            lines.append(SheetLine(_label("linked"), "、".join(x.number for x in d.linked)))
        if i.bulletin_id:
            lines.append(SheetLine(_label("bulletin"), i.bulletin_id))
        if d.instructions:
            lines.append(
                SheetLine(
                    _label("instructions"),
                    "\n".join(f"{_local(x.issued_at)} {x.title} {x.body}" for x in d.instructions),
                )
            )
        return tuple(lines)

    @staticmethod
    def _record(d: IncidentDetail) -> dict[str, Any]:
        def plain(obj: Any) -> Any:
            return json.loads(json.dumps(asdict(obj), default=str, ensure_ascii=False))

        return {
            "incident": plain(d.incident),
            "media": [
                {**plain(m), "path": Path(m.path).name, "seconds": round(m.seconds, 3)}
                for m in d.media
            ],
            "linked": [x.number for x in d.linked],
            "instructions": [plain(x) for x in d.instructions],
            "response": [plain(t) for t in d.timings],
        }


# -- verification (no database, no Qt: runs anywhere) -----------------------------------------


@dataclass
class _Tree:
    """A folder or a zip seen as relative paths → opener."""

    names: list[str] = field(default_factory=list)
    opener: Callable[[str], IO[bytes]] | None = None


def _hash(fh: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: fh.read(_CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def verify(path: Path) -> VerifyReport:
    """Check an export: every file in the manifest present and unchanged, nothing extra,
    and ``SHA256SUMS`` in agreement with the manifest."""
    path = Path(path)
    if not path.exists():
        raise ValidationError("evidence", "{path} does not exist.", path=str(path))
    zf: zipfile.ZipFile | None = None
    try:
        if path.is_dir():
            names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())

            def opener(name: str) -> IO[bytes]:
                return open(path / name, "rb")

        else:
            try:
                zf = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise ValidationError(
                    "evidence", "{path} is neither an evidence folder nor a zip file.",
                    path=str(path),
                ) from exc  # fmt: skip
            names = sorted(n for n in zf.namelist() if not n.endswith("/"))
            archive = zf

            def opener(name: str) -> IO[bytes]:
                return archive.open(name)

        return _check(names, opener)
    finally:
        if zf is not None:
            zf.close()


def _check(names: list[str], opener: Callable[[str], IO[bytes]]) -> VerifyReport:
    if MANIFEST not in names:
        return VerifyReport(False, 0, "", (Problem(MANIFEST, "missing"),))
    with opener(MANIFEST) as fh:
        raw = fh.read()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        manifest = json.loads(raw.decode("utf-8"))
        entries = manifest["files"]
        listed = {str(e["path"]): (str(e["sha256"]), int(e["bytes"])) for e in entries}
    except (ValueError, KeyError, TypeError):
        return VerifyReport(False, 0, digest, (Problem(MANIFEST, "bad_manifest"),))
    problems: list[Problem] = []
    present = set(names)
    for rel, (expected, size) in sorted(listed.items()):
        if rel not in present or PurePosixPath(rel).is_absolute() or ".." in rel.split("/"):
            problems.append(Problem(rel, "missing"))
            continue
        with opener(rel) as fh:
            actual, actual_size = _hash(fh)
        if actual != expected or actual_size != size:
            problems.append(Problem(rel, "changed"))
    for rel in sorted(present - set(listed) - {MANIFEST, SUMS}):
        problems.append(Problem(rel, "unexpected"))
    if SUMS in present:
        with opener(SUMS) as fh:
            sums = fh.read().decode("utf-8", errors="replace")
        pairs = {}
        for line in sums.splitlines():
            value, _, rel = line.partition("  ")
            if rel:
                pairs[rel] = value
        if pairs != {rel: v[0] for rel, v in listed.items()}:
            problems.append(Problem(SUMS, "sums_differ"))
    else:
        problems.append(Problem(SUMS, "missing"))
    return VerifyReport(
        ok=not problems,
        files=len(listed),
        manifest_sha256=digest,
        problems=tuple(problems),
        incidents=tuple(str(n) for n in manifest.get("incidents", [])),
        exported_at=str(manifest.get("exported_at", "")),
        exported_by=str(manifest.get("exported_by", "")),
        station=str(manifest.get("station", "")),
    )
