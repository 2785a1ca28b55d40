"""LiveJournal comment threads.

The current site scheme renders a thread as flat ``div.b-tree-twig`` rows whose class
``b-tree-twig-N`` gives the depth; each holds a ``div.b-leaf`` with the commenter
(``.b-leaf-username``), the time (``.b-leaf-createdtime`` / ``time``) and the text
(``.b-leaf-article``). Older styles wrap each comment in ``div[id^=ljcmt]`` indented by
a ``margin-left`` style, with the commenter's ``span.ljuser``. A reply answers the
nearest earlier comment indented less. Collapsed comments (only a subject line) have
no text and are not comments.
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.threads import (
    LayoutCommentsExtractor,
    ThreadLayout,
    class_depth,
    style_depth,
)

LAYOUTS: tuple[ThreadLayout, ...] = (
    ThreadLayout(
        name="livejournal-tree",
        items=XPath(f"//div[{class_test('b-tree-twig')}][.//*[{class_test('b-leaf')}]]"),
        text=(XPath(f".//*[{class_test('b-leaf-article')}]"),),
        author=(
            XPath(f".//*[{class_test('b-leaf-username-name')}]"),
            XPath(f".//*[{class_test('b-leaf-username')}]//*[{class_test('i-ljuser-username')}]"),
            XPath(f".//*[{class_test('b-leaf-username')}]"),
        ),
        date=(
            XPath(f".//*[{class_test('b-leaf-createdtime')}]"),
            XPath(".//time"),
        ),
        depth=class_depth("b-tree-twig-"),
        skip=frozenset({"b-leaf-actions", "b-leaf-footer", "b-leaf-seemore"}),
    ),
    ThreadLayout(
        name="livejournal-classic",
        items=XPath("//div[starts-with(@id,'ljcmt')]"),
        text=(XPath(f".//*[{class_test('comment-body', 'comment-text', 'talk-comment-box')}]"),),
        author=(
            XPath(f".//*[{class_test('ljuser')}]//b"),
            XPath(f".//*[{class_test('ljuser')}]"),
            XPath(f".//*[{class_test('comment-poster')}]"),
        ),
        date=(XPath(f".//*[{class_test('comment-datetime', 'datetime')}]"), XPath(".//time")),
        depth=style_depth,
        skip=frozenset({"comment-links", "comment-menu"}),
    ),
)


class LiveJournalCommentsExtractor(LayoutCommentsExtractor):
    name: ClassVar[str] = "livejournal-comments"
    layouts: ClassVar[tuple[ThreadLayout, ...]] = LAYOUTS
    prune: ClassVar[tuple[str, ...]] = (
        f"//*[{class_test('b-tree', 'b-grove', 'comments-body')}]",
        "//div[starts-with(@id,'ljcmt')]",
    )
