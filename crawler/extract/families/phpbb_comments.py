"""phpBB forum threads (phpBB 3: the prosilver and subsilver2 styles).

* prosilver: each post is a ``div.post`` (``id="p123"``) with a ``.postbody``; the text
  is its ``div.content``, the author the ``.username`` / ``.username-coloured`` link in
  ``p.author`` (or in the ``dl.postprofile``), the date the ``time`` in ``p.author``
  (phpBB 3.2+) or the text after the name ("» Sun Jan 07, 2018 9:20 pm", 3.0/3.1).
  Quotations are ``blockquote`` elements in the content; the signature
  (``div.signature``) is outside it.
* subsilver2: a post is the innermost table holding a ``b.postauthor`` and a
  ``div.postbody``; quotations are ``div.quotetitle`` + ``div.quotecontent``.

phpBB shows no post numbers: the first post is the opener unless the URL is a later
page of the topic (``start=20``); see :mod:`crawler.extract.shared.forum`.
"""

from __future__ import annotations

import re
from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.document import Document
from crawler.extract.shared.comments import FoundComment, class_test
from crawler.extract.shared.forum import ForumExtractor, ForumLayout

_PROSILVER_AUTHOR = f"*[{class_test('author')}]"
_USERNAME = class_test("username", "username-coloured")

LAYOUTS: tuple[ForumLayout, ...] = (
    ForumLayout(
        name="phpbb-prosilver",
        posts=XPath(
            f"//div[{class_test('post')}][starts-with(@id,'p')][.//*[{class_test('postbody')}]]"
        ),
        body=(XPath(f".//*[{class_test('postbody')}]//div[{class_test('content')}]"),),
        author=(
            XPath(f".//{_PROSILVER_AUTHOR}//a[{_USERNAME}]"),
            XPath(f".//{_PROSILVER_AUTHOR}//*[{_USERNAME}]"),
            XPath(f".//dl[{class_test('postprofile')}]//*[{_USERNAME}]"),
            XPath(f".//{_PROSILVER_AUTHOR}//strong"),
        ),
        date=(
            XPath(f".//{_PROSILVER_AUTHOR}//time/@datetime"),
            XPath(f".//{_PROSILVER_AUTHOR}/text()[contains(.,'»')]"),
            XPath(f".//{_PROSILVER_AUTHOR}/text()[normalize-space()][last()]"),
        ),
        quotes=XPath(f".//div[{class_test('content')}]//blockquote"),
        skip=frozenset({"notice", "signature"}),
        furniture=(
            f"//*[{class_test('postprofile', 'post-buttons', 'back2top')}]",
            f"//div[{class_test('postbody')}]//*[{class_test('author', 'signature', 'notice')}]",
        ),
    ),
    ForumLayout(
        name="phpbb-subsilver2",
        posts=XPath(
            f"//table[.//b[{class_test('postauthor')}]][.//div[{class_test('postbody')}]]"
            f"[not(.//table[.//b[{class_test('postauthor')}]][.//div[{class_test('postbody')}]])]"
        ),
        body=(XPath(f".//div[{class_test('postbody')}]"),),
        author=(XPath(f".//b[{class_test('postauthor')}]"),),
        date=(XPath(".//td[.//b[normalize-space()]]//div[contains(normalize-space(),':')][1]"),),
        quotes=XPath(f".//div[{class_test('quotetitle', 'quotecontent')}]"),
        skip=frozenset({"signature"}),
    ),
)

# "» Sun Jan 07, 2018 9:20 pm" / "Posted: Sun Jan 07, 2018 9:20 pm Post subject: Re: ..."
_DATE_PREFIX = re.compile(r"^\s*(?:»|posted:|verfasst:|publié:|messaggio:|\W)*\s*", re.I)
_SUBJECT = re.compile(r"\s+(?:post subject|betreff|sujet du message|oggetto)\s*:.*$", re.I)


class PhpBBCommentsExtractor(ForumExtractor):
    name: ClassVar[str] = "phpbb-comments"
    layouts: ClassVar[tuple[ForumLayout, ...]] = LAYOUTS

    def find(self, doc: Document) -> list[FoundComment]:
        found = super().find(doc)
        for comment in found:
            if comment.published_raw:
                date = _SUBJECT.sub("", _DATE_PREFIX.sub("", comment.published_raw))
                comment.published_raw = date or None
        return found
