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

# Regions that are never main text on any platform: comment threads and forms,
# navigation, sidebars, footers.
NEVER_MAIN_TAGS = frozenset({"nav", "aside", "footer", "form"})
NEVER_MAIN_ROLES = frozenset({"navigation", "complementary", "contentinfo"})
NEVER_MAIN_IDS = frozenset({"comments", "respond", "disqus_thread"})
NEVER_MAIN_CLASSES = frozenset({"comment-list", "commentlist", "comment-respond"})

# Class/id words that mark page furniture. Matched as whole words of the attribute
# split at spaces, hyphens and underscores ("aw-widgets" has the word "widgets").
FURNITURE_WORDS = frozenset(
    {
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
    }
)
_PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})
# A furniture block holding more than this share of the page's visible text is the
# content.
_MAX_FURNITURE_SHARE = 0.5
# A region named as comments that holds this share of what is left is the content.
_REST_SHARE = 0.9
_WORD_SPLIT = re.compile(r"[\s_-]+")
# "content-has-sidebar", "with-widgets", "no-related": words describing a layout that
# has furniture next to it, not the furniture itself.
_LAYOUT_MODIFIER = re.compile(
    r"(?:has|with|without|no|show|hide|left|right)[-_](?:\w+[-_])?(?:"
    + "|".join(sorted(FURNITURE_WORDS))
    + r")\b"
)
# Furniture never holds the page's heading or its article body.
_HOLDS_CONTENT = etree.XPath(
    ".//h1 | .//article | .//main | .//*[@itemprop='articleBody']"
    " | .//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]"
    " | .//*[contains(concat(' ', normalize-space(@class), ' '), ' post-content ')]"
)
_VISIBLE_TEXTS = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]"
)


def _visible_length(element: HtmlElement) -> int:
    return sum(len(str(text).strip()) for text in _VISIBLE_TEXTS(element))


# Promotional lines that streaming aggregators put inside their content column.
_PROMO_LINE = re.compile(
    r"\b(watch|download|stream)\b.{0,120}\bfree\b.{0,40}\b(at|on)\b\s+\S+\.(com|net|org|to|tv|io|co|cc)\b",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n{3,}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def extract_main_text(
    tree: HtmlElement, url: str, prune_xpaths: list[str] | None = None, *, fast: bool = False
) -> str | None:
    """Return the main text as plain text with paragraphs separated by newlines.

    ``tree`` is not modified. ``None`` when trafilatura finds no main text at all.
    ``fast`` skips trafilatura's fallback passes (justext, readability), which take
    minutes on a page of many megabytes.
    """
    working = copy.deepcopy(tree)
    _remove_all(working, list(prune_xpaths or []))
    _remove_never_main(working)
    text = trafilatura.extract(
        working,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        fast=fast,
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


def _remove_never_main(tree: HtmlElement) -> None:
    """One pass over the elements: drop what is never main text, and furniture blocks
    (by class/id words) that neither hold the page's heading or article body nor most of
    its visible text."""
    never: list[HtmlElement] = []
    furniture: list[HtmlElement] = []
    for element in tree.iter(etree.Element):
        tag = element.tag
        if not isinstance(tag, str) or tag in _PROTECTED_TAGS:
            continue
        classes = element.get("class", "")
        element_id = element.get("id", "")
        if (
            tag in NEVER_MAIN_TAGS
            or element.get("role") in NEVER_MAIN_ROLES
            or element_id in NEVER_MAIN_IDS
            or (classes and not NEVER_MAIN_CLASSES.isdisjoint(classes.split()))
        ):
            never.append(element)
        elif (classes or element_id) and _is_furniture_name(f"{classes} {element_id}"):
            furniture.append(element)
    for element in never:
        if element.tag not in NEVER_MAIN_TAGS and _holds_the_rest(element, tree):
            _unname_comments(element)
            continue
        _drop(element)
    if not furniture:
        return
    total = _visible_length(tree) or 1
    for element in furniture:
        if _detached(element, tree) or _HOLDS_CONTENT(element):
            continue
        if _visible_length(element) / total > _MAX_FURNITURE_SHARE:
            continue
        _drop(element)


def _holds_the_rest(element: HtmlElement, tree: HtmlElement) -> bool:
    """Whether a region named like comments holds nearly all the text left after the
    extractors' pruning: then it is the content (a forum's opening post inside the
    software's comment feed, issue 14), not a thread to drop."""
    body = tree.find("body")
    total = _visible_length(body if body is not None else tree)
    return total > 0 and _visible_length(element) >= _REST_SHARE * total


def _unname_comments(region: HtmlElement) -> None:
    """Drop comment-like ids and classes in a region kept as content, or trafilatura
    discards it as a comment section (``div#comments``, ``#comment-40117_wrap``)."""
    for element in region.iter(etree.Element):
        for attribute in ("id", "class"):
            if "comment" in element.get(attribute, "").lower():
                del element.attrib[attribute]


def _is_furniture_name(names: str) -> bool:
    names = _LAYOUT_MODIFIER.sub(" ", names.lower())
    return not FURNITURE_WORDS.isdisjoint(_WORD_SPLIT.split(names))


def _detached(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``element`` no longer hangs under ``root`` (an ancestor was dropped)."""
    for ancestor in element.iterancestors():
        if ancestor is root:
            return False
    return element is not root


def _drop(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is None:
        return
    # Keep the text that follows the element (its tail) in the document. lxml's HTML
    # parser keeps control characters that it refuses when text is assigned back.
    if element.tail:
        tail = _NOT_XML.sub("", element.tail)
        previous = element.getprevious()
        if previous is not None:
            previous.tail = _NOT_XML.sub("", previous.tail or "") + tail
        else:
            parent.text = _NOT_XML.sub("", parent.text or "") + tail
    parent.remove(element)


def _is_promotional(line: str) -> bool:
    return len(line) < 300 and bool(_PROMO_LINE.search(line))
