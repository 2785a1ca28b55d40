"""IMDb's legacy title pages (2008-2016 "classic" and "combined" layouts).

Their facts are ordinary ``<h5>Label:</h5>`` boxes that :mod:`~crawler.extract.families.factbox`
reads; what markup alone cannot tell is the title. The ``#tn15title`` heading mixes
the title with the year link, an IMDbPro advert and a TV note, and the classic layout
sorts titles by moving the article to the end (``Buono, il brutto, il cattivo., Il``),
which this module undoes. Review subpages name their film in ``a.main``. Recognised
by the ``#tn15title`` block, so mirrors and archive copies are handled too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import lxml.etree
from lxml.html import HtmlElement

from crawler.extract.document import Document
from crawler.extract.extractor import TIER_PLATFORM, Extraction, Extractor
from crawler.extract.shared.film import FilmRecords
from crawler.extract.shared.markup import collapse
from crawler.extract.shared.xpath_marks import may_find

_TITLE_BLOCK = lxml.etree.XPath("//*[@id='tn15title']")
_HEADING = lxml.etree.XPath(".//h1")
_MAIN_LINK = lxml.etree.XPath(".//a[contains(concat(' ', normalize-space(@class), ' '), ' main ')]")
_YEAR_LINK = lxml.etree.XPath(
    ".//a[contains(@href, '/year/') or contains(@href, '/Sections/Years/')]"
)
_ORIGINAL_TITLE = lxml.etree.XPath(
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' title-extra ')]"
    "[.//i[contains(., 'original title')]]"
)
# Articles IMDb moves behind the title for sorting, in the languages it does this for.
_SORTED_ARTICLE = re.compile(
    r"^(?P<rest>.+),\s(?P<article>The|A|An|Il|La|Le|Les|L'|Lo|Gli|I|El|Los|Las|Der|Die|Das"
    r"|Den|Det|De|Het|Een|O|Os|As|Un|Una|Uno|Ein|Eine)$"
)
_YEAR = re.compile(r"(?:18|19|20)\d{2}")


# IMDb's own notation: a series' title in quotes, "(TV)" a TV film, "(V)" a video.
_TV_FILM = re.compile(r"\(TV\)")
_VIDEO = re.compile(r"\(V\)")
_GAME = re.compile(r"\(VG\)")


def _legacy_kind(title: str, heading: str) -> str:
    if _GAME.search(heading):
        return ""
    if title.startswith(('"', "“")):
        return "TV Series"
    if _TV_FILM.search(heading):
        return "TV Movie"
    return "Video" if _VIDEO.search(heading) else "Movie"


def title_block(doc: Document) -> HtmlElement | None:
    blocks = _TITLE_BLOCK(doc.tree) if may_find(doc, _TITLE_BLOCK) else []
    return blocks[0] if blocks else None


def unsort_title(title: str) -> str:
    """``"Buono, il brutto, il cattivo., Il"`` -> ``"Il Buono, il brutto, il cattivo."``."""
    match = _SORTED_ARTICLE.match(title)
    if not match:
        return title
    article = match.group("article")
    joiner = "" if article.endswith("'") else " "
    return f"{article}{joiner}{match.group('rest')}"


class ImdbLegacyExtractor(Extractor):
    """Title, year and original title from IMDb's legacy ``#tn15title`` heading."""

    name = "imdb_legacy"
    tier = TIER_PLATFORM

    def matches(self, doc: Document) -> bool:
        return title_block(doc) is not None

    def claims(self, doc: Document) -> list[HtmlElement]:
        block = title_block(doc)
        return [block] if block is not None else []

    def extract(self, doc: Document, claimed: Sequence[HtmlElement] = ()) -> Extraction:
        extraction = self.new_extraction()
        block = title_block(doc)
        if block is None:
            return extraction
        records = FilmRecords(self.name)
        for heading in _HEADING(block)[:1]:
            main = _MAIN_LINK(heading)
            # The title is the heading's own text, before the year and the adverts.
            title = collapse(main[0].text_content()) if main else collapse(heading.text or "")
            records.add_kind(_legacy_kind(title, collapse(heading.text_content())))
            title = unsort_title(title.strip(' "“”'))
            records.set_title(title)
            for link in _YEAR_LINK(heading)[:1]:
                year = _YEAR.search(link.text_content())
                if year:
                    records.add_fact("year", year.group(0))
            for extra in _ORIGINAL_TITLE(heading):
                original = collapse(extra.text or "")
                if original:
                    records.add_title(original, "native")
                    records.add_fact("native_title", original)
        return records.merge_into(extraction)
