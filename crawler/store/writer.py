"""Write a batch of pages, with everything found on them, in one transaction.

Per batch: the pages rows, their titles, facts, credits and comments, the links they
hand on, the frontier entries that mark their URLs done, then film resolution and
comment duplicate links for what the batch touched. Either all of it commits or none
of it does, so a crash between batches loses only work that the resumed run redoes.

Re-crawls never duplicate: every record has a content-addressed key; a record seen
again moves ``last_seen``. Records a page no longer shows are kept (``current = 0`` for
facts, credits and titles; comments simply keep their last ``last_seen``), so nothing
stored is ever lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from crawler.normalize.keys import content_key, site_of, stable_id
from crawler.normalize.people import person_key
from crawler.normalize.titles import title_key
from crawler.store import frontier
from crawler.store.database import select_in
from crawler.store.film_clusters import FilmClaim
from crawler.store.film_resolution import film_claim, resolve_after_write, tier_of
from schemas.records import PageRecord

__all__ = ["BatchCounts", "write_batch"]

CONTENT_STATUSES = frozenset({"ok"})
REVISIT_STATUSES = frozenset({"not_modified", "unchanged"})


@dataclass
class BatchCounts:
    pages_attempted: int = 0
    pages_fetched: int = 0  # got an HTTP response
    pages_new: int = 0
    pages_changed: int = 0
    pages_unchanged: int = 0
    pages_not_modified: int = 0
    pages_failed: int = 0
    facts_new: int = 0
    credits_new: int = 0
    titles_new: int = 0
    comments_new: int = 0
    comments_seen_again: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def add(self, other: BatchCounts) -> None:
        for name, value in vars(other).items():
            if name == "failures":
                for reason, n in value.items():
                    self.failures[reason] = self.failures.get(reason, 0) + n
            else:
                setattr(self, name, getattr(self, name) + value)

    def as_stats(self) -> dict[str, int]:
        stats = {
            f"filmcrawl/store/{name}": value
            for name, value in vars(self).items()
            if name != "failures" and value
        }
        for reason, n in self.failures.items():
            stats[f"filmcrawl/pages/failed/{reason}"] = n
        return stats


def write_batch(
    db: Database,
    items: Iterable[PageRecord],
    generation: int,
    *,
    max_depth: int = 0,
    run_id: int | None = None,
) -> BatchCounts:
    """Write ``items`` in one transaction; return what changed.

    ``max_depth`` (``DEPTH_LIMIT``, 0: none): followed links deeper than this are stored
    with their page but not queued in the frontier. ``run_id``: the run writing (its
    pages say so; film ids it gives out stay provisional until it ends)."""
    counts = BatchCounts()
    touched_pages: list[str] = []
    # Claims the resolve pipeline computed from the records (the rest are read back).
    claims: dict[str, FilmClaim | None] = {}
    with db.atomic():
        for item in items:
            counts.pages_attempted += 1
            if item.http_status is not None:
                counts.pages_fetched += 1
            if item.status in CONTENT_STATUSES:
                _write_content_page(db, item, counts, run_id)
                touched_pages.append(item.url)
                if item.film_claim is not None:
                    claims[item.url] = film_claim(item.url, item.film_claim)
            elif item.status in REVISIT_STATUSES:
                _write_revisit(db, item, counts, run_id)
            else:
                _write_failure(db, item, counts, run_id)
            _write_links(db, item, generation, max_depth)
            # What the page's request was, for a URL the frontier did not hold: a
            # request with no page before it was a start URL.
            kind = "seed" if item.parent_url is None else "follow"
            done = [
                (frontier.FrontierEntry(url, kind, item.depth, item.parent_url), item.status)
                for url in dict.fromkeys((item.requested_url or item.url, item.url))
            ]
            frontier.mark_done(db, done, generation, item.fetched_at)
        if touched_pages:
            resolve_after_write(
                db,
                touched_pages,
                claims,
                owner=f"run {run_id}" if run_id is not None else None,
            )
    return counts


def _existing_page(db: Database, url: str) -> dict[str, Any] | None:
    rows = list(
        db.query("SELECT content_hash, first_seen, last_changed FROM pages WHERE url = ?", [url])
    )
    return rows[0] if rows else None


def _write_content_page(
    db: Database, item: PageRecord, counts: BatchCounts, run_id: int | None
) -> None:
    ts = item.fetched_at
    existing = _existing_page(db, item.url)
    if existing is None or existing["content_hash"] is None:
        counts.pages_new += 1
        last_changed = ts
    elif existing["content_hash"] != item.content_hash:
        counts.pages_changed += 1
        last_changed = ts
    else:
        # Same body bytes but extraction ran anyway (e.g. a forced re-extract).
        counts.pages_unchanged += 1
        last_changed = existing["last_changed"] or ts
    row = _page_row(item, run_id)
    row.update(
        first_seen=existing["first_seen"] if existing else ts,
        last_fetched=ts,
        last_changed=last_changed,
    )
    _upsert(db, "pages", row, "url")

    url = item.url
    for table in ("facts", "credits", "film_titles"):
        db.execute(f"UPDATE {table} SET current = 0 WHERE source_url = ?", [url])

    counts.titles_new += _merge_records(
        db,
        "film_titles",
        [
            {
                "id": stable_id(url, title.kind, title.title),
                "title": title.title,
                "kind": title.kind,
                "title_key": _title_key(title.title),
                "source_url": url,
                "extractor": title.extractor,
            }
            for title in item.titles
        ],
        ts,
    )
    counts.facts_new += _merge_records(
        db,
        "facts",
        [
            {
                "id": stable_id(url, fact.field, fact.value),
                "field": fact.field,
                "value": fact.value,
                "raw": fact.raw,
                "match_key": _fact_match_key(fact.field, fact.value or ""),
                "source_url": url,
                "extractor": fact.extractor,
                "tier": tier_of(fact.extractor),
            }
            for fact in item.facts
            if fact.value is not None
        ],
        ts,
    )
    counts.credits_new += _merge_records(
        db,
        "credits",
        [
            {
                "id": stable_id(url, credit.role, credit.person_key, credit.character),
                "person": credit.person,
                "person_key": credit.person_key,
                "role": credit.role,
                "character": credit.character,
                "raw": credit.raw,
                "source_url": url,
                "extractor": credit.extractor,
            }
            for credit in item.credits
        ],
        ts,
    )
    new_comments, seen_again = _merge_comments(db, item)
    counts.comments_new += new_comments
    counts.comments_seen_again += seen_again


def _write_revisit(db: Database, item: PageRecord, counts: BatchCounts, run_id: int | None) -> None:
    """304 or an identical body: only the fetch bookkeeping moves."""
    if item.status == "not_modified":
        counts.pages_not_modified += 1
    else:
        counts.pages_unchanged += 1
    updated = db.execute(
        "UPDATE pages SET last_fetched = ?, http_status = ?, status = ?, status_reason = ?, "
        "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
        "last_run_id = ?, fetch_ms = ?, extract_ms = ? WHERE url = ?",
        [
            item.fetched_at,
            item.http_status,
            item.status,
            item.status_reason,
            item.etag,
            item.last_modified,
            run_id,
            item.fetch_ms,
            item.extract_ms,
            item.url,
        ],
    )
    if updated.rowcount == 0:
        # A revisit of a page we have no row for (a resumed run whose earlier batch
        # never committed cannot produce this, but a hand-edited database could).
        _write_failure(db, item, counts, run_id)


def _write_failure(db: Database, item: PageRecord, counts: BatchCounts, run_id: int | None) -> None:
    """A page that gave nothing new keeps whatever an earlier fetch stored."""
    if item.status not in REVISIT_STATUSES:
        counts.pages_failed += 1
        counts.failures[item.status] = counts.failures.get(item.status, 0) + 1
    existing = _existing_page(db, item.url)
    if existing is None:
        row = _page_row(item, run_id)
        row.update(first_seen=item.fetched_at, last_fetched=item.fetched_at)
        _upsert(db, "pages", row, "url")
        return
    db.execute(
        "UPDATE pages SET last_fetched = ?, http_status = ?, status = ?, status_reason = ?, "
        "last_run_id = ?, fetch_ms = ?, extract_ms = ? WHERE url = ?",
        [
            item.fetched_at,
            item.http_status,
            item.status,
            item.status_reason,
            run_id,
            item.fetch_ms,
            item.extract_ms,
            item.url,
        ],
    )


def _write_links(db: Database, item: PageRecord, generation: int, max_depth: int = 0) -> None:
    links = item.handed_on()
    if item.status in CONTENT_STATUSES:
        db.execute("DELETE FROM page_links WHERE page_url = ?", [item.url])
    if not links:
        return
    db.conn.executemany(
        "INSERT OR REPLACE INTO page_links (page_url, link_url, kind) VALUES (?, ?, ?)",
        [(item.url, url, kind) for url, kind in links],
    )
    frontier.add(
        db,
        [
            frontier.FrontierEntry(
                url,
                kind,
                frontier.link_depth(item.depth, kind),
                item.url,
            )
            for url, kind in links
            if kind == "comments" or not max_depth or item.depth + 1 <= max_depth
        ],
        generation,
        item.fetched_at,
    )


def _page_row(item: PageRecord, run_id: int | None) -> dict[str, Any]:
    return {
        "url": item.url,
        "requested_url": item.requested_url or item.url,
        "canonical_url": item.canonical_url,
        "site": item.site or site_of(item.url),
        "extractor": item.extractor,
        "title": item.title,
        "kind": item.kind,
        "clean_text": item.clean_text,
        "lang": item.lang,
        "lang_confidence": item.lang_confidence,
        "content_hash": item.content_hash,
        "content_length": item.content_length,
        "content_type": item.content_type,
        "encoding": item.encoding,
        "encoding_source": item.encoding_source,
        "replacement_ratio": item.replacement_ratio,
        "http_status": item.http_status,
        "etag": item.etag,
        "last_modified": item.last_modified,
        "status": item.status,
        "status_reason": item.status_reason,
        "parent_url": item.parent_url,
        "depth": item.depth,
        "last_run_id": run_id,
        "fetch_ms": item.fetch_ms,
        "extract_ms": item.extract_ms,
    }


def _upsert(db: Database, table: str, row: dict[str, Any], pk: str) -> None:
    columns = list(row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != pk)
    db.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT({pk}) DO UPDATE SET {updates}",
        list(row.values()),
    )


def _merge_records(db: Database, table: str, rows: list[dict[str, Any]], ts: str) -> int:
    """Insert new records, move ``last_seen`` on known ones; return how many were new.

    A plain upsert would overwrite ``first_seen``; the conflict clause keeps it.
    """
    unique: dict[str, dict[str, Any]] = {}
    for row in rows:
        unique.setdefault(row["id"], row)
    if not unique:
        return 0
    ids = list(unique)
    known = _known_ids(db, table, ids)
    columns = [*next(iter(unique.values())), "first_seen", "last_seen", "current"]
    updates = ", ".join(
        f"{c} = excluded.{c}" for c in columns if c not in ("id", "first_seen", "film_id")
    )
    db.conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}",
        [[*row.values(), ts, ts, 1] for row in unique.values()],
    )
    return len(set(ids) - known)


def _merge_comments(db: Database, item: PageRecord) -> tuple[int, int]:
    ts = item.fetched_at
    rows = []
    seen: set[str] = set()
    for comment in item.comments:
        if comment.id is None or comment.id in seen:
            continue
        seen.add(comment.id)
        rows.append(
            (
                comment.id,
                item.url,
                comment.author,
                comment.text,
                comment.published,
                comment.parent_id,
                comment.kind,
                comment.lang,
                comment.lang_confidence,
                comment.content_key or content_key(comment.author, comment.text),
                comment.simhash,
                comment.position,
                int(comment.truncated),
                comment.extractor,
                ts,
                ts,
            )
        )
    if not rows:
        return 0, 0
    known = _known_ids(db, "comments", [row[0] for row in rows])
    db.conn.executemany(
        """
        INSERT INTO comments (id, page_url, author, text, published, parent_id, kind, lang,
            lang_confidence, content_key, simhash, position, truncated, extractor,
            first_seen, last_seen)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            last_seen = excluded.last_seen, position = excluded.position,
            published = coalesce(excluded.published, comments.published),
            parent_id = coalesce(excluded.parent_id, comments.parent_id),
            lang = excluded.lang, lang_confidence = excluded.lang_confidence
        """,
        rows,
    )
    return len(rows) - len(known), len(known)


def _known_ids(db: Database, table: str, ids: list[str]) -> set[str]:
    return select_in(db, f"SELECT id FROM {table} WHERE id", ids)


def _title_key(title: str) -> str:
    return title_key(title)


def _fact_match_key(field_name: str, value: str) -> str:
    """Spelling variants of one title are one value; everything else compares as is."""
    if field_name in ("title", "alt_title"):
        return _title_key(value)
    if field_name in ("director", "writer"):
        return person_key(value)
    return value
