"""Open a filmcrawl database: WAL, sane pragmas, schema migrated."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.normalize.keys import stable_id
from schemas.tables import migrate

__all__ = ["open_database", "select_in", "stable_id", "utc_now"]


def open_database(path: str | Path, *, migrate_schema: bool = True) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    WAL lets readers (Datasette, the CLI) query while a crawl writes, and roughly
    doubles insert speed; ``synchronous=NORMAL`` is durable across process crashes in
    WAL mode (only a power loss can cost the last transactions).
    """
    db = Database(str(path))
    db.execute("PRAGMA busy_timeout = 10000")
    if str(path) != ":memory:":
        db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    if migrate_schema:
        migrate(db)
    return db


# Bound variables per statement, under the 999 that old SQLite builds allow.
MAX_BOUND_VARIABLES = 500


def select_in(
    db: Database, prefix: str, values: Iterable[Any], params: Sequence[Any] = ()
) -> set[Any]:
    """The first column of ``{prefix} IN (values)``, asked in chunks small enough for
    any SQLite. ``prefix`` ends with the column compared (``SELECT id FROM facts WHERE
    id``); ``params`` bind placeholders in the prefix."""
    ordered = sorted(set(values))
    found: set[Any] = set()
    for start in range(0, len(ordered), MAX_BOUND_VARIABLES):
        chunk = ordered[start : start + MAX_BOUND_VARIABLES]
        sql = f"{prefix} IN ({', '.join('?' for _ in chunk)})"
        found.update(row[0] for row in db.execute(sql, [*params, *chunk]))
    return found


def utc_now() -> str:
    """The current time as ISO 8601 UTC text, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
