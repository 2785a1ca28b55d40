"""Politeness that Scrapy's defaults get wrong for an unattended crawler.

* Every request to a host waits for that host's robots.txt decision. Scrapy 2.19's
  middleware hands the parser to the first request that waits for the download and
  ``None`` ("no rules") to the others, so requests arriving while robots.txt was
  being fetched went out unchecked (issue 17: 13 of 30 disallowed URLs fetched).
* robots.txt that answers 5xx (or 429) or cannot be fetched means "disallow for now",
  as RFC 9309 section 2.3.1.4 requires; Scrapy treats it as "allow everything". A 4xx
  robots.txt still means there are no rules.
* At most ``CONCURRENT_REQUESTS_PER_DOMAIN`` (or ``CONCURRENT_REQUESTS_PER_IP``, or a
  ``DOWNLOAD_SLOTS`` entry's ``concurrency``) requests are in flight per download slot:
  Scrapy 2.19's downloader starts every queued request of a slot at once when one
  finishes and no download delay is set (issue 17: 8 at once with a limit of 2).
* A 429 or 503 with ``Retry-After`` is retried after the delay the server asked for
  (up to ``FILMCRAWL_RETRY_AFTER_MAX`` seconds; longer requests give up at once rather
  than hold the crawl), not immediately as Scrapy's RetryMiddleware would.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Self

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler import settings as defaults

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

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
    """Scrapy's robots.txt middleware with RFC 9309's handling of unreachable files,
    and every request waiting for the decision."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            # Known already, or this request is the first and fetches robots.txt.
            return await super().robot_parser(request)
        # Awaiting the shared Deferred itself would consume its result: the first
        # waiter would get the parser and every later one None, i.e. "allowed". Each
        # waiter gets its own Deferred, fired with the result the shared one passes on.
        waiter: Deferred[RobotParser | None] = Deferred()

        def relay(parser: RobotParser | None) -> RobotParser | None:
            waiter.callback(parser)
            return parser

        pending.addCallback(relay)
        return await maybe_deferred_to_future(waiter)

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
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that waits as long as ``Retry-After`` asks before retrying."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat(
            "FILMCRAWL_RETRY_AFTER_MAX", defaults.FILMCRAWL_RETRY_AFTER_MAX
        )

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


class HostConcurrencyMiddleware:
    """Hold a request back while its download slot (its host, as Scrapy keys slots)
    has as many requests in flight as the slot's concurrency allows.

    Scrapy's downloader checks a slot's free places before the requests it starts
    have registered as transferring, so with no download delay one finished request
    lets the whole queue of its slot go at once. Sitting next to the downloader (the
    last ``process_request``, the first ``process_response`` and
    ``process_exception``), this middleware counts the requests between those points,
    which is the download itself. Requests that wait here count as active, like those
    waiting in Scrapy's slot queues, so ``CONCURRENT_REQUESTS`` still bounds the total.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.default_limit = settings.getint("CONCURRENT_REQUESTS_PER_IP") or settings.getint(
            "CONCURRENT_REQUESTS_PER_DOMAIN"
        )
        self.slot_settings: dict[str, dict[str, Any]] = settings.getdict("DOWNLOAD_SLOTS")
        self._slots: dict[str, _SlotPermits] = {}
        self._holders: dict[Request, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _limit(self, key: str) -> int:
        return int(self.slot_settings.get(key, {}).get("concurrency", self.default_limit))

    async def process_request(self, request: Request) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        key = engine.downloader.get_slot_key(request)
        slot = self._slots.get(key)
        if slot is None:
            limit = self._limit(key)
            if limit <= 0:
                return
            slot = self._slots[key] = _SlotPermits(asyncio.Semaphore(limit))
        if slot.permits.locked() and self.crawler.stats is not None:
            self.crawler.stats.inc_value("filmcrawl/politeness/requests_held")
        slot.users += 1
        try:
            await slot.permits.acquire()
        except BaseException:
            self._leave(key)
            raise
        self._holders[request] = key

    def _leave(self, key: str) -> None:
        # A slot nobody holds or waits for is forgotten (a long crawl meets many hosts).
        slot = self._slots[key]
        slot.users -= 1
        if not slot.users:
            del self._slots[key]

    def _release(self, request: Request) -> None:
        key = self._holders.pop(request, None)
        if key is not None:
            self._slots[key].permits.release()
            self._leave(key)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)


@dataclass
class _SlotPermits:
    """The places of one download slot, and how many requests hold or wait for one."""

    permits: asyncio.Semaphore
    users: int = 0
