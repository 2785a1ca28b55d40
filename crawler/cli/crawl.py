"""``filmcrawl crawl``: run the films spider into a database and print a summary.

Kept light: it imports Scrapy, the store and the spider's helpers, never the extraction
stack, which runs in the workers (:mod:`crawler.process.pool`) or, with
``-s FILMCRAWL_WORKERS=0``, is imported when the first page is processed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.cli.options import (
    CommandError,
    check_new_database_path,
    database_option,
    parse_overrides,
    safe_text,
    settings_option,
)
from crawler.cli.targets import check_crawl_targets
from crawler.fetch.network_policy import allowed_domain_problem
from crawler.fetch.url_lists import UrlList, read_url_file
from crawler.process.language import use_detector
from crawler.run import early_signals
from crawler.run.interrupt import ShutdownSignals
from crawler.run.recorder import record_abort
from crawler.run.status import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE
from crawler.run.summary import print_crawl_summary
from crawler.settings import FILMCRAWL_FOLLOW_MAX_DEPTH, FILMCRAWL_FOLLOW_MAX_PAGES
from crawler.store.database import DatabaseRefusedError, check_database
from crawler.store.lock import DatabaseLockedError, lock_database, unlock_database


@click.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--urls-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file with one URL per line ('#' starts a comment).",
)
@click.option("--sitemap", multiple=True, help="Crawl every page a sitemap lists (repeatable).")
@database_option("The SQLite database to crawl into (created if missing).", dest="db")
@click.option(
    "--follow/--no-follow",
    default=False,
    show_default=True,
    help="Follow links from crawled pages (never off the start URLs' hosts "
    "unless --allow-domain names more).",
)
@click.option(
    "--max-pages",
    type=click.IntRange(min=0),
    default=None,
    help=f"Stop after fetching this many pages (CLOSESPIDER_PAGECOUNT; 0: no limit). "
    f"Default with --follow: {FILMCRAWL_FOLLOW_MAX_PAGES}, else no limit. The URLs left "
    "pending are crawled by the next run.",
)
@click.option(
    "--max-depth",
    type=click.IntRange(min=0),
    default=None,
    help=f"With --follow: follow links at most this many steps from the start pages "
    f"(DEPTH_LIMIT; 0: no limit). Default: {FILMCRAWL_FOLLOW_MAX_DEPTH}.",
)
@click.option(
    "--allow-domain", multiple=True, help="A further domain links may lead to (repeatable)."
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Start a new pass instead of resuming the pending URLs of an interrupted crawl.",
)
@settings_option(
    "Override a Scrapy or filmcrawl setting for this run (repeatable), "
    "e.g. -s AUTOTHROTTLE_ENABLED=0."
)
@click.option("-v", "--verbose", is_flag=True, help="Log every request (LOG_LEVEL=INFO).")
def crawl(
    urls: tuple[str, ...],
    urls_file: Path | None,
    sitemap: tuple[str, ...],
    db: Path,
    follow: bool,
    max_pages: int | None,
    max_depth: int | None,
    allow_domain: tuple[str, ...],
    fresh: bool,
    overrides: tuple[str, ...],
    verbose: bool,
) -> None:
    """Crawl film pages into the database and print a summary.

    With no URLs, crawls the bundled sample site (served on 127.0.0.1). Given URLs, it
    fetches exactly those pages plus their further comment pages; --follow follows
    links on the same hosts. A crawl that was killed resumes where it stopped.

    \b
    Examples:
        filmcrawl crawl
        filmcrawl crawl https://asianwiki.com/Miracle_in_Cell_No.7 --db films.db
        filmcrawl crawl --urls-file urls.txt --follow -s DOWNLOAD_DELAY=2
        filmcrawl crawl https://example.org/films/ --follow --max-pages 200 --max-depth 2
        filmcrawl crawl --sitemap https://example.org/sitemap.xml

    Exit status: 0 the run finished (or stopped at --max-pages); 1 it failed (nothing
    fetched, too many errors, a database error) or was interrupted; 2 a usage error;
    3 another crawl is using the database.
    """

    settings_overrides = parse_overrides(overrides)
    ctx = click.get_current_context()
    if (
        "FILMCRAWL_DB" in settings_overrides
        and ctx.get_parameter_source("db") is ParameterSource.DEFAULT
    ):
        db = Path(settings_overrides["FILMCRAWL_DB"])
    check_crawl_targets(urls, sitemap)
    starts, sitemaps = _checked_inputs(urls, urls_file, sitemap, allow_domain)
    check_new_database_path(db)
    if max_depth is not None and not follow:
        raise CommandError(
            "--max-depth limits how far --follow follows links; add --follow", EXIT_USAGE
        )
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    if "LOG_LEVEL" not in settings_overrides:
        settings.set("LOG_LEVEL", "INFO" if verbose else "WARNING", priority="cmdline")
    if follow:
        max_pages = FILMCRAWL_FOLLOW_MAX_PAGES if max_pages is None else max_pages
        max_depth = FILMCRAWL_FOLLOW_MAX_DEPTH if max_depth is None else max_depth
        settings.set("DEPTH_LIMIT", max_depth, priority="cmdline")
    if max_pages is not None:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    for name, value in settings_overrides.items():
        settings.set(name, value, priority="cmdline")
    settings.set("FILMCRAWL_DB", str(db), priority="cmdline")

    try:
        use_detector(str(settings.get("FILMCRAWL_LANGUAGE_DETECTOR")))
    except (ValueError, ImportError) as exc:
        raise CommandError(f"FILMCRAWL_LANGUAGE_DETECTOR: {exc}", EXIT_USAGE) from None

    try:
        lock_database(db)
    except DatabaseLockedError as exc:
        raise CommandError(str(exc), EXIT_LOCKED) from None
    try:
        check_database(db)
    except DatabaseRefusedError as exc:
        unlock_database(db)
        raise CommandError(str(exc), EXIT_USAGE) from None

    started = time.monotonic()
    spider_args: dict[str, Any] = {
        "urls": starts.urls,
        "sitemap": sitemaps.urls,
        "follow": follow,
        "allow_domain": list(allow_domain),
        "fresh": fresh,
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("films")

    def abort(signal_name: str) -> None:
        if record_abort(crawler, f"aborted by a second {signal_name}") is None:
            click.echo(f"filmcrawl: {early_signals.NOTHING_CRAWLED}", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        # At once: no graceful stop, no cleanup. Workers die with the fork server,
        # which goes with this process; the kernel releases the database lock.
        os._exit(EXIT_FAILED)

    # Ctrl-C and SIGTERM: ours, from the start (crawler.run.interrupt).
    shutdown = ShutdownSignals(abort)
    shutdown.install()
    # Those that came while the command was starting (crawler/run/early_signals.py).
    shutdown.replay(early_signals.take())
    shutdown.attach(crawler)
    process.crawl(crawler, **spider_args)
    process.start(install_signal_handlers=False)
    shutdown.ignore_further()
    elapsed = time.monotonic() - started
    stats = crawler.stats.get_stats() if crawler.stats else {}
    exit_code = int(stats.get("filmcrawl/run/exit_code", EXIT_FAILED))

    print_crawl_summary(
        db,
        stats,
        elapsed,
        max_pages=settings.getint("CLOSESPIDER_PAGECOUNT"),
        max_depth=settings.getint("DEPTH_LIMIT"),
    )
    sys.exit(exit_code)


def _checked_inputs(
    urls: tuple[str, ...],
    urls_file: Path | None,
    sitemap: tuple[str, ...],
    allow_domain: tuple[str, ...],
) -> tuple[UrlList, UrlList]:
    """The usable start and sitemap URLs. Each unusable one is reported on its own line
    (``FILE:LINE: reason``) and skipped; a bad --allow-domain, an unreadable URL file
    or nothing usable at all is a usage error (exit 2), never the sample site."""
    for domain in allow_domain:
        problem = allowed_domain_problem(domain)
        if problem is not None:
            raise click.BadParameter(safe_text(problem), param_hint="--allow-domain")
    starts = UrlList()
    for number, url in enumerate(urls, start=1):
        starts.add(url, f"URL argument {number}")
    if urls_file is not None:
        try:
            starts.extend(read_url_file(urls_file))
        except OSError as exc:
            raise click.BadParameter(
                f"cannot read {urls_file}: {exc.strerror or exc}", param_hint="--urls-file"
            ) from None
    sitemaps = UrlList()
    for url in sitemap:
        sitemaps.add(url, "--sitemap")
    for line in starts.problems + sitemaps.problems:
        click.echo(f"{safe_text(line)} (skipped)", err=True)
    if (urls or urls_file or sitemap) and not (starts.urls or sitemaps.urls):
        raise CommandError("none of the URLs given can be crawled", EXIT_USAGE)
    return starts, sitemaps
