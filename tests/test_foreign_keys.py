"""Foreign keys (issue 18, item 9): declared between the contract tables so Datasette
links a film to its facts, comments and pages; kept true by the writer and the merge;
a 0.1 database migrates with every row, index, full-text trigger and view kept."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from crawler.cli.main import main
from crawler.store.database import open_database
from crawler.store.writer import write_batch
from schemas.tables import FOREIGN_KEYS, migrate, migrations
from tests.test_stable_film_ids import BRIDGE, SHORT, english, page


def test_every_declared_link_is_in_the_schema(fresh_db: Database) -> None:
    for table, column, other, other_column, on_delete in FOREIGN_KEYS:
        keys = {
            (fk.column, fk.other_table, fk.other_column, fk.on_delete)
            for fk in fresh_db[table].foreign_keys
        }
        assert (column, other, other_column, on_delete) in keys, (table, column)


def test_the_references_hold_after_writes_and_a_film_merge(fresh_db: Database) -> None:
    write_batch(
        fresh_db, [english(), page(SHORT, [("primary", "Truman")], "2026-01-01")], 1, run_id=1
    )
    bridge = page(BRIDGE, [("primary", "The Truman Show"), ("alternative", "Truman")], "2026-01-02")
    write_batch(fresh_db, [bridge], 2, run_id=2)
    assert fresh_db.execute("SELECT count(*) FROM film_aliases").fetchone()[0] == 1
    assert fresh_db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.slow
def test_the_sample_crawl_satisfies_every_reference(sample_crawl_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "films.db"
    shutil.copy(sample_crawl_db, path)
    db = Database(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # A tool that enforces them can delete a page: its records go with it.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    url = conn.execute("SELECT url FROM pages ORDER BY url LIMIT 1").fetchone()[0]
    with conn:
        conn.execute("DELETE FROM pages WHERE url = ?", [url])
    assert conn.execute("SELECT count(*) FROM facts WHERE source_url = ?", [url]).fetchone()[0] == 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_database_of_version_0_1_migrates_with_everything_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="0004_work_kinds_and_mirrors")
    url = english().url
    db["pages"].insert(
        {"url": url, "film_id": "the-truman-show-1998", "title": "The Truman Show",
         "clean_text": "A man lives in a show.", "status": "ok",
         "first_seen": "2025-01-01T00:00:00Z", "last_fetched": "2025-01-01T00:00:00Z"}
    )  # fmt: skip
    db["films"].insert({"id": "the-truman-show-1998", "title": "The Truman Show", "year": 1998})
    db["film_titles"].insert(
        {"id": "t1", "film_id": "the-truman-show-1998", "title": "The Truman Show",
         "kind": "primary", "source_url": url, "current": 1}
    )  # fmt: skip
    db["facts"].insert(
        {"id": "f1", "film_id": "the-truman-show-1998", "field": "year", "value": "1998",
         "raw": "1998", "source_url": url, "current": 1}
    )  # fmt: skip
    db["credits"].insert(
        {"id": "r1", "film_id": "the-truman-show-1998", "person": "Peter Weir",
         "role": "director", "source_url": url, "current": 1}
    )  # fmt: skip
    for n in range(3):  # a gap in the rowids must survive the rebuild
        db.execute(
            "INSERT INTO comments (id, film_id, page_url, text, kind, position) VALUES "
            "(?, 'the-truman-show-1998', ?, ?, 'comment', ?)",
            [f"c{n}", url, f"a lighthouse of a film number {n}, daebak", n],
        )
    db.execute("DELETE FROM comments WHERE id = 'c1'")
    before = {
        table: db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
        for table in ("pages", "facts", "credits", "film_titles", "comments", "films")
    }
    indexes = {table: {i.name for i in db[table].indexes} for table in before}
    db.close()

    db = open_database(path)  # migrates
    for table, rows in before.items():
        now = db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
        assert [row[: len(rows[0])] for row in now] == rows, table
        assert indexes[table] <= {i.name for i in db[table].indexes}, table
    # The ids 0.1 gave out are fixed from now on.
    assert {row[0] for row in db.execute("SELECT given_by FROM films")} == {"filmcrawl 0.1"}
    # Full-text search still finds old rows and indexes new ones (triggers are back).
    search = "SELECT rowid FROM comments_fts WHERE comments_fts MATCH ?"
    assert len(db.execute(search, ["daebak"]).fetchall()) == 2
    db.execute(
        "INSERT INTO comments (id, page_url, text, kind, position) VALUES "
        "('c9', ?, 'a second lighthouse', 'comment', 9)",
        [url],
    )
    assert len(db.execute(search, ["lighthouse"]).fetchall()) == 3
    assert db.execute("SELECT count(*) FROM fact_conflicts").fetchone()[0] == 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    migrate(db)  # again: nothing to do


def test_a_query_command_upgrades_an_old_database_once(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="0004_work_kinds_and_mirrors")
    db["films"].insert({"id": "the-truman-show-1998", "title": "The Truman Show", "year": 1998})
    db.close()
    first = CliRunner().invoke(main, ["films", "--db", str(path), "--csv"])
    assert first.exit_code == 0, first.output
    assert f"upgraded {path} to the current schema" in first.stderr
    assert "the-truman-show-1998,,The Truman Show,1998" in first.stdout  # no kind stated
    again = CliRunner().invoke(main, ["films", "--db", str(path)])
    assert "upgraded" not in again.stderr
