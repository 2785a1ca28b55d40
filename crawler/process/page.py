"""The per-page chain: from a fetched response to a finished
:class:`~schemas.records.PageRecord`.

:func:`process_page` decodes the body, checks what it is, parses it once, runs every
extractor on the same tree, triages, normalises, labels languages and fingerprints
comments. Pure (bytes in, record out) and picklable both ways, so it is the single
task a worker process runs per page (the crawler hands it over as
:func:`crawler.process.fetched.process_fetched_page`, without importing this module);
``filmcrawl eval``, ``filmcrawl extract`` and the tests call the same function
(:func:`process_html` for a page without a response).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import FrameType

from crawler.extract.nesting import MAX_DEPTH as MAX_NESTING_DEPTH
from crawler.extract.page import TOO_DEEP, extract_document, timed
from crawler.process.clean import clean_page
from crawler.process.decode import (
    ACCEPTABLE_REPLACEMENT,
    DecodedPage,
    decode_html,
    sniff_content_kind,
)
from crawler.process.fetched import FetchedPage, base_record, content_hash
from crawler.process.fingerprint import fingerprint_page
from crawler.process.language import label_languages
from crawler.process.triage import triage_page
from schemas.records import PageRecord

# FetchedPage, base_record and content_hash live in crawler.process.fetched, which the
# crawler imports without the chain; they are still importable from here.
__all__ = [
    "HTML_KINDS",
    "ExtractionTimeoutError",
    "FetchedPage",
    "base_record",
    "content_hash",
    "process_html",
    "process_page",
    "time_limit",
]

logger = logging.getLogger(__name__)

# Extraction of a pathological page (20 MB of nested markup) must not hold a worker
# for minutes: past this many seconds (``FILMCRAWL_EXTRACT_TIMEOUT``) the page is
# recorded as ``extract_failed``. The limit is checked between Python steps, so one
# long call into C (an XPath over a huge tree) can overrun it by that call's length.
HTML_KINDS = frozenset({"html", "xml", "text"})


class ExtractionTimeoutError(BaseException):
    """Raised by :func:`time_limit`. A BaseException, like KeyboardInterrupt, so that
    the ``except Exception`` that keeps one failing extractor from costing the page
    (and those inside trafilatura) cannot swallow it and let the page run on."""


def process_page(page: FetchedPage) -> PageRecord:
    """The whole per-page chain; never raises (failures become the record's status).

    Decoding, extraction and triage together get ``page.extract_timeout`` seconds.
    Each step's CPU time goes to ``timings_ms``; the wall-clock time of the whole chain
    is ``extract_ms``.
    """
    started = time.perf_counter()
    item = _process_page(page)
    item.extract_ms = round((time.perf_counter() - started) * 1000)
    return item


def _process_page(page: FetchedPage) -> PageRecord:
    item = base_record(page)
    kind = sniff_content_kind(page.body, page.content_type)
    if kind == "empty":
        return _fail(item, "no_content", "empty body")
    if kind not in HTML_KINDS:
        return _fail(
            item, "not_html", f"body is {kind}, not HTML ({page.content_type or 'no type'})"
        )

    try:
        with time_limit(page.extract_timeout):
            with timed(item, "decode"):
                decoded = decode_html(page.body, page.content_type)
            _record_decoding(item, decoded)
            extract_document(page.url, decoded.text, with_links=page.want_links, record=item)
            with timed(item, "triage"):
                verdict = triage_page(decoded.text, item)
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

    flattened = item.events.get(TOO_DEEP, 0)
    if flattened:
        _note(
            item,
            f"{flattened} elements nested deeper than {MAX_NESTING_DEPTH} levels were read as text",
        )
    if 0 < page.max_comments < len(item.comments):
        item.count("extract/comments_over_limit", len(item.comments) - page.max_comments)
        _note(
            item,
            f"kept the first {page.max_comments} of {len(item.comments)} comments"
            " (FILMCRAWL_MAX_COMMENTS_PER_PAGE)",
        )
        item.comments = kept = item.comments[: page.max_comments]
        kept_positions = {comment.position for comment in kept}
        for comment in kept:
            if comment.parent_position not in kept_positions:
                comment.parent_position = None
    if verdict is not None:
        item.count(verdict.event)
        return _fail(item, verdict.status, verdict.reason)
    if not (item.clean_text or item.facts or item.titles or item.comments):
        item.status, item.status_reason = "no_content", "no main text, facts or comments found"
        return item
    with timed(item, "clean"):
        clean_page(item)
    with timed(item, "language"):
        label_languages(item)
    with timed(item, "fingerprint"):
        fingerprint_page(item)
    return item


def process_html(
    url: str, html: str | bytes, content_type: str | None = "text/html; charset=utf-8"
) -> PageRecord:
    """:func:`process_page` for a page given as text or bytes, as if fetched now with
    HTTP 200 (``filmcrawl eval``, ``filmcrawl extract`` on a file, tests)."""
    body = html.encode("utf-8") if isinstance(html, str) else html
    fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    page = FetchedPage(url, url, 200, body, fetched_at, content_type=content_type)
    return process_page(page)


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
        _note(
            item,
            f"{decoded.replacement_ratio:.0%} of the non-ASCII characters are undecodable"
            f" (U+FFFD) with {decoded.encoding} ({decoded.source})",
        )


def _note(item: PageRecord, note: str) -> None:
    """Add to the reason of a page that is stored all the same."""
    item.status_reason = f"{item.status_reason}; {note}" if item.status_reason else note


def _fail(item: PageRecord, status: str, reason: str) -> PageRecord:
    item.drop_findings()
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
