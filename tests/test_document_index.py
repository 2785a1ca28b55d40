"""The class/id index of a parsed page answers what the XPath class tests answer
(issue 16: extractors ask the index instead of re-running string functions per element),
and a page's paragraphs are read line by line once, whoever asks."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import lxml.etree
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from crawler.extract import document as document_module
from crawler.extract.document import Document
from crawler.extract.families import prose, wordpress
from crawler.extract.page import extract_document
from crawler.extract.shared import markup
from crawler.extract.shared.comments import class_test

HTML = (
    "<html><body><div id='comments' class='comments-area'>"
    "<ol class='comment-list\tlist'><li class='comment even' id='li-comment-1'>a</li>"
    "<li class='pingback\nodd'>b</li><li class='comment\u00a0x'>c</li></ol></div>"
    "<aside class=' widget  recent '><li class='comment'>d</li></aside>"
    "<p id='comments'>twice</p></body></html>"
)


def xpath_answer(doc: Document, classes: tuple[str, ...], ids: tuple[str, ...]) -> list[object]:
    tests = [f"@id='{name}'" for name in ids] + ([class_test(*classes)] if classes else [])
    return list(doc.tree.xpath(f"//*[{' or '.join(tests)}]")) if tests else []


def test_the_index_finds_what_the_class_test_finds_in_document_order() -> None:
    doc = Document("http://127.0.0.1/film", HTML)
    for classes, ids in [
        (("comment",), ()),
        (("comment", "pingback"), ()),
        (("widget", "list"), ("comments",)),
        ((), ("comments", "nothing")),
        (("x",), ()),  # after a no-break space: not a separate class word for XPath
    ]:
        assert doc.with_class_or_id(classes, ids) == xpath_answer(doc, classes, ids)


def test_positions_find_the_same_element_in_a_copy_of_the_tree() -> None:
    doc = Document("http://127.0.0.1/film", HTML)
    copied = list(copy.deepcopy(doc.tree).iter(lxml.etree.Element))
    for element in doc.with_class_or_id(("comment", "widget")):
        twin = copied[doc.positions[element]]
        assert (twin.tag, twin.get("class"), twin.text) == (
            element.tag,
            element.get("class"),
            element.text,
        )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["div", "li", "p", "span"]),
            st.text(alphabet="ab -\t\n\u00a0", max_size=8),
        ),
        max_size=12,
    )
)
def test_the_index_agrees_with_xpath_on_arbitrary_class_attributes(
    elements: list[tuple[str, str]],
) -> None:
    body = "".join(f'<{tag} class="{value}">x</{tag}>' for tag, value in elements)
    doc = Document("http://127.0.0.1/film", f"<html><body>{body}</body></html>")
    for word in ("a", "b", "ab", "a-b", "-"):
        assert doc.with_class_or_id((word,)) == xpath_answer(doc, (word,), ())


REVIEW = (
    "<html><head><meta name='generator' content='WordPress 6.4'></head><body>"
    "<article class='post'><h1 class='entry-title'>A Quiet Harbour Review</h1>"
    "<div class='entry-content'>"
    + "".join(
        f"<p>Paragraph {number} of the review, with <em>a word</em> and "
        f"<a href='/tag/{number}'>a link</a>.</p>"
        for number in range(12)
    )
    + "<ul><li>Cast: Ana Lima</li><li>Director: Rui Vaz</li></ul></div></article>"
    "</body></html>"
)


def test_a_paragraph_is_read_line_by_line_once_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16: the WordPress extractor and the prose reader both read a post's
    paragraphs line by line; ``Document.lines`` reads each once and shares the lines."""
    reads: Counter[str] = Counter()

    def counted(element: HtmlElement, *args: Any) -> list[markup.Line]:
        if element.tag == "p":
            reads[element.text or ""] += 1
        return markup.element_lines(element, *args)

    for module in (document_module, prose, wordpress):
        monkeypatch.setattr(module, "element_lines", counted, raising=False)
    extraction = extract_document("http://127.0.0.1/2024/05/a-quiet-harbour/", REVIEW)
    assert extraction.clean_text and "Paragraph 11" in extraction.clean_text
    assert len(reads) == 12
    assert set(reads.values()) == {1}, reads
