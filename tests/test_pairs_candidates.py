"""Label candidates of fact boxes are found without an XPath that normalised every
element's whole text twice (issue 16): the same elements, in the same order."""

from __future__ import annotations

import lxml.etree
import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extract.document import parse_html
from crawler.extract.shared.pairs import MAX_LABEL_CHARS, _candidates

REFERENCE = lxml.etree.XPath(
    ".//*[self::b or self::strong or self::span or self::em or self::i or self::label"
    " or self::dt or self::th or self::td or self::h2 or self::h3 or self::h4 or self::h5"
    " or self::h6 or self::div or self::small or self::p]"
    f"[string-length(normalize-space(.)) <= {MAX_LABEL_CHARS + 2}]"
    "[string-length(normalize-space(.)) > 0]"
)
PIECES = st.sampled_from(
    ["Director:", " ", "\n\t ", "\u00a0", "x" * (MAX_LABEL_CHARS - 1), "Ryoo", "<b>Cast</b>",
     "<span>  </span>", "<p>", "</p>", "<div>", "</div>", "<td>", "<i>a</i>", "<br>"]
)  # fmt: skip


def test_short_texts_long_texts_and_white_space() -> None:
    pad = " \n\t" * 40
    html = (
        f"<div><b>Director:</b><span>{pad}Lee{pad}</span><p>{'word ' * 30}</p>"
        f"<div>{'x' * (MAX_LABEL_CHARS + 2)}</div><div>{'x' * (MAX_LABEL_CHARS + 3)}</div>"
        f"<em>\u00a0</em><small> </small><td>Year</td></div>"
    )
    root = parse_html(html)
    assert _candidates(root) == list(REFERENCE(root))
    assert [e.tag for e in _candidates(root)][:2] == ["b", "span"]


@settings(max_examples=80, deadline=None)
@given(st.lists(PIECES, max_size=30))
def test_the_same_elements_as_the_xpath(pieces: list[str]) -> None:
    root = lxml.html.document_fromstring("<html><body>" + "".join(pieces) + "</body></html>")
    assert _candidates(root) == list(REFERENCE(root))
