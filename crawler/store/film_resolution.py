"""Keep films, film ids and comment duplicate links right after every write.

Runs inside the writer's transaction. Only the *block* of what was touched is
recomputed: the pages connected to the written pages through shared title keys.
Clustering (:mod:`crawler.store.film_clusters`) depends only on the block's claims, so the result
is the same whatever order the pages arrived in, and the same as resolving everything
at once (``resolve_all``, used by ``filmcrawl merge``).

Film ids are stable: every write belongs to an *operation* (``run 7`` for a crawl run,
``merge 3`` for a ``filmcrawl merge``), recorded in ``films.given_by`` when an id is
first given out. Within its operation an id is still provisional, so the pages of one
crawl give the same ids in whatever order and batches they arrive; once the operation
has ended the id is fixed: later pages join the film without renaming it, and when two
films merge, the id that loses becomes a row of ``film_aliases``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from crawler.normalize.people import person_key
from crawler.normalize.titles import title_key
from crawler.store.database import MAX_BOUND_VARIABLES, select_in, utc_now
from crawler.store.film_clusters import (
    FilmClaim,
    assign_ids,
    cluster_claims,
    consensus_kind,
    consensus_title,
    consensus_year,
    source_count,
)
from schemas.records import SINGLE_VALUED_FIELDS, FilmClaimRecord, PageRecord

# Hamming distance between 64-bit simhashes under which two comments are near-copies.
NEAR_DUPLICATE_BITS = 3


def resolve_after_write(
    db: Database,
    page_urls: list[str],
    claims: dict[str, FilmClaim | None] | None = None,
    owner: str | None = None,
) -> None:
    """Refresh claims of ``page_urls`` and re-resolve the films and comments they touch.

    ``claims`` are the claims of pages whose records were just written, computed from
    the records (:func:`claim_for_record`, the same as reading them back); the others
    are read from the database. Which page a page mirrors is the database's to say.
    ``owner``: the operation writing (``run 7``); ids it gave out may still change.
    """
    known = claims or {}
    page_urls = mark_mirrors(db, page_urls)
    for url in page_urls:
        claim = known[url] if url in known else claim_for_page(db, url)
        if claim is not None and url in known:
            claim = replace(claim, mirror_of=_mirror_of(db, url))
        _store_claim(db, url, claim)
    block = _block_of(db, page_urls)
    films = _resolve_block(db, block, page_urls, owner)
    link_duplicate_comments(db, page_urls, films)


def resolve_all(db: Database, owner: str | None = None) -> None:
    """Re-resolve every film (to repair a database); ids given out stay."""
    urls = [row[0] for row in db.execute("SELECT url FROM pages WHERE status = 'ok'")]
    mark_mirrors(db, urls)
    for url in urls:
        _store_claim(db, url, claim_for_page(db, url))
    claimed = [row[0] for row in db.execute("SELECT page_url FROM film_claims ORDER BY 1")]
    films = _resolve_block(db, set(claimed), urls, owner)
    link_duplicate_comments(db, urls, films)


def resolve_pages(db: Database, page_urls: list[str], owner: str | None = None) -> set[str]:
    """Refresh the claims of ``page_urls`` and re-resolve every block they belong to,
    one block at a time (what ``filmcrawl merge`` does for the pages it took).

    Clustering never joins pages of different blocks, so this gives the films
    ``resolve_all`` gives, at the cost of the touched blocks only. Returns the pages of
    the resolved blocks.
    """
    page_urls = mark_mirrors(db, page_urls)
    for url in page_urls:
        _store_claim(db, url, claim_for_page(db, url))
    remaining = set(page_urls)
    resolved: set[str] = set()
    films: set[str] = set()
    while remaining:
        block = _block_of(db, [min(remaining)])
        films |= _resolve_block(db, block, sorted(remaining & block), owner)
        remaining -= block
        resolved |= block
    link_duplicate_comments(db, sorted(resolved), films)
    return resolved


# --- mirrors --------------------------------------------------------------------------


def mark_mirrors(db: Database, page_urls: list[str]) -> list[str]:
    """Point every page that repeats another (the same declared canonical URL, or the
    same body) at the first URL of its group (``pages.mirror_of``); the first has none.

    Returns ``page_urls`` plus the pages whose mirror link changed with them, whose
    claims must be refreshed too.
    """
    touched = set(page_urls)
    touched |= _query_set(db, "SELECT url FROM pages WHERE mirror_of", set(page_urls))
    changed: set[str] = set()
    done: set[str] = set()
    for url in sorted(touched):
        if url in done:
            continue
        group = _mirror_group(db, url)
        done |= group
        first = min(group)
        for member in sorted(group):
            target = None if member == first or len(group) == 1 else first
            cursor = db.execute(
                "UPDATE pages SET mirror_of = ? WHERE url = ? AND mirror_of IS NOT ?",
                [target, member, target],
            )
            if cursor.rowcount:
                changed.add(member)
    return sorted(set(page_urls) | changed)


def _mirror_group(db: Database, url: str) -> set[str]:
    row = db.execute(
        "SELECT canonical_url, content_hash, status FROM pages WHERE url = ?", [url]
    ).fetchone()
    if row is None or row[2] != "ok":
        return {url}
    canonical, body = row[0] if _names_one_page(row[0]) else None, row[1]
    found = {
        r[0]
        for r in db.execute(
            "SELECT url FROM pages WHERE status = 'ok' AND "
            "((? IS NOT NULL AND canonical_url = ?) OR (? IS NOT NULL AND content_hash = ?))",
            [canonical, canonical, body, body],
        )
    }
    return found | {url}


def _names_one_page(canonical: str | None) -> bool:
    """A canonical URL naming a site's home page ("/") is a template default, not a
    statement that two pages are one."""
    return bool(canonical) and urlsplit(canonical or "").path.strip("/") != ""


# --- claims ---------------------------------------------------------------------------


def _store_claim(db: Database, url: str, claim: FilmClaim | None) -> None:
    db.execute("DELETE FROM film_claim_keys WHERE page_url = ?", [url])
    if claim is None:
        db.execute("DELETE FROM film_claims WHERE page_url = ?", [url])
        return
    db.execute(
        "INSERT OR REPLACE INTO film_claims "
        "(page_url, title_keys, titles, year, directors, countries, cast, tier, kind, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            url,
            json.dumps(sorted(claim.title_keys), ensure_ascii=False),
            json.dumps([list(t) for t in claim.titles], ensure_ascii=False),
            claim.year,
            json.dumps(sorted(claim.directors), ensure_ascii=False),
            json.dumps(sorted(claim.countries), ensure_ascii=False),
            json.dumps(sorted(claim.cast), ensure_ascii=False),
            claim.tier,
            claim.kind,
            claim.mirror_of,
        ],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO film_claim_keys (title_key, page_url) VALUES (?, ?)",
        [(key, url) for key in sorted(claim.title_keys)],
    )


def claim_for_page(db: Database, url: str) -> FilmClaim | None:
    """What the stored, current records of one page say about its film."""
    titles = [
        (row["kind"], row["title"], row["title_key"], row["extractor"])
        for row in db.query(
            "SELECT kind, title, title_key, extractor FROM film_titles "
            "WHERE source_url = ? AND current = 1 ORDER BY kind, title",
            [url],
        )
    ]
    keys = frozenset(key for _, _, key, _ in titles if key)
    if not keys:
        return None
    facts = list(
        db.query(
            "SELECT field, value, tier FROM facts WHERE source_url = ? AND current = 1 "
            "AND field IN ('year', 'release_date', 'country', 'director')",
            [url],
        )
    )
    years = Counter(
        int(row["value"][:4])
        for row in facts
        if row["field"] in ("year", "release_date") and row["value"][:4].isdigit()
    )
    year = min(years, key=lambda y: (-years[y], y)) if years else None
    people = list(
        db.query(
            "SELECT role, person_key FROM credits WHERE source_url = ? AND current = 1",
            [url],
        )
    )
    directors = {row["person_key"] for row in people if row["role"] == "director"}
    directors |= {person_key(row["value"]) for row in facts if row["field"] == "director"}
    tiers = [row["tier"] for row in facts if row["tier"] is not None]
    page = db.execute("SELECT kind, mirror_of FROM pages WHERE url = ?", [url]).fetchone()
    return FilmClaim(
        page_url=url,
        titles=tuple((kind, title) for kind, title, _, _ in titles),
        title_keys=keys,
        year=year,
        directors=frozenset(d for d in directors if d),
        countries=frozenset(row["value"] for row in facts if row["field"] == "country"),
        cast=frozenset(row["person_key"] for row in people if row["role"] == "cast"),
        tier=min(tiers) if tiers else 99,
        kind=page[0] if page else None,
        mirror_of=page[1] if page else None,
    )


CLAIM_FACT_FIELDS = ("year", "release_date", "country", "director")


def claim_for_record(item: PageRecord) -> FilmClaimRecord | None:
    """What a page record says about its film: the claim :func:`claim_for_page` reads
    back from the rows the writer stores for it, computed before the write.

    Mirrors the writer: facts without a value are not stored, and records with the same
    key are stored once (the first one).
    """
    titles = sorted({(title.kind, title.title) for title in item.titles})
    keys = {title_key(title) for _, title in titles} - {""}
    if not keys:
        return None
    facts: dict[tuple[str, str], str] = {}
    for fact in item.facts:
        if fact.value is not None and fact.field in CLAIM_FACT_FIELDS:
            facts.setdefault((fact.field, fact.value), fact.extractor)
    years = Counter(
        int(value[:4])
        for field, value in facts
        if field in ("year", "release_date") and value[:4].isdigit()
    )
    directors = {c.person_key for c in item.credits if c.role == "director"}
    directors |= {person_key(value) for field, value in facts if field == "director"}
    tiers = [tier_of(extractor) for extractor in facts.values()]
    return FilmClaimRecord(
        title_keys=sorted(keys),
        titles=[list(title) for title in titles],
        year=min(years, key=lambda y: (-years[y], y)) if years else None,
        directors=sorted(d for d in directors if d),
        countries=sorted({value for field, value in facts if field == "country"}),
        cast=sorted({c.person_key for c in item.credits if c.role == "cast"}),
        tier=min(tiers) if tiers else 99,
        kind=item.kind,
    )


def film_claim(url: str, record: FilmClaimRecord | None) -> FilmClaim | None:
    """The clustering's form of a page's claim record."""
    if record is None:
        return None
    return FilmClaim(
        page_url=url,
        titles=tuple((kind, title) for kind, title in record.titles),
        title_keys=frozenset(record.title_keys),
        year=record.year,
        directors=frozenset(record.directors),
        countries=frozenset(record.countries),
        cast=frozenset(record.cast),
        tier=record.tier,
        kind=record.kind,
    )


def _mirror_of(db: Database, url: str) -> str | None:
    row = db.execute("SELECT mirror_of FROM pages WHERE url = ?", [url]).fetchone()
    return row[0] if row else None


def tier_of(extractor_name: str) -> int:
    """The evidence tier of an extractor (99 for one no longer known)."""
    return _tiers().get(extractor_name, 99)


# The tiers as a crawl's workers reported them (use_extractor_tiers): they are a
# property of the code, the same wherever they are read.
_reported_tiers: dict[str, int] | None = None


def use_extractor_tiers(tiers: dict[str, int]) -> None:
    """Take the extractors' tiers from where the extractors are loaded (a crawl's
    worker, :func:`crawler.process.tiers.extractor_tiers`) instead of loading them here."""
    global _reported_tiers  # noqa: PLW0603 (a cache of a property of the code)
    _reported_tiers = dict(tiers)


def tiers_known() -> bool:
    """Whether :func:`tier_of` answers without loading the extractor registry."""
    return _reported_tiers is not None or _loaded_tiers.cache_info().currsize > 0


def _tiers() -> dict[str, int]:
    return _reported_tiers if _reported_tiers is not None else _loaded_tiers()


@cache
def _loaded_tiers() -> dict[str, int]:
    # Asked for every fact of every page, on the crawler's reactor thread. The registry
    # imports every extractor family and what they use (extruct, rdflib, bs4 among
    # them: some 0.8 s of CPU and 40 MB): a crawl with workers has its tiers from them
    # (use_extractor_tiers); the others load it on the first fact stored, so that a
    # crawl that stores none (a re-crawl answered 304) and the commands that only read
    # the database never load the extraction stack.
    from crawler.process.tiers import extractor_tiers  # noqa: PLC0415

    return extractor_tiers()


def _load_claims(db: Database, urls: Iterable[str]) -> list[FilmClaim]:
    claims = []
    for url in sorted(set(urls)):
        rows = list(db.query("SELECT * FROM film_claims WHERE page_url = ?", [url]))
        if not rows:
            continue
        row = rows[0]
        claims.append(
            FilmClaim(
                page_url=url,
                titles=tuple(tuple(t) for t in json.loads(row["titles"])),
                title_keys=frozenset(json.loads(row["title_keys"])),
                year=row["year"],
                directors=frozenset(json.loads(row["directors"])),
                countries=frozenset(json.loads(row["countries"])),
                cast=frozenset(json.loads(row["cast"])),
                tier=row["tier"],
                kind=row["kind"],
                mirror_of=row["source"],
            )
        )
    return claims


def _block_of(db: Database, page_urls: list[str]) -> set[str]:
    """Pages connected to ``page_urls`` through shared title keys (transitively)."""
    pages = set(page_urls)
    frontier = set(page_urls)
    seen_keys: set[str] = set()
    while frontier:
        keys = _query_set(db, "SELECT title_key FROM film_claim_keys WHERE page_url", frontier)
        keys -= seen_keys
        if not keys:
            break
        seen_keys |= keys
        found = _query_set(db, "SELECT page_url FROM film_claim_keys WHERE title_key", keys)
        frontier = found - pages
        pages |= found
    return pages


def _query_set(db: Database, prefix: str, values: set[str]) -> set[str]:
    return select_in(db, prefix, values)


def _query_pairs(db: Database, prefix: str, values: set[str]) -> list[tuple[Any, Any]]:
    """The first two columns of ``{prefix} IN (values)``, asked in chunks."""
    ordered = sorted(values)
    pairs: list[tuple[Any, Any]] = []
    for start in range(0, len(ordered), MAX_BOUND_VARIABLES):
        chunk = ordered[start : start + MAX_BOUND_VARIABLES]
        sql = f"{prefix} IN ({', '.join('?' for _ in chunk)})"
        pairs += [(row[0], row[1]) for row in db.execute(sql, chunk)]
    return pairs


# --- films ----------------------------------------------------------------------------


def _resolve_block(
    db: Database, block: set[str], written: list[str], owner: str | None
) -> set[str]:
    """Resolve the films of ``block``; return the ids of every film whose pages may have
    changed (before and after), whose comments' near-copies must be looked at again."""
    claims = _load_claims(db, block)
    claimed = {claim.page_url for claim in claims}
    previous = dict(
        _query_pairs(db, "SELECT url, film_id FROM pages WHERE film_id IS NOT NULL AND url", block)
    )
    given_by = dict(
        _query_pairs(db, "SELECT id, given_by FROM films WHERE id", set(previous.values()))
    )
    fixed = {film_id for film_id, by in given_by.items() if by != owner}
    old_ids = set(previous.values())

    def taken(film_id: str) -> bool:
        """Whether ``film_id`` names a film outside this block or an alias of one."""
        if film_id in old_ids:
            return False
        if db.execute("SELECT 1 FROM films WHERE id = ?", [film_id]).fetchone():
            return True
        target = db.execute(
            "SELECT film_id FROM film_aliases WHERE alias = ?", [film_id]
        ).fetchone()
        # An alias of a film of this block may name a film of it again (a split after
        # a merge gives the film its old id back).
        return target is not None and target[0] not in old_ids

    films, successors = assign_ids(
        cluster_claims(claims),
        {url: film_id for url, film_id in previous.items() if url in claimed},
        fixed,
        taken,
    )
    assignment = {url: film.id for film in films for url in film.page_urls}
    for url in block | set(written):
        if url not in assignment:
            # A further comment page continues its parent's film; any other page
            # without a claim (its titles vanished) loses its film.
            assignment[url] = _parent_film(db, url, assignment)

    for url, film_id in sorted(assignment.items()):
        _assign_page(db, url, film_id or None)
    for film in films:
        _write_film(db, film.id, film.claims, owner)
        db.execute("DELETE FROM film_aliases WHERE alias = ?", [film.id])
    current = {film.id for film in films}
    for old in sorted(old_ids - current):
        successor = successors.get(old)
        if successor is not None:
            # Names that pointed at the old id follow the film.
            db.execute("UPDATE film_aliases SET film_id = ? WHERE film_id = ?", [successor, old])
            if old in fixed:
                db.execute(
                    "INSERT OR REPLACE INTO film_aliases (alias, film_id, created_at) "
                    "VALUES (?, ?, ?)",
                    [old, successor, utc_now()],
                )
        # Films no page points at any more are gone (their facts stay, under the new id).
        if not db.execute("SELECT 1 FROM pages WHERE film_id = ? LIMIT 1", [old]).fetchone():
            db.execute("DELETE FROM film_aliases WHERE film_id = ?", [old])
            db.execute("DELETE FROM films WHERE id = ?", [old])
    return old_ids | {film_id for film_id in assignment.values() if film_id}


# A page continues its parent (is one of its further comment pages) when the parent
# links to it as such; looked up by page_links' primary key.
CONTINUES_ITS_PARENT = (
    "EXISTS (SELECT 1 FROM page_links WHERE page_links.page_url = pages.parent_url "
    "AND page_links.link_url IN (pages.url, pages.requested_url) "
    "AND page_links.kind = 'comments')"
)


def _parent_film(db: Database, url: str, assignment: dict[str, str]) -> str:
    """The film of the page ``url`` continues: the page that links to it as its
    further comments. A page that is merely linked from a film page (an about page, a
    404, another film's review without a claim) continues nothing and has no film."""
    row = db.execute(
        f"SELECT parent_url FROM pages WHERE url = ? AND {CONTINUES_ITS_PARENT}", [url]
    ).fetchone()
    parent = row[0] if row else None
    if not parent or parent == url:
        return ""
    if parent in assignment:
        return assignment[parent]
    found = db.execute("SELECT film_id FROM pages WHERE url = ?", [parent]).fetchone()
    return str(found[0]) if found and found[0] else ""


def _assign_page(db: Database, url: str, film_id: str | None) -> None:
    """Point a page, the pages continuing it (further comment pages) and every record
    they hold at ``film_id``."""
    urls = [url] + [
        row[0]
        for row in db.execute(
            "SELECT url FROM pages WHERE parent_url = ? AND url NOT IN "
            f"(SELECT page_url FROM film_claims) AND {CONTINUES_ITS_PARENT}",
            [url],
        )
    ]
    for page in urls:
        db.execute(
            "UPDATE pages SET film_id = ? WHERE url = ? AND film_id IS NOT ?",
            [film_id, page, film_id],
        )
        for table, column in (
            ("facts", "source_url"),
            ("credits", "source_url"),
            ("film_titles", "source_url"),
            ("comments", "page_url"),
        ):
            db.execute(
                f"UPDATE {table} SET film_id = ? WHERE {column} = ? AND film_id IS NOT ?",
                [film_id, page, film_id],
            )


def _write_film(db: Database, film_id: str, claims: list[FilmClaim], owner: str | None) -> None:
    first_seen = db.execute(
        "SELECT min(first_seen) FROM pages WHERE film_id = ?", [film_id]
    ).fetchone()[0]
    row: dict[str, Any] = {
        "id": film_id,
        "kind": consensus_kind(claims),
        "title": consensus_title(claims) or film_id,
        "year": consensus_year(claims),
        "source_count": source_count(claims),
        "first_seen": first_seen,
        "given_by": owner,
    }
    for name in SINGLE_VALUED_FIELDS:
        if name in ("title", "year"):
            continue
        value = consensus_value(db, film_id, name)
        if name in ("native_title", "release_date", "runtime_minutes", "content_rating"):
            row[name] = int(value) if name == "runtime_minutes" and value else value
    row["country"] = consensus_value(db, film_id, "country")
    row["director"] = _consensus_director(db, film_id)
    columns = list(row)
    # An upsert, not INSERT OR REPLACE: the id keeps the operation that gave it out.
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("id", "given_by"))
    db.execute(
        f"INSERT INTO films ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}",
        list(row.values()),
    )


def consensus_value(db: Database, film_id: str, field_name: str) -> str | None:
    """The value most sources state (a page and its mirrors are one source); ties go to
    the best evidence tier (structured data, then fact boxes, then prose), then to the
    smallest value, so the choice is stable."""
    rows = list(
        db.query(
            """
            SELECT match_key, min(value) AS value,
                   count(DISTINCT coalesce(p.mirror_of, f.source_url)) AS sources,
                   min(tier) AS tier
            FROM facts f LEFT JOIN pages p ON p.url = f.source_url
            WHERE f.film_id = ? AND field = ? AND current = 1
            GROUP BY match_key
            ORDER BY sources DESC, tier ASC, value ASC
            LIMIT 1
            """,
            [film_id, field_name],
        )
    )
    return rows[0]["value"] if rows else None


# The source a record's page belongs to: the page, or the page it mirrors.
_SOURCE = "coalesce((SELECT mirror_of FROM pages WHERE url = source_url), source_url)"


def _consensus_director(db: Database, film_id: str) -> str | None:
    """The director most sources name (credits and director facts alike), spelled the
    way most of them spell it; ties go to the best evidence tier, then the spelling.
    """
    tiers = _tiers()
    mentions: list[tuple[str, str, str, int]] = [
        (row["person_key"], row["person"], row["source_url"], tiers.get(row["extractor"], 99))
        for row in db.query(
            f"SELECT person_key, person, {_SOURCE} AS source_url, extractor FROM credits "
            "WHERE film_id = ? AND role = 'director' AND current = 1",
            [film_id],
        )
    ]
    mentions += [
        (row["match_key"], row["value"], row["source_url"], row["tier"] or 99)
        for row in db.query(
            f"SELECT match_key, value, {_SOURCE} AS source_url, tier FROM facts "
            "WHERE film_id = ? AND field = 'director' AND current = 1",
            [film_id],
        )
    ]
    if not mentions:
        return None

    def support(entries: list[tuple[str, str, str, int]]) -> tuple[int, int]:
        return -len({source for _, _, source, _ in entries}), min(t for *_, t in entries)

    by_person: dict[str, list[tuple[str, str, str, int]]] = {}
    for mention in mentions:
        by_person.setdefault(mention[0], []).append(mention)
    key = min(by_person, key=lambda k: (*support(by_person[k]), k))
    by_spelling: dict[str, list[tuple[str, str, str, int]]] = {}
    for mention in by_person[key]:
        by_spelling.setdefault(mention[1], []).append(mention)
    return min(by_spelling, key=lambda name: (*support(by_spelling[name]), name))


# --- comments -------------------------------------------------------------------------


def link_duplicate_comments(db: Database, page_urls: list[str], films: Iterable[str] = ()) -> None:
    """Point later copies of a comment at the first one, and flag near-copies.

    "First" is by publication date, then page URL, then position on the page: it does
    not depend on which page was crawled first, so the links are the same for any
    crawl order. Copies are kept, never deleted.

    Near-copies are flagged per film, among its comments that are not exact copies, so
    a film is looked at again whenever its comments may have changed: those of the
    written pages, ``films`` (whose pages resolution moved), and every film one of
    whose comments became, or stopped being, an exact copy. Flagging only the films of
    the written pages left links that depended on which pages had shared a write batch
    (issue 17: 22-34 of them differed between two crawls of one site).
    """
    keys = sorted(_query_set(db, "SELECT content_key FROM comments WHERE page_url", set(page_urls)))
    changed_films: set[str] = set(films)
    # Every copy of every key, read in chunks rather than one query per key (a page
    # has dozens of comments); ordered as the rule says (text sorts by code point, as
    # SQLite's binary collation of UTF-8 does).
    copies_of: dict[str, list[tuple[str, int | None, str, str, str | None, str | None]]] = {}
    for start in range(0, len(keys), MAX_BOUND_VARIABLES):
        chunk = keys[start : start + MAX_BOUND_VARIABLES]
        for key, published, page_url, position, comment_id, duplicate_of, film_id in db.execute(
            "SELECT content_key, coalesce(published, '9999'), page_url, position, id,"
            " duplicate_of, film_id FROM comments"
            f" WHERE content_key IN ({', '.join('?' for _ in chunk)})",
            chunk,
        ):
            copies_of.setdefault(key, []).append(
                (published, position, page_url, comment_id, duplicate_of, film_id)
            )
    for key in keys:
        copies = sorted(copies_of[key], key=_copy_order)
        first = copies[0][3]
        for index, (_, _, _, comment_id, duplicate_of, film_id) in enumerate(copies):
            target = None if index == 0 else first
            if duplicate_of != target:
                db.execute(
                    "UPDATE comments SET duplicate_of = ? WHERE id = ?", [target, comment_id]
                )
                # Near-copies are looked for among a film's originals only: a copy that
                # now points at another first copy leaves its film's flags as they are.
                # Re-flagging those films too grew with the database (issue 16: 800
                # films per batch of 50 pages at 10,000 pages, for nothing).
                if film_id and (duplicate_of is None) != (target is None):
                    changed_films.add(film_id)
    changed_films |= _query_set(
        db, "SELECT film_id FROM comments WHERE film_id IS NOT NULL AND page_url", set(page_urls)
    )
    _flag_near_duplicates(db, changed_films)


def _copy_order(copy: tuple[str, int | None, str, str, str | None, str | None]) -> tuple[Any, ...]:
    """``ORDER BY coalesce(published, '9999'), page_url, position, id`` (NULL first)."""
    published, position, page_url, comment_id, _, _ = copy
    return (published, page_url, position is not None, position or 0, comment_id)


def _flag_near_duplicates(db: Database, films: set[str]) -> None:
    for film_id in sorted(films):
        rows = list(
            db.query(
                "SELECT id, simhash, duplicate_of, near_duplicate_of FROM comments "
                "WHERE film_id = ? AND simhash IS NOT NULL "
                "ORDER BY coalesce(published, '9999'), page_url, position, id",
                [film_id],
            )
        )
        originals = NearCopyIndex()
        for row in rows:
            target = None
            value = int(row["simhash"], 16)
            if row["duplicate_of"] is None:
                target = originals.first_near(value)
                if target is None:
                    originals.add(row["id"], value)
            if row["near_duplicate_of"] != target:
                db.execute(
                    "UPDATE comments SET near_duplicate_of = ? WHERE id = ?", [target, row["id"]]
                )


class NearCopyIndex:
    """Simhashes in the order they were added; :meth:`first_near` finds the first one
    within ``NEAR_DUPLICATE_BITS`` of a value without comparing it with all of them.

    Two hashes that differ in at most ``NEAR_DUPLICATE_BITS`` bits are equal in at
    least one of ``NEAR_DUPLICATE_BITS + 1`` bands (pigeonhole), so only hashes that
    share a band with the value are compared: the answer of a scan over all of them,
    at a cost that does not grow with the square of a film's comments (issue 16).
    """

    BANDS = NEAR_DUPLICATE_BITS + 1
    BAND_BITS = -(-64 // BANDS)

    def __init__(self) -> None:
        self._entries: list[tuple[str, int]] = []
        self._bands: list[dict[int, list[int]]] = [{} for _ in range(self.BANDS)]

    def _keys(self, value: int) -> list[int]:
        mask = (1 << self.BAND_BITS) - 1
        # The last band takes every higher bit, so no bit is left out of all bands.
        keys = [(value >> (band * self.BAND_BITS)) & mask for band in range(self.BANDS - 1)]
        return [*keys, value >> ((self.BANDS - 1) * self.BAND_BITS)]

    def add(self, name: str, value: int) -> None:
        for band, key in zip(self._bands, self._keys(value), strict=True):
            band.setdefault(key, []).append(len(self._entries))
        self._entries.append((name, value))

    def first_near(self, value: int) -> str | None:
        """The name of the first hash added within ``NEAR_DUPLICATE_BITS`` of ``value``."""
        candidates: set[int] = set()
        for band, key in zip(self._bands, self._keys(value), strict=True):
            candidates.update(band.get(key, ()))
        for index in sorted(candidates):
            name, other = self._entries[index]
            if (value ^ other).bit_count() <= NEAR_DUPLICATE_BITS:
                return name
        return None
