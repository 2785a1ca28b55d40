"""Find every extractor in ``crawler/extract/families/`` and resolve their overlaps.

A module defines extractors by subclassing :class:`~crawler.extract.extractor.Extractor`
with a ``name``; dropping the module into the package is all it takes: no list to keep
up to date, and no extractor imports another. What extractors declare is resolved here:

* a region an extractor ``claims`` is off limits to every extractor of a later tier;
* an extractor that matches a page keeps the extractors it ``supersedes`` off it;
* comments come from the lowest ``comments_rank`` that found any.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from functools import cache, partial

from lxml.html import HtmlElement

from crawler.extract import families
from crawler.extract.document import Document
from crawler.extract.extractor import Extractor


@cache
def all_extractors() -> tuple[Extractor, ...]:
    """One instance of every extractor, ordered by tier then name (deterministic)."""
    found: dict[str, type[Extractor]] = {}
    for module_info in pkgutil.iter_modules(families.__path__):
        module = importlib.import_module(f"{families.__name__}.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Extractor)
                and value.__module__ == module.__name__
                and value.name
            ):
                if value.name in found and found[value.name] is not value:
                    raise RuntimeError(f"two extractors are named {value.name!r}")
                found[value.name] = value
    known = set(found)
    for cls in found.values():
        unknown = cls.supersedes - known
        if unknown:
            raise RuntimeError(f"{cls.name} supersedes unknown extractors {sorted(unknown)}")
    return tuple(cls() for cls in sorted(found.values(), key=lambda c: (c.tier, c.name)))


def extractor_names() -> list[str]:
    return [extractor.name for extractor in all_extractors()]


@cache
def extractor_tiers() -> dict[str, int]:
    """Each extractor's evidence tier by name (what ``facts.extractor`` records)."""
    return {extractor.name: extractor.tier for extractor in all_extractors()}


@cache
def comments_ranks() -> dict[str, int]:
    return {extractor.name: extractor.comments_rank for extractor in all_extractors()}


def claimed_before(
    extractor: Extractor, doc: Document, extractors: Sequence[Extractor] | None = None
) -> list[HtmlElement]:
    """The regions that extractors of an earlier tier claim on ``doc``."""
    chosen = all_extractors() if extractors is None else extractors
    regions: list[HtmlElement] = []
    for other in chosen:
        if other.tier < extractor.tier:
            regions.extend(doc.memo(f"claims:{other.name}", partial(other.claims, doc)))
    return regions


def superseded_on(
    extractor: Extractor, doc: Document, extractors: Sequence[Extractor] | None = None
) -> bool:
    """Whether an extractor that matches ``doc`` supersedes ``extractor`` there."""
    chosen = all_extractors() if extractors is None else extractors
    return any(
        extractor.name in other.supersedes
        and doc.memo(f"matches:{other.name}", partial(other.matches, doc))
        for other in chosen
    )
