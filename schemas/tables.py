"""The database schema, declared in one place and changed only by named migrations.

The tables in ``CONTRACT_TABLES`` are an interface other tools read (see DESIGN.md):
they may gain columns and tables, never lose or rename them without a migration.
Every time is ISO 8601 UTC text (``2026-11-21T07:37:00Z``).

Tables whose name starts with ``_`` or that are listed in ``INTERNAL_TABLES`` are the
crawler's own bookkeeping (frontier, links, resolution claims, merge log).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlite_utils import Database
from sqlite_utils.db import ForeignKey
from sqlite_utils.migrations import Migrations

from schemas.records import SINGLE_VALUED_FIELDS

CONTRACT_TABLES: tuple[str, ...] = (
    "pages",
    "films",
    "film_aliases",
    "film_titles",
    "facts",
    "credits",
    "comments",
    "crawl_runs",
)
INTERNAL_TABLES: tuple[str, ...] = (
    "frontier",
    "page_links",
    "film_claims",
    "merges",
    "crawl_run_conflicts",
)

migrations = Migrations("filmcrawl")

# ``PRAGMA application_id`` of a filmcrawl database: "FILM" in ASCII.
APPLICATION_ID = 0x46494C4D


@migrations(name="0001_initial")
def initial_schema(db: Database) -> None:
    db.table("pages").create(
        {
            "url": str,
            "requested_url": str,
            "canonical_url": str,
            "site": str,
            "extractor": str,
            "film_id": str,
            "title": str,
            "clean_text": str,
            "lang": str,
            "lang_confidence": float,
            "content_hash": str,
            "content_length": int,
            "content_type": str,
            "encoding": str,
            "encoding_source": str,
            "http_status": int,
            "etag": str,
            "last_modified": str,
            "first_seen": str,
            "last_fetched": str,
            "last_changed": str,
            "status": str,
            "status_reason": str,
            "parent_url": str,
            "depth": int,
        },
        pk="url",
        not_null={"status", "first_seen", "last_fetched"},
    )
    db.table("films").create(
        {
            "id": str,
            "title": str,
            "native_title": str,
            "year": int,
            "release_date": str,
            "runtime_minutes": int,
            "content_rating": str,
            "country": str,
            "director": str,
            "source_count": int,
        },
        pk="id",
        not_null={"title"},
    )
    db.table("film_titles").create(
        {
            "id": str,
            "film_id": str,
            "title": str,
            "kind": str,
            "title_key": str,
            "source_url": str,
            "extractor": str,
            "first_seen": str,
            "last_seen": str,
            "current": int,
        },
        pk="id",
        not_null={"title", "kind", "source_url"},
    )
    db.table("facts").create(
        {
            "id": str,
            "film_id": str,
            "field": str,
            "value": str,
            "raw": str,
            "match_key": str,
            "source_url": str,
            "extractor": str,
            "tier": int,
            "first_seen": str,
            "last_seen": str,
            "current": int,
        },
        pk="id",
        not_null={"field", "value", "source_url"},
    )
    db.table("credits").create(
        {
            "id": str,
            "film_id": str,
            "person": str,
            "person_key": str,
            "role": str,
            "character": str,
            "raw": str,
            "source_url": str,
            "extractor": str,
            "first_seen": str,
            "last_seen": str,
            "current": int,
        },
        pk="id",
        not_null={"person", "role", "source_url"},
    )
    db.table("comments").create(
        {
            "id": str,
            "film_id": str,
            "page_url": str,
            "author": str,
            "text": str,
            "published": str,
            "parent_id": str,
            "kind": str,
            "lang": str,
            "lang_confidence": float,
            "duplicate_of": str,
            "near_duplicate_of": str,
            "content_key": str,
            "simhash": str,
            "position": int,
            "truncated": int,
            "extractor": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        not_null={"page_url", "text", "kind"},
    )
    db.table("crawl_runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "exit_code": int,
            "reason": str,
            "generation": int,
            "resumed": int,
            "pages_attempted": int,
            "pages_fetched": int,
            "pages_new": int,
            "pages_changed": int,
            "pages_unchanged": int,
            "pages_not_modified": int,
            "pages_failed": int,
            "facts_new": int,
            "comments_new": int,
            "args": str,
            "stats": str,
        },
        pk="id",
        not_null={"started_at", "status"},
    )
    # The crawl frontier lives in the database so that a URL is marked done in the
    # same transaction as the items it produced: a killed crawl resumes exactly where
    # its last committed batch ended (Scrapy's JOBDIR only survives clean stops).
    db.table("frontier").create(
        {
            "url": str,
            "generation": int,
            "state": str,
            "kind": str,
            "depth": int,
            "parent_url": str,
            "discovered_at": str,
            "done_at": str,
            "outcome": str,
        },
        pk="url",
        not_null={"generation", "state", "kind"},
    )
    # Links a page hands on (its further comment pages, and followed links), kept so
    # that a page answering 304 Not Modified can still hand them on.
    db.table("page_links").create(
        {"page_url": str, "link_url": str, "kind": str},
        pk=("page_url", "link_url"),
    )
    # What each page says about which film it is about; film resolution reads these.
    db.table("film_claims").create(
        {
            "page_url": str,
            "title_keys": str,
            "titles": str,
            "year": int,
            "directors": str,
            "countries": str,
            "cast": str,
            "tier": int,
        },
        pk="page_url",
    )
    db.table("film_claim_keys").create(
        {"title_key": str, "page_url": str},
        pk=("title_key", "page_url"),
    )

    for table, columns in (
        ("pages", ["film_id"]),
        ("pages", ["parent_url"]),
        ("film_titles", ["film_id"]),
        ("film_titles", ["source_url"]),
        ("facts", ["film_id", "field"]),
        ("facts", ["source_url"]),
        ("credits", ["film_id", "role"]),
        ("credits", ["source_url"]),
        ("credits", ["person_key"]),
        ("comments", ["film_id"]),
        ("comments", ["page_url"]),
        ("comments", ["lang"]),
        ("comments", ["content_key"]),
        ("frontier", ["generation", "state"]),
        ("film_claim_keys", ["page_url"]),
    ):
        db.table(table).create_index(columns)

    # Full-text search over comments and page text. The triggers fire only when the
    # indexed text changes, not when a re-crawl moves ``last_seen``.
    for table, columns in (("comments", ["text", "author"]), ("pages", ["title", "clean_text"])):
        db.table(table).enable_fts(columns, tokenize="unicode61 remove_diacritics 2")
        _create_fts_triggers(db, table, columns)

    _create_fact_conflicts_view(db)


def _create_fts_triggers(db: Database, table: str, columns: list[str]) -> None:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    db.execute(
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new}); END"
    )
    db.execute(
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); END"
    )
    db.execute(
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new}); END"
    )


def _create_fact_conflicts_view(db: Database) -> None:
    fields = ", ".join(f"'{name}'" for name in SINGLE_VALUED_FIELDS)
    # Values are compared by ``match_key`` (a title's spelling variants share one key),
    # and each value lists the pages that state it; only facts the page still states
    # (``current = 1``) count.
    db.create_view(
        "fact_conflicts",
        f"""
        WITH stated AS (
            SELECT DISTINCT film_id, field, match_key, value, source_url
            FROM facts
            WHERE current = 1 AND film_id IS NOT NULL AND field IN ({fields})
        ),
        per_value AS (
            SELECT film_id, field, match_key,
                   min(value) AS value,
                   count(DISTINCT source_url) AS source_count,
                   json_group_array(source_url) AS sources
            FROM (SELECT * FROM stated ORDER BY source_url)
            GROUP BY film_id, field, match_key
        )
        SELECT film_id, field,
               count(*) AS distinct_values,
               sum(source_count) AS source_count,
               json_group_array(
                   json_object('value', value, 'sources', json(sources))
               ) AS "values"
        FROM (SELECT * FROM per_value ORDER BY source_count DESC, value)
        GROUP BY film_id, field
        HAVING count(*) > 1
        """,
    )


@migrations(name="0002_spool_identity_and_merges")
def spool_identity_and_merges(db: Database) -> None:
    # Every database gets an identity when it is created. A crawl spool keeps it when
    # its file is renamed, moved or fetched from another machine, so ``filmcrawl merge``
    # recognises a spool it has taken from before (see ``crawler/store/merge.py``).
    db.table("_database_identity").create(
        {"uuid": str, "created_at": str}, pk="uuid", not_null={"created_at"}
    )
    db.execute(
        "INSERT INTO _database_identity (uuid, created_at) VALUES (?, ?)",
        [uuid.uuid4().hex, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")],
    )
    # The merge log: one row per merge that took something from a spool, with the
    # high-water mark up to which it took (the spool's last run taken and the latest
    # fetch time of its pages). Merges that find nothing new leave no row.
    db.table("merges").create(
        {
            "id": int,
            "spool_uuid": str,
            "spool_path": str,
            "spool_created_at": str,
            "merged_at": str,
            "since": str,
            "to_run_id": int,
            "to_run_started_at": str,
            "to_last_fetched": str,
            "forced": int,
            "pages": int,
            "film_titles": int,
            "facts": int,
            "credits": int,
            "comments": int,
            "page_links": int,
            "crawl_runs": int,
        },
        pk="id",
        not_null={"spool_uuid", "merged_at", "to_run_id"},
    )
    db.table("merges").create_index(["spool_uuid"])
    # Runs copied from a spool say which spool and which of its runs they were.
    db.table("crawl_runs").add_column("spool_uuid", str)
    db.table("crawl_runs").add_column("spool_run_id", int)
    db.table("crawl_runs").create_index(["spool_uuid", "spool_run_id"], unique=True)


@migrations(name="0003_pages_replacement_ratio")
def pages_replacement_ratio(db: Database) -> None:
    # How much of a page's text could not be decoded (U+FFFD among its non-ASCII
    # characters), so pages whose text is still garbled can be found and re-examined.
    db.table("pages").add_column("replacement_ratio", float)


@migrations(name="0004_work_kinds_and_mirrors")
def work_kinds_and_mirrors(db: Database) -> None:
    # What kind of work a page is about and what kind a film is (schemas.records
    # WORK_KINDS: movie, series, episode, ...; NULL when no page says), so a series and
    # its episode are two works.
    db.table("pages").add_column("kind", str)
    db.table("films").add_column("kind", str)
    db.table("film_claims").add_column("kind", str)
    # A page that repeats another (the same canonical URL or the same body on another
    # URL) names the page it mirrors; it is the same source, counted once in the
    # consensus and in fact_conflicts.
    db.table("pages").add_column("mirror_of", str)
    db.table("film_claims").add_column("source", str)
    db.table("pages").create_index(["canonical_url"])
    db.table("pages").create_index(["content_hash"])
    db.execute("DROP VIEW IF EXISTS fact_conflicts")
    _create_fact_conflicts_by_source_view(db)


def _create_fact_conflicts_by_source_view(db: Database) -> None:
    fields = ", ".join(f"'{name}'" for name in SINGLE_VALUED_FIELDS)
    # One row per film and single-valued field whose sources disagree. A source is a
    # page and its mirrors (pages.mirror_of): a value two mirrors state counts once,
    # and values that only mirrors of one page differ on are no conflict between
    # sources. Values compare by ``match_key``; only facts a page still states count.
    db.create_view(
        "fact_conflicts",
        f"""
        WITH stated AS (
            SELECT DISTINCT f.film_id, f.field, f.match_key, f.value,
                   coalesce(p.mirror_of, f.source_url) AS source
            FROM facts f LEFT JOIN pages p ON p.url = f.source_url
            WHERE f.current = 1 AND f.film_id IS NOT NULL AND f.field IN ({fields})
        ),
        per_value AS (
            SELECT film_id, field, match_key,
                   min(value) AS value,
                   count(DISTINCT source) AS source_count,
                   json_group_array(DISTINCT source) AS sources
            FROM (SELECT * FROM stated ORDER BY source)
            GROUP BY film_id, field, match_key
        ),
        contested AS (
            SELECT film_id, field FROM stated
            GROUP BY film_id, field
            HAVING count(DISTINCT match_key) > 1 AND count(DISTINCT source) > 1
        )
        SELECT film_id, field,
               count(*) AS distinct_values,
               sum(source_count) AS source_count,
               json_group_array(
                   json_object('value', value, 'sources', json(sources))
               ) AS "values"
        FROM (
            SELECT per_value.* FROM per_value JOIN contested USING (film_id, field)
            ORDER BY source_count DESC, value
        )
        GROUP BY film_id, field
        """,
    )


@migrations(name="0005_application_id")
def application_id(db: Database) -> None:
    # Marks the file as filmcrawl's in its header, so that it is recognised without
    # reading its tables and another application's database is never taken for one.
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


@migrations(name="0006_stable_film_ids")
def stable_film_ids(db: Database) -> None:
    # An id once given out keeps naming its film (crawler/store/film_resolution.py):
    # ``given_by`` is the operation that gave it out (``run 7``, ``merge 3``), after
    # which it never changes; ``first_seen`` is when its earliest page was first seen.
    db.table("films").add_column("first_seen", str)
    db.table("films").add_column("given_by", str)
    # Ids of 0.1 databases were all given out before this migration.
    db.execute(
        "UPDATE films SET given_by = 'filmcrawl 0.1', first_seen = "
        "(SELECT min(first_seen) FROM pages WHERE pages.film_id = films.id)"
    )
    # When two films turn out to be one, the id that loses names the other from then on.
    db.table("film_aliases").create(
        {"alias": str, "film_id": str, "created_at": str},
        pk="alias",
        not_null={"film_id"},
    )
    db.table("film_aliases").create_index(["film_id"])


@migrations(name="0007_run_figures")
def run_figures(db: Database) -> None:
    # What one run did, beside the totals: films it gave an id, conflicts it brought up.
    db.table("crawl_runs").add_column("films_new", int)
    db.table("crawl_runs").add_column("conflicts_new", int)
    # The conflicts a run brought up, as they were when it ended (for its report).
    db.table("crawl_run_conflicts").create(
        {"run_id": int, "film_id": str, "field": str, "values": str},
        pk=("run_id", "film_id", "field"),
    )
    # Per page, for the run report: the run that fetched it last, how long the download
    # took and how long decoding and extraction took (milliseconds).
    db.table("pages").add_column("last_run_id", int)
    db.table("pages").add_column("fetch_ms", int)
    db.table("pages").add_column("extract_ms", int)
    db.table("pages").create_index(["last_run_id"])


# The links between contract tables, declared so Datasette (and any other tool) can
# follow them: (table, column, other table, other column, ON DELETE). filmcrawl keeps
# them true itself (``PRAGMA foreign_key_check`` finds nothing after a crawl or a
# merge); SQLite enforces them only on connections that ask (``PRAGMA foreign_keys``),
# where the ON DELETE actions keep a deletion from leaving dangling references.
FOREIGN_KEYS: tuple[tuple[str, str, str, str, str], ...] = (
    ("pages", "film_id", "films", "id", "SET NULL"),
    ("film_aliases", "film_id", "films", "id", "CASCADE"),
    ("film_titles", "film_id", "films", "id", "SET NULL"),
    ("film_titles", "source_url", "pages", "url", "CASCADE"),
    ("facts", "film_id", "films", "id", "SET NULL"),
    ("facts", "source_url", "pages", "url", "CASCADE"),
    ("credits", "film_id", "films", "id", "SET NULL"),
    ("credits", "source_url", "pages", "url", "CASCADE"),
    ("comments", "film_id", "films", "id", "SET NULL"),
    ("comments", "page_url", "pages", "url", "CASCADE"),
    ("comments", "parent_id", "comments", "id", "SET NULL"),
    ("comments", "duplicate_of", "comments", "id", "SET NULL"),
    ("comments", "near_duplicate_of", "comments", "id", "SET NULL"),
)


@migrations(name="0008_foreign_keys")
def foreign_keys(db: Database) -> None:
    # SQLite declares foreign keys only in CREATE TABLE, so each table is rebuilt
    # (sqlite-utils transform: rows with their rowids, indexes and views kept). Its
    # DROP TABLE takes the full-text triggers with it: they are put back as they were.
    triggers = {trigger.name: trigger.sql for trigger in db.triggers}
    tables = dict.fromkeys(table for table, *_ in FOREIGN_KEYS)
    for table in tables:
        keys = [
            ForeignKey(table, column, other, other_column, on_delete=on_delete)
            for name, column, other, other_column, on_delete in FOREIGN_KEYS
            if name == table
        ]
        db.table(table).transform(add_foreign_keys=keys)
    present = {trigger.name for trigger in db.triggers}
    for name, sql in triggers.items():
        if name not in present:
            db.execute(sql)


@migrations(name="0009_pages_mirror_of_index")
def pages_mirror_of_index(db: Database) -> None:
    # Every write batch asks which pages mirror the ones it wrote; without an index
    # that read the whole pages table, a cost growing with the database (issue 16).
    db.table("pages").create_index(["mirror_of"])


@migrations(name="0010_comment_page_links")
def comment_page_links(db: Database) -> None:
    # A further comment page used to be listed among its page's followed links too, and
    # page_links (one kind per link) kept it as "follow". Its film comes only from a
    # page linking to it as further comments now; the frontier kept the kind it was
    # first queued as, and the page that queued it.
    db.execute(
        """
        UPDATE page_links SET kind = 'comments'
        WHERE kind = 'follow' AND EXISTS (
            SELECT 1 FROM frontier f
            WHERE f.url = page_links.link_url AND f.kind = 'comments'
              AND f.parent_url = page_links.page_url
        )
        """
    )
    # Any page without a claim of its own used to take the film of the page it was
    # linked from (an about page, a 404, another film's review), with its records: only
    # a further comment page continues its parent's film. Only pages that carry their
    # claimed parent's film are touched (a page of an older database without claims
    # keeps its film).
    wrongly_given = [
        row[0]
        for row in db.execute(
            """
            SELECT pages.url FROM pages JOIN pages AS parent ON parent.url = pages.parent_url
            WHERE pages.film_id IS NOT NULL AND pages.film_id = parent.film_id
              AND pages.url NOT IN (SELECT page_url FROM film_claims)
              AND parent.url IN (SELECT page_url FROM film_claims)
              AND NOT EXISTS (
                  SELECT 1 FROM page_links l
                  WHERE l.page_url = parent.url
                    AND l.link_url IN (pages.url, pages.requested_url) AND l.kind = 'comments'
              )
            """
        )
    ]
    for table, column in (
        ("pages", "url"),
        ("facts", "source_url"),
        ("credits", "source_url"),
        ("film_titles", "source_url"),
        ("comments", "page_url"),
    ):
        db.conn.executemany(
            f"UPDATE {table} SET film_id = NULL WHERE {column} = ?",
            [(url,) for url in wrongly_given],
        )


def migrate(db: Database) -> None:
    """Bring ``db`` to the current schema (a no-op when it already is)."""
    migrations.apply(db)
