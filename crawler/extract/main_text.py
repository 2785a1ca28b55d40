"""The page's main text (synopsis, review, article) with trafilatura.

trafilatura decides what is main text. Before it runs we remove, on a copy of the
tree, what we already know is not: regions platform extractors identified (comment
threads, cast galleries, fact boxes, rating widgets) and blocks whose class or id says
they are page furniture (sidebars, widgets, related-film grids, share bars, SEO
blurbs) — but never a block that holds most of the page's text, so an unusual theme
naming its content column ``main-widget`` keeps its content. trafilatura is never
asked for comments, so a page's comments cannot leak into ``pages.clean_text``.
"""

from __future__ import annotations

import copy
import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import use_config

# The downloader is Scrapy's; trafilatura only extracts. Its own time limit applies to
# its CLI only; ours is enforced by the worker that runs extraction.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

# Regions that are never main text on any platform.
GENERIC_PRUNE_XPATHS: tuple[str, ...] = (
    "//*[@id='comments' or @id='respond' or @id='disqus_thread']",
    "//ol[contains(concat(' ',normalize-space(@class),' '),' comment-list ')"
    " or contains(concat(' ',normalize-space(@class),' '),' commentlist ')]",
    "//form",
    "//*[@role='navigation' or @role='complementary' or @role='contentinfo']",
    "//nav | //aside | //footer",
)

# Class/id words that mark page furniture. Matched as whole words of the attribute
# split at spaces, hyphens and underscores ("aw-widgets" has the word "widgets").
FURNITURE_WORDS: tuple[str, ...] = (
    "sidebar",
    "widget",
    "widgets",
    "related",
    "trending",
    "popular",
    "ticker",
    "share",
    "sharing",
    "sharedaddy",
    "social",
    "breadcrumb",
    "breadcrumbs",
    "advert",
    "advertisement",
    "adsbygoogle",
    "sponsored",
    "promo",
    "newsletter",
    "subscribe",
    "cookie",
    "consent",
    "seo",
    "navbar",
    "pagination",
    "disqus",
)
_PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})
# A furniture block holding more than this share of the page's text is the content.
_MAX_FURNITURE_SHARE = 0.5


def _word_test(attribute: str, word: str) -> str:
    return (
        f"contains(concat(' ', translate(normalize-space(@{attribute}), '-_', '  '), ' '), "
        f"' {word} ')"
    )


_FURNITURE = etree.XPath(
    "//*[" + " or ".join(_word_test(a, w) for a in ("class", "id") for w in FURNITURE_WORDS) + "]"
)

# Promotional lines that streaming aggregators put inside their content column.
_PROMO_LINE = re.compile(
    r"\b(watch|download|stream)\b.{0,120}\bfree\b.{0,40}\b(at|on)\b\s+\S+\.(com|net|org|to|tv|io|co|cc)\b",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n{3,}")


def extract_main_text(
    tree: HtmlElement, url: str, prune_xpaths: list[str] | None = None
) -> str | None:
    """Return the main text as plain text with paragraphs separated by newlines.

    ``tree`` is not modified. ``None`` when trafilatura finds no main text at all.
    """
    working = copy.deepcopy(tree)
    _remove_all(working, list(GENERIC_PRUNE_XPATHS) + list(prune_xpaths or []))
    _remove_furniture(working)
    text = trafilatura.extract(
        working,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        config=_CONFIG,
    )
    if not text:
        return None
    lines = [line for line in text.splitlines() if not _is_promotional(line)]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines).strip())
    return text or None


def _remove_all(tree: HtmlElement, expressions: list[str]) -> None:
    for expression in expressions:
        try:
            elements = tree.xpath(expression)
        except etree.XPathError:
            continue
        for element in elements:
            if isinstance(element, HtmlElement) and element.tag not in _PROTECTED_TAGS:
                _drop(element)


def _remove_furniture(tree: HtmlElement) -> None:
    total = len(tree.text_content()) or 1
    for element in _FURNITURE(tree):
        if element.tag in _PROTECTED_TAGS or element.getparent() is None:
            continue
        if len(element.text_content()) / total > _MAX_FURNITURE_SHARE:
            continue
        _drop(element)


def _drop(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is None:
        return
    # Keep the text that follows the element (its tail) in the document.
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _is_promotional(line: str) -> bool:
    return len(line) < 300 and bool(_PROMO_LINE.search(line))
