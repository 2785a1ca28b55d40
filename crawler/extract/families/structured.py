"""schema.org ``Movie`` / ``TVSeries`` in JSON-LD or microdata, and OpenGraph
``video.movie`` pages: what a site meant to publish about its film.

The nodes come from :attr:`Document.structured` (extruct, tolerant of malformed
JSON-LD). Film nodes are found at the top level and inside other nodes (a
``Review``'s ``itemReviewed``, a ``WebPage``'s ``mainEntity``). A page whose film
nodes name several different films (a list, a filmography, "related movies") is not
about one film and yields nothing.

Microdata items are read through the same code as JSON-LD by turning
``{"type": ..., "properties": {...}}`` into ``{"@type": ..., ...}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urljoin

import lxml.etree
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_STRUCTURED, Extraction, Extractor
from crawler.extract.shared.film import (
    FilmRecords,
    comparable,
    film_title_and_year,
    people_in,
    title_note,
)
from crawler.extract.shared.labels import CAST, COMPOSER, PRODUCER, label_targets
from crawler.extract.shared.markup import Line, collapse
from crawler.extract.structured_data import opengraph_properties, schema_types

# The works a page can be about, from the most specific: an episode page names its
# series (``partOfSeries``), a season page lists its episodes, and the page is about the
# one work at the most specific level that names only one.
_WORK_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"TVEpisode", "Episode", "RadioEpisode"}),
    frozenset({"TVSeason", "CreativeWorkSeason"}),
    frozenset({"Movie", "Film", "TVSeries", "TVMiniSeries", "MovieSeries", "RadioSeries"}),
)
FILM_TYPES: frozenset[str] = frozenset().union(*_WORK_LEVELS)
OPENGRAPH_FILM_TYPES: frozenset[str] = frozenset({"video.movie", "video.tv_show"})
MAX_DEPTH = 5
# "en-US" on a Movie is the page's locale (MyDramaList), not the film's language.
_LOCALE = re.compile(r"^[a-z]{2,3}[-_][A-Za-z]{2,4}$")
_YEAR_ONLY = re.compile(r"^\s*(?:18|19|20)\d{2}\s*$")
# "2010", "2010-07-08": the year a work was made; "2021-03-04T10:22:00Z" is a record's.
_MADE_IN = re.compile(r"^\s*((?:18|19|20)\d{2})(?:-\d{2}(?:-\d{2})?)?\s*$")
_LABELLED = re.compile(r"^(?P<label>[^:\n]{1,40}):\s*(?P<value>\S.*)$", re.DOTALL)


def _as_jsonld(item: Any, link_texts: dict[str, str] | None = None) -> Any:
    """A microdata item as a JSON-LD-like dict; other values unchanged.

    A microdata property on a link has the link's URL for its value
    (``<a itemprop="director" href="/name/1">Ana Ruiz</a>``); where the link's text is
    known (``link_texts``), a person is named by that text instead.
    """
    if isinstance(item, dict) and "properties" in item and "type" in item:
        node: dict[str, Any] = {"@type": item["type"]}
        for key, value in item["properties"].items():
            named = link_texts if key in _PEOPLE_KEYS else None
            node[key] = (
                [_as_jsonld(v, named) for v in value]
                if isinstance(value, list)
                else _as_jsonld(value, named)
            )
        return node
    if isinstance(item, str) and link_texts is not None and _URL.match(item):
        return link_texts.get(item, "")
    return item


_PEOPLE_KEYS = frozenset(
    {"director", "directors", "actor", "actors", "author", "creator", "producer", "musicBy"}
)
_URL = re.compile(r"^(?:https?:)?//|^/")
_LINKS_WITH_PROPERTIES = lxml.etree.XPath("//a[@itemprop][@href]")


def _microdata_link_texts(doc: Document) -> dict[str, str]:
    texts: dict[str, str] = {}
    for link in _LINKS_WITH_PROPERTIES(doc.tree):
        text = collapse(link.text_content())
        if text:
            href = str(link.get("href")).strip()
            texts.setdefault(href, text)
            texts.setdefault(urljoin(doc.url, href), text)
    return texts


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _strings(value: Any) -> list[str]:
    """Text values of a property: strings, numbers, or the ``name`` of nested nodes."""
    found: list[str] = []
    for item in _values(value):
        if isinstance(item, dict):
            found.extend(_strings(item.get("name")))
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            text = collapse(str(item))
            labelled = _LABELLED.match(text)
            # extruct sometimes folds a visible label into the value: "Genres: Romance"
            if labelled and label_targets(labelled.group("label")) is not None:
                text = collapse(labelled.group("value"))
            if text:
                found.append(text)
    return found


def film_nodes(doc: Document) -> list[dict[str, Any]]:
    """Every schema.org film node on the page, wherever it is nested."""
    nodes: list[dict[str, Any]] = []
    roots = list(doc.structured.get("json-ld", []))
    microdata = doc.structured.get("microdata", [])
    if microdata:
        link_texts = _microdata_link_texts(doc)
        roots.extend(_as_jsonld(item, link_texts) for item in microdata)
    for root in roots:
        nodes.extend(_find_films(root, 0))
    return nodes


def _find_films(node: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from _find_films(item, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if schema_types(node) & FILM_TYPES:
        yield node
        return
    for key, value in node.items():
        if key not in ("@context", "@id"):
            yield from _find_films(value, depth + 1)


def _add_score(rating: dict[str, Any], records: FilmRecords) -> None:
    """A Rating or AggregateRating's value, on its scale when it gives one (``4/5``)."""
    score = next(iter(_strings(rating.get("ratingValue"))), None)
    best = next(iter(_strings(rating.get("bestRating"))), None)
    if score:
        records.add_fact("rating", f"{score}/{best}" if best else score)


def _review_nodes(node: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Review nodes at the top of the page's JSON-LD or in its ``@graph``."""
    if depth > 2:
        return
    if isinstance(node, list):
        for item in node:
            yield from _review_nodes(item, depth + 1)
    elif isinstance(node, dict):
        if "Review" in schema_types(node):
            yield node
        yield from _review_nodes(node.get("@graph"), depth + 1)


def _name_key(node: dict[str, Any]) -> str:
    names = _strings(node.get("name"))
    return comparable(film_title_and_year(names[0])[0]) if names else ""


def page_subject(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The nodes describing the page's one work: at the most specific level (episode,
    season, then film or series) that names exactly one work, the nodes of that name.
    Nothing when the page names several works at its level: a listing."""
    for level in _WORK_LEVELS:
        at_level = [node for node in nodes if schema_types(node) & level]
        names = {_name_key(node) for node in at_level} - {""}
        if len(names) == 1:
            name = names.pop()
            return [node for node in at_level if _name_key(node) in (name, "")]
        if len(names) > 1 and level is _WORK_LEVELS[-1]:
            return []
        if not names and at_level:
            return at_level
    return []


def _people(value: Any) -> list[tuple[str, str | None]]:
    """``(name, character)`` from Person nodes, PerformanceRoles and plain strings."""
    people: list[tuple[str, str | None]] = []
    for item in _values(value):
        if isinstance(item, dict):
            types = schema_types(item)
            if "Organization" in types:
                continue
            if "PerformanceRole" in types or "Role" in types:
                character = next(iter(_strings(item.get("characterName"))), None)
                for name, _ in _people(item.get("actor") or item.get("actors")):
                    people.append((name, character))
                continue
            # Some sites put the character on the Person itself.
            character = next(
                iter(_strings(item.get("characterName")) or _strings(item.get("character"))),
                None,
            )
            people.extend((name, character) for name in _strings(item.get("name")))
        else:
            for text in _strings(item):
                people.extend((person, None) for person, _ in people_in(Line(text)))
    return people


class SchemaMovieExtractor(Extractor):
    """schema.org Movie / TVSeries nodes in JSON-LD and microdata."""

    name = "schema_movie"
    tier = TIER_STRUCTURED
    supersedes = frozenset({"opengraph_movie"})

    def matches(self, doc: Document) -> bool:
        return bool(film_nodes(doc))

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        nodes = page_subject(film_nodes(doc))
        if not nodes:
            return extraction  # several films: a listing, not a film page
        records = FilmRecords(self.name)
        for node in nodes:
            self._read(node, records)
        if "rating" not in records.fields():
            # A critic's review page: the one Review of the film rates it for the site.
            reviews = [
                review
                for review in _review_nodes(doc.structured.get("json-ld", []), 0)
                if any(
                    item is node for item in _values(review.get("itemReviewed")) for node in nodes
                )
            ]
            if len(reviews) == 1:
                rating = reviews[0].get("reviewRating")
                if isinstance(rating, dict):
                    _add_score(rating, records)
        return records.merge_into(extraction)

    @staticmethod
    def _read(node: dict[str, Any], records: FilmRecords) -> None:
        for kind in sorted(schema_types(node) & FILM_TYPES):
            records.add_kind(kind)
        year_from_name: str | None = None
        for name in _strings(node.get("name"))[:1]:
            title, year_from_name = film_title_and_year(name)
            records.set_title(title)
            records.add_kind(title_note(name) or "")
        for key in ("alternateName", "alternativeHeadline"):
            for title in _strings(node.get(key)):
                records.add_title(title, "alternative")
                records.add_fact("alt_title", title)

        for role, keys in (
            ("director", ("director", "directors")),
            ("writer", ("author", "creator")),
            (PRODUCER, ("producer",)),
            (COMPOSER, ("musicBy", "composer")),
        ):
            for key in keys:
                for person, _ in _people(node.get(key)):
                    records.add_person(role, person)
        for key in ("actor", "actors"):
            for person, character in _people(node.get(key)):
                records.add_credit(CAST, person, character)

        # When the work came out: published (for a series: first aired) or released;
        # failing those, the year it was made (dateCreated, copyrightYear), which gives
        # a year only and never when it has a time of day (then it dates the record).
        dates: list[str] = []
        for key in ("datePublished", "startDate", "releasedEvent"):
            for value in _values(node.get(key)):
                found = (
                    _strings(value.get("startDate") or value.get("datePublished"))
                    if isinstance(value, dict)
                    else _strings(value)
                )
                dates.extend(date for date in found if date not in dates)
            if dates:
                break
        for date in dates:
            records.add_fact("year" if _YEAR_ONLY.match(date) else "release_date", date)
        if not dates:
            made = [
                match.group(1)
                for key in ("dateCreated", "copyrightYear")
                for value in _strings(node.get(key))
                if (match := _MADE_IN.match(value))
            ]
            for year in made[:1] or ([year_from_name] if year_from_name else []):
                records.add_fact("year", year)

        for field, key in (
            ("runtime_minutes", "duration"),
            ("runtime_minutes", "timeRequired"),
            ("content_rating", "contentRating"),
            ("content_rating", "typicalAgeRange"),
        ):
            if field in records.fields():
                continue
            for value in _strings(node.get(key))[:1]:
                records.add_fact(field, value)
        for field, key in (
            ("genre", "genre"),
            ("country", "countryOfOrigin"),
            ("country", "locationCreated"),
        ):
            for value in _strings(node.get(key)):
                records.add_fact(field, value)
        for language in _strings(node.get("inLanguage")) + _language_names(node):
            if not _LOCALE.match(language):
                records.add_fact("language", language)
        for key in ("numberOfEpisodes", "numberOfSeasons"):
            for count in _strings(node.get(key))[:1]:
                if count.isdigit() and int(count) > 1:
                    records.add_kind("TVSeries")
        for description in _strings(node.get("description")):
            records.add_fact("synopsis", description)

        for rating in _values(node.get("aggregateRating")):
            if not isinstance(rating, dict):
                continue
            _add_score(rating, records)
            votes = next(
                iter(_strings(rating.get("ratingCount")) or _strings(rating.get("reviewCount"))),
                None,
            )
            if votes:
                records.add_fact("rating_votes", votes)


def _language_names(node: dict[str, Any]) -> list[str]:
    """``inLanguage`` given as a Language node: ``{"@type": "Language", "name": "Korean"}``."""
    return [
        name
        for value in _values(node.get("inLanguage"))
        if isinstance(value, dict)
        for name in _strings(value.get("alternateName") or value.get("name"))[:1]
    ]


class OpenGraphMovieExtractor(Extractor):
    """The title of an OpenGraph ``video.movie`` / ``video.tv_show`` page without schema.org."""

    name = "opengraph_movie"
    tier = TIER_STRUCTURED

    def matches(self, doc: Document) -> bool:
        og = opengraph_properties(doc.structured)
        types = {value.strip().lower() for value in og.get("og:type", [])}
        return bool(types & OPENGRAPH_FILM_TYPES)

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        og = opengraph_properties(doc.structured)
        titles = [collapse(value) for value in og.get("og:title", []) if value.strip()]
        if not titles:
            return extraction
        title = titles[0]
        site_names = [collapse(value) for value in og.get("og:site_name", [])]
        for site in site_names:
            for separator in (" - ", " | ", " – ", " — ", " :: "):
                if site and title.endswith(f"{separator}{site}"):
                    title = title[: -len(separator + site)]
        records = FilmRecords(self.name)
        records.add_kind(title_note(title) or "")
        title, year = film_title_and_year(title)
        records.set_title(title)
        if year:
            records.add_fact("year", year)
        return records.merge_into(extraction)
