"""Merge crawl spools into the main database: one transaction per spool, idempotent.

A *spool* is the database one crawl job wrote (on Scrapyd, each job crawls one shard into
its own spool). It has the main database's schema and an identity given when it was
created (``_database_identity.uuid``), so renaming or moving the file does not make it
a different spool.

What a merge of one spool does, all inside one transaction on the main database:

1. **Window.** The spool's pages not taken before: all of them on the first merge;
   afterwards those fetched at or after the earlier of the last merge's high-water
   time and the start of every spool run after the last merged run.
2. **Pages** by URL. The fetch columns (``last_fetched``, ``http_status``, ``status``,
   ``status_reason``) come from the later fetch; the content columns (text, hash,
   validators, ...) from the side whose content is newer (confirmed at ``last_fetched``
   when the page was fetched or revalidated, else at ``last_changed``): a failed
   re-fetch never wipes stored content, as in a crawl. ``first_seen`` is the earliest;
   ``last_changed`` the earliest of both when the content is the same.
3. **Titles, facts, credits** by their content-addressed ids (``stable_id`` of page
   URL and content): ``first_seen`` = min, ``last_seen`` = max; ``current`` and the
   other columns follow the page's newer content, so a record only the older side
   states is kept with ``current = 0``.
4. **Comments** by fingerprint: ``first_seen`` = min, ``last_seen`` = max, the other
   columns from the side that saw the comment last.
5. **Page links** of pages whose content came from the spool.
6. **Films** re-resolved for every block (pages sharing title keys) the window
   touches, which gives exactly the films ``resolve_all`` gives; comment
   ``duplicate_of`` / ``near_duplicate_of`` recomputed for those blocks.
7. **Runs.** The spool's ``crawl_runs`` up to the high-water mark, copied with
   ``spool_uuid`` and ``spool_run_id``.
8. **Merge log.** A ``merges`` row: the spool's identity and path, the window, and
   the high-water mark (last run taken, latest fetch time taken).

Invariants: a merge is all or nothing (a failure or a kill leaves the main database as
it was); merging a spool with nothing new writes nothing at all; merging a spool that
grew takes only its new pages; the result does not depend on the order spools are
merged in; derived columns (``film_id``, duplicate links, ``films``) are never copied,
always recomputed. A spool whose crawl is running (its lock is held) or whose last
run never finished is refused unless forced; a forced merge stops its high-water mark
before the unfinished run, so the next merge takes that run again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.store.database import DatabaseRefusedError, open_database, utc_now
from crawler.store.film_resolution import resolve_pages
from crawler.store.lock import DatabaseLock, DatabaseLockedError

# Page statuses under which the stored content was confirmed at ``last_fetched``.
CONFIRMED_STATUSES = ("ok", "not_modified", "unchanged")
FETCH_COLUMNS = (
    "last_fetched",
    "http_status",
    "status",
    "status_reason",
    "last_run_id",
    "fetch_ms",
    "extract_ms",
)
RECORD_TABLES = ("film_titles", "facts", "credits")
STEPS = ("pages", *RECORD_TABLES, "comments", "page_links", "films", "crawl_runs", "merges")
SPOOL = "spool"  # the schema name the spool is attached under


class MergeError(RuntimeError):
    """A spool that cannot be merged (missing, not a filmcrawl database, in use, ...)."""


@dataclass
class MergeResult:
    spool: Path
    uuid: str
    merge_id: int | None = None  # None: nothing new, nothing written
    since: str | None = None
    from_run_id: int = 0
    to_run_id: int = 0
    to_last_fetched: str | None = None
    forced: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def up_to_date(self) -> bool:
        return self.merge_id is None


@dataclass(frozen=True)
class _PreviousMerge:
    to_run_id: int
    to_run_started_at: str | None
    to_last_fetched: str | None


def _step_done(step: str) -> None:
    """Called inside the transaction after each step of a merge (tests interrupt here)."""


def merge_spool(
    db: Database, spool: str | Path, *, force: bool = False, owner: str | None = None
) -> MergeResult:
    """Merge one spool into ``db`` in one transaction; see the module docstring.

    ``owner``: the merge operation (``merge 3``); film ids it gives out stay
    provisional until it ends, so the spools of one merge may come in any order."""
    path = Path(spool)
    _check_is_filmcrawl_database(path)
    target = db.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
    if target and target[0] and Path(target[0]).resolve() == path.resolve():
        raise MergeError(f"{path} is the database merged into")
    lock = DatabaseLock(path)
    try:
        lock.acquire()
    except DatabaseLockedError as exc:
        if not force:
            raise MergeError(f"{exc} (use --force to merge what it has so far)") from None
    except OSError as exc:
        raise MergeError(f"{path}: cannot take its lock ({exc})") from None
    try:
        # Brings an older spool up to the current schema (and gives it an identity).
        try:
            open_database(path).close()
        except DatabaseRefusedError as exc:
            raise MergeError(str(exc)) from None
        db.execute(f"ATTACH DATABASE ? AS {SPOOL}", [str(path)])
        try:
            with db.atomic():
                return _merge_attached(
                    db, path, force=force, crawl_running=not lock.held, owner=owner
                )
        finally:
            db.execute(f"DETACH DATABASE {SPOOL}")
    except sqlite3.Error as exc:
        # The transaction was rolled back: the main database is as it was.
        raise MergeError(f"{path}: {type(exc).__name__}: {exc}") from exc
    finally:
        lock.release()


def _check_is_filmcrawl_database(path: Path) -> None:
    if not path.is_file():
        raise MergeError(f"{path}: no such spool")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise MergeError(f"{path}: not a readable SQLite database ({exc})") from None
    if not {"pages", "crawl_runs", "_sqlite_migrations"} <= tables:
        raise MergeError(f"{path}: not a filmcrawl database")


def _merge_attached(
    db: Database, path: Path, *, force: bool, crawl_running: bool, owner: str | None
) -> MergeResult:
    uuid, created_at = db.execute(
        f"SELECT uuid, created_at FROM {SPOOL}._database_identity"
    ).fetchone()
    own = db.execute("SELECT uuid FROM main._database_identity").fetchone()
    if own is not None and own[0] == uuid:
        raise MergeError(f"{path} is the target database itself (or a copy of it)")
    runs = [
        (int(run_id), started_at, status)
        for run_id, started_at, status in db.execute(
            f"SELECT id, started_at, status FROM {SPOOL}.crawl_runs ORDER BY id"
        )
    ]
    unfinished = [run_id for run_id, _, status in runs if status == "running"]
    if unfinished and not crawl_running and not force:
        raise MergeError(
            f"{path}: run {unfinished[0]} never finished (the crawl was killed, or the "
            "file was copied while it crawled); resume the crawl, or use --force"
        )
    # The high-water mark stops before a run that has not finished: its pages are
    # taken again by the next merge.
    if unfinished:
        to_run_id = max((run_id for run_id, _, _ in runs if run_id < unfinished[0]), default=0)
    else:
        to_run_id = runs[-1][0] if runs else 0
    started = {run_id: started_at for run_id, started_at, _ in runs}
    to_last_fetched = db.execute(f"SELECT max(last_fetched) FROM {SPOOL}.pages").fetchone()[0]

    previous = _previous_merge(db, uuid)
    since: str | None = None
    if previous is not None:
        if previous.to_run_id and started.get(previous.to_run_id) != previous.to_run_started_at:
            raise MergeError(
                f"{path} has the identity of spool {uuid} but not the history merged "
                f"before (its run {previous.to_run_id} differs): a copy crawled into "
                "separately? Give every job a spool of its own"
            )
        newer_runs = [started_at for run_id, started_at, _ in runs if run_id > previous.to_run_id]
        if not newer_runs and (to_last_fetched or "") <= (previous.to_last_fetched or ""):
            return MergeResult(
                path,
                uuid,
                from_run_id=previous.to_run_id,
                to_run_id=previous.to_run_id,
                to_last_fetched=previous.to_last_fetched,
            )
        bounds = [t for t in [previous.to_last_fetched, *newer_runs] if t is not None]
        since = min(bounds) if bounds else None

    result = MergeResult(
        path,
        uuid,
        since=since,
        from_run_id=previous.to_run_id if previous else 0,
        to_run_id=to_run_id,
        to_last_fetched=to_last_fetched,
        forced=force,
    )
    counts = result.counts
    _select_window(db, since)
    counts["pages"] = _merge_pages(db)
    _step_done("pages")
    for table in RECORD_TABLES:
        counts[table] = _merge_records(db, table)
        _step_done(table)
    counts["comments"] = _merge_comments(db)
    _step_done("comments")
    counts["page_links"] = _merge_page_links(db)
    _step_done("page_links")
    window = [row[0] for row in db.execute("SELECT url FROM temp.merge_pages ORDER BY url")]
    counts["films"] = len(_films_of(db, resolve_pages(db, window, owner)))
    _step_done("films")
    counts["crawl_runs"] = _copy_runs(db, uuid, result.from_run_id, to_run_id)
    _point_pages_at_copied_runs(db, uuid)
    _step_done("crawl_runs")
    cursor = db.execute(
        """
        INSERT INTO main.merges (spool_uuid, spool_path, spool_created_at, merged_at, since,
            to_run_id, to_run_started_at, to_last_fetched, forced, pages, film_titles, facts,
            credits, comments, page_links, crawl_runs)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            uuid,
            str(path.resolve()),
            created_at,
            utc_now(),
            since,
            to_run_id,
            started.get(to_run_id),
            to_last_fetched,
            int(force),
            *(
                counts[name]
                for name in ("pages", *RECORD_TABLES, "comments", "page_links", "crawl_runs")
            ),
        ],
    )
    result.merge_id = int(cursor.lastrowid or 0)
    _step_done("merges")
    db.execute("DROP TABLE temp.merge_pages")
    return result


def _previous_merge(db: Database, uuid: str) -> _PreviousMerge | None:
    row = db.execute(
        "SELECT to_run_id, to_run_started_at, to_last_fetched FROM main.merges "
        "WHERE spool_uuid = ? ORDER BY id DESC LIMIT 1",
        [uuid],
    ).fetchone()
    return _PreviousMerge(int(row[0]), row[1], row[2]) if row else None


def _columns(db: Database, table: str) -> list[str]:
    """Columns ``table`` has in both databases (either may be a schema version ahead)."""

    def names(schema: str) -> list[str]:
        return [row[1] for row in db.execute(f"PRAGMA {schema}.table_info({table})")]

    theirs = set(names(SPOOL))
    return [name for name in names("main") if name in theirs]


def _changed(table: str, assignments: dict[str, str]) -> str:
    """A DO UPDATE guard: only rows whose values change are written."""
    return " OR ".join(f"{table}.{column} IS NOT {value}" for column, value in assignments.items())


# --- the steps ------------------------------------------------------------------------


def _content_time(alias: str) -> str:
    """When the stored content of a page row was last known to be current."""
    statuses = ", ".join(f"'{status}'" for status in CONFIRMED_STATUSES)
    return (
        f"CASE WHEN {alias}.status IN ({statuses}) THEN {alias}.last_fetched "
        f"ELSE coalesce({alias}.last_changed, {alias}.first_seen) END"
    )


def _select_window(db: Database, since: str | None) -> None:
    """``temp.merge_pages``: the spool pages to take, and which side wins what."""
    db.execute("DROP TABLE IF EXISTS temp.merge_pages")
    db.execute(
        "CREATE TEMP TABLE merge_pages (url TEXT PRIMARY KEY, in_main INTEGER, "
        "fetch_from_spool INTEGER, content_from_spool INTEGER)"
    )
    db.execute(
        f"""
        INSERT INTO temp.merge_pages (url, in_main, fetch_from_spool, content_from_spool)
        SELECT s.url, m.url IS NOT NULL,
            m.url IS NULL OR (s.last_fetched, s.status, coalesce(s.content_hash, ''))
                > (m.last_fetched, m.status, coalesce(m.content_hash, '')),
            m.url IS NULL OR (s.content_hash IS NOT NULL AND (m.content_hash IS NULL
                OR ({_content_time("s")}, s.content_hash) > ({_content_time("m")}, m.content_hash)))
        FROM {SPOOL}.pages AS s LEFT JOIN main.pages AS m ON m.url = s.url
        WHERE :since IS NULL OR s.last_fetched >= :since
        """,
        {"since": since},
    )


def _merge_pages(db: Database) -> int:
    columns = [c for c in _columns(db, "pages") if c != "url"]
    values: dict[str, str] = {}
    for column in columns:
        if column == "film_id":
            values[column] = "m.film_id"  # recomputed by resolution
        elif column == "first_seen":
            values[column] = "coalesce(min(s.first_seen, m.first_seen), s.first_seen)"
        elif column == "last_changed":
            values[column] = (
                "CASE WHEN m.url IS NULL THEN s.last_changed "
                "WHEN s.content_hash IS m.content_hash THEN "
                "coalesce(min(s.last_changed, m.last_changed), s.last_changed, m.last_changed) "
                "WHEN p.content_from_spool THEN s.last_changed ELSE m.last_changed END"
            )
        elif column in FETCH_COLUMNS:
            values[column] = f"CASE WHEN p.fetch_from_spool THEN s.{column} ELSE m.{column} END"
        else:
            values[column] = f"CASE WHEN p.content_from_spool THEN s.{column} ELSE m.{column} END"
    updates = {column: f"excluded.{column}" for column in columns}
    cursor = db.execute(
        f"""
        INSERT INTO main.pages (url, {", ".join(columns)})
        SELECT s.url, {", ".join(values.values())}
        FROM {SPOOL}.pages AS s
        JOIN temp.merge_pages AS p ON p.url = s.url
        LEFT JOIN main.pages AS m ON m.url = s.url
        WHERE true
        ON CONFLICT(url) DO UPDATE SET {", ".join(f"{c} = {v}" for c, v in updates.items())}
        WHERE {_changed("pages", updates)}
        """
    )
    return cursor.rowcount


def _merge_records(db: Database, table: str) -> int:
    """Titles, facts or credits of the window's pages (see the module docstring)."""
    derived = {"id", "film_id", "first_seen", "last_seen", "current"}
    columns = [c for c in _columns(db, table) if c not in derived]
    changed = 0
    # Records the spool's newer content no longer states are no longer current.
    changed += db.execute(
        f"""
        UPDATE main.{table} AS t SET current = 0
        WHERE t.current = 1
          AND t.source_url IN (SELECT url FROM temp.merge_pages WHERE content_from_spool)
          AND NOT EXISTS (SELECT 1 FROM {SPOOL}.{table} AS s WHERE s.id = t.id AND s.current = 1)
        """
    ).rowcount
    seen = {
        column: f"coalesce({pick}({table}.{column}, excluded.{column}), excluded.{column})"
        for column, pick in (("first_seen", "min"), ("last_seen", "max"))
    }
    for from_spool in (True, False):
        if from_spool:
            # The spool has the newer content of these pages: its records win.
            updates = {c: f"excluded.{c}" for c in columns}
            updates.update(seen, current="excluded.current")
            current = "s.current"
        else:
            # The main database has the newer content: the spool only adds what it saw
            # earlier (no longer current) and widens first_seen / last_seen.
            updates = dict(seen)
            current = "0"
        names = ", ".join(columns)
        selected = ", ".join(f"s.{c}" for c in columns)
        changed += db.execute(
            f"""
            INSERT INTO main.{table} (id, {names}, first_seen, last_seen, current)
            SELECT s.id, {selected}, s.first_seen, s.last_seen, {current}
            FROM {SPOOL}.{table} AS s
            JOIN temp.merge_pages AS p ON p.url = s.source_url
            WHERE p.content_from_spool = ?
            ON CONFLICT(id) DO UPDATE SET {", ".join(f"{c} = {v}" for c, v in updates.items())}
            WHERE {_changed(table, updates)}
            """,
            [int(from_spool)],
        ).rowcount
    return changed


def _merge_comments(db: Database) -> int:
    derived = {"id", "film_id", "duplicate_of", "near_duplicate_of", "first_seen", "last_seen"}
    columns = [c for c in _columns(db, "comments") if c not in derived]
    newer = "excluded.last_seen > comments.last_seen"
    updates: dict[str, str] = {}
    for column in columns:
        if column in ("published", "parent_id"):
            # Known on one fetch and missing on another: keep what is known.
            updates[column] = (
                f"CASE WHEN {newer} THEN coalesce(excluded.{column}, comments.{column}) "
                f"ELSE coalesce(comments.{column}, excluded.{column}) END"
            )
        else:
            updates[column] = f"CASE WHEN {newer} THEN excluded.{column} ELSE comments.{column} END"
    updates["first_seen"] = "min(comments.first_seen, excluded.first_seen)"
    updates["last_seen"] = "max(comments.last_seen, excluded.last_seen)"
    names = ", ".join(columns)
    cursor = db.execute(
        f"""
        INSERT INTO main.comments (id, {names}, first_seen, last_seen)
        SELECT s.id, {", ".join(f"s.{c}" for c in columns)}, s.first_seen, s.last_seen
        FROM {SPOOL}.comments AS s
        JOIN temp.merge_pages AS p ON p.url = s.page_url
        WHERE true
        ON CONFLICT(id) DO UPDATE SET {", ".join(f"{c} = {v}" for c, v in updates.items())}
        WHERE {_changed("comments", updates)}
        """
    )
    return cursor.rowcount


def _merge_page_links(db: Database) -> int:
    """The links a page hands on follow its newer content (a 304 re-crawl reuses them)."""
    removed = db.execute(
        f"""
        DELETE FROM main.page_links AS t
        WHERE t.page_url IN (SELECT url FROM temp.merge_pages WHERE content_from_spool)
          AND NOT EXISTS (SELECT 1 FROM {SPOOL}.page_links AS s
                          WHERE s.page_url = t.page_url AND s.link_url = t.link_url)
        """
    ).rowcount
    added = db.execute(
        f"""
        INSERT INTO main.page_links (page_url, link_url, kind)
        SELECT s.page_url, s.link_url, s.kind
        FROM {SPOOL}.page_links AS s JOIN temp.merge_pages AS p ON p.url = s.page_url
        WHERE p.content_from_spool
        ON CONFLICT(page_url, link_url) DO UPDATE SET kind = excluded.kind
        WHERE page_links.kind IS NOT excluded.kind
        """
    ).rowcount
    return removed + added


def _films_of(db: Database, pages: Iterable[str]) -> set[str]:
    films: set[str] = set()
    for url in pages:
        row = db.execute("SELECT film_id FROM main.pages WHERE url = ?", [url]).fetchone()
        if row and row[0]:
            films.add(row[0])
    return films


def _point_pages_at_copied_runs(db: Database, uuid: str) -> None:
    """``pages.last_run_id`` taken from the spool names a spool run: point it at that
    run's copy in the main database."""
    if "last_run_id" not in _columns(db, "pages"):
        return
    db.execute(
        f"""
        UPDATE main.pages SET last_run_id = (
            SELECT m.id FROM {SPOOL}.pages AS s
            JOIN {SPOOL}.crawl_runs AS r ON r.id = s.last_run_id
            JOIN main.crawl_runs AS m ON m.spool_uuid = coalesce(r.spool_uuid, :uuid)
                AND m.spool_run_id = coalesce(r.spool_run_id, r.id)
            WHERE s.url = main.pages.url)
        WHERE url IN (SELECT url FROM temp.merge_pages WHERE fetch_from_spool)
        """,
        {"uuid": uuid},
    )


def _copy_runs(db: Database, uuid: str, after_run: int, to_run: int) -> int:
    """Copy the spool's runs ``after_run < id <= to_run``; runs a spool itself got from
    a merge keep the spool they came from."""
    own = ("id", "spool_uuid", "spool_run_id")
    columns = [c for c in _columns(db, "crawl_runs") if c not in own]
    names = ", ".join(columns)
    cursor = db.execute(
        f"""
        INSERT INTO main.crawl_runs ({names}, spool_uuid, spool_run_id)
        SELECT {", ".join(f"s.{c}" for c in columns)}, coalesce(s.spool_uuid, ?),
            coalesce(s.spool_run_id, s.id)
        FROM {SPOOL}.crawl_runs AS s
        WHERE s.id > ? AND s.id <= ?
        ORDER BY s.id
        ON CONFLICT(spool_uuid, spool_run_id) DO NOTHING
        """,
        [uuid, after_run, to_run],
    )
    return cursor.rowcount


# --- many spools ------------------------------------------------------------------------


def merge_spools(
    db: Database, spools: Iterable[str | Path], *, force: bool = False
) -> list[MergeResult | MergeError]:
    """Merge each spool in turn (each in its own transaction); a spool that cannot be
    merged is reported and the others still are."""
    results: list[MergeResult | MergeError] = []
    # One operation for film ids: the spools of one merge may come in any order.
    owner = f"merge {db.execute('SELECT coalesce(max(id), 0) + 1 FROM merges').fetchone()[0]}"
    for spool in spools:
        try:
            results.append(merge_spool(db, spool, force=force, owner=owner))
        except MergeError as exc:
            results.append(exc)
    return results


def spool_identity(path: str | Path) -> dict[str, Any]:
    """The identity of a database: ``uuid`` and ``created_at``."""
    db = open_database(path)
    try:
        row = db.execute("SELECT uuid, created_at FROM _database_identity").fetchone()
        return {"uuid": row[0], "created_at": row[1]}
    finally:
        db.close()
