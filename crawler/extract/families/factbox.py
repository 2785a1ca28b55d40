"""Generic ``label: value`` fact boxes on any page (see :mod:`crawler.extract.shared.pairs`
for the layouts read). Regions that platform extractors claim (a MediaWiki infobox, a
WordPress post, an IMDb title block) are theirs and left alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_FACTBOX, Extraction, Extractor
from crawler.extract.shared.cast import cast_prune_paths, find_cast_items, find_staff_credits
from crawler.extract.shared.film import (
    FilmRecords,
    comparable,
    heading_title_and_year,
    title_note,
)
from crawler.extract.shared.labels import CAST, DUBBING
from crawler.extract.shared.pairs import (
    ORIGIN,
    class_named_pairs,
    declares_a_work,
    find_pairs,
    is_article_page,
    is_product_page,
    origin_line_pairs,
    page_heading_title,
    post_title_and_year,
    prune_paths,
    qualifies,
)


def _names_a_stated_title(heading: str, records: FilmRecords) -> bool:
    """Whether a heading names the film by a title its fact box states (its original
    or another title): then it is the film's heading, whatever the page calls itself."""
    key = comparable(heading)
    return any(
        comparable(title.title) and comparable(title.title) in key for title in records.titles
    )


class FactBoxExtractor(Extractor):
    """``label: value`` fact boxes on any page that is not MediaWiki or WordPress."""

    name = "factbox"
    tier = TIER_FACTBOX

    def matches(self, doc: Document) -> bool:
        return True

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        pairs = find_pairs(doc.tree, exclude=claimed)
        cast = find_cast_items(doc.tree, exclude=claimed)
        records = FilmRecords(self.name)
        if not qualifies(pairs, len(cast), declares_a_work(doc)) or is_product_page(doc):
            # Not a fact box of its own, but its dubbing voices still tell the
            # structured data's "actors" apart from the cast.
            for pair in pairs:
                if DUBBING in pair.targets:
                    records.apply([DUBBING], pair.lines)
            extraction.dubbing = records.dubbing
            return extraction
        pairs += class_named_pairs(doc.tree, exclude=claimed)
        if not any(pair.label == ORIGIN for pair in pairs):
            pairs += origin_line_pairs(doc.tree, exclude=claimed)
        for pair in pairs:
            targets = pair.targets
            if CAST in targets and len(cast) >= 2:
                # The cast list was read item by item, actor beside character; read as
                # lines ("Hyun Bin", "Ri Jung Hyuk Main Role", "Add Cast") it would
                # mix them up, and a "Stars:" line repeats its first names.
                targets = tuple(target for target in targets if target != CAST)
            records.apply(targets, pair.lines, pair.label)
        for entry in cast:
            records.add_credit(CAST, entry.person, entry.character)
        for credit in find_staff_credits(doc.tree, exclude=claimed):
            records.add_person(credit.role, credit.person)
        if records.title is None:
            heading = page_heading_title(doc, claimed)
            if heading and is_article_page(doc) and not _names_a_stated_title(heading, records):
                heading = None  # an article's headline is not a film's title
                posted = post_title_and_year(doc)
                if posted:  # unless it names the film with its year
                    heading = f"{posted[0]} ({posted[1]})"
            if heading:
                title, year = heading_title_and_year(heading)
                records.set_title(title)
                records.add_kind(title_note(heading) or "")
                if year and not ({"year", "release_date"} & records.fields()):
                    records.add_fact("year", year)
        extraction.prune_xpaths = prune_paths(pairs) + cast_prune_paths(cast)
        return records.merge_into(extraction)
