"""Run every matching extractor over one page and combine what they found.

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
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urldefrag, urljoin, urlsplit

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
from schemas.records import CommentRecord, CreditRecord, FactRecord, TitleRecord

logger = logging.getLogger(__name__)

# Pages larger than this get trafilatura's main extractor only: its fallback passes
# (justext, readability) take minutes on a page of 20 MB. Real film pages are 30-600 KB.
HUGE_PAGE_CHARS = 2_000_000


@dataclass
class PageExtraction:
    """Everything extraction found on one page, before cleaning and storage."""

    title: str | None = None
    clean_text: str | None = None
    canonical_url: str | None = None
    extractors: list[str] = field(default_factory=list)
    titles: list[TitleRecord] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)
    credits: list[CreditRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    comment_page_urls: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Structured data the page has but that could not be read ("json-ld" for each
    # malformed script); the rest of the page is extracted as usual.
    unreadable_data: list[str] = field(default_factory=list)
    # Elements nested too deep to parse, whose tags were removed (their text kept) so
    # that the rest of the page could be read (crawler.extract.nesting).
    flattened_elements: int = 0


def extract_document(
    url: str,
    html: str,
    extractors: tuple[Extractor, ...] | None = None,
    *,
    with_links: bool = True,
) -> PageExtraction:
    """Extract titles, facts, credits, comments and main text from one HTML page.

    ``with_links`` also resolves every link of the page (``links``), which only a crawl
    that follows links needs.
    """
    doc = Document(url, html)
    result = PageExtraction()
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
        if best is not None and _comments_rank(best) <= extractor.comments_rank:
            break
        extraction = _run(extractor, doc, result, chosen)
        if extraction is not None and extraction.comments:
            found.append(extraction)

    comment_source = _best_comment_source(found)
    prune: list[str] = []
    for extraction in found:
        prune.extend(extraction.prune_xpaths)
        result.titles.extend(extraction.titles)
        result.facts.extend(extraction.facts)
        result.credits.extend(extraction.credits)
        # Comments count only from the chosen source; the others lost to it.
        found_records = extraction.titles or extraction.facts or extraction.credits
        if found_records or extraction is comment_source:
            result.extractors.append(extraction.extractor)
    if comment_source is not None:
        result.comments = list(comment_source.comments)
        result.comment_page_urls = _same_host_urls(url, comment_source.comment_page_urls)

    result.title = _page_title(doc, found)
    result.canonical_url = _canonical_url(doc)
    result.clean_text = extract_main_text(
        doc.tree, url, prune_xpaths=prune, fast=len(html) > HUGE_PAGE_CHARS
    )
    if with_links:
        result.links = _links(doc)
    if "structured" in vars(doc):  # computed by an extractor that needed it
        result.unreadable_data = [str(error.get("syntax")) for error in doc.structured["errors"]]
    result.flattened_elements = doc.flattened
    return result


def _run(
    extractor: Extractor,
    doc: Document,
    result: PageExtraction,
    chosen: tuple[Extractor, ...],
) -> Extraction | None:
    try:
        if superseded_on(extractor, doc, chosen):
            return None
        if not doc.memo(f"matches:{extractor.name}", partial(extractor.matches, doc)):
            return None
        return extractor.extract(doc, claimed_before(extractor, doc, chosen))
    except Exception as exc:  # one broken extractor must not cost the page
        logger.warning("extractor %s failed on %s: %r", extractor.name, doc.url, exc)
        result.errors.append(f"{extractor.name}: {exc!r}")
        return None


def _best_comment_source(found: list[Extraction]) -> Extraction | None:
    ranked = [
        (_comments_rank(extraction), index, extraction)
        for index, extraction in enumerate(found)
        if extraction.comments
    ]
    if not ranked:
        return None
    return min(ranked, key=lambda entry: (entry[0], entry[1]))[2]


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
