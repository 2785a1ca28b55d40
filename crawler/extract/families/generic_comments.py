"""Comments on an unknown platform: a repeated block with an author and a text.

The last resort when no platform extractor knows the markup. It looks for sibling
blocks that share a tag and a leading class (``div.post``, ``li.entry`` ...) where every
block has an author-ish child (class or ``itemprop`` naming an author, user, nick or
poster, with a short text) and a text child (class naming text, body, content or
message), inside a region whose class or id says comments, reviews or a discussion.

It is deliberately conservative, because a false positive stores page furniture as
audience comments: blocks inside sidebars, widgets, navigation, headers and footers
are ignored, as are link lists ("recent comments" widgets name other posts' comments
as links) and critics' quotes, and at least two blocks with an average of 20
characters of text are required. Replies are blocks of the same kind nested inside
another. It ranks last among comment sources.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_PROSE, Extraction
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    build_records,
    class_test,
    classes,
    element_inline_text,
    flatten,
    inline_text,
    is_form_text,
)

# Words (in class, id or itemprop) that mark each part of a comment block.
_AUTHOR_WORDS = ("author", "user", "nick", "poster", "commenter", "byline", "member", "name")
_TEXT_WORDS = ("text", "body", "content", "message", "comment", "entry", "post", "review")
_DATE_WORDS = ("date", "time", "posted", "meta")
_THREAD_WORDS = (
    "comment",
    "review",
    "reply",
    "replies",
    "discussion",
    "forum",
    "message",
    "feedback",
    "guestbook",
    "respons",
    "thread",
    "topic",
    "kommentar",
    "commentaire",
    "avis",
    "reseña",
    "opinion",
)
# Regions that never hold this page's comments.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "menu", "form"})
_FURNITURE_WORDS = (
    "widget",
    "sidebar",
    "menu",
    "navbar",
    "navigation",
    "breadcrumb",
    "recentcomments",
    "recent-comments",
    "recent_comments",
    "footer",
    "critic",
    "related",
    "popular-posts",
)
_THREAD_HEADING = re.compile(
    r"\b(comments?|reviews?|responses?|replies|discussion|kommentare?|commentaires?|"
    r"comentarios?|отзывы|рецензии|评论|コメント)\b",
    re.IGNORECASE,
)

_CANDIDATE_PARENTS = XPath("//*[count(*) >= 2]")
_DATETIME = XPath(".//time/@datetime")
_HEADINGS = XPath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4][1]")

MIN_BLOCKS = 2
MIN_AVERAGE_TEXT = 20
MAX_AUTHOR_WORDS = 6
MAX_AUTHOR_CHARS = 60
MAX_LINK_SHARE = 0.5
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+")


@dataclass
class _Block:
    element: HtmlElement
    author: HtmlElement
    text: HtmlElement
    date: str | None


def _words(element: HtmlElement) -> str:
    return " ".join(
        value.lower()
        for value in (element.get("class"), element.get("id"), element.get("itemprop"))
        if value
    )


def _has_word(element: HtmlElement, words: tuple[str, ...]) -> bool:
    text = _words(element)
    return bool(text) and any(word in text for word in words)


def _signature(element: HtmlElement) -> tuple[str, str] | None:
    """Tag and leading class (digits dropped: ``post-17`` and ``post-18`` are alike)."""
    tokens = (element.get("class") or "").split()
    if not isinstance(element.tag, str) or not tokens:
        return None
    first = _NUMBER.sub("", tokens[0])
    return (element.tag, first) if first else None


class GenericCommentsExtractor(CommentExtractor):
    name: ClassVar[str] = "generic-comments"
    tier: ClassVar[int] = TIER_PROSE
    comments_rank: ClassVar[int] = 90

    def matches(self, doc: Document) -> bool:
        return True

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        thread = _best_thread(doc)
        if thread is not None:
            blocks, prune = thread
            extraction.comments = build_records(_found(blocks), self.name)
            if extraction.comments and prune:
                extraction.prune_xpaths = [prune]
        return extraction

    def find(self, doc: Document) -> list[FoundComment]:
        thread = _best_thread(doc)
        return [] if thread is None else _found(thread[0])


def _best_thread(doc: Document) -> tuple[list[_Block], str | None] | None:
    """The largest group of comment-like blocks on the page and its prune XPath."""
    best: tuple[list[_Block], str | None] | None = None
    best_score = (0, 0)
    for parent in _CANDIDATE_PARENTS(doc.tree):
        groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            signature = _signature(child)
            if signature is not None:
                groups[signature].append(child)
        for signature, members in groups.items():
            if len(members) < MIN_BLOCKS or _in_furniture(parent):
                continue
            blocks = _blocks(parent, signature)
            if blocks is None:
                continue
            score = (len(blocks), sum(len(element_inline_text(b.text)) for b in blocks))
            if score > best_score:
                best, best_score = (blocks, _prune_expression(parent, signature)), score
    return best


def _in_furniture(element: HtmlElement) -> bool:
    for node in [element, *element.iterancestors()]:
        if node.tag in ("body", "html"):
            break  # their classes describe the page ("has-sidebar"), not the region
        if node.tag in _FURNITURE_TAGS or _has_word(node, _FURNITURE_WORDS):
            return True
    return False


def _blocks(parent: HtmlElement, signature: tuple[str, str]) -> list[_Block] | None:
    """All blocks of one kind under ``parent`` (replies included), or None if they do
    not look like a comment thread."""
    members = [
        element
        for element in parent.iterdescendants(signature[0])
        if _signature(element) == signature
    ]
    if len(members) < MIN_BLOCKS:
        return None
    blocks: list[_Block] = []
    for member in members:
        block = _block(member)
        if block is None:
            return None
        blocks.append(block)
    if not _thread_context(parent, members[0]):
        return None
    texts = [_block_text(block, members) for block in blocks]
    if sum(len(text) for text in texts) / len(texts) < MIN_AVERAGE_TEXT:
        return None
    if any(is_form_text(text) for text in texts):
        return None
    # "Recent comments" widgets and link lists are mostly links.
    if sum(_link_share(block.text) for block in blocks) / len(blocks) > MAX_LINK_SHARE:
        return None
    return blocks


def _thread_context(parent: HtmlElement, member: HtmlElement) -> bool:
    if _has_word(member, _THREAD_WORDS):
        return True
    for node in [parent, *list(parent.iterancestors())[:4]]:
        if _has_word(node, _THREAD_WORDS):
            return True
    headings = _HEADINGS(parent)
    return bool(headings) and bool(_THREAD_HEADING.search(element_inline_text(headings[0])))


def _is_author(element: HtmlElement) -> bool:
    if not (_has_word(element, _AUTHOR_WORDS) or "fn" in classes(element)):
        return False
    value = element_inline_text(element)
    return 0 < len(value) <= MAX_AUTHOR_CHARS and len(value.split()) <= MAX_AUTHOR_WORDS


def _block(member: HtmlElement) -> _Block | None:
    elements = [e for e in member.iterdescendants() if isinstance(e.tag, str)]
    if any(_has_word(element, ("critic",)) for element in elements):
        return None  # critics' quotes are not audience comments
    authors = [element for element in elements if _is_author(element)]
    # The innermost candidate: ``.comment-meta`` may hold ``.fn`` and the date.
    author = next((a for a in authors if not any(b in authors for b in a.iterdescendants())), None)
    if author is None:
        return None
    texts = [
        element
        for element in elements
        if _has_word(element, _TEXT_WORDS) and not _has_word(element, _AUTHOR_WORDS + _DATE_WORDS)
    ]
    # Prefer a text element apart from the author (``.comment-content``) to one that
    # wraps the whole comment (``.comment-body``); the author's own box never counts.
    text = next((t for t in texts if author not in t.iterdescendants()), None)
    if text is None:
        text = next((t for t in texts if t not in author.iterdescendants()), None)
    if text is None:
        return None
    values = _DATETIME(member)
    date = inline_text(str(values[0])) if values else None
    if not date:
        dates = [
            element_inline_text(element)
            for element in elements
            if _has_word(element, _DATE_WORDS) and element is not author
        ]
        dates = [d for d in dates if _DIGIT.search(d) and len(d) <= MAX_AUTHOR_CHARS]
        date = min(dates, key=len) if dates else None
    return _Block(element=member, author=author, text=text, date=date)


def _link_share(element: HtmlElement) -> float:
    total = len(element_inline_text(element))
    if not total:
        return 1.0
    linked = sum(len(element_inline_text(link)) for link in element.iter("a"))
    return linked / total


def _block_text(block: _Block, members: list[HtmlElement]) -> str:
    others = set(members) - {block.element}

    def skip(element: HtmlElement) -> bool:
        return (
            element is block.author
            or element in others
            or _has_word(element, _AUTHOR_WORDS + _DATE_WORDS)
        )

    return flatten(block.text, skip=skip)


def _found(blocks: list[_Block]) -> list[FoundComment]:
    members = [block.element for block in blocks]
    index_of = {element: index for index, element in enumerate(members)}
    found: list[FoundComment] = []
    for block in blocks:
        parent = next((index_of[a] for a in block.element.iterancestors() if a in index_of), None)
        found.append(
            FoundComment(
                text=_block_text(block, members),
                author=element_inline_text(block.author),
                published_raw=block.date,
                parent=parent,
            )
        )
    return found


def _prune_expression(parent: HtmlElement, signature: tuple[str, str]) -> str | None:
    """The thread's container by id, else its blocks by tag and class (None when
    neither can be written safely as an XPath literal)."""
    identifier = parent.get("id")
    if identifier and "'" not in identifier:
        return f"//*[@id='{identifier}']"
    tag, first_class = signature
    if "'" in first_class or not re.fullmatch(r"[A-Za-z][\w.-]*", tag):
        return None
    return f"//{tag}[{class_test(first_class)}]"
