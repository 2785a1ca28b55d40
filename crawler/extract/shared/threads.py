"""Declarative comment threads: one :class:`ThreadLayout` per platform's markup.

Blog and discussion platforms differ in where a comment's parts are and in how a
reply shows whom it answers; a layout states both, and :class:`LayoutCommentsExtractor`
does the rest the same way for all:

* ``items`` finds every comment block in page order; ``text``, ``author``, ``date`` are
  relative XPaths tried in order, and only hits that belong to the block itself count
  (not those of a reply nested inside it);
* nesting: a block inside another block answers it; a block inside a *replies
  container* (``replies``, e.g. Drupal's ``div.indented`` after the comment) answers the
  block just before that container; with ``depth`` (an indentation level read from a
  class, a style or an indent cell) a block answers the nearest earlier block that is
  indented less;
* ``skip`` class tokens inside the text are interface, not text; nested blocks are
  never part of their parent's text.

Each platform is one module in ``crawler/extract/families/`` declaring its layouts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    classes,
    element_inline_text,
    flatten,
    inline_text,
)
from crawler.extract.shared.xpath_marks import may_find

DepthReader = Callable[[HtmlElement], float | None]


@dataclass(frozen=True)
class ThreadLayout:
    """Where one platform puts a comment's parts and how it shows replies."""

    name: str
    items: XPath
    text: tuple[XPath, ...]
    author: tuple[XPath, ...]
    date: tuple[XPath, ...] = ()
    skip: frozenset[str] = field(default_factory=frozenset)
    replies: XPath | None = None
    depth: DepthReader | None = None
    date_cut: re.Pattern[str] | None = None


def class_depth(prefix: str) -> DepthReader:
    """Depth from a class token ``<prefix><N>`` (``b-tree-twig-3``)."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")

    def read(element: HtmlElement) -> float | None:
        for token in classes(element):
            match = pattern.match(token)
            if match:
                return float(match.group(1))
        return None

    return read


_INDENT_STYLE = re.compile(r"(?:margin|padding)-left\s*:\s*(\d+(?:\.\d+)?)", re.IGNORECASE)


def style_depth(element: HtmlElement) -> float | None:
    """Depth from a ``margin-left`` / ``padding-left`` style on the block."""
    match = _INDENT_STYLE.search(element.get("style") or "")
    return float(match.group(1)) if match else None


def xpath_depth(expression: XPath) -> DepthReader:
    """Depth from the first number an XPath finds (an ``indent`` attribute, an indent
    image's ``width``)."""

    def read(element: HtmlElement) -> float | None:
        for hit in expression(element):
            match = re.search(r"\d+(?:\.\d+)?", str(hit))
            if match:
                return float(match.group())
        return None

    return read


class LayoutCommentsExtractor(CommentExtractor):
    """Base of the layout-driven comment extractors: subclasses declare :attr:`layouts`;
    the first layout whose items are on the page is read."""

    layouts: ClassVar[tuple[ThreadLayout, ...]] = ()

    def matches(self, doc: Document) -> bool:
        return self._layout(doc) is not None

    def find(self, doc: Document) -> list[FoundComment]:
        found = self._layout(doc)
        return [] if found is None else read_thread(*found)

    def _layout(self, doc: Document) -> tuple[ThreadLayout, list[HtmlElement]] | None:
        def first() -> tuple[ThreadLayout, list[HtmlElement]] | None:
            for layout in self.layouts:
                if not may_find(doc, layout.items):
                    continue
                items = list(layout.items(doc.tree))
                if items:
                    return layout, items
            return None

        return doc.memo(f"thread-layout:{self.name}", first)


def read_thread(layout: ThreadLayout, items: list[HtmlElement]) -> list[FoundComment]:
    index_of = {item: index for index, item in enumerate(items)}
    depths = [layout.depth(item) if layout.depth else None for item in items]
    found: list[FoundComment] = []
    for index, item in enumerate(items):
        found.append(
            FoundComment(
                text=_text(item, layout, index_of),
                author=_first(item, layout.author, index_of),
                published_raw=_date(item, layout, index_of),
                parent=_parent(index, item, layout, index_of, depths),
            )
        )
    return found


def _owner(node: Any, index_of: dict[HtmlElement, int]) -> HtmlElement | None:
    element = node if isinstance(node, HtmlElement) else node.getparent()
    if element is None:
        return None
    if element in index_of:
        return element
    return next((a for a in element.iterancestors() if a in index_of), None)


def _own_hits(
    item: HtmlElement, expression: XPath, index_of: dict[HtmlElement, int]
) -> Iterable[Any]:
    """The hits that belong to ``item``: inside it but not inside a reply nested in it,
    or outside every block (a ``dd`` following its ``dt``)."""
    return (hit for hit in expression(item) if _owner(hit, index_of) in (item, None))


def _first(
    item: HtmlElement, expressions: tuple[XPath, ...], index_of: dict[HtmlElement, int]
) -> str | None:
    for expression in expressions:
        for hit in _own_hits(item, expression, index_of):
            text = element_inline_text(hit) if isinstance(hit, HtmlElement) else inline_text(hit)
            if text:
                return text
    return None


def _date(item: HtmlElement, layout: ThreadLayout, index_of: dict[HtmlElement, int]) -> str | None:
    date = _first(item, layout.date, index_of) if layout.date else None
    if date and layout.date_cut is not None:
        match = layout.date_cut.search(date)
        date = match.group(1) if match else date
    return date


def _text(item: HtmlElement, layout: ThreadLayout, index_of: dict[HtmlElement, int]) -> str:
    def skip(element: HtmlElement) -> bool:
        return element in index_of or not layout.skip.isdisjoint(classes(element))

    for expression in layout.text:
        for hit in _own_hits(item, expression, index_of):
            if isinstance(hit, HtmlElement):
                text = flatten(hit, skip=skip)
                if text:
                    return text
    return ""


def _parent(
    index: int,
    item: HtmlElement,
    layout: ThreadLayout,
    index_of: dict[HtmlElement, int],
    depths: list[float | None],
) -> int | None:
    for ancestor in item.iterancestors():
        if ancestor in index_of:
            return index_of[ancestor]
        if layout.replies is not None and layout.replies(ancestor):
            # The replies container follows the comment it answers.
            for sibling in ancestor.itersiblings(preceding=True):
                if sibling in index_of:
                    return index_of[sibling]
                inner = [e for e in sibling.iterdescendants() if e in index_of]
                if inner:
                    return index_of[_last_top_level(inner)]
            break
    depth = depths[index]
    if depth is None:
        return None
    for earlier in range(index - 1, -1, -1):
        other = depths[earlier]
        if other is not None and other < depth:
            return earlier
    return None


def _last_top_level(elements: list[HtmlElement]) -> HtmlElement:
    """The last of ``elements`` that is not inside another one (a wrapper's comment,
    not that comment's own replies)."""
    chosen = set(elements)
    top = [e for e in elements if not any(a in chosen for a in e.iterancestors())]
    return top[-1]
