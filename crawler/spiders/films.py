"""The ``films`` spider: fetch film pages and route them; extraction runs in workers.

Arguments (``-a NAME=VALUE`` with ``scrapy crawl``, options of ``filmcrawl crawl``):

``urls``
    Start URLs, separated by commas or spaces; a value of several lines is one URL
    per line (``#`` starts a comment), so URLs with commas in them survive (Scrapyd
    schedules a shard with ``--data-urlencode urls@shard.txt``).
``urls_file``
    A file with one URL per line (``#`` starts a comment).
``sitemap``
    Sitemap URL(s); every page they list is crawled (sitemap indexes are followed).
``follow``
    ``1`` to follow links from crawled pages; never off the start URLs' hosts unless
    ``allow_domain`` names more.
``allow_domain``
    Extra domains (comma separated) links may lead to when following.
``fresh``
    ``1`` to drop the pending URLs of an interrupted crawl instead of resuming it.

With no URLs and no sitemap the spider serves the bundled sample site on 127.0.0.1
and crawls it through its sitemap.

Given URLs, the crawl fetches exactly those pages plus what a page needs (its further
comment pages on the same host). Every URL goes through the frontier in the database
(:mod:`crawler.store.frontier`), which is what makes a killed crawl resumable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from functools import cached_property
from itertools import islice
from typing import Any, Self
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.fetch.bounds import PageBudget, ShallowestLinks
from crawler.fetch.failures import classify_failure
from crawler.fetch.meta import META_KEY, SITEMAP_DOCUMENT
from crawler.fetch.network_policy import NetworkGuard, allowed_domain_problem
from crawler.fetch.redirects import RedirectLoopError
from crawler.fetch.sitemaps import SitemapDocument, SitemapLimits, SitemapWalk, read_document
from crawler.fetch.url_lists import UrlList, netloc_of, read_url_file, split_urls, url_problem
from crawler.normalize.escaping import terminal_safe
from crawler.normalize.keys import site_of
from crawler.process.fetched import FetchedPage, base_record, content_hash, process_fetched_page
from crawler.process.pool import WorkerCrashedError, WorkerPool, WorkerTimeoutError
from crawler.sample_site.server import SampleSite
from crawler.store.database import DatabaseRefusedError, utc_now
from crawler.store.frontier import FrontierEntry, link_depth
from crawler.store.service import FilmStore
from schemas.records import PageRecord

logger = logging.getLogger(__name__)

# Set by crawler.run.interrupt when Ctrl-C or SIGTERM arrives.
STOP_SIGNAL_STAT = "filmcrawl/run/stop_signal"
# Frontier entries read per query, the scheduler backlog the feeder keeps at most, and
# how long it waits at most before it looks again (it is woken as soon as a download
# ends, which is when the downloader takes the next request).
FEED_BATCH = 500
FEED_BACKLOG = 32
FEED_POLL_SECONDS = 0.05
# Sitemap pages read and written to the frontier at a time.
SITEMAP_CHUNK = 5_000


def start_urls_of(
    urls: str | list[str] | None, urls_file: str | None, sitemap: str | list[str] | None
) -> tuple[UrlList, UrlList]:
    """The usable start URLs and sitemap URLs of the spider's arguments, with a
    ``where: reason`` line for each one that is not (issue 17: one bad line stored in
    the frontier made every later run fail)."""
    starts = UrlList()
    for url in split_urls(urls):
        starts.add(url, "urls")
    if urls_file:
        try:
            starts.extend(read_url_file(urls_file))
        except OSError as exc:
            starts.problems.append(f"{urls_file}: cannot read it ({exc.strerror or exc})")
    sitemaps = UrlList()
    for url in split_urls(sitemap):
        sitemaps.add(url, "sitemap")
    return starts, sitemaps


def truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def domain_matches(host: str, domain: str) -> bool:
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


class FilmsSpider(scrapy.Spider):
    name = "films"

    def __init__(
        self,
        urls: str | list[str] | None = None,
        urls_file: str | None = None,
        sitemap: str | list[str] | None = None,
        follow: Any = False,
        allow_domain: str | list[str] | None = None,
        fresh: Any = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        starts, sitemaps = start_urls_of(urls, urls_file, sitemap)
        self.start_url_list = starts.urls
        self.sitemap_urls = sitemaps.urls
        self.input_problems = starts.problems + sitemaps.problems
        # Given URLs of which none is usable is not "no URLs" (the sample site).
        self.urls_given = bool(split_urls(urls) or urls_file or split_urls(sitemap))
        self.follow = truthy(follow)
        self.extra_domains = []
        for domain in split_urls(allow_domain):
            problem = allowed_domain_problem(domain)
            if problem is None:
                self.extra_domains.append(domain)
            else:
                self.input_problems.append(f"allow_domain: {problem}")
        self.fresh = truthy(fresh)
        self.sample_site: SampleSite | None = None
        self.extract_timeout = 0.0
        self.max_comments = 0
        self.loopback_only = False
        self.sample_port = 0
        self.max_depth = 0  # DEPTH_LIMIT: links followed at most this deep (0: no limit)
        self.shallowest: ShallowestLinks | None = None  # with --follow under a DEPTH_LIMIT
        self._guard: NetworkGuard | None = None
        self._start_hosts: set[str] | None = None
        self.sitemap_walk: SitemapWalk
        self._limits_reported: set[str] = set()
        self._feeder: asyncio.Future[None] | None = None
        self._fed_everything = asyncio.Event()
        self._download_ended = asyncio.Event()
        self._sitemap_tasks: set[asyncio.Future[None]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extract_timeout = crawler.settings.getfloat("FILMCRAWL_EXTRACT_TIMEOUT")
        spider.max_comments = crawler.settings.getint("FILMCRAWL_MAX_COMMENTS_PER_PAGE")
        spider.loopback_only = crawler.settings.getbool("FILMCRAWL_LOOPBACK_ONLY")
        spider.sample_port = crawler.settings.getint("FILMCRAWL_SAMPLE_PORT")
        spider.sitemap_walk = SitemapWalk(
            SitemapLimits.from_settings(crawler.settings), may_take=spider.may_follow
        )
        spider.max_depth = crawler.settings.getint("DEPTH_LIMIT")
        if spider.follow and spider.max_depth:
            spider.shallowest = ShallowestLinks()
        crawler.signals.connect(spider._release_resources, signal=signals.engine_stopped)
        crawler.signals.connect(spider._keep_open_while_feeding, signal=signals.spider_idle)
        crawler.signals.connect(spider._wake_feeder, signal=signals.request_left_downloader)
        crawler.signals.connect(spider._stop_feeding, signal=signals.spider_closed)
        return spider

    # --- the crawl's store and worker pool (Scrapy extensions, built after the spider) ---

    @cached_property
    def store(self) -> FilmStore:
        return FilmStore.of(self.crawler)

    @cached_property
    def pool(self) -> WorkerPool:
        return WorkerPool.of(self.crawler)

    # --- which hosts --------------------------------------------------------------------

    @property
    def start_hosts(self) -> set[str]:
        """Hosts the user asked for: those of the start URLs and sitemaps."""
        if self._start_hosts is None:
            self._start_hosts = {netloc_of(url) for url in self.start_url_list + self.sitemap_urls}
        return self._start_hosts

    def network_guard(self) -> NetworkGuard:
        """The guard for this crawl: start URLs' hosts on their ports, allowed domains."""
        if self._guard is None:
            self._guard = NetworkGuard.from_start_urls(
                self.start_url_list + self.sitemap_urls,
                self.extra_domains,
                loopback_only=self.loopback_only,
            )
        return self._guard

    def within_depth(self, depth: int) -> bool:
        """Whether a page this deep may be fetched (``DEPTH_LIMIT``)."""
        return not self.max_depth or depth <= self.max_depth

    def may_follow(self, url: str) -> bool:
        """Whether following a link to ``url`` stays where the user allowed."""
        if netloc_of(url) in self.start_hosts:
            return True
        host = host_of(url)
        return any(domain_matches(host, domain) for domain in self.extra_domains)

    # --- start ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for problem in self.input_problems:
            logger.warning("skipped %s", problem)
            self.crawler.stats.inc_value("filmcrawl/input/skipped")
        if self.urls_given and not (self.start_url_list or self.sitemap_urls):
            logger.error("none of the URLs given can be crawled; nothing to do")
            return
        if not (self.start_url_list or self.sitemap_urls):
            self.sample_site = SampleSite.start_preferring(self.sample_port)
            self.sitemap_urls = [self.sample_site.url("/sitemap.xml")]
            self._guard = self._start_hosts = None
            logger.info("crawling the bundled sample site at %s", self.sample_site.url("/"))
        seeds = [FrontierEntry(url, "seed", 0, None) for url in self.start_url_list]
        args = {
            "urls": self.start_url_list,
            "sitemap": self.sitemap_urls,
            "follow": self.follow,
            "allow_domain": self.extra_domains,
            "max_pages": self.crawler.settings.getint("CLOSESPIDER_PAGECOUNT"),
            "max_depth": self.max_depth,
        }
        try:
            pending = await self.store.call(self.store.open_run, seeds, args, fresh=self.fresh)
        except DatabaseRefusedError as exc:  # scrapy crawl / Scrapyd (the CLI checks first)
            logger.error("%s", exc)
            self.crawler.stats.set_value("filmcrawl/store/refused", str(exc))
            return
        except sqlite3.Error as exc:  # a full disk, a read-only file system
            logger.error("the database %s cannot be written: %s", self.store.path, exc)
            self.crawler.stats.set_value("filmcrawl/store/error", f"{type(exc).__name__}: {exc}")
            return
        if self.store.resumed:
            logger.info(
                "resuming generation %d: %d URLs still pending", self.store.generation, pending
            )
        # Start URLs, sitemap pages and what an interrupted run left pending are fed
        # from the frontier as the downloader takes them, not yielded here all at once:
        # 300,000 requests queued up front cost 970 MB and a minute before the first
        # fetch (issue 17).
        self._feeder = asyncio.ensure_future(self._feed_from_frontier())
        for url in self.sitemap_urls:
            if self.sitemap_walk.named(url):
                yield self.sitemap_request(url, depth=0)

    def page_request(self, entry: FrontierEntry) -> Request | None:
        """The request for a frontier entry, or None (with a warning) for a URL no
        request can be made of."""
        problem = url_problem(entry.url)
        if problem is None:
            try:
                return Request(
                    entry.url,
                    callback=self.parse_page,
                    errback=self.page_failed,
                    meta={
                        META_KEY: {
                            "kind": entry.kind,
                            "depth": entry.depth,
                            "parent_url": entry.parent_url,
                        }
                    },
                )
            except ValueError as exc:
                problem = str(exc)
        logger.warning("dropping the unusable URL %r (%s: %s)", entry.url, entry.kind, problem)
        self.crawler.stats.inc_value("filmcrawl/frontier/unusable_url")
        return None

    # --- feeding requests from the frontier ------------------------------------------------

    def _scheduler_backlog(self) -> int:
        stats = self.crawler.stats
        return int(stats.get_value("scheduler/enqueued", 0)) - int(
            stats.get_value("scheduler/dequeued", 0)
        )

    def _room_for_requests(self) -> bool:
        engine = self.crawler.engine
        return not engine.needs_backout() and self._scheduler_backlog() < FEED_BACKLOG

    async def _feed_from_frontier(self) -> None:
        """Hand pending frontier entries to the engine, in discovery order, only as fast
        as the downloader takes them; sleep when there are none (a sitemap may be
        adding more). Runs until the spider closes."""
        after = 0
        budget = PageBudget.of(self.crawler)
        while True:
            batch = await self.store.call(self.store.next_to_request, after, FEED_BATCH)
            if not batch:
                self._fed_everything.set()
                await asyncio.sleep(FEED_POLL_SECONDS)
                continue
            self._fed_everything.clear()
            unusable = []
            for rowid, entry in batch:
                await self._wait_for_room()
                after = rowid
                if not self.within_depth(entry.depth):
                    continue  # a run resumed with a smaller --max-depth leaves it alone
                if budget.held_back():
                    continue  # past --max-pages: pending for the next run
                request = self.page_request(entry)
                if request is None:
                    unusable.append(entry.url)
                elif budget.take(request):
                    self.crawler.engine.crawl(request)
            if unusable:
                # Stored by an older version, or by hand: dropped, so that this run (and
                # every later one) goes on instead of failing on it.
                await self.store.call(self.store.drop_from_frontier, unusable, "unusable_url")

    async def _wait_for_room(self) -> None:
        """Return once the engine may take another request. Woken by the end of a
        download rather than only by the clock: with a fixed 50 ms look, a downloader
        fed with 304s (a millisecond each) stood idle a third of a re-crawl, waiting
        for the feeder (issue 16)."""
        while True:
            self._download_ended.clear()
            if self._room_for_requests():
                return
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(FEED_POLL_SECONDS):
                    await self._download_ended.wait()

    def _wake_feeder(self) -> None:
        self._download_ended.set()

    def _keep_open_while_feeding(self) -> None:
        """spider_idle: nothing is in flight, but the frontier may still hold entries
        the feeder has not handed over yet."""
        if self._sitemap_tasks or (self._feeder is not None and not self._fed_everything.is_set()):
            raise DontCloseSpider

    def _stop_feeding(self) -> None:
        for task in [*self._sitemap_tasks, self._feeder]:
            if task is not None:
                task.cancel()
        self._feeder = None

    # --- sitemaps -----------------------------------------------------------------------

    def sitemap_request(self, url: str, depth: int) -> Request:
        # Each document is fetched once (the walk dedupes), so the duplicate filter is
        # not needed, and must not drop one silently.
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            dont_filter=True,
            meta={META_KEY: {"kind": SITEMAP_DOCUMENT, "depth": depth}},
        )

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Request]:
        depth = int(response.meta.get(META_KEY, {}).get("depth") or 0)
        walk = self.sitemap_walk
        document = read_document(response.url, response.body, walk.limits.max_bytes)
        if document.problem:
            logger.warning("%s is not a readable sitemap: %s", response.url, document.problem)
            self.crawler.stats.inc_value("filmcrawl/sitemap/unreadable")
            return
        self.crawler.stats.inc_value(f"filmcrawl/sitemap/documents/{document.kind}")
        for url in walk.further_documents(document, depth):
            yield self.sitemap_request(url, depth + 1)
        self._report_sitemap_walk()
        if document.kind == "urlset":
            # Read on in the background: while this callback runs, its response counts
            # against Scrapy's scraper limit (5 MB), and a 30 MB sitemap holds back every
            # download until the callback ends.
            task = asyncio.ensure_future(self._store_sitemap_pages(document))
            self._sitemap_tasks.add(task)
            task.add_done_callback(self._sitemap_tasks.discard)

    async def _store_sitemap_pages(self, document: SitemapDocument) -> None:
        """Read a sitemap's pages and store them in chunks; the feeder requests them as
        the downloader takes them, so fetching starts after the first chunk, and the
        reactor (and Ctrl-C) is never held for long."""
        locations = iter(document.locations)
        try:
            while chunk := list(islice(locations, SITEMAP_CHUNK)):
                pages = self.sitemap_walk.pages(document, chunk)
                entries = [FrontierEntry(url, "sitemap", 0, None) for url in pages]
                await self.store.call(self.store.add_to_frontier, entries)
                self._fed_everything.clear()
        except Exception:
            logger.exception("could not store the pages of sitemap %s", document.url)
            self.crawler.stats.inc_value("filmcrawl/sitemap/failed")
        self._report_sitemap_walk()

    def _report_sitemap_walk(self) -> None:
        walk = self.sitemap_walk
        stats = self.crawler.stats
        for key, count in walk.skipped.items():
            stats.set_value(f"filmcrawl/{key}", count)
        for setting, message in walk.exceeded.items():
            if setting not in self._limits_reported:
                self._limits_reported.add(setting)
                logger.error("sitemap limit reached: %s", message)
                stats.set_value(f"filmcrawl/sitemap/limit_reached/{setting}", message)

    def sitemap_failed(self, failure: Failure) -> None:
        logger.error("could not fetch sitemap %s: %s", failure.request.url, failure.value)  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("filmcrawl/sitemap/failed")

    # --- pages -------------------------------------------------------------------------------

    def _fetched(self, response: Response) -> FetchedPage:
        info = response.meta.get(META_KEY, {})
        headers = response.headers
        redirects = response.meta.get("redirect_urls") or []
        return FetchedPage(
            url=response.url,
            requested_url=redirects[0] if redirects else response.request.url,  # type: ignore[union-attr]
            http_status=response.status,
            body=response.body,
            fetched_at=utc_now(),
            content_type=_header(headers, b"Content-Type"),
            etag=_header(headers, b"ETag"),
            last_modified=_header(headers, b"Last-Modified"),
            depth=int(info.get("depth") or 0),
            parent_url=info.get("parent_url"),
            extract_timeout=self.extract_timeout,
            max_comments=self.max_comments,
            want_links=self.follow,
            fetch_ms=_milliseconds(response.meta.get("download_latency")),
        )

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        fetched = self._fetched(response)
        if "dataloss" in response.flags:
            # Only with DOWNLOAD_FAIL_ON_DATALOSS off: the rest of the page never came,
            # and what came must not replace what is stored.
            item = base_record(fetched)
            item.status = "truncated"
            item.status_reason = "the body ended before its declared length"
            item.count("fetch/truncated")
            logger.warning("%s: %s (%s)", item.url, item.status, item.status_reason)
            yield item
            return
        stored = self.store.validators(fetched.requested_url) or self.store.validators(fetched.url)
        if stored is not None and response.status != 304:
            fetched.body_hash = content_hash(fetched.body)
        if response.status == 304 or (
            stored is not None and stored.content_hash == fetched.body_hash
        ):
            item = base_record(fetched)
            if response.status == 304:
                item.status, item.status_reason = "not_modified", "304 Not Modified"
                item.url = stored.page_url if stored else item.url
                item.content_hash = stored.content_hash if stored else None
                item.content_length = None
            else:
                item.status, item.status_reason = "unchanged", "content hash unchanged"
            yield item
            # The page did not change, so neither did its links: hand on the stored ones.
            links = [
                (url, kind)
                for url, kind in await self.store.stored_links(item.url)
                if kind == "comments" or (self.follow and self.may_follow(url))
            ]
            depth = fetched.depth
            if self.shallowest is not None:
                depth = self.shallowest.handing_on(fetched.requested_url, item.url, depth)
            for request in await self._link_requests(links, depth, item.url):
                yield request
            return

        try:
            # The whole per-page chain, one task in one worker: one pickle each way.
            item = await self.pool.run("page", process_fetched_page, fetched)
        except WorkerCrashedError as exc:
            if self.stopping():
                # Stopping: the worker went with a signal to the whole process group,
                # not because of this page. It stays pending for the next run.
                logger.warning("%s: left for the next run (%s while stopping)", fetched.url, exc)
                self.crawler.stats.inc_value("filmcrawl/pages/returned_to_frontier")
                return
            item = base_record(fetched)
            item.status, item.status_reason = "extract_failed", str(exc)
        except WorkerTimeoutError as exc:
            item = base_record(fetched)
            item.status, item.status_reason = "extract_failed", str(exc)
        item.links = [url for url in item.links if self.follow and self.may_follow(url)]
        if item.status != "ok":
            logger.warning("%s: %s (%s)", item.url, item.status, item.status_reason)
        links = item.handed_on()
        if self.shallowest is not None:
            item.depth = self.shallowest.handing_on(fetched.requested_url, item.url, item.depth)
            self.store.hold_links(item.url, links)
        yield item
        for request in await self._link_requests(links, item.depth, item.url):
            yield request

    async def _link_requests(
        self, links: list[tuple[str, str]], depth: int, parent_url: str
    ) -> list[Request]:
        """Requests for the ``(url, kind)`` links of a page at ``depth``: further comment
        pages as deep as their page, followed links one step deeper; none for a page
        an interrupted run of this pass already fetched."""
        done = await self.store.done_in_this_pass([url for url, _ in links])
        requests = []
        for url, kind in links:
            if url in done:
                self.crawler.stats.inc_value("filmcrawl/follow/done_earlier_in_this_pass")
                continue
            reached_at = link_depth(depth, kind)
            if self.shallowest is not None and self.within_depth(reached_at):
                page_url = self.shallowest.reached(url, reached_at)
                if page_url is not None:
                    # Reached in fewer steps than the page handed its links on from:
                    # hand them on again, so none is cut at DEPTH_LIMIT by timing.
                    self.crawler.stats.inc_value("filmcrawl/follow/reached_in_fewer_steps")
                    again = await self.store.handed_links(page_url)
                    requests.extend(await self._link_requests(again, reached_at, page_url))
            if kind == "comments":
                if request := self.page_request(FrontierEntry(url, kind, reached_at, parent_url)):
                    requests.append(request)
            else:
                requests.extend(self._follow(url, reached_at, parent_url))
        return requests

    def _follow(self, url: str, depth: int, parent_url: str) -> Iterator[Request]:
        """A request for a followed link, unless it is deeper than ``DEPTH_LIMIT`` (the
        link stays stored with its page, for a later run that goes deeper)."""
        if not self.within_depth(depth):
            self.crawler.stats.inc_value("filmcrawl/follow/beyond_max_depth")
        elif request := self.page_request(FrontierEntry(url, "follow", depth, parent_url)):
            yield request

    def page_failed(self, failure: Failure) -> Iterator[PageRecord]:
        """A request that got no usable response still becomes a page row, with a
        status that says why (:func:`crawler.fetch.failures.classify_failure`)."""
        request: Request = failure.request  # type: ignore[attr-defined]
        info = request.meta.get(META_KEY, {})
        redirects = request.meta.get("redirect_urls") or []
        what = classify_failure(failure.value)
        # A chain that went round (or on too long) reached no page: the row is the URL
        # that was asked for, with the chain in its reason (issue 17: a -> b -> a left
        # a row for b only, none for the URL the user gave).
        url = redirects[0] if redirects and isinstance(failure.value, RedirectLoopError) else None
        item = PageRecord(
            url=url or request.url,
            requested_url=redirects[0] if redirects else request.url,
            fetched_at=utc_now(),
            site=site_of(request.url),
            depth=int(info.get("depth") or 0),
            parent_url=info.get("parent_url"),
            status=what.status,
            status_reason=what.reason,
            http_status=what.http_status,
        )
        item.count(what.event)
        logger.warning("%s: %s (%s)", item.url, item.status, item.status_reason)
        yield item

    def stopping(self) -> bool:
        """Whether the crawl is being stopped (Ctrl-C, SIGTERM), also in the moment
        between the signal and the engine's stop (crawler.run.interrupt sets the stat)."""
        stats = self.crawler.stats
        return not self.crawler.crawling or bool(stats and stats.get_value(STOP_SIGNAL_STAT))

    def _release_resources(self) -> None:
        if self.sample_site is not None:
            self.sample_site.stop()
            self.sample_site = None


def _milliseconds(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1000)


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    if value is None:
        return None
    # Control characters are not allowed in a header value (RFC 9110); from a hostile
    # server they are kept visible, never as the escape sequences they are.
    return terminal_safe(bytes(value).decode("latin-1").strip()) or None
