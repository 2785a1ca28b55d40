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


def test_a_page_states_one_release_date_the_stronger_extractor_s_stands_issue_14() -> None:
    # Structured data's datePublished against a fact box line that lists the local
    # premiere first: the page does not argue with itself; both extractors agreeing on
    # a value, or one extractor listing several, are kept as they are.
    item = cleaned(
        [
            FactRecord("release_date", "2010-07-16", extractor="schema_movie"),
            FactRecord("runtime_minutes", "PT2H28M", extractor="schema_movie"),
            FactRecord("release_date", "2010-09-01(中国大陆)", extractor="factbox"),
            FactRecord("runtime_minutes", "148分钟", extractor="factbox"),
            FactRecord("genre", "科幻", extractor="factbox"),
        ]
    )
    assert [(f.field, f.value, f.extractor) for f in item.facts] == [
        ("release_date", "2010-07-16", "schema_movie"),
        ("runtime_minutes", "148", "schema_movie"),
        ("genre", "Science Fiction", "factbox"),
    ]
    assert item.events == {"clean/fact_overruled/release_date": 1}
