"""Blogger (Blogspot) comment threads, in the threaded and the classic markup.

* Threaded (the default since 2012): ``li.comment`` items in ``div.comment-thread``
  lists; the author is ``cite.user`` (a profile link, or plain text for "Anonymous"),
  the date the ``.datetime`` permalink, the text ``p.comment-content``; replies are
  ``li.comment`` in the parent's ``.comment-replies`` thread. The blog's own author is
  marked ``.blog-author`` and is an ordinary commenter here.
* Classic: ``dl#comments-block`` with ``dt.comment-author`` ("<a>Name</a> said...")
  followed by ``dd.comment-body`` and ``dd.comment-footer`` (the timestamp).

Blogger's threaded items are also WordPress-like ``li.comment`` items: this extractor
ranks above the WordPress one, which would miss the dates.
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.threads import LayoutCommentsExtractor, ThreadLayout

LAYOUTS: tuple[ThreadLayout, ...] = (
    ThreadLayout(
        name="blogger-threaded",
        items=XPath(
            f"//li[{class_test('comment')}][ancestor::*[{class_test('comment-thread')}]]"
            f"[.//*[{class_test('comment-content')}]]"
        ),
        text=(XPath(f".//*[{class_test('comment-content')}]"),),
        author=(
            XPath(f".//cite[{class_test('user')}]//a"),
            XPath(f".//cite[{class_test('user')}]"),
            XPath(f".//*[{class_test('comment-header')}]//*[{class_test('user')}]"),
        ),
        date=(
            XPath(f".//*[{class_test('datetime')}]//a"),
            XPath(f".//*[{class_test('datetime')}]"),
        ),
        skip=frozenset({"comment-actions", "thread-toggle", "continue", "comment-replybox-single"}),
    ),
    ThreadLayout(
        name="blogger-classic",
        items=XPath(f"//dl[@id='comments-block']/dt[{class_test('comment-author')}]"),
        text=(
            XPath(f"./following-sibling::dd[{class_test('comment-body')}][1]"),
            XPath("./following-sibling::dd[1]"),
        ),
        author=(XPath("./a[@href][normalize-space()]"), XPath(".")),
        date=(
            XPath(
                f"./following-sibling::dd[{class_test('comment-footer')}][1]"
                f"//*[{class_test('comment-timestamp')}]"
            ),
        ),
    ),
)


class BloggerCommentsExtractor(LayoutCommentsExtractor):
    name: ClassVar[str] = "blogger-comments"
    comments_rank: ClassVar[int] = 5
    layouts: ClassVar[tuple[ThreadLayout, ...]] = LAYOUTS
    prune: ClassVar[tuple[str, ...]] = (
        f"//*[{class_test('comment-thread')}][not(ancestor::*[{class_test('comment-thread')}])]",
        "//dl[@id='comments-block']",
    )
