"""End to end: crawl the bundled sample site over real HTTP into a temporary database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.sample_site.server import SampleSite
from tests.helpers.crawl import run_crawl

pytestmark = pytest.mark.slow

SAMPLE_PATHS = (
    "/asianwiki/Miracle_in_Cell_No.7/",
    "/karlablog/2020/09/miracle-in-cell-no-7/",
    "/xemovie/movie/miracle-in-cell-no-7/",
    "/dramadb/movie/miracle-in-cell-no-7/",
    "/yam/2013/08/miracle-in-cell-no-7-review/",
)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("sample") / "films.db"
    result = run_crawl(db)
    assert result.returncode == 0, result.stderr[-4000:]
    return db, result.stdout


def test_default_crawl_prints_a_summary(sample_db: tuple[Path, str]) -> None:
    db, stdout = sample_db
    # Issue 18: this run beside the totals.
    assert f"filmcrawl run 1 into {db}: finished" in " ".join(stdout.split())
    for label in ("this run", "in the database", "5 fetched: 5 new, 0 changed, 0 same, 0 failed"):
        assert label in stdout
    for name, added in (("films", 1), ("facts", 59), ("comments", 75), ("conflicts", 1)):
        assert re.search(rf"│ {name}\s+│ \+{added}\s+│ {added}\s+│", stdout), name
    assert "comment languages" in stdout and "elapsed" in stdout


def test_every_sample_page_is_stored_once_and_nothing_else(sample_db: tuple[Path, str]) -> None:
    db = Database(sample_db[0])
    rows = list(db.query("SELECT * FROM pages ORDER BY url"))
    paths = sorted("/" + row["url"].split("/", 3)[3] for row in rows)
    # The sample pages link to the real sites they reproduce; none of those is fetched.
    assert paths == sorted(SAMPLE_PATHS)
    for row in rows:
        assert row["status"] == "ok", row
        assert row["http_status"] == 200
        assert row["site"].startswith("127.0.0.1:")
        assert row["title"]
        assert row["clean_text"] and len(row["clean_text"]) > 300
        assert row["lang"] == "en"
        assert len(row["content_hash"]) == 64
        assert row["etag"] and row["last_modified"]
        assert row["first_seen"] == row["last_fetched"] == row["last_changed"]
        assert row["canonical_url"].startswith("https://")
        assert row["encoding"] == "utf-8"


def test_the_run_is_recorded(sample_db: tuple[Path, str]) -> None:
    db = Database(sample_db[0])
    runs = list(db.query("SELECT * FROM crawl_runs"))
    assert len(runs) == 1
    run = runs[0]
    assert run["status"] == "finished"
    assert run["exit_code"] == 0
    assert run["pages_fetched"] == 5
    assert run["pages_new"] == 5
    assert run["started_at"] <= run["finished_at"]
    stats = json.loads(run["stats"])
    assert stats["filmcrawl/store/pages_fetched"] == 5
    assert stats["finish_reason"] == "finished"


def test_recrawling_the_sample_site_through_its_sitemap_is_conditional(tmp_path: Path) -> None:
    """Regression: pages found through a sitemap were fetched without validators."""
    db = tmp_path / "films.db"
    with SampleSite.start() as site:
        sitemap = site.url("/sitemap.xml")
        assert run_crawl(db, "--sitemap", sitemap).returncode == 0
        assert run_crawl(db, "--sitemap", sitemap).returncode == 0
    statuses = [row["status"] for row in Database(db).query("SELECT status FROM pages")]
    assert statuses == ["not_modified"] * 5


def test_explicit_urls_fetch_exactly_those_pages(tmp_path: Path, sample_site: SampleSite) -> None:
    db = tmp_path / "one.db"
    url = sample_site.url(SAMPLE_PATHS[1])
    result = run_crawl(db, url)
    assert result.returncode == 0, result.stderr[-4000:]
    assert [row["url"] for row in Database(db).query("SELECT url FROM pages")] == [url]


def test_follow_stays_on_the_start_host(tmp_path: Path, sample_site: SampleSite) -> None:
    db = tmp_path / "follow.db"
    result = run_crawl(db, sample_site.url(SAMPLE_PATHS[0]), "--follow")
    assert result.returncode == 0, result.stderr[-4000:]
    urls = [row["url"] for row in Database(db).query("SELECT url FROM pages")]
    assert urls
    assert all(url.startswith(sample_site.url("/")) for url in urls)


def test_a_second_crawl_of_the_same_database_waits_for_none(
    tmp_path: Path, sample_site: SampleSite
) -> None:
    """Re-running is incremental: the pages come back 304 and nothing is duplicated."""
    db = tmp_path / "again.db"
    urls = [sample_site.url(path) for path in SAMPLE_PATHS]
    first = run_crawl(db, *urls)
    assert first.returncode == 0, first.stderr[-4000:]
    counts = {t: Database(db)[t].count for t in ("pages", "facts", "comments", "credits")}
    second = run_crawl(db, *urls)
    assert second.returncode == 0, second.stderr[-4000:]
    database = Database(db)
    assert {t: database[t].count for t in counts} == counts
    statuses = {row["status"] for row in database.query("SELECT status FROM pages")}
    assert statuses == {"not_modified"}
    run = next(database.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))
    assert run["pages_not_modified"] == 5


def test_the_five_pages_are_one_film_with_one_conflict(sample_db: tuple[Path, str]) -> None:
    db = Database(sample_db[0])
    assert [row["id"] for row in db.query("SELECT id FROM films")] == ["miracle-in-cell-no-7-2013"]
    film = db["films"].get("miracle-in-cell-no-7-2013")
    assert (film["title"], film["native_title"], film["year"], film["source_count"]) == (
        "Miracle in Cell No. 7",
        "7번방의 선물",
        2013,
        5,
    )
    assert db.execute("SELECT count(*) FROM pages WHERE film_id IS NULL").fetchone() == (0,)
    conflicts = list(db.query("SELECT * FROM fact_conflicts"))
    assert [(row["film_id"], row["field"]) for row in conflicts] == [
        ("miracle-in-cell-no-7-2013", "release_date")
    ]
    values = {entry["value"]: entry["sources"] for entry in json.loads(conflicts[0]["values"])}
    assert sorted(values) == ["2013-01-23", "2013-01-24"]
    assert [url.split("/")[3] for url in values["2013-01-24"]] == ["yam"]
    assert sorted(url.split("/")[3] for url in values["2013-01-23"]) == ["dramadb", "xemovie"]


def test_comments_are_one_record_each_with_threads_and_languages(
    sample_db: tuple[Path, str],
) -> None:
    db = Database(sample_db[0])
    per_site: dict[str, list[int]] = {}
    for row in db.query("SELECT page_url, kind FROM comments"):
        counts = per_site.setdefault(row["page_url"].split("/")[3], [0, 0])
        counts[row["kind"] == "pingback"] += 1
    assert per_site == {"asianwiki": [63, 0], "karlablog": [3, 0], "yam": [2, 7]}
    reply = next(db.query("SELECT * FROM comments WHERE kind = 'reply'"))
    parent = db["comments"].get(reply["parent_id"])
    assert (reply["author"], parent["author"]) == ("amy", "Julili")
    zach = next(db.query("SELECT * FROM comments WHERE author = 'Zach Asyraf'"))
    assert zach["lang"] == "ms"
    assert db.execute("SELECT count(*) FROM comments WHERE film_id IS NULL").fetchone() == (0,)
    kdawn = [row["text"] for row in db.query("SELECT text FROM comments WHERE author = 'kdawn'")]
    assert len(kdawn) == 2


def test_full_text_search_finds_comments(sample_db: tuple[Path, str]) -> None:
    db = Database(sample_db[0])
    authors = sorted(
        row["author"]
        for row in db.query(
            "SELECT author FROM comments WHERE rowid IN "
            "(SELECT rowid FROM comments_fts WHERE comments_fts MATCH 'daebak')"
        )
    )
    assert "Noy" in authors and "sanchez" in authors
    # Comments never leak into the page text, and the page text is searchable too.
    assert db.execute(
        "SELECT count(*) FROM pages WHERE clean_text LIKE '%I cried like a baby%'"
    ).fetchone() == (0,)
    hits = list(
        db.query(
            "SELECT url FROM pages WHERE rowid IN "
            "(SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'backback')"
        )
    )
    assert len(hits) == 1 and "asianwiki" in hits[0]["url"]
