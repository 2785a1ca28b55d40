"""Fetch one page exactly as a crawl would, for ``filmcrawl extract URL``: the same
downloader middlewares (robots.txt, the network guard, size limits, redirects,
retries), with nothing stored.

The spider is not in ``SPIDER_MODULES`` (``scrapy list`` shows only ``films``); the
preview command runs it with the project's settings minus the item pipelines and the
run recorder.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.fetch.failures import classify_failure
from crawler.fetch.middlewares import META_KEY
from crawler.fetch.network_policy import NetworkGuard

# Settings that turn a crawl into a preview: nothing is written anywhere.
PREVIEW_SETTINGS: dict[str, Any] = {
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {
        "crawler.run.recorder.CrawlRunRecorder": None,
        "crawler.run.progress.CrawlProgress": None,
    },
    "FILMCRAWL_CONDITIONAL_GET": False,
}


class PreviewSpider(scrapy.Spider):
    """Fetches one URL and keeps the response (or why there is none)."""

    name = "filmcrawl-preview"

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url
        self.response: Response | None = None
        self.failure: tuple[str, str, int | None] | None = None  # status, reason, HTTP
        self._guard: NetworkGuard | None = None

    def network_guard(self) -> NetworkGuard:
        """The guard a crawl of this one URL would use (crawler/fetch/network_guard.py)."""
        if self._guard is None:
            self._guard = NetworkGuard.from_start_urls(
                [self.url], [], loopback_only=self.settings.getbool("FILMCRAWL_LOOPBACK_ONLY")
            )
        return self._guard

    def may_follow(self, url: str) -> bool:
        """Redirects may stay on the URL's own host, as in a crawl."""
        return urlsplit(url).netloc.lower() == urlsplit(self.url).netloc.lower()

    async def start(self) -> AsyncIterator[Request]:
        yield Request(
            self.url,
            callback=self.keep,
            errback=self.failed,
            dont_filter=True,
            meta={META_KEY: {"kind": "seed", "depth": 0, "parent_url": None}},
        )

    def keep(self, response: Response) -> None:
        self.response = response

    def failed(self, failure: Failure) -> None:
        what = classify_failure(failure.value)
        self.failure = (what.status, what.reason, what.http_status)
