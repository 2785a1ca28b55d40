"""filmcrawl merge: spools into the main database, one transaction each, idempotent.

Spools here are written by the real batch writer (no network); the Scrapyd test
(tests/test_scrapyd.py) merges spools of real crawls.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.store import merge as merge_module
from crawler.store import runs
from crawler.store.database import open_database
from crawler.store.film_resolution import resolve_all
from crawler.store.lock import DatabaseLock
from crawler.store.merge import MergeError, merge_spool
from crawler.store.writer import write_batch
from tests.helpers.spools import CONTENT_TABLES, Film, canonical_dump, crawl_into, write_single

BASE = "http://127.0.0.1:8000"
T1, T2, T3, T4 = (f"2026-01-0{day}T00:00:00Z" for day in range(1, 5))

MIRACLE_WIKI = Film(
    f"{BASE}/wiki/miracle",
    "Miracle in Cell No. 7",
    facts=[("runtime_minutes", "127"), ("country", "South Korea")],
    comments=[
        ("kdawn", "so touching, I cried through the whole second half of it"),
        ("ana", "wow"),
    ],
    links=[f"{BASE}/wiki/lee-hwan-kyung"],
)
MIRACLE_BLOG = Film(
    f"{BASE}/blog/miracle",
    "Miracle in Cell No.7",
    facts=[("runtime_minutes", "127")],
    comments=[
        ("kdawn", "so touching, I cried through the whole second half of it"),
        ("bo", "so touching, I cried through the whole second half of it!!"),
    ],
)
REMAKE = Film(
    f"{BASE}/wiki/remake", "Miracle in Cell No. 7", year=2019, director="Mehmet Ada Öztekin"
)
OTHER = Film(f"{BASE}/wiki/other", "Stalker", year=1979, director="Andrei Tarkovsky")


def main_db(tmp_path: Path, name: str = "films.db") -> Database:
    return open_database(tmp_path / name)


def merge_all(main: Path, *spools: Path, force: bool = False) -> list[merge_module.MergeResult]:
    db = open_database(main)
    try:
        return [merge_spool(db, spool, force=force) for spool in spools]
    finally:
        db.close()


def content(path: Path) -> str:
    return canonical_dump(path, CONTENT_TABLES)


# --- the result is what one crawl of everything gives ---------------------------------


def test_merged_spools_equal_one_crawl_of_all_their_pages(tmp_path: Path) -> None:
    a = crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1), (OTHER, T1)])
    b = crawl_into(tmp_path / "b.db", [(MIRACLE_BLOG, T2), (REMAKE, T2)])
    merged = tmp_path / "films.db"
    merge_all(merged, a, b)
    single = write_single(
        tmp_path / "single.db", [(MIRACLE_WIKI, T1), (OTHER, T1), (MIRACLE_BLOG, T2), (REMAKE, T2)]
    )
    assert content(merged) == content(single)
    db = Database(merged)
    films = {row["id"]: row["source_count"] for row in db.query("SELECT * FROM films")}
    assert films == {
        "miracle-in-cell-no-7-2013": 2,
        "miracle-in-cell-no-7-2019": 1,
        "stalker-1979": 1,
    }
    # The comment both pages carry is one original and one copy; the near copy is flagged.
    copies = list(db.query("SELECT author, duplicate_of, near_duplicate_of FROM comments"))
    assert sum(row["duplicate_of"] is not None for row in copies) == 1
    assert sum(row["near_duplicate_of"] is not None for row in copies) == 1


def test_the_order_spools_are_merged_in_does_not_matter(tmp_path: Path) -> None:
    a = crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1), (OTHER, T3)])
    changed = Film(**{**vars(MIRACLE_WIKI), "content": "v2", "facts": [("country", "Korea")]})
    b = crawl_into(tmp_path / "b.db", [(changed, T2), (MIRACLE_BLOG, T2)])
    merge_all(tmp_path / "ab.db", a, b)
    merge_all(tmp_path / "ba.db", b, a)
    assert content(tmp_path / "ab.db") == content(tmp_path / "ba.db")


def test_block_limited_resolution_gives_what_resolving_everything_gives(tmp_path: Path) -> None:
    a = crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1), (OTHER, T1)])
    b = crawl_into(tmp_path / "b.db", [(MIRACLE_BLOG, T2), (REMAKE, T2)])
    merged = tmp_path / "films.db"
    merge_all(merged, a, b)
    again = tmp_path / "again.db"
    shutil.copy(merged, again)
    db = Database(again)
    with db.atomic():
        resolve_all(db)
    db.close()
    assert content(merged) == content(again)


# --- pages: the newer fetch wins, nothing stored is lost -------------------------------


def test_the_newer_fetch_wins_and_first_seen_is_the_earliest(tmp_path: Path) -> None:
    old = crawl_into(tmp_path / "old.db", [(MIRACLE_WIKI, T1)])
    newer = Film(**{**vars(MIRACLE_WIKI), "content": "v2", "facts": [("runtime_minutes", "128")]})
    new = crawl_into(tmp_path / "new.db", [(newer, T3)])
    merged = tmp_path / "films.db"
    merge_all(merged, new, old)  # the older spool last: it must not win
    db = Database(merged)
    page = db["pages"].get(MIRACLE_WIKI.url)
    assert (page["first_seen"], page["last_fetched"], page["clean_text"]) == (
        T1,
        T3,
        "Miracle in Cell No. 7: v2",
    )
    runtimes = {
        row["value"]: (row["current"], row["first_seen"], row["last_seen"])
        for row in db.query("SELECT * FROM facts WHERE field = 'runtime_minutes'")
    }
    assert runtimes == {"127": (0, T1, T1), "128": (1, T3, T3)}
    year = next(db.query("SELECT * FROM facts WHERE field = 'year'"))
    assert (year["first_seen"], year["last_seen"], year["current"]) == (T1, T3, 1)
    comment = next(db.query("SELECT * FROM comments WHERE author = 'kdawn'"))
    assert (comment["first_seen"], comment["last_seen"]) == (T1, T3)


def test_a_failed_newer_fetch_keeps_the_stored_content(tmp_path: Path) -> None:
    ok = crawl_into(tmp_path / "ok.db", [(MIRACLE_WIKI, T1)])
    failing = Film(MIRACLE_WIKI.url, MIRACLE_WIKI.title, status="http_error")
    failed = crawl_into(tmp_path / "failed.db", [(failing, T2)])
    merged = tmp_path / "films.db"
    merge_all(merged, ok, failed)
    db = Database(merged)
    page = db["pages"].get(MIRACLE_WIKI.url)
    assert (page["status"], page["http_status"], page["last_fetched"]) == ("http_error", 503, T2)
    assert page["clean_text"] == "Miracle in Cell No. 7: v1"
    assert page["film_id"] == "miracle-in-cell-no-7-2013"
    assert db.execute("SELECT count(*) FROM facts WHERE current = 1").fetchone()[0] == 4
    # ... and the same written the other way round.
    merge_all(tmp_path / "other.db", failed, ok)
    assert content(tmp_path / "other.db") == content(merged)


# --- idempotence and high-water marks ------------------------------------------------------


def test_merging_the_same_spool_twice_changes_nothing(tmp_path: Path) -> None:
    a = crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1), (MIRACLE_BLOG, T1)])
    merged = tmp_path / "films.db"
    [first] = merge_all(merged, a)
    before = canonical_dump(merged)
    [second] = merge_all(merged, a)
    assert first.merge_id == 1 and first.counts["pages"] == 2
    assert second.up_to_date
    assert canonical_dump(merged) == before


def test_a_renamed_spool_is_still_the_same_spool(tmp_path: Path) -> None:
    a = crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1)])
    merged = tmp_path / "films.db"
    merge_all(merged, a)
    before = canonical_dump(merged)
    moved = tmp_path / "elsewhere" / "shard-007.db"
    moved.parent.mkdir()
    a.rename(moved)
    [again] = merge_all(merged, moved)
    assert again.up_to_date
    assert canonical_dump(merged) == before


def test_a_grown_spool_gives_only_what_is_new(tmp_path: Path) -> None:
    spool = tmp_path / "a.db"
    crawl_into(spool, [(MIRACLE_WIKI, T1), (OTHER, T1)])
    merged = tmp_path / "films.db"
    merge_all(merged, spool)
    newer_wiki = Film(**{**vars(MIRACLE_WIKI), "content": "v2"})
    crawl_into(spool, [(newer_wiki, T3), (MIRACLE_BLOG, T3)])
    [grown] = merge_all(merged, spool)
    assert (grown.since, grown.from_run_id, grown.to_run_id) == (T1, 1, 2)
    assert grown.counts["pages"] == 2  # the two pages of run 2; OTHER was not taken again
    assert grown.counts["crawl_runs"] == 1
    single = write_single(
        tmp_path / "single.db",
        [(MIRACLE_WIKI, T1), (OTHER, T1), (newer_wiki, T3), (MIRACLE_BLOG, T3)],
    )
    assert content(merged) == content(single)
    db = Database(merged)
    log = list(db.query("SELECT to_run_id, since, pages FROM merges ORDER BY id"))
    assert log == [
        {"to_run_id": 1, "since": None, "pages": 2},
        {"to_run_id": 2, "since": T1, "pages": 2},
    ]
    copied = list(db.query("SELECT spool_run_id, status FROM crawl_runs ORDER BY id"))
    assert copied == [
        {"spool_run_id": 1, "status": "finished"},
        {"spool_run_id": 2, "status": "finished"},
    ]
    assert {row["spool_uuid"] for row in db.query("SELECT spool_uuid FROM crawl_runs")} == {
        Database(spool).execute("SELECT uuid FROM _database_identity").fetchone()[0]
    }


def test_a_copy_crawled_separately_is_refused(tmp_path: Path) -> None:
    spool = crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1)])
    copy = tmp_path / "copy.db"
    shutil.copy(spool, copy)
    merged = tmp_path / "films.db"
    merge_all(merged, spool)
    crawl_into(spool, [(OTHER, T2)])
    crawl_into(copy, [(MIRACLE_BLOG, T3)])
    merge_all(merged, spool)
    before = canonical_dump(merged)
    with pytest.raises(MergeError, match="not the history merged before"):
        merge_all(merged, copy)
    assert canonical_dump(merged) == before


# --- what is refused ----------------------------------------------------------------------


def test_a_spool_whose_crawl_is_running_is_refused_unless_forced(tmp_path: Path) -> None:
    spool = crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1)])
    merged = tmp_path / "films.db"
    crawl = DatabaseLock(spool)
    crawl.acquire()  # as a running crawl holds it
    try:
        with pytest.raises(MergeError, match="in use by another filmcrawl crawl"):
            merge_all(merged, spool)
        assert not Database(merged)["pages"].count
        [forced] = merge_all(merged, spool, force=True)
        assert forced.forced and forced.counts["pages"] == 1
    finally:
        crawl.release()


def test_an_unfinished_run_is_refused_and_a_forced_merge_takes_it_again(tmp_path: Path) -> None:
    spool = crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1)])
    db = open_database(spool)

    runs.begin_run(db, T2, 1, False, {})  # a run killed after one batch
    write_batch(db, [OTHER.item(T2)], generation=1)
    db.close()
    merged = tmp_path / "films.db"
    with pytest.raises(MergeError, match="run 2 never finished"):
        merge_all(merged, spool)
    [forced] = merge_all(merged, spool, force=True)
    assert (forced.to_run_id, forced.counts["pages"], forced.counts["crawl_runs"]) == (1, 2, 1)
    # The unfinished run is not behind the high-water mark: it is taken again.
    [again] = merge_all(merged, spool, force=True)
    assert not again.up_to_date and again.since == T2


@pytest.mark.parametrize("name", ["films.db", "copy.db"])
def test_the_target_database_cannot_be_merged_into_itself(tmp_path: Path, name: str) -> None:
    merged = crawl_into(tmp_path / "films.db", [(MIRACLE_WIKI, T1)])
    shutil.copy(merged, tmp_path / "copy.db")
    with pytest.raises(MergeError, match=r"merged into|target database itself"):
        merge_all(merged, tmp_path / name)


def test_a_file_that_is_no_spool_is_refused_and_left_alone(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(MergeError, match="no such spool"):
        merge_all(tmp_path / "films.db", missing)
    assert not missing.exists()
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(MergeError, match="not a readable SQLite database"):
        merge_all(tmp_path / "films.db", text)
    other = tmp_path / "other.db"
    Database(other)["things"].insert({"id": 1})
    with pytest.raises(MergeError, match="not a filmcrawl database"):
        merge_all(tmp_path / "films.db", other)
    assert Database(other).table_names() == ["things"]


# --- all or nothing ------------------------------------------------------------------------


@pytest.mark.parametrize("step", merge_module.STEPS)
def test_a_merge_interrupted_between_steps_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    merged = tmp_path / "films.db"
    merge_all(merged, crawl_into(tmp_path / "a.db", [(MIRACLE_WIKI, T1)]))
    b = crawl_into(tmp_path / "b.db", [(MIRACLE_BLOG, T2), (REMAKE, T2)])
    before = canonical_dump(merged)

    def interrupt(done: str) -> None:
        if done == step:
            raise KeyboardInterrupt(f"stopped after {step}")

    monkeypatch.setattr(merge_module, "_step_done", interrupt)
    with pytest.raises(KeyboardInterrupt):
        merge_all(merged, b)
    assert canonical_dump(merged) == before
    monkeypatch.undo()
    [done] = merge_all(merged, b)
    assert done.counts["pages"] == 2
