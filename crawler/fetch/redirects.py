"""Which redirects the crawl follows.

A redirect is followed when it stays on the site: the same host give or take a
leading ``www.``, any scheme, the same port (``http://example.org/a`` ->
``https://www.example.org/b``), or when it leads to a host the user named (a start
URL's host, ``--allow-domain``). A redirect to another site is not followed: the page
is recorded as ``redirect_offsite`` with the target in ``status_reason``, so a start
URL that moved to another domain shows up in ``pages`` and the user can allow that
domain. A redirect to a loopback, private or link-local address the user did not name
is ``blocked`` by the network guard (:mod:`crawler.fetch.network_guard`), here already and again
for every redirected request that is followed.

A redirect that comes back to a URL already visited in the same chain is a loop and
ends at once as ``redirect_loop`` (so does a chain longer than
``REDIRECT_MAX_TIMES``), instead of being dropped silently by the duplicate filter.
Both rules replace Scrapy's redirect middlewares for page and sitemap requests
(those carrying filmcrawl's request meta); others (robots.txt) keep Scrapy's rules.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response

from crawler.fetch.meta import META_KEY
from crawler.fetch.network_guard import NetworkRefusedError, guard_for
from crawler.fetch.network_policy import NetworkGuard
from crawler.normalize.keys import site_of

__all__ = [
    "RedirectLoopError",
    "RedirectOffsiteError",
    "RedirectRefusedError",
    "SiteMetaRefreshMiddleware",
    "SiteRedirectMiddleware",
    "same_site",
]


class RedirectLoopError(IgnoreRequest):
    """The redirects of one request went round in a circle or on for too long."""

    def __init__(self, message: str, http_status: int | None) -> None:
        super().__init__(message)
        self.http_status = http_status


class RedirectRefusedError(NetworkRefusedError):
    """A redirect into a network the guard refuses (loopback, private, link-local)."""

    def __init__(self, message: str, http_status: int | None) -> None:
        super().__init__(message)
        self.http_status = http_status


class RedirectOffsiteError(IgnoreRequest):
    """A redirect to another site, which the crawl does not follow."""

    def __init__(self, message: str, http_status: int | None, target: str) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.target = target


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one site: host without ``www.``, and non-default port.

    >>> same_site("http://example.org/a", "https://www.example.org/b")
    True
    >>> same_site("http://127.0.0.1:8000/", "http://127.0.0.1:8001/")
    False
    """
    return site_of(url) == site_of(other)


def _check_redirect(crawler: Any, request: Request, target: str, reason: Any, limit: int) -> None:
    """Raise when following ``request`` -> ``target`` would loop or leave the site."""
    if META_KEY not in request.meta:
        return
    # A meta refresh comes in a 200 page; an HTTP redirect has its 3xx status.
    http_status = reason if isinstance(reason, int) else 200
    chain = [*request.meta.get("redirect_urls", []), request.url]
    visited = {urldefrag(url)[0] for url in chain}
    if urldefrag(target)[0] in visited:
        path = " -> ".join([*chain, target])
        raise RedirectLoopError(f"redirect loop: {path}", http_status)
    if len(chain) > limit:
        raise RedirectLoopError(
            f"more than {limit} redirects (REDIRECT_MAX_TIMES) from {chain[0]}", http_status
        )
    if same_site(request.url, target):
        return
    decision = guard_for(crawler).check(target)
    if decision.reason == "not_loopback":
        # The crawl is pinned to 127.0.0.1 (tests, benchmarks): say what the target
        # is, so a public one is an offsite redirect and a private one is refused.
        decision = NetworkGuard().check(target)
    if not decision.allowed:
        if getattr(crawler, "stats", None) is not None:
            crawler.stats.inc_value(f"filmcrawl/netguard/refused/{decision.reason}")
        raise RedirectRefusedError(
            f"network guard: {decision.reason} (redirect to {target})", http_status
        )
    may_follow = getattr(crawler.spider, "may_follow", None)
    if callable(may_follow) and may_follow(target):
        return
    host = urlsplit(target).hostname or target
    raise RedirectOffsiteError(
        f"redirects to {target}, another site: not followed (--allow-domain {host} follows it)",
        http_status,
        target,
    )


class SiteRedirectMiddleware(RedirectMiddleware):
    """Scrapy's 3xx handling with filmcrawl's loop and site rules."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        _check_redirect(self.crawler, request, redirected.url, reason, self.max_redirect_times)
        followed = super()._redirect(redirected, request, reason)
        if META_KEY in request.meta:
            # Loops are caught above; the duplicate filter would drop a redirect to a
            # URL crawled earlier without a trace (and leave its page unrecorded).
            followed.dont_filter = True
        return followed


# Scrapy looks for a refresh in the first 4,096 characters of a page; no encoding it
# decodes takes more than four bytes a character.
META_REFRESH_HEAD_BYTES = 4096 * 4


class SiteMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's ``<meta http-equiv="refresh">`` handling with the same rules.

    Scrapy reads the refresh from ``response.text[:4096]``, and ``response.text``
    decodes the whole body and keeps it on the response: every page then held a
    second, decoded copy of itself in the crawler process (one to four times its
    size) for as long as it was being extracted and stored, though only the workers
    read it (issue 16). This middleware hands Scrapy's the head of the body instead,
    in the response's own encoding, so the same refresh is found.
    """

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if not isinstance(response, HtmlResponse) or len(response.body) <= META_REFRESH_HEAD_BYTES:
            return super().process_response(request, response)
        head = response.replace(
            body=response.body[:META_REFRESH_HEAD_BYTES], encoding=response.encoding
        )
        result = super().process_response(request, head)
        return response if result is head else result

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        _check_redirect(self.crawler, request, redirected.url, reason, self.max_redirect_times)
        followed = super()._redirect(redirected, request, reason)
        if META_KEY in request.meta:
            followed.dont_filter = True
        return followed
