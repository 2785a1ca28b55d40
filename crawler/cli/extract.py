"""``filmcrawl extract URL_OR_FILE``: what a crawl would store from one page, without
storing anything.

A URL is fetched through the crawl's own downloader (robots.txt, the network guard,
size limits, redirects; a one-URL Scrapy crawl with the project's settings and no
pipelines); a file is read from disk. Either way the page goes through the same
per-page chain a crawl runs (:func:`crawler.process.page.process_page`, imported when
the page is processed, so ``filmcrawl --help`` does not load it). No database is opened
or created.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from rich.table import Table
from rich.text import Text
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.cli.options import (
    CommandError,
    console,
    parse_overrides,
    plain,
    settings_option,
    shorten,
)
from crawler.cli.records import jsonable
from crawler.cli.targets import target_problem
from crawler.fetch.preview import PREVIEW_SETTINGS, PreviewSpider
from crawler.process.fetched import FetchedPage, base_record, process_fetched_page
from crawler.process.language import use_detector
from crawler.run.status import EXIT_FAILED, EXIT_USAGE
from crawler.store.database import utc_now
from schemas.records import PageRecord

# How much of the page a preview shows without --full.
FIRST_COMMENTS = 5
FIRST_TEXT_LINES = 6
TEXT_WIDTH = 160
LINE_WIDTH = 100


@click.command(name="extract")
@click.argument("target", metavar="URL_OR_FILE")
@click.option(
    "--url",
    "page_url",
    help="For a saved file: the URL it was saved from (resolves its links, names its site).",
)
@click.option("--full", is_flag=True, help="Show every comment and the whole main text.")
@click.option("--json", "as_json", is_flag=True, help="Print the record a crawl would store.")
@settings_option("Override a setting for the fetch, as with filmcrawl crawl.")
def extract(
    target: str, page_url: str | None, full: bool, as_json: bool, overrides: tuple[str, ...]
) -> None:
    """Show what filmcrawl reads from one page: the extractors that fired, the facts
    with their raw text, credits, comments and the main text. Stores nothing.

    URL_OR_FILE is a URL, fetched as a crawl fetches it (robots.txt, network guard,
    size limits), or a saved HTML file. Exit status 0 when a crawl would store the
    page as ok, 1 when it would not (the status and reason are printed), 2 for a
    usage error.

    \b
    Examples:
        filmcrawl extract https://asianwiki.com/Miracle_in_Cell_No.7
        filmcrawl extract saved/page.html --url https://example.org/film/42
        filmcrawl extract page.html --json | jq '.facts[] | [.field, .value]'
    """
    settings = _settings(parse_overrides(overrides))
    try:
        use_detector(str(settings.get("FILMCRAWL_LANGUAGE_DETECTOR")))
    except (ValueError, ImportError) as exc:
        raise CommandError(f"FILMCRAWL_LANGUAGE_DETECTOR: {exc}", EXIT_USAGE) from exc
    parts = urlsplit(target)
    if parts.scheme in ("http", "https") and parts.hostname:
        if page_url is not None:
            raise CommandError("--url is for a saved file; a URL names itself", EXIT_USAGE)
        item = _fetch_and_process(target, settings)
    else:
        item = _process_file(target, page_url)
    if as_json:
        click.echo(json.dumps(jsonable(item), indent=2, ensure_ascii=False))
    else:
        print_preview(item, full)
    if item.status != "ok":
        sys.exit(EXIT_FAILED)


def _settings(overrides: dict[str, str]) -> Any:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    for name, value in PREVIEW_SETTINGS.items():
        # Component dicts: switch these off, keep the rest.
        merged = {**settings.getdict(name), **value} if isinstance(value, dict) else value
        settings.set(name, merged, priority="cmdline")
    return settings


def _fetch_and_process(url: str, settings: Any) -> PageRecord:
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PreviewSpider)
    process.crawl(crawler, url=url)
    process.start()
    spider = crawler.spider
    assert isinstance(spider, PreviewSpider)
    response = spider.response
    if response is None:
        status, reason, http_status = spider.failure or ("fetch_error", "no response", None)
        item = PageRecord(url=url, requested_url=url, fetched_at=utc_now())
        item.status, item.status_reason, item.http_status = status, reason, http_status
        return item
    redirects = response.meta.get("redirect_urls") or []
    content_type = response.headers.get(b"Content-Type")
    latency = response.meta.get("download_latency")
    page = FetchedPage(
        url=response.url,
        requested_url=redirects[0] if redirects else url,
        http_status=response.status,
        body=response.body,
        fetched_at=utc_now(),
        content_type=bytes(content_type).decode("latin-1") if content_type else None,
        fetch_ms=None if latency is None else round(latency * 1000),
    )
    return process_fetched_page(page)


def _process_file(target: str, page_url: str | None) -> PageRecord:
    path = Path(target.removeprefix("file://"))
    if not path.is_file():
        problem = target_problem(target)
        if problem and "has no scheme" in problem:
            raise CommandError(problem.replace(": crawl ", ": extract "), EXIT_USAGE)
        raise CommandError(f"{target}: no such file, and not an http(s) URL", EXIT_USAGE)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc}", EXIT_USAGE) from exc
    url = page_url or path.resolve().as_uri()
    page = FetchedPage(
        url=url,
        requested_url=url,
        http_status=200,
        body=body,
        fetched_at=utc_now(),
        # No header to trust: the encoding comes from the page itself (BOM, <meta>,
        # detection), as for a server that sends no charset.
        content_type="text/html",
    )
    if page_url is not None and urlsplit(page_url).scheme not in ("http", "https"):
        raise CommandError(f"--url {page_url!r} is not an http(s) URL", EXIT_USAGE)
    item = process_fetched_page(page)
    return item if item.url else base_record(page)


def print_preview(item: PageRecord, full: bool) -> None:
    """The record, for a person: what fired, what was found, what was left."""
    out = console()
    heading = Text()
    heading.append_text(plain(item.url, "bold"))
    heading.append("  ")
    heading.append(item.status, style="green" if item.status == "ok" else "bold red")
    details = [f"HTTP {item.http_status}"] if item.http_status else []
    if item.content_length is not None:
        details.append(f"{item.content_length:,} bytes")
    if item.encoding:
        details.append(f"{item.encoding} from {item.encoding_source}")
    if item.extract_ms is not None:
        details.append(f"extracted in {item.extract_ms} ms")
    out.print(heading)
    if details:
        out.print(", ".join(details), style="dim")
    if item.status_reason:
        out.print(plain(f"reason: {item.status_reason}", "red" if item.status != "ok" else "dim"))
    if item.status != "ok":
        out.print("A crawl would store this page with that status and nothing from it.")
        return
    out.print(plain(f"title: {item.title or '-'}"))
    out.print(plain(f"extractors: {(item.extractor or '-').replace('+', ', ')}"))

    facts = Table(title=f"Facts ({len(item.facts)})", title_justify="left", box=None)
    for name in ("field", "value", "raw", "extractor"):
        facts.add_column(name, style="bold" if name == "field" else "")
    for fact in item.facts:
        value = fact.value or ""
        facts.add_row(
            fact.field,
            plain(value if full else shorten(value, 80)),
            plain("" if fact.raw == fact.value else shorten(fact.raw, 60)),
            plain(fact.extractor),
        )
    out.print(facts)

    credits = Table(title=f"Credits ({len(item.credits)})", title_justify="left", box=None)
    for name in ("role", "person", "character", "extractor"):
        credits.add_column(name)
    for credit in item.credits:
        credits.add_row(
            credit.role,
            plain(credit.person),
            plain(credit.character or ""),
            plain(credit.extractor),
        )
    out.print(credits)

    titles = ", ".join(f"{t.title} ({t.kind})" for t in item.titles)
    out.print(plain(f"Titles ({len(item.titles)}): {titles or '-'}"))

    languages = Counter(comment.lang or "und" for comment in item.comments)
    kinds = Counter(comment.kind for comment in item.comments)
    line = f"Comments: {len(item.comments)}"
    if item.comments:
        line += "   by language: " + ", ".join(f"{k} {n}" for k, n in languages.most_common())
        line += "   by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    out.print(Text(line, style="bold"))
    if item.comments:
        shown = item.comments if full else item.comments[:FIRST_COMMENTS]
        comments = Table(box=None, show_header=True)
        comments.add_column("author", max_width=24, no_wrap=True, overflow="ellipsis")
        for name in ("posted", "lang", "kind"):
            comments.add_column(name, no_wrap=True)
        comments.add_column("comment", ratio=1)
        for comment in shown:
            comments.add_row(
                plain(comment.author or "-"),
                plain((comment.published or "")[:10]),
                plain(comment.lang or "und"),
                plain(comment.kind),
                plain(comment.text if full else shorten(comment.text, TEXT_WIDTH)),
            )
        out.print(comments)
        if len(shown) < len(item.comments):
            left = len(item.comments) - len(shown)
            out.print(f"… {left} more (--full shows them)", style="dim")

    text = item.clean_text or ""
    out.print(Text(f"Main text: {len(text):,} characters", style="bold"))
    lines = [line for line in text.splitlines() if line.strip()]
    # One screen line each: the terminal's width (into a pipe, LINE_WIDTH), less the indent.
    width = min(LINE_WIDTH, out.width) - 2
    for line in lines if full else lines[:FIRST_TEXT_LINES]:
        out.print(plain("  " + (line if full else shorten(line, width))))
    if not full and len(lines) > FIRST_TEXT_LINES:
        out.print(f"  … {len(lines) - FIRST_TEXT_LINES} more lines (--full)", style="dim")
    if item.comment_page_urls:
        out.print(plain(f"Further comment pages: {', '.join(item.comment_page_urls)}"))
    out.print("Nothing was stored (filmcrawl crawl stores it).", style="dim")
