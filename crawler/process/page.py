"""From a fetched response to a :class:`~schemas.records.PageRecord`: decode, check what the
body is, extract. Pure (bytes in, item out) and picklable both ways, so it runs in a
worker process; the spider only fetches and routes.
"""

from __future__ import annotations

import hashlib
import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

from crawler.extract.page import extract_document
from crawler.process.decode import (
    ACCEPTABLE_REPLACEMENT,
    DecodedPage,
    decode_html,
    sniff_content_kind,
)
from crawler.process.triage import triage_page
from crawler.store.writer import site_of
from schemas.records import PageRecord

logger = logging.getLogger(__name__)

# Extraction of a pathological page (20 MB of nested markup) must not hold a worker
# for minutes: past this many seconds (``FILMCRAWL_EXTRACT_TIMEOUT``) the page is
# recorded as ``extract_failed``. The limit is checked between Python steps, so one
# long call into C (an XPath over a huge tree) can overrun it by that call's length.
DEFAULT_EXTRACT_TIMEOUT = 30.0
HTML_KINDS = frozenset({"html", "xml", "text"})


@dataclass
class FetchedPage:
    """The parts of a Scrapy response that extraction needs (picklable)."""

    url: str
    requested_url: str
    http_status: int
    body: bytes
    fetched_at: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    depth: int = 0
    parent_url: str | None = None
    extract_timeout: float = DEFAULT_EXTRACT_TIMEOUT
    # Resolve the page's links (only a crawl that follows links needs them).
    want_links: bool = False
    fetch_ms: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


class ExtractionTimeoutError(BaseException):
    """Raised by :func:`time_limit`. A BaseException, like KeyboardInterrupt, so that
    the ``except Exception`` that keeps one failing extractor from costing the page
    (and those inside trafilatura) cannot swallow it and let the page run on."""


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def base_item(page: FetchedPage) -> PageRecord:
    return PageRecord(
        url=page.url,
        requested_url=page.requested_url,
        http_status=page.http_status,
        content_type=page.content_type,
        etag=page.etag,
        last_modified=page.last_modified,
        content_hash=content_hash(page.body),
        content_length=len(page.body),
        fetched_at=page.fetched_at,
        fetch_ms=page.fetch_ms,
        site=site_of(page.url),
        parent_url=page.parent_url,
        depth=page.depth,
    )


def process_fetched(page: FetchedPage) -> PageRecord:
    """Decode and extract one page; never raises (failures become the item's status).

    Decoding, extraction and triage together get ``page.extract_timeout`` seconds;
    the time they took is ``extract_ms``.
    """
    started = time.perf_counter()
    item = _process_fetched(page)
    item.extract_ms = round((time.perf_counter() - started) * 1000)
    return item


def _process_fetched(page: FetchedPage) -> PageRecord:
    item = base_item(page)
    kind = sniff_content_kind(page.body, page.content_type)
    if kind == "empty":
        return _fail(item, "no_content", "empty body")
    if kind not in HTML_KINDS:
        return _fail(
            item, "not_html", f"body is {kind}, not HTML ({page.content_type or 'no type'})"
        )

    try:
        with time_limit(page.extract_timeout):
            decoded = decode_html(page.body, page.content_type)
            _record_decoding(item, decoded)
            extraction = extract_document(page.url, decoded.text, with_links=page.want_links)
            verdict = triage_page(decoded.text, extraction)
    except ExtractionTimeoutError:
        item.count("extract/timeout")
        return _fail(
            item,
            "extract_failed",
            f"extraction took longer than {page.extract_timeout:g} s (FILMCRAWL_EXTRACT_TIMEOUT)",
        )
    except Exception as exc:  # a page must never take the crawl down
        logger.exception("extraction failed on %s", page.url)
        return _fail(item, "extract_failed", f"{type(exc).__name__}: {exc}"[:500])

    for error in extraction.errors:
        item.count(f"extract/extractor_failed/{error.split(':', 1)[0]}")
    for syntax in extraction.unreadable_data:
        item.count(f"extract/unreadable_structured_data/{syntax}")
    if verdict is not None:
        item.count(verdict.event)
        return _fail(item, verdict.status, verdict.reason)

    item.title = extraction.title
    item.clean_text = extraction.clean_text
    item.canonical_url = extraction.canonical_url
    item.extractor = "+".join(extraction.extractors) or "trafilatura"
    item.titles = extraction.titles
    item.facts = extraction.facts
    item.credits = extraction.credits
    item.comments = extraction.comments
    item.comment_page_urls = extraction.comment_page_urls
    item.links = extraction.links
    if not (item.clean_text or item.facts or item.titles or item.comments):
        return _fail(item, "no_content", "no main text, facts or comments found")
    return item


def _record_decoding(item: PageRecord, decoded: DecodedPage) -> None:
    """Keep how the body was decoded; mark text that is still full of U+FFFD."""
    item.encoding = decoded.encoding
    item.encoding_source = decoded.source
    item.replacement_ratio = round(decoded.replacement_ratio, 4)
    if decoded.note:
        item.count("decode/declaration_overridden")
    if decoded.source == "fallback":
        item.count("decode/fallback")
    if decoded.replacement_ratio > ACCEPTABLE_REPLACEMENT:
        item.count("decode/undecodable_text")
        item.status_reason = (
            f"{decoded.replacement_ratio:.0%} of the non-ASCII characters are undecodable"
            f" (U+FFFD) with {decoded.encoding} ({decoded.source})"
        )


def _fail(item: PageRecord, status: str, reason: str) -> PageRecord:
    item.status = status
    item.status_reason = reason
    return item


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`ExtractionTimeoutError` in this thread after ``seconds``.

    Uses ``SIGALRM``, so it works in the main thread only (worker processes run their
    tasks there); elsewhere the block runs without a limit.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise ExtractionTimeoutError

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
