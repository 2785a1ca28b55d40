"""Invision Community (IPS 4) and IP.Board 3 topics, recognised by their post markup.

* IPS 4: each post is an ``article.ipsComment`` (``id="elComment_N"``); the text is
  ``[data-role=commentContent]``, the author the link in ``.cAuthorPane_author`` (a
  guest's name is plain text there), the date the ``time`` in ``.ipsComment_meta``.
  Quotations are ``blockquote.ipsQuote``; the signature
  (``[data-role=memberSignature]``) lies outside the text.
* IP.Board 3: ``div.post_block`` (``id="post_id_N"``) with the text in
  ``div.post.entry-content``, the author in ``.post_username``, the date in
  ``abbr.published``, the number ``#N`` in ``.post_id``; quotations are
  ``blockquote.ipsBlockquote``.

IPS 4 shows no post numbers: the first post is the opener unless the URL is a later
page (``/page/2/``); see :mod:`crawler.extract.shared.forum`.
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.forum import ForumExtractor, ForumLayout

LAYOUTS: tuple[ForumLayout, ...] = (
    ForumLayout(
        name="invision-4",
        posts=XPath(f"//article[{class_test('ipsComment')}][.//*[@data-role='commentContent']]"),
        body=(XPath(".//*[@data-role='commentContent']"),),
        author=(
            XPath(f".//*[{class_test('cAuthorPane_author')}]//a"),
            XPath(f".//*[{class_test('cAuthorPane_author')}]"),
            XPath(".//*[@itemprop='author']//*[@itemprop='name']"),
        ),
        date=(
            XPath(f".//*[{class_test('ipsComment_meta')}]//time/@datetime"),
            XPath(".//time/@datetime"),
        ),
        quotes=XPath(f".//blockquote[{class_test('ipsQuote')}]"),
        skip=frozenset({"ipsComment_controls", "ipsItemControls", "ipsReact"}),
        furniture=(
            f"//*[{class_test('cAuthorPane', 'cAuthorPane_mobile', 'ipsComment_meta')}]",
            f"//*[{class_test('ipsItemControls')}] | //*[@data-role='memberSignature']",
        ),
    ),
    ForumLayout(
        name="ipboard-3",
        posts=XPath(f"//div[{class_test('post_block')}][starts-with(@id,'post_id_')]"),
        body=(XPath(f".//div[{class_test('post')}][{class_test('entry-content')}]"),),
        author=(
            XPath(f".//*[{class_test('post_username')}]//*[{class_test('fn')}]"),
            XPath(f".//*[{class_test('post_username')}]"),
        ),
        date=(
            XPath(f".//abbr[{class_test('published')}]/@title"),
            XPath(f".//*[{class_test('posted_info')}]"),
        ),
        number=(XPath(f".//*[{class_test('post_id')}]//a"),),
        quotes=XPath(f".//blockquote[{class_test('ipsBlockquote')}]"),
        skip=frozenset({"signature", "edit"}),
        furniture=(f"//*[{class_test('author_info', 'post_controls', 'signature')}]",),
    ),
)


class InvisionCommentsExtractor(ForumExtractor):
    name: ClassVar[str] = "invision-comments"
    layouts: ClassVar[tuple[ForumLayout, ...]] = LAYOUTS
