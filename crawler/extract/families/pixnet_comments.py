"""PIXNET (痞客邦, Taiwan) blog comments.

Each comment is a ``ul.single-post``: ``li.post-info`` holds the commenter
(``.user-name``) and the time (``.post-time``, "於 2012/05/01 12:34"), ``li.post-text``
the text. The blog owner's answer (版主回覆) sits in the same list as
``li.reply-text`` ("版主回覆：(05/01/2012 01:00:00 PM)" then the text): it is a reply to
that comment, by the blog's author (``<meta name="author">`` when the page names one).
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
    first_text,
    flatten,
    inline_text,
)
from crawler.extract.shared.xpath_marks import may_find

_ITEMS = XPath(f"//ul[{class_test('single-post')}][.//*[{class_test('post-text')}]]")
_TEXT = XPath(f".//*[{class_test('post-text')}]")
_AUTHOR = (XPath(f".//*[{class_test('user-name')}]"),)
_DATE = (XPath(f".//*[{class_test('post-time')}]"),)
_REPLY = XPath(f".//*[{class_test('reply-text')}]")
_BLOG_AUTHOR = XPath("//meta[@name='author']/@content")
# "於 2012/05/01 12:34 回覆" / "版主回覆：(05/01/2012 01:00:00 PM)"
_DATE_IN = re.compile(
    r"(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?)"
)
_OWNER_LABEL = re.compile(r"^\s*版主回覆\s*[:：]?\s*(?:\([^)]*\))?\s*")


class PixnetCommentsExtractor(CommentExtractor):
    name: ClassVar[str] = "pixnet-comments"
    prune: ClassVar[tuple[str, ...]] = (
        "//*[@id='comment-text' or @id='comments']",
        f"//ul[{class_test('single-post')}]",
    )

    def matches(self, doc: Document) -> bool:
        return may_find(doc, _ITEMS) and bool(_ITEMS(doc.tree))

    def find(self, doc: Document) -> list[FoundComment]:
        owner = next((inline_text(str(v)) for v in _BLOG_AUTHOR(doc.tree) if str(v).strip()), None)
        found: list[FoundComment] = []
        for item in _ITEMS(doc.tree):
            texts = _TEXT(item)
            found.append(
                FoundComment(
                    text=flatten(texts[0]) if texts else "",
                    author=first_text(item, _AUTHOR),
                    published_raw=_date(first_text(item, _DATE)),
                )
            )
            parent = len(found) - 1
            for reply in _REPLY(item):
                found.append(_owner_reply(reply, owner, parent))
        return found


def _date(value: str | None) -> str | None:
    match = _DATE_IN.search(value or "")
    return match.group(1) if match else value


def _owner_reply(reply: HtmlElement, owner: str | None, parent: int) -> FoundComment:
    text = flatten(reply)
    label = _OWNER_LABEL.match(text)
    return FoundComment(
        text=text[label.end() :] if label else text,
        author=owner,
        published_raw=_date(label.group(0)) if label else None,
        parent=parent,
    )
