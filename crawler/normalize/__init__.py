"""Pure normalisers: raw text as a page shows it in, canonical value out.

No I/O, no Scrapy; every function is total on ``str`` and idempotent on its own output.
One module per kind of value; :func:`normalise_fact` is the entry point the ``clean``
pipeline uses.

The names below are loaded from their modules on first use (a module ``__getattr__``,
PEP 562): the crawler and the store import single modules (``keys``, ``titles``,
``people``) and must not load the rest with them (``facts`` imports Babel).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.normalize.dates import normalise_date, normalise_year
    from crawler.normalize.durations import normalise_runtime
    from crawler.normalize.facts import (
        content_rating_code,
        normalise_content_rating,
        normalise_country,
        normalise_fact,
        normalise_genre,
        normalise_language,
        split_multi,
    )
    from crawler.normalize.numbers import (
        normalise_admissions,
        normalise_box_office,
        normalise_count,
        parse_number,
    )
    from crawler.normalize.people import clean_person_name, person_key
    from crawler.normalize.ratings import normalise_rating, normalise_votes
    from crawler.normalize.text import clean_inline, clean_text
    from crawler.normalize.titles import clean_title, slugify_title, title_key

# The module each exported name comes from.
_MODULES = {
    "clean_inline": "text",
    "clean_person_name": "people",
    "clean_text": "text",
    "clean_title": "titles",
    "content_rating_code": "facts",
    "normalise_admissions": "numbers",
    "normalise_box_office": "numbers",
    "normalise_content_rating": "facts",
    "normalise_count": "numbers",
    "normalise_country": "facts",
    "normalise_date": "dates",
    "normalise_fact": "facts",
    "normalise_genre": "facts",
    "normalise_language": "facts",
    "normalise_rating": "ratings",
    "normalise_runtime": "durations",
    "normalise_votes": "ratings",
    "normalise_year": "dates",
    "parse_number": "numbers",
    "person_key": "people",
    "slugify_title": "titles",
    "split_multi": "facts",
    "title_key": "titles",
}

__all__ = [
    "clean_inline",
    "clean_person_name",
    "clean_text",
    "clean_title",
    "content_rating_code",
    "normalise_admissions",
    "normalise_box_office",
    "normalise_content_rating",
    "normalise_count",
    "normalise_country",
    "normalise_date",
    "normalise_fact",
    "normalise_genre",
    "normalise_language",
    "normalise_rating",
    "normalise_runtime",
    "normalise_votes",
    "normalise_year",
    "parse_number",
    "person_key",
    "slugify_title",
    "split_multi",
    "title_key",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        # Not an exported name: a submodule not imported yet (``from crawler.normalize
        # import facts`` then imports it) or a mistake.
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
