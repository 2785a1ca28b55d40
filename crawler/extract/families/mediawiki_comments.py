"""Reader comments below MediaWiki articles (AsianWiki and wikis with a comment extension).

MediaWiki itself has no comments; wikis add them with an extension, and the markup is
the extension's. Two are recognised, on pages whose generator tag says MediaWiki:

* AsianWiki's comment section: ``div.comment`` blocks, each with a ``.comment-user``
  (author in ``<b>``, date in ``<time datetime>``) and a ``.comment-text`` (paragraphs,
  quoted comments as ``<blockquote>``); a reply is a ``div.comment`` nested in its
  parent or marked ``.comment-reply`` right after it.
* The MediaWiki *Comments* extension: ``div.c-item`` blocks with ``.c-user``,
  ``.c-time`` and ``.c-comment``; replies are ``div.c-item.reply`` following the
  ``div.c-item.full`` they answer. Hidden "ignored" stubs (``.c-ignored``) are skipped.
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.shared.comments import (
    CommentExtractor,
    FoundComment,
    class_test,
    classes,
    first_text,
    flatten,
)

# --- AsianWiki-style comment blocks --------------------------------------------------
_AW_ITEMS = XPath(
    f"//div[{class_test('comment')}]"
    f"[*[{class_test('comment-user')}] and *[{class_test('comment-text')}]]"
)
_AW_TEXT = XPath(f"./*[{class_test('comment-text')}]")
_AW_AUTHOR = (
    XPath(f"./*[{class_test('comment-user')}]/*[self::b or self::strong or self::a][1]"),
    XPath(f"./*[{class_test('comment-user')}]//*[{class_test('comment-author', 'fn')}]"),
)
_AW_DATE = (
    XPath(f"./*[{class_test('comment-user')}]//time/@datetime"),
    XPath(f"./*[{class_test('comment-user')}]//*[{class_test('comment-date')}]"),
)

# --- Extension:Comments --------------------------------------------------------------
_CX_ITEMS = XPath(f"//div[{class_test('c-item')}][not({class_test('c-ignored')})]")
_CX_TEXT = XPath(f".//*[{class_test('c-comment')}]")
_CX_AUTHOR = (XPath(f".//*[{class_test('c-user')}]/a[1]"),)
_CX_DATE = (XPath(f".//*[{class_test('c-time')}]"),)


class MediaWikiCommentsExtractor(CommentExtractor):
    name: ClassVar[str] = "mediawiki-comments"
    comments_rank: ClassVar[int] = 10
    prune: ClassVar[tuple[str, ...]] = (
        "//*[@id='aw-comments' or @id='aw-comment-form' or @id='comments']",
        f"//div[{class_test('comment')}][*[{class_test('comment-text')}]]",
        f"//div[{class_test('c-item', 'c-form-title', 'comments-body')}]",
    )

    def matches(self, doc: Document) -> bool:
        return "mediawiki" in doc.generator and bool(_AW_ITEMS(doc.tree) or _CX_ITEMS(doc.tree))

    def find(self, doc: Document) -> list[FoundComment]:
        items: list[HtmlElement] = list(_AW_ITEMS(doc.tree))
        if items:
            return _asianwiki(items)
        return _extension(list(_CX_ITEMS(doc.tree)))


def _asianwiki(items: list[HtmlElement]) -> list[FoundComment]:
    index_of = {item: index for index, item in enumerate(items)}
    found: list[FoundComment] = []
    last_top_level: int | None = None
    for index, item in enumerate(items):
        parent = next((index_of[a] for a in item.iterancestors() if a in index_of), None)
        if parent is None and "comment-reply" in classes(item):
            parent = last_top_level
        if parent is None:
            last_top_level = index
        texts = _AW_TEXT(item)
        found.append(
            FoundComment(
                text=flatten(texts[0], skip=index_of.__contains__) if texts else "",
                author=first_text(item, _AW_AUTHOR),
                published_raw=first_text(item, _AW_DATE),
                parent=parent,
            )
        )
    return found


def _extension(items: list[HtmlElement]) -> list[FoundComment]:
    found: list[FoundComment] = []
    last_full: int | None = None
    for index, item in enumerate(items):
        is_reply = "reply" in classes(item)
        texts = _CX_TEXT(item)
        found.append(
            FoundComment(
                text=flatten(texts[0]) if texts else "",
                author=first_text(item, _CX_AUTHOR),
                published_raw=first_text(item, _CX_DATE),
                parent=last_full if is_reply else None,
            )
        )
        if not is_reply:
            last_full = index
    return found
