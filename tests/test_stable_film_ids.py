"""Film ids are stable (issue 18, item 1): an id once given out keeps naming its film,
a merged film's old id becomes an alias every command resolves, and the pages of one
run give the same ids in any order."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from crawler.cli.main import main
from crawler.store.database import open_database
from crawler.store.merge import merge_spools
from crawler.store.writer import write_batch
from schemas.records import CreditRecord, FactRecord, PageRecord, TitleRecord
from schemas.tables import migrate
from tests.helpers.spools import Film, crawl_into

ENGLISH = "https://films.example/the-truman-show"
SPANISH = "https://cine.example/el-show-de-truman"
SHORT = "https://blog.example/truman"
BRIDGE = "https://wiki.example/Truman_Show"


def page(url: str, titles: list[tuple[str, str]], when: str, year: str = "1998") -> PageRecord:
    return PageRecord(
        url=url,
        requested_url=url,
        http_status=200,
        fetched_at=when,
        content_hash=url,
        site=url.split("/")[2],
        title=titles[0][1],
        clean_text=f"{titles[0][1]} ({year}), directed by Peter Weir.",
        extractor="schema_movie",
        titles=[TitleRecord(title, kind, "schema_movie") for kind, title in titles],
        facts=[
            FactRecord("year", year, year, "schema_movie"),
            FactRecord("director", "Peter Weir", "Peter Weir", "schema_movie"),
        ],
        credits=[CreditRecord("Peter Weir", "director", None, "Peter Weir", "peter weir", "x")],
    )


def english() -> PageRecord:
    return page(ENGLISH, [("primary", "The Truman Show")], "2026-01-01T00:00:00Z")


def spanish() -> PageRecord:
    return page(
        SPANISH,
        [("primary", "El show de Truman"), ("alternative", "The Truman Show")],
        "2026-01-02T00:00:00Z",
    )


def films(db: Database) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in db.execute("SELECT id, title FROM films ORDER BY id")]


def aliases(db: Database) -> list[tuple[str, str]]:
    return [tuple(row) for row in db.execute("SELECT alias, film_id FROM film_aliases")]


def test_a_later_page_in_another_language_joins_the_film_without_renaming_it() -> None:
    db = Database(memory=True)
    migrate(db)
    write_batch(db, [english()], generation=1, run_id=1)
    assert films(db) == [("the-truman-show-1998", "The Truman Show")]
    write_batch(db, [spanish()], generation=2, run_id=2)
    # The consensus title may move; the id does not (it was the-truman-show-1998 ->
    # el-show-de-truman-1998 before).
    assert [film_id for film_id, _ in films(db)] == ["the-truman-show-1998"]
    assert {row[0] for row in db.execute("SELECT film_id FROM pages")} == {"the-truman-show-1998"}


def test_within_one_run_the_ids_do_not_depend_on_order_or_batching() -> None:
    expected = None
    for seed in range(4):
        db = Database(memory=True)
        migrate(db)
        pages = [english(), spanish(), page(SHORT, [("primary", "Truman")], "2026-01-03")]
        random.Random(seed).shuffle(pages)
        for item in pages:  # one page a batch, as a slow crawl writes them
            write_batch(db, [item], generation=1, run_id=7)
        got = (films(db), aliases(db))
        assert expected is None or got == expected
        expected = got
    assert expected is not None and expected[1] == []  # nothing merged: no alias


def test_two_films_that_turn_out_to_be_one_keep_one_id_and_alias_the_other() -> None:
    db = Database(memory=True)
    migrate(db)
    write_batch(
        db,
        [english(), page(SHORT, [("primary", "Truman")], "2026-01-01T00:00:01Z")],
        generation=1,
        run_id=1,
    )
    assert [film_id for film_id, _ in films(db)] == ["the-truman-show-1998", "truman-1998"]
    bridge = page(
        BRIDGE,
        [("primary", "The Truman Show"), ("alternative", "Truman")],
        "2026-01-02T00:00:00Z",
    )
    write_batch(db, [bridge], generation=2, run_id=2)
    assert [film_id for film_id, _ in films(db)] == ["the-truman-show-1998"]
    assert aliases(db) == [("truman-1998", "the-truman-show-1998")]


@pytest.fixture
def merged_db(tmp_path: Path) -> Path:
    path = tmp_path / "films.db"
    db = open_database(path)
    write_batch(
        db,
        [english(), page(SHORT, [("primary", "Truman")], "2026-01-01T00:00:01Z")],
        generation=1,
        run_id=1,
    )
    bridge = page(BRIDGE, [("primary", "The Truman Show"), ("alternative", "Truman")], "2026-01-02")
    write_batch(db, [bridge], generation=2, run_id=2)
    db.close()
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["film", "truman-1998"],
        ["film", "truman-1998", "--json"],
        ["comments", "--film", "truman-1998"],
        ["conflicts", "--film", "truman-1998"],
        ["export", "--film", "truman-1998"],
    ],
)
def test_every_command_resolves_an_alias(merged_db: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--db", str(merged_db)])
    assert result.exit_code == 0, result.output


def test_the_film_and_its_export_name_its_aliases(merged_db: Path) -> None:
    shown = CliRunner().invoke(main, ["film", "truman-1998", "--db", str(merged_db)])
    assert "the-truman-show-1998 (also truman-1998)" in shown.output
    exported = CliRunner().invoke(main, ["export", "--db", str(merged_db)])
    record = json.loads(exported.stdout.splitlines()[0])
    assert (record["id"], record["aliases"]) == ("the-truman-show-1998", ["truman-1998"])


class Saved(Film):
    """A page given as its record, for ``crawl_into``."""

    def __init__(self, record: PageRecord) -> None:
        super().__init__(record.url, record.title or "")
        self.record = record

    def item(self, fetched_at: str) -> PageRecord:
        return self.record


def test_a_merged_spool_joins_the_film_without_renaming_it(tmp_path: Path) -> None:
    # filmcrawl merge re-resolves films too: an id the main database gave out stays.
    main_path = crawl_into(tmp_path / "films.db", [(Saved(english()), english().fetched_at)])
    spanish_blog = page(
        "https://blog.example/el-show",
        [("primary", "El show de Truman"), ("alternative", "The Truman Show")],
        "2026-01-02T00:00:01Z",
    )
    spool = crawl_into(
        tmp_path / "spool.db",
        [(Saved(spanish()), "2026-01-02T00:00:00Z"), (Saved(spanish_blog), "2026-01-02")],
    )
    with Database(spool) as spool_db:
        assert [film_id for film_id, _ in films(spool_db)] == ["el-show-de-truman-1998"]
    db = open_database(main_path)
    try:
        merge_spools(db, [spool])  # as filmcrawl merge does: one operation
        assert [film_id for film_id, _ in films(db)] == ["the-truman-show-1998"]
        pages = {row[0] for row in db.execute("SELECT film_id FROM pages")}
        assert pages == {"the-truman-show-1998"}
    finally:
        db.close()
