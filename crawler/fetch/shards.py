"""Split a URL list or a sitemap into shards, one Scrapyd job each.

The rule, deterministic for a given set of URLs (duplicates dropped, the first
occurrence kept):

* **by site** (when there are at least as many sites as shards): a site (host and
  port, without ``www.``) stays in one shard, so only one job talks to it and its
  politeness limits hold. Sites are dealt out largest first, each to the shard with
  the fewest URLs so far (ties to the lowest number).
* **by URL** (when there are fewer sites than shards, typically one big site): each
  URL goes to shard ``sha256(url) mod N``. Several jobs then share a site, so divide
  its politeness budget between them (``DOWNLOAD_DELAY``, ``CONCURRENT_REQUESTS_PER_DOMAIN``).

Within a shard, URLs keep the order of the input. Shards that get no URL are not
written (a job without URLs would crawl the bundled sample site).
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import scrapy
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http import Request, Response
from scrapy.utils.project import get_project_settings
from twisted.python.failure import Failure

from crawler.fetch.failures import classify_failure
from crawler.fetch.meta import META_KEY, SITEMAP_DOCUMENT
from crawler.fetch.network_policy import NetworkGuard
from crawler.fetch.sitemaps import SitemapLimits, SitemapWalk, read_document
from crawler.fetch.url_lists import UrlList, read_url_file, site_of_url

# A shard scheduled with its URLs inline becomes one argument of the job's command
# line, which Linux caps at 128 KiB; bigger shards go to the servers as files.
INLINE_LIMIT_BYTES = 100_000
RULES = ("auto", "site", "url")


@dataclass
class Shard:
    index: int
    urls: list[str]

    @property
    def name(self) -> str:
        return f"shard-{self.index:03d}"

    @property
    def sites(self) -> list[str]:
        return sorted({site_of_url(url) for url in self.urls})


def split(urls: Iterable[str], count: int, rule: str = "auto") -> tuple[str, list[Shard]]:
    """Split ``urls`` into at most ``count`` non-empty shards; return the rule used
    (``site`` or ``url``) and the shards."""
    if count < 1:
        raise ValueError("the number of shards must be at least 1")
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")
    unique = list(dict.fromkeys(url.strip() for url in urls if url.strip()))
    sites = [site_of_url(url) for url in unique]
    by_site: dict[str, int] = {}
    for site in sites:
        by_site[site] = by_site.get(site, 0) + 1
    if rule == "auto":
        rule = "site" if len(by_site) >= count else "url"

    members: list[list[str]] = [[] for _ in range(count)]
    if rule == "site":
        # Linear in URLs and sites (600,000 URLs in seconds): a heap of (load, shard)
        # gives the least loaded shard, ties to the lowest number.
        loads = [(0, i) for i in range(count)]
        shard_of_site: dict[str, int] = {}
        for site in sorted(by_site, key=lambda s: (-by_site[s], s)):
            load, target = heapq.heappop(loads)
            shard_of_site[site] = target
            heapq.heappush(loads, (load + by_site[site], target))
        for url, site in zip(unique, sites, strict=True):
            members[shard_of_site[site]].append(url)
    else:
        for url in unique:
            digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
            members[int(digest[:16], 16) % count].append(url)
    return rule, [Shard(i, group) for i, group in enumerate(members) if group]


# --- reading input ---------------------------------------------------------------------


def read_url_list(path: Path) -> UrlList:
    """One URL per line; ``#`` starts a comment (as ``filmcrawl crawl --urls-file``);
    unusable lines come back as ``file:line: reason`` problems."""
    return read_url_file(path)


@dataclass
class SitemapListing:
    """The page URLs a walk over sitemaps found, and what went wrong on the way."""

    urls: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    exceeded: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


class SitemapListingSpider(scrapy.Spider):
    """Fetches sitemaps through the crawl's own downloader (network guard, robots.txt,
    size and header bounds, redirect rules) and collects their page URLs within the
    walk's limits. Not in ``SPIDER_MODULES``: ``filmcrawl shards`` runs it."""

    name = "filmcrawl-sitemap-listing"

    def __init__(self, sitemaps: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemaps = sitemaps
        self.listing = SitemapListing()
        self.walk: SitemapWalk
        self.loopback_only = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.walk = SitemapWalk(SitemapLimits.from_settings(crawler.settings))
        spider.loopback_only = crawler.settings.getbool("FILMCRAWL_LOOPBACK_ONLY")
        return spider

    def network_guard(self) -> NetworkGuard:
        """The user named the sitemaps' hosts, and only those."""
        return NetworkGuard.from_start_urls(self.sitemaps, loopback_only=self.loopback_only)

    async def start(self) -> AsyncIterator[Request]:
        for url in self.sitemaps:
            if self.walk.named(url):
                yield self._request(url, 0)

    def _request(self, url: str, depth: int) -> Request:
        return Request(
            url,
            callback=self.parse,
            errback=self.failed,
            dont_filter=True,
            meta={META_KEY: {"kind": SITEMAP_DOCUMENT, "depth": depth}},
        )

    def parse(self, response: Response) -> Iterator[Request]:
        depth = int(response.meta[META_KEY]["depth"])
        document = read_document(response.url, response.body, self.walk.limits.max_bytes)
        if document.problem:
            self.listing.problems.append(f"{response.url}: {document.problem}")
            return
        for url in self.walk.further_documents(document, depth):
            yield self._request(url, depth + 1)
        self.listing.urls.extend(self.walk.pages(document))

    def failed(self, failure: Failure) -> None:
        what = classify_failure(failure.value)
        url = failure.request.url  # type: ignore[attr-defined]
        self.listing.problems.append(f"{url}: {what.status}: {what.reason}")

    def closed(self, reason: str) -> None:
        self.listing.exceeded = list(self.walk.exceeded.values())
        self.listing.skipped = dict(self.walk.skipped)
        if reason != "finished":
            self.listing.problems.append(f"stopped before the end ({reason})")


def read_sitemaps(locations: list[str], overrides: dict[str, str] | None = None) -> SitemapListing:
    """Every page URL the sitemaps at ``locations`` (http(s) URLs) list, fetched by a
    small Scrapy crawl with the project's settings (and ``overrides``), so sitemaps
    get exactly the crawl's protections. Runs Twisted's reactor: once per process,
    as a command does; Ctrl-C and SIGTERM stop it."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    # Only the fetching part of the crawl: no database, no items, no run record.
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set(
        "EXTENSIONS", {"crawler.run.log_safety.TerminalSafeLogging": 0}, priority="cmdline"
    )
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares["crawler.fetch.middlewares.ConditionalGetMiddleware"] = None
    middlewares["crawler.fetch.middlewares.ProcessingBackpressureMiddleware"] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SitemapListingSpider)
    process.crawl(crawler, sitemaps=locations)
    process.start()
    spider = crawler.spider
    assert isinstance(spider, SitemapListingSpider)
    return spider.listing


# --- writing shards ----------------------------------------------------------------------

SCHEDULE_SCRIPT = """\
#!/bin/sh
# Schedule the shards next to this script as Scrapyd jobs (written by `filmcrawl shards`).
# One job per shard, dealt round robin over the servers in SCRAPYD_URLS; each job
# crawls into its own spool, $SPOOL_DIR/<shard>.db on the server that runs it.
#
#   SCRAPYD_URLS="http://crawl1:6800 http://crawl2:6800" SPOOL_DIR=/srv/spools sh schedule.sh
#
# SETTINGS: more Scrapy/filmcrawl settings for every job ("DOWNLOAD_DELAY=2 ...").
# SHARD_DIR: where the shard files are on the servers; set it to pass them as
# urls_file instead of sending the URLs inline (needed above ~100 KB per shard).
set -eu
cd "$(dirname "$0")"
SCRAPYD_URLS=${SCRAPYD_URLS:-http://127.0.0.1:6800}
SPOOL_DIR=${SPOOL_DIR:-/var/lib/filmcrawl/spools}
PROJECT=${PROJECT:-filmcrawl}
SETTINGS=${SETTINGS:-}
SHARD_DIR=${SHARD_DIR:-}

schedule() {
    shard=$1
    server=${2%/}
    if [ -n "$SHARD_DIR" ]; then
        set -- -d "urls_file=$SHARD_DIR/$shard.txt"
    else
        set -- --data-urlencode "urls@$shard.txt"
    fi
    set -- "$@" -d "project=$PROJECT" -d spider=films -d "setting=FILMCRAWL_DB=$SPOOL_DIR/$shard.db"
    for setting in $SETTINGS; do
        set -- "$@" -d "setting=$setting"
    done
    printf '%s on %s: ' "$shard" "$server"
    curl -fsS "$server/schedule.json" "$@"
}

set -- $SCRAPYD_URLS
for shard in {shards}; do
    server=$1
    shift
    set -- "$@" "$server"
    schedule "$shard" "$server"
done
"""


def write_shards(out: Path, shards: list[Shard], rule: str, sources: list[str]) -> Path:
    """Write ``shard-NNN.txt`` files, ``shards.json`` (what is in each) and
    ``schedule.sh`` (curl calls to Scrapyd's ``schedule.json``) into ``out``; return
    the manifest's path. The same input always gives the same files."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("shard-*.txt"):
        stale.unlink()
    listed = []
    for shard in shards:
        text = "".join(f"{url}\n" for url in shard.urls)
        (out / f"{shard.name}.txt").write_text(text, encoding="utf-8")
        listed.append(
            {
                "name": shard.name,
                "file": f"{shard.name}.txt",
                "urls": len(shard.urls),
                "sites": shard.sites,
                "inline": len(text.encode("utf-8")) <= INLINE_LIMIT_BYTES,
            }
        )
    manifest = {
        "rule": rule,
        "sources": sources,
        "urls": sum(len(shard.urls) for shard in shards),
        "shards": listed,
    }
    path = out / "shards.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    script = out / "schedule.sh"
    script.write_text(
        SCHEDULE_SCRIPT.replace("{shards}", " ".join(shard.name for shard in shards)),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return path
