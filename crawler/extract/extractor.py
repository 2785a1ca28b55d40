"""The extractor interface: a parsed page in, records out; no network, no database.

An extractor recognises a page by its markup (a MediaWiki generator tag, WordPress
comment markup, a JSON-LD ``Movie``), never only by its domain, so a mirror, an archive
copy or a page served from 127.0.0.1 is handled like the original.

An extractor declares what it owns, and the registry (:mod:`crawler.extract.registry`)
resolves overlaps, so no extractor needs to know another:

* ``claims(doc)``: the regions of the page it reads itself (an infobox, a blog post, a
  title block). Extractors of a later tier do not read facts there.
* ``supersedes``: names of extractors that are not run on a page this one matches.
* ``comments_rank``: when several extractors find comments, the lowest rank is the
  page's one comment source;
* ``comments_partial``: its comments may be a selection of those the page shows (a
  featured review in structured data), so a source that shows more of the same
  thread replaces it.

Adding a platform family is one module in ``crawler/extract/families/`` defining a
subclass of :class:`Extractor`; :func:`crawler.extract.registry.all_extractors` finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from lxml.html import HtmlElement

from crawler.extract.document import Document
from schemas.records import CommentRecord, CreditRecord, FactRecord, TitleRecord

# Tiers order the evidence when sources on one page, or across pages, disagree:
# structured data is what the site meant to publish, fact boxes are laid out for
# people but labelled, prose is the least precise.
TIER_STRUCTURED = 10
TIER_PLATFORM = 20
TIER_FACTBOX = 30
TIER_PROSE = 40


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
    # Regions that are not the page's main text (comment threads, cast galleries, fact
    # boxes, sidebars): pruned before trafilatura decides the main text, so comments
    # never leak into ``clean_text``. Elements of ``doc.tree`` (cheap: no query is run
    # again), or XPath expressions evaluated on the page.
    prune_regions: list[HtmlElement] = field(default_factory=list)
    prune_xpaths: list[str] = field(default_factory=list)
    # What the page says the work is, as it says it: a schema.org type ("TVEpisode") or
    # a label's value ("TV Series"); ``crawler.normalize.kinds`` reads them.
    kinds: list[str] = field(default_factory=list)
    # People the page lists as dubbing voices: never the film's cast, whichever
    # extractor found them under an actor property.
    dubbing: list[str] = field(default_factory=list)
    # The comments may be a selection of the page's thread (``Extractor.comments_partial``).
    comments_partial: bool = False

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
    # Structured data often carries one featured review while the page shows ten: a
    # partial source's comments give way to a visible source that has more of them.
    comments_partial: ClassVar[bool] = False
    # Extractors that do not run on a page this one matches: they read the same
    # evidence less well (OpenGraph's title where schema.org describes the film).
    supersedes: ClassVar[frozenset[str]] = frozenset()

    def matches(self, doc: Document) -> bool:
        raise NotImplementedError

    def claims(self, doc: Document) -> Sequence[HtmlElement]:
        """The regions this extractor reads itself, whether or not it matches the page:
        extractors of a later tier leave them alone."""
        return ()

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        """Everything this extractor finds on ``doc``; ``claimed`` are the regions that
        extractors of earlier tiers own (see :meth:`claims`)."""
        raise NotImplementedError

    def new_extraction(self) -> Extraction:
        return Extraction(
            extractor=self.name, tier=self.tier, comments_partial=self.comments_partial
        )
