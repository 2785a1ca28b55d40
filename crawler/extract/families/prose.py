"""Facts from the sentence that introduces a film: ``Titanic is a 1997 American epic
romance and disaster film directed by James Cameron`` (Wikipedia leads, aggregator
blurbs) or a bare ``2013 South Korean comedy-drama film`` list item (fan blogs).

Prose is the least precise evidence (``TIER_PROSE``), so the sentence must be about
the page's own film: its subject must be the page's title (its ``h1``, ``og:title``,
``<title>`` or structured name), or the sentence must stand alone as a whole list
item or paragraph. A news article that mentions *another* film in passing yields
nothing. Countries are kept as the page wrote them (``South Korean``); the ``clean``
pipeline maps demonyms to countries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import unquote, urlsplit

import lxml.etree
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_PROSE, Extraction, Extractor
from crawler.extract.shared.film import FilmRecords, comparable, film_title_and_year
from crawler.extract.shared.markup import OffLimits, collapse, text_of
from crawler.extract.shared.sentences import (
    STANDALONE_FILM_SENTENCE,
    alternative_titles,
    film_sentence,
)
from crawler.extract.structured_data import opengraph_properties

_DIRECTED_BY = re.compile(r"\b(?:co-)?directed\b[^.]{0,60}?\bby\s+(?P<after>.+)$", re.DOTALL)
_NAME_WORD = r"(?:(?:[A-Z]\.){1,3}|[A-Z][\w'’-]*)"
_NAME = re.compile(
    rf"^(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|de|van|von|da|del|der|la|le|di)){{0,4}})"
)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")

# Hyphens stand for spaces: "south-korean" matches "South Korean".
# Hyphens stand for spaces: "south-korean" matches "South Korean".
_DEMONYM_WORDS = (
    "american",
    "british",
    "south-korean",
    "north-korean",
    "korean",
    "japanese",
    "chinese",
    "hong-kong",
    "taiwanese",
    "indian",
    "french",
    "german",
    "west-german",
    "east-german",
    "italian",
    "spanish",
    "mexican",
    "canadian",
    "australian",
    "new-zealand",
    "irish",
    "scottish",
    "welsh",
    "russian",
    "soviet",
    "thai",
    "filipino",
    "philippine",
    "indonesian",
    "malaysian",
    "singaporean",
    "vietnamese",
    "brazilian",
    "argentine",
    "argentinian",
    "chilean",
    "colombian",
    "peruvian",
    "cuban",
    "swedish",
    "danish",
    "norwegian",
    "finnish",
    "icelandic",
    "dutch",
    "belgian",
    "swiss",
    "austrian",
    "polish",
    "czech",
    "czechoslovak",
    "slovak",
    "hungarian",
    "romanian",
    "bulgarian",
    "serbian",
    "croatian",
    "yugoslav",
    "greek",
    "turkish",
    "iranian",
    "israeli",
    "egyptian",
    "lebanese",
    "moroccan",
    "nigerian",
    "south-african",
    "pakistani",
    "bangladeshi",
    "sri-lankan",
    "nepali",
    "ukrainian",
    "georgian",
    "portuguese",
    "estonian",
    "latvian",
    "lithuanian",
    "kazakh",
    "mongolian",
    "venezuelan",
    "uruguayan",
    "bolivian",
    "ecuadorian",
    "puerto-rican",
    "emirati",
    "saudi",
    "tunisian",
    "algerian",
    "senegalese",
    "kenyan",
    "ghanaian",
    "ethiopian",
)
DEMONYMS: frozenset[str] = frozenset(word.replace("-", " ") for word in _DEMONYM_WORDS)
_CONJUNCTIONS = frozenset({"and", "&", ","})
# "Titanic (Korean: 타이타닉; RR: Taitanik)": the subject's note names the film in its
# own language and script.
_SUBJECT_NOTES = re.compile(r"\(([^()]*)\)")
_NOTE_PART = re.compile(r"^\s*(?P<label>[A-Za-z][\w .'-]{0,30}?)\s*:\s*(?P<value>\S.*?)\s*$")
_ROMANIZATION_LABELS = frozenset(
    {"rr", "mr", "revised romanization", "romanized", "romanization", "hepburn", "pinyin",
     "jyutping", "romaja", "romaji"}
)  # fmt: skip
LANGUAGE_NAMES: frozenset[str] = frozenset(
    {
        "korean", "japanese", "chinese", "mandarin", "cantonese", "french", "italian",
        "spanish", "german", "russian", "portuguese", "hindi", "tamil", "telugu", "thai",
        "vietnamese", "indonesian", "tagalog", "filipino", "persian", "arabic", "turkish",
        "polish", "czech", "swedish", "danish", "norwegian", "finnish", "dutch", "greek",
        "hebrew", "hungarian", "romanian", "ukrainian", "bengali", "malayalam", "kannada",
        "marathi", "urdu", "punjabi", "malay", "serbian", "croatian", "bulgarian", "catalan",
        "basque", "galician", "icelandic", "estonian", "latvian", "lithuanian", "slovak",
        "slovene", "georgian", "armenian", "mongolian", "kazakh",
    }
)  # fmt: skip
# Paragraphs, list items and text-only divs (templates put a blurb straight into a
# <div class="description">); a div holding blocks is read through its blocks.
_CANDIDATES = lxml.etree.XPath(
    "//body//*[self::p or self::li or (self::div and normalize-space(text())"
    " and not(div|p|ul|ol|table|section|article|dl|h1|h2|h3|h4|form))]"
)
_H1 = lxml.etree.XPath("//h1")
_TITLE = lxml.etree.XPath("//title")
MAX_CANDIDATES = 150


def describe(description: str) -> tuple[list[str], list[str], str]:
    """``"South Korean comedy-drama"`` -> countries ``["South Korean"]``, languages
    ``[]``, genre ``"comedy-drama"``."""
    words = description.replace(",", " , ").split()
    countries: list[str] = []
    languages: list[str] = []
    index = 0
    while index < len(words):
        two = " ".join(words[index : index + 2])
        word = words[index]
        if len(words) > index + 1 and two.lower() in DEMONYMS:
            countries.append(two)
            index += 2
        elif word.lower() in DEMONYMS:
            countries.append(word)
            index += 1
        elif "-" in word and all(part.lower() in DEMONYMS for part in word.split("-")):
            countries.extend(word.split("-"))
            index += 1
        elif word.lower().endswith("-language") and len(word) > len("-language"):
            languages.append(word[: -len("-language")])
            index += 1
        elif word.lower() in _CONJUNCTIONS and (countries or languages):
            index += 1
        else:
            break
    genre = " ".join(words[index:]).strip(" ,")
    return countries, languages, genre


def _director_after(rest: str, links: list[str]) -> str | None:
    match = _DIRECTED_BY.search(rest)
    if match is None:
        return None
    after = match.group("after").lstrip()
    for link in links:
        if after.startswith(link):
            return link
    name = _NAME.match(after)
    return name.group("name").rstrip(".") if name else None


def page_title_keys(doc: Document) -> set[str]:
    """The page's own names for itself, comparable: what a lead sentence's subject must be."""
    names: list[str] = []
    names.extend(collapse(h1.text_content()) for h1 in _H1(doc.tree))
    names.extend(opengraph_properties(doc.structured).get("og:title", []))
    for title in _TITLE(doc.tree):
        text = collapse(title.text_content())
        names.append(text)
        names.extend(re.split(r"\s+[-–—|:·]\s+", text)[:1])
    for node in doc.structured["json-ld"]:
        if isinstance(node.get("name"), str):
            names.append(node["name"])
    keys = {comparable(film_title_and_year(name)[0]) for name in names if name}
    # A blog post titled with a quote lives at /2020/09/miracle-in-cell-no-7/.
    keys.add(url_slug(doc.url))
    return {key for key in keys if key}


def url_slug(url: str) -> str:
    """The last meaningful path segment of a URL, comparable: ``…/miracle-in-cell-no-7/``
    -> ``"miracleincellno7"`` (not ``index.html``, ``amp`` or a page number)."""
    segments = [s for s in unquote(urlsplit(url).path).split("/") if s]
    while segments and re.fullmatch(r"index\.\w+|amp|\d+", segments[-1]):
        segments.pop()
    return comparable(re.sub(r"\.(?:html?|php|aspx?)$", "", segments[-1])) if segments else ""


class FilmSentenceExtractor(Extractor):
    """Year, country, language, genre and director from a film's introducing sentence."""

    name = "film_sentence"
    tier = TIER_PROSE

    def matches(self, doc: Document) -> bool:
        return True

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        records = FilmRecords(self.name)
        titles: set[str] | None = None
        lead: HtmlElement | None = None
        for element, text, links in self._texts(doc):
            standalone = STANDALONE_FILM_SENTENCE.match(text)
            if standalone:
                self._record(records, standalone, "", links)
                lead = element
                break
            sentence = film_sentence(text)
            if sentence is None:
                continue
            if titles is None:
                titles = page_title_keys(doc)
            subject = comparable(_PARENTHESES.sub("", sentence.group("subject")))
            if subject and subject in titles:
                self._record(records, sentence, sentence.group("rest"), links)
                self._subject_titles(records, sentence.group("subject"))
                lead = element
                break
        if lead is not None:
            self._titles_in_passing(doc, lead, records)
        return records.merge_into(extraction)

    @staticmethod
    def _titles_in_passing(doc: Document, lead: HtmlElement, records: FilmRecords) -> None:
        """ "Its early working title was December 23": titles the lead's own text (the lead
        and the paragraphs and items beside it) gives in passing."""
        parent = lead.getparent()
        for element in _CANDIDATES(doc.tree):
            if element is lead or element.getparent() is parent:
                for title in alternative_titles(text_of(element)):
                    records.add_title(title, "alternative")
                    records.add_fact("alt_title", title)

    @staticmethod
    def _texts(doc: Document) -> Iterator[tuple[HtmlElement, str, list[str]]]:
        off_limits = OffLimits(doc.tree)
        count = 0
        for element in _CANDIDATES(doc.tree):
            if off_limits(element):
                continue
            count += 1
            if count > MAX_CANDIDATES:
                return
            lines = doc.lines(element)
            if len(lines) == 1:  # one line: a sentence the block holds alone
                yield element, lines[0].text, lines[0].links

    @staticmethod
    def _subject_titles(records: FilmRecords, subject: str) -> None:
        for note in _SUBJECT_NOTES.findall(subject):
            for part in note.split(";"):
                match = _NOTE_PART.match(part)
                if match is None:
                    continue
                label = match.group("label").strip().lower()
                value = match.group("value").strip(" ,")
                if label in LANGUAGE_NAMES:
                    records.add_title(value, "native")
                    records.add_fact("native_title", value)
                elif label in _ROMANIZATION_LABELS:
                    records.add_title(value, "romanized")
                    records.add_fact("alt_title", value)

    @staticmethod
    def _record(records: FilmRecords, match: re.Match[str], rest: str, links: list[str]) -> None:
        countries, languages, genre = describe(collapse(match.group("desc")))
        records.add_fact("year", match.group("year"))
        records.add_kind(match.groupdict().get("kind") or "")  # "film", "television film"
        for country in countries:
            records.add_fact("country", country)
        for language in languages:
            records.add_fact("language", language)
        if genre:
            records.add_fact("genre", genre)
        director = _director_after(rest, links)
        if director:
            records.add_person("director", director)
