"""IMDb's legacy title heading."""

from __future__ import annotations

import pytest

from crawler.extract.families.imdb import ImdbLegacyExtractor, unsort_title
from tests.helpers.extract import facts, run, titles


@pytest.mark.parametrize(
    ("sorted_title", "title"),
    [
        ("Buono, il brutto, il cattivo., Il", "Il Buono, il brutto, il cattivo."),
        ("Matrix, The", "The Matrix"),
        ("Année dernière à Marienbad, L'", "L'Année dernière à Marienbad"),
        ("Crouching Tiger, Hidden Dragon", "Crouching Tiger, Hidden Dragon"),
    ],
)
def test_unsort_title(sorted_title: str, title: str) -> None:
    assert unsort_title(sorted_title) == title


def test_combined_layout_heading() -> None:
    html = """<html><body><div id="tn15title"><h1> Die Hard <span>(<a href="/year/1988/">1988</a>)
      <span class="pro-link"><a href="http://pro.imdb.com/">More at <strong>IMDbPro</strong></a>
      &raquo;</span><span class="title-extra">Stirb langsam <i>(original title)</i></span></span>
      </h1></div></body></html>"""
    found = run(ImdbLegacyExtractor(), html)
    assert found.title == "Die Hard"
    assert facts(found) == {
        ("title", "Die Hard"),
        ("year", "1988"),
        ("native_title", "Stirb langsam"),
    }
    assert titles(found) == {("primary", "Die Hard"), ("native", "Stirb langsam")}


def test_tv_series_quotes_and_review_pages() -> None:
    series = """<div id="tn15title"><h1> &#x22;The Walking Dead&#x22;
      <span>(<a href="/year/2010/">2010</a>) <span class="title-extra">
      <span class="tv-extra">TV series 2010-</span></span></span></h1></div>"""
    assert (
        run(ImdbLegacyExtractor(), f"<html><body>{series}</body></html>").title
        == "The Walking Dead"
    )
    reviews = """<div id="tn15title"><h1><small>Reviews &amp; Ratings for<br></small>
      <a class="main" href="/title/tt0095016/">Die Hard</a></h1></div>"""
    assert run(ImdbLegacyExtractor(), f"<html><body>{reviews}</body></html>").title == "Die Hard"


def test_other_pages() -> None:
    assert run(ImdbLegacyExtractor(), "<html><body><h1>Die Hard</h1></body></html>").empty
