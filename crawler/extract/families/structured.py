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

from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_STRUCTURED, Extraction, Extractor
from crawler.extract.shared.film import FilmRecords, comparable, film_title_and_year, people_in
from crawler.extract.shared.labels import CAST, COMPOSER, PRODUCER, label_targets
from crawler.extract.shared.markup import Line, collapse
from crawler.extract.structured_data import opengraph_properties, schema_types

FILM_TYPES: frozenset[str] = frozenset(
    {"Movie", "Film", "TVSeries", "TVSeason", "TVMiniSeries", "MovieSeries", "CreativeWorkSeason"}
)
OPENGRAPH_FILM_TYPES: frozenset[str] = frozenset({"video.movie", "video.tv_show"})
MAX_DEPTH = 5
# "en-US" on a Movie is the page's locale (MyDramaList), not the film's language.
_LOCALE = re.compile(r"^[a-z]{2,3}[-_][A-Za-z]{2,4}$")
_YEAR_ONLY = re.compile(r"^\s*(?:18|19|20)\d{2}\s*$")
_LABELLED = re.compile(r"^(?P<label>[^:\n]{1,40}):\s*(?P<value>\S.*)$", re.DOTALL)


def _as_jsonld(item: Any) -> Any:
    """A microdata item as a JSON-LD-like dict; other values unchanged."""
    if isinstance(item, dict) and "properties" in item and "type" in item:
        node: dict[str, Any] = {"@type": item["type"]}
        for key, value in item["properties"].items():
            node[key] = (
                [_as_jsonld(v) for v in value] if isinstance(value, list) else _as_jsonld(value)
            )
        return node
    return item


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
    roots.extend(_as_jsonld(item) for item in doc.structured.get("microdata", []))
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
            people.extend((name, None) for name in _strings(item.get("name")))
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
        nodes = film_nodes(doc)
        names = {
            comparable(film_title_and_year(name)[0])
            for node in nodes
            for name in _strings(node.get("name"))[:1]
        }
        names.discard("")
        if len(names) > 1:
            return extraction  # several films: a listing, not a film page
        records = FilmRecords(self.name)
        for node in nodes:
            self._read(node, records)
        return records.merge_into(extraction)

    @staticmethod
    def _read(node: dict[str, Any], records: FilmRecords) -> None:
        year_from_name: str | None = None
        for name in _strings(node.get("name"))[:1]:
            title, year_from_name = film_title_and_year(name)
            records.set_title(title)
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

        dates = [
            *_strings(node.get("datePublished")),
            *_strings(node.get("startDate")),  # TVSeries: first aired
            *(
                date
                for event in _values(node.get("releasedEvent"))
                if isinstance(event, dict)
                for date in _strings(event.get("startDate"))
            ),
        ]
        for date in dates:
            records.add_fact("year" if _YEAR_ONLY.match(date) else "release_date", date)
        if year_from_name and not dates:
            records.add_fact("year", year_from_name)

        for field, key in (
            ("runtime_minutes", "duration"),
            ("content_rating", "contentRating"),
        ):
            for value in _strings(node.get(key))[:1]:
                records.add_fact(field, value)
        for field, key in (("genre", "genre"), ("country", "countryOfOrigin")):
            for value in _strings(node.get(key)):
                records.add_fact(field, value)
        for language in _strings(node.get("inLanguage")):
            if not _LOCALE.match(language):
                records.add_fact("language", language)
        for description in _strings(node.get("description")):
            records.add_fact("synopsis", description)

        for rating in _values(node.get("aggregateRating")):
            if not isinstance(rating, dict):
                continue
            score = next(iter(_strings(rating.get("ratingValue"))), None)
            best = next(iter(_strings(rating.get("bestRating"))), None)
            if score:
                records.add_fact("rating", f"{score}/{best}" if best else score)
            votes = next(
                iter(_strings(rating.get("ratingCount")) or _strings(rating.get("reviewCount"))),
                None,
            )
            if votes:
                records.add_fact("rating_votes", votes)


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
        title, year = film_title_and_year(title)
        records = FilmRecords(self.name)
        records.set_title(title)
        if year:
            records.add_fact("year", year)
        return records.merge_into(extraction)
