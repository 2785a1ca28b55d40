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

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.fetch.failures import classify_failure
from crawler.fetch.network_policy import NetworkGuard
from crawler.process.page import (
    DEFAULT_EXTRACT_TIMEOUT,
    FetchedPage,
    base_item,
    content_hash,
    process_fetched,
)
from crawler.process.pool import WorkerCrashedError, WorkerPool, WorkerTimeoutError
from crawler.sample_site.server import SampleSite
from crawler.store.database import utc_now
from crawler.store.frontier import FrontierEntry
from crawler.store.service import FilmStore
from crawler.store.writer import site_of
from schemas.records import PageRecord

logger = logging.getLogger(__name__)

META_KEY = "filmcrawl"
# The kind of a request for a sitemap (or robots.txt listing sitemaps) itself, as
# opposed to the pages a sitemap lists (kind "sitemap").
SITEMAP_DOCUMENT = "sitemap-document"


def split_urls(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, list):
        parts = value
    elif "\n" in value:
        parts = [line.split("#", 1)[0] for line in value.splitlines()]
    else:
        parts = value.replace(",", " ").split()
    return [part.strip() for part in parts if part.strip()]


def read_urls_file(path: str | None) -> list[str]:
    if not path:
        return []
    urls = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        url = line.split("#", 1)[0].strip()
        if url:
            urls.append(url)
    return urls


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
        self.start_url_list = list(dict.fromkeys(split_urls(urls) + read_urls_file(urls_file)))
        self.sitemap_urls = split_urls(sitemap)
        self.follow = truthy(follow)
        self.extra_domains = split_urls(allow_domain)
        self.fresh = truthy(fresh)
        self.sample_site: SampleSite | None = None
        self.store: FilmStore
        self.pool: WorkerPool
        self.extract_timeout = DEFAULT_EXTRACT_TIMEOUT
        self.loopback_only = False
        self.sample_port = 0
        self.max_depth = 0  # DEPTH_LIMIT: links followed at most this deep (0: no limit)
        self._guard: NetworkGuard | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = FilmStore.for_crawler(crawler)
        spider.pool = WorkerPool.for_crawler(crawler)
        spider.extract_timeout = crawler.settings.getfloat(
            "FILMCRAWL_EXTRACT_TIMEOUT", DEFAULT_EXTRACT_TIMEOUT
        )
        spider.loopback_only = crawler.settings.getbool("FILMCRAWL_LOOPBACK_ONLY")
        spider.sample_port = crawler.settings.getint("FILMCRAWL_SAMPLE_PORT", 0)
        spider.max_depth = crawler.settings.getint("DEPTH_LIMIT", 0)
        spider.store.max_depth = spider.max_depth
        crawler.signals.connect(spider._release_resources, signal=signals.engine_stopped)
        return spider

    # --- which hosts --------------------------------------------------------------------

    @property
    def start_hosts(self) -> set[str]:
        """Hosts the user asked for: those of the start URLs and sitemaps."""
        return {urlsplit(u).netloc.lower() for u in self.start_url_list + self.sitemap_urls}

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
        if urlsplit(url).netloc.lower() in self.start_hosts:
            return True
        host = host_of(url)
        return any(domain_matches(host, domain) for domain in self.extra_domains)

    # --- start ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        if not (self.start_url_list or self.sitemap_urls):
            self.sample_site = SampleSite.start_preferring(self.sample_port)
            self.sitemap_urls = [self.sample_site.url("/sitemap.xml")]
            self._guard = None
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
        pending = await self.store.call(self.store.open_run, seeds, args, fresh=self.fresh)
        if self.store.resumed:
            logger.info(
                "resuming generation %d: %d URLs still pending",
                self.store.generation,
                len(pending),
            )
        for entry in pending:
            # A run resumed with a smaller --max-depth leaves deeper URLs alone.
            if self.within_depth(entry.depth):
                yield self.page_request(entry)
        for url in self.sitemap_urls:
            yield Request(
                url,
                callback=self.parse_sitemap,
                errback=self.sitemap_failed,
                dont_filter=True,
                meta={META_KEY: {"kind": SITEMAP_DOCUMENT}},
            )

    def page_request(self, entry: FrontierEntry) -> Request:
        return Request(
            entry.url,
            callback=self.parse_page,
            errback=self.page_failed,
            meta={
                META_KEY: {"kind": entry.kind, "depth": entry.depth, "parent_url": entry.parent_url}
            },
        )

    # --- sitemaps -----------------------------------------------------------------------

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Request]:
        if response.url.endswith("/robots.txt"):
            locations = list(sitemap_urls_from_robots(response.text, base_url=response.url))
            for url in locations:
                yield Request(
                    url, callback=self.parse_sitemap, meta={META_KEY: {"kind": SITEMAP_DOCUMENT}}
                )
            return
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # lxml raises on anything that is not XML
            logger.warning("%s is not a readable sitemap: %r", response.url, exc)
            self.crawler.stats.inc_value("filmcrawl/sitemap/unreadable")
            return
        locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for url in locations:
                yield Request(
                    url, callback=self.parse_sitemap, meta={META_KEY: {"kind": SITEMAP_DOCUMENT}}
                )
            return
        # A sitemap may only add pages on its own host (or hosts the user allowed).
        host = urlsplit(response.url).netloc.lower()
        accepted = [
            url for url in locations if urlsplit(url).netloc.lower() == host or self.may_follow(url)
        ]
        entries = [FrontierEntry(url, "sitemap", 0, None) for url in accepted]
        for url in await self.store.call(self.store.add_to_frontier, entries):
            yield self.page_request(FrontierEntry(url, "sitemap", 0, None))

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
            want_links=self.follow,
            fetch_ms=_milliseconds(response.meta.get("download_latency")),
        )

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        fetched = self._fetched(response)
        stored = self.store.validators(fetched.requested_url) or self.store.validators(fetched.url)
        if response.status == 304 or (
            stored is not None and stored.content_hash == content_hash(fetched.body)
        ):
            item = base_item(fetched)
            if response.status == 304:
                item.status, item.status_reason = "not_modified", "304 Not Modified"
                item.url = stored.page_url if stored else item.url
                item.content_hash = stored.content_hash if stored else None
                item.content_length = None
            else:
                item.status, item.status_reason = "unchanged", "content hash unchanged"
            yield item
            # The page did not change, so neither did its links: hand on the stored ones.
            for url, kind in await self.store.stored_links(item.url):
                if kind == "comments":
                    yield self.page_request(FrontierEntry(url, kind, fetched.depth, item.url))
                elif self.follow and self.may_follow(url):
                    for request in self._follow(url, fetched.depth + 1, item.url):
                        yield request
            return

        try:
            item = await self.pool.run("extract", process_fetched, fetched)
        except (WorkerCrashedError, WorkerTimeoutError) as exc:
            item = base_item(fetched)
            item.status, item.status_reason = "extract_failed", str(exc)
        item.links = [url for url in item.links if self.follow and self.may_follow(url)]
        if item.status != "ok":
            logger.warning("%s: %s (%s)", item.url, item.status, item.status_reason)
        yield item
        for url in item.comment_page_urls:
            yield self.page_request(FrontierEntry(url, "comments", fetched.depth, item.url))
        for url in item.links:
            for request in self._follow(url, fetched.depth + 1, item.url):
                yield request

    def _follow(self, url: str, depth: int, parent_url: str) -> Iterator[Request]:
        """A request for a followed link, unless it is deeper than ``DEPTH_LIMIT`` (the
        link stays stored with its page, for a later run that goes deeper)."""
        if self.within_depth(depth):
            yield self.page_request(FrontierEntry(url, "follow", depth, parent_url))
        else:
            self.crawler.stats.inc_value("filmcrawl/follow/beyond_max_depth")

    def page_failed(self, failure: Failure) -> Iterator[PageRecord]:
        """A request that got no usable response still becomes a page row, with a
        status that says why (:func:`crawler.fetch.failures.classify_failure`)."""
        request: Request = failure.request  # type: ignore[attr-defined]
        info = request.meta.get(META_KEY, {})
        redirects = request.meta.get("redirect_urls") or []
        what = classify_failure(failure.value)
        item = PageRecord(
            url=request.url,
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
        logger.warning("%s: %s (%s)", request.url, item.status, item.status_reason)
        yield item

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
    return bytes(value).decode("latin-1").strip() or None
