"""Small helpers for the extractor unit tests."""

from __future__ import annotations

from crawler.extract.document import Document
from crawler.extract.extractor import Extraction, Extractor
from crawler.extract.registry import claimed_before, superseded_on


def run(extractor: Extractor, html: str, url: str = "https://example.org/film/") -> Extraction:
    """Run one extractor the way ``extract_document`` does; an empty Extraction when it
    does not recognise the page."""
    doc = Document(url, html)
    if superseded_on(extractor, doc) or not extractor.matches(doc):
        return extractor.new_extraction()
    return extractor.extract(doc, claimed_before(extractor, doc))


def facts(extraction: Extraction) -> set[tuple[str, str]]:
    return {(fact.field, fact.raw) for fact in extraction.facts}


def titles(extraction: Extraction) -> set[tuple[str, str]]:
    return {(title.kind, title.title) for title in extraction.titles}


def credits(extraction: Extraction) -> set[tuple[str, str, str | None]]:
    return {(credit.role, credit.person, credit.character) for credit in extraction.credits}
