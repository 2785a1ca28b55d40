"""XenForo forum threads (versions 1 and 2), recognised by their post markup.

* XenForo 2: each post is an ``article.message--post`` with ``data-author``; the text
  is the ``.bbWrapper`` of ``.message-body``, the date the ``time`` in
  ``.message-attribution-main``, the post number the ``#N`` link in
  ``.message-attribution-opposite``. Quotations are ``blockquote.bbCodeBlock--quote``;
  the signature is marked (``aside.message-signature``, outside the body) and so is
  the "Last edited" line.
* XenForo 1: ``li.message[data-author]`` (``id="post-N"``), text
  ``blockquote.messageText``, date ``.DateTime`` in ``.messageMeta`` (``abbr`` with
  ``data-time`` or a ``span`` with a title), number ``a.postNumber``; quotations are
  ``div.bbCodeQuote``, the signature ``.signature``.

The first post of the thread's first page is the opener (main text, see
:mod:`crawler.extract.shared.forum`).
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.forum import ForumExtractor, ForumLayout

LAYOUTS: tuple[ForumLayout, ...] = (
    ForumLayout(
        name="xenforo-2",
        posts=XPath(f"//article[{class_test('message--post')}]"),
        body=(
            XPath(f".//*[{class_test('message-body')}]//*[{class_test('bbWrapper')}]"),
            XPath(f".//*[{class_test('message-body')}]"),
        ),
        author=(
            XPath("./@data-author"),
            XPath(f".//*[{class_test('message-name')}]//*[{class_test('username')}]"),
            XPath(f".//*[{class_test('message-name')}]"),
        ),
        date=(
            XPath(f".//*[{class_test('message-attribution-main')}]//time/@datetime"),
            XPath(f".//*[{class_test('message-attribution-main')}]//time"),
        ),
        number=(
            XPath(
                f".//*[{class_test('message-attribution-opposite')}]"
                "//a[starts-with(normalize-space(),'#')]"
            ),
        ),
        quotes=XPath(f".//blockquote[{class_test('bbCodeBlock--quote')}]"),
        skip=frozenset({"message-lastEdit", "message-signature", "js-selectToQuoteEnd"}),
        furniture=(
            f"//*[{class_test('message-cell--user', 'message-attribution', 'message-footer')}]",
        ),
    ),
    ForumLayout(
        name="xenforo-1",
        posts=XPath(f"//li[{class_test('message')}][@data-author][starts-with(@id,'post-')]"),
        body=(XPath(f".//blockquote[{class_test('messageText')}]"),),
        author=(
            XPath("./@data-author"),
            XPath(f".//*[{class_test('messageUserInfo')}]//*[{class_test('username')}]"),
        ),
        date=(
            XPath(f".//*[{class_test('messageMeta')}]//*[{class_test('DateTime')}]/@title"),
            XPath(f".//*[{class_test('messageMeta')}]//*[{class_test('DateTime')}]"),
        ),
        number=(XPath(f".//a[{class_test('postNumber')}]"),),
        quotes=XPath(f".//div[{class_test('bbCodeQuote')}]"),
        skip=frozenset({"signature", "editDate", "messageTextEndMarker"}),
        furniture=(f"//*[{class_test('messageUserInfo', 'messageMeta')}]",),
    ),
)


class XenForoCommentsExtractor(ForumExtractor):
    name: ClassVar[str] = "xenforo-comments"
    layouts: ClassVar[tuple[ForumLayout, ...]] = LAYOUTS
