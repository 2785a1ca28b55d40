"""WordPress posts about one film: fact lines, cast bullets and the reviewer's rating.

Film bloggers and magazines write their facts into the post itself:
``Director: Lee Hwan-Kyung`` lines, ``Ryu Seung-ryong as Lee Yong-gu`` bullets, a
``2013 South Korean comedy-drama film`` bullet, ``My Rating – 9.5/10``. A post is
recognised by WordPress markup (generator tag, ``body.single-post``, ``.entry-content``)
and taken for a film post only with evidence: fact lines with film labels, or cast
bullets together with a rating or a film sentence. An ordinary post, or one that
merely mentions films, yields nothing.

The post title is often not the film's (``Thank you for … for being my daughter. –
Lee Yong-gu``), so the film title is chosen from a ``Title:`` line, a heading in the
post that the post's URL slug spells out, or a post title that reads like a film
title once ``Review:`` and ``(2013)`` are taken off.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

import lxml.etree
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_PLATFORM, Extraction, Extractor
from crawler.extract.shared.film import FilmRecords, cast_in, comparable, film_title_and_year
from crawler.extract.shared.labels import CAST, RATING_OR_CERTIFICATE
from crawler.extract.shared.markup import Line, collapse, tag_of, text_of
from crawler.extract.shared.pairs import Pair, find_pairs, prune_paths, qualifies
from crawler.extract.shared.sentences import alternative_titles, is_standalone_film_sentence

_ENTRY_CLASSES = ("entry-content", "post-content", "td-post-content", "post-entry", "entry-body")
_ENTRY_TITLE = lxml.etree.XPath(
    "//*[self::h1 or self::h2][contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' post-title ')]"
)
_WP_ASSETS = lxml.etree.XPath(
    "//link[contains(@href, '/wp-content/') or contains(@href, '/wp-json/')]"
    " | //script[contains(@src, '/wp-content/') or contains(@src, '/wp-includes/')]"
)
_BODY_CLASSES = lxml.etree.XPath("//body/@class")
_LINE_BLOCKS = ("li", "p")
# "Ryu Seung-ryong as Lee Yong-gu", "Kal So-won as Ye-sung (Child)": a name of capitalised
# words, no sentence around it.
_NAME_WORD = r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’.-]*"
_CAST_BULLET = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}\s+as\s+[^.!?,]{{1,60}}$")
_REVIEW_AFFIXES = re.compile(
    r"^\s*\[(?:movie|film|k-?movie|drama)?\s*review\]\s*[:\-–—|]?\s*"
    r"|^\s*(?:movie|film|k-?movie|drama)?\s*review\s*[:\-–—|]\s*|^\s*review\s+of\s+"
    r"|\s*[:\-–—|]\s*(?:movie|film)?\s*review\s*$|\s+review\s*$",
    re.IGNORECASE,
)
# A post title that is a sentence ("Thank you for … for being my daughter. – Lee
# Yong-gu") is not a film title; abbreviations are not sentence ends.
_NOT_A_TITLE = re.compile(r"[…!?]|\.\s|\s[–—]\s|^\W")
_ABBREVIATIONS = re.compile(r"\b(?:No|Nr|Mr|Mrs|Ms|Dr|St|Vol|Pt|Jr|Sr|Ep|Ch)\.", re.IGNORECASE)
_PARENTHESISED = re.compile(r"^(?P<title>.+?)\s*\((?P<inner>[^()]+)\)\s*$")
MAX_TITLE_CHARS = 80
MAX_TITLE_LINES = 15
_YEAR_IN_PARENTHESES = re.compile(r"\(((?:18|19|20)\d{2})\)")
_TITLE_PARTS = re.compile(r"\s+[·|–—:-]\s+")


def _without_people(title: str, people: list[str]) -> str:
    """``"Derek Jarman · The Garden"`` with director Derek Jarman -> ``"The Garden"``."""
    parts = _TITLE_PARTS.split(title)
    names = {comparable(person) for person in people}
    rest = [part for part in parts if comparable(part) not in names]
    return rest[0] if len(parts) > 1 and len(rest) == 1 else title


def is_wordpress(doc: Document) -> bool:
    if "wordpress" in doc.generator:
        return True
    classes = " ".join(str(value) for value in _BODY_CLASSES(doc.tree)).split()
    if "single-post" in classes or any(c.startswith("postid-") for c in classes):
        return True
    return bool(_WP_ASSETS(doc.tree)) and bool(_entries(doc))


def _entries(doc: Document) -> list[HtmlElement]:
    """Elements classed as a post's content, in document order (the class index)."""
    return doc.with_class_or_id(_ENTRY_CLASSES)


def post_content(doc: Document) -> HtmlElement | None:
    """The post's content: exactly one entry; an archive page of many posts has none."""
    return doc.memo("wordpress.post_content", lambda: _post_content(doc))


def _post_content(doc: Document) -> HtmlElement | None:
    if not is_wordpress(doc):
        return None
    found = _entries(doc)
    entries = [entry for entry in found if not _nested_in(entry, found)]
    return entries[0] if len(entries) == 1 else None


def _nested_in(element: HtmlElement, others: list[HtmlElement]) -> bool:
    ancestors = set(element.iterancestors())
    return any(other in ancestors for other in others)


def wordpress_regions(doc: Document) -> list[HtmlElement]:
    content = post_content(doc)
    return [content] if content is not None else []


def _slug(url: str) -> str:
    segments = [s for s in unquote(urlsplit(url).path).split("/") if s]
    while segments and re.fullmatch(r"index\.\w+|amp|\d+", segments[-1]):
        segments.pop()  # /2020/09/slug/index.html, /slug/amp/, /slug/2/
    return comparable(re.sub(r"\.(?:html?|php)$", "", segments[-1])) if segments else ""


class WordPressFilmExtractor(Extractor):
    """Film facts from a WordPress post's fact lines, cast bullets and rating."""

    name = "wordpress"
    tier = TIER_PLATFORM

    def matches(self, doc: Document) -> bool:
        return post_content(doc) is not None

    def claims(self, doc: Document) -> list[HtmlElement]:
        return wordpress_regions(doc)

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        content = post_content(doc)
        if content is None:
            return extraction
        pairs = find_pairs(content, dash_labels=True)
        # Each paragraph and list item read once, for cast bullets and a film sentence.
        block_lines = [doc.lines(block) for block in content.iter(*_LINE_BLOCKS)]
        cast = self._cast_bullets(block_lines)
        sentence = self._film_sentence(block_lines)
        rated = any("rating" in pair.targets for pair in pairs)
        if not (qualifies(pairs) or (len(cast) >= 2 and (rated or sentence))):
            return extraction

        records = FilmRecords(self.name)
        for pair in pairs:
            records.apply(pair.targets, pair.lines, pair.label)
        for line in cast:
            for person, character, raw in cast_in(line):
                records.add_credit(CAST, person, character, raw)
        for lines in block_lines:  # a block's text on one line, as text_of gives it
            for other in alternative_titles(" ".join(line.text for line in lines)):
                records.add_title(other, "alternative")
                records.add_fact("alt_title", other)
        if records.title is None:
            title, native = self._title(doc, content, pairs)
            people = [credit.person for credit in records.credits]
            title = _without_people(title, people) if title else None
            if title:
                records.set_title(title)
                if not {"year", "release_date"} & records.fields():
                    year = self._year_beside(doc, content, title)
                    if year:
                        records.add_fact("year", year)
            if native:
                records.add_title(native, "native")
        # The reviewer's own verdict ("My Rating – 9.5/10") is part of the review's text.
        keep = ("synopsis", "trivia", "rating", "rating_votes", RATING_OR_CERTIFICATE)
        extraction.prune_xpaths = prune_paths(pairs, keep=keep, within=content)
        return records.merge_into(extraction)

    @staticmethod
    def _cast_bullets(block_lines: list[list[Line]]) -> list[Line]:
        return [line for lines in block_lines for line in lines if _CAST_BULLET.match(line.text)]

    @staticmethod
    def _film_sentence(block_lines: list[list[Line]]) -> bool:
        return any(
            len(lines) == 1 and is_standalone_film_sentence(lines[0].text) for lines in block_lines
        )

    def _title(
        self, doc: Document, content: HtmlElement, pairs: list[Pair]
    ) -> tuple[str | None, str | None]:
        """The film's title and, from ``Title (원제)`` post titles, its native title."""
        slug = _slug(doc.url)
        headings = [
            text_of(heading)
            for heading in content.iter("h1", "h2", "h3", "h4")
            if tag_of(heading) and text_of(heading)
        ][:5]
        post_titles = [text_of(h) for h in _ENTRY_TITLE(doc.tree) if text_of(h)]
        for candidate in headings + post_titles:
            # "Miracle in Cell No. 7 (2019) Review" names the film without its affixes.
            title, _ = film_title_and_year(_REVIEW_AFFIXES.sub("", collapse(candidate)).strip())
            key = comparable(title)
            if key and slug and (key == slug or slug.startswith(key) or key.startswith(slug)):
                return self._split_native(title)
        for candidate in post_titles:
            title = _REVIEW_AFFIXES.sub("", collapse(candidate)).strip()
            title, _ = film_title_and_year(title)
            sentence = _NOT_A_TITLE.search(_ABBREVIATIONS.sub("", title))
            if title and len(title) <= MAX_TITLE_CHARS and not sentence:
                return self._split_native(title)
        return None, None

    @staticmethod
    def _year_beside(doc: Document, content: HtmlElement, title: str) -> str | None:
        """``The Garden · Derek Jarman (1990)``: a line that starts with the title and
        gives a year in parentheses."""
        key = comparable(title)
        for count, block in enumerate(content.iter(*_LINE_BLOCKS, "h2", "h3", "h4")):
            if count >= MAX_TITLE_LINES:
                break
            for line in doc.lines(block):
                year = _YEAR_IN_PARENTHESES.search(line.text)
                if year and comparable(line.text).startswith(key):
                    return year.group(1)
        return None

    @staticmethod
    def _split_native(title: str) -> tuple[str, str | None]:
        """``"Miracle in Cell No. 7 (7번방의 선물)"``: the parenthesis in another script is
        the native title."""
        match = _PARENTHESISED.match(title)
        if match and not any(ch.isascii() and ch.isalpha() for ch in match.group("inner")):
            return match.group("title"), match.group("inner")
        return title, None
