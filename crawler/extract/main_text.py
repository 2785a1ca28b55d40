"""The page's main text (synopsis, review, article, list of film cards) with trafilatura.

trafilatura decides what is main text. Before it runs we remove, on a copy of the tree,
what we already know is not: regions platform extractors identified (comment threads,
cast galleries, fact boxes, rating widgets) and page furniture recognised by markup
(:mod:`crawler.extract.shared.furniture`: landmarks, furniture class/id words, blocks
titled "More like this" in many languages, link-dense side columns, sign-in prompts) —
never a block that holds the page's heading, article body or synopsis. trafilatura is
never asked for comments, so a page's comments cannot leak into ``pages.clean_text``.

trafilatura first runs without its fallback extractors (readability, justext), which
cost time and, on a film page, tend to prefer the longest block (a user review) to the
synopsis. Only a doubtful first result gets the full cascade: none at all, one that
covers little of the page, one that misses the synopsis the page states in structured
data, or one made of navigation links. The synopsis, where the page body holds it and
neither pass kept it, leads the text.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from configparser import ConfigParser

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import use_config

from crawler.extract.shared.furniture import (
    flat,
    is_boilerplate_line,
    remove_elements,
    remove_furniture,
    strip_invisible,
    synopsis_blocks,
    visible_length,
)
from crawler.extract.shared.markup import element_lines

# The downloader is Scrapy's; trafilatura only extracts. Its own time limit applies to
# its CLI only; ours is enforced by the worker that runs extraction.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
# trafilatura's sizes count characters, calibrated on alphabetic text. A Chinese,
# Japanese or Korean character carries about what two to three Latin ones do: a
# 180-character synopsis is a full paragraph, and trafilatura, finding "too little",
# would fall back to dumping the whole page. Pages mostly in those scripts get its
# minimum scaled down accordingly.
_DENSE_CONFIG = use_config()
_DENSE_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
_DENSE_CONFIG.set(
    "DEFAULT", "MIN_EXTRACTED_SIZE", str(_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE") * 2 // 5)
)
_DENSE_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_DENSE_SHARE = 0.3
_LETTER = re.compile(r"[^\W\d_]")
# The page's script is judged on the start of its text (after furniture is gone).
_SCRIPT_SAMPLE = 5000

# A first result shorter than this share of the page's text (after furniture is gone)
# and shorter than trafilatura's own recall threshold is doubtful: the page's content
# may sit where trafilatura's main pass does not look.
_SHORT_SHARE = 0.2
_SHORT_CHARS = 3000
# A result whose lines are mostly the texts of the page's links is a menu, not content.
_NAVIGATION_SHARE = 0.85
_MAX_LINK_LINE = 80

# Promotional lines that streaming aggregators put inside their content column.
_PROMO_LINE = re.compile(
    r"\b(watch|download|stream)\b.{0,120}\bfree\b.{0,40}\b(at|on)\b\s+\S+\.(com|net|org|to|tv|io|co|cc)\b",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n{3,}")
_LIST_MARK = re.compile(r"^(?:[-*•]\s+|\|\s*)")


def extract_main_text(
    tree: HtmlElement,
    url: str,
    prune_xpaths: list[str] | None = None,
    *,
    prune_positions: Iterable[int] = (),
    fast: bool = False,
    synopses: list[str] | None = None,
) -> str | None:
    """Return the main text as plain text with paragraphs separated by newlines.

    ``tree`` is not modified: the regions to prune are removed from a copy, given as
    positions of elements in the walk ``tree.iter(lxml.etree.Element)``
    (:attr:`crawler.extract.document.Document.positions`) or as XPath expressions.
    ``None`` when trafilatura finds no main text at all.
    ``synopses`` are descriptions of the page's work from its structured data: where
    the body holds one, that block is content and leads the text if trafilatura missed
    it. ``fast`` never runs trafilatura's fallback passes (justext, readability), which
    take minutes on a page of many megabytes.
    """
    working = copy.deepcopy(tree)
    wanted = sorted(set(prune_positions))
    if wanted:
        # Positions name elements of the original walk: map them before anything moves.
        copied = list(working.iter(etree.Element))
        remove_elements(working, [copied[position] for position in wanted])
    # The extractors' paths name elements by the start of their text, scripts included.
    _remove_all(working, list(prune_xpaths or []))
    strip_invisible(working)
    synopsis_elements = synopsis_blocks(working, synopses or [])
    remove_furniture(working, synopsis_elements)
    synopsis_texts = [_block_text(element) for element in synopsis_elements]
    synopsis_texts = [text for text in synopsis_texts if text]
    for element in synopsis_elements:
        _as_paragraph(element)

    config = _config_for(working)
    text = _trafilatura(working, url, config, fast=True)
    if not fast and _doubtful(text, working, synopsis_texts):
        fuller = _trafilatura(working, url, config, fast=False)
        text = _better(text, fuller, synopsis_texts)
    if text is None and not synopsis_texts:
        return None
    text = _without_navigation(text or "", working)
    missing: list[str] = []
    for synopsis in synopsis_texts:
        if not any(_contains(known, synopsis) for known in (text, *missing)):
            missing.append(synopsis)
    if missing:
        text = "\n".join([*missing, text])
    lines = [line for line in text.splitlines() if not _is_boilerplate(line)]
    text = "\n".join(lines).strip()
    if "\n\n\n" in text:  # a substring test first: the regex is slow over a long text
        text = _BLANK_LINES.sub("\n\n", text)
    return text or None


def _config_for(working: HtmlElement) -> ConfigParser:
    """trafilatura's settings for the page's script (see ``_DENSE_CONFIG``)."""
    pieces: list[str] = []
    size = 0
    for piece in working.itertext():
        pieces.append(piece)
        size += len(piece)
        if size >= _SCRIPT_SAMPLE:
            break
    sample = "".join(pieces)
    dense = len(_DENSE_SCRIPT.findall(sample))
    if not dense:  # most pages: no need to count their letters
        return _CONFIG
    letters = len(_LETTER.findall(sample))
    return _DENSE_CONFIG if letters and dense >= _DENSE_SHARE * letters else _CONFIG


def _trafilatura(working: HtmlElement, url: str, config: ConfigParser, *, fast: bool) -> str | None:
    # trafilatura works on a copy of the tree it is given.
    return trafilatura.extract(
        working,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        fast=fast,
        config=config,
    )


def _doubtful(text: str | None, working: HtmlElement, synopses: list[str]) -> bool:
    if not text:
        return True
    if any(not _contains(text, synopsis) for synopsis in synopses):
        return True
    if len(text) < _SHORT_CHARS and len(text) < _SHORT_SHARE * visible_length(working):
        return True
    return _navigation_share(text, working) >= _NAVIGATION_SHARE


def _better(first: str | None, fuller: str | None, synopses: list[str]) -> str | None:
    """The full cascade's result, unless the first one holds the synopsis it lost or
    the full one adds nothing."""
    if not fuller:
        return first
    if not first:
        return fuller
    if synopses:
        first_hits = sum(_contains(first, synopsis) for synopsis in synopses)
        fuller_hits = sum(_contains(fuller, synopsis) for synopsis in synopses)
        if first_hits != fuller_hits:
            return first if first_hits > fuller_hits else fuller
    return fuller if len(fuller) > len(first) else first


def _contains(text: str, synopsis: str) -> bool:
    probe = flat(synopsis)[:60]
    return probe in flat(text)


def _as_paragraph(element: HtmlElement) -> None:
    """A synopsis written as a ``div`` or ``span`` of text and line breaks becomes a
    paragraph: trafilatura's main pass reads paragraphs, and a page without one (common
    on Chinese and Japanese databases) sends it to its last resort, a dump of the page."""
    if element.tag in _TEXT_CONTAINERS and all(
        isinstance(child.tag, str) and child.tag in _INLINE for child in element
    ):
        element.tag = "p"


_TEXT_CONTAINERS = frozenset({"div", "span", "dd"})
_INLINE = frozenset(
    {"a", "abbr", "b", "br", "cite", "em", "font", "i", "q", "small", "span", "strong", "sub",
     "sup", "time", "u"}
)  # fmt: skip


def _block_text(element: HtmlElement) -> str:
    """A synopsis block's text, one line per paragraph."""
    return "\n".join(line.text for line in element_lines(element))


def _link_texts(working: HtmlElement) -> set[str]:
    texts: set[str] = set()
    for link in working.iter("a"):
        text = flat(link.text_content())
        if text and len(text) <= _MAX_LINK_LINE:
            texts.add(text)
    return texts


def _navigation_share(text: str, working: HtmlElement) -> float:
    """The share of the text in lines that are the texts of the page's links."""
    raw_lines = text.splitlines()
    total = sum(len(line) for line in raw_lines)
    short = sum(len(line) for line in raw_lines if len(line) <= _MAX_LINK_LINE)
    if not total or short < _NAVIGATION_SHARE * total:
        return 0.0  # mostly long lines: prose, not a menu
    link_texts = _link_texts(working)
    lines = [flat(_LIST_MARK.sub("", line)) for line in raw_lines]
    return sum(len(line) for line in lines if line in link_texts) / max(
        1, sum(len(line) for line in lines)
    )


def _without_navigation(text: str, working: HtmlElement) -> str:
    """A result made mostly of link texts is a menu: keep only its other lines."""
    if not text or _navigation_share(text, working) < _NAVIGATION_SHARE:
        return text
    link_texts = _link_texts(working)
    return "\n".join(
        line for line in text.splitlines() if flat(_LIST_MARK.sub("", line)) not in link_texts
    )


def _remove_all(tree: HtmlElement, expressions: list[str]) -> None:
    for expression in expressions:
        try:
            elements = tree.xpath(expression)
        except etree.XPathError:
            continue
        remove_elements(tree, [e for e in elements if isinstance(e, HtmlElement)])


def _is_boilerplate(line: str) -> bool:
    return (len(line) < 300 and bool(_PROMO_LINE.search(line))) or is_boilerplate_line(line)
