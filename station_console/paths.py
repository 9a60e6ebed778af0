"""Where the console keeps its files.

Everything lives under one data directory (platform default, ``--data-dir`` overrides) so
that a backup, a test or a demo is a directory and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "station-console"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "station.sqlite3"

    @property
    def lock_file(self) -> Path:
        return self.root / "console.lock"

    @property
    def key_file(self) -> Path:
        return self.root / "keys" / "station.key"

    @property
    def audit_anchor(self) -> Path:
        return self.root / "audit.anchor"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def media(self) -> Path:
        return self.root / "media"

    @property
    def crash_reports(self) -> Path:
        return self.root / "crash"

    def ensure(self) -> DataPaths:
        for d in (self.root, self.backups, self.logs, self.media, self.crash_reports):
            d.mkdir(parents=True, exist_ok=True)
        return self
