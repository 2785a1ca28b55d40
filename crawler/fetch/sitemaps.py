"""Reading sitemaps within bounds, for the crawl and for ``filmcrawl shards`` alike.

A sitemap is input from the network like any page. Unbounded, a sitemap index that
lists itself (under ever new query strings) kept a crawl fetching index documents
forever, an index on one host could send the crawler to another, and a child
``file:`` or ``/dev/zero`` location was read from the local disk (issue 17). The rules:

* only ``http(s)``; every document is fetched by the crawl's own downloader (the
  network guard, robots.txt, ``DOWNLOAD_MAXSIZE``, the header bound);
* a sitemap index (or a robots.txt listing sitemaps) names documents on its own site
  only, as the sitemap protocol says, each fetched once;
* a sitemap's pages are on its own site (or a host the crawl allows): the user named
  the sitemap's host, not the hosts inside it;
* at most ``FILMCRAWL_SITEMAP_MAX_DEPTH`` documents deep below a named sitemap (the
  sitemaps of an index are 1 deep),
  ``FILMCRAWL_SITEMAP_MAX_DOCUMENTS`` documents and ``FILMCRAWL_SITEMAP_MAX_URLS`` page
  URLs in all, each document at most ``FILMCRAWL_SITEMAP_MAX_BYTES`` once
  decompressed; past a limit the walk stops taking more and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.fetch.url_lists import site_of_url, url_problem

__all__ = ["SitemapDocument", "SitemapLimits", "SitemapWalk", "read_document"]

_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapLimits:
    """The bounds of one walk (see the module docstring for what each one means)."""

    max_depth: int
    max_documents: int
    max_urls: int
    max_bytes: int

    @classmethod
    def from_settings(cls, settings: Any) -> SitemapLimits:
        return cls(
            max_depth=settings.getint("FILMCRAWL_SITEMAP_MAX_DEPTH"),
            max_documents=settings.getint("FILMCRAWL_SITEMAP_MAX_DOCUMENTS"),
            max_urls=settings.getint("FILMCRAWL_SITEMAP_MAX_URLS"),
            max_bytes=settings.getint("FILMCRAWL_SITEMAP_MAX_BYTES"),
        )


@dataclass
class SitemapDocument:
    """What one fetched document says: ``kind`` is ``urlset`` (page URLs),
    ``sitemapindex`` or ``robots`` (URLs of further documents), or ``unreadable``
    (``problem`` says why). ``locations`` of an XML document are read lazily, as
    they are iterated (600,000 of them take seconds; a crawl stores them in chunks
    and starts fetching after the first)."""

    url: str
    kind: str
    locations: Iterable[str] = ()
    problem: str = ""


def read_document(url: str, body: bytes, max_bytes: int) -> SitemapDocument:
    """Read a sitemap, a gzipped sitemap, a sitemap index, a plain-text sitemap (one
    URL per line) or a robots.txt listing sitemaps. Never raises."""
    if body[:2] == _GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=max_bytes)
        except ValueError:  # past max_bytes (Scrapy's size error is a ValueError)
            return SitemapDocument(url, "unreadable", problem=_too_large(max_bytes))
        except (OSError, EOFError) as exc:
            return SitemapDocument(url, "unreadable", problem=f"broken gzip ({exc})")
    if len(body) > max_bytes:
        return SitemapDocument(url, "unreadable", problem=_too_large(max_bytes))
    if url.split("?", 1)[0].endswith("/robots.txt"):
        text = body.decode("utf-8", "replace")
        return SitemapDocument(url, "robots", list(sitemap_urls_from_robots(text, base_url=url)))
    head = body.lstrip()[:1]
    if head == b"<":
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises on anything that is not XML
            return SitemapDocument(url, "unreadable", problem=f"not a readable sitemap ({exc})")
        if sitemap.type == "sitemapindex":
            return SitemapDocument(url, "sitemapindex", list(_locations(sitemap)))
        return SitemapDocument(url, "urlset", _locations(sitemap))
    lines = [line.strip() for line in body.decode("utf-8", "replace").splitlines()]
    locations = [line for line in lines if line]
    if locations and all(line.startswith(("http://", "https://")) for line in locations):
        return SitemapDocument(url, "urlset", locations)
    return SitemapDocument(url, "unreadable", problem="neither a sitemap nor a list of URLs")


def _locations(sitemap: Sitemap) -> Iterator[str]:
    try:
        for entry in sitemap:
            if entry.get("loc"):
                yield entry["loc"]
    except Exception:  # lxml gives up on a document broken past repair: keep what came
        return


def _too_large(max_bytes: int) -> str:
    return f"larger than {max_bytes} bytes uncompressed (FILMCRAWL_SITEMAP_MAX_BYTES)"


class SitemapWalk:
    """One run's walk over sitemaps: which documents to fetch next and which page URLs
    to take, within :class:`SitemapLimits`. Counts what it left out (``skipped``,
    keyed ``sitemap/<reason>`` for the run's stats) and says which limits were hit
    (``exceeded``)."""

    def __init__(
        self, limits: SitemapLimits, may_take: Callable[[str], bool] = lambda url: False
    ) -> None:
        self.limits = limits
        # Pages on another site are taken only when the crawl allows that host.
        self.may_take = may_take
        self.documents: set[str] = set()
        self.urls_taken = 0
        self.skipped: dict[str, int] = {}
        self.exceeded: dict[str, str] = {}

    def named(self, url: str) -> bool:
        """Register a sitemap the user named (depth 0); False if already known."""
        return self._register(url)

    def further_documents(self, document: SitemapDocument, depth: int) -> list[str]:
        """The documents an index or robots.txt at ``depth`` leads to, to fetch at
        ``depth + 1``."""
        if document.kind not in ("sitemapindex", "robots"):
            return []
        site = site_of_url(document.url)
        chosen = []
        for url in document.locations:
            if url_problem(url) is not None:
                self._skip("invalid_url")
            elif site_of_url(url) != site:
                self._skip("document_on_another_site")
            elif url in self.documents:
                self._skip("document_seen_before")
            elif depth + 1 > self.limits.max_depth:
                self._skip("too_deep")
                self.exceeded["FILMCRAWL_SITEMAP_MAX_DEPTH"] = (
                    f"sitemap indexes nested more than {self.limits.max_depth} documents "
                    f"deep, at {document.url} (FILMCRAWL_SITEMAP_MAX_DEPTH)"
                )
            elif not self._register(url):
                self._skip("too_many_documents")
                self.exceeded["FILMCRAWL_SITEMAP_MAX_DOCUMENTS"] = (
                    f"more than {self.limits.max_documents} sitemap documents "
                    "(FILMCRAWL_SITEMAP_MAX_DOCUMENTS)"
                )
            else:
                chosen.append(url)
        return chosen

    def pages(self, document: SitemapDocument, locations: Iterable[str] | None = None) -> list[str]:
        """The page URLs of a ``urlset`` to take (of ``locations``, a part of its
        locations, when given), up to the run's URL budget."""
        if document.kind != "urlset":
            return []
        site = site_of_url(document.url)
        taken = []
        for url in document.locations if locations is None else locations:
            if url_problem(url) is not None:
                self._skip("invalid_url")
            elif site_of_url(url) != site and not self.may_take(url):
                self._skip("page_on_another_site")
            elif self.urls_taken >= self.limits.max_urls:
                self._skip("too_many_urls")
                self.exceeded["FILMCRAWL_SITEMAP_MAX_URLS"] = (
                    f"the sitemaps list more than {self.limits.max_urls} URLs; the rest "
                    "were left out (FILMCRAWL_SITEMAP_MAX_URLS)"
                )
            else:
                self.urls_taken += 1
                taken.append(url)
        return taken

    def _register(self, url: str) -> bool:
        if url in self.documents or len(self.documents) >= self.limits.max_documents:
            return False
        self.documents.add(url)
        return True

    def _skip(self, reason: str) -> None:
        key = f"sitemap/{reason}"
        self.skipped[key] = self.skipped.get(key, 0) + 1
