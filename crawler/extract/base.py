"""The extractor interface: a parsed page in, records out; no network, no database.

An extractor recognises a page by its markup (a MediaWiki generator tag, WordPress
comment markup, a JSON-LD ``Movie``), never only by its domain, so a mirror, an archive
copy or a page served from 127.0.0.1 is handled like the original.

Adding a platform is one module in ``crawler/extract/`` defining a subclass of
:class:`Extractor`; :func:`crawler.extract.registry.all_extractors` finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, TypeVar

import lxml.html
from lxml.html import HtmlElement

from schemas.items import CommentRecord, CreditRecord, FactRecord, TitleRecord

T = TypeVar("T")

# Tiers order the evidence when sources on one page, or across pages, disagree:
# structured data is what the site meant to publish, fact boxes are laid out for
# people but labelled, prose is the least precise.
TIER_STRUCTURED = 10
TIER_PLATFORM = 20
TIER_FACTBOX = 30
TIER_PROSE = 40


class Document:
    """One page, parsed once and shared by every extractor.

    ``tree`` is the lxml tree (extractors must not modify it); ``structured`` is the
    page's JSON-LD, microdata and OpenGraph as extruct returns them, computed on first
    use.
    """

    def __init__(self, url: str, html: str, tree: HtmlElement | None = None) -> None:
        self.url = url
        self.html = html
        self._tree = tree
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per page: for what several extractors (or an extractor's
        ``matches`` and ``extract``) derive from the same tree."""
        if key not in self._memo:
            self._memo[key] = compute()
        result: T = self._memo[key]
        return result

    @property
    def tree(self) -> HtmlElement:
        if self._tree is None:
            self._tree = parse_html(self.html)
        return self._tree

    @cached_property
    def structured(self) -> dict[str, list[dict[str, Any]]]:
        from crawler.extract.structured_data import read_structured_data

        return read_structured_data(self.tree, self.url)

    @cached_property
    def generator(self) -> str:
        """The ``<meta name="generator">`` content, lower-cased ('' when absent)."""
        values = self.tree.xpath(
            "//meta[translate(@name,'GENERATOR','generator')='generator']/@content"
        )
        return " ".join(str(v) for v in values).lower()

    def xpath(self, expression: str, **variables: Any) -> list[Any]:
        return list(self.tree.xpath(expression, **variables))


def parse_html(html: str) -> HtmlElement:
    """Parse HTML leniently; an empty or unparsable document gives an empty ``<html>``."""
    if not html.strip():
        return lxml.html.fromstring("<html><body></body></html>")
    parser = lxml.html.HTMLParser(remove_comments=True, collect_ids=False, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.fromstring("<html><body></body></html>")
    return root


@dataclass
class Extraction:
    """What one extractor found on one page."""

    extractor: str
    tier: int = TIER_PLATFORM
    title: str | None = None
    titles: list[TitleRecord] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)
    credits: list[CreditRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    comment_page_urls: list[str] = field(default_factory=list)
    # XPath expressions for regions that are not the page's main text (comment
    # threads, cast galleries, fact boxes, sidebars); they are pruned before
    # trafilatura decides the main text, so comments never leak into ``clean_text``.
    prune_xpaths: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.titles or self.facts or self.credits or self.comments)


class Extractor:
    """Base class of every extractor; subclasses are found automatically.

    ``name`` is recorded in ``facts.extractor`` and ``pages.extractor``; ``tier`` orders
    evidence (see ``TIER_*``); ``comments_rank`` orders comment sources: when several
    extractors find the same thread, the lowest rank wins (platform markup knows
    authors and threading better than a generic heuristic); ``comments_only``
    extractors run in rank order and stop at the first that finds comments.
    """

    name: ClassVar[str] = ""
    tier: ClassVar[int] = TIER_PLATFORM
    comments_rank: ClassVar[int] = 50
    # An extractor that only finds comments is skipped once a better-ranked one has
    # found the page's thread: its answer could not be used anyway.
    comments_only: ClassVar[bool] = False

    def matches(self, doc: Document) -> bool:
        raise NotImplementedError

    def extract(self, doc: Document) -> Extraction:
        raise NotImplementedError

    def new_extraction(self) -> Extraction:
        return Extraction(extractor=self.name, tier=self.tier)
