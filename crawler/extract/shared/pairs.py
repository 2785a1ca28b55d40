"""Generic ``label: value`` fact boxes, in whatever markup a site chose.

Film sites lay their facts out as labelled values; the markup varies, the shape does
not. :func:`find_pairs` reads all of these:

- definition lists: ``<dt>Dirección</dt><dd>Peter Weir</dd>`` (FilmAffinity);
- two-column tables: ``<td class="type">режиссер</td><td>…</td>`` (KinoPoisk,
  infobox-like tables);
- a label element followed by its value: ``<b>Director:</b> <a>…</a>`` (MyDramaList),
  ``<h5>Director:</h5><div>…</div>`` (IMDb), ``<div class="meta-label">Directed By:
  </div><div class="meta-value">`` (Rotten Tomatoes), ``<h3>Director</h3><div>``
  (Letterboxd), ``<span class="label">Genre:</span>``;
- plain text lines: ``Release date: January 24, 2013`` inside a paragraph,
  ``Total votes: <span>19764</span>``, ``My Rating – 9.5/10``.

A box counts as a film's fact box only with labels that only films have
(:func:`qualifies`): a news page with a ``Country:`` line is not a film page. A page
that repeats film labels with different values (a list of ten films, each with its
director) is a listing, not a film page, and yields nothing.

The generic fact-box extractor (:mod:`crawler.extract.families.factbox`) and the
platform extractors (MediaWiki infoboxes, WordPress posts) all read their regions with
this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import lxml.etree
from lxml.html import HtmlElement

from crawler.extract.document import XML_SPACE, Document
from crawler.extract.shared.film import comparable, heading_title_and_year, is_origin_line
from crawler.extract.shared.labels import (
    FILM_TARGETS,
    IGNORE,
    KIND,
    MAX_LABEL_CHARS,
    label_targets,
    normalise_label,
)
from crawler.extract.shared.markup import (
    BLOCK_TAGS,
    SKIP_TAGS,
    Line,
    OffLimits,
    collapse,
    common_ancestor,
    default_skip,
    element_lines,
    following_nodes,
    lines_of,
    tag_of,
    text_content,
    text_of,
    xpath_for,
)
from crawler.extract.structured_data import opengraph_properties, schema_types

# Labels that need no colon to be labels, by the element that holds them.
_LABEL_TAGS_WITHOUT_COLON = frozenset({"dt", "th", "td", "h3", "h4", "h5", "h6"})
_HEADINGS = frozenset({"h3", "h4", "h5", "h6"})
# What a heading without a colon may label: a box of values, not a paragraph of prose
# (a Wikipedia "Box office" section is not a fact).
_HEADING_VALUE_TAGS = frozenset({"div", "ul", "ol", "dl", "table", "section"})
_LABEL_CLASS = re.compile(r"label|type|key|field|term|caption|heading|meta-?name", re.I)
# Elements that may hold a label: these tags, with a short text that is not empty.
_CANDIDATE_TAGS = (
    "b", "strong", "span", "em", "i", "label", "dt", "th", "td", "h2", "h3", "h4", "h5",
    "h6", "div", "small", "p",
)  # fmt: skip
_MAX_CANDIDATE_CHARS = MAX_LABEL_CHARS + 2


def _candidates(root: HtmlElement, off_limits: OffLimits | None = None) -> list[HtmlElement]:
    """The descendants of ``root`` with a candidate tag whose text, white space
    normalised as XPath's ``normalize-space(.)`` does, has 1 to ``_MAX_CANDIDATE_CHARS``
    characters; in document order; none in the regions ``off_limits`` excludes.

    The same as the XPath ``.//*[self::b or ...][string-length(normalize-space(.)) <= N]
    [string-length(normalize-space(.)) > 0]``, which normalised every candidate's whole
    text twice; here a text with more than N characters that are not white space is
    out at once (normalising never makes it shorter than that).
    """
    found: list[HtmlElement] = []
    for element in root.iter(*_CANDIDATE_TAGS):
        if element is root or (off_limits is not None and off_limits.excluded(element)):
            continue
        text = text_content(element)
        if len(text) > _MAX_CANDIDATE_CHARS:
            blanks = text.count(" ") + text.count("\n") + text.count("\t") + text.count("\r")
            if len(text) - blanks > _MAX_CANDIDATE_CHARS:
                continue
        if "  " in text or "\n" in text or "\t" in text or "\r" in text:
            length = len(XML_SPACE.sub(" ", text).strip(" "))
        else:  # nothing for the substitution to change (most short texts)
            length = len(text.strip(" "))
        if 0 < length <= _MAX_CANDIDATE_CHARS:
            found.append(element)
    return found


_TEXT_LINE_BLOCKS = frozenset({"p", "li", "div", "dd", "td", "h3", "h4", "h5", "h6"})
_TEXT_LABEL = re.compile(rf"^(?P<label>[^:：]{{1,{MAX_LABEL_CHARS}}}?)\s*[:：]\s*(?P<value>\S.*)$")
_DASH_LABEL = re.compile(r"^(?P<label>[^–—:-]{1,25}?)\s+[–—-]\s+(?P<value>\S.*)$")
_VOTE_HINT = re.compile(r"\d\s*(?:vot|rating|голос|оцен|stimmen)", re.IGNORECASE)
_VOTE_COUNT = re.compile(
    r"^\(?\d{1,3}(?:[.,\u00a0 ]\d{3})*\s*(?:votes|votos|ratings|голос\w*|оцен\w*|stimmen)\)?$",
    re.IGNORECASE,
)
# Text in a fact box that is not a pair: a heading, "Show more", a stray separator.
_BOX_SLACK = 40
# Targets whose values cannot be told apart on a listing page of many films.
_LISTING_TARGETS = ("director", "release_date", "year", "runtime_minutes", "title")
_STRONG_TARGETS = FILM_TARGETS - {"release_date", "genre", "content_rating"}
_CONTEXT_TARGETS = frozenset({"year", "country", "language", KIND})
_ARTICLE_TYPES = frozenset({"Article", "NewsArticle", "BlogPosting", "Report", "WebPage"})


@dataclass
class Pair:
    """One labelled value: its label, what the label means, and the value's lines."""

    label: str
    targets: tuple[str, ...]
    lines: list[Line]
    # Elements that hold the pair and nothing else (pruned from the main text).
    units: list[HtmlElement] = field(default_factory=list)

    @property
    def text_length(self) -> int:
        return len(self.label) + sum(len(line.text) for line in self.lines)


def _label_of(element: HtmlElement) -> tuple[str, tuple[str, ...]] | None:
    """``(label text, targets)`` when ``element`` is a label element."""
    text = collapse(element.text_content())
    if not text or len(text) > MAX_LABEL_CHARS + 2:
        return None
    targets = label_targets(text) or _data_source_targets(element)
    if targets is None:
        return None
    if text.endswith((":", "：")):
        return text, targets
    tag = tag_of(element)
    if _is_wiki_section_heading(element):
        return None
    if tag in _LABEL_TAGS_WITHOUT_COLON or _LABEL_CLASS.search(element.get("class") or ""):
        return text, targets
    if _COLON_AFTER.match(element.tail or "") or _heads_a_row(element):
        return text, targets
    return None


_WIKI_HEADING_PARTS = lxml.etree.XPath(
    "descendant-or-self::*[@class='mw-headline'"
    " or contains(concat(' ', normalize-space(@class), ' '), ' mw-editsection ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' mw-heading ')]"
)


def _is_wiki_section_heading(element: HtmlElement) -> bool:
    """A wiki's section heading ("Cast [edit]") titles a section; it labels no value."""
    tag = tag_of(element)
    if tag not in _HEADINGS and tag not in ("h2", "div"):
        return False
    return bool(_WIKI_HEADING_PARTS(element))


# <span class="pl">导演</span>: <a>…</a> — the colon after the label element.
_COLON_AFTER = re.compile(r"^\s*[:：]")
_DATA_SOURCE = lxml.etree.XPath("ancestor-or-self::*[@data-source][1]/@data-source")


def _data_source_targets(element: HtmlElement) -> tuple[str, ...] | None:
    """Fandom's portable infoboxes name each field's template parameter
    (``data-source="release_date"``): the meaning of a label written in any language."""
    if tag_of(element) not in _DATA_SOURCE_LABEL_TAGS:
        return None
    for source in _DATA_SOURCE(element):
        return label_targets(str(source).replace("_", " ").replace("-", " "))
    return None


_DATA_SOURCE_LABEL_TAGS = frozenset({"h3", "h4", "th", "dt", "div", "span", "td"})


# A heading's text and its "[edit]" link, a link's parts: not a label and its value.
_NOT_ROWS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "button", "label", "option"})


def _heads_a_row(element: HtmlElement) -> bool:
    """A label element that heads a row of its parent, whatever their classes:
    ``<div class="item"><span>Année de production</span><span>2020</span></div>``,
    ``<div><span>Avec</span><span>A</span>, <span>B</span></div>``, and rows of
    alternating labels and values."""
    parent = element.getparent()
    if parent is None or (parent.text or "").strip() or tag_of(parent) in _NOT_ROWS:
        return False
    if normalise_label(element.text_content()) in _UI_WORDS:
        return False
    children = [child for child in parent if tag_of(child) and tag_of(child) not in SKIP_TAGS]
    if len(children) < 2 or not any(c.text_content().strip() for c in children[1:]):
        return False
    if _PUNCTUATION_ONLY.match(element.tail or "") is None:
        return False
    if element not in children:
        return False
    # Label, value, label, value ...: every other child is a label.
    if (
        len(children) % 2 == 0
        and children.index(element) % 2 == 0
        and all(_is_known_label(child) for child in children[::2])
    ):
        return True
    return children[0] is element and not any(_is_known_label(c) for c in children[1:])


def _is_known_label(element: HtmlElement) -> bool:
    text = element.text_content()
    return len(text) <= 2 * MAX_LABEL_CHARS and label_targets(collapse(text)) is not None


# Words that are labels after a colon but mostly navigation or buttons on their own.
_UI_WORDS = frozenset(
    {"title", "film", "movie", "type", "format", "kind", "english", "korean", "japanese",
     "chinese", "cast", "rating", "score", "votes", "tags", "status", "source", "theme",
     "sound", "camera", "related", "members", "views", "comments", "likes", "with"}
)  # fmt: skip
_PUNCTUATION_ONLY = re.compile(r"^[\s:：,;|·\-–—]*$")


def _is_label(element: HtmlElement) -> bool:
    if not tag_of(element):
        return False
    if _label_of(element) is not None:
        return True
    # <p><b>Director:</b> …</p> starts with a label too.
    children = [child for child in element if tag_of(child)]
    return (
        bool(children) and not (element.text or "").strip() and _label_of(children[0]) is not None
    )


# A table, a list or the page is never a label.
_CONTAINER_TAGS = frozenset({"tbody", "thead", "table", "ul", "ol", "dl", "body", "html"})


def _outermost_label(element: HtmlElement) -> HtmlElement:
    """``<h3><span>Director</span></h3>``: the label is the ``h3``."""
    text = collapse(element.text_content())
    start = element
    parent = element.getparent()
    while parent is not None and collapse(parent.text_content()) == text:
        if tag_of(parent) in _CONTAINER_TAGS or (tag_of(parent) == "tr" and element is start):
            # A bare cell is one cell of a table; a heading that fills a whole row
            # (``<tr><td colspan=3><h5>Produced by</h5></td></tr>``) labels the rows below.
            break
        element = parent
        parent = element.getparent()
    return element


def _value_of(label: HtmlElement) -> tuple[list[Line], list[HtmlElement]]:
    """The lines of the label's value and the elements that hold the pair."""
    tag = tag_of(label)
    parent = label.getparent()
    if tag == "dt":
        values: list[HtmlElement] = []
        for sibling in label.itersiblings():
            if tag_of(sibling) == "dt":
                break
            if tag_of(sibling) == "dd":
                values.append(sibling)
        return lines_of(values), [label, *values]
    if tag in ("th", "td"):
        # A row of label and value; a header row (Year | Award | Result) is not one,
        # nor a crew row that ends in a job title (Name | … | composer).
        cells = [cell for cell in label.itersiblings() if tag_of(cell) in ("td", "th")]
        before = [
            cell for cell in label.itersiblings(preceding=True) if tag_of(cell) in ("td", "th")
        ]
        row = parent if parent is not None and tag_of(parent) == "tr" else None
        if before or len(cells) != 1 or tag_of(cells[0]) != "td":
            return _column_value(label, row)
        return lines_of(cells), [row] if row is not None else cells
    if tag in _HEADINGS and not collapse(label.text_content()).endswith((":", "：")):
        # <h3>Director</h3><div>…</div>: a heading labels the one element after it,
        # not the rest of its section.
        following = next((s for s in label.itersiblings() if tag_of(s)), None)
        if (
            following is None
            or not (tag_of(following) in _HEADING_VALUE_TAGS or _is_short_value(following))
            or _is_label(following)
        ):
            return [], []
        return lines_of([following]), [label, following]
    following = next((sibling for sibling in label.itersiblings() if tag_of(sibling)), None)
    if (
        tag in BLOCK_TAGS
        and not (label.tail or "").strip()
        and following is not None
        and tag_of(following) in BLOCK_TAGS
    ):
        # <p>Cast:</p><ul>…</ul>, <h5>Director:</h5><div>…</div>: the block(s) after it
        return _block_after(label)
    nodes = list(following_nodes(label, stop=_ends_value))
    if nodes and isinstance(nodes[0], str):
        nodes[0] = _COLON_AFTER.sub("", nodes[0], count=1)
    lines = lines_of(nodes)
    if not lines and parent is not None and len([c for c in parent if tag_of(c)]) == 1:
        # <div><span class="label">Director:</span></div><div>…</div>
        if tag_of(parent) in BLOCK_TAGS:
            return _block_after(parent)
        return _value_of(parent)
    units = [parent] if parent is not None else []
    return lines, units


# A value below a label that fills its own block is the block after it, and further
# short blocks ("<p><b>Cast:</b></p><p>A</p><p>B</p>"), never the prose that follows.
_SHORT_VALUE_CHARS = 60


def _is_short_value(element: HtmlElement) -> bool:
    """A paragraph that is a value, not prose: ``<h3>Country</h3><p>South Korea</p>``; a
    sentence ("The film was released in 2013.") is a section's text."""
    if tag_of(element) != "p":
        return False
    text = collapse(element.text_content())
    return 0 < len(text) <= _SHORT_VALUE_CHARS and not _SENTENCE_END.search(text)


_SENTENCE_END = re.compile(r"[.!?。！？](?:\s|$)")


def _block_after(block: HtmlElement) -> tuple[list[Line], list[HtmlElement]]:
    taken: list[HtmlElement] = []
    for sibling in block.itersiblings():
        if not tag_of(sibling):
            continue
        if _ends_value(sibling) or _is_wiki_section_heading(sibling):
            break
        short = len(collapse(sibling.text_content())) <= _SHORT_VALUE_CHARS
        if taken and not (short and tag_of(sibling) == tag_of(taken[-1])):
            break
        taken.append(sibling)
        if not short and tag_of(sibling) == "p":
            break
    return lines_of(taken), [block, *taken]


def _ends_value(element: HtmlElement) -> bool:
    """The next label ends a value, also one we do not know: ``<span class="pl">IMDb
    链接:</span>`` after a ``<br>`` starts a line of its own."""
    if _is_label(element):
        return True
    text = collapse(element.text_content())
    if not text or len(text) > MAX_LABEL_CHARS + 2 or tag_of(element) in BLOCK_TAGS:
        return False
    return text.endswith((":", "：")) or bool(_COLON_AFTER.match(element.tail or ""))


def _column_value(
    label: HtmlElement, row: HtmlElement | None
) -> tuple[list[Line], list[HtmlElement]]:
    """A header row of labels over a row of values (Fandom's horizontal groups,
    ``Released | Runtime`` over ``2010 | 148 min``): the cell below the label. Only a row
    whose every cell is a label we know is a header row of fact labels."""
    if row is None:
        return [], []
    cells = [cell for cell in row if tag_of(cell) in ("td", "th")]
    header = tag_of(row.getparent()) == "thead" or all(tag_of(cell) == "th" for cell in cells)
    if not header or len(cells) < 2 or any(label_targets(text_of(c)) is None for c in cells):
        return [], []
    below = next((r for r in row.itersiblings() if tag_of(r) == "tr"), None)
    if below is None:
        body = row.getparent()
        following = (
            next((b for b in body.itersiblings() if tag_of(b) == "tbody"), None)
            if body is not None
            else None
        )
        below = (
            next((r for r in following if tag_of(r) == "tr"), None)
            if following is not None
            else None
        )
    if below is None:
        return [], []
    values = [cell for cell in below if tag_of(cell) in ("td", "th")]
    if len(values) != len(cells):
        return [], []
    value = values[cells.index(label)]
    return lines_of([value]), [label, value]


def _inline_runs(
    root: HtmlElement,
    labels: set[HtmlElement],
    label_holders: set[HtmlElement],
    off_limits: OffLimits,
) -> Iterable[tuple[HtmlElement, list[HtmlElement | str]]]:
    """Text that sits directly in a block beside blocks of its own: ``<div><div>User
    Rating</div>Current user rating: <b>96</b>/100 (<b>1445</b> votes)<div>…</div>
    </div>``. Each run of text and inline elements between two child blocks, with its
    block; runs holding a label element already read (a label, or one of
    ``label_holders``: the labels' ancestors), and blocks in the regions ``off_limits``
    excludes, are left out."""
    for block in root.iter(*_TEXT_LINE_BLOCKS):
        if len(block) == 0 or off_limits.excluded(block):
            continue  # no child: no block beside its text
        if not any(tag_of(child) in BLOCK_TAGS for child in block):
            continue  # a leaf block: read line by line already
        run: list[HtmlElement | str] = [block.text] if block.text else []
        for child in block:
            if tag_of(child) in BLOCK_TAGS:
                if _has_text(run):
                    yield block, run
                run = []
            elif tag_of(child) and child not in labels and child not in label_holders:
                run.append(child)
            if child.tail:
                run.append(child.tail)
        if _has_text(run):
            yield block, run


def _has_text(run: list[HtmlElement | str]) -> bool:
    return any((n if isinstance(n, str) else n.text_content()).strip() for n in run)


def _leaf_blocks(root: HtmlElement) -> Iterable[HtmlElement]:
    """Line blocks (paragraphs, list items, cells ...) with no block inside them, in
    document order. One walk: every block marks its ancestors as holding one (up to an
    ancestor already marked), instead of a walk of every block's descendants."""
    holding: set[HtmlElement] = set()
    for node in root.iter(*BLOCK_TAGS):  # tags as the HTML parser gives them: lower case
        if node is root:
            continue
        for ancestor in node.iterancestors():
            if ancestor in holding:
                break
            holding.add(ancestor)
            if ancestor is root:
                break
    return [node for node in root.iter(*_TEXT_LINE_BLOCKS) if node not in holding]


def find_pairs(
    root: HtmlElement,
    exclude: Iterable[HtmlElement] = (),
    *,
    dash_labels: bool = False,
) -> list[Pair]:
    """Every ``label: value`` pair under ``root``, outside ``exclude`` and off-limits
    regions (navigation, forms, comment threads), in document order."""
    off_limits = OffLimits(root, exclude)
    pairs: list[tuple[int, Pair]] = []
    order = {element: index for index, element in enumerate(root.iter())}
    labels_seen: set[HtmlElement] = set()
    for candidate in _candidates(root, off_limits):
        if candidate in labels_seen or off_limits(candidate):
            continue
        found = _label_of(candidate)
        if found is None:
            continue
        label_element = _outermost_label(candidate)
        if label_element in labels_seen:
            continue
        found = _label_of(label_element) or found
        labels_seen.add(label_element)
        labels_seen.add(candidate)
        lines, units = _value_of(label_element)
        if not lines:
            continue
        text, targets = found
        pairs.append((order.get(label_element, 0), Pair(text, targets, lines, units)))

    holders = {ancestor for label in labels_seen for ancestor in label.iterancestors()}
    for block in _leaf_blocks(root):
        if block in holders or block in labels_seen or off_limits.excluded(block):
            continue
        if not _may_hold_pair(text_content(block), dash_labels=dash_labels):
            continue
        if off_limits(block):
            continue
        lines = element_lines(block)
        matched: list[Pair] = []
        lines_matched = 0
        for line in lines:
            # "Продюсеры: Человек в футляре …" as a link is an article's headline
            on_line = [] if line.only_links else _text_pairs(line, dash_labels=dash_labels)
            lines_matched += bool(on_line)
            matched.extend(on_line)
        if not matched:
            continue
        for pair in matched:
            if lines_matched == len(lines):
                pair.units = [block]
            pairs.append((order.get(block, 0), pair))
    for block, run in _inline_runs(root, labels_seen, holders, off_limits):
        if not _may_hold_pair(
            " ".join(n if isinstance(n, str) else n.text_content() for n in run),
            dash_labels=dash_labels,
        ) or off_limits(block):
            continue
        for line in lines_of(run):
            if line.only_links:
                continue
            for pair in _text_pairs(line, dash_labels=dash_labels):
                pair.units = [block]
                pairs.append((order.get(block, 0), pair))
    pairs.sort(key=lambda entry: entry[0])
    return _without_ambiguous_counts([pair for _, pair in pairs])


def _without_ambiguous_counts(pairs: list[Pair]) -> list[Pair]:
    """Vote counts without a label ("5.214 votos") count only when they all agree: a page
    with an audience's and a critics' count does not say which is whose."""
    counts = {pair.lines[0].text for pair in pairs if pair.label == _UNLABELLED_VOTES}
    if len(counts) <= 1:
        return pairs
    return [pair for pair in pairs if pair.label != _UNLABELLED_VOTES]


_SEPARATORS = re.compile(r"(?:\s*[·|•])+\s*$")
# Where a label may start inside a line: at its start, after a sentence, after a
# separator: "… and murderous. Director: Derek Jarman · Stars: Tilda Swinton".
_INLINE_LABEL = re.compile(
    r"(?:^|(?<=[.!?»”\"]\s)|(?<=\s[·|•]\s))"
    rf"(?P<label>[^\W\d][^:：.!?·|•]{{0,{MAX_LABEL_CHARS - 2}}}?)\s*[:：]\s"
)


_SPACE = re.compile(r"\s+")
_LABEL_AT = re.compile(rf"(?P<label>[^\W\d][^:：.!?·|•]{{0,{MAX_LABEL_CHARS - 2}}}?)\s*[:：]")


def _may_hold_pair(text: str, *, dash_labels: bool) -> bool:
    """A cheap test before a block is read line by line: most blocks are prose."""
    if ":" in text or "：" in text or _may_state_votes(text):
        return True
    return dash_labels and ("–" in text or "—" in text or " - " in text)


def _may_state_votes(text: str) -> bool:
    """``_VOTE_HINT.search(text)``; an ASCII text without its words is answered by
    substring tests (its Cyrillic words are not ASCII, and ASCII letters match without
    case exactly as their lower case does)."""
    if text.isascii():
        lowered = text.lower()
        if "vot" not in lowered and "rating" not in lowered and "stimmen" not in lowered:
            return False
    return _VOTE_HINT.search(text) is not None


def _text_pairs(line: Line, *, dash_labels: bool) -> list[Pair]:
    """The pairs on one line; ``Director: Derek Jarman · Stars: Tilda Swinton`` has two."""
    starts = [
        match.start()
        for match in _INLINE_LABEL.finditer(line.text)
        if label_targets(match.group("label")) is not None
    ]
    if "：" in line.text or len(starts) > 1:
        # Inline label spans in a row ("<span>上映日期：2020-08-26</span> <span>片　　長：
        # 02時30分</span>"): a known label after a space starts a pair too.
        for space in _SPACE.finditer(line.text):
            match = _LABEL_AT.match(line.text, space.end())
            if match and label_targets(match.group("label")) is not None:
                starts.append(match.start())
        starts = sorted(set(starts))
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    pairs: list[Pair] = []
    for start, end in zip(starts, [*starts[1:], len(line.text)], strict=True):
        segment = _SEPARATORS.sub("", line.text[start:end].strip())
        links = [link for link in line.links if link and link in segment]
        pair = _text_pair(Line(segment, links), dash_labels=dash_labels)
        if pair is not None:
            pairs.append(pair)
    return pairs


_UNLABELLED_VOTES = "votes"
# "USA / Velká Británie, 2010, 148 min": countries, year and runtime on one line.
ORIGIN = "origin"
_ORIGIN = ORIGIN


def _text_pair(line: Line, *, dash_labels: bool) -> Pair | None:
    if _VOTE_COUNT.match(line.text):
        # "5.214 votos" under a score: a count that needs no label
        return Pair(_UNLABELLED_VOTES, ("rating_votes",), [line])
    match = _TEXT_LABEL.match(line.text)
    if match is None and dash_labels:
        match = _DASH_LABEL.match(line.text)
        if match is not None:
            targets = label_targets(match.group("label"))
            if targets is None or not set(targets) <= {"rating"}:
                return None
    if match is None:
        return None
    targets = label_targets(match.group("label"))
    if targets is None:
        return None
    value = match.group("value")
    links = [link for link in line.links if link and link in value]
    return Pair(match.group("label"), targets, [Line(value, links)])


# Elements whose class names the field they hold, without a label on the page:
# ``<div class="genres">Sci-Fi / Akční</div>``, ``<ul class="film-names">``.
_CLASS_FIELDS: dict[str, tuple[str, ...]] = {
    "genre": ("genre",),
    "genres": ("genre",),
    "film-genres": ("genre",),
    "movie-genres": ("genre",),
    "countries": ("country",),
    "runtime": ("runtime_minutes",),
    "film-names": ("alt_title",),
    "alt-titles": ("alt_title",),
    "other-titles": ("alt_title",),
    "alternative-titles": ("alt_title",),
    "aka": ("alt_title",),
    "akas": ("alt_title",),
    "original-title": ("native_title",),
    "origin": (_ORIGIN,),
    # A site's score and its vote count ("rating_ball" 7.9, "ratingCount" (412 593)).
    "rating-ball": ("rating",),
    "rating-value": ("rating",),
    "rate-value": ("rating",),
    "ratingvalue": ("rating",),
    "rating-num": ("rating",),
    "rating-score": ("rating",),
    "rating-count": ("rating_votes",),
    "ratingcount": ("rating_votes",),
    "vote-count": ("rating_votes",),
    "votes-count": ("rating_votes",),
}
_MAX_CLASS_VALUE_CHARS = 200


# CSS modules hash their class names: "styles_originalTitle__JaNKM" is "originalTitle".
_CSS_MODULE = re.compile(r"^(?:[A-Za-z]+_)?(?P<name>[A-Za-z][A-Za-z0-9]*)__[A-Za-z0-9_-]{4,}$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _class_name(token: str) -> str:
    """``genres``, ``film-names``; ``styles_originalTitle__JaNKM`` -> ``original-title``."""
    module = _CSS_MODULE.match(token)
    if module:
        token = _CAMEL.sub("-", module.group("name"))
    return token.replace("_", "-").lower()


def class_named_pairs(root: HtmlElement, exclude: Iterable[HtmlElement] = ()) -> list[Pair]:
    """Values in elements whose class names their field. They are read only on a page
    whose labelled facts already show it is a film's: a class alone proves nothing, and
    a class that occurs twice with different values belongs to a list of films."""
    off_limits = OffLimits(root, exclude)
    found: dict[str, list[tuple[HtmlElement, tuple[str, ...]]]] = {}
    for element in root.iter():
        if not tag_of(element) or tag_of(element) in SKIP_TAGS:
            continue
        for token in (element.get("class") or "").split():
            name = _class_name(token)
            if name not in _CLASS_FIELDS and "__" in token:
                # BEM: "filmCoverSection__originalTitle" is the block's "original-title"
                name = _CAMEL.sub("-", token.rsplit("__", 1)[1]).replace("_", "-").lower()
            targets = _CLASS_FIELDS.get(name)
            if targets is None:
                continue
            if any(tag_of(ancestor) in ("li", "article") for ancestor in element.iterancestors()):
                continue  # a card of a list of films ("more like this")
            found.setdefault(name, []).append((element, targets))
    pairs: list[Pair] = []
    for token, elements in found.items():
        texts = {collapse(element.text_content()) for element, _ in elements}
        if len(texts) != 1:
            continue
        element, targets = elements[0]
        if off_limits(element) or len(texts.pop()) > _MAX_CLASS_VALUE_CHARS:
            continue
        if any(_is_label(descendant) for descendant in element.iterdescendants()):
            continue  # a labelled box of its own, read as pairs already
        lines = element_lines(element)
        if lines:
            pairs.append(Pair(token, targets, lines, [element]))
    return pairs


# Blocks an unlabelled origin line stands in (a <br> may end it: element_lines splits there).
_ORIGIN_BLOCKS = frozenset({"p", "div", "span", "dd", "td", "small", "h2", "h3", "h4"})


def origin_line_pairs(root: HtmlElement, exclude: Iterable[HtmlElement] = ()) -> list[Pair]:
    """The film's origin line without a label (``2010年製作／148分／G／アメリカ``): read
    only on a page already shown to be a film's, never from a card of a film list, and
    only when the page has one such line (several are a list of films)."""
    off_limits = OffLimits(root, exclude)
    found: dict[str, HtmlElement] = {}
    for element in root.iter():
        if tag_of(element) not in _ORIGIN_BLOCKS or off_limits(element):
            continue
        for line in element_lines(element):
            if len(line.text) <= _MAX_CLASS_VALUE_CHARS and is_origin_line(line.text):
                found.setdefault(line.text, element)
    if len(found) != 1:
        return []
    text, element = next(iter(found.items()))
    if any(tag_of(ancestor) in ("li", "article") for ancestor in element.iterancestors()):
        return []
    return [Pair(_ORIGIN, (_ORIGIN,), [Line(text)])]


def qualifies(pairs: list[Pair], cast_items: int = 0, declared: bool = False) -> bool:
    """Whether the labels are a film's: film-only labels, and not a listing of films.

    A cast gallery of two or more actors counts as a film label. On a page that
    ``declared`` itself a work's page, one film label is enough.
    """
    targets = {target for pair in pairs for target in pair.targets if target != IGNORE}
    if cast_items >= 2:
        targets.add("cast")
    film = targets & FILM_TARGETS
    strong = targets & _STRONG_TARGETS
    if declared and strong:
        return not is_listing(pairs)
    # "Avec …" beside "Année de production", "Nationalité", "Type de film": one film
    # label is enough when three more labels describe a work.
    described = film | (targets & _CONTEXT_TARGETS)
    if not ((strong and len(film) >= 2) or len(strong) >= 2 or (strong and len(described) >= 4)):
        return False
    return not is_listing(pairs)


def is_listing(pairs: list[Pair]) -> bool:
    values: dict[str, set[str]] = {}
    for pair in pairs:
        for target in pair.targets:
            if target in _LISTING_TARGETS:
                values.setdefault(target, set()).add(pair.lines[0].text.casefold())
    return any(len(found) >= 3 for found in values.values())


def prune_paths(
    pairs: list[Pair],
    keep: Iterable[str] = ("synopsis", "trivia"),
    within: HtmlElement | None = None,
) -> list[str]:
    """XPaths of the elements that hold nothing but these pairs (never their synopsis).

    The whole box when nothing but the pairs is in it, else each element whose text is
    (nearly) all pairs: a paragraph of ``Label: value`` lines, a table row, a list item.
    ``within`` (a post's content) is never pruned as a whole.
    """
    kept = set(keep)
    covered: dict[HtmlElement, int] = {}
    protected: set[HtmlElement] = set()
    for pair in pairs:
        for unit in pair.units:
            if kept & set(pair.targets):
                protected.add(unit)
            covered[unit] = covered.get(unit, 0) + pair.text_length
    units = [unit for unit in covered if unit not in protected]
    if not units:
        return []
    if not protected and len(units) > 1:
        box = common_ancestor(units)
        if box is not None and box is not within and tag_of(box) not in ("body", "html"):
            outside = len(text_of(box, default_skip)) - sum(
                len(text_of(unit, default_skip)) for unit in units
            )
            if outside <= _BOX_SLACK:
                return [xpath_for(box)]
    paths: list[str] = []
    for unit in units:
        unit_text = len(text_of(unit, default_skip))
        if unit_text and covered[unit] >= 0.8 * unit_text:
            paths.append(xpath_for(unit))
    return paths


def is_article_page(doc: Document) -> bool:
    """News articles and blog posts: their headline is not a film title."""
    og_type = opengraph_properties(doc.structured).get("og:type", [])
    if any(value.strip().lower() in ("article", "blog") for value in og_type):
        return True
    return any(
        schema_types(node) & _ARTICLE_TYPES - {"WebPage"} for node in doc.structured["json-ld"]
    )


# A post's headline that names its film with the year: "[영화 리뷰] 기생충 (2019) - 봉준호
# 감독의 블랙코미디", "Review: Heat (1995)", "【映画感想】パラサイト（2019）".
_POST_TAG = re.compile(
    r"^\s*(?:[\[【〔〈<][^\]】〕〉>]{1,20}[\]】〕〉>]\s*|(?:(?:movie|film)\s+)?(?:review|reviews|"
    r"critique|crítica|recensione|rezension|recenzja|recenze|рецензия|обзор|inceleme|"
    r"리뷰|후기|影评|レビュー|感想)\s*[:：|-]\s*)",
    re.IGNORECASE,
)
_POST_TITLE_YEAR = re.compile(
    r"^(?P<title>[^()（）]{1,80}?)\s*[(（](?:[^()（）]{0,40}?,\s*)?(?P<year>(?:18|19|20)\d{2})[)）]"
)


def post_title_and_year(doc: Document) -> tuple[str, str] | None:
    """The film a blog post or article is about, when its headline names it with a year
    in parentheses; a headline without one names no film for sure."""
    headlines = opengraph_properties(doc.structured).get("og:title", [])
    headlines += [collapse(title.text_content()) for title in _TITLE_TAG(doc.tree)]
    for headline in headlines:
        text = collapse(headline)
        for candidate in dict.fromkeys((_POST_TAG.sub("", text, count=1), text)):
            match = _POST_TITLE_YEAR.match(candidate)
            if match and comparable(match.group("title")):
                return match.group("title").strip(" \"'“”«»"), match.group("year")
    return None


# What a shop sells: a page about an item for sale describes the item, not a film.
_PRODUCT_TYPES = frozenset({"Product", "Offer", "AggregateOffer", "IndividualProduct"})


# A page that declares itself a work's page in its structured data or OpenGraph type.
_WORK_TYPES = frozenset(
    {"Movie", "Film", "TVSeries", "TVMiniSeries", "TVSeason", "TVEpisode", "Episode"}
)
_OPENGRAPH_WORK_TYPES = frozenset({"video.movie", "video.tv_show", "video.episode"})


def declares_a_work(doc: Document) -> bool:
    """Whether the page says it is one work's page (schema.org ``Movie``/``TVSeries``…
    at its top level, OpenGraph ``video.movie``): then one film label of its own is
    enough for its fact box (Letterboxd: "Cast" beside "Country" and "Language")."""
    og_type = opengraph_properties(doc.structured).get("og:type", [])
    if any(value.strip().lower() in _OPENGRAPH_WORK_TYPES for value in og_type):
        return True
    nodes: list[object] = [*doc.structured["json-ld"], *doc.structured.get("microdata", [])]
    for node in list(nodes):
        if isinstance(node, dict) and isinstance(node.get("@graph"), list):
            nodes.extend(node["@graph"])
    return any(isinstance(node, dict) and schema_types(node) & _WORK_TYPES for node in nodes)


def is_product_page(doc: Document) -> bool:
    """A shop's product page (schema.org Product or OpenGraph ``product``): its "Actors:"
    and "Run time:" describe a disc for sale, and the page is not a film's page."""
    og_type = opengraph_properties(doc.structured).get("og:type", [])
    if any(value.strip().lower().startswith("product") for value in og_type):
        return True
    nodes = [*doc.structured["json-ld"], *doc.structured.get("microdata", [])]
    return any(schema_types(node) & _PRODUCT_TYPES for node in nodes)


_H1 = lxml.etree.XPath("//h1")
_TITLE_TAG = lxml.etree.XPath("//title")
_LOWER_HEADINGS = lxml.etree.XPath("//h2 | //h3")
# A lower heading must be this long (in letters and digits) to be taken for the title the
# <title> names: short words ("Movie", "Cast") are in many <title>s by chance.
_MIN_NAMED_HEADING = 6
# What separates a page's name from its site's in a <title>.
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+|\s*[|｜]\s*")


def page_heading_title(doc: Document, claimed: Iterable[HtmlElement] = ()) -> str | None:
    """The page's film-title heading: its only ``h1``, or the one the ``<title>`` or
    ``og:title`` starts with (sites put their logo in an ``h1`` too)."""
    headings = []
    off_limits = OffLimits(doc.tree, claimed)
    for h1 in _H1(doc.tree):
        if off_limits(h1) or "logo" in (h1.get("class") or ""):
            continue
        text = text_of(h1)
        if text:
            headings.append(text)
    if len(headings) == 1:
        return headings[0]
    references = [comparable(collapse(t.text_content())) for t in _TITLE_TAG(doc.tree)]
    references += [comparable(t) for t in opengraph_properties(doc.structured).get("og:title", [])]
    for text in headings:
        key = comparable(heading_title_and_year(text)[0])
        if key and any(ref.startswith(key) for ref in references if ref):
            return text
    if headings:
        return None
    # No h1 at all (streaming and shop templates title the work in an h2): the longest
    # lower heading that the <title> names, wherever it says it ("Watch X (2013) Full
    # Movie Online Free - Site"); a section heading ("You may also like") is not in it.
    # A heading may carry the original title in a child ("Seven Samurai<span>七人の侍</span>"):
    # its own leading text is tried too.
    named = []
    for heading in _LOWER_HEADINGS(doc.tree):
        if off_limits(heading):
            continue
        for text in dict.fromkeys((text_of(heading), collapse(heading.text or ""))):
            key = comparable(heading_title_and_year(text)[0]) if text else ""
            if len(key) >= _MIN_NAMED_HEADING and any(key in ref for ref in references if ref):
                named.append((len(key), text))
                break
    if named:
        return max(named, key=lambda item: item[0])[1]
    # Nothing but the <title>: its first part ("Seven Samurai | Japanese Film Database").
    for title in _TITLE_TAG(doc.tree):
        first = _TITLE_PARTS.split(collapse(title.text_content()))[0]
        if len(comparable(first)) >= 2:
            return first
    return None
