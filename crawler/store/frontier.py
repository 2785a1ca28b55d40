"""The crawl frontier, kept in the database.

Every URL the crawl means to fetch is a row: ``pending`` until the batch holding its
page commits, then ``done`` in that same transaction. A crawl generation is one full
pass; a run that finds pending URLs of the current generation resumes it instead of
starting a new one, so a crawl killed at any moment continues where its last committed
batch ended and never stores a page twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class FrontierEntry:
    url: str
    kind: str
    depth: int
    parent_url: str | None


def current_generation(db: Database) -> int:
    row = db.execute("SELECT max(generation) FROM frontier").fetchone()
    return int(row[0] or 0)


def pending_count(db: Database, generation: int) -> int:
    row = db.execute(
        "SELECT count(*) FROM frontier WHERE generation = ? AND state = 'pending'", [generation]
    ).fetchone()
    return int(row[0])


def begin_generation(db: Database, *, fresh: bool = False) -> tuple[int, bool]:
    """Return ``(generation, resumed)`` for a new run.

    The current generation is resumed while it has pending URLs (a previous run was
    killed or stopped early), unless ``fresh`` asks to drop them and start over.
    """
    generation = current_generation(db)
    if generation and not fresh and pending_count(db, generation):
        return generation, True
    return generation + 1, False


def add(
    db: Database,
    entries: list[FrontierEntry],
    generation: int,
    discovered_at: str,
) -> None:
    """Add URLs as pending in ``generation`` unless already known in it."""
    db.conn.executemany(
        """
        INSERT INTO frontier (url, generation, state, kind, depth, parent_url, discovered_at)
        VALUES (?, ?, 'pending', ?, ?, ?, ?)
        ON CONFLICT(url) DO UPDATE SET
            generation = excluded.generation, state = 'pending', kind = excluded.kind,
            depth = excluded.depth, parent_url = excluded.parent_url,
            discovered_at = excluded.discovered_at, done_at = NULL, outcome = NULL
        WHERE frontier.generation < excluded.generation
        """,
        [(e.url, generation, e.kind, e.depth, e.parent_url, discovered_at) for e in entries],
    )


def pending(db: Database, generation: int) -> list[FrontierEntry]:
    """Pending URLs of ``generation`` in discovery order."""
    rows = db.execute(
        "SELECT url, kind, depth, parent_url FROM frontier "
        "WHERE generation = ? AND state = 'pending' ORDER BY rowid",
        [generation],
    ).fetchall()
    return [FrontierEntry(url, kind, int(depth or 0), parent) for url, kind, depth, parent in rows]


def mark_done(db: Database, urls: list[tuple[str, str]], generation: int, done_at: str) -> None:
    """Mark ``(url, outcome)`` pairs done in ``generation`` (adding unknown URLs)."""
    db.conn.executemany(
        """
        INSERT INTO frontier (url, generation, state, kind, depth, discovered_at, done_at, outcome)
        VALUES (?, ?, 'done', 'seed', 0, ?, ?, ?)
        ON CONFLICT(url) DO UPDATE SET
            generation = excluded.generation, state = 'done',
            done_at = excluded.done_at, outcome = excluded.outcome
        """,
        [(url, generation, done_at, done_at, outcome) for url, outcome in urls],
    )


def abandon_pending(db: Database, generation: int, done_at: str) -> int:
    """Close a generation whose run drained its queue: what is still pending was never
    reachable (filtered as a duplicate, refused before download), so it must not make
    every later run a resume."""
    cursor = db.execute(
        "UPDATE frontier SET state = 'done', done_at = ?, outcome = 'unreached' "
        "WHERE generation = ? AND state = 'pending'",
        [done_at, generation],
    )
    return int(cursor.rowcount)
