"""Pure normalisers: raw text as a page shows it in, canonical value out.

No I/O, no Scrapy; every function is total on ``str`` and idempotent on its own output.
One module per kind of value; :func:`normalise_fact` is the entry point the ``clean``
pipeline uses.
"""

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
