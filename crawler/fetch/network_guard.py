"""Keep the crawl where the user sent it: a crawled page must not steer the crawler to
loopback or private addresses (SSRF), and tests and benchmarks can pin every request to
127.0.0.1.

Two checks, using :class:`crawler.fetch.network_policy.NetworkGuard`:

* :class:`NetworkGuardMiddleware` decides on the URL of every request before it is
  downloaded (start URLs, followed links, comment pages, redirects, robots.txt), so a
  refused URL never reaches DNS or a socket;
* :class:`GuardedResolver` decides again on the addresses a host name resolves to, so
  a public name that resolves to a private address (DNS rebinding) is refused too.

Allowed are the hosts of the start URLs and sitemaps (on their own port) and the
``--allow-domain`` values. ``FILMCRAWL_LOOPBACK_ONLY=1`` refuses everything that is
not loopback (the test suite and the benchmarks run with it).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver

from crawler.fetch.network_policy import GuardDecision, NetworkGuard

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class NetworkRefusedError(IgnoreRequest):
    """The network guard refused a URL; the message says why."""


def guard_for(crawler: Crawler) -> NetworkGuard:
    """The crawl's guard: the spider's (it knows the start hosts) or a settings-only one."""
    spider = crawler.spider
    builder = getattr(spider, "network_guard", None)
    if callable(builder):
        guard: NetworkGuard = builder()
        return guard
    return NetworkGuard(loopback_only=crawler.settings.getbool("FILMCRAWL_LOOPBACK_ONLY"))


class NetworkGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        decision = guard_for(self.crawler).check(request.url)
        if not decision.allowed:
            self._refuse(request.url, decision)

    def _refuse(self, url: str, decision: GuardDecision) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"filmcrawl/netguard/refused/{decision.reason}")
        logger.warning("refusing %s: %s", url, decision.reason)
        raise NetworkRefusedError(f"network guard: {decision.reason}")


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers the network guard does not allow.

    Scrapy installs one resolver per process and builds it with the process object
    (``CrawlerProcess``), not a crawler, so the guards are looked up on the crawlers
    the process runs when a name is resolved.
    """

    owner: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> Self:
        resolver = super().from_crawler(crawler, reactor)
        resolver.owner = crawler
        return resolver

    def _crawlers(self) -> list[Crawler]:
        crawlers = getattr(self.owner, "crawlers", None)
        if crawlers is not None:
            return list(crawlers)
        return [self.owner] if self.owner is not None else []

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        deferred = super().getHostByName(name, timeout)
        deferred.addCallback(self._check, name)
        return deferred

    def _check(self, address: Any, name: str) -> Any:
        for crawler in self._crawlers():
            decision = guard_for(crawler).check_resolved(name, [str(address)])
            if not decision.allowed:
                if crawler.stats is not None:
                    crawler.stats.inc_value(
                        f"filmcrawl/netguard/refused_resolved/{decision.reason}"
                    )
                logger.warning("refusing %s: it resolved to a %s", name, decision.reason)
                raise NetworkRefusedError(f"network guard: {name} resolved to {decision.reason}")
        return address
