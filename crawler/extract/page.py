"""Run every matching extractor over one page and combine what they found into the
page record (:class:`schemas.records.PageRecord`).

Order of evidence: structured data, then platform markup, then fact boxes, then prose
(``Extractor.tier``). Every extractor that recognises the page contributes facts,
credits and titles (the store keeps one row per page, field and value); comments come
from the single best source (``Extractor.comments_rank``) so one thread is never
stored twice because two extractors saw it. The main text is trafilatura's, after
the regions extractors identified as non-main (comment threads, galleries, fact boxes)
are pruned.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from time import process_time
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import Extraction, Extractor
from crawler.extract.main_text import extract_main_text
from crawler.extract.registry import (
    all_extractors,
    claimed_before,
    comments_ranks,
    superseded_on,
)
from crawler.extract.structured_data import opengraph_properties
from crawler.normalize.kinds import page_kind
from schemas.records import CommentRecord, FactRecord, PageRecord

logger = logging.getLogger(__name__)

# Pages larger than this get trafilatura's main extractor only: its fallback passes
# (justext, readability) take minutes on a page of 20 MB. Real film pages are 30-600 KB.
HUGE_PAGE_CHARS = 2_000_000
# The record's event for an extractor that raised (the page goes on without it).
EXTRACTOR_FAILED = "extract/extractor_failed/"
# The record's event for elements nested too deep for the parser (read as text).
TOO_DEEP = "extract/too_deep"
# How much of a structured comment's opening must be found in a visible one to count
# them as the same thread.
_SAME_TEXT_CHARS = 60
_MIN_SAME_TEXT_CHARS = 20


def extract_document(
    url: str,
    html: str,
    extractors: tuple[Extractor, ...] | None = None,
    *,
    with_links: bool = True,
    record: PageRecord | None = None,
) -> PageRecord:
    """Extract titles, facts, credits, comments and main text from one HTML page into
    ``record`` (a fresh :class:`PageRecord` for ``url`` when none is given).

    The page is parsed once; every extractor reads the same tree. An extractor that
    fails costs only its own findings (``extract/extractor_failed/<name>`` in the
    record's events), and so does structured data that cannot be read
    (``extract/unreadable_structured_data/<syntax>``). ``with_links`` also resolves
    every link of the page (``links``), which only a crawl that follows links needs.
    Time spent per extractor goes to ``record.timings_ms`` (``extract/<name>``).
    """
    result = record if record is not None else PageRecord(url=url)
    doc = Document(url, html)
    found: list[Extraction] = []
    chosen = extractors if extractors is not None else all_extractors()
    for extractor in [e for e in chosen if not e.comments_only]:
        extraction = _run(extractor, doc, result, chosen)
        if extraction is not None:
            found.append(extraction)
    comment_extractors = sorted(
        (e for e in chosen if e.comments_only), key=lambda e: (e.comments_rank, e.name)
    )
    for extractor in comment_extractors:
        best = _best_comment_source(found)
        if (
            best is not None
            and not best.comments_partial
            and _comments_rank(best) <= extractor.comments_rank
        ):
            break
        extraction = _run(extractor, doc, result, chosen)
        if extraction is not None and extraction.comments:
            found.append(extraction)

    comment_source = _best_comment_source(found)
    prune: list[str] = []
    prune_regions: list[HtmlElement] = []
    names: list[str] = []
    kinds: list[str] = []
    # Dubbing voices that one extractor saw listed as such are nobody's cast: structured
    # data lists them under "actor" too (KinoPoisk).
    dubbing = {person.casefold() for extraction in found for person in extraction.dubbing}
    for extraction in found:
        prune.extend(extraction.prune_xpaths)
        prune_regions.extend(extraction.prune_regions)
        result.titles.extend(extraction.titles)
        result.facts.extend(extraction.facts)
        result.credits.extend(
            credit
            for credit in extraction.credits
            if credit.role != "cast" or credit.person.casefold() not in dubbing
        )
        kinds.extend(k for k in extraction.kinds if k not in kinds)
        # Comments count only from the chosen source; the others lost to it.
        found_records = extraction.titles or extraction.facts or extraction.credits
        if found_records or extraction is comment_source:
            names.append(extraction.extractor)
    result.extractor = "+".join(names) or "trafilatura"
    # A page states a kind of work only when it is about one (it has its titles).
    result.kind = page_kind(kinds) if result.titles else None
    if comment_source is not None:
        result.comments = list(comment_source.comments)
        result.comment_page_urls = _same_host_urls(url, comment_source.comment_page_urls)

    with timed(result, "main_text"):
        result.title = _page_title(doc, found)
        result.canonical_url = _canonical_url(doc)
        positions = doc.positions if prune_regions else {}
        result.clean_text = extract_main_text(
            doc.tree,
            url,
            prune_xpaths=prune,
            prune_positions=[positions[region] for region in prune_regions],
            fast=len(html) > HUGE_PAGE_CHARS,
            synopses=_stated_synopses(doc, result.facts),
        )
    if with_links:
        # A further comment page is handed on as such (as deep as this page, continuing
        # its film), not once more as a followed link.
        comment_pages = set(result.comment_page_urls)
        result.links = [link for link in _links(doc) if link not in comment_pages]
    if "structured" in vars(doc):  # computed by an extractor that needed it
        for error in doc.structured["errors"]:
            result.count(f"extract/unreadable_structured_data/{error.get('syntax')}")
    if doc.flattened:
        # Elements nested too deep to parse had their tags removed, their text kept, so
        # that the rest of the page could be read (crawler.extract.nesting).
        result.count(TOO_DEEP, doc.flattened)
    return result


def extraction_errors(record: PageRecord) -> list[str]:
    """Names of the extractors that failed on the page (each is logged with its error)."""
    return [
        event.removeprefix(EXTRACTOR_FAILED)
        for event in record.events
        if event.startswith(EXTRACTOR_FAILED)
    ]


@contextmanager
def timed(record: PageRecord, step: str) -> Iterator[None]:
    """Add the CPU time the block takes to ``record.timings_ms[step]``.

    CPU time of the process, not wall time: a worker waiting for a core that other
    processes hold is not slower at its work, and the profile should not say it is.
    """
    started = process_time()
    try:
        yield
    finally:
        elapsed = (process_time() - started) * 1000
        record.timings_ms[step] = record.timings_ms.get(step, 0.0) + elapsed


def _run(
    extractor: Extractor,
    doc: Document,
    result: PageRecord,
    chosen: tuple[Extractor, ...],
) -> Extraction | None:
    with timed(result, f"extract/{extractor.name}"):
        try:
            if superseded_on(extractor, doc, chosen):
                return None
            if not doc.memo(f"matches:{extractor.name}", partial(extractor.matches, doc)):
                return None
            return extractor.extract(doc, claimed_before(extractor, doc, chosen))
        except Exception as exc:  # one broken extractor must not cost the page
            logger.warning("extractor %s failed on %s: %r", extractor.name, doc.url, exc)
            result.count(EXTRACTOR_FAILED + extractor.name)
            return None


def _best_comment_source(found: list[Extraction]) -> Extraction | None:
    """The best-ranked source; a partial one (one featured review in JSON-LD) gives way
    to the best-ranked source that shows more of the same thread."""
    ranked = sorted(
        (
            (_comments_rank(extraction), index, extraction)
            for index, extraction in enumerate(found)
            if extraction.comments
        ),
        key=lambda entry: (entry[0], entry[1]),
    )
    if not ranked:
        return None
    best = ranked[0][2]
    if best.comments_partial:
        for _, _, other in ranked[1:]:
            if (
                not other.comments_partial
                and len(other.comments) > len(best.comments)
                and _same_thread(best.comments, other.comments)
            ):
                return other
    return best


def _same_thread(some: list[CommentRecord], others: list[CommentRecord]) -> bool:
    """Whether two sources show the same thread: an author in common, or a comment of
    ``some`` whose opening words are in one of ``others`` (visible text is often cut)."""
    authors = {c.author.casefold() for c in others if c.author}
    if any(c.author and c.author.casefold() in authors for c in some):
        return True
    texts = [" ".join(c.text.split()).casefold() for c in others]
    for comment in some:
        # Structured reviews put their headline first; the page may show only the body.
        for paragraph in comment.text.split("\n\n")[:2]:
            words = " ".join(paragraph.split()).casefold()[:_SAME_TEXT_CHARS]
            if len(words) >= _MIN_SAME_TEXT_CHARS and any(words in text for text in texts):
                return True
    return False


def _comments_rank(extraction: Extraction) -> int:
    return comments_ranks().get(extraction.extractor, 100)


def _page_title(doc: Document, found: list[Extraction]) -> str | None:
    for extraction in found:
        if extraction.title:
            return extraction.title.strip()
    og_title = opengraph_properties(doc.structured).get("og:title")
    if og_title and og_title[0].strip():
        return og_title[0].strip()
    for expression in ("//h1", "//title"):
        for element in doc.xpath(expression):
            text = " ".join(element.text_content().split())
            if text:
                return text
    return None


def _stated_synopses(doc: Document, facts: list[FactRecord]) -> list[str]:
    """What the page states its work is about: synopsis facts (structured data, a
    labelled "Synopsis") and its OpenGraph description. They only say where the
    synopsis is in the body: text that is not there is never main text."""
    stated = [fact.raw for fact in facts if fact.field == "synopsis" and fact.raw]
    stated += opengraph_properties(doc.structured).get("og:description", [])
    return list(dict.fromkeys(stated))


def _canonical_url(doc: Document) -> str | None:
    for value in doc.xpath("//link[@rel='canonical']/@href"):
        href = str(value).strip()
        if href:
            return urljoin(doc.url, href)
    return None


def _base_url(doc: Document) -> str:
    for href in doc.xpath("//base/@href"):
        return urljoin(doc.url, str(href).strip())
    return doc.url


def _links(doc: Document) -> list[str]:
    """Absolute http(s) links of the page, without fragments, in document order."""
    base = _base_url(doc)
    seen: set[str] = set()
    links: list[str] = []
    for value in doc.xpath("//a/@href"):
        href = str(value).strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        try:
            absolute = urldefrag(urljoin(base, href))[0]
        except ValueError:
            continue
        if urlsplit(absolute).scheme not in ("http", "https") or absolute in seen:
            continue
        seen.add(absolute)
        links.append(absolute)
    return links


def _same_host_urls(page_url: str, urls: list[str]) -> list[str]:
    host = urlsplit(page_url).netloc.lower()
    result: list[str] = []
    for candidate in urls:
        absolute = urldefrag(urljoin(page_url, candidate))[0]
        if urlsplit(absolute).netloc.lower() == host and absolute not in result:
            result.append(absolute)
    return result
