"""The clean step's page-level rules for facts and credits (issue 14)."""

from __future__ import annotations

from crawler.process.clean import clean_page
from schemas.records import CreditRecord, FactRecord, PageRecord


def cleaned(facts: list[FactRecord] = (), credits: list[CreditRecord] = ()) -> PageRecord:  # type: ignore[assignment]
    return clean_page(
        PageRecord(url="https://example.org/", facts=list(facts), credits=list(credits))
    )


def test_a_release_date_that_is_only_a_year_is_the_year() -> None:
    item = cleaned([FactRecord("release_date", "2013"), FactRecord("release_date", "Jan 23, 2013")])
    assert {(f.field, f.value) for f in item.facts} == {
        ("year", "2013"),
        ("release_date", "2013-01-23"),
    }


def test_one_person_in_two_scripts_is_one_credit_key_on_the_page() -> None:
    item = cleaned(
        credits=[
            CreditRecord("克里斯托弗·诺兰 Christopher Nolan", "director"),
            CreditRecord("克里斯托弗·诺兰", "director"),
        ]
    )
    assert [(c.person, c.person_key, c.raw) for c in item.credits] == [
        ("克里斯托弗·诺兰", "christophernolan", "克里斯托弗·诺兰 Christopher Nolan")
    ]


def test_an_actor_with_a_character_is_not_listed_again_without_one() -> None:
    item = cleaned(
        credits=[
            CreditRecord("Simon Chuckster", "cast"),
            CreditRecord("Simon Chuckster", "cast", "Beetle"),
            CreditRecord("John Amos", "cast"),
        ]
    )
    assert [(c.person, c.character) for c in item.credits] == [
        ("Simon Chuckster", "Beetle"),
        ("John Amos", None),
    ]
