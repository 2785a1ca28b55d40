"""What "the next run resumes exactly" means, checked on a database that was crawled
in several interrupted runs against one crawled in a single run of the same site."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database


def assert_resumed_exactly(db: Path, reference_db: Path, pages: int) -> None:
    """Every page stored once, nothing pending, the same records as the reference,
    no comment doubled, the last run finished and an earlier one interrupted."""
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    database = Database(db)
    reference = Database(reference_db)
    urls = [row["url"] for row in database.query("SELECT url FROM pages")]
    assert len(urls) == len(set(urls)) == pages, what_differs(database, reference)
    assert database.execute("SELECT count(*) FROM frontier WHERE state = 'pending'").fetchone() == (
        0,
    )
    for table in ("facts", "credits", "comments", "film_titles"):
        assert database[table].count == reference[table].count, table
    duplicated = database.execute(
        "SELECT count(*) FROM (SELECT page_url, author, text FROM comments "
        "GROUP BY 1, 2, 3 HAVING count(*) > 1)"
    ).fetchone()[0]
    assert duplicated == 0
    runs = [row["status"] for row in database.query("SELECT status FROM crawl_runs ORDER BY id")]
    assert runs[-1] == "finished"
    assert "interrupted" in runs
    assert any(row["resumed"] for row in database.query("SELECT resumed FROM crawl_runs"))


def what_differs(database: Database, reference: Database) -> str:
    """For a failed comparison: the pages missing or extra against the reference, with
    what the frontier says of them, and the runs (status, resumed, generation, reason)."""
    urls = {row["url"] for row in database.query("SELECT url FROM pages")}
    expected = {row["url"] for row in reference.query("SELECT url FROM pages")}
    lines = [f"{len(urls)} pages stored, {len(expected)} in the reference"]
    for label, differing in (("missing", expected - urls), ("extra", urls - expected)):
        for url in sorted(differing)[:10]:
            entries = list(
                database.query(
                    "SELECT generation, state, kind, outcome, parent_url FROM frontier "
                    "WHERE url = ?",
                    [url],
                )
            )
            lines.append(f"{label}: {url} frontier={entries}")
    lines += [
        f"run {row}"
        for row in database.query(
            "SELECT id, status, resumed, generation, reason FROM crawl_runs ORDER BY id"
        )
    ]
    return "\n".join(lines)
