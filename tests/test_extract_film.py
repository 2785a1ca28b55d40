"""Reading values into records: people, ratings, titles."""

from __future__ import annotations

import pytest

from crawler.extract.shared.film import (
    FilmRecords,
    cast_in,
    film_title_and_year,
    heading_title_and_year,
    list_values,
    looks_like_score,
    people_in,
    person_name,
    split_rating,
    titles_in,
)
from crawler.extract.shared.labels import CAST, RATING_OR_CERTIFICATE
from crawler.extract.shared.markup import Line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("96/100 (1445 votes)", ("96/100", "1445 votes")),
        ("8.9 (scored by 107,326 users)", ("8.9", "107,326 users")),
        ("Top 250: #115 (login to vote) 8.3/10 420,900 votes »", ("8.3/10", "420,900 votes")),
        ("★★★¾☆", ("★★★¾☆", None)),
        ("9.5/10", ("9.5/10", None)),
        ("7,3", ("7,3", None)),
        ("91%", ("91%", None)),
        ("7.9 (1 204 голоса)", ("7.9", "1 204 голоса")),
        # issue 14: vote words in more languages
        ("4,2/5 (1 234 notes)", ("4,2/5", "1 234 notes")),
        ("7,1 (230 valutazioni)", ("7,1", "230 valutazioni")),
        ("82 % (1 024 hlasů)", ("82 %", "1 024 hlasů")),
        ("no score here", (None, None)),
    ],
)
def test_split_rating(text: str, expected: tuple[str | None, str | None]) -> None:
    assert split_rating(text) == expected


@pytest.mark.parametrize("text", ["8.1/10", "★★★★☆", "96%", "7,5", "8.9 (scored by 1,000 users)"])
def test_scores(text: str) -> None:
    assert looks_like_score(text)


@pytest.mark.parametrize("text", ["PG-13", "R", "TV-14", "15+ – Teens 15 or older", "U", ""])
def test_certificates_are_not_scores(text: str) -> None:
    assert not looks_like_score(text)


def test_people_by_links_keep_names_with_commas_apart() -> None:
    line = Line("Roderick Thorp (novel)", ["Roderick Thorp"])
    assert people_in(line) == [("Roderick Thorp", "Roderick Thorp (novel)")]
    line = Line("John Van Druten &", ["John Van Druten"])
    assert people_in(line) == [("John Van Druten", "John Van Druten &")]


def test_people_by_separators() -> None:
    line = Line("Lee Hwan-Kyung, Kim Hwang-Sung, Kim Young-Suk")
    assert [p for p, _ in people_in(line)] == ["Lee Hwan-Kyung", "Kim Hwang-Sung", "Kim Young-Suk"]
    line = Line("Tilda Swinton, Johnny Mills and Philip MacDonald")
    assert [p for p, _ in people_in(line)] == ["Tilda Swinton", "Johnny Mills", "Philip MacDonald"]
    line = Line("Кристофер Нолан, Линда Обст, Эмма Томас, ...")
    assert [p for p, _ in people_in(line)] == ["Кристофер Нолан", "Линда Обст", "Эмма Томас"]


@pytest.mark.parametrize(
    "text", ["executive producer", "...", "(more)", "1 more credit", "Paramount Pictures", "", "42"]
)
def test_not_a_person(text: str) -> None:
    assert person_name(text) is None


def test_cast_lines() -> None:
    assert cast_in(Line("Ryu Seung-ryong as Lee Yong-gu")) == [
        ("Ryu Seung-ryong", "Lee Yong-gu", "Ryu Seung-ryong as Lee Yong-gu")
    ]
    leo = Line("Leonardo DiCaprio as Jack Dawson: Cameron said he needed …", ["Leonardo DiCaprio"])
    assert cast_in(leo)[0][:2] == ("Leonardo DiCaprio", "Jack Dawson")
    assert cast_in(Line("Kal So-won as Ye-sung (Child)"))[0][1] == "Ye-sung (Child)"


def test_titles() -> None:
    line = Line("12 Wol 23 Il, December 23rd, 7beonbangui Seonmool, 12월 23일")
    assert titles_in([line]) == [
        "12 Wol 23 Il",
        "December 23rd",
        "7beonbangui Seonmool",
        "12월 23일",
    ]
    imdb = [Line('"Duro de matar" - Argentina, Mexico'), Line('"Stirb langsam" - Austria')]
    assert titles_in(imdb) == ["Duro de matar", "Stirb langsam"]


def test_list_values_split_bare_links_only() -> None:
    assert list_values(Line("USA UK", ["USA", "UK"])) == ["USA", "UK"]
    assert list_values(
        Line("Action | Thriller See more »", ["Action", "Thriller", "See more"])
    ) == [
        "Action",
        "Thriller",
    ]
    assert list_values(Line("Comedy, Drama", [])) == ["Comedy, Drama"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Hard (1988)", ("Die Hard", "1988")),
        ("Titanic (1997 film)", ("Titanic", "1997")),
        ("JFK (film)", ("JFK", None)),
        ("Теория большого взрыва (сериал 2007 – ...)", ("Теория большого взрыва", "2007")),
        ("Miracle in Cell No. 7", ("Miracle in Cell No. 7", None)),
        # issue 14: fan wikis disambiguate episodes and series too; a series name is kept
        ("The Long Winter (episode)", ("The Long Winter", None)),
        ("Cowboy Bebop (anime)", ("Cowboy Bebop", None)),
        ("Kingdom (web series)", ("Kingdom", None)),
        ("Pilot (Lost)", ("Pilot (Lost)", None)),
    ],
)
def test_film_title_and_year(text: str, expected: tuple[str, str | None]) -> None:
    assert film_title_and_year(text) == expected


def test_heading_title_ignores_what_follows_the_year() -> None:
    assert heading_title_and_year("Die Hard (1988) More at IMDbPro »") == ("Die Hard", "1988")
    assert heading_title_and_year('"The Walking Dead" (2010) TV series 2010-') == (
        "The Walking Dead",
        "2010",
    )
    assert heading_title_and_year("El show de Truman (Una vida en directo) (1998)") == (
        "El show de Truman (Una vida en directo)",
        "1998",
    )


def test_apply_director_and_screenwriter() -> None:
    records = FilmRecords("test")
    records.apply(("director", "writer"), [Line("Lee Hwan Kyung", ["Lee Hwan Kyung"])])
    assert [(f.field, f.raw) for f in records.facts] == [
        ("director", "Lee Hwan Kyung"),
        ("writer", "Lee Hwan Kyung"),
    ]
    assert [(c.role, c.person) for c in records.credits] == [
        ("director", "Lee Hwan Kyung"),
        ("writer", "Lee Hwan Kyung"),
    ]


def test_apply_rating_or_certificate() -> None:
    records = FilmRecords("test")
    records.apply((RATING_OR_CERTIFICATE,), [Line("PG-13")])
    records.apply((RATING_OR_CERTIFICATE,), [Line("★★★¾☆")])
    assert [(f.field, f.raw) for f in records.facts] == [
        ("content_rating", "PG-13"),
        ("rating", "★★★¾☆"),
    ]


def test_apply_box_office_in_admissions_and_sums() -> None:
    records = FilmRecords("test")
    records.apply(("box_office",), [Line("2.1 million admissions (France)")])
    records.apply(("box_office",), [Line("+ $487 100 000 = $675 120 017")])
    assert [(f.field, f.raw) for f in records.facts] == [
        ("admissions", "2.1 million admissions (France)"),
        ("box_office", "$675 120 017"),
    ]


def test_cast_with_character_replaces_the_bare_name() -> None:
    records = FilmRecords("test")
    records.apply((CAST,), [Line("Odile Marchand", ["Odile Marchand"])])
    records.add_credit(CAST, "Odile Marchand", "Yvonne Le Goff")
    records.add_credit(CAST, "Odile Marchand")
    assert [(c.person, c.character) for c in records.credits] == [
        ("Odile Marchand", "Yvonne Le Goff")
    ]


def test_name_then_as_character_lines() -> None:
    records = FilmRecords("test")
    lines = [Line("Tim Robbins", ["Tim Robbins"]), Line("as Andy Dufresne"), Line("Bob Gunton")]
    records.apply((CAST,), lines)
    assert [(c.person, c.character) for c in records.credits] == [
        ("Tim Robbins", "Andy Dufresne"),
        ("Bob Gunton", None),
    ]
