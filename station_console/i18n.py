"""Translatable messages for a core that has no Qt.

The core marks user-facing text with :func:`QT_TRANSLATE_NOOP` so that ``pyside6-lupdate``
collects it into the same ``.ts`` file as the UI's strings. The UI translates with
``QCoreApplication.translate(context, text)``; the CLI, which must not load Qt, reads the
same ``.ts`` file with :class:`TsCatalog`. Either way a message exists once, in English,
with its Chinese beside it in ``resources/translations``.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
TS_FILE = TS_DIR / "station_console_zh_CN.ts"

Translate = Callable[[str, str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` without translating it now."""
    del context
    return text


def identity_translate(context: str, text: str) -> str:
    del context
    return text


@dataclass(frozen=True)
class Message:
    """A user-facing sentence: English source text, its context, and format parameters."""

    context: str
    text: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = identity_translate) -> str:
        template = translate(self.context, self.text)
        params = {
            k: v.render(translate) if isinstance(v, Message) else v for k, v in self.params.items()
        }
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return self.text.format(**params)

    def bilingual(self) -> str:
        """Chinese and English together, for CLI output and log files read by anyone."""
        zh = self.render(catalog().translate)
        en = self.render()
        return en if zh == en else f"{zh} / {en}"


class TsCatalog:
    """Reads translations from a Qt Linguist ``.ts`` file (for code that cannot load Qt)."""

    def __init__(self, path: Path) -> None:
        self._table: dict[tuple[str, str], str] = {}
        if not path.exists():
            return
        root = ET.parse(path).getroot()  # noqa: S314 - our own file, not user input
        for ctx in root.iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                src = msg.findtext("source") or ""
                tr = msg.find("translation")
                if tr is not None and tr.text and tr.get("type") not in ("unfinished", "obsolete"):
                    self._table[(name, src)] = tr.text

    def translate(self, context: str, text: str) -> str:
        return self._table.get((context, text), text)

    def __len__(self) -> int:
        return len(self._table)


@functools.cache
def catalog() -> TsCatalog:
    return TsCatalog(TS_FILE)
