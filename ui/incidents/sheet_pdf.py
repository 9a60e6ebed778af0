"""The incident sheet as a PDF, drawn with Qt (QPdfWriter + QTextDocument) in a CJK font.

Why Qt and not a PDF library: Qt embeds the subset of the system's CJK font that the text
uses, so the sheet reads the same on any machine, and the console already ships Qt. Safe on
a worker thread (painting on a QPdfWriter does not touch widgets); the application object
must exist.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

from station_console.incidents.evidence import IncidentSheet

#: Preferred families, first one installed wins (Noto on Linux, YaHei/SimSun on Windows).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimSun",
    "WenQuanYi Zen Hei",
)
PICTURE_WIDTH_PX = 420


def cjk_family() -> str:
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), "")


def sheet_html(sheet: IncidentSheet) -> str:
    e = html.escape
    parts = [
        f"<h2 style='text-align:center'>{e(sheet.title)}</h2>",
        f"<p>{e(sheet.station)} &nbsp; {e(sheet.exported_by)} &nbsp; {e(sheet.exported_at)}</p>",
    ]
    for n, incident in enumerate(sheet.incidents):
        parts.append(f"<h3>{e(incident.number)}</h3>")
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>")
        for line in incident.lines:
            value = e(line.value).replace("\n", "<br>")
            parts.append(f"<tr><td width='28%'><b>{e(line.label)}</b></td><td>{value}</td></tr>")
        parts.append("</table>")
        for i, _picture in enumerate(incident.pictures):
            parts.append(f"<p><img src='pic-{n}-{i}' width='{PICTURE_WIDTH_PX}'></p>")
        if incident.media:
            parts.append("<table border='1' cellspacing='0' cellpadding='3' width='100%'>")
            for line in incident.media:
                value = e(line.value).replace("\n", "<br>")
                parts.append(
                    f"<tr><td width='35%'><small>{e(line.label)}</small></td>"
                    f"<td><small>{value}</small></td></tr>"
                )
            parts.append("</table>")
    parts.append(f"<p><small>{e(sheet.footer)}</small></p>")
    return "".join(parts)


def render_sheet(sheet: IncidentSheet, path: Path) -> None:
    """Write ``sheet`` to ``path`` as an A4 PDF. Raises OSError when the file cannot be written."""
    writer = QPdfWriter(str(path))
    writer.setTitle(sheet.title)
    writer.setCreator("Station Console")
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    doc = QTextDocument()
    family = cjk_family()
    font = QFont(family, 10) if family else QFont()
    font.setPointSize(10)
    doc.setDefaultFont(font)
    for n, incident in enumerate(sheet.incidents):
        for i, picture in enumerate(incident.pictures):
            image = QImage(str(picture))
            if not image.isNull():
                doc.addResource(
                    QTextDocument.ResourceType.ImageResource, QUrl(f"pic-{n}-{i}"), image
                )
    doc.setHtml(sheet_html(sheet))
    doc.print_(writer)  # paginates onto the writer's A4 pages
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"cannot write {path}")
