"""Scrapy settings for filmcrawl. Override any of them for one run with
``-s NAME=VALUE`` (``filmcrawl crawl`` and ``scrapy crawl`` alike).

filmcrawl's own settings start with ``FILMCRAWL_``; they are documented in the README.
The defaults are polite: robots.txt obeyed, AutoThrottle on, at most two requests in
flight per site, bounded sizes and timeouts.
"""

from __future__ import annotations

from crawler import __version__

BOT_NAME = "filmcrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- identity and politeness ---------------------------------------------------------------
USER_AGENT = (
    f"filmcrawl/{__version__} (+https://github.com/filmcrawl/filmcrawl; film data research)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Outputs of one callback processed in parallel. A page yields one item and a few
# requests, and Scrapy starts this many tasks (plus one) for every response whatever
# it yields: the default 100 cost a 304 re-crawl 40 % of its time and most of its
# memory; 2 instead of 8 took a 10,000-page re-crawl from 14.3 to 13.1 s of CPU.
CONCURRENT_ITEMS = 2
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5
DOWNLOAD_TIMEOUT = 30
# Large enough for a 20 MB page (extraction, time-limited, decides what to do with
# it); anything bigger, also after gzip/brotli decompression (a "zip bomb"), is refused
# while downloading and recorded as ``too_large``.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
# The whole header section of a response (status line and header lines), read with
# this bound: past it the connection is dropped and the page is ``too_large``.
FILMCRAWL_MAX_HEADER_SIZE = 64 * 1024
# HTTP(S) through Scrapy's HTTP/1.1 handler with the header bound, and size and
# truncation failures that say what happened (crawler/fetch/limits.py).
DOWNLOAD_HANDLERS = {
    "http": "crawler.fetch.limits.BoundedHTTPDownloadHandler",
    "https": "crawler.fetch.limits.BoundedHTTPDownloadHandler",
}
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
REFERER_ENABLED = True
LOG_LEVEL = "INFO"
TWISTED_DNS_RESOLVER = "crawler.fetch.network_guard.GuardedResolver"

# --- components -----------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Before anything else: a refused URL never reaches robots.txt, DNS or a socket.
    "crawler.fetch.network_guard.NetworkGuardMiddleware": 50,
    # Scrapy's allowed_domains filter: our spiders have none (where a crawl may go is
    # FilmsSpider.may_follow and the network guard), so it only cost two URL parses
    # and a signal a request.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    # A request waits while too many pages are still being processed (memory bound).
    "crawler.fetch.middlewares.ProcessingBackpressureMiddleware": 60,
    # RFC 9309: an unreachable robots.txt disallows, instead of Scrapy's allow-all.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.fetch.politeness.PoliteRobotsTxtMiddleware": 100,
    # Retries wait as long as Retry-After asks.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.fetch.politeness.RetryAfterMiddleware": 550,
    "crawler.fetch.middlewares.ConditionalGetMiddleware": 560,
    # Redirects stay on the site and loops end at once, as recorded pages.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.fetch.redirects.SiteMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.fetch.redirects.SiteRedirectMiddleware": 600,
    # Last before the downloader: the per-host limit holds (Scrapy 2.19 lets a slot's
    # whole queue go at once when no download delay is set).
    "crawler.fetch.politeness.HostConcurrencyMiddleware": 990,
}
# The per-page chain (decode, extract, normalise, language, fingerprints) runs in the
# spider's worker pool as one task per page; the pipelines then take one step each.
ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.resolve.ResolvePipeline": 200,
    "pipelines.store.StorePipeline": 900,
}
# Scrapy's depth and page-count bounds, counting as the crawl frontier does
# (crawler/fetch/bounds.py): DEPTH_LIMIT and CLOSESPIDER_PAGECOUNT keep their meaning.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "crawler.fetch.bounds.FrontierDepthMiddleware": 900,
}
# Scrapy's in-memory stats, without the deprecation shim on every read (crawler/run/stats.py).
STATS_CLASS = "crawler.run.stats.CrawlStatsCollector"
# Components their own setting switches off are not even imported (crawler/run/switched_off.py).
ADDONS = {"crawler.run.switched_off.SwitchedOffComponentsNotLoaded": 0}
EXTENSIONS = {
    # Control characters from the network are escaped in every log line.
    "crawler.run.log_safety.TerminalSafeLogging": 0,
    # Debug records are not made when no handler takes them (LOG_LEVEL).
    "crawler.run.log_level.UnhandledLogRecordsSkipped": 0,
    # Start-up objects frozen out of the collector's walks while the spider runs.
    "crawler.run.collector.LongLivedObjectsFrozen": 0,
    # The crawl's one database and one worker pool, reached with FilmStore.of(crawler)
    # and WorkerPool.of(crawler); the recorder closes both when the spider closes.
    "crawler.store.service.FilmStore": 100,
    "crawler.process.pool.WorkerPool": 110,
    "scrapy.extensions.closespider.CloseSpider": None,
    "crawler.fetch.bounds.PageCountCloseSpider": 0,
    "crawler.run.recorder.CrawlRunRecorder": 900,
    "crawler.run.progress.CrawlProgress": 950,
}

# --- filmcrawl ------------------------------------------------------------------------------
FILMCRAWL_DB = "films.db"
# Extraction worker processes; "auto" is one per CPU core, 0 extracts in the reactor.
FILMCRAWL_WORKERS = "auto"
# Tasks a worker runs before it is replaced by a fresh one (bounds memory growth;
# cheap: workers fork from a preloaded server). One task per page.
FILMCRAWL_WORKER_MAX_TASKS = 500
# Allocations between the crawler's young garbage collections while the spider runs
# (Python's default is 700; see crawler/run/collector.py). 0 leaves the collector alone.
FILMCRAWL_GC_YOUNG_THRESHOLD = 20_000
# Seconds one page's decoding and extraction may take; past it the page is recorded as
# ``extract_failed`` and the crawl goes on.
FILMCRAWL_EXTRACT_TIMEOUT = 30.0
# Comments kept from one page (the first ones); the page's status_reason says how many
# it had. 0 keeps them all.
FILMCRAWL_MAX_COMMENTS_PER_PAGE = 10_000
# Responses being processed at once before requests wait (0: Scrapy's byte limit only).
FILMCRAWL_MAX_PAGES_IN_PROCESS = 32
# Comment language: "langdetect" (default) or "fasttext" (fastText when sure, else
# langdetect; needs `pip install 'filmcrawl[fast]'`).
FILMCRAWL_LANGUAGE_DETECTOR = "langdetect"
# Sitemaps (crawl and `filmcrawl shards`): how many documents deep below a sitemap you
# name (an index of sitemaps is 1, an index of indexes 2), documents fetched, page URLs
# taken in all, and the size of one document once decompressed (the sitemap protocol's
# own 50 MB). Past a limit the rest is left out, with an error in the log and stats.
FILMCRAWL_SITEMAP_MAX_DEPTH = 3
FILMCRAWL_SITEMAP_MAX_DOCUMENTS = 10_000
FILMCRAWL_SITEMAP_MAX_URLS = 1_000_000
FILMCRAWL_SITEMAP_MAX_BYTES = 50 * 1024 * 1024
FILMCRAWL_BATCH_SIZE = 50
FILMCRAWL_FLUSH_SECONDS = 2.0
FILMCRAWL_CONDITIONAL_GET = True
# Bounds `filmcrawl crawl --follow` applies unless --max-pages / --max-depth say
# otherwise (they set Scrapy's CLOSESPIDER_PAGECOUNT and DEPTH_LIMIT).
FILMCRAWL_FOLLOW_MAX_PAGES = 1000
FILMCRAWL_FOLLOW_MAX_DEPTH = 3
# A run in which more than this share of pages fails exits non-zero.
FILMCRAWL_MAX_ERROR_RATE = 0.5
# Port the bundled sample site prefers (0: always ephemeral); a taken port falls back
# to an ephemeral one.
FILMCRAWL_SAMPLE_PORT = 47613
# Refuse every request that is not to a loopback address (tests, benchmarks).
FILMCRAWL_LOOPBACK_ONLY = False
# Longest Retry-After (seconds) the crawl waits for before retrying; longer gives up.
FILMCRAWL_RETRY_AFTER_MAX = 120.0

# Progress while crawling: "auto" (a live display on a terminal, plain lines otherwise),
# "live", "log" or "off"; seconds between two plain lines.
FILMCRAWL_PROGRESS = "auto"
FILMCRAWL_PROGRESS_INTERVAL = 60.0

FEED_EXPORT_ENCODING = "utf-8"
