"""Extraction over the real saved pages in ``shared/corpus/real`` (see its MANIFEST.tsv).

Every page must extract without an exception (and without any extractor failing);
on film pages the primary title, year and director must be found; pages that are not
about one film must yield no title and no facts. The pages are not part of the project:
the test skips where the corpus is absent (``FILMCRAWL_SHARED`` points elsewhere).
"""

from __future__ import annotations

import gzip
import os
import re
from functools import cache
from pathlib import Path

import pytest

from crawler.extract.page import extract_document, extraction_errors
from schemas.records import PageRecord
from tests.conftest import corpus_dir

pytestmark = pytest.mark.corpus


def corpus_files() -> list[str]:
    shared = os.environ.get("FILMCRAWL_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[1].parent / "shared"
    path = base / "corpus" / "real"
    if not path.is_dir():
        return []
    return sorted(p.name for p in path.iterdir() if p.name != "MANIFEST.tsv")


# --- decoding: just enough for these files (the crawler's own decoder is crawler/process/decode.py)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADERS_END = re.compile(rb"\r?\n\r?\n")
_SUPERSETS = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}


def decode(raw: bytes) -> str:
    """Bytes of a saved page as text: drop ``curl -i`` headers, then UTF-8 if the bytes
    are UTF-8 (pages declaring Latin-1 often are), else the declared charset."""
    declared: str | None = None
    if raw.startswith(b"HTTP/"):
        end = _HEADERS_END.search(raw)
        if end:
            header = _CHARSET.search(raw[: end.start()])
            declared = header.group(1).decode("ascii").lower() if header else None
            raw = raw[end.end() :]
    meta = _CHARSET.search(raw[:4096])
    if meta:
        declared = meta.group(1).decode("ascii", "replace").lower()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _SUPERSETS.get(declared or "", declared or "cp1252")
    try:
        return raw.decode(encoding, errors="replace")
    except LookupError:
        return raw.decode("cp1252", errors="replace")


def read_page(name: str) -> str:
    data = (corpus_dir() / name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return decode(data)


@cache
def extracted(name: str) -> PageRecord:
    stem = name.removesuffix(".gz").removesuffix(".html")
    return extract_document(f"https://corpus.example/{stem}", read_page(name))


# --- what each film page shows: (titles accepted, year, director); None = not on the page
FILM_PAGES: dict[str, tuple[tuple[str, ...], str | None, str | None]] = {
    "filmaffinity__el-show-de-truman-1998-es.html": (
        ("El show de Truman (Una vida en directo)", "The Truman Show"),
        "1998",
        "Peter Weir",
    ),
    "filmaffinity__the-truman-show-1998-en.html": (("The Truman Show",), "1998", "Peter Weir"),
    "imdb__die-hard-1988-combined.html": (("Die Hard",), "1988", "John McTiernan"),
    "imdb__futurama-tv-series-2019.html": (("Futurama",), "1999", None),
    "imdb__gaslight-1944-combined.html": (("Gaslight",), "1944", "George Cukor"),
    "imdb__il-buono-il-brutto-il-cattivo-2009.html": (
        ("Il buono, il brutto, il cattivo.", "The Good, the Bad and the Ugly"),
        "1966",
        "Sergio Leone",
    ),
    "imdb__kannethirey-thondrinal-1998.html": (
        ("Kannethirey Thondrinal",),
        "1998",
        "Ravichandran",
    ),
    "imdb__shawshank-2009-classic-layout.html": (
        ("The Shawshank Redemption",),
        "1994",
        "Frank Darabont",
    ),
    "imdb__shawshank-hungarian-locale-2019.html": (
        ("The Shawshank Redemption", "A remény rabjai"),
        "1994",
        "Frank Darabont",
    ),
    "imdb__the-dark-knight-2008-combined.html": (
        ("The Dark Knight",),
        "2008",
        "Christopher Nolan",
    ),
    "imdb__the-lighthouse-2019-hungarian-locale.html": (
        ("The Lighthouse", "A világítótorony"),
        "2019",
        "Robert Eggers",
    ),
    "imdb__the-walking-dead-tv-series.html": (("The Walking Dead",), "2010", None),
    "kinopoisk__big-bang-theory-series.html": (
        ("Теория большого взрыва", "The Big Bang Theory"),
        "2007",
        None,
    ),
    "kinopoisk__interstellar-2014.html": (
        ("Интерстеллар", "Interstellar"),
        "2014",
        "Кристофер Нолан",
    ),
    "kinopoisk__pirates-of-the-caribbean-2003.html": (
        ("Пираты Карибского моря: Проклятие Черной жемчужины",),
        "2003",
        "Гор Вербински",
    ),
    "kinopoisk__redacted-bez-tsenzury-2007.html": (
        ("Без цензуры", "Redacted"),
        "2007",
        "Брайан Де Пальма",
    ),
    "letterboxd__nightmare-city-no-year.html": (("Nightmare City",), None, "Tom Savini"),
    "letterboxd__sweet-sweetbacks-baadasssss-song-1971.html": (
        ("Sweet Sweetback's Baadasssss Song",),
        "1971",
        "Melvin Van Peebles",
    ),
    "mdl__crash-landing-on-you-2019.html": (
        ("Crash Landing on You",),
        "2019",
        "Lee Jeong Hyo",
    ),
    "mdl__the-glory-2022-fragment.html": (("The Glory",), "2022", "Ahn Gil Ho"),
    "rottentomatoes__burn-after-reading-2008.html": (
        ("Burn After Reading",),
        "2008",
        "Joel Coen",
    ),
    "rottentomatoes__the-shawshank-redemption-1994.html": (
        ("The Shawshank Redemption",),
        "1994",
        "Frank Darabont",
    ),
    "rottentomatoes__the-women-2008.html": (("The Women",), "2008", "Diane English"),
    "traf-wpblog__nextkabinett-derek-jarman-the-garden.html": (
        ("The Garden",),
        "1990",
        "Derek Jarman",
    ),
    "wikipedia__how-to-train-your-dragon-hidden-world.html": (
        ("How to Train Your Dragon: The Hidden World",),
        "2019",
        "Dean DeBlois",
    ),
    "wikipedia__jfk-film-1991.html": (("JFK",), "1991", "Oliver Stone"),
    "wikipedia__the-wandering-earth-2019.html": (("The Wandering Earth",), "2019", "Frant Gwo"),
    "wikipedia__titanic-1997-film.html": (("Titanic",), "1997", "James Cameron"),
    "wikipedia__uncle-buck-1989.html": (("Uncle Buck",), "1989", "John Hughes"),
}
# Pages about no one film: news, blogs, comment threads, encyclopedia entries of people.
NOT_FILM_PAGES: tuple[str, ...] = (
    "aeb-givewell__september-2018-open-thread.html.gz",
    "aeb-indiewire__wild-rose-best-original-song.html.gz",
    "aeb-profootballtalk__anthony-lynn-comments.html.gz",
    "aeb-theverge__star-trek-4-noah-hawley.html.gz",
    "np-avclub__best-film-scenes-2014.html",
    "np-spanish__anticorrupcion-infanta-news.html",
    "np-uproxx__shaun-of-the-dead-touring-comments.html",
    "postlight-jp__takagi-diary-euc-jp-declared.html",
    "slashdot__microsoft-gpl3-comments-2007.html",
    "traf-baidubaike__tanya-chua-entry.html",
    "traf-netzpolitik__cider-connection-abmahnungen.html",
    "traf-ostbelgiendirekt__tv-tipp-loriot-100.html",
    "traf-reuters__parasite-sag-awards.html",
    "traf-rosamag__the-woman-king-sheila-atim.html",
    "traf-tvtoday__kino-news-will-smith.html",
    "traf-wpblog__gormulus-sagen-duerfen.html",
    "traf-wpblog__hearya-top-100-metal-vocalists.html",
    "traf-wpblog__thenervousbreakdown-heart-alone.html",
    "traf-xinhuanet-wayback__stage-drama-tour.html",
    "letterboxd__this-is-the-end-similar-films.html",
)
# Film pages with title, year and director all right; raise it when extraction improves.
MIN_FILM_PAGES_RIGHT = 29
_YEAR = re.compile(r"(?<!\d)(?:18|19|20)\d{2}(?!\d)")


def fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def found_titles(page: PageRecord) -> set[str]:
    titles = {fold(t.title) for t in page.titles if t.kind == "primary"}
    if page.title and (titles or page.facts):
        titles.add(fold(page.title))
    return titles


def found_years(page: PageRecord) -> set[str]:
    years: set[str] = set()
    for fact in page.facts:
        if fact.field in ("year", "release_date"):
            years.update(_YEAR.findall(fact.raw)[:1])
    return years


def found_directors(page: PageRecord) -> set[str]:
    people = {fold(f.raw) for f in page.facts if f.field == "director"}
    people |= {fold(c.person) for c in page.credits if c.role == "director"}
    return people


def verdict(name: str) -> dict[str, bool]:
    titles, year, director = FILM_PAGES[name]
    page = extracted(name)
    return {
        "title": bool({fold(t) for t in titles} & found_titles(page)),
        "year": year is None or year in found_years(page),
        "director": director is None or fold(director) in found_directors(page),
    }


@pytest.mark.parametrize("name", corpus_files())
def test_page_extracts_without_errors(name: str) -> None:
    page = extracted(name)
    assert extraction_errors(page) == []


@pytest.mark.parametrize("name", sorted(FILM_PAGES))
def test_film_page_title_year_director(name: str) -> None:
    corpus_dir()
    assert verdict(name) == {"title": True, "year": True, "director": True}


@pytest.mark.parametrize("name", NOT_FILM_PAGES)
def test_page_about_no_film_yields_no_film(name: str) -> None:
    corpus_dir()
    page = extracted(name)
    assert [t for t in page.titles if t.kind == "primary"] == []
    assert page.facts == []


def test_most_film_pages_right() -> None:
    corpus_dir()
    right = [name for name in FILM_PAGES if all(verdict(name).values())]
    assert len(right) >= MIN_FILM_PAGES_RIGHT, sorted(set(FILM_PAGES) - set(right))


def test_every_corpus_page_is_classified() -> None:
    names = set(corpus_files())
    if not names:
        pytest.skip("real-page corpus not available")
    unclassified = names - set(FILM_PAGES) - set(NOT_FILM_PAGES)
    # Subpages of one film (reviews) and a review article: extracted, not scored.
    assert unclassified == {
        "imdb__die-hard-critic-reviews.html",
        "imdb__die-hard-user-reviews.html",
        "np-theatlantic__the-interview-film-review-2014.html",
    }
