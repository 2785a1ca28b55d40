"""Politeness that Scrapy's defaults get wrong for an unattended crawler.

* robots.txt that answers 5xx (or 429) or cannot be fetched means "disallow for now",
  as RFC 9309 section 2.3.1.4 requires; Scrapy treats it as "allow everything". A 4xx
  robots.txt still means there are no rules.
* A 429 or 503 with ``Retry-After`` is retried after the delay the server asked for
  (up to ``FILMCRAWL_RETRY_AFTER_MAX`` seconds; longer requests give up at once rather
  than hold the crawl), not immediately as Scrapy's RetryMiddleware would.
"""

from __future__ import annotations

import asyncio
import logging
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Self

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Statuses after which robots.txt counts as unreachable. RFC 9309 names 5xx; 429 asks
# the crawler to come back later, which is the same situation.
UNREACHABLE_ROBOTS_STATUSES = frozenset(range(500, 600)) | {429}


class UnreachableRobots:
    """Stands in for a robots.txt that could not be read: nothing is allowed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class PoliteRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's handling of unreachable files."""

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status in UNREACHABLE_ROBOTS_STATUSES:
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._unreachable(netloc, f"robots.txt answered HTTP {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            # Refused before download (e.g. by the network guard): the page request
            # itself will be refused for the same reason.
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unreachable(netloc, f"robots.txt could not be fetched ({type(exc).__name__})")

    def _unreachable(self, netloc: str, reason: str) -> None:
        logger.warning("%s: %s; disallowing the site for this run (RFC 9309)", netloc, reason)
        self._stats.inc_value("filmcrawl/robots/unreachable")
        parser = UnreachableRobots(reason)
        pending = self._parsers.get(netloc)
        self._parsers[netloc] = parser  # type: ignore[assignment]
        if pending is not None and hasattr(pending, "callback"):
            pending.callback(parser)  # type: ignore[arg-type]

    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, UnreachableRobots):
            self._stats.inc_value("filmcrawl/robots/disallowed_unreachable")
            raise IgnoreRequest(f"{rp.reason}: disallowed for now (RFC 9309)")
        super().process_request_2(rp, request)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    import time

    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that waits as long as ``Retry-After`` asks before retrying."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("FILMCRAWL_RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        stats = self.crawler.stats
        assert stats is not None
        if wait is not None:
            if wait > self.max_wait:
                stats.inc_value("filmcrawl/retry_after/too_long")
                logger.warning(
                    "%s asked to retry after %.0f s (more than %.0f s): giving up on it",
                    request.url,
                    wait,
                    self.max_wait,
                )
                return response
            stats.inc_value("filmcrawl/retry_after/honoured")
            retry = self._retry(request, f"{response.status} with Retry-After {wait:g}s")
            if retry is None:
                return response
            await asyncio.sleep(wait)
            return retry
        return self._retry(request, f"HTTP {response.status}") or response
