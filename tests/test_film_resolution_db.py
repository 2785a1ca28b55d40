"""One film across sites, remakes apart, and the same database whatever the order.

The five sample pages and two remake pages go through the whole pure chain and the
batch writer, as a crawl would store them.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.process.page import process_html
from crawler.sample_site.server import SITE_DIR
from crawler.store.film_resolution import claim_for_page, claim_for_record, film_claim
from crawler.store.writer import write_batch
from schemas.records import PageRecord
from schemas.tables import migrate

SAMPLE_PAGES = {
    "https://asianwiki.com/Miracle_in_Cell_No.7": "asianwiki/Miracle_in_Cell_No.7",
    "https://karlablog.com/2020/09/miracle-in-cell-no-7/": "karlablog/2020/09/miracle-in-cell-no-7",
    "https://xemovie.com/movie/miracle-in-cell-no-7": "xemovie/movie/miracle-in-cell-no-7",
    "https://dramadb.com/movie/miracle-in-cell-no-7/": "dramadb/movie/miracle-in-cell-no-7",
    "https://yam-mag.com/2013/08/miracle-in-cell-no-7-review/": (
        "yam/2013/08/miracle-in-cell-no-7-review"
    ),
}
REMAKES = {
    "https://filmrehberi.example/film/7-kogustaki-mucize-2019": "turkish.html",
    "https://pinoyscreen.example/2020/01/miracle-in-cell-no-7-2019-review/": "philippine.html",
}
FIXTURES = Path(__file__).parent / "fixtures" / "remakes"


@pytest.fixture(scope="module")
def items() -> list[PageRecord]:
    pages = [
        process_html(url, (SITE_DIR / path / "index.html").read_bytes())
        for url, path in SAMPLE_PAGES.items()
    ]
    pages += [process_html(url, (FIXTURES / name).read_bytes()) for url, name in REMAKES.items()]
    for index, item in enumerate(pages):
        item.fetched_at = f"2026-01-01T00:00:0{index}Z"
    return pages


def store(items: list[PageRecord], batch: int) -> Database:
    db = Database(memory=True)
    migrate(db)
    for start in range(0, len(items), batch):
        write_batch(db, items[start : start + batch], generation=1)
    return db


def content(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Everything but timestamps, in a canonical order."""
    queries = {
        "films": "SELECT * FROM films",
        "film_titles": "SELECT film_id, title, kind, source_url FROM film_titles",
        "facts": "SELECT film_id, field, value, raw, source_url, extractor FROM facts",
        "credits": "SELECT film_id, person, role, character, source_url FROM credits",
        "comments": "SELECT id, film_id, page_url, author, text, parent_id, kind, lang, "
        "duplicate_of, near_duplicate_of FROM comments",
        "pages": "SELECT url, film_id, title, status FROM pages",
    }
    return {
        table: sorted((tuple(row) for row in db.execute(sql).fetchall()), key=repr)
        for table, sql in queries.items()
    }


def test_the_sample_site_is_one_film_and_the_remakes_are_two_more(items: list[PageRecord]) -> None:
    db = store(items, batch=50)
    films = {row["id"]: row for row in db.query("SELECT * FROM films")}
    assert set(films) == {
        "miracle-in-cell-no-7-2013",
        "miracle-in-cell-no-7-2019",
        "7-kogustaki-mucize-2019",
    }
    original = films["miracle-in-cell-no-7-2013"]
    assert (original["title"], original["native_title"], original["year"]) == (
        "Miracle in Cell No. 7",
        "7번방의 선물",
        2013,
    )
    assert original["source_count"] == 5
    by_page = {row["url"]: row["film_id"] for row in db.query("SELECT url, film_id FROM pages")}
    assert {by_page[url] for url in SAMPLE_PAGES} == {"miracle-in-cell-no-7-2013"}
    assert films["7-kogustaki-mucize-2019"]["country"] == "Turkey"
    assert films["miracle-in-cell-no-7-2019"]["country"] == "Philippines"


def test_every_title_lands_with_its_kind_and_source(items: list[PageRecord]) -> None:
    db = store(items, batch=50)
    titles = {
        (row["title"], row["kind"], row["source_url"])
        for row in db.query("SELECT * FROM film_titles WHERE film_id = 'miracle-in-cell-no-7-2013'")
    }
    dramadb = "https://dramadb.com/movie/miracle-in-cell-no-7/"
    assert (
        "Miracle in Cell No.7",
        "primary",
        "https://asianwiki.com/Miracle_in_Cell_No.7",
    ) in titles
    assert (
        "Miracle in cell no 7",
        "primary",
        "https://xemovie.com/movie/miracle-in-cell-no-7",
    ) in titles
    assert ("7번방의 선물", "native", dramadb) in titles
    assert ("Gift From Room 7", "alternative", dramadb) in titles


def test_conflicts_show_the_two_release_dates_with_their_sources(items: list[PageRecord]) -> None:

    db = store(items, batch=50)
    rows = list(
        db.query("SELECT * FROM fact_conflicts WHERE film_id = 'miracle-in-cell-no-7-2013'")
    )
    assert [row["field"] for row in rows] == ["release_date"]
    values = {entry["value"]: entry["sources"] for entry in json.loads(rows[0]["values"])}
    assert values == {
        "2013-01-23": [
            "https://dramadb.com/movie/miracle-in-cell-no-7/",
            "https://xemovie.com/movie/miracle-in-cell-no-7",
        ],
        "2013-01-24": ["https://yam-mag.com/2013/08/miracle-in-cell-no-7-review/"],
    }
    # The consensus is the date most sources state.
    assert db["films"].get("miracle-in-cell-no-7-2013")["release_date"] == "2013-01-23"


def test_credits_pair_actors_with_their_characters_across_spellings(
    items: list[PageRecord],
) -> None:
    db = store(items, batch=50)
    asianwiki = next(
        db.query(
            "SELECT * FROM credits WHERE source_url = 'https://asianwiki.com/Miracle_in_Cell_No.7' "
            "AND person = 'Ryoo Seung-Ryong'"
        )
    )
    assert (asianwiki["role"], asianwiki["character"]) == ("cast", "Yong-Goo")
    spellings = {
        row["person"]
        for row in db.query(
            "SELECT person FROM credits WHERE person_key = ? AND film_id = ?",
            [asianwiki["person_key"], "miracle-in-cell-no-7-2013"],
        )
    }
    assert {"Ryoo Seung-Ryong", "Ryu Seung-ryong"} <= spellings


def test_every_fact_keeps_its_provenance(items: list[PageRecord]) -> None:
    db = store(items, batch=50)
    assert db.execute(
        "SELECT count(*) FROM facts WHERE source_url IS NULL OR extractor IS NULL OR raw IS NULL"
    ).fetchone() == (0,)
    runtime = next(
        db.query(
            "SELECT * FROM facts WHERE field = 'runtime_minutes' AND source_url LIKE '%dramadb%'"
        )
    )
    assert (runtime["value"], runtime["raw"]) == ("127", "2 hr. 7 min.")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_database_does_not_depend_on_crawl_order_or_batching(
    items: list[PageRecord], seed: int
) -> None:
    expected = content(store(items, batch=50))
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    assert content(store(shuffled, batch=seed)) == expected


def test_the_claim_computed_from_a_record_is_the_one_read_back_after_the_write(
    items: list[PageRecord],
) -> None:
    # Issue 15: the resolve pipeline computes each page's claim before the store's
    # transaction; it must be exactly what the writer would read back from its rows.
    db = store(items, batch=50)
    for item in items:
        assert film_claim(item.url, claim_for_record(item)) == claim_for_page(db, item.url)


def test_claims_handed_to_the_writer_give_the_same_database(items: list[PageRecord]) -> None:
    expected = content(store(items, batch=3))
    resolved = copy.deepcopy(items)
    for item in resolved:
        item.film_claim = claim_for_record(item)
    assert all(item.film_claim is not None for item in resolved)
    assert content(store(resolved, batch=3)) == expected
