"""Install the console's translators (ours and Qt's own) for the chosen language.

English is the source language, so "en" means no translator at all. Qt's ``qtbase`` catalogue
translates the standard buttons (OK, Cancel) and dialogs so they match our Chinese text.
The caller keeps the returned translators alive for as long as the application runs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")
# Each language in its own words (endonyms), so an officer can find theirs whatever is shown.
LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Load and install translators for ``lang``; returns them (keep a reference)."""
    installed: list[QTranslator] = []
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return installed
    QLocale.setDefault(QLocale(lang))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [
        (f"station_console_{lang}", str(TRANSLATIONS_DIR)),
        (f"qtbase_{lang}", qt_dir),
    ]
    for name, directory in candidates:
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            # Ours missing is a packaging bug; Qt's missing only leaves OK/Cancel in English.
            log.warning("translation %s not found in %s", name, directory)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
