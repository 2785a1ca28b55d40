"""One page, parsed once and shared by every extractor.

Nothing here knows about extractors: the document is the tree, the page's structured
data, and memoised facts about both that several extractors ask for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any, TypeVar

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from crawler.extract.nesting import flatten_deep_nesting
from crawler.extract.shared.markup import Line, element_lines
from crawler.extract.structured_data import read_structured_data

T = TypeVar("T")
# What XPath's normalize-space() treats as white space, and so where a class test splits
# a class attribute (str.split() would also split at no-break and other Unicode spaces).
XML_SPACE = re.compile("[ \t\r\n]+")


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
        self._lines: dict[HtmlElement, list[Line]] = {}
        # Elements nested too deep to parse whose tags were removed (their text kept).
        self.flattened = 0

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per page: for what several extractors (or an extractor's
        ``matches`` and ``extract``) derive from the same tree."""
        if key not in self._memo:
            self._memo[key] = compute()
        result: T = self._memo[key]
        return result

    def lines(self, element: HtmlElement) -> list[Line]:
        """:func:`~crawler.extract.shared.markup.element_lines` of an element of the tree,
        read once per page: the WordPress extractor and the prose reader both read a
        post's paragraphs line by line (some 150 on a long review). The lines are shared:
        callers must not change them."""
        found = self._lines.get(element)
        if found is None:
            found = self._lines[element] = element_lines(element)
        return found

    @property
    def tree(self) -> HtmlElement:
        if self._tree is None:
            self._tree, self.flattened = parse_html_counting_flattened(self.html)
        return self._tree

    @cached_property
    def structured(self) -> dict[str, list[dict[str, Any]]]:
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

    @cached_property
    def _class_and_id_index(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Class word -> positions, id -> positions (in document order), from one walk.

        XPath class tests (``contains(concat(' ', normalize-space(@class), ' '), ' x ')``)
        cost a string function per element and per class on every query; a page asks
        dozens of them.
        """
        by_class: dict[str, list[int]] = {}
        by_id: dict[str, list[int]] = {}
        for position, element in enumerate(self.elements):
            classes = element.get("class")
            if classes:
                for word in set(XML_SPACE.split(classes)) - {""}:
                    by_class.setdefault(word, []).append(position)
            element_id = element.get("id")
            if element_id is not None:
                by_id.setdefault(element_id, []).append(position)
        return by_class, by_id

    @cached_property
    def elements(self) -> list[HtmlElement]:
        """Every element of the tree in document order (no comments or processing
        instructions)."""
        return list(self.tree.iter(lxml.etree.Element))

    @cached_property
    def positions(self) -> dict[HtmlElement, int]:
        """Each element's index in :attr:`elements`: the same element in a copy of the
        tree (``copy.deepcopy``) has the same index in the copy's walk."""
        return {element: position for position, element in enumerate(self.elements)}

    def has_id_starting(self, prefix: str) -> bool:
        """Whether any element's id starts with ``prefix``."""
        return any(element_id.startswith(prefix) for element_id in self._class_and_id_index[1])

    def with_class_or_id(
        self, classes: Iterable[str] = (), ids: Iterable[str] = ()
    ) -> list[HtmlElement]:
        """Elements with any of these class words (as a whitespace-separated word of
        ``@class``, like the XPath class test) or any of these ids, in document order."""
        by_class, by_id = self._class_and_id_index
        positions: set[int] = set()
        for word in classes:
            positions.update(by_class.get(word, ()))
        for element_id in ids:
            positions.update(by_id.get(element_id, ()))
        elements = self.elements
        return [elements[position] for position in sorted(positions)]


# Every element is an ``HtmlElement``, chosen in C: lxml.html's own lookup asks a Python
# method for every element proxy lxml creates (to give form fields classes of their own,
# which nothing here uses), some 9,000 calls and 8 ms on a page of 100 KB.
_HTML_CLASSES = lxml.etree.ElementDefaultClassLookup(
    element=HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def _parser() -> lxml.html.HTMLParser:
    parser = lxml.html.HTMLParser(remove_comments=True, collect_ids=False, huge_tree=True)
    parser.set_element_class_lookup(_HTML_CLASSES)
    return parser


def parse_html(html: str) -> HtmlElement:
    """Parse HTML leniently; an empty or unparsable document gives an empty ``<html>``."""
    return parse_html_counting_flattened(html)[0]


def parse_html_counting_flattened(html: str) -> tuple[HtmlElement, int]:
    """:func:`parse_html`, and how many elements nested too deep for lxml had their tags
    removed so that the rest of the page could be read (:mod:`crawler.extract.nesting`)."""
    if not html.strip():
        return _empty(), 0
    root, gave_up_on_depth = _parse(html)
    if root is None or not gave_up_on_depth:
        return root if root is not None else _empty(), 0
    flat, flattened = flatten_deep_nesting(html)
    root, _ = _parse(flat)
    return root if root is not None else _empty(), flattened


def _parse(html: str) -> tuple[HtmlElement | None, bool]:
    """The tree, and whether libxml2 stopped reading where elements nested too deep."""
    parser = _parser()
    try:
        root: HtmlElement = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None, False
    return root, any("Excessive depth" in entry.message for entry in parser.error_log)


def _empty() -> HtmlElement:
    return lxml.html.fromstring("<html><body></body></html>")
