"""One page, parsed once and shared by every extractor.

Nothing here knows about extractors: the document is the tree, the page's structured
data, and memoised facts about both that several extractors ask for.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from crawler.extract.structured_data import read_structured_data

T = TypeVar("T")


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
