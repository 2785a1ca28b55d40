"""Slash-engine discussion threads (Slashdot and its clones).

Each comment is an ``li.comment`` holding a ``.commentTop`` (subject, score, "by
<author> on <date>") and a ``.commentBody``; replies are nested ``li`` in the parent's
``ul``. Comments below the reading threshold are shown only as one-line links without
text and are not extracted, so a reply to one of them answers its nearest extracted
ancestor. A body cut short with "Read the rest of this comment..." is ``truncated``.
The subject line ("Re:Enlighten me...") is not part of the text.
"""

from __future__ import annotations

import re
from typing import ClassVar

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    class_test,
    classes,
    element_inline_text,
    flatten,
)
from crawler.extract.shared.xpath_marks import may_find

_ITEMS = XPath(
    f"//li[{class_test('comment')}]"
    f"[./*[{class_test('commentTop')}] or ./*/*[{class_test('commentTop')}]]"
)
_BODY = XPath(f"./*[{class_test('commentBody')}] | ./*/*[{class_test('commentBody')}]")
_DETAILS = XPath(
    f"./*[{class_test('commentTop')}]//*[{class_test('details')}]"
    f" | ./*/*[{class_test('commentTop')}]//*[{class_test('details')}]"
)
_SHRUNK = XPath(f".//*[{class_test('commentshrunk')}]")
_AUTHOR_LINK = XPath("./a[1]")
_OTHER_DETAILS = XPath(f".//*[{class_test('otherdetails')}]")

# "by vigmeister (1112659)" / "by Anonymous Coward"; "on Friday July 06, @08:55AM (#19766655)"
_BY = re.compile(r"^\s*by\s+(.+?)\s*$", re.IGNORECASE | re.DOTALL)
_USER_ID = re.compile(r"\s*\(\d+\)\s*$")
_ON_DATE = re.compile(r"\bon\s+(.+?)\s*(?:\(#\d+\)|$)", re.IGNORECASE)


class ThreadedCommentsExtractor(CommentExtractor):
    name: ClassVar[str] = "threaded-comments"
    comments_rank: ClassVar[int] = 10
    prune: ClassVar[tuple[str, ...]] = (
        "//*[@id='commentlisting']",
        f"//li[{class_test('comment')}][.//*[{class_test('commentBody')}]]",
    )

    def matches(self, doc: Document) -> bool:
        return may_find(doc, _ITEMS) and bool(_ITEMS(doc.tree))

    def find(self, doc: Document) -> list[FoundComment]:
        items: list[HtmlElement] = list(_ITEMS(doc.tree))
        index_of = {item: index for index, item in enumerate(items)}
        found: list[FoundComment] = []
        for item in items:
            parent = next((index_of[a] for a in item.iterancestors() if a in index_of), None)
            bodies = _BODY(item)
            author, date = _details(item)
            found.append(
                FoundComment(
                    text=flatten(bodies[0], skip=_is_shrunk_link) if bodies else "",
                    author=author,
                    published_raw=date,
                    parent=parent,
                    truncated=bool(bodies) and bool(_SHRUNK(bodies[0])),
                )
            )
        return found


def _is_shrunk_link(element: HtmlElement) -> bool:
    return "commentshrunk" in classes(element)


def _details(item: HtmlElement) -> tuple[str | None, str | None]:
    details = _DETAILS(item)
    if not details:
        return None, None
    box = details[0]
    author: str | None = None
    links = _AUTHOR_LINK(box)
    if links:
        author = element_inline_text(links[0])
    else:
        # An anonymous poster has no profile link: "by Anonymous Coward".
        match = _BY.match(box.text or "")
        author = match.group(1) if match else None
    if author:
        author = _USER_ID.sub("", author)
    date: str | None = None
    others = _OTHER_DETAILS(box)
    source = element_inline_text(others[0]) if others else element_inline_text(box)
    match = _ON_DATE.search(source)
    if match:
        date = match.group(1)
    return author, date
