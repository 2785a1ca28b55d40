"""Comments and user reviews a page declares as schema.org data (JSON-LD, microdata).

They are found wherever the page puts them: at the top level, or as the ``review`` /
``comment`` of a Movie, TVSeries, Book, Product, Organization, CreativeWork or
WebPage (also through ``mainEntity``, ``itemListElement``, ``about``, ``hasPart``).
``Comment``, ``Answer`` and ``UserComments`` nodes are comments (a ``comment`` nested
in a comment is a reply),
``Review`` nodes are kind ``review`` with ``author.name``, ``reviewBody`` (or ``text``)
and ``datePublished`` / ``dateCreated``; a review's ``name`` / ``headline`` is its first
paragraph.

Not every Review is an audience comment, so three kinds are left out:

* critics' reviews: a ``publisher``, an ``Organization`` author, the ``CriticReview``
  type, or microdata inside a block named like ``critic`` / ``pro-review`` / ``press``
  (Rotten Tomatoes, Metacritic excerpts on IMDb, FilmAffinity);
* the page's own review: a lone top-level Review is the article itself, not a comment
  on it, and so is a review written by the page's author;
* nodes without text (IMDb's empty "User Reviews" teaser).

Microdata is read from the tree rather than from extruct's output, because
``<a itemprop="name" href=...>`` gives the URL there and we want the name shown.
Platform extractors know threads and authors better, so this source ranks below them;
and because sites often put only a featured review or two into their structured data,
it is ``comments_partial``: a visible source that shows more of the same thread (the
generic detector's list of the page's reviews) is preferred to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_STRUCTURED
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    element_inline_text,
    flatten,
    inline_text,
    plain_text,
)
from crawler.extract.structured_data import schema_types

REVIEW_TYPES = frozenset({"Review", "UserReview"})
CRITIC_TYPES = frozenset({"CriticReview"})
# ``UserComments`` is schema.org's older type for a user's comment (``commentText``,
# ``creator``, ``commentTime``).
COMMENT_TYPES = frozenset({"Comment", "Answer", "UserComments"})
AUDIENCE_TYPES = REVIEW_TYPES | COMMENT_TYPES
# Page types whose author wrote the page (and so cannot comment on it with a review).
AUTHORED_TYPES = frozenset({"Article", "BlogPosting", "NewsArticle", "Report"})
# Properties under which a node lists its reviews and comments (JSON-LD and microdata).
LIST_PROPERTIES = ("review", "reviews", "comment", "comments")
# Properties to look through for such lists.
CONTAINER_PROPERTIES = ("mainEntity", "itemListElement", "item", "about", "hasPart")
TEXT_PROPERTIES = ("reviewBody", "reviewbody", "text", "commentText", "description")
DATE_PROPERTIES = ("datePublished", "dateCreated", "commentTime", "dateModified")
TITLE_PROPERTIES = ("name", "headline")
MAX_DEPTH = 12

_MICRODATA_ITEMS = XPath("//*[@itemscope][@itemtype]")
_META_AUTHOR = XPath(
    "//meta[translate(@name,'AUTHOR','author')='author']/@content"
    " | //meta[@property='article:author']/@content"
)
# Class or id words of blocks that hold critics' reviews.
_CRITIC_MARKERS = ("critic", "pro-review", "press")


class StructuredCommentsExtractor(CommentExtractor):
    name: ClassVar[str] = "structured-comments"
    tier: ClassVar[int] = TIER_STRUCTURED
    comments_rank: ClassVar[int] = 30
    # Sites put a featured review or two into their structured data and show the rest
    # only in the page: a visible source with more of the same thread wins.
    comments_partial: ClassVar[bool] = True
    # Comments marked up in microdata are never main text. Reviews are not pruned: a
    # nested Review may be the article itself (its author's own verdict).
    prune: ClassVar[tuple[str, ...]] = (
        "//*[@itemscope][@itemprop='comment' or @itemprop='comments']",
    )

    def matches(self, doc: Document) -> bool:
        if any(_audience_nodes_exist(node) for node in doc.structured["json-ld"]):
            return True
        return any(_md_types(item) & AUDIENCE_TYPES for item in _MICRODATA_ITEMS(doc.tree))

    def find(self, doc: Document) -> list[FoundComment]:
        page_authors = _page_authors(doc)
        found = _from_jsonld(doc.structured["json-ld"], page_authors)
        seen = {_key(comment) for comment in found}
        # The same reviews are sometimes given in both syntaxes: JSON-LD first.
        moved: dict[int, int | None] = {}
        for index, comment in enumerate(_from_microdata(doc, page_authors)):
            if _key(comment) in seen:
                moved[index] = None
                continue
            comment.parent = None if comment.parent is None else moved.get(comment.parent)
            moved[index] = len(found)
            found.append(comment)
        return found


def _key(comment: FoundComment) -> tuple[str, str]:
    return ((comment.author or "").casefold(), " ".join(comment.text.split())[-200:].casefold())


def _page_authors(doc: Document) -> set[str]:
    """Who wrote the page: ``<meta name="author">`` and the author of a top-level
    article (JSON-LD, or a microdata item that is no one's property)."""
    names = {inline_text(str(value)) for value in _META_AUTHOR(doc.tree)}
    for node in doc.structured["json-ld"]:
        if schema_types(node) & AUTHORED_TYPES:
            names.add(_jsonld_name(node.get("author")) or "")
    for item in _MICRODATA_ITEMS(doc.tree):
        if item.get("itemprop") is None and _md_types(item) & AUTHORED_TYPES:
            names.add(_md_author(_md_properties(item)) or "")
    return {name.casefold() for name in names if name}


# --- JSON-LD --------------------------------------------------------------------------


def _audience_nodes_exist(node: Any, depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, list):
        return any(_audience_nodes_exist(item, depth + 1) for item in node)
    if not isinstance(node, dict):
        return False
    if schema_types(node) & AUDIENCE_TYPES:
        return True
    return any(
        _audience_nodes_exist(node.get(key), depth + 1)
        for key in LIST_PROPERTIES + CONTAINER_PROPERTIES
    )


def _from_jsonld(nodes: list[dict[str, Any]], page_authors: set[str]) -> list[FoundComment]:
    found: list[FoundComment] = []
    top_level_reviews = sum(1 for node in nodes if schema_types(node) & REVIEW_TYPES)
    for node in nodes:
        types = schema_types(node)
        if types & REVIEW_TYPES and top_level_reviews < 2:
            # The page's own review; comments on it are still comments.
            _jsonld_lists(node, None, found, page_authors, 0)
        elif types & AUDIENCE_TYPES:
            _jsonld_add(node, None, found, page_authors, 0)
        else:
            _jsonld_lists(node, None, found, page_authors, 0)
    return found


def _jsonld_lists(
    node: dict[str, Any],
    parent: int | None,
    found: list[FoundComment],
    page_authors: set[str],
    depth: int,
) -> None:
    if depth > MAX_DEPTH:
        return
    for key in LIST_PROPERTIES:
        for child in _as_list(node.get(key)):
            if isinstance(child, dict) and schema_types(child) & AUDIENCE_TYPES:
                _jsonld_add(child, parent, found, page_authors, depth + 1)
    for key in CONTAINER_PROPERTIES:
        for child in _as_list(node.get(key)):
            if not isinstance(child, dict):
                continue
            if schema_types(child) & AUDIENCE_TYPES:
                _jsonld_add(child, parent, found, page_authors, depth + 1)
            else:
                _jsonld_lists(child, parent, found, page_authors, depth + 1)


def _jsonld_add(
    node: dict[str, Any],
    parent: int | None,
    found: list[FoundComment],
    page_authors: set[str],
    depth: int,
) -> None:
    types = schema_types(node)
    author = _jsonld_name(node.get("author")) or _jsonld_name(node.get("creator"))
    is_review = bool(types & REVIEW_TYPES)
    if _is_critic_jsonld(node, types) or (
        is_review and author and author.casefold() in page_authors
    ):
        return
    text = next(
        (plain_text(str(v)) for k in TEXT_PROPERTIES for v in _as_list(node.get(k)) if v), ""
    )
    if is_review:
        title = next(
            (
                inline_text(str(v))
                for k in TITLE_PROPERTIES
                for v in _as_list(node.get(k))
                if isinstance(v, str) and v.strip()
            ),
            "",
        )
        if title and not text.startswith(title):
            text = f"{title}\n\n{text}" if text else ""
    date = next(
        (inline_text(str(v)) for k in DATE_PROPERTIES for v in _as_list(node.get(k)) if v), None
    )
    index = len(found)
    found.append(
        FoundComment(
            text=text,
            author=author,
            published_raw=date,
            kind="review" if is_review else "comment",
            parent=parent,
        )
    )
    _jsonld_lists(node, index, found, page_authors, depth)


def _is_critic_jsonld(node: dict[str, Any], types: set[str]) -> bool:
    if types & CRITIC_TYPES or node.get("publisher"):
        return True
    for author in _as_list(node.get("author")):
        if isinstance(author, dict):
            if "Organization" in schema_types(author):
                return True
            if "/critic/" in str(author.get("url", "")):
                return True
    return False


def _jsonld_name(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return inline_text(item)
        if isinstance(item, dict):
            name = _jsonld_name(item.get("name"))
            if name:
                return name
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- microdata ------------------------------------------------------------------------


def _md_types(element: HtmlElement) -> set[str]:
    return {
        value.rstrip("/").rsplit("/", 1)[-1] for value in (element.get("itemtype") or "").split()
    }


def _md_properties(item: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The item's own properties: ``itemprop`` elements not inside a nested item."""
    properties: dict[str, list[HtmlElement]] = {}
    stack = list(reversed(item))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        for name in (element.get("itemprop") or "").split():
            properties.setdefault(name, []).append(element)
        if element.get("itemscope") is None:
            stack.extend(reversed(element))
    return properties


def _md_value(element: HtmlElement) -> str:
    """A property's value as shown: ``content``, ``datetime``, else the visible text."""
    for attribute in ("content", "datetime"):
        value = element.get(attribute)
        if value is not None and element.tag in ("meta", "time", "data"):
            return inline_text(value)
    return element_inline_text(element)


def _md_author(properties: dict[str, list[HtmlElement]]) -> str | None:
    for element in properties.get("author", []) + properties.get("creator", []):
        if element.get("itemscope") is not None:
            names = _md_properties(element).get("name", [])
            value = _md_value(names[0]) if names else ""
        else:
            value = _md_value(element)
        if value:
            return value
    return None


def _is_critic_microdata(item: HtmlElement, properties: dict[str, list[HtmlElement]]) -> bool:
    if "publisher" in properties or _md_types(item) & CRITIC_TYPES:
        return True
    for element in properties.get("author", []):
        if _md_types(element) & {"Organization"}:
            return True
    for element in [item, *item.iterancestors()]:
        words = " ".join([element.get("class") or "", element.get("id") or ""]).lower()
        if any(marker in words for marker in _CRITIC_MARKERS):
            return True
    return False


def _from_microdata(doc: Document, page_authors: set[str]) -> Iterator[FoundComment]:
    items = [item for item in _MICRODATA_ITEMS(doc.tree) if _md_types(item) & AUDIENCE_TYPES]
    top_level_reviews = sum(
        1 for item in items if item.get("itemprop") is None and _md_types(item) & REVIEW_TYPES
    )
    kept: dict[HtmlElement, int] = {}
    count = 0
    for item in items:
        types = _md_types(item)
        is_review = bool(types & REVIEW_TYPES)
        properties = _md_properties(item)
        author = _md_author(properties)
        if (
            (is_review and item.get("itemprop") is None and top_level_reviews < 2)
            or _is_critic_microdata(item, properties)
            or (is_review and author and author.casefold() in page_authors)
        ):
            continue
        text = ""
        for name in TEXT_PROPERTIES:
            for element in properties.get(name, []):
                text = (
                    plain_text(element.get("content") or "")
                    if element.tag == "meta"
                    else flatten(element)
                )
                if text:
                    break
            if text:
                break
        if is_review:
            title = next(
                (
                    _md_value(e)
                    for n in TITLE_PROPERTIES
                    for e in properties.get(n, [])
                    if _md_value(e)
                ),
                "",
            )
            if title and text and not text.startswith(title):
                text = f"{title}\n\n{text}"
        date = next(
            (_md_value(e) for n in DATE_PROPERTIES for e in properties.get(n, []) if _md_value(e)),
            None,
        )
        parent = next((kept[a] for a in item.iterancestors() if a in kept), None)
        kept[item] = count
        count += 1
        yield FoundComment(
            text=text,
            author=author,
            published_raw=date,
            kind="review" if is_review else "comment",
            parent=parent,
        )
