"""MediaWiki film pages: Wikipedia-style infoboxes and AsianWiki-style profiles.

A MediaWiki page is recognised by its generator tag or its ``#mw-content-text``
(mirrors and archive copies drop the former, rarely the latter); an infobox table
is read wherever it appears. From a film page this extractor reads

- the title: ``h1#firstHeading`` without its disambiguation (``Titanic (1997 film)``);
- the infobox (``Directed by``, ``Starring``, ``Release date`` …) and profile lines
  (``Director:``, ``Hangul:`` …) with the shared label vocabulary;
- the *Cast* section: ``Actor as Character`` lists (Wikipedia) and photo galleries of
  actor and character (AsianWiki);
- *Notes* / *Trivia* lists as trivia, one fact per note;
- a user-rating widget (``Current user rating: 96/100 (1445 votes)``).

A page is taken for a film only when its infobox or profile has film labels or its
Cast section names people; a MediaWiki article about a person or a topic yields
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import lxml.etree
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_PLATFORM, Extraction, Extractor
from crawler.extract.shared.cast import gallery_cast, read_item
from crawler.extract.shared.film import FilmRecords, cast_in, film_title_and_year, title_note
from crawler.extract.shared.labels import CAST
from crawler.extract.shared.markup import (
    Line,
    collapse,
    default_skip,
    element_lines,
    has_class,
    tag_of,
    text_of,
    xpath_for,
)
from crawler.extract.shared.pairs import Pair, find_pairs, prune_paths, qualifies
from crawler.extract.shared.sentences import alternative_titles
from crawler.extract.shared.xpath_marks import may_find

_CONTENT = lxml.etree.XPath("//*[@id='mw-content-text']")
_FIRST_HEADING = lxml.etree.XPath("//*[@id='firstHeading']")
# Boxes inside an article that are not about its subject: navigation boxes of related
# articles (a "Music" row listing songs), maintenance notices, references.
_NOT_ABOUT_THE_FILM = lxml.etree.XPath(
    ".//*["
    + " or ".join(
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
        for name in (
            "navbox", "vertical-navbox", "sidebar", "metadata", "ambox", "reflist",
            "references", "sistersitebox", "hatnote", "toc", "thumb",
        )
    )
    + "]"
)  # fmt: skip
_INFOBOXES = lxml.etree.XPath(
    "//table[contains(concat(' ', normalize-space(@class), ' '), ' infobox ')]"
)
_INFOBOX_TITLE = lxml.etree.XPath(
    "(.//caption | .//th[contains(concat(' ', normalize-space(@class), ' '), ' summary ')])[1]"
)
_HEADLINES = lxml.etree.XPath(
    ".//*[self::h2 or self::h3][.//*[contains(concat(' ', normalize-space(@class), ' '),"
    " ' mw-headline ')] or not(.//*)]"
)
_PERSON_LINKS = lxml.etree.XPath(
    ".//a[normalize-space()][not(contains(concat(' ', normalize-space(@class), ' '), ' image '))]"
    "[not(contains(concat(' ', normalize-space(@class), ' '), ' new '))]"
    "[not(contains(@href, 'File:'))][not(contains(@href, 'Special:'))]"
)
_CAST_HEADINGS = re.compile(
    r"^(?:main |voice |principal |the |supporting |additional |guest |full |original )?"
    r"cast(?: members| list| and characters| & characters| and crew| & crew)?:?$|^casting$|"
    r"^starring$|^(?:キャスト|出演者?|演员表?|演員表?|出演陣|출연진?|캐스트|в ролях|актёры|актеры|"
    r"reparto|elenco|distribution|besetzung|darsteller|obsada|obsazení|hrají|oyuncular|"
    r"interpreti|cast principale)$",
    re.I,
)
_GALLERIES = lxml.etree.XPath(
    "descendant-or-self::table[not(ancestor::table)]"
    " | descendant-or-self::*[contains(concat(' ', normalize-space(@class), ' '), ' gallery ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' wikia-gallery ')]"
)


_ACTOR_THEN_ROLE = re.compile(r"^[^:]{2,60}?\s(?:-|–|—|\.\.\.|…)\s\S")


def _galleries(element: HtmlElement) -> list[HtmlElement]:
    found = list(_GALLERIES(element))
    return [g for g in found if not any(a in found for a in g.iterancestors())]


_TRIVIA_HEADINGS = re.compile(r"^(?:notes|trivia|production notes|trivia and notes)$", re.I)
# The article is #mw-content-text; what the skin puts around it is interface: "[edit]"
# links, "From AsianWiki", category links, and whatever follows the article
# (share buttons, news widgets).
CHROME_XPATHS: tuple[str, ...] = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' mw-editsection ')]",
    "//*[@id='siteSub' or @id='contentSub' or @id='jump-to-nav' or @id='catlinks']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' mw-jump-link ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' printfooter ')]",
    "(//*[@id='mw-content-text'])[1]/following-sibling::*",
)
_RATING_WIDGET = re.compile(r"rating|rb-area|w4g", re.I)


def _mediawiki_skip(element: HtmlElement) -> bool:
    return default_skip(element) or has_class(element, "mw-editsection", "reference", "noprint")


def is_mediawiki(doc: Document) -> bool:
    return doc.generator.startswith("mediawiki") or (
        may_find(doc, _CONTENT) and bool(_CONTENT(doc.tree))
    )


def mediawiki_regions(doc: Document) -> list[HtmlElement]:
    """What this extractor reads: the article content on MediaWiki pages, and any infobox."""
    return doc.memo("mediawiki.regions", lambda: _mediawiki_regions(doc))


def _mediawiki_regions(doc: Document) -> list[HtmlElement]:
    regions: list[HtmlElement] = list(_INFOBOXES(doc.tree)) if may_find(doc, _INFOBOXES) else []
    if is_mediawiki(doc):
        regions.extend(_CONTENT(doc.tree))
    return regions


def _section_after(heading: HtmlElement) -> list[HtmlElement]:
    """The elements after a section heading, up to the next heading of its level or above.

    MediaWiki 1.43 wraps a heading and its edit link in ``div.mw-heading``; the section
    follows the wrapper then.
    """
    level = tag_of(heading)
    stops = {"h2"} if level == "h2" else {"h2", "h3"}
    parent = heading.getparent()
    anchor = parent if parent is not None and has_class(parent, "mw-heading") else heading
    body: list[HtmlElement] = []
    for sibling in anchor.itersiblings():
        if tag_of(sibling) in stops or _heading_wrapper_level(sibling) in stops:
            break
        if tag_of(sibling):
            body.append(sibling)
    return body


def _heading_wrapper_level(element: HtmlElement) -> str:
    if not has_class(element, "mw-heading"):
        return ""
    heading = next((child for child in element if tag_of(child) in ("h2", "h3", "h4")), None)
    return tag_of(heading) if heading is not None else ""


class MediaWikiFilmExtractor(Extractor):
    """Film facts from MediaWiki articles (Wikipedia, AsianWiki, fan wikis)."""

    name = "mediawiki"
    tier = TIER_PLATFORM

    def matches(self, doc: Document) -> bool:
        return bool(mediawiki_regions(doc))

    def claims(self, doc: Document) -> list[HtmlElement]:
        return mediawiki_regions(doc)

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        if is_mediawiki(doc):
            extraction.prune_xpaths = list(CHROME_XPATHS)
        records = FilmRecords(self.name)
        infoboxes = list(_INFOBOXES(doc.tree))
        contents = _CONTENT(doc.tree) if is_mediawiki(doc) else []
        content: HtmlElement | None = contents[0] if contents else None

        infobox_pairs: list[Pair] = []
        for infobox in infoboxes:
            infobox_pairs.extend(find_pairs(infobox))
        profile_pairs = (
            find_pairs(
                content,
                exclude=[
                    *infoboxes,
                    *self._sections(content, _CAST_HEADINGS),
                    *_NOT_ABOUT_THE_FILM(content),
                ],
            )
            if content is not None
            else []
        )
        cast, galleries = self._cast(content) if content is not None else ([], [])
        if not (qualifies(infobox_pairs + profile_pairs) or len(cast) >= 2):
            return extraction

        rated = any({"rating", "rating_votes"} & set(p.targets) for p in profile_pairs)
        elsewhere = [] if rated or content is None else self._rating_elsewhere(doc, content)
        for pair in infobox_pairs + profile_pairs + elsewhere:
            records.apply(pair.targets, pair.lines, pair.label)
        for person, character, raw in cast:
            records.add_credit(CAST, person, character, raw)
        if content is not None:
            for note in self._trivia(content):
                records.add_fact("trivia", note)
                # 'Early working title was "12 Wol 23 Il"': a title given in passing
                for other in alternative_titles(note):
                    records.add_title(other, "alternative")
                    records.add_fact("alt_title", other)

        title, disambiguation = self._title(doc, infoboxes)
        if title:
            records.title = None  # the heading names the article; labels may name it too
            records.set_title(title)
            records.add_kind(disambiguation or "")

        prune = prune_paths(profile_pairs)
        prune.extend(xpath_for(box) for box in infoboxes if find_pairs(box))
        prune.extend(xpath_for(gallery) for gallery in galleries)
        prune.extend(self._rating_widgets(profile_pairs + elsewhere))
        extraction.prune_xpaths = list(dict.fromkeys(extraction.prune_xpaths + prune))
        return records.merge_into(extraction)

    @staticmethod
    def _title(doc: Document, infoboxes: list[HtmlElement]) -> tuple[str | None, str | None]:
        """The article's title and its disambiguation ("1997 film", "TV series")."""
        for heading in _FIRST_HEADING(doc.tree):
            text = text_of(heading, _mediawiki_skip)
            if text:
                if "(" not in text:
                    return text, None
                return film_title_and_year(text)[0], title_note(text)
        for infobox in infoboxes:
            for caption in _INFOBOX_TITLE(infobox):
                text = text_of(caption, _mediawiki_skip)
                if text:
                    return text, None
        return None, None

    @staticmethod
    def _sections(content: HtmlElement, names: re.Pattern[str]) -> list[HtmlElement]:
        found: list[HtmlElement] = []
        for heading in _HEADLINES(content):
            if names.match(text_of(heading, _mediawiki_skip)):
                found.extend(_section_after(heading))
        return found

    def _cast(
        self, content: HtmlElement
    ) -> tuple[list[tuple[str, str | None, str]], list[HtmlElement]]:
        """``(person, character, raw)`` from the Cast section, and its photo galleries."""
        cast: list[tuple[str, str | None, str]] = []
        galleries: list[HtmlElement] = []
        for element in self._sections(content, _CAST_HEADINGS):
            for gallery in _galleries(element):
                entries = gallery_cast(gallery)
                if entries:
                    galleries.append(gallery)
                    cast.extend((e.person, e.character, e.person) for e in entries)
            for item in element.iter("li"):
                if any(gallery in item.iterancestors() for gallery in galleries):
                    continue
                lines = element_lines(item, _mediawiki_skip)
                if not lines:
                    continue
                line = lines[0]
                if self._only_link(line) or " as " in f" {line.text} ":
                    cast.extend(entry for entry in cast_in(line) if entry[0])
                elif line.links and _ACTOR_THEN_ROLE.match(line.text):
                    # "[[Kim Ki-Cheon]] - Old man Seo", "[[Actor]] ... Character"
                    entry = read_item(item)
                    if entry is not None:
                        cast.append((entry.person, entry.character, line.text))
        return cast, galleries

    @staticmethod
    def _only_link(line: Line) -> bool:
        return len(line.links) == 1 and collapse(line.links[0]) == line.text

    def _trivia(self, content: HtmlElement) -> list[str]:
        notes: list[str] = []
        for element in self._sections(content, _TRIVIA_HEADINGS):
            if tag_of(element) not in ("ol", "ul") or has_class(element, "references"):
                continue
            for item in element.iterchildren("li"):
                text = text_of(item, _mediawiki_skip)
                if text:
                    notes.append(text)
        return notes

    @staticmethod
    def _rating_elsewhere(doc: Document, content: HtmlElement) -> list[Pair]:
        """The page's user-rating widget when the skin puts it beside the article (a
        side rail): "Current user rating: 96/100 (1445 votes)"."""
        return [
            pair
            for pair in find_pairs(doc.tree, exclude=[content])
            if set(pair.targets) <= {"rating", "rating_votes"}
        ]

    @staticmethod
    def _rating_widgets(pairs: list[Pair]) -> list[str]:
        paths: list[str] = []
        for pair in pairs:
            if "rating" not in pair.targets:
                continue
            for unit in pair.units:
                # The outermost rating element below the article: the whole widget.
                widget = unit
                for ancestor in [unit, *unit.iterancestors()]:
                    if ancestor.get("id") == "mw-content-text":
                        break
                    marker = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
                    if _RATING_WIDGET.search(marker):
                        widget = ancestor
                paths.append(xpath_for(widget))
        return paths
