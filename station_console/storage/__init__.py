"""SQLite storage: one file, one writer, WAL readers, versioned forward migrations."""

from station_console.storage.database import Database

__all__ = ["Database"]
