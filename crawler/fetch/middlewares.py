"""Downloader middlewares: conditional GETs from what the database already holds, and
backpressure from the pages still being processed."""

from __future__ import annotations

import asyncio
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.fetch.meta import META_KEY, SITEMAP_DOCUMENT
from crawler.store.service import FilmStore


class ConditionalGetMiddleware:
    """Send ``If-None-Match`` / ``If-Modified-Since`` for pages stored before, and let
    a ``304 Not Modified`` reach the spider (it only moves ``last_fetched``).

    Settings: ``FILMCRAWL_CONDITIONAL_GET`` (default on).
    """

    def __init__(self, store: FilmStore) -> None:
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("FILMCRAWL_CONDITIONAL_GET"):
            raise NotConfigured
        return cls(FilmStore.of(crawler))

    def process_request(self, request: Request) -> None:
        # Sitemaps are read afresh on every run: they are how new pages are found.
        info = request.meta.get(META_KEY)
        if info is None or info.get("kind") == SITEMAP_DOCUMENT:
            return
        validators = self.store.validators(request.url)
        if validators is None:
            return
        if validators.etag:
            request.headers.setdefault(b"If-None-Match", validators.etag.encode("latin-1"))
        if validators.last_modified:
            request.headers.setdefault(
                b"If-Modified-Since", validators.last_modified.encode("latin-1")
            )
        allowed = list(request.meta.get("handle_httpstatus_list", []))
        if 304 not in allowed:
            request.meta["handle_httpstatus_list"] = [*allowed, 304]


def pages_in_process(engine: Any) -> int:
    """Responses waiting for or inside their spider callback, or whose item is in the
    pipelines (a response stays active while its item is processed, so the larger
    count, not the sum): Scrapy's scraper slot, read defensively."""
    slot = getattr(getattr(engine, "scraper", None), "slot", None)
    return max(
        len(getattr(slot, "queue", ()) or ()) + len(getattr(slot, "active", ()) or ()),
        int(getattr(slot, "itemproc_size", 0) or 0),
    )


class ProcessingBackpressureMiddleware:
    """Hold requests back while ``FILMCRAWL_MAX_PAGES_IN_PROCESS`` responses are still
    being processed (extracted, cleaned, stored).

    Scrapy limits the responses it lets into the scraper by their body size (5 MB by
    default), counting a bodiless one as 1 KB: a re-crawl whose answers are mostly
    ``304 Not Modified`` admits thousands of them when fetching outruns processing, and
    each holds its request, response, item and Scrapy's per-response tasks (a 10,000-page
    re-crawl peaked at 640 MB). A request held here counts as in flight, so the engine
    stops feeding the downloader until processing catches up. One waiter polls at a time;
    the others queue behind it in order.
    """

    POLL_SECONDS = 0.02

    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self._turn = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        limit = crawler.settings.getint("FILMCRAWL_MAX_PAGES_IN_PROCESS")
        if limit <= 0:
            raise NotConfigured
        return cls(crawler, limit)

    async def process_request(self, request: Request) -> None:
        in_process = pages_in_process(self.crawler.engine)
        self.crawler.stats.max_value("filmcrawl/backpressure/max_pages_in_process", in_process)
        if in_process < self.limit and not self._turn.locked():
            return
        self.crawler.stats.inc_value("filmcrawl/backpressure/requests_held")
        async with self._turn:
            while pages_in_process(self.crawler.engine) >= self.limit:
                await asyncio.sleep(self.POLL_SECONDS)
