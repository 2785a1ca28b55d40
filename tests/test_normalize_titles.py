"""clean_title / title_key / slugify_title."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.normalize.titles import clean_title, slugify_title, title_key

MIRACLE_SPELLINGS = [
    "Miracle in Cell No.7",  # AsianWiki
    "Miracle in Cell No. 7",  # Wikipedia, the fact box, YAM Magazine
    "Miracle in cell no 7",  # Xemovie
    "MIRACLE IN CELL NO. 7",
    "Miracle in Cell #7",
    "Miracle in Cell Number 7",
    "Miracle in Cell Nº 7",
    "Miracle in Cell №7",
    "Miracle in Cell No.7 - AsianWiki",
    "Miracle in cell no 7 | Xemovie",
    "Miracle in Cell No. 7 (2013) - IMDb",
    "Miracle in Cell No. 7 (2013 film)",
    "Miracle in Cell No. 7 (South Korean film)",
    "  Miracle\u00a0in Cell No.\u200b7 ",
]


def test_spellings_of_one_title_share_a_key() -> None:
    assert {title_key(t) for t in MIRACLE_SPELLINGS} == {"miracleincellno7"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Miracle in Cell No. 7", "7. Koğuştaki Mucize"),  # the Turkish remake
        ("The Host", "Host"),  # leading articles are kept: two different films
        ("Miracle in Cell No. 7", "Miracle in Cell No. 8"),
        ("No Country for Old Men", "Country for Old Men"),
    ],
)
def test_different_titles_keep_different_keys(a: str, b: str) -> None:
    assert title_key(a) != title_key(b)


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("7번방의 선물", "7번방의선물"),
        ("７번방의　선물", "7번방의선물"),  # NFKC: full-width digit and space
        ("7. Koğuştaki Mucize", "7kogustakimucize"),
        ("Amélie", "amelie"),
        ("Fast & Furious", "fastandfurious"),
        ("Fast and Furious", "fastandfurious"),
        ("Host, The", "thehost"),
        ("Интерстеллар (2014) — КиноПоиск", "интерстеллар"),
        ("사랑의 불시착", "사랑의불시착"),
    ],
)
def test_title_key_examples(title: str, key: str) -> None:
    assert title_key(title) == key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Miracle in Cell No.7 (2013) - IMDb", "Miracle in Cell No.7"),
        ("Crash Landing on You (2019) - MyDramaList", "Crash Landing on You"),
        ("El show de Truman (Una vida en directo) (1998) - FilmAffinity",
         "El show de Truman (Una vida en directo)"),
        ("Интерстеллар (2014) — КиноПоиск", "Интерстеллар"),
        ("JFK (film)", "JFK"),
        ("JFK (1991 film)", "JFK"),
        ("The Wandering Earth - Wikipedia", "The Wandering Earth"),
        ("Buono, il brutto, il cattivo., Il", "Il Buono, il brutto, il cattivo."),  # IMDb 2009
        ("Host (2006), The", "The Host"),
        ("Avventura, L'", "L'Avventura"),
        ("(500) Days of Summer", "(500) Days of Summer"),
        ("Mission: Impossible - Fallout", "Mission: Impossible - Fallout"),
        ("(2013)", "(2013)"),  # nothing would be left
    ],
)  # fmt: skip
def test_clean_title(raw: str, expected: str) -> None:
    assert clean_title(raw) == expected


@pytest.mark.parametrize(
    ("title", "year", "slug"),
    [
        ("Miracle in Cell No.7", 2013, "miracle-in-cell-no-7-2013"),
        ("Miracle in Cell No. 7", "2013", "miracle-in-cell-no-7-2013"),
        ("Miracle in Cell #7", 2013, "miracle-in-cell-no-7-2013"),
        ("MIRACLE IN CELL NO. 7 (2013) - IMDb", 2013, "miracle-in-cell-no-7-2013"),
        ("Amélie", None, "amelie"),
        ("Straße & Ærø", 2001, "strasse-and-aero-2001"),
        ("Léon: The Professional", 1994, "leon-the-professional-1994"),
        ("7. Koğuştaki Mucize", 2019, "7-kogustaki-mucize-2019"),
        ("Crouching Tiger, Hidden Dragon 臥虎藏龍", 2000, "crouching-tiger-hidden-dragon-2000"),
    ],
)
def test_slugify_title(title: str, year: int | str | None, slug: str) -> None:
    assert slugify_title(title, year) == slug


def test_slug_of_a_title_without_latin_letters_is_readable_ascii() -> None:
    # Issue 18: not film-3fdf16d3-2014, a transliteration (anyascii).
    assert slugify_title("7번방의 선물", 2013) == "7beonbangui-seonmul-2013"
    assert slugify_title("Интерстеллар") == "interstellar"
    assert slugify_title("東京物語", 1953) == "dongjingwuyu-1953"
    assert slugify_title("사랑의 불시착") != slugify_title("7번방의 선물")


def test_slug_of_a_title_without_any_letters_is_a_stable_hash() -> None:
    slug = slugify_title("★☆★", 2013)
    assert re.fullmatch(r"film-[0-9a-f]{8}-2013", slug)
    assert slugify_title("★☆★", 2013) == slug


def test_long_titles_are_cut_at_a_word() -> None:
    slug = slugify_title("word " * 40, 2013)
    assert len(slug) <= 85 and slug.endswith("-word-2013")


titles = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@given(titles)
def test_clean_title_is_idempotent(raw: str) -> None:
    once = clean_title(raw)
    assert clean_title(once) == once


@given(titles)
def test_title_key_is_a_stable_fixed_point(raw: str) -> None:
    key = title_key(raw)
    assert title_key(key) == key
    assert title_key(raw) == key


@given(titles)
def test_title_key_ignores_case_and_spacing(raw: str) -> None:
    key = title_key(raw)
    assert title_key(raw.upper()) == key
    assert title_key(raw.lower()) == key
    assert title_key(" " + raw.replace(" ", "  ") + " ") == key


@given(titles, st.one_of(st.none(), st.integers(1850, 2100)))
def test_slug_is_ascii_and_stable(raw: str, year: int | None) -> None:
    slug = slugify_title(raw, year)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
    assert slugify_title(raw, year) == slug
