"""A filmcrawl database with a page of garbage in its middle: SQLite opens it, and
``PRAGMA quick_check`` (or the first read of that page) finds the damage."""

from __future__ import annotations

from pathlib import Path

from crawler.store.database import open_database


def damaged_database(path: Path) -> Path:
    database = open_database(path)
    database["filler"].insert_all(({"id": n, "text": "x" * 500} for n in range(400)), pk="id")
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    with path.open("r+b") as stream:
        stream.seek(path.stat().st_size // 2 // 4096 * 4096)
        stream.write(b"\xa5" * 4096)
    return path
