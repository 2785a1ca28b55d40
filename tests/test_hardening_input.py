"""Issue 17, item 3: one bad line of a URL file must not poison the database.

Bad lines are reported as ``file:line: reason`` and skipped before anything reaches
the frontier, a byte order mark is stripped, and a frontier that already holds an
unusable URL (stored by an older version) drops it with a warning and goes on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.fetch.url_lists import read_url_file, url_problem
from crawler.run.status import EXIT_OK, EXIT_USAGE
from tests.helpers.crawl import run_crawl
from tests.helpers.servers import Answer, film_page, scripted_server

pytestmark = pytest.mark.redteam


def test_a_url_file_reports_each_bad_line_and_keeps_the_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_bytes(
        b"\xef\xbb\xbfhttps://example.org/first\n"  # a BOM before the first URL
        b"# a comment\n"
        b"example.org/no-scheme\n"
        b"https://example.org/a b\n"
        b"ftp://example.org/file\n"
        b"https://example.org/caf\xe9\n"  # Latin-1, not UTF-8
        b"https://example.org/second  # a trailing comment\n"
        b"\n"
        b"https://example.org/first\n"
    )
    listed = read_url_file(path)
    assert listed.urls == ["https://example.org/first", "https://example.org/second"]
    assert listed.problems == [
        f"{path}:3: no scheme: write https://example.org/no-scheme: 'example.org/no-scheme'",
        f"{path}:4: contains a space: 'https://example.org/a b'",
        f"{path}:5: ftp: URLs are not crawled, only http and https: 'ftp://example.org/file'",
        f"{path}:6: not UTF-8 text",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://",
        "http:/example.org/",
        "javascript:alert(1)",
        "http://[::1",
        "http://example.org:99999/",
        "http://exa%zzmple.org/",
        "\ufeffhttp://example.org/",
        "http://example.org/\x1b[31m",
        "/srv/sitemap.xml",
    ],
)
def test_urls_no_request_can_be_made_of_are_named(url: str) -> None:
    assert url_problem(url) is not None


@pytest.mark.slow
def test_bad_lines_are_skipped_and_later_runs_still_work(tmp_path: Path) -> None:
    """A malformed line or a BOM stored a bad URL in the frontier: from then on every run
    on that database exited 1, fetched nothing and gave no hint."""
    db = tmp_path / "films.db"
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/film", Answer.html(film_page()))
        urls = tmp_path / "urls.txt"
        urls.write_text(f"\ufeff{server.url('/film')}\nnot a url\nwww.example.org/x\n")
        first = run_crawl(db, "--urls-file", str(urls))
        second = run_crawl(db, server.url("/film"))
    assert first.returncode == EXIT_OK, first.stderr[-3000:]
    assert f"{urls}:2: contains a space: 'not a url' (skipped)" in first.stderr
    assert f"{urls}:3: no scheme: write https://www.example.org/x" in first.stderr
    assert second.returncode == EXIT_OK, second.stderr[-3000:]
    database = Database(db)
    assert [row["url"] for row in database.query("SELECT url FROM frontier")] == [
        server.url("/film")
    ]
    assert database["pages"].get(server.url("/film"))["status"] in ("ok", "unchanged")


@pytest.mark.slow
def test_an_unusable_url_already_in_the_frontier_is_dropped_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    db = tmp_path / "films.db"
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/film", Answer.html(film_page()))
        server.route("/other", Answer.html(film_page("Another Film")))
        assert run_crawl(db, server.url("/film")).returncode == EXIT_OK
        # What an older version stored from a bad line: a pending URL no request can be
        # made of, in the current generation, so that the next run resumes it.
        database = Database(db)
        generation = database.execute("SELECT max(generation) FROM frontier").fetchone()[0]
        for bad in ("\ufeff" + server.url("/film"), "not a url"):
            database["frontier"].insert(
                {
                    "url": bad,
                    "generation": generation,
                    "state": "pending",
                    "kind": "seed",
                    "depth": 0,
                    "discovered_at": "2026-01-01T00:00:00Z",
                }
            )
        database.close()
        resumed = run_crawl(db, server.url("/other"))
        after = run_crawl(db, server.url("/other"))
    assert resumed.returncode == EXIT_OK, resumed.stderr[-3000:]
    assert "dropping the unusable URL 'not a url'" in resumed.stderr
    assert after.returncode == EXIT_OK, after.stderr[-3000:]
    outcomes = {
        row["url"]: (row["state"], row["outcome"])
        for row in Database(db).query("SELECT url, state, outcome FROM frontier")
    }
    assert outcomes["not a url"] == ("done", "unusable_url")
    assert outcomes["\ufeff" + server.url("/film")] == ("done", "unusable_url")
    assert Database(db)["pages"].get(server.url("/other"))["status"] in ("ok", "unchanged")


@pytest.mark.slow
def test_nothing_usable_is_a_usage_error_not_the_sample_site(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("nothing here is a URL\n")
    result = run_crawl(tmp_path / "films.db", "--urls-file", str(urls))
    assert result.returncode == EXIT_USAGE
    assert "none of the URLs given can be crawled" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "films.db").exists()


@pytest.mark.slow
def test_a_bad_allow_domain_is_a_usage_error(tmp_path: Path) -> None:
    result = run_crawl(tmp_path / "films.db", "http://127.0.0.1:1/", "--allow-domain", "exa mple")
    assert result.returncode == EXIT_USAGE
    assert "--allow-domain" in result.stderr
    assert "Traceback" not in result.stderr
