"""Shortcuts taken for speed (issue 16) give what the long way gives: label candidates
without an XPath that normalised every element's whole text twice, leaf blocks in one
walk, a childless element's lines without the walk, white space left alone when there
is nothing to collapse."""

from __future__ import annotations

import lxml.etree
import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extract.document import parse_html
from crawler.extract.shared.cast import character_elements
from crawler.extract.shared.markup import (
    _SPACES,
    BLOCK_TAGS,
    OffLimits,
    collapse,
    element_lines,
    lines_of,
    tag_of,
)
from crawler.extract.shared.pairs import (
    _TEXT_LINE_BLOCKS,
    MAX_LABEL_CHARS,
    _candidates,
    _leaf_blocks,
)

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


@settings(max_examples=80, deadline=None)
@given(st.lists(PIECES, max_size=30))
def test_leaf_blocks_and_lines_as_the_long_way_gives_them(pieces: list[str]) -> None:
    root = lxml.html.document_fromstring("<html><body>" + "".join(pieces) + "</body></html>")
    leaves = [
        element
        for element in root.iter()
        if tag_of(element) in _TEXT_LINE_BLOCKS
        and not any(tag_of(d) in BLOCK_TAGS for d in element.iterdescendants())
    ]
    assert _leaf_blocks(root) == leaves
    for element in root.iter():
        assert element_lines(element) == lines_of([element])


@given(st.text(alphabet=st.sampled_from(" \t\n\u00a0\u3000\x85\x1cab\u2028")))
def test_collapse_as_the_substitution_gives_it(text: str) -> None:
    assert collapse(text) == _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


CHARACTERS_REFERENCE = lxml.etree.XPath(
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' character ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' char ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' character-name ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' role-name ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' characters ')"
    " or contains(concat(normalize-space(@class), ' '), '__role ')"
    " or contains(concat(normalize-space(@class), ' '), '__character ')"
    " or contains(concat(normalize-space(@class), ' '), '__character-name ')"
    " or @itemprop='characterName']"
)
CLASS_WORDS = st.sampled_from(
    ["character", "char", "Character", "charity", "character-name", "role-name", "roles",
     "characters", "cast-item__character", "x__role", "x__roles", "__character-name", "role",
     "name", "\t", "\u00a0", " "]
)  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.lists(CLASS_WORDS, max_size=4), st.booleans()), max_size=12))
def test_character_elements_are_the_xpaths(elements: list[tuple[list[str], bool]]) -> None:
    """Issue 16: character elements found by class words in Python, not by XPath string
    functions on every element; the root itself is never one (``.//*``)."""
    body = "".join(
        f'<span class="{" ".join(words)}"'
        + (' itemprop="characterName"' if itemprop else "")
        + ">x</span>"
        for words, itemprop in elements
    )
    root = lxml.html.document_fromstring(f'<html><body class="char">{body}</body></html>')
    for scope in (root, root.find("body")):
        assert character_elements(scope) == list(CHARACTERS_REFERENCE(scope))


def test_excluded_is_the_inside_of_regions_under_the_root() -> None:
    """Issue 16: walks skip a claimed region's elements by a set lookup before reading
    their text; the answer agrees with the full verdict (a region above the walk's root
    excludes nothing, as the walk up stops at the root)."""
    root = parse_html(
        "<div id='page'><div id='post'><p id='inner'>Director: A</p></div><p id='out'>x</p></div>"
    )
    page, post, inner, out = (root.get_element_by_id(i) for i in ("page", "post", "inner", "out"))
    off_limits = OffLimits(page, [post])
    assert off_limits.excluded(inner) and off_limits(inner)
    assert not off_limits.excluded(post) and off_limits(post)
    assert not off_limits.excluded(out) and not off_limits(out)
    above = OffLimits(post, [page])
    assert not above.excluded(inner) and not above(inner)
