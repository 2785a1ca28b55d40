"""The crawl frontier, kept in the database.

Every URL the crawl means to fetch is a row: ``pending`` until the batch holding its
page commits, then ``done`` in that same transaction. A crawl generation is one full
pass; a run that finds pending URLs of the current generation resumes it instead of
starting a new one, so a crawl killed at any moment continues where its last committed
batch ended and never stores a page twice.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from crawler.store.database import MAX_BOUND_VARIABLES


@dataclass(frozen=True)
class FrontierEntry:
    url: str
    kind: str
    depth: int
    parent_url: str | None


def link_depth(depth: int, kind: str) -> int:
    """The depth of a link of kind ``kind`` on a page at ``depth``: a further comment
    page is as deep as its page, a followed link one step deeper."""
    return depth if kind == "comments" else depth + 1


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
    """Add URLs as pending in ``generation`` unless already known in it.

    A URL known from an earlier generation is deleted and inserted again rather than
    updated, so that row ids follow the order of discovery in this generation: the
    crawl feeds its requests in that order (:func:`pending_batch`).
    """
    db.conn.executemany(
        "DELETE FROM frontier WHERE url = ? AND generation < ?",
        [(e.url, generation) for e in entries],
    )
    db.conn.executemany(
        """
        INSERT INTO frontier (url, generation, state, kind, depth, parent_url, discovered_at)
        VALUES (?, ?, 'pending', ?, ?, ?, ?)
        ON CONFLICT(url) DO NOTHING
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


# Kinds of entry the crawl feeds from the frontier as it goes (start URLs and sitemap
# pages, possibly hundreds of thousands); links and further comment pages are requested
# by the page that found them.
FED_KINDS = ("seed", "sitemap")


def last_rowid(db: Database) -> int:
    row = db.execute("SELECT max(rowid) FROM frontier").fetchone()
    return int(row[0] or 0)


def pending_batch(
    db: Database, generation: int, after: int, resumed_up_to: int, limit: int
) -> list[tuple[int, FrontierEntry]]:
    """The next ``limit`` pending entries to request, in discovery order, after row id
    ``after``: start URLs and sitemap pages, and every kind up to ``resumed_up_to``
    (what an interrupted run left pending)."""
    rows = db.execute(
        "SELECT rowid, url, kind, depth, parent_url FROM frontier "
        "WHERE generation = ? AND state = 'pending' AND rowid > ? "
        f"AND (kind IN ({', '.join('?' * len(FED_KINDS))}) OR rowid <= ?) "
        "ORDER BY rowid LIMIT ?",
        [generation, after, *FED_KINDS, resumed_up_to, limit],
    ).fetchall()
    return [
        (rowid, FrontierEntry(url, kind, int(depth or 0), parent))
        for rowid, url, kind, depth, parent in rows
    ]


def pending_among(db: Database | sqlite3.Connection, urls: list[str], generation: int) -> set[str]:
    """Which of ``urls`` are pending in ``generation``."""
    return _in_state(db, urls, generation, "pending")


def done_among(db: Database | sqlite3.Connection, urls: list[str], generation: int) -> set[str]:
    """Which of ``urls`` are done in ``generation``."""
    return _in_state(db, urls, generation, "done")


def _in_state(
    db: Database | sqlite3.Connection, urls: list[str], generation: int, state: str
) -> set[str]:
    """Which of ``urls`` are in ``state`` in ``generation``.

    Looked up by URL (the primary key) in chunks, state and generation compared here:
    with them in the WHERE clause SQLite chose the (generation, state) index and read
    every pending URL for every chunk, so a 200,000-URL sitemap took 22 s and a
    600,000-URL one minutes before the first request (issue 17).
    """
    found: set[str] = set()
    ordered = sorted(set(urls))
    for start in range(0, len(ordered), MAX_BOUND_VARIABLES):
        chunk = ordered[start : start + MAX_BOUND_VARIABLES]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT url, state, generation FROM frontier WHERE url IN ({marks})", chunk
        )
        found.update(url for url, known, gen in rows if known == state and gen == generation)
    return found


def mark_done(
    db: Database, entries: list[tuple[FrontierEntry, str]], generation: int, done_at: str
) -> None:
    """Mark ``(entry, outcome)`` pairs done in ``generation``, adding the entries not
    queued (a redirect's target; a link beyond ``DEPTH_LIMIT`` when its page handed it
    on, requested when the page turned out to be fewer steps away)."""
    db.conn.executemany(
        """
        INSERT INTO frontier
            (url, generation, state, kind, depth, parent_url, discovered_at, done_at, outcome)
        VALUES (?, ?, 'done', ?, ?, ?, ?, ?, ?)
        ON CONFLICT(url) DO UPDATE SET
            generation = excluded.generation, state = 'done',
            done_at = excluded.done_at, outcome = excluded.outcome
        """,
        [
            (e.url, generation, e.kind, e.depth, e.parent_url, done_at, done_at, outcome)
            for e, outcome in entries
        ],
    )


def drop(db: Database, urls: list[str], generation: int, done_at: str, outcome: str) -> None:
    """Close pending ``urls`` of ``generation`` that cannot be fetched (an unusable URL
    stored by an older version): they must not make every later run a resume."""
    db.conn.executemany(
        "UPDATE frontier SET state = 'done', done_at = ?, outcome = ? "
        "WHERE url = ? AND generation = ? AND state = 'pending'",
        [(done_at, outcome, url, generation) for url in urls],
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
