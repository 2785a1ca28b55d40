"""Reader comments below MediaWiki articles (AsianWiki and wikis with a comment extension).

MediaWiki itself has no comments; wikis add them with an extension, and the markup is
the extension's. Two are recognised:

* AsianWiki's comment section: ``div.comment`` blocks, each with a ``.comment-user``
  (author in ``<b>``, date in ``<time datetime>``) and a ``.comment-text`` (paragraphs,
  quoted comments as ``<blockquote>``); a reply is a ``div.comment`` nested in its
  parent or marked ``.comment-reply`` right after it.
* The MediaWiki *Comments* extension: ``div.c-item`` blocks with ``.c-user``,
  ``.c-time`` and ``.c-comment`` (``.c-comment-body`` in some skins); the author is the
  user link, or a ``<span>`` (skins, older versions), or plain text (an anonymous
  "Anonymous #1"); replies are ``div.c-item.reply`` following the ``div.c-item.full``
  they answer. Hidden "ignored" stubs (``.c-ignored``) are skipped. This markup is
  recognised on any page; the AsianWiki-style blocks only on a MediaWiki page
  (generator tag, or the skin's ``body.mediawiki`` / ``#mw-content-text``).
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
from crawler.extract.shared.xpath_marks import may_find

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
_CX_ITEMS = XPath(
    f"//div[{class_test('c-item')}][not({class_test('c-ignored')})][.//*[{class_test('c-user')}]]"
)
_CX_TEXT = XPath(f".//*[{class_test('c-comment', 'c-comment-body', 'c-text', 'c-body')}]")
_CX_USER = f".//*[{class_test('c-user')}]"
_CX_AUTHOR = (
    # A registered user is a link; skins and older versions put the name in a span
    # (issue 14: 63 comments came back without an author), an anonymous one is text.
    XPath(f"{_CX_USER}//a[normalize-space()][not(ancestor::*[{class_test('c-time')}])][1]"),
    XPath(f"{_CX_USER}//*[{class_test('c-user-name', 'c-username', 'c-author', 'c-name')}]"),
    XPath(
        f"{_CX_USER}/*[self::span or self::b or self::strong or self::bdi or self::cite]"
        f"[not(starts-with(@class,'c-'))][normalize-space()]"
    ),
    XPath(f"{_CX_USER}/text()[normalize-space()]"),
)
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
        # The Comments extension's markup is its own; AsianWiki-style blocks are common
        # class names, so they count only on a MediaWiki page.
        if may_find(doc, _CX_ITEMS) and _CX_ITEMS(doc.tree):
            return True
        return _is_mediawiki(doc) and may_find(doc, _AW_ITEMS) and bool(_AW_ITEMS(doc.tree))

    def find(self, doc: Document) -> list[FoundComment]:
        items: list[HtmlElement] = list(_AW_ITEMS(doc.tree))
        if items:
            return _asianwiki(items)
        return _extension(list(_CX_ITEMS(doc.tree)))


_MEDIAWIKI_MARKUP = (
    XPath("//body[contains(concat(' ',normalize-space(@class),' '),' mediawiki ')]"),
    XPath("//*[@id='mw-content-text']"),
)


def _is_mediawiki(doc: Document) -> bool:
    """The generator tag, or the skin's markup (mirrors drop the tag)."""
    return "mediawiki" in doc.generator or any(
        may_find(doc, markup) and markup(doc.tree) for markup in _MEDIAWIKI_MARKUP
    )


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
