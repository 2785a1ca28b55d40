"""Bounds on a crawl, on Scrapy's own settings: ``CLOSESPIDER_PAGECOUNT`` (``filmcrawl
crawl --max-pages``) and ``DEPTH_LIMIT`` (``--max-depth``).

Scrapy's versions count differently from what a user means by "pages" and "depth":
its page count includes robots.txt and sitemaps, and its depth grows by one for every
request a response leads to, so a film page's second page of comments would be one
step deeper than the page itself. These subclasses keep Scrapy's behaviour and
settings but count film pages, and the depth the crawl frontier records (followed
links one step deeper, further comment pages as deep as their page).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider as CloseSpiderError
from scrapy.extensions.closespider import CloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.depth import DepthMiddleware

from crawler.fetch.middlewares import META_KEY, SITEMAP_DOCUMENT

# The close reason Scrapy gives when CLOSESPIDER_PAGECOUNT pages were fetched.
PAGE_LIMIT_REASON = "closespider_pagecount"
# Page requests let through under CLOSESPIDER_PAGECOUNT, and those held back. Kept in the
# crawl's stats: requests reach the downloader two ways (yielded by callbacks through
# the spider middlewares, and fed from the frontier by the spider), and both count.
PAGES_REQUESTED = "filmcrawl/bounds/pages_requested"
HELD_BACK = "filmcrawl/bounds/held_back_by_max_pages"


def is_page_request(request: Request | None) -> bool:
    """A request for a film page (not robots.txt, not a sitemap)."""
    if request is None:
        return False
    info = request.meta.get(META_KEY)
    return info is not None and info.get("kind") != SITEMAP_DOCUMENT


class PageCountCloseSpider(CloseSpider):
    """Scrapy's CloseSpider with ``CLOSESPIDER_PAGECOUNT`` counting film pages only."""

    def page_count(self, response: Response, request: Request, spider: Spider) -> None:
        if is_page_request(request):
            super().page_count(response, request, spider)


class PageBudget:
    """``CLOSESPIDER_PAGECOUNT`` as a user counts pages: each distinct page takes one
    unit, once.

    A page is one request fingerprint (Scrapy's, the one its duplicate filter uses): a
    page linked from fifty others is requested fifty times, and the scheduler drops
    all but the first. Counting every request, a ``--follow`` crawl of a site whose
    pages link to each other spent its 1,000 pages on a few hundred, stopped "at the
    page limit", and its resumed runs stopped sooner still. A request for a page
    already let through passes free (the duplicate filter drops it); one that asks not
    to be filtered is counted again, as it will be fetched again.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.limit = crawler.settings.getint("CLOSESPIDER_PAGECOUNT")
        self._crawler = crawler
        self._let_through: set[bytes] = set()

    @classmethod
    def of(cls, crawler: Crawler) -> PageBudget:
        """The crawl's budget (made on first use, when the crawler has its fingerprinter)."""
        budget = _BUDGETS.get(crawler)
        if budget is None:
            budget = _BUDGETS[crawler] = cls(crawler)
        return budget

    def take(self, request: Request) -> bool:
        """Whether ``request`` may go on (taking a unit for a page not let through
        before); a page held back stays pending in the frontier for the next run."""
        if not self.limit or self._crawler.stats is None:
            return True
        fingerprint = self._crawler.request_fingerprinter.fingerprint(request)
        if fingerprint in self._let_through and not request.dont_filter:
            return True
        if self.held_back():
            return False
        self._let_through.add(fingerprint)
        self._crawler.stats.inc_value(PAGES_REQUESTED)
        return True

    def held_back(self) -> bool:
        """Whether the budget is spent (counting one more page held back if so). The
        feeder asks first, so that a run stopped at 100 pages of a 300,000-page sitemap
        makes no request, and no fingerprint, for the other pages."""
        stats = self._crawler.stats
        if not self.limit or stats is None:
            return False
        if int(stats.get_value(PAGES_REQUESTED, 0)) < self.limit:
            return False
        stats.inc_value(HELD_BACK)
        return True


_BUDGETS: WeakKeyDictionary[Crawler, PageBudget] = WeakKeyDictionary()


class ShallowestLinks:
    """``DEPTH_LIMIT`` on the fewest link steps to a page, whatever order pages come in.

    Scrapy's duplicate filter lets a page's first request through and drops the others,
    so with several requests in flight a page first reached by a longer path keeps that
    path's depth, and its links deeper than the limit are cut: under ``--max-depth 2``,
    a page two steps from a start page was fetched or not by timing. This keeps, per
    URL, the fewest steps any link of the run gave it, so that a page hands its links
    on from there, and says when a page that already handed them on is reached in
    fewer steps: it must hand them on again from the shallower depth.
    """

    def __init__(self) -> None:
        self._depths: dict[str, int] = {}
        self._handed_on: dict[str, str] = {}  # requested URL -> the page that answered

    def reached(self, url: str, depth: int) -> str | None:
        """A link reaches ``url`` at ``depth``: the page that must hand its links on
        again (from ``depth``), if ``url`` had handed them on from deeper."""
        known = self._depths.get(url)
        if known is not None and known <= depth:
            return None
        self._depths[url] = depth
        return self._handed_on.get(url) if known is not None else None

    def handing_on(self, requested_url: str, page_url: str, depth: int) -> int:
        """The page ``requested_url`` led to hands its links on: at the fewest steps known
        for it (its request's ``depth`` or fewer, from a link that came since)."""
        known = self._depths.get(requested_url)
        fewest = depth if known is None else min(known, depth)
        self._depths[requested_url] = fewest
        self._handed_on[requested_url] = page_url
        return fewest


class FrontierDepthMiddleware(DepthMiddleware):
    """Scrapy's DepthMiddleware (``DEPTH_LIMIT``, ``DEPTH_PRIORITY``, depth stats) on the
    depth the spider gives each page request; and ``CLOSESPIDER_PAGECOUNT`` kept exactly.

    Closing at the N-th response still lets the requests already in flight finish, so
    a crawl would fetch more than N pages: this middleware lets at most N page requests
    through (one budget with those the spider feeds from the frontier,
    :class:`PageBudget`), and when the crawl runs out of work with requests held
    back, it ends with
    Scrapy's reason ``closespider_pagecount``. What it held back stays pending in the
    frontier, for the next run.
    """

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        middleware = super().from_crawler(crawler)
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        return middleware

    def spider_idle(self) -> None:
        if self.stats.get_value(HELD_BACK):
            raise CloseSpiderError(PAGE_LIMIT_REASON)

    def get_processed_request(self, request: Request, response: Response | None) -> Any:
        info = request.meta.get(META_KEY)
        if info is None or info.get("depth") is None:
            return super().get_processed_request(request, response)
        depth = int(info["depth"])
        if self.maxdepth and depth > self.maxdepth:
            self.stats.inc_value("depth/request_ignored_count")
            return None
        # After the depth test: a request that goes no further takes no page.
        if is_page_request(request) and not PageBudget.of(self.crawler).take(request):
            return None
        request.meta["depth"] = depth
        if self.prio:
            request.priority -= depth * self.prio
        self.stats.max_value("request_depth_max", depth)
        return request
