"""clean_person_name / person_key: the seeds' spellings meet, different people stay apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.normalize.facts import split_multi
from crawler.normalize.people import clean_person_name, person_key, spellings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Peter Weir", "Peter Weir"),
        ("  Peter   Weir ", "Peter Weir"),
        ("Peter Weir (director)", "Peter Weir"),
        ("Roderick Thorp (novel)", "Roderick Thorp"),
        ("Jeb Stuart (screenplay) ...", "Jeb Stuart"),  # IMDb 2014 "Writers (WGA)"
        ("Ryoo Seung-Ryong (류승룡)", "Ryoo Seung-Ryong"),
        ("Ed Harris [uncredited]", "Ed Harris"),
        ("Weir, Peter", "Peter Weir"),
        ("Kim, Jung-Tae", "Kim Jung-Tae"),  # a surname first: already family-given
        ("Robert Downey, Jr.", "Robert Downey, Jr."),
        ("PARK SHIN-HYE", "Park Shin-Hye"),
        ("peter weir", "Peter Weir"),
        ("ludwig van beethoven", "Ludwig van Beethoven"),
        ("o'brien", "O'Brien"),
        ("PARK W.S", "Park W.S"),
        ("Park Shin-hye", "Park Shin-hye"),  # mixed case is the page's choice
        ("McDonald", "McDonald"),
        ("IU", "IU"),  # a short all-caps stage name
        ("Кристофер Нолан", "Кристофер Нолан"),
        ("류승룡", "류승룡"),
        ("", ""),
    ],
)
def test_clean_person_name(raw: str, expected: str) -> None:
    assert clean_person_name(raw) == expected


SAME_PERSON = [
    # Seeds 000-004: AsianWiki, Wikipedia-derived, Xemovie, the fact box, YAM Magazine.
    ["Ryoo Seung-Ryong", "Ryu Seung-ryong", "Ryoo Seung Ryong", "Ryu Seungryong",
     "Seung-ryong Ryu", "RYU SEUNG-RYONG", "Ryu Seung Ryong", "Seung Ryong Ryu"],
    ["Kal So-Won", "Kal So-won", "Kal so won", "So-won Kal", "Gal So-won"],
    ["Lee Hwan-Kyung", "Lee Hwan-kyung", "Lee Hwan Kyung", "Yi Hwan-kyung"],
    ["Park Shin-Hye", "Park Shinhye", "Park Shin Hye", "Shin-hye Park", "Pak Shin-hye"],
    ["Oh Dal-Su", "Oh Dal-su", "Dal-su Oh", "O Dal-su"],
    ["Jeong Man-Sik", "Jung Man-sik", "Chung Man-sik"],
    ["Choi Min-Su", "Choe Min-su"],
    ["Kim Ki-Cheon", "Kim Ki Cheon", "Gim Ki-cheon"],
    ["Peter Weir", "Weir, Peter", "PETER WEIR", "Peter Weir (director)"],
    ["Jean-Luc Godard", "Jean Luc Godard", "Godard, Jean-Luc"],
    ["Hirokazu Koreeda", "Koreeda Hirokazu"],
    ["Zhang Yimou", "Yimou Zhang"],
    ["Ang Lee", "Lee Ang"],
    ["Ōshima Nagisa", "Oshima Nagisa", "Nagisa Oshima"],
]  # fmt: skip


@pytest.mark.parametrize("names", SAME_PERSON, ids=lambda names: names[0])
def test_spellings_of_one_person_share_a_key(names: list[str]) -> None:
    keys = {person_key(n) for n in names}
    assert len(keys) == 1, keys


DIFFERENT_PEOPLE = [
    ("Kim Jung-Tae", "Kim Jung-Min"),
    ("Park Shin-Hye", "Park Won-Sang"),
    ("Kim Ki-Cheon", "Kim Jung-Tae"),
    ("Jeong Man-Sik", "Jung Jin-Young"),
    ("Lee Hwan-Kyung", "Kim Hwang-Sung"),
    ("Kim Hwang-Sung", "Kim Young-Suk"),
    ("Peter Weir", "Peter Weller"),
    ("Kim Jin", "Jin Park"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PEOPLE)
def test_different_people_keep_different_keys(a: str, b: str) -> None:
    assert person_key(a) != person_key(b)


def test_key_examples() -> None:
    assert person_key("Ryoo Seung-Ryong") == "ryuseungryong"
    assert person_key("Weir, Peter") == "peterweir"
    assert person_key("Park W.S") == "parkws"
    assert person_key("류승룡") == "류승룡"
    assert person_key("") == ""


names = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@given(names)
def test_clean_person_name_is_idempotent(raw: str) -> None:
    once = clean_person_name(raw)
    assert clean_person_name(once) == once


@given(names)
def test_person_key_is_a_fixed_point(raw: str) -> None:
    key = person_key(raw)
    assert person_key(key) == key
    assert person_key(raw) == key  # stable
    assert " " not in key


@given(names)
def test_person_key_ignores_case_and_spacing(raw: str) -> None:
    key = person_key(raw)
    assert person_key(raw.upper()) == key
    assert person_key(raw.lower()) == key
    assert person_key("  " + raw.replace(" ", " \t ") + "\n") == key


@given(
    st.sampled_from(["Ryoo", "Ryu", "Park", "Kim", "Lee", "Kal", "Oh", "Jung", "Choi"]),
    st.from_regex(r"[A-Z][a-z]{1,5}-[a-z]{2,6}", fullmatch=True),
)
def test_korean_order_and_hyphenation_do_not_matter(family: str, given_name: str) -> None:
    key = person_key(f"{family} {given_name}")
    assert person_key(f"{given_name} {family}") == key
    assert person_key(f"{family} {given_name.replace('-', ' ')}") == key
    assert person_key(f"{family} {given_name.replace('-', '')}") == key
    assert person_key(f"{family.upper()} {given_name.upper()}") == key


def test_a_given_name_in_syllables_after_a_surname_is_family_first() -> None:
    # Regression (found by Hypothesis): "Seo" is a common surname too, so "Ryoo Aa seo"
    # was keyed as Seo Ryoo-aa and no longer met "Ryoo Aa-seo".
    assert person_key("Ryoo Aa seo") == person_key("Ryoo Aa-seo") == person_key("Aa-seo Ryoo")
    assert person_key("Park Shin Hye") == person_key("Park Shin-Hye")
    assert person_key("Jin Kim") == person_key("Kim Jin")


# issue 14 item 2: names in CJK scripts, and one person in two scripts
@pytest.mark.parametrize(
    ("raw", "display", "spelled"),
    [
        (
            "克里斯托弗·诺兰 Christopher Nolan",
            "克里斯托弗·诺兰",
            ["克里斯托弗·诺兰", "Christopher Nolan"],
        ),
        ("クリストファー・ノーラン", "クリストファー・ノーラン", ["クリストファー・ノーラン"]),
        ("李‧安", "李‧安", ["李‧安"]),
        ("Park Shin-Hye 박신혜", "Park Shin-Hye", ["Park Shin-Hye", "박신혜"]),
        ("Кристофер Нолан", "Кристофер Нолан", ["Кристофер Нолан"]),
        ("Jean-Luc Godard", "Jean-Luc Godard", ["Jean-Luc Godard"]),
    ],
)
def test_spellings_of_one_person(raw: str, display: str, spelled: list[str]) -> None:
    assert spellings(raw) == spelled
    assert clean_person_name(raw) == display


def test_a_name_in_two_scripts_meets_its_latin_spelling() -> None:
    assert person_key("克里斯托弗·诺兰 Christopher Nolan") == person_key("Christopher Nolan")
    assert person_key("马修·麦康纳 Matthew McConaughey") != person_key("Christopher Nolan")


def test_interpuncts_inside_names_never_split_a_list() -> None:
    assert split_multi("director", "克里斯托弗·诺兰 / 乔纳森·诺兰") == [
        "克里斯托弗·诺兰",
        "乔纳森·诺兰",
    ]
    assert split_multi("director", "クリストファー・ノーラン、宮崎駿") == [
        "クリストファー・ノーラン",
        "宮崎駿",
    ]
    assert split_multi("director", "Derek Jarman · Tilda Swinton") == [
        "Derek Jarman",
        "Tilda Swinton",
    ]
