"""Main text on the real corpus (``shared/corpus/real``): phrases of each page's synopsis
or article that ``pages.clean_text`` must hold, and furniture that must stay out of it
("more like this" blocks, recommendations, forum and site footers, country pickers).

Issue 14, item 6. The phrases were chosen by reading the pages; 18 of the furniture
phrases and 6 of the content phrases failed before the furniture rules and the located
synopsis. The test skips where the corpus is absent.
"""

from __future__ import annotations

import pytest

from tests.conftest import corpus_path
from tests.test_extract_corpus import extracted

pytestmark = pytest.mark.corpus

# page -> (phrases the main text holds, phrases it must not hold)
MAIN_TEXT: dict[str, tuple[list[str], list[str]]] = {
    "imdb__shawshank-2009-classic-layout.html": (
        ["Two imprisoned men bond over a number of years"],
        ["our database also recommends", "Show more recommendations", "memorable quotes"],
    ),
    "imdb__il-buono-il-brutto-il-cattivo-2009.html": (
        ["A bounty hunting scam joins two men in an uneasy alliance"],
        ["our database also recommends", "merchandising links"],
    ),
    "imdb__die-hard-1988-combined.html": (
        ["John McClane, officer of the NYPD, tries to save wife Holly Gennaro"],
        ["IMDb User Rating:", "Live Free or Die Hard"],
    ),
    "imdb__the-dark-knight-2008-combined.html": (
        ["When Batman, Gordon and Harvey Dent launch an assault on the mob"],
        ["IMDb User Rating:"],
    ),
    "imdb__gaslight-1944-combined.html": (
        ["Years after her aunt was murdered in her home, a young woman moves back"],
        [],
    ),
    "imdb__the-walking-dead-tv-series.html": (
        ["Police officer Rick Grimes leads a group of survivors"],
        [],
    ),
    "imdb__the-lighthouse-2019-hungarian-locale.html": (
        ["As the wavering cry of the foghorn fills the air"],
        ["More Like This", "Recently Viewed"],
    ),
    "imdb__shawshank-hungarian-locale-2019.html": (
        ["Chronicles the experiences of a formerly successful banker"],
        ["More Like This"],
    ),
    "imdb__futurama-tv-series-2019.html": (
        ["Philip J. Fry, a pizza guy, is accidentally frozen in 1999"],
        ["More Like This"],
    ),
    "rottentomatoes__the-shawshank-redemption-1994.html": (
        ["a banker named Andy Dufresne (Tim Robbins) is convicted of a double murder"],
        ["Top Box Office"],
    ),
    "rottentomatoes__burn-after-reading-2008.html": (
        ["With Burn After Reading, the Coen Brothers"],
        [],
    ),
    "mdl__crash-landing-on-you-2019.html": (
        ["South Korean heiress Yoon Se Ri crash lands in North Korea"],
        ["Recent Discussions"],
    ),
    "mdl__the-glory-2022-fragment.html": (
        ["A high school student dreams of becoming an architect"],
        ["Recent Discussions"],
    ),
    "filmaffinity__el-show-de-truman-1998-es.html": (
        ["Truman Burbank es un hombre corriente y algo ingenuo"],
        ["Todos los derechos reservados", "Costa Rica"],
    ),
    "filmaffinity__the-truman-show-1998-en.html": (
        ["He's the star of the show - but he doesn't know it!"],
        ["All Rights Reserved", "Costa Rica"],
    ),
    "kinopoisk__interstellar-2014.html": (
        ["Когда засуха приводит человечество к продовольственному кризису"],
        [],
    ),
    "kinopoisk__redacted-bez-tsenzury-2007.html": (
        ["небольшой отряд американских солдат на контрольно-пропускном пункте"],
        [],
    ),
    "letterboxd__nightmare-city-no-year.html": (
        ["When a mysterious virus spreads from Haiti to Miami"],
        [],
    ),
    "aeb-theverge__star-trek-4-noah-hawley.html.gz": (
        ["Noah Hawley, best known for creating FX"],
        [],
    ),
    "traf-wpblog__gormulus-sagen-duerfen.html": (
        ["Bereits im November hat sich ein anderes Blog"],
        [],
    ),
    "traf-baidubaike__tanya-chua-entry.html": (
        ["1975年出生于新加坡", "Moments of Magic"],
        [],
    ),
    "np-theatlantic__the-interview-film-review-2014.html": (
        ["Let's assume you knew absolutely nothing about North Korea"],
        [],
    ),
    "wikipedia__titanic-1997-film.html": (
        ["Titanic is a 1997 American epic romance and disaster film"],
        [],
    ),
    "traf-reuters__parasite-sag-awards.html": (
        ["was the upset winner at the Screen Actors Guild"],
        [],
    ),
}


@pytest.mark.skipif(not corpus_path().is_dir(), reason="shared/corpus/real is absent")
@pytest.mark.parametrize("name", sorted(MAIN_TEXT))
def test_main_text_of_real_pages(name: str) -> None:
    present, absent = MAIN_TEXT[name]
    text = " ".join((extracted(name).clean_text or "").split())
    assert [phrase for phrase in present if phrase not in text] == []
    assert [phrase for phrase in absent if phrase in text] == []
