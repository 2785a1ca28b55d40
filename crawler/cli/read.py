"""Read films, comments, conflicts and runs out of a filmcrawl database as records.

Read-only queries shared by the listing commands, ``filmcrawl film`` and the export.
Every value reaches SQL through a bound parameter.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from crawler.cli.options import CommandError
from crawler.cli.records import (
    CommentHit,
    ConflictListing,
    ConflictValue,
    Film,
    FilmComment,
    FilmConflict,
    FilmCredit,
    FilmFact,
    FilmListing,
    FilmSource,
    FilmTitle,
    RunListing,
)
from crawler.normalize.titles import title_key
from crawler.run.status import EXIT_AMBIGUOUS, EXIT_NOT_FOUND, EXIT_USAGE
from schemas.records import (
    CREDIT_ROLES,
    FACT_FIELDS,
    MULTI_VALUED_FIELDS,
    SINGLE_VALUED_FIELDS,
    TITLE_KINDS,
)

# The order a person reads a film's facts in (DESIGN.md's vocabulary order).
FIELD_ORDER: tuple[str, ...] = (
    "title",
    "native_title",
    "alt_title",
    "year",
    "release_date",
    "director",
    "writer",
    "genre",
    "country",
    "language",
    "runtime_minutes",
    "content_rating",
    "rating",
    "rating_votes",
    "admissions",
    "box_office",
    "synopsis",
    "trivia",
)
_FIELD_RANK = {name: rank for rank, name in enumerate(FIELD_ORDER + FACT_FIELDS)}
_ROLE_RANK = {name: rank for rank, name in enumerate(CREDIT_ROLES)}
_KIND_RANK = {name: rank for rank, name in enumerate(TITLE_KINDS)}

# Markers FTS5's highlight() puts around matched terms (control characters never
# survive the clean pipeline, so they cannot occur in stored text).
MATCH_START = "\x02"
MATCH_END = "\x03"


def field_rank(name: str) -> int:
    return _FIELD_RANK.get(name, len(_FIELD_RANK))


# --- finding a film by name ---------------------------------------------------------


@dataclass(frozen=True)
class FilmMatch:
    id: str
    title: str
    year: int | None

    def label(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.id}: {self.title}{year}"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_films(db: Database, name: str) -> list[FilmMatch]:
    """Films whose id, title or any title a page gives matches ``name``.

    An exact id wins; otherwise titles compare case-insensitively (any script), and
    if none matches, by title key (``miracle in cell no 7`` finds
    ``Miracle in Cell No.7``).
    """
    films = {
        row[0]: FilmMatch(row[0], row[1], row[2])
        for row in db.execute("SELECT id, title, year FROM films")
    }
    if name in films:
        return [films[name]]
    # An id that named a film merged into another since (film_aliases) finds that film.
    alias = db.execute("SELECT film_id FROM film_aliases WHERE alias = ?", [name]).fetchone()
    if alias is not None and alias[0] in films:
        return [films[alias[0]]]
    wanted = _fold(name)
    if not wanted:
        return []
    matched = {film_id for film_id in films if film_id.casefold() == wanted}
    for film_id, title in db.execute(
        "SELECT id, title FROM films "
        "UNION SELECT id, native_title FROM films WHERE native_title IS NOT NULL "
        "UNION SELECT film_id, title FROM film_titles WHERE film_id IS NOT NULL"
    ):
        if title and _fold(title) == wanted:
            matched.add(film_id)
    if not matched:
        key = title_key(name)
        if key:
            matched.update(
                row[0]
                for row in db.execute(
                    "SELECT DISTINCT film_id FROM film_titles "
                    "WHERE title_key = ? AND film_id IS NOT NULL",
                    [key],
                )
            )
    found = [films[film_id] for film_id in matched if film_id in films]
    return sorted(found, key=lambda f: (f.title.casefold(), f.year or 0, f.id))


def suggest_films(db: Database, name: str, limit: int = 5) -> list[FilmMatch]:
    """Films whose id or a title contains ``name``: hints for a name that matched none."""
    pattern = "%" + name.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern += "%"
    rows = db.execute(
        "SELECT DISTINCT f.id, f.title, f.year FROM films f "
        "LEFT JOIN film_titles t ON t.film_id = f.id "
        "WHERE f.id LIKE :p ESCAPE '\\' OR f.title LIKE :p ESCAPE '\\' "
        "OR t.title LIKE :p ESCAPE '\\' ORDER BY f.title, f.year LIMIT :limit",
        {"p": pattern, "limit": limit},
    )
    return [FilmMatch(row[0], row[1], row[2]) for row in rows]


def resolve_film(db: Database, name: str) -> FilmMatch:
    """The one film ``name`` means; a clear error (exit 5 or 6) otherwise."""
    found = find_films(db, name)
    if len(found) == 1:
        return found[0]
    if not found:
        hints = suggest_films(db, name)
        details = (
            ["did you mean:", *(f"  {match.label()}" for match in hints)]
            if hints
            else ["filmcrawl films lists every film"]
        )
        raise CommandError(f"no film matches {name!r}", EXIT_NOT_FOUND, details)
    raise CommandError(
        f"{name!r} matches {len(found)} films; give one of their ids",
        EXIT_AMBIGUOUS,
        [match.label() for match in found],
    )


# --- one film -------------------------------------------------------------------------


@dataclass
class FactGroup:
    """One value of a field, with every page that states it (spelling variants of a
    title or a name are one value)."""

    field: str
    value: str
    spellings: list[str]
    sources: list[str]
    tier: int


def fact_groups(db: Database, film_id: str) -> list[FactGroup]:
    """The film's current facts grouped by field and value, best supported first.

    Values are ranked as the resolver ranks them for the consensus (most pages, then
    the best evidence tier, then the smallest value), so the first group of a
    single-valued field is the value ``films`` holds.
    """
    groups = [
        FactGroup(
            field=row["field"],
            value=row["value"],
            spellings=sorted(set(json.loads(row["spellings"])) - {row["value"]}),
            sources=sorted(set(json.loads(row["sources"]))),
            tier=row["tier"] if row["tier"] is not None else 99,
        )
        for row in db.query(
            """
            SELECT field, match_key, min(value) AS value,
                   json_group_array(DISTINCT value) AS spellings,
                   json_group_array(DISTINCT source_url) AS sources,
                   min(tier) AS tier
            FROM facts WHERE film_id = ? AND current = 1
            GROUP BY field, match_key
            """,
            [film_id],
        )
    ]
    groups.sort(key=lambda g: (field_rank(g.field), -len(g.sources), g.tier, g.value))
    return groups


def consensus_of(groups: list[FactGroup]) -> dict[str, str | list[str]]:
    consensus: dict[str, str | list[str]] = {}
    for group in groups:
        if group.field in SINGLE_VALUED_FIELDS:
            consensus.setdefault(group.field, group.value)
        elif group.field in MULTI_VALUED_FIELDS:
            values = consensus.setdefault(group.field, [])
            assert isinstance(values, list)
            values.append(group.value)
    return consensus


def parse_conflict_values(text: str) -> list[ConflictValue]:
    return [
        ConflictValue(value=str(entry["value"]), sources=[str(url) for url in entry["sources"]])
        for entry in json.loads(text)
    ]


def film_record(db: Database, film_id: str) -> Film:
    """Everything the database holds about one film, as one :class:`Film`."""
    row = next(db.query("SELECT * FROM films WHERE id = ?", [film_id]))
    groups = fact_groups(db, film_id)
    sources = [
        FilmSource(
            url=page["url"],
            site=page["site"],
            title=page["title"],
            extractor=page["extractor"],
            canonical_url=page["canonical_url"],
            mirror_of=page["mirror_of"],
            kind=page["kind"],
            lang=page["lang"],
            status=page["status"],
            http_status=page["http_status"],
            first_seen=page["first_seen"],
            last_fetched=page["last_fetched"],
            last_changed=page["last_changed"],
        )
        for page in db.query("SELECT * FROM pages WHERE film_id = ? ORDER BY url", [film_id])
    ]
    titles = sorted(
        (
            FilmTitle(
                title=t["title"],
                kind=t["kind"],
                source_url=t["source_url"],
                extractor=t["extractor"],
            )
            for t in db.query(
                "SELECT * FROM film_titles WHERE film_id = ? AND current = 1", [film_id]
            )
        ),
        key=lambda t: (_KIND_RANK.get(t.kind, 99), t.title, t.source_url),
    )
    facts = sorted(
        (
            FilmFact(
                field=f["field"],
                value=f["value"],
                raw=f["raw"],
                source_url=f["source_url"],
                extractor=f["extractor"],
                first_seen=f["first_seen"],
                last_seen=f["last_seen"],
            )
            for f in db.query("SELECT * FROM facts WHERE film_id = ? AND current = 1", [film_id])
        ),
        key=lambda f: (field_rank(f.field), f.value, f.source_url),
    )
    credits = sorted(
        (
            FilmCredit(
                person=c["person"],
                role=c["role"],
                character=c["character"],
                source_url=c["source_url"],
                extractor=c["extractor"],
            )
            for c in db.query("SELECT * FROM credits WHERE film_id = ? AND current = 1", [film_id])
        ),
        key=lambda c: (_ROLE_RANK.get(c.role, 99), c.person, c.character or "", c.source_url),
    )
    conflicts = sorted(
        (
            FilmConflict(field=c["field"], values=parse_conflict_values(c["values"]))
            for c in db.query("SELECT * FROM fact_conflicts WHERE film_id = ?", [film_id])
        ),
        key=lambda c: field_rank(c.field),
    )
    comments = [
        FilmComment(
            id=c["id"],
            page_url=c["page_url"],
            author=c["author"],
            text=c["text"],
            published=c["published"],
            parent_id=c["parent_id"],
            kind=c["kind"],
            lang=c["lang"],
            lang_confidence=c["lang_confidence"],
            duplicate_of=c["duplicate_of"],
            near_duplicate_of=c["near_duplicate_of"],
            truncated=bool(c["truncated"]),
            first_seen=c["first_seen"],
            last_seen=c["last_seen"],
        )
        for c in db.query(
            "SELECT * FROM comments WHERE film_id = ? ORDER BY page_url, position, id", [film_id]
        )
    ]
    languages = {
        r["lang"]: r["n"]
        for r in db.query(
            "SELECT coalesce(lang, 'und') AS lang, count(*) AS n FROM comments "
            "WHERE film_id = ? GROUP BY 1 ORDER BY n DESC, lang",
            [film_id],
        )
    }
    aliases = [
        r[0]
        for r in db.execute(
            "SELECT alias FROM film_aliases WHERE film_id = ? ORDER BY alias", [film_id]
        )
    ]
    return Film(
        id=row["id"],
        kind=row["kind"],
        aliases=aliases,
        title=row["title"],
        native_title=row["native_title"],
        year=row["year"],
        release_date=row["release_date"],
        runtime_minutes=row["runtime_minutes"],
        content_rating=row["content_rating"],
        country=row["country"],
        director=row["director"],
        source_count=row["source_count"] or len({s.url for s in sources}),
        consensus=consensus_of(groups),
        sources=sources,
        titles=titles,
        facts=facts,
        conflicts=conflicts,
        credits=credits,
        comment_languages=languages,
        comments=comments,
    )


def film_ids(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT id FROM films ORDER BY id")]


def iter_films(db: Database, only: str | None = None) -> Iterator[Film]:
    for film_id in [only] if only else film_ids(db):
        yield film_record(db, film_id)


# --- listings -------------------------------------------------------------------------

FILM_SORTS = {
    "title": lambda f: (f.title.casefold(), f.year or 0, f.id),
    "year": lambda f: (f.year or 0, f.title.casefold(), f.id),
    "sources": lambda f: (-f.sources, f.title.casefold(), f.id),
    "comments": lambda f: (-f.comments, f.title.casefold(), f.id),
}


def film_listing(db: Database, sort: str = "title") -> list[FilmListing]:
    conflicts = dict(
        db.execute("SELECT film_id, count(*) FROM fact_conflicts GROUP BY film_id").fetchall()
    )
    films = [
        FilmListing(
            id=row["id"],
            kind=row["kind"],
            title=row["title"],
            year=row["year"],
            sources=row["sources"] or 0,
            facts=row["facts"],
            conflicts=conflicts.get(row["id"], 0),
            comments=row["comments"],
        )
        for row in db.query(
            """
            SELECT f.id, f.kind, f.title, f.year, f.source_count AS sources,
                   (SELECT count(*) FROM facts WHERE film_id = f.id AND current = 1) AS facts,
                   (SELECT count(*) FROM comments WHERE film_id = f.id) AS comments
            FROM films f
            """
        )
    ]
    return sorted(films, key=FILM_SORTS[sort])


def conflict_listing(db: Database, film_id: str | None = None) -> list[ConflictListing]:
    rows = db.query(
        'SELECT c.film_id, f.title AS film_title, c.field, c."values" AS vals '
        "FROM fact_conflicts c LEFT JOIN films f ON f.id = c.film_id "
        "WHERE :film IS NULL OR c.film_id = :film",
        {"film": film_id},
    )
    listing = [
        ConflictListing(
            film_id=row["film_id"],
            film_title=row["film_title"],
            field=row["field"],
            values=parse_conflict_values(row["vals"]),
        )
        for row in rows
    ]
    return sorted(
        listing, key=lambda c: ((c.film_title or "").casefold(), c.film_id, field_rank(c.field))
    )


def _json_object(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"unparsed": text}
    return value if isinstance(value, dict) else {"value": value}


def run_listing(db: Database, limit: int) -> list[RunListing]:
    sql = "SELECT * FROM crawl_runs ORDER BY id DESC"
    params: list[Any] = []
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [
        RunListing(
            id=row["id"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            status=row["status"],
            exit_code=row["exit_code"],
            reason=row["reason"],
            generation=row["generation"],
            resumed=bool(row["resumed"]),
            pages_attempted=row["pages_attempted"],
            pages_fetched=row["pages_fetched"],
            pages_new=row["pages_new"],
            pages_changed=row["pages_changed"],
            pages_unchanged=row["pages_unchanged"],
            pages_not_modified=row["pages_not_modified"],
            pages_failed=row["pages_failed"],
            facts_new=row["facts_new"],
            comments_new=row["comments_new"],
            films_new=row["films_new"],
            conflicts_new=row["conflicts_new"],
            args=_json_object(row["args"]),
            stats=_json_object(row["stats"]),
        )
        for row in db.query(sql, params)
    ]


# --- comments ---------------------------------------------------------------------------


def fts_query(text: str) -> str:
    """``text`` as a safe FTS5 query: every word a quoted string (so quotes, hyphens,
    ``AND``/``OR`` and parentheses are just text), all required; a trailing ``*``
    still asks for a prefix."""
    terms = []
    for token in text.split():
        prefix = len(token) > 1 and token.endswith("*")
        word = token[:-1] if prefix else token
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


@dataclass
class CommentSearch:
    hits: list[tuple[CommentHit, str | None]]  # each with its text marked up by highlight()
    total: int


def search_comments(
    db: Database,
    *,
    film_id: str | None = None,
    lang: str | None = None,
    kind: str | None = None,
    search: str | None = None,
    fts_syntax: bool = False,
    limit: int = 20,
) -> CommentSearch:
    """Comments matching the filters; with ``search``, ranked by full-text relevance."""
    conditions = []
    params: dict[str, Any] = {}
    if film_id is not None:
        conditions.append("c.film_id = :film")
        params["film"] = film_id
    if lang is not None:
        conditions.append("coalesce(c.lang, 'und') = :lang")
        params["lang"] = lang
    if kind is not None:
        conditions.append("c.kind = :kind")
        params["kind"] = kind
    columns = (
        "c.id, c.film_id, f.title AS film_title, c.page_url, c.author, c.text, c.published, "
        "c.parent_id, c.kind, c.lang, c.lang_confidence, c.duplicate_of"
    )
    if search is not None:
        query = search if fts_syntax else fts_query(search)
        if not query.strip():
            raise CommandError("--search needs at least one word", EXIT_USAGE)
        conditions.insert(0, "comments_fts MATCH :q")
        params["q"] = query
        source = (
            "comments_fts JOIN comments c ON c.rowid = comments_fts.rowid "
            "LEFT JOIN films f ON f.id = c.film_id"
        )
        marked = f"highlight(comments_fts, 0, '{MATCH_START}', '{MATCH_END}') AS marked"
        order = "comments_fts.rank, c.id"
    else:
        source = "comments c LEFT JOIN films f ON f.id = c.film_id"
        marked = "NULL AS marked"
        order = "f.title, c.film_id, c.page_url, c.position, c.id"
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    sql = f"SELECT {columns}, {marked} FROM {source} {where} ORDER BY {order}"
    if limit:
        sql += " LIMIT :limit"
        params["limit"] = limit
    try:
        rows = list(db.query(sql, params))
        total = db.execute(f"SELECT count(*) FROM {source} {where}", params).fetchone()[0]
    except sqlite3.OperationalError as exc:
        if search is None:
            raise
        details = (
            [
                'FTS5 syntax: words, "a phrase", prefix*, AND, OR, NOT, NEAR(a b)',
                "without --fts-syntax every word is searched for as it is written",
            ]
            if fts_syntax
            else []
        )
        raise CommandError(
            f"--search {search!r} is not a valid full-text query ({exc})", EXIT_USAGE, details
        ) from exc
    hits = []
    for row in rows:
        marked_text = row.pop("marked")
        hits.append((CommentHit(**row), marked_text))
    return CommentSearch(hits=hits, total=int(total))


@dataclass
class CreditGroup:
    """One person in one role, with every page that credits them."""

    role: str
    person: str
    characters: list[str]
    sources: list[str]


def credit_groups(db: Database, film_id: str) -> list[CreditGroup]:
    """The film's current credits, one entry per person and role (spelling variants of
    a name are one person), the most widely credited first within a role."""
    groups = [
        CreditGroup(
            role=row["role"],
            person=row["person"],
            characters=sorted({c for c in json.loads(row["characters"]) if c}),
            sources=sorted(set(json.loads(row["sources"]))),
        )
        for row in db.query(
            """
            SELECT role, person_key, min(person) AS person,
                   json_group_array(DISTINCT character) AS characters,
                   json_group_array(DISTINCT source_url) AS sources
            FROM credits WHERE film_id = ? AND current = 1
            GROUP BY role, coalesce(nullif(person_key, ''), person)
            ORDER BY count(DISTINCT source_url) DESC, min(rowid)
            """,
            [film_id],
        )
    ]
    # Within a role: the most widely credited first, then in page (billing) order.
    groups.sort(key=lambda g: _ROLE_RANK.get(g.role, 99))
    return groups
