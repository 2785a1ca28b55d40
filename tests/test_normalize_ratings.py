"""normalise_rating / normalise_votes: golden cases from the seeds and real pages, properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.normalize.ratings import normalise_rating, normalise_votes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Seeds.
        ("96/100", 96),  # AsianWiki "Current user rating: 96/100 (1445 votes)"
        ("Current user rating: 96/100 (1445 votes)", 96),
        ("9.5/10", 95),
        ("My Rating – 9.5/10", 95),
        ("★★★¾☆", 75),
        ("Rating: ★★★¾☆", 75),
        # The brief's examples.
        ("★★★½", 70),
        ("4.5/5", 90),
        ("8,1", 81),
        ("81%", 81),
        ("3.5 out of 5 stars", 70),
        ("Rating: 7.4/10 from 12,345 users", 74),
        # Real pages.
        ("8.3/10", 83),  # IMDb 2014
        ("8.584", 86),  # KinoPoisk
        ("IMDb: 8.60 (1 119 479)", 86),
        ("ожидание: 98% (78 067)", 98),
        ("7,7", 77),  # FilmAffinity
        ("9.0 /10 from 87,253 users", 90),  # MyDramaList
        ("9.0 (scored by 87,253 users)", 90),
        ("★★★★ (sobre 4)", 100),  # FilmAffinity critic quotes
        ("★★★ (sobre 4)", 75),
        ("89%", 89),  # Rotten Tomatoes
        # More shapes.
        ("★★☆☆☆", 40),
        ("★★★★★★★☆☆☆", 70),
        ("⭐⭐⭐⭐", 80),
        ("★ 8.1/10", 81),  # the star is an icon
        ("3½", 70),
        ("3½/4", 88),
        ("½", 10),
        ("4 sur 5", 80),
        ("7 von 10", 70),
        ("8 из 10", 80),
        ("96", 96),
        ("0", 0),
        ("100", 100),
        ("8.45", 85),  # half up
    ],
)
def test_normalise_rating_golden(raw: str, expected: int) -> None:
    assert normalise_rating(raw) == expected


@pytest.mark.parametrize(
    ("raw", "scale", "expected"),
    [
        ("3.21", 5, 64),  # Letterboxd JSON-LD ratingValue 3.21, bestRating 5
        ("9", 10, 90),
        ("4", 4, 100),
        ("5", 100, 5),
        ("9.3", 10.0, 93),
        ("★★★", 4, 75),
        ("9.5/10", 5, 95),  # an explicit scale wins over the hint
    ],
)
def test_normalise_rating_with_scale(raw: str, scale: float, expected: int) -> None:
    assert normalise_rating(raw, scale=scale) == expected


@pytest.mark.parametrize("raw", ["", "abc", "11/10", "150", "-5", "5/0", "1.2K"])
def test_normalise_rating_rejects(raw: str) -> None:
    assert normalise_rating(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,445", 1445),
        ("19764", 19764),
        ("1.2K", 1200),
        ("3.4M", 3400000),
        ("1 445", 1445),
        ("(1445 votes)", 1445),
        ("19 764", 19764),
        ("Total votes: 19764", 19764),
        ("Rating: 7.4/10 from 12,345 users", 12345),
        ("120.122", 120122),  # FilmAffinity (Spanish grouping)
        ("361\u00a0474", 361474),  # KinoPoisk
        ("420,900 votes", 420900),  # IMDb 2014
        ("87,253 users", 87253),  # MyDramaList
        ("9.0 (scored by 87,253 users)", 87253),
        ("Ratings: 885,688", 885688),  # Rotten Tomatoes
    ],
)
def test_normalise_votes_golden(raw: str, expected: int) -> None:
    assert normalise_votes(raw) == expected


@pytest.mark.parametrize("raw", ["", "none", "8.5"])
def test_normalise_votes_rejects(raw: str) -> None:
    assert normalise_votes(raw) is None


@given(st.text(max_size=30))
def test_rating_never_raises_and_is_stable_on_its_scale(raw: str) -> None:
    value = normalise_rating(raw)
    if value is not None:
        assert 0 <= value <= 100
        assert normalise_rating(str(value), scale=100) == value


@given(st.integers(0, 100))
def test_rating_fixed_point_over_100(n: int) -> None:
    assert normalise_rating(str(n), scale=100) == n
    assert normalise_rating(f"{n}/100") == n
    assert normalise_rating(f"{n}%") == n


@given(st.text(max_size=30))
def test_votes_never_raise_and_are_idempotent(raw: str) -> None:
    value = normalise_votes(raw)
    if value is not None:
        assert value >= 0
        assert normalise_votes(str(value)) == value
