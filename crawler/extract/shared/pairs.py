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

from crawler.extract.document import Document
from crawler.extract.shared.film import comparable, heading_title_and_year, person_name
from crawler.extract.shared.labels import (
    FILM_TARGETS,
    IGNORE,
    MAX_LABEL_CHARS,
    label_targets,
)
from crawler.extract.shared.markup import (
    BLOCK_TAGS,
    Line,
    OffLimits,
    collapse,
    default_skip,
    element_lines,
    following_nodes,
    lines_of,
    tag_of,
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
_CANDIDATES = lxml.etree.XPath(
    "descendant::*[self::b or self::strong or self::span or self::em or self::i or self::label"
    " or self::dt or self::th or self::td or self::h2 or self::h3 or self::h4 or self::h5"
    " or self::h6 or self::div or self::small or self::p]"
    f"[string-length(normalize-space(.)) <= {MAX_LABEL_CHARS + 2}]"
    "[string-length(normalize-space(.)) > 0]"
)
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
    targets = label_targets(text)
    if targets is None:
        return None
    if text.endswith((":", "：")):
        return text, targets
    tag = tag_of(element)
    if tag in _HEADINGS and element.find(".//*[@class='mw-headline']") is not None:
        return None  # a wiki section heading
    if tag in _LABEL_TAGS_WITHOUT_COLON or _LABEL_CLASS.search(element.get("class") or ""):
        return text, targets
    return None


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


def _outermost_label(element: HtmlElement) -> HtmlElement:
    """``<h3><span>Director</span></h3>``: the label is the ``h3``."""
    text = collapse(element.text_content())
    parent = element.getparent()
    while parent is not None and collapse(parent.text_content()) == text:
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
        if before or len(cells) != 1 or tag_of(cells[0]) != "td":
            return [], []
        row = parent if parent is not None and tag_of(parent) == "tr" else None
        return lines_of(cells), [row] if row is not None else cells
    if tag in _HEADINGS and not collapse(label.text_content()).endswith((":", "：")):
        # <h3>Director</h3><div>…</div>: a heading labels the one element after it,
        # not the rest of its section.
        following = next((s for s in label.itersiblings() if tag_of(s)), None)
        if (
            following is None
            or tag_of(following) not in _HEADING_VALUE_TAGS
            or _is_label(following)
        ):
            return [], []
        return lines_of([following]), [label, following]
    nodes = list(following_nodes(label, stop=_is_label))
    lines = lines_of(nodes)
    if not lines and parent is not None and len([c for c in parent if tag_of(c)]) == 1:
        # <div><span class="label">Director:</span></div><div>…</div>
        return _value_of(parent)
    units = [parent] if parent is not None else []
    return lines, units


def _leaf_blocks(root: HtmlElement) -> Iterable[HtmlElement]:
    for element in root.iter():
        if tag_of(element) not in _TEXT_LINE_BLOCKS:
            continue
        if any(tag_of(d) in BLOCK_TAGS for d in element.iterdescendants()):
            continue
        yield element


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
    for candidate in _CANDIDATES(root):
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
        if block in holders or block in labels_seen:
            continue
        if not _may_hold_pair(block.text_content(), dash_labels=dash_labels):
            continue
        if off_limits(block):
            continue
        lines = element_lines(block)
        matched: list[Pair] = []
        lines_matched = 0
        for line in lines:
            on_line = _text_pairs(line, dash_labels=dash_labels)
            lines_matched += bool(on_line)
            matched.extend(on_line)
        if not matched:
            continue
        for pair in matched:
            if lines_matched == len(lines):
                pair.units = [block]
            pairs.append((order.get(block, 0), pair))
    pairs.sort(key=lambda entry: entry[0])
    return [pair for _, pair in pairs]


_SEPARATORS = re.compile(r"(?:\s*[·|•])+\s*$")
# Where a label may start inside a line: at its start, after a sentence, after a
# separator: "… and murderous. Director: Derek Jarman · Stars: Tilda Swinton".
_INLINE_LABEL = re.compile(
    r"(?:^|(?<=[.!?»”\"]\s)|(?<=\s[·|•]\s))"
    rf"(?P<label>[^\W\d][^:：.!?·|•]{{0,{MAX_LABEL_CHARS - 2}}}?)\s*[:：]\s"
)


def _may_hold_pair(text: str, *, dash_labels: bool) -> bool:
    """A cheap test before a block is read line by line: most blocks are prose."""
    if ":" in text or "：" in text or _VOTE_HINT.search(text):
        return True
    return dash_labels and ("–" in text or "—" in text or " - " in text)


def _text_pairs(line: Line, *, dash_labels: bool) -> list[Pair]:
    """The pairs on one line; ``Director: Derek Jarman · Stars: Tilda Swinton`` has two."""
    starts = [
        match.start()
        for match in _INLINE_LABEL.finditer(line.text)
        if label_targets(match.group("label")) is not None
    ]
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


def _text_pair(line: Line, *, dash_labels: bool) -> Pair | None:
    if _VOTE_COUNT.match(line.text):
        # "5.214 votos" under a score: a count that needs no label
        return Pair("votes", ("rating_votes",), [line])
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


_CHARACTERS = lxml.etree.XPath(
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' character ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' char ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' character-name ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' role-name ')"
    " or @itemprop='characterName']"
)
_NAME_LINKS = lxml.etree.XPath(
    ".//a[normalize-space()]"
    "[contains(@class, 'name') or @itemprop='name' or .//*[@itemprop='name']]"
)
_LINKS = lxml.etree.XPath(".//a[normalize-space()]")
_CAST_ITEM_LEVELS = 3


@dataclass
class CastItem:
    """One entry of a cast gallery: an actor's link beside the character's name."""

    person: str
    character: str | None
    item: HtmlElement


def find_cast_items(root: HtmlElement, exclude: Iterable[HtmlElement] = ()) -> list[CastItem]:
    """Cast galleries and tables: elements classed ``character`` (``char``) next to a
    link naming the actor, as in ``<td class="nm"><a>Bruce Willis</a></td><td
    class="char">…</td>`` or ``<a class="name">…</a><div class="character">…</div>``."""
    off_limits = OffLimits(root, exclude)
    items: list[CastItem] = []
    seen: set[HtmlElement] = set()
    for character_element in _CHARACTERS(root):
        if off_limits(character_element):
            continue
        inside = set(character_element.iter())
        item: HtmlElement | None = character_element.getparent()
        for _ in range(_CAST_ITEM_LEVELS):
            if item is None:
                break
            links = [link for link in _NAME_LINKS(item) if link not in inside]
            links = links or [link for link in _LINKS(item) if link not in inside]
            if links:
                if item in seen:
                    break
                seen.add(item)
                person = person_name(text_of(links[0]))
                character = text_of(character_element) or None
                if person:
                    items.append(CastItem(person, character, item))
                break
            item = item.getparent()
    return items


def qualifies(pairs: list[Pair], cast_items: int = 0) -> bool:
    """Whether the labels are a film's: film-only labels, and not a listing of films.

    A cast gallery of two or more actors counts as a film label.
    """
    targets = {target for pair in pairs for target in pair.targets if target != IGNORE}
    if cast_items >= 2:
        targets.add("cast")
    film = targets & FILM_TARGETS
    strong = targets & _STRONG_TARGETS
    if not ((strong and len(film) >= 2) or len(strong) >= 2):
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
        box = _common_ancestor(units)
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


def cast_prune_paths(cast: list[CastItem]) -> list[str]:
    """The cast gallery as a whole: a grid of names is not main text."""
    if len(cast) < 2:
        return []
    box = _common_ancestor([entry.item for entry in cast])
    if box is None or tag_of(box) in ("body", "html"):
        return []
    return [xpath_for(box)]


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    chains = [[element, *element.iterancestors()] for element in elements]
    shared = set(chains[0])
    for chain in chains[1:]:
        shared &= set(chain)
    for element in chains[0]:
        if element in shared:
            return element
    return None


def is_article_page(doc: Document) -> bool:
    """News articles and blog posts: their headline is not a film title."""
    og_type = opengraph_properties(doc.structured).get("og:type", [])
    if any(value.strip().lower() in ("article", "blog") for value in og_type):
        return True
    return any(
        schema_types(node) & _ARTICLE_TYPES - {"WebPage"} for node in doc.structured["json-ld"]
    )


_H1 = lxml.etree.XPath("//h1")
_TITLE_TAG = lxml.etree.XPath("//title")


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
    return None
