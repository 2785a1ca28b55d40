"""WordPress comment threads: ``wp_list_comments()`` markup, whatever the theme.

Recognised by markup, not by domain or generator tag (WordPress VIP and many themes
drop the tag): ``li.comment`` / ``li.pingback`` / ``li.trackback`` items inside a
comment list (``ol.commentlist``, ``ol.comment-list``, ``#comments`` ...), replies
nested in ``ul.children``; ``div.comment`` items (``style => div``); and the Thesis
theme's ``dl#comment_list`` of ``dt`` (author, date) and ``dd`` (text) pairs.

Within an item the text is the ``.comment-content`` (or ``.comment-body`` without
its author and date header); the author is ``.fn`` / ``cite`` or the first name in
``.comment-author``; the date the ``<time datetime>`` or the permalink text. A pingback
or trackback is kind ``pingback`` with the linking post as its author.

Comment forms (``#respond``) and "recent comments" sidebar widgets are never items.
Links to further comment pages (``/comment-page-2/``, ``?cpage=2``) of *this* post are
``comment_page_urls``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    class_test,
    classes,
    element_inline_text,
    first_text,
    flatten,
    inline_text,
)

# --- where comments live -------------------------------------------------------------
# Found with the document's class/id index (one walk of the tree per page) rather than
# XPath class tests, which cost a string function per element and class per query.
_ITEM_CLASSES = ("comment", "pingback", "trackback")
_ITEM = class_test(*_ITEM_CLASSES)
_AREA_IDS = ("comments", "comments-list", "commentlist")
_AREA_CLASSES = (
    "comments-area",
    "comments",
    "comment-list",
    "commentlist",
    "comments-list",
    "comment-stream",
    "pinglist",
    "ping-list",
    "trackback-list",
    "trackbacklist",
    "pingbacks",
    "trackbacks",
)
_WIDGET_IDS = ("recentcomments", "sidebar")
_WIDGET_CLASSES = (
    "widget",
    "widget-area",
    "widget_recent_comments",
    "recentcomments",
    "sidebar",
)
_WIDGET = (
    " or ".join(f"@id='{name}'" for name in _WIDGET_IDS) + " or " + class_test(*_WIDGET_CLASSES)
)
_DIV_ITEM_IDS = ("comment-", "div-comment-")
_THESIS_ITEMS = XPath(
    f"//dl[@id='comment_list' or {class_test('comment_list')}]/dt[{_ITEM}]"
    f"[following-sibling::*[1][self::dd]]"
)

# --- parts of one comment ------------------------------------------------------------
_CONTENT = (
    XPath(
        ".//*["
        + class_test(
            "comment-content",
            "comment-text",
            "comment-entry",
            "comment_content",
            "commenttext",
            "comment-body-text",
            "format_text",
        )
        + "]"
    ),
    XPath(f".//*[{class_test('comment-body')}]"),
)
# The header of a comment (author, avatar, date, permalink) when the text is read from
# the whole ``.comment-body`` or the item itself.
_HEADER_CLASSES = frozenset(
    {
        "comment-author",
        "comment-meta",
        "commentmetadata",
        "comment-metadata",
        "comment-header",
        "comment_author",
        "comment_date",
        "comment_time",
        "comment-date",
        "comment-time",
        "vcard",
        "fn",
        "comment-footer",
    }
)
_AUTHOR = (
    XPath(f".//*[{class_test('fn')}]"),
    XPath(f".//*[{class_test('comment-author-name', 'comment_author', 'author-name')}]"),
    XPath(f".//*[{class_test('comment-author')}]//cite"),
    XPath(".//cite"),
    XPath(f".//*[{class_test('comment-author')}]//*[self::strong or self::b]"),
    # Not the permalink that some themes put inside the author box (it shows the date).
    XPath(
        f".//*[{class_test('comment-author')}]//a[not(img)][not(.//time)]"
        "[not(starts-with(@href,'#'))][not(contains(@href,'#comment'))]"
    ),
    XPath(f".//*[{class_test('comment-author')}]/text()[normalize-space()]"),
    XPath(f".//*[{class_test('comment-author')}]"),
    XPath(".//*[@itemprop='author']"),
)
_PINGBACK_AUTHOR = (XPath(f".//a[{class_test('url')}]"), XPath(".//a[@href]"))
# In order of preference: a dedicated date element beats a metadata box that may also
# hold the author and the text (Uproxx's ``.commentmetadata`` wraps the whole comment).
_DATE_BOXES = (
    XPath(f".//*[{class_test('comment_date', 'comment-date', 'comment_time', 'comment-time')}]"),
    XPath(f".//*[{class_test('comment-published', 'comment-metadata', 'commentmetadata')}]"),
)
_TIME_DATETIME = XPath(".//time/@datetime")
_TIME_TEXT = XPath(".//time")
_PERMALINKS = XPath(".//a[contains(@href,'#comment-')]")
_DIGIT = re.compile(r"\d")
_PING_PREFIX = re.compile(r"^\s*(?:pingback|trackback)\s*:?\s*", re.IGNORECASE)

# --- further comment pages -----------------------------------------------------------
_LINKS = XPath(
    "//a[@href][contains(@href,'comment-page-') or contains(@href,'cpage=')]"
    f"[not(ancestor::*[{_WIDGET}])]"
)
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+/?")


class WordPressCommentsExtractor(CommentExtractor):
    name: ClassVar[str] = "wordpress-comments"
    comments_rank: ClassVar[int] = 10

    def matches(self, doc: Document) -> bool:
        return bool(_items(doc) or _THESIS_ITEMS(doc.tree))

    def find(self, doc: Document) -> list[FoundComment]:
        items = _items(doc)
        if items:
            return _threaded(items)
        return [_thesis_comment(dt) for dt in _THESIS_ITEMS(doc.tree)]

    def prune_regions(self, doc: Document) -> list[HtmlElement]:
        """The outermost comment areas, Thesis comment lists and comment forms."""
        areas = _areas(doc)
        outermost = [area for area in areas if not _under_any(area, areas)]
        thesis = [
            element
            for element in doc.with_class_or_id(("comment_list",), ("comment_list",))
            if element.tag == "dl"
        ]
        forms = doc.with_class_or_id(("comment-respond",), ("respond",))
        return outermost + thesis + forms

    def page_urls(self, doc: Document) -> list[str]:
        return comment_page_urls(doc)


def _areas(doc: Document) -> set[HtmlElement]:
    return doc.memo(
        "wordpress-comments.areas", lambda: set(doc.with_class_or_id(_AREA_CLASSES, _AREA_IDS))
    )


def _descendants(elements: Iterable[HtmlElement]) -> set[HtmlElement]:
    return {descendant for element in elements for descendant in element.iterdescendants()}


def _under_any(element: HtmlElement, ancestors: set[HtmlElement]) -> bool:
    return any(ancestor in ancestors for ancestor in element.iterancestors())


def _items(doc: Document) -> list[HtmlElement]:
    """``li.comment`` items of a comment area (else ``div.comment`` items with a
    ``comment-N`` id), never inside a widget or sidebar, in document order."""
    return doc.memo("wordpress-comments.items", lambda: _find_items(doc))


def _find_items(doc: Document) -> list[HtmlElement]:
    areas = _areas(doc)
    if not areas:
        return []
    # Everything inside an area, and inside a widget: one walk of each subtree rather
    # than a walk up from every comment (threads nest deep).
    in_area = _descendants(areas)
    in_widget = _descendants(doc.with_class_or_id(_WIDGET_CLASSES, _WIDGET_IDS))
    candidates = [
        element
        for element in doc.with_class_or_id(_ITEM_CLASSES)
        if element in in_area and element not in in_widget
    ]
    items = [element for element in candidates if element.tag == "li"]
    if items:
        return items
    return [
        element
        for element in candidates
        if element.tag == "div" and element.get("id", "").startswith(_DIV_ITEM_IDS)
    ]


def _threaded(items: list[HtmlElement]) -> list[FoundComment]:
    index_of = {item: index for index, item in enumerate(items)}
    found: list[FoundComment] = []
    for item in items:
        parent = _nearest_item(item, index_of)
        kind = "pingback" if {"pingback", "trackback"} & classes(item) else "comment"
        comment = _pingback(item, index_of) if kind == "pingback" else _comment(item, index_of)
        comment.parent = None if parent is None else index_of[parent]
        found.append(comment)
    return found


def _nearest_item(element: HtmlElement, index_of: dict[HtmlElement, int]) -> HtmlElement | None:
    for ancestor in element.iterancestors():
        if ancestor in index_of:
            return ancestor
    return None


def _owned(hits: list[Any], item: HtmlElement, index_of: dict[HtmlElement, int]) -> list[Any]:
    """The hits (elements, or text nodes) that belong to ``item`` itself, not to a reply
    nested inside it."""
    owned = []
    for hit in hits:
        element = hit if isinstance(hit, HtmlElement) else hit.getparent()
        if element is item or _nearest_item(element, index_of) is item:
            owned.append(hit)
    return owned


def _comment(item: HtmlElement, index_of: dict[HtmlElement, int]) -> FoundComment:
    def nested_or_header(element: HtmlElement) -> bool:
        names = classes(element)
        return element in index_of or "children" in names or not _HEADER_CLASSES.isdisjoint(names)

    roots = next(
        (hits for hits in (_owned(list(x(item)), item, index_of) for x in _CONTENT) if hits),
        [item],
    )
    text = flatten(roots[0], skip=nested_or_header)
    return FoundComment(
        text=text,
        author=_own_first_text(item, _AUTHOR, index_of),
        published_raw=_date(item, index_of),
    )


def _pingback(item: HtmlElement, index_of: dict[HtmlElement, int]) -> FoundComment:
    def nested_or_meta(element: HtmlElement) -> bool:
        return (
            element in index_of
            or "children" in classes(element)
            or bool({"comment-metadata", "commentmetadata", "comment-date"} & classes(element))
            or element.tag == "time"
        )

    author = _linking_post(item, index_of)
    text = _PING_PREFIX.sub("", flatten(item, skip=nested_or_meta))
    if author and text.startswith(author):
        rest = text[len(author) :].strip()
        text = rest if re.search(r"\w", rest) else text
    return FoundComment(
        text=text or (author or ""),
        author=author,
        published_raw=_date(item, index_of),
        kind="pingback",
    )


def _linking_post(item: HtmlElement, index_of: dict[HtmlElement, int]) -> str | None:
    """The post that links here: its title, or its URL when the link shows a date."""
    for expression in _PINGBACK_AUTHOR:
        for link in _owned(list(expression(item)), item, index_of):
            title = element_inline_text(link)
            if title and not link.xpath(".//time"):
                return title
            href = inline_text(link.get("href"))
            if href:
                return href
    return None


def _own_first_text(
    item: HtmlElement, expressions: tuple[XPath, ...], index_of: dict[HtmlElement, int]
) -> str | None:
    for expression in expressions:
        for hit in _owned(list(expression(item)), item, index_of):
            text = element_inline_text(hit) if isinstance(hit, HtmlElement) else inline_text(hit)
            if text:
                return text
    return None


def _date(item: HtmlElement, index_of: dict[HtmlElement, int]) -> str | None:
    for value in _TIME_DATETIME(item):
        if _nearest_item(value.getparent(), index_of) is item and inline_text(value):
            return inline_text(value)
    for expression in _DATE_BOXES:
        for box in _owned(list(expression(item)), item, index_of):
            for candidate in [*box.iter("a"), *box.iter("time"), box]:
                text = element_inline_text(candidate)
                if _DIGIT.search(text):
                    return text
    for link in _owned(list(_PERMALINKS(item)), item, index_of):
        text = element_inline_text(link)
        if _DIGIT.search(text):
            return text
    return None


def _thesis_comment(dt: HtmlElement) -> FoundComment:
    dd = dt.getnext()
    author = first_text(dt, (XPath(f".//*[{class_test('comment_author', 'fn')}]"),))
    date = first_text(dt, (_TIME_DATETIME, XPath(f".//*[{class_test('comment_time')}]")))
    return FoundComment(
        text=flatten(dd) if dd is not None else "",
        author=author,
        published_raw=date,
    )


def comment_page_urls(doc: Document) -> list[str]:
    """Links to other pages of this post's comments, in page order.

    A link qualifies when it differs from the page only by ``/comment-page-N/`` or
    ``cpage=N``; "recent comments" widgets link to other posts' comment pages.
    """
    own = _without_comment_page(doc.url)
    urls: list[str] = []
    for link in _LINKS(doc.tree):
        href = inline_text(link.get("href"))
        try:
            absolute = urljoin(doc.url, href).split("#", 1)[0]
        except ValueError:
            continue
        if (
            absolute != doc.url.split("#", 1)[0]
            and _without_comment_page(absolute) == own
            and absolute not in urls
        ):
            urls.append(absolute)
    return urls


def _without_comment_page(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ("", "")
    path = _COMMENT_PAGE_PATH.sub("/", parts.path).rstrip("/")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "cpage"])
    return (path, query)
