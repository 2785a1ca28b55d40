"""normalise_fact / split_multi and the genre, country, language and rating-label tables."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalize.facts import (
    content_rating_code,
    normalise_country,
    normalise_fact,
    normalise_genre,
    normalise_language,
    split_multi,
)
from schemas.records import FACT_FIELDS


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        # Seed 003 (the fact box), field by field.
        ("rating_votes", "19764", "19764"),
        ("director", "Lee Hwan Kyung", "Lee Hwan Kyung"),
        ("writer", "Lee Hwan Kyung", "Lee Hwan Kyung"),
        ("release_date", "Jan 23, 2013", "2013-01-23"),
        ("runtime_minutes", "2 hr. 7 min.", "127"),
        ("year", "2013", "2013"),
        ("country", "South Korea", "South Korea"),
        ("native_title", "7번방의 선물", "7번방의 선물"),
        ("content_rating", "15+ – Teens 15 or older", "15+ – Teens 15 or older"),
        ("content_rating", "15+  -  Teens 15 or older", "15+ – Teens 15 or older"),  # MDL
        ("alt_title", "12 Wol 23 Il", "12 Wol 23 Il"),
        ("genre", "Comedy", "Comedy"),
        # Seeds 000, 001, 002, 004.
        ("title", "Miracle in Cell No.7", "Miracle in Cell No.7"),
        ("title", "Miracle in cell no 7 | Xemovie", "Miracle in cell no 7"),
        ("rating", "96/100", "96"),
        ("rating", "9.5/10", "95"),
        ("rating", "★★★¾☆", "75"),
        ("rating_votes", "(1445 votes)", "1445"),
        ("admissions", "12.32 million", "12320000"),
        ("admissions", "4.6 million admissions", "4600000"),
        ("box_office", "US$30 million", "USD 30000000"),
        ("release_date", "January 24, 2013", "2013-01-24"),
        ("director", "Lee Hwan-Kyung", "Lee Hwan-Kyung"),
        ("genre", "comedy-drama", "Comedy-drama"),
        ("synopsis", "  A father (Ryoo Seung-Ryong)\n\n\n is falsely accused. ",
         "A father (Ryoo Seung-Ryong)\n\nis falsely accused."),
        ("trivia", "Early working title was \"12 Wol 23 Il\".",
         "Early working title was \"12 Wol 23 Il\"."),
        # Real pages.
        ("runtime_minutes", "169 мин. / 02:49", "169"),
        ("country", "США", "United States"),
        ("country", "Estados Unidos", "United States"),
        ("country", "USA", "United States"),
        ("genre", "фантастика", "Science Fiction"),
        ("genre", "Comedia dramática", "Comedy-drama"),
        ("genre", "Sci-Fi", "Science Fiction"),
        ("language", "English", "en"),
        ("language", "en-US", "en"),
        ("rating", "7,7", "77"),
        ("rating_votes", "120.122", "120122"),
        ("box_office", "$205.4 million", "USD 205400000"),
        ("release_date", "26 октября 2014, ...", "2014-10-26"),
        ("director", "Peter Weir", "Peter Weir"),
        ("writer", "Jeb Stuart (screenplay) ...", "Jeb Stuart"),
        ("content_rating", "R", "R"),
    ],
)  # fmt: skip
def test_normalise_fact_golden(field: str, raw: str, expected: str) -> None:
    assert normalise_fact(field, raw) == expected


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("year", "unknown"),
        ("release_date", "31 February 2013"),
        ("runtime_minutes", "long"),
        ("rating", "great"),
        ("box_office", "12.32 million"),  # no currency
        ("country", "Narnia"),
        ("language", "None"),  # IMDb's language of silent films
        ("title", "  "),
        ("director", "()"),
        ("synopsis", "\u200b\n"),
        ("genre", "—"),
    ],
)
def test_normalise_fact_gives_none_for_what_it_cannot_read(field: str, raw: str) -> None:
    assert normalise_fact(field, raw) is None


def test_unknown_field_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown fact field"):
        normalise_fact("budget", "$1")
    with pytest.raises(ValueError, match="unknown fact field"):
        split_multi("budget", "$1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Comedy-drama", "Comedy-drama"),
        ("COMEDY-DRAMA", "Comedy-drama"),
        ("comedy drama", "Comedy-drama"),
        ("Sci-Fi", "Science Fiction"),
        ("SCI-FI", "Science Fiction"),
        ("science fiction", "Science Fiction"),
        ("Historical", "History"),
        ("драма", "Drama"),
        ("드라마", "Drama"),
        ("코미디", "Comedy"),
        ("Película de culto", "Película De Culto"),  # unknown: title-cased as written
        ("película de culto", "Película De Culto"),
        ("military", "Military"),
        ("LGBTQ", "LGBTQ+"),
    ],
)
def test_normalise_genre(raw: str, expected: str) -> None:
    assert normalise_genre(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("South Korea", "South Korea"),
        ("Korea, South", "South Korea"),
        ("Republic of Korea", "South Korea"),
        ("Korea, Republic of", "South Korea"),
        ("KR", "South Korea"),
        ("KOR", "South Korea"),
        ("Korean", "South Korea"),
        ("Korea", "South Korea"),
        ("한국", "South Korea"),
        ("대한민국", "South Korea"),
        ("韓国", "South Korea"),
        ("Corea del Sur", "South Korea"),
        ("Южная Корея", "South Korea"),
        ("North Korea", "North Korea"),
        ("DPRK", "North Korea"),
        ("USA", "United States"),
        ("U.S.A.", "United States"),
        ("US", "United States"),
        ("United States of America", "United States"),
        ("American", "United States"),
        ("UK", "United Kingdom"),
        ("GB", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("Великобритания", "United Kingdom"),
        ("The Netherlands", "Netherlands"),
        ("Hong Kong", "Hong Kong"),
        ("Turkey", "Turkey"),
        ("Türkiye", "Turkey"),
        ("Czechia", "Czech Republic"),
        ("West Germany", "West Germany"),
        ("СССР", "Soviet Union"),
        ("Deutschland", "Germany"),
        ("Francia", "France"),
        ("Canada", "Canada"),
        ("Исландия", "Iceland"),
        ("Narnia", None),
    ],
)
def test_normalise_country(raw: str, expected: str | None) -> None:
    assert normalise_country(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Korean", "ko"),
        ("ko", "ko"),
        ("KO", "ko"),
        ("kor", "ko"),
        ("한국어", "ko"),
        ("English", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("eng", "en"),
        ("английский", "en"),
        ("Español", "es"),
        ("German", "de"),
        ("Mandarin", "zh"),
        ("Chinese", "zh"),
        ("zh-Hant", "zh"),
        ("Cantonese", "yue"),
        ("Filipino", "fil"),
        ("Tagalog", "tl"),
        ("Farsi", "fa"),
        ("Tamil", "ta"),
        ("English (subtitles)", "en"),
        ("None", None),
        ("Klingonish", None),
    ],
)
def test_normalise_language(raw: str, expected: str | None) -> None:
    assert normalise_language(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15+ – Teens 15 or older", "15+"),
        ("15+ - Teens 15 or older", "15+"),
        ("PG-13", "PG-13"),
        ("R (Manitoba)", "R"),
        ("TV-14", "TV-14"),
        ("12A", "12A"),
        ("зрителям, достигшим 12 лет", "12+"),  # KinoPoisk "возраст"
        ("15세 관람가", "15+"),
        ("청소년 관람불가", "18+"),
        ("suitable for everyone", None),
    ],
)
def test_content_rating_code(raw: str, expected: str | None) -> None:
    assert content_rating_code(raw) == expected


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("genre", "Comedy, Drama, Family", ["Comedy", "Drama", "Family"]),
        ("genre", "Drama. Comedia | Comedia dramática. Sátira. Película de culto",
         ["Drama", "Comedia", "Comedia dramática", "Sátira", "Película de culto"]),
        ("genre", "фантастика, драма, приключения, ...", ["фантастика", "драма", "приключения"]),
        ("genre", "Comedy/Drama", ["Comedy", "Drama"]),
        ("genre", "코미디 · 드라마", ["코미디", "드라마"]),
        ("writer", "Lee Hwan-Kyung, Kim Hwang-Sung, Kim Young-Suk",
         ["Lee Hwan-Kyung", "Kim Hwang-Sung", "Kim Young-Suk"]),
        ("writer", "Джонатан Нолан, Кристофер Нолан", ["Джонатан Нолан", "Кристофер Нолан"]),
        ("writer", "Roderick Thorp (novel), Frank Darabont (screenplay)",
         ["Roderick Thorp (novel)", "Frank Darabont (screenplay)"]),
        ("writer", "Stephen King & Frank Darabont", ["Stephen King", "Frank Darabont"]),
        ("director", "Weir, Peter", ["Weir, Peter"]),
        ("director", "Weir, Peter; Niccol, Andrew", ["Weir, Peter", "Niccol, Andrew"]),
        ("director", "Robert Downey, Jr., Ed Harris", ["Robert Downey, Jr.", "Ed Harris"]),
        ("director", "Park W.S", ["Park W.S"]),
        ("director", "Kim, Park", ["Kim", "Park"]),
        ("country", "Korea, South", ["Korea, South"]),
        ("country", "Korea, Republic of, Japan", ["Korea, Republic of", "Japan"]),
        ("country", "США, Великобритания, Канада, Исландия",
         ["США", "Великобритания", "Канада", "Исландия"]),
        ("country", "USA/UK", ["USA", "UK"]),
        ("language", "English | German | Italian", ["English", "German", "Italian"]),
        ("alt_title",
         "12 Wol 23 Il, December 23rd, December 23, 7beonbangui Seonmool, 12월 23일, "
         "Gift From Room 7, Number 7 Room’s Gift, 7beon Bangui Seonmul",
         ["12 Wol 23 Il", "December 23rd", "December 23", "7beonbangui Seonmool", "12월 23일",
          "Gift From Room 7", "Number 7 Room’s Gift", "7beon Bangui Seonmul"]),
        ("alt_title", "Salangui Bulsichag , Sarangui Bulsichag , Breakdown of Love",
         ["Salangui Bulsichag", "Sarangui Bulsichag", "Breakdown of Love"]),
        ("alt_title", "The Good, the Bad and the Ugly", ["The Good, the Bad and the Ugly"]),
        ("alt_title", "Face/Off", ["Face/Off"]),
        ("genre", "Drama, Drama", ["Drama"]),
        ("title", "Miracle in Cell No. 7, the film", ["Miracle in Cell No. 7, the film"]),
        ("trivia", "Filming began June 20, 2012; it ended October 10.",
         ["Filming began June 20, 2012; it ended October 10."]),
        ("synopsis", "One.\n\nTwo, three.", ["One.\n\nTwo, three."]),
        ("genre", "", []),
    ],
)  # fmt: skip
def test_split_multi(field: str, raw: str, expected: list[str]) -> None:
    assert split_multi(field, raw) == expected


def test_split_then_normalise_the_seed_genres_and_credits() -> None:
    genres = [normalise_fact("genre", g) for g in split_multi("genre", "Comedy, Drama, Family")]
    assert genres == ["Comedy", "Drama", "Family"]
    people = [
        normalise_fact("director", p)
        for p in split_multi("director", "Weir, Peter; Niccol, Andrew")
    ]
    assert people == ["Peter Weir", "Andrew Niccol"]


@settings(deadline=None, max_examples=60)
@given(st.sampled_from(FACT_FIELDS), st.text(max_size=30))
def test_normalise_fact_never_raises_and_is_idempotent(field: str, raw: str) -> None:
    value = normalise_fact(field, raw)
    if value is None:
        return
    again = normalise_fact(field, value)
    if field == "rating":
        assert normalise_fact(field, f"{value}/100") == value
    else:
        assert again == value, (field, raw, value, again)


@settings(deadline=None, max_examples=60)
@given(st.sampled_from(FACT_FIELDS), st.text(max_size=40))
def test_split_multi_never_raises(field: str, raw: str) -> None:
    parts = split_multi(field, raw)
    assert all(p and p == p.strip() for p in parts)
    assert len(parts) == len(set(parts))


@given(st.text(max_size=20))
def test_lookup_tables_are_idempotent(raw: str) -> None:
    for normalise in (normalise_genre, normalise_country, normalise_language):
        value = normalise(raw)
        if value is not None:
            assert normalise(value) == value


@pytest.mark.parametrize(
    "text",
    [
        "(a)" * 20000,
        "((" * 20000,
        "a," * 20000,
        "1," * 20000,
        "2013, " * 10000,
        ", The" * 4000,
        " - IMDb" * 3000,
        "(2013)" * 3000,
    ],
)
def test_long_hostile_values_take_linear_time(text: str) -> None:
    # Regression: trailing notes, comma prefixes, runs of spaces and stacked title
    # suffixes once made names, dates, runtimes and titles quadratic (seconds for
    # 20,000 characters).
    # The process's CPU time, not the clock's: a busy machine does not fail it.
    start = time.process_time()
    for field in FACT_FIELDS:
        normalise_fact(field, text)
        split_multi(field, text)
    assert time.process_time() - start < 5
