"""An XPath's required marks (classes, ids, id prefixes) let the class/id index say
"nothing here" without running it; they must never say it of an XPath that finds
something (issue 16: comment families' ``matches`` asked on every page)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from lxml.etree import XPath

from crawler.extract.document import Document
from crawler.extract.families import (
    imdb,
    mediawiki,
    mediawiki_comments,
    pixnet_comments,
    review_comments,
    threaded_comments,
)
from crawler.extract.registry import all_extractors
from crawler.extract.shared.comments import class_test
from crawler.extract.shared.xpath_marks import Marks, may_find, required_marks

SHARED = Path(os.environ.get("FILMCRAWL_SHARED") or Path(__file__).parents[1].parent / "shared")
TESTS = Path(__file__).parent


def test_marks_are_read_from_every_step_and_every_path_predicate() -> None:
    path = (
        f"//li[{class_test('comment', 'pingback')}][starts-with(@id,'post-')]"
        f"[.//*[{class_test('body')}]]/div[@id='x'][ancestor::*[{class_test('thread')}]]"
    )
    assert required_marks(path) == Marks(
        classes=(
            frozenset({"comment", "pingback"}),
            frozenset({"body"}),
            frozenset({"thread"}),
        ),
        ids=("x",),
        id_prefixes=("post-",),
    )


@pytest.mark.parametrize(
    "path",
    [
        f"//div[{class_test('a')}] | //p",  # a union: either side may find it
        f"(//div[{class_test('a')}])[1]",  # a group
        f"//div[not({class_test('a')})]",
        f"//div[{class_test('a')} or @data-a]",
        f"//div[.//*[{class_test('a')}] or .//p]",
        f"//div[count(.//*[{class_test('a')}]) > 1]",
        f"//div[../*[{class_test('a')}]]",
        "//shreddit-comment",
        f"div[{class_test('a')}]",  # relative: evaluated from an element, not the page
        "//section[contains(concat(' ',normalize-space(@class)),'_review__')]",  # a substring
    ],
)
def test_what_is_not_a_plain_requirement_requires_nothing(path: str) -> None:
    assert required_marks(path) == Marks()


def test_marks_answer_on_the_index() -> None:
    doc = Document(
        "http://127.0.0.1/t",
        "<html><body><ul><li class='comment  odd' id='post-7'><p class='body'>x</p></li>"
        "</ul></body></html>",
    )
    found = XPath(f"//li[{class_test('comment')}][starts-with(@id,'post-')]")
    absent_class = XPath(f"//li[{class_test('review')}]")
    absent_prefix = XPath("//li[starts-with(@id,'comment-')]")
    assert may_find(doc, found) and found(doc.tree)
    assert not may_find(doc, absent_class) and not absent_class(doc.tree)
    assert not may_find(doc, absent_prefix) and not absent_prefix(doc.tree)


def _guarded_xpaths() -> list[XPath]:
    expressions: list[XPath] = [
        imdb._TITLE_BLOCK,
        mediawiki._CONTENT,
        mediawiki._INFOBOXES,
        *mediawiki_comments._MEDIAWIKI_MARKUP,
        mediawiki_comments._CX_ITEMS,
        mediawiki_comments._AW_ITEMS,
        pixnet_comments._ITEMS,
        threaded_comments._ITEMS,
        *(layout.items for layout in review_comments.LAYOUTS),
    ]
    for extractor in all_extractors():
        for layout in getattr(extractor, "layouts", ()):
            expressions.append(getattr(layout, "posts", None) or layout.items)
    return expressions


def _pages() -> list[tuple[str, str]]:
    pages = [(str(path), path.read_text("utf-8", "replace")) for path in TESTS.rglob("*.html")]
    for path in sorted((SHARED / "corpus").glob("*/*.html.gz")):
        pages.append((str(path), gzip.decompress(path.read_bytes()).decode("utf-8", "replace")))
    return pages


def test_no_guarded_xpath_finds_anything_where_its_marks_say_nothing() -> None:
    expressions = _guarded_xpaths()
    checked = 0
    for name, html in _pages():
        doc = Document("http://127.0.0.1/page", html)
        for expression in expressions:
            if expression(doc.tree):
                checked += 1
                assert may_find(doc, expression), (name, expression.path)
    assert checked  # the fixtures hold markup of several families
