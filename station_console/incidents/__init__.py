"""Incidents (警情): one-key capture, the report-to-command-centre loop, outcomes, evidence.

No Qt, no video libraries: clips and pictures are made in ``drivers.incident_capture`` and
handed in as bytes and :class:`ClipRecord`; the PDF sheet is drawn by a renderer the UI
passes to :class:`EvidenceExporter`.
"""

from station_console.incidents.evidence import EvidenceExporter, ExportResult, VerifyReport, verify
from station_console.incidents.model import (
    Bulletin,
    Category,
    ClipRecord,
    ClipState,
    Incident,
    IncidentDetail,
    IncidentFilter,
    Instruction,
    MediaItem,
    Missing,
    Outcome,
    Photo,
    Priority,
    ReportStatus,
    StageTiming,
    State,
    Stats,
)
from station_console.incidents.service import IncidentService

__all__ = [
    "Bulletin",
    "Category",
    "ClipRecord",
    "ClipState",
    "EvidenceExporter",
    "ExportResult",
    "Incident",
    "IncidentDetail",
    "IncidentFilter",
    "IncidentService",
    "Instruction",
    "MediaItem",
    "Missing",
    "Outcome",
    "Photo",
    "Priority",
    "ReportStatus",
    "StageTiming",
    "State",
    "Stats",
    "VerifyReport",
    "verify",
]
