"""The one database writer a crawl shares between its spider, pipelines and middlewares.

All database work runs on a single thread that owns the SQLite connection, so the
reactor never waits on disk I/O and there is exactly one writer. The store is a Scrapy
extension (``EXTENSIONS``); components reach the crawl's one store with
:meth:`FilmStore.of`.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

from crawler.store import discovery, frontier, runs
from crawler.store.database import close_database, connect_readonly, open_database, utc_now
from crawler.store.lock import lock_database, unlock_database
from crawler.store.writer import CONTENT_STATUSES, BatchCounts, write_batch
from schemas.records import PageRecord

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler
    from sqlite_utils import Database

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Validators:
    """What a conditional GET needs to know about the stored copy of a URL."""

    etag: str | None
    last_modified: str | None
    content_hash: str | None
    page_url: str
    # Whether the page handed links on when it was stored (rows in page_links).
    has_links: bool = True


class FilmStore:
    """The crawl's database: one writer thread, one reader thread (a Scrapy extension)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="filmcrawl-db")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="filmcrawl-db-read")
        self._read_db: sqlite3.Connection | None = None
        self._db: Database | None = None
        self.run_id: int | None = None
        self.generation = 0
        self.resumed = False
        self.resumed_up_to = 0
        self.started_at = ""
        self.totals = BatchCounts()
        self.max_depth = 0  # DEPTH_LIMIT: deeper followed links are not queued
        # The conflicts before the run's first content page is written (None until
        # then): facts change only with content pages, so a run writing none (an
        # unchanged site's re-crawl) adds no conflict and never reads the
        # fact_conflicts view, which costs 0.25 s each time at 10,000 pages (issue 16).
        self._conflicts_at_start: set[tuple[str, str]] | None = None
        self._validators: dict[str, Validators] = {}
        # Pages whose links this run wrote (their validators' has_links may be stale).
        self._linked_this_run: set[str] = set()
        # Links of pages handed on but not written yet (the spider may hand them on
        # again from a shallower depth: crawler.fetch.bounds.ShallowestLinks).
        self._unwritten_links: dict[str, list[tuple[str, str]]] = {}
        self._used = False
        self._closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The store of a crawl: the database ``FILMCRAWL_DB``; followed links deeper than
        ``DEPTH_LIMIT`` are stored with their page but not queued."""
        store = cls(crawler.settings.get("FILMCRAWL_DB"))
        store.max_depth = crawler.settings.getint("DEPTH_LIMIT")
        return store

    @classmethod
    def of(cls, crawler: Crawler) -> FilmStore:
        """The crawl's store; a clear error when the extension is not enabled."""
        store = crawler.get_extension(cls)
        if store is None:
            raise RuntimeError(
                "the store is not enabled: add crawler.store.service.FilmStore"
                " to the EXTENSIONS setting"
            )
        return store

    # --- running work on the database thread -----------------------------------------

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on the database thread. Once handed over, the job runs to its end
        even if the caller is cancelled: cancelling a bare ``asyncio.wrap_future`` also
        cancels a job still waiting for the thread, which dropped a crawl's last batch
        (22 pages of 3,000) when the flush timer was stopped at close."""
        self._used = True
        job = asyncio.wrap_future(self._executor.submit(fn, *args, **kwargs))
        return await asyncio.shield(job)

    def call_sync(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self._executor.submit(fn, *args, **kwargs).result()

    @property
    def started(self) -> bool:
        """Whether work was handed to the database thread and it is not closed."""
        return self._used and not self._closed

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    # --- run lifecycle ---------------------------------------------------------------

    def open_run(
        self, seeds: list[frontier.FrontierEntry], args: dict[str, Any], *, fresh: bool
    ) -> int:
        """Lock and open the database, start (or resume) a generation, record the run and
        return how many URLs are pending (:meth:`next_to_request` hands them out). Runs
        on the database thread."""
        lock_database(self.path)
        self._db = open_database(self.path)
        db = self._db
        self.started_at = utc_now()
        with db.atomic():
            self.generation, self.resumed = frontier.begin_generation(db, fresh=fresh)
            if fresh:
                db.execute(
                    "UPDATE frontier SET state = 'done', outcome = 'dropped' "
                    "WHERE state = 'pending' AND generation < ?",
                    [self.generation],
                )
            run_id = runs.begin_run(db, self.started_at, self.generation, self.resumed, args)
            if self.resumed and args.get("follow"):
                discovery.queue_links_within_reach(
                    db, self.generation, self.max_depth, self.started_at
                )
            self.resumed_up_to = frontier.last_rowid(db)
            frontier.add(db, seeds, self.generation, self.started_at)
        # Only once committed: a run row a full disk rolled back is not there to finish.
        self.run_id = run_id
        self._load_validators()
        return frontier.pending_count(db, self.generation)

    def next_to_request(self, after: int, limit: int) -> list[tuple[int, frontier.FrontierEntry]]:
        """The next pending URLs to request after frontier row ``after`` (see
        :func:`crawler.store.frontier.pending_batch`)."""
        return frontier.pending_batch(self.db, self.generation, after, self.resumed_up_to, limit)

    def _load_validators(self) -> None:
        # Only pages whose stored content is the current one: a page that failed last
        # time (a soft 404, a consent wall, a timeout) is fetched and judged again, so
        # its status says what it is now rather than "unchanged".
        for row in self.db.query(
            "SELECT url, requested_url, etag, last_modified, content_hash, "
            "EXISTS (SELECT 1 FROM page_links WHERE page_url = pages.url) AS has_links "
            "FROM pages "
            "WHERE content_hash IS NOT NULL AND status IN ('ok', 'unchanged', 'not_modified')"
        ):
            validators = Validators(
                row["etag"],
                row["last_modified"],
                row["content_hash"],
                row["url"],
                bool(row["has_links"]),
            )
            self._validators[row["url"]] = validators
            if row["requested_url"]:
                self._validators.setdefault(row["requested_url"], validators)

    def validators(self, url: str) -> Validators | None:
        return self._validators.get(url)

    def add_to_frontier(self, entries: list[frontier.FrontierEntry]) -> list[str]:
        """Register discovered URLs; return those still to fetch in this generation."""
        db = self.db
        with db.atomic():
            frontier.add(db, entries, self.generation, utc_now())
        urls = [entry.url for entry in entries]
        pending = frontier.pending_among(db, urls, self.generation)
        return [url for url in urls if url in pending]

    def drop_from_frontier(self, urls: list[str], outcome: str) -> None:
        """Close pending URLs that cannot be fetched, so no later run resumes them."""
        with self.db.atomic():
            frontier.drop(self.db, urls, self.generation, utc_now(), outcome)

    async def stored_links(self, page_url: str) -> list[tuple[str, str]]:
        """The links a page handed on when it was last stored (for a 304).

        Read on a thread and connection of its own: queued behind the writer's batches,
        thousands of 304 responses would wait in memory for their turn (Scrapy admits
        bodiless responses almost without limit). Not read at all for a page that had
        no links when the run began and got none since: most pages of a crawl without
        ``--follow`` (issue 16: a thread round trip per page of a re-crawl).
        """
        validators = self._validators.get(page_url)
        if (
            validators is not None
            and validators.page_url == page_url
            and not validators.has_links
            and page_url not in self._linked_this_run
        ):
            return []
        return await asyncio.wrap_future(self._reader.submit(self._read_links, page_url))

    def hold_links(self, page_url: str, links: list[tuple[str, str]]) -> None:
        """Keep the ``(url, kind)`` links a page hands on until its batch is written."""
        self._unwritten_links[page_url] = links

    async def handed_links(self, page_url: str) -> list[tuple[str, str]]:
        """The links a page of this run handed on: held until written, then stored."""
        links = self._unwritten_links.get(page_url)
        if links is not None:
            return links
        return await asyncio.wrap_future(self._reader.submit(self._read_links, page_url))

    async def done_in_this_pass(self, urls: list[str]) -> set[str]:
        """Which of ``urls`` an earlier run of this generation fetched (none unless the
        run resumed one).

        A resumed run must not fetch those again: a page done before the interruption
        is stored and its links are in the frontier, but Scrapy's duplicate filter only
        knows this run's requests, so every link to it led to a refetch, and each
        refetch handed its stored links on: a run resumed at 250,000 of 300,000 pages
        would fetch the 250,000 again. Pages done in this run are the duplicate
        filter's; an earlier run's are committed, so the reader's connection sees them.
        """
        if not self.resumed or not urls:
            return set()
        return await asyncio.wrap_future(self._reader.submit(self._read_done, urls))

    def _read_done(self, urls: list[str]) -> set[str]:
        return frontier.done_among(self._reading(), urls, self.generation)

    def _reading(self) -> sqlite3.Connection:
        """The reader thread's connection (opened on first use)."""
        if self._read_db is None:
            self._read_db = connect_readonly(self.path)
        return self._read_db

    def _read_links(self, page_url: str) -> list[tuple[str, str]]:
        return [
            (row[0], row[1])
            for row in self._reading().execute(
                "SELECT link_url, kind FROM page_links WHERE page_url = ? ORDER BY rowid",
                [page_url],
            )
        ]

    def write(self, items: list[PageRecord]) -> BatchCounts:
        # Before the batch commits, so a page's new links are never missed.
        self._linked_this_run.update(
            item.url for item in items if item.links or item.comment_page_urls
        )
        if self._conflicts_at_start is None and any(
            item.status in CONTENT_STATUSES for item in items
        ):
            self._conflicts_at_start = runs.conflict_keys(self.db)
        counts = write_batch(
            self.db, items, self.generation, max_depth=self.max_depth, run_id=self.run_id
        )
        for item in items:
            self._unwritten_links.pop(item.url, None)
        self.totals.add(counts)
        return counts

    def finish_run(
        self, *, status: str, exit_code: int, reason: str, stats: dict[str, Any], drained: bool
    ) -> dict[str, int]:
        """Record how the run ended; return what it did beyond the batch counts (films
        it gave ids, conflicts it brought up, URLs left pending), also added to
        ``stats`` as ``filmcrawl/run/<name>``."""
        db = self.db
        finished_at = utc_now()
        with db.atomic():
            if drained:
                frontier.abandon_pending(db, self.generation, finished_at)
            figures = {
                # Before anything reads the run's pages: their depths and parents as the
                # pass's links determine them, not as the requests happened to arrive.
                "depths_settled": discovery.settle_depths(db, self.generation),
                "films_new": 0,
                "conflicts_new": 0,
                "pending": frontier.pending_count(db, self.generation),
            }
            if self.run_id is not None:
                figures["films_new"] = runs.count_films_given_by(db, f"run {self.run_id}")
                if self._conflicts_at_start is not None:
                    figures["conflicts_new"] = runs.record_new_conflicts(
                        db, self.run_id, self._conflicts_at_start
                    )
            stats = {**stats, **{f"filmcrawl/run/{k}": v for k, v in figures.items()}}
            counts = {
                name: getattr(self.totals, name)
                for name in (
                    "pages_attempted",
                    "pages_fetched",
                    "pages_new",
                    "pages_changed",
                    "pages_unchanged",
                    "pages_not_modified",
                    "pages_failed",
                    "facts_new",
                    "comments_new",
                )
            }
            counts["films_new"] = figures["films_new"]
            counts["conflicts_new"] = figures["conflicts_new"]
            if self.run_id is not None:
                runs.finish_run(
                    db,
                    self.run_id,
                    finished_at=finished_at,
                    status=status,
                    exit_code=exit_code,
                    reason=reason,
                    counts=counts,
                    stats=stats,
                )
        return figures

    def close(self) -> None:
        def _close() -> None:
            if self._db is not None:
                # Fold the WAL back so the file others copy or open is complete, and
                # leave it in rollback mode, where readers create no files.
                close_database(self._db)
                self._db = None
            unlock_database(self.path)

        def _close_reader() -> None:
            if self._read_db is not None:
                self._read_db.close()
                self._read_db = None

        if self._closed:
            return
        self._closed = True
        self._reader.submit(_close_reader).result()
        self._reader.shutdown(wait=True)
        self._executor.submit(_close).result()
        self._executor.shutdown(wait=True)
