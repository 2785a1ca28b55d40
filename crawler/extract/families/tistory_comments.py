"""Tistory (Korean blog platform) comment threads, as its comment application renders
them.

A comment is an ``li.tt-item-reply`` in ``ul.tt-list-reply``: the author is the
``.tt-link-user`` link (a guest's name may be plain text in ``.tt-box-meta``), the
date ``.tt_date``, the text ``.tt_desc``; replies (답글) are ``li.tt-item-reply`` in
the parent's nested list. Secret comments (비밀댓글) show only a placeholder and are
not comments.
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.threads import LayoutCommentsExtractor, ThreadLayout

LAYOUTS: tuple[ThreadLayout, ...] = (
    ThreadLayout(
        name="tistory",
        items=XPath(f"//li[{class_test('tt-item-reply')}]"),
        text=(
            XPath(f".//*[{class_test('tt_desc')}]"),
            XPath(f".//*[{class_test('tt-wrap-desc')}]"),
        ),
        author=(
            XPath(f".//*[{class_test('tt-link-user')}]"),
            XPath(f".//*[{class_test('tt-box-meta')}]//*[{class_test('tt_txt_user', 'tt-name')}]"),
        ),
        date=(XPath(f".//*[{class_test('tt_date')}]"), XPath(".//time")),
        skip=frozenset({"tt-box-reply", "tt_btn_reply", "tt-wrap-link-comment"}),
    ),
)


class TistoryCommentsExtractor(LayoutCommentsExtractor):
    name: ClassVar[str] = "tistory-comments"
    layouts: ClassVar[tuple[ThreadLayout, ...]] = LAYOUTS
    prune: ClassVar[tuple[str, ...]] = (
        f"//*[{class_test('tt-comment-cont', 'tt-area-reply')}]",
        f"//ul[{class_test('tt-list-reply')}]",
    )
