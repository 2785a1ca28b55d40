"""Threaded discussion sites whose threads are not blog comments: nesting by
indentation or by nested lists.

* Hacker News (and news.arc clones): flat ``tr.athing.comtr`` rows in
  ``table.comment-tree``; the depth is the indent cell (``td.ind[indent]``, or the
  width of its spacer image), the author ``a.hnuser``, the date ``span.age`` (its
  ``title``), the text ``.commtext``.
* Lobsters: ``div.comment[data-shortid]`` in ``li.comments_subtree``; replies are in
  the ``ol.comments`` that follows the comment in the same list item. Author and date
  are in ``.byline`` (the ``/~user`` link, the ``span[title]``), the text
  ``.comment_text``.
* old Reddit: ``div.thing.comment`` with ``data-author``; replies are nested in its
  ``div.child``; the date is the tagline's ``time``, the text the ``.md`` of
  ``.usertext-body``. "[deleted]" bodies are not comments.
* Reddit since 2023: ``shreddit-comment`` elements with ``author`` (and ``depth``)
  attributes, the text in their ``div[slot=comment]``, replies nested inside.

A reply answers the comment it is nested under or, on Hacker News, the nearest
earlier comment indented less.
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.threads import LayoutCommentsExtractor, ThreadLayout, xpath_depth

LAYOUTS: tuple[ThreadLayout, ...] = (
    ThreadLayout(
        name="hacker-news",
        items=XPath(f"//tr[{class_test('athing')}][.//*[{class_test('commtext')}]]"),
        text=(XPath(f".//*[{class_test('commtext')}]"),),
        author=(XPath(f".//a[{class_test('hnuser')}]"),),
        date=(XPath(f".//*[{class_test('age')}]/@title"), XPath(f".//*[{class_test('age')}]")),
        depth=xpath_depth(
            XPath(
                f".//td[{class_test('ind')}][1]/@indent | .//td[{class_test('ind')}][1]/img/@width"
            )
        ),
        skip=frozenset({"reply", "navs", "togg"}),
    ),
    ThreadLayout(
        name="lobsters",
        items=XPath(f"//div[{class_test('comment')}][@data-shortid]"),
        text=(XPath(f".//*[{class_test('comment_text')}]"),),
        author=(
            XPath(
                f".//*[{class_test('byline')}]//a[starts-with(@href,'/~') or "
                "starts-with(@href,'/u/')][normalize-space()]"
            ),
        ),
        date=(XPath(f".//*[{class_test('byline')}]//*[self::span or self::time][@title]/@title"),),
        replies=XPath(f"self::ol[{class_test('comments')}]"),
    ),
    ThreadLayout(
        name="reddit-old",
        items=XPath(f"//div[{class_test('thing')}][{class_test('comment')}]"),
        text=(XPath(f".//*[{class_test('usertext-body')}]//*[{class_test('md')}]"),),
        author=(
            XPath("./@data-author"),
            XPath(f".//*[{class_test('tagline')}]//a[{class_test('author')}]"),
        ),
        date=(XPath(f".//*[{class_test('tagline')}]//time/@datetime"),),
    ),
    ThreadLayout(
        name="reddit-shreddit",
        items=XPath("//shreddit-comment"),
        text=(XPath("./div[@slot='comment']"), XPath(".//*[@slot='comment']")),
        author=(XPath("./@author"),),
        date=(XPath(".//time/@datetime"), XPath(".//faceplate-timeago/@ts")),
    ),
)


class DiscussionCommentsExtractor(LayoutCommentsExtractor):
    name: ClassVar[str] = "discussion-comments"
    layouts: ClassVar[tuple[ThreadLayout, ...]] = LAYOUTS
    prune: ClassVar[tuple[str, ...]] = (
        f"//table[{class_test('comment-tree')}]",
        f"//tr[{class_test('athing')}][.//*[{class_test('commtext')}]]",
        f"//ol[{class_test('comments')}][.//div[@data-shortid]]",
        f"//*[{class_test('commentarea')}]",
        f"//div[{class_test('thing')}][{class_test('comment')}]",
        "//shreddit-comment-tree",
        "//shreddit-comment",
    )
