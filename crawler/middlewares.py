"""Downloader middlewares: conditional GETs from what the database already holds."""

from __future__ import annotations

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.store.service import FilmStore

META_KEY = "filmcrawl"
SITEMAP_DOCUMENT = "sitemap-document"


class ConditionalGetMiddleware:
    """Send ``If-None-Match`` / ``If-Modified-Since`` for pages stored before, and let
    a ``304 Not Modified`` reach the spider (it only moves ``last_fetched``).

    Settings: ``FILMCRAWL_CONDITIONAL_GET`` (default on).
    """

    def __init__(self, store: FilmStore) -> None:
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("FILMCRAWL_CONDITIONAL_GET", True):
            raise NotConfigured
        return cls(FilmStore.for_crawler(crawler))

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
