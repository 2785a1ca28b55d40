"""vBulletin forum threads (versions 3, 4 and 5), recognised by their post markup.

* vBulletin 3: each post is a ``table[id^=post]`` holding ``div[id^=post_message_]``;
  the author is ``a.bigusername`` (a guest's name is plain text in
  ``div[id^=postmenu_]``), the date is the first cell of the post's header row, the
  post number the ``a[id^=postcount]`` link (``#2``). A quotation is a ``div`` whose
  first child is the ``div.smallfont`` label ("Quote:", "Zitat:" ...) followed by a
  table; the unmarked signature after the message ("__________________") stays part
  of the post.
* vBulletin 4: ``li.postcontainer`` / ``li.postbit`` (``id="post_N"``), the message in
  ``div[id^=post_message_]``, author ``.username``, date ``span.postdate``, number
  ``a.postcounter``; quotations are ``div.bbcode_quote``, the signature is marked
  (``blockquote.signature``) and left out.
* vBulletin 5: ``li.b-post[data-node-id]``, text ``.js-post__content-text``, author in
  ``.b-userinfo`` / ``[itemprop=author]``, date ``time`` in ``.b-post__timestamp``,
  number ``a.b-post__count``.

The first post of the thread's first page is the opener (main text, see
:mod:`crawler.extract.shared.forum`).
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.forum import ForumExtractor, ForumLayout

_VB3_MESSAGE = ".//div[starts-with(@id,'post_message_')]"

LAYOUTS: tuple[ForumLayout, ...] = (
    ForumLayout(
        name="vbulletin-3",
        posts=XPath("//table[starts-with(@id,'post')][.//div[starts-with(@id,'post_message_')]]"),
        body=(
            XPath(
                f"{_VB3_MESSAGE}"
                f" | {_VB3_MESSAGE}/following-sibling::div[starts-with(normalize-space(),'____')]"
            ),
        ),
        author=(
            XPath(f".//a[{class_test('bigusername')}]"),
            XPath(".//div[starts-with(@id,'postmenu_')]"),
        ),
        date=(XPath("(.//tr)[1]/td[1]"),),
        number=(XPath(".//a[starts-with(@id,'postcount')]/@name"),),
        quotes=XPath(f".//div[table][*[1][self::div][{class_test('smallfont')}]]"),
        furniture=(
            # The poster's panel next to the opening post (rank, join date, post count).
            "//td[.//div[starts-with(@id,'postmenu_')]][not(.//div[starts-with(@id,'post_message_')])]",
        ),
    ),
    ForumLayout(
        name="vbulletin-4",
        posts=XPath(
            "//li[starts-with(@id,'post_')]"
            f"[{class_test('postcontainer', 'postbit', 'postbitlegacy')}]"
        ),
        body=(XPath(".//div[starts-with(@id,'post_message_')]"),),
        author=(
            XPath(f".//*[{class_test('username')}]//strong"),
            XPath(f".//*[{class_test('username')}]"),
        ),
        date=(XPath(f".//*[{class_test('postdate')}]"),),
        number=(XPath(f".//a[{class_test('postcounter')}]"),),
        quotes=XPath(f".//div[{class_test('bbcode_quote')}]"),
        skip=frozenset({"signature", "signaturecontainer", "lastedited"}),
        furniture=(
            f"//*[{class_test('userinfo', 'postfoot', 'postfooter', 'signature', 'lastedited')}]",
        ),
    ),
    ForumLayout(
        name="vbulletin-5",
        posts=XPath(f"//li[{class_test('b-post')}][@data-node-id]"),
        body=(XPath(f".//*[{class_test('js-post__content-text')}]"),),
        author=(
            XPath(f".//*[{class_test('b-userinfo')}]//*[{class_test('author')}]//a"),
            XPath(".//*[@itemprop='author']"),
        ),
        date=(
            XPath(f".//*[{class_test('b-post__timestamp')}]//time/@datetime"),
            XPath(f".//*[{class_test('b-post__timestamp')}]"),
        ),
        number=(XPath(f".//*[{class_test('b-post__count')}]"),),
        quotes=XPath(f".//div[{class_test('bbcode_quote')}]"),
        skip=frozenset({"b-post__signature", "b-post__edit"}),
        furniture=(f"//*[{class_test('b-userinfo', 'b-post__footer')}]",),
    ),
)


class VBulletinCommentsExtractor(ForumExtractor):
    name: ClassVar[str] = "vbulletin-comments"
    layouts: ClassVar[tuple[ForumLayout, ...]] = LAYOUTS
