"""Spools for merge tests: small crawl databases written through the real batch writer,
and canonical dumps to compare databases by their row contents."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crawler.normalize.people import person_key
from crawler.process.fingerprint import fingerprint_page
from crawler.store import runs
from crawler.store.database import open_database
from crawler.store.writer import write_batch
from schemas.records import CommentRecord, CreditRecord, FactRecord, PageRecord, TitleRecord

# Tables whose content a merge must reproduce exactly as a single crawl writes it.
CONTENT_TABLES = (
    "pages",
    "films",
    "film_titles",
    "facts",
    "credits",
    "comments",
    "page_links",
    "film_claims",
    "film_claim_keys",
)


@dataclass
class Film:
    """One film page: the records a crawl would extract from it."""

    url: str
    title: str
    year: int | None = 2013
    director: str | None = "Lee Hwan-kyung"
    facts: Sequence[tuple[str, str]] = ()
    comments: Sequence[tuple[str, str]] = ()  # (author, text)
    links: Sequence[str] = ()
    status: str = "ok"
    content: str = "v1"
    extra: dict[str, object] = field(default_factory=dict)

    def item(self, fetched_at: str) -> PageRecord:
        if self.status != "ok":
            return PageRecord(
                url=self.url,
                requested_url=self.url,
                status=self.status,
                status_reason=self.status,
                http_status=503 if self.status == "http_error" else None,
                fetched_at=fetched_at,
            )
        facts = [("title", self.title), *self.facts]
        if self.year is not None:
            facts.append(("year", str(self.year)))
        item = PageRecord(
            url=self.url,
            requested_url=self.url,
            http_status=200,
            content_hash=f"{self.url}|{self.content}",
            fetched_at=fetched_at,
            title=self.title,
            clean_text=f"{self.title}: {self.content}",
            titles=[TitleRecord(self.title, "primary", "test")],
            facts=[FactRecord(name, value, value, "test") for name, value in facts],
            credits=(
                [CreditRecord(self.director, "director", None, self.director, "", "test")]
                if self.director
                else []
            ),
            comments=[
                CommentRecord(text=text, author=author, position=i)
                for i, (author, text) in enumerate(self.comments)
            ],
            links=list(self.links),
        )
        for credit in item.credits:
            credit.person_key = person_key(credit.person)
        return fingerprint_page(item)


def crawl_into(path: Path, *runs_of_pages: Iterable[tuple[Film, str]]) -> Path:
    """Write each run's ``(film, fetched_at)`` pages into the database at ``path``, as
    crawl runs (recorded in ``crawl_runs``) one after the other."""
    db = open_database(path)
    try:
        for pages in runs_of_pages:
            batch = [film.item(fetched_at) for film, fetched_at in pages]
            started = min(item.fetched_at for item in batch)
            with db.atomic():
                run_id = runs.begin_run(db, started, 1, False, {})
            counts = write_batch(db, batch, generation=1)
            with db.atomic():
                runs.finish_run(
                    db,
                    run_id,
                    finished_at=max(item.fetched_at for item in batch),
                    status="finished",
                    exit_code=0,
                    reason="test",
                    counts={"pages_fetched": counts.pages_fetched},
                    stats={},
                )
    finally:
        db.close()
    return path


def write_single(path: Path, pages: Iterable[tuple[Film, str]]) -> Path:
    """What one crawl of all pages stores: one batch per page, in the given order."""
    db = open_database(path)
    try:
        for film, fetched_at in pages:
            write_batch(db, [film.item(fetched_at)], generation=1)
    finally:
        db.close()
    return path


def canonical_dump(path: Path, tables: Iterable[str] | None = None) -> str:
    """Every row of ``tables`` (default: every table but SQLite's and the full-text
    indexes' own), sorted, as JSON lines: equal dumps mean equal row contents."""
    connection = sqlite3.connect(path)
    try:
        if tables is None:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name"
                )
            ]
        lines = []
        for table in tables:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            rows = sorted(json.dumps(dict(zip(names, row, strict=True))) for row in cursor)
            lines.append(f"# {table}")
            lines.extend(rows)
        return "\n".join(lines)
    finally:
        connection.close()
