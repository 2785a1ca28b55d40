"""Discourse topics: the crawler view (what Discourse serves without JavaScript) and
the rendered application.

* Crawler view: each post is a ``div.crawler-post`` (``id="post_N"``); the author is
  ``[itemprop=author]``'s ``[itemprop=name]`` (in ``span.creator``), the date the
  ``time[itemprop=datePublished]``, the post number ``[itemprop=position]``, the text
  the ``div.post`` (``itemprop="text"`` or ``"articleBody"``).
* Rendered: ``article[id^=post_]`` with the text in ``.cooked``, the author in
  ``.names .username``, the date in ``.post-date`` (``data-time`` / ``title``).

Quotations are ``aside.quote`` blocks. The first post is the topic's opener and its
main text (see :mod:`crawler.extract.shared.forum`); the others are comments. The
Comment items in the crawler view's microdata are the same posts: this extractor ranks
above structured data.
"""

from __future__ import annotations

from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.shared.comments import class_test
from crawler.extract.shared.forum import ForumExtractor, ForumLayout

LAYOUTS: tuple[ForumLayout, ...] = (
    ForumLayout(
        name="discourse-crawler",
        posts=XPath(f"//div[{class_test('crawler-post')}]"),
        body=(
            XPath(".//*[@itemprop='text' or @itemprop='articleBody']"),
            XPath(f".//div[{class_test('post')}]"),
        ),
        author=(
            XPath(".//*[@itemprop='author']//*[@itemprop='name']"),
            XPath(f".//*[{class_test('creator')}]//a"),
            XPath(f".//*[{class_test('creator')}]"),
        ),
        date=(
            XPath(".//time[@itemprop='datePublished']/@datetime"),
            XPath(".//*[@itemprop='datePublished']/@content"),
            XPath(f".//*[{class_test('crawler-post-infos')}]//time"),
        ),
        number=(XPath(".//*[@itemprop='position']"), XPath("./@id")),
        quotes=XPath(f".//aside[{class_test('quote')}]"),
        furniture=(
            f"//*[{class_test('crawler-post-meta', 'crawler-linkback-list', 'post-likes')}]",
        ),
    ),
    ForumLayout(
        name="discourse-app",
        posts=XPath(f"//article[starts-with(@id,'post_')][.//*[{class_test('cooked')}]]"),
        body=(XPath(f".//*[{class_test('cooked')}]"),),
        author=(
            XPath(f".//*[{class_test('names')}]//*[{class_test('username')}]//a"),
            XPath(f".//*[{class_test('names')}]//*[{class_test('username')}]"),
            XPath("./@data-user-card"),
        ),
        date=(
            XPath(f".//*[{class_test('post-date')}]//*[@title]/@title"),
            XPath(f".//*[{class_test('post-date')}]"),
        ),
        number=(XPath("./@id"),),
        quotes=XPath(f".//aside[{class_test('quote')}]"),
        skip=frozenset({"cooked-selection-barrier"}),
        furniture=(f"//*[{class_test('topic-meta-data', 'post-menu-area', 'topic-avatar')}]",),
    ),
)


class DiscourseCommentsExtractor(ForumExtractor):
    name: ClassVar[str] = "discourse-comments"
    layouts: ClassVar[tuple[ForumLayout, ...]] = LAYOUTS
