"""Naver's comment box (``u_cbox``), used on Naver blogs, news and movie pages.

A comment is an ``li.u_cbox_comment``: the author ``.u_cbox_nick``, the date
``.u_cbox_date``, the text ``.u_cbox_contents``; replies (답글) are ``li.u_cbox_comment``
inside the parent's ``.u_cbox_reply_area``. Deleted and secret comments
(``.u_cbox_delete_contents``: "삭제된 댓글입니다") have no text of their own.
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.threads import LayoutCommentsExtractor, ThreadLayout

LAYOUTS: tuple[ThreadLayout, ...] = (
    ThreadLayout(
        name="naver-cbox",
        items=XPath(f"//li[{class_test('u_cbox_comment')}]"),
        text=(XPath(f".//*[{class_test('u_cbox_contents')}]"),),
        author=(
            XPath(f".//*[{class_test('u_cbox_nick')}]"),
            XPath(f".//*[{class_test('u_cbox_name')}]"),
        ),
        date=(
            XPath(f".//*[{class_test('u_cbox_date')}]/@data-value"),
            XPath(f".//*[{class_test('u_cbox_date')}]"),
        ),
        skip=frozenset({"u_cbox_tool", "u_cbox_recomm_set", "u_cbox_btn_reply"}),
    ),
)


class NaverCommentsExtractor(LayoutCommentsExtractor):
    name: ClassVar[str] = "naver-comments"
    layouts: ClassVar[tuple[ThreadLayout, ...]] = LAYOUTS
    prune: ClassVar[tuple[str, ...]] = (f"//*[{class_test('u_cbox', 'u_cbox_wrap')}]",)
