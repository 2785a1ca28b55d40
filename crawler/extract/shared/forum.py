"""What the forum-software extractors share: posts in page order, the opener kept apart.

A forum thread is a list of posts. The first post of a thread's first page is its
*opening post*: it is what the page is about, so it is the page's main text and not a
comment. Every later post is a comment (kind ``comment``: a forum reply answers the
thread, not another comment, even when it quotes one). So an extractor built on
:class:`ForumExtractor`

* returns every post but the opener as a comment;
* prunes those posts (and the software's per-post furniture) before the main text is
  decided, and leaves the opener in place, so trafilatura finds it;
* leaves out of a post's text what the markup marks as a quotation of another post
  (it is that post's text) and interface chrome; a signature stays part of the post
  unless the markup marks it as a signature.

The opener is on the page when the first post's number (``#1``) says so, or, when the
software shows no numbers, when the URL is not a later page of the thread
(``page-2``, ``/page/3/``, ``?page=2``, ``start=20``).

Each forum software is one module in ``crawler/extract/families/`` with one or more
:class:`ForumLayout` s (one per major version); nothing here knows a software.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    classes,
    first_text,
    flatten,
)
from crawler.extract.shared.xpath_marks import may_find


@dataclass(frozen=True)
class ForumLayout:
    """Where one forum software (one major version) puts a post's parts.

    ``posts`` finds the post containers in page order; the other XPaths are relative
    to one post and tried in order. ``body`` may find several elements (a message and
    an unmarked signature after it): their texts are joined. ``number`` finds the
    post's number in the thread (text or attribute; its first run of digits counts).
    ``quotes`` finds, inside the post, the quotations of other posts; ``skip`` holds
    class tokens of elements inside the body that are not text ("Last edited by",
    marked signatures). ``furniture`` are page-level XPaths of the software's per-post
    panels (user info, post controls) pruned from the main text with the replies.
    """

    name: str
    posts: XPath
    body: tuple[XPath, ...]
    author: tuple[XPath, ...]
    date: tuple[XPath, ...] = ()
    number: tuple[XPath, ...] = ()
    quotes: XPath | None = None
    skip: frozenset[str] = field(default_factory=frozenset)
    furniture: tuple[str, ...] = ()


@dataclass
class _Thread:
    layout: ForumLayout
    posts: list[HtmlElement]
    opener_shown: bool


# A later page of a thread: ".../page-3", ".../page/3/", ".../page3", "?page=3",
# "&pg=3", "&start=20" (phpBB counts posts from 0). ``p=`` is a post id on vBulletin.
_LATER_PATH = re.compile(r"/page[-/]?(\d+)(?:/|\.html?)?$", re.IGNORECASE)
_LATER_QUERY = re.compile(r"(?:^|&)(page|pg|start|offset)=(\d+)", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def later_page(url: str) -> bool:
    """Whether ``url`` is a later page of a thread, whose first post is not the opener.

    >>> later_page("https://f.example/threads/sin-city.123/page-2")
    True
    >>> later_page("https://f.example/viewtopic.php?t=5&start=0")
    False
    >>> later_page("https://f.example/showthread.php?p=5828597")
    False
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    match = _LATER_PATH.search(parts.path)
    if match and int(match.group(1)) > 1:
        return True
    for name, value in _LATER_QUERY.findall(parts.query):
        first = 0 if name.lower() in ("start", "offset") else 1
        if int(value) > first:
            return True
    return False


def post_number(post: HtmlElement, expressions: tuple[XPath, ...]) -> int | None:
    """The post's number in the thread, from the first expression that finds digits."""
    for expression in expressions:
        for hit in expression(post):
            text = hit.text_content() if isinstance(hit, HtmlElement) else str(hit)
            match = _DIGITS.search(text)
            if match:
                return int(match.group())
    return None


def outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """The elements that are not inside another one of them, in the given order."""
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


class ForumExtractor(CommentExtractor):
    """Base of the forum-software extractors: subclasses declare :attr:`layouts`."""

    comments_rank: ClassVar[int] = 8
    layouts: ClassVar[tuple[ForumLayout, ...]] = ()

    def matches(self, doc: Document) -> bool:
        return self._thread(doc) is not None

    def find(self, doc: Document) -> list[FoundComment]:
        thread = self._thread(doc)
        if thread is None:
            return []
        posts = thread.posts[1:] if thread.opener_shown else thread.posts
        return [_post(post, thread.layout) for post in posts]

    def prune_for(self, doc: Document) -> list[str]:
        thread = self._thread(doc)
        if thread is None:
            return list(self.prune)
        replies = thread.layout.posts.path
        expressions = [*thread.layout.furniture, *self.prune]
        if not thread.opener_shown:
            return [replies, f"({replies})/*", *expressions]
        expressions.insert(0, f"({replies})[position() > 1]")
        # An <article> is never removed from the main text (it may be the page's own):
        # a reply that is one (XenForo, Invision) is emptied instead.
        expressions.insert(1, f"(({replies})[position() > 1])/*")
        keep = _opener_anchor(thread.posts[0], thread.layout)
        if keep is not None:
            # Forum pages are mostly furniture (navigation, "similar threads", who is
            # online); the main text is the opening post, so nothing else stays.
            expressions.append(
                f"//body//*[not(ancestor-or-self::*[@id='{keep}'] or .//*[@id='{keep}'])]"
            )
        return expressions

    def _thread(self, doc: Document) -> _Thread | None:
        return doc.memo(f"forum-thread:{self.name}", lambda: self._find_thread(doc))

    def _find_thread(self, doc: Document) -> _Thread | None:
        for layout in self.layouts:
            if not may_find(doc, layout.posts):
                continue
            posts = outermost(list(layout.posts(doc.tree)))
            if not posts:
                continue
            number = post_number(posts[0], layout.number)
            opener_shown = number == 1 if number is not None else not later_page(doc.url)
            return _Thread(layout=layout, posts=posts, opener_shown=opener_shown)
        return None


def _post(post: HtmlElement, layout: ForumLayout) -> FoundComment:
    quoted = set(layout.quotes(post)) if layout.quotes is not None else set()
    skip = _skipper(quoted, layout.skip)
    text = ""
    for expression in layout.body:
        roots = outermost(list(expression(post)))
        parts = [flatten(root, skip=skip) for root in roots if root not in quoted]
        text = "\n\n".join(part for part in parts if part)
        if text:
            break
    return FoundComment(
        text=text,
        author=first_text(post, layout.author),
        published_raw=first_text(post, layout.date) if layout.date else None,
    )


def _opener_anchor(post: HtmlElement, layout: ForumLayout) -> str | None:
    """The id of the innermost element holding the opening post's text (its message
    element, else the post or an ancestor): what the main text keeps."""
    roots = next((hits for hits in (list(x(post)) for x in layout.body) if hits), [])
    start = roots[0] if roots and isinstance(roots[0], HtmlElement) else post
    for element in [start, *start.iterancestors()]:
        identifier = element.get("id")
        if identifier and "'" not in identifier and element.tag not in ("body", "html"):
            return identifier
    return None


def _skipper(quoted: set[HtmlElement], skip: frozenset[str]) -> Callable[[HtmlElement], bool]:
    def is_skipped(element: HtmlElement) -> bool:
        return element in quoted or not skip.isdisjoint(classes(element))

    return is_skipped
