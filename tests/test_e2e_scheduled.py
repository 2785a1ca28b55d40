"""Scheduled crawls: incremental, crash-safe, locked, honest exit codes, polite.

Every test crawls over real HTTP on 127.0.0.1 with the actual ``filmcrawl crawl``.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.run.status import EXIT_FAILED, EXIT_LOCKED, EXIT_OK
from crawler.sample_site.generate import write_site
from crawler.sample_site.server import SITE_DIR, SampleSite
from tests.helpers.crawl import crawl_command, crawl_env, crawl_holding_the_lock, run_crawl
from tests.helpers.resume import assert_resumed_exactly
from tests.helpers.servers import Answer, film_page, scripted_server

pytestmark = pytest.mark.slow

BLOG = "/karlablog/2020/09/miracle-in-cell-no-7/"


def last_run(db: Path) -> dict[str, object]:
    return next(Database(db).query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))


# --- incremental -------------------------------------------------------------------------


def test_conditional_get_sends_the_stored_validators(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route(
            "/film",
            lambda request: (
                Answer(304)
                if request.headers.get("If-None-Match") == '"v1"'
                else Answer.html(
                    film_page(), ETag='"v1"', **{"Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT"}
                )
            ),
        )
        db = tmp_path / "films.db"
        assert run_crawl(db, server.url("/film")).returncode == EXIT_OK
        assert run_crawl(db, server.url("/film")).returncode == EXIT_OK
        second = server.requests_for("/film")[1]
        assert second.headers["If-None-Match"] == '"v1"'
        assert second.headers["If-Modified-Since"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    page = Database(db)["pages"].get(server.url("/film"))
    assert page["status"] == "not_modified"
    assert page["first_seen"] == page["last_changed"] <= page["last_fetched"]
    assert last_run(db)["pages_not_modified"] == 1


def test_an_unchanged_body_without_validators_skips_extraction(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/film", Answer.html(film_page()))
        db = tmp_path / "films.db"
        run_crawl(db, server.url("/film"))
        run_crawl(db, server.url("/film"))
    assert Database(db)["pages"].get(server.url("/film"))["status"] == "unchanged"
    stats = last_run(db)
    assert (stats["pages_unchanged"], stats["pages_changed"]) == (1, 0)


def test_a_changed_page_adds_new_records_and_keeps_old_ones(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE_DIR, site)
    db = tmp_path / "films.db"
    with SampleSite.start(site, last_modified=None) as server:
        url = server.url(BLOG)
        assert run_crawl(db, url).returncode == EXIT_OK
        before = Database(db)
        comments_before = before["comments"].count
        first = before["pages"].get(url)
        page = site / BLOG.strip("/") / "index.html"
        html = page.read_text(encoding="utf-8")
        marker = '<ol class="comment-list">'
        assert marker in html
        page.write_text(
            html.replace(
                marker,
                marker
                + '<li id="comment-999" class="comment depth-1"><article class="comment-body">'
                '<footer class="comment-meta"><div class="comment-author vcard">'
                '<b class="fn">New Reader</b> <span class="says">says:</span></div></footer>'
                '<div class="comment-content"><p>I just watched it and cried all night.</p></div>'
                "</article></li>",
            ),
            encoding="utf-8",
        )
        os.utime(page, (time.time() + 5, time.time() + 5))
        time.sleep(1.1)  # the stored timestamps have one-second resolution
        assert run_crawl(db, url).returncode == EXIT_OK
    after = Database(db)
    row = after["pages"].get(url)
    assert row["status"] == "ok"
    assert row["first_seen"] == first["first_seen"]
    assert row["last_changed"] > first["last_changed"]
    assert last_run(db)["pages_changed"] == 1
    if comments_before:  # comment extraction is live: the new one is added, none lost
        assert after["comments"].count == comments_before + 1
        new = next(after.query("SELECT * FROM comments WHERE author = 'New Reader'"))
        assert new["first_seen"] == row["last_changed"]
        old = next(after.query("SELECT * FROM comments WHERE author != 'New Reader' LIMIT 1"))
        assert old["first_seen"] < old["last_seen"] == row["last_changed"]


# --- crash safety ------------------------------------------------------------------------


def pages_stored(db: Path) -> int:
    """Pages a running crawl has committed (read-only; 0 before the file exists)."""
    if not db.exists():
        return 0
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute("SELECT count(*) FROM pages").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:  # not created yet, or being migrated
        return 0


def wait_for_the_moment(process: subprocess.Popen[bytes], db: Path, rng: random.Random) -> None:
    """A random moment of a run: during its start, or after it stored a random number
    of pages (by progress, not by the clock, so that a faster crawl is still cut off
    before it finishes its 320 pages)."""
    more = rng.randint(0, 40)
    if more == 0:
        time.sleep(rng.uniform(0.2, 1.5))
        return
    target = pages_stored(db) + more
    deadline = time.monotonic() + 120
    while process.poll() is None and pages_stored(db) < target and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(rng.uniform(0.0, 0.3))


def test_killed_crawls_resume_and_store_every_page_exactly_once(tmp_path: Path) -> None:
    """SIGKILL a 320-page crawl at random moments five times, resuming after each."""
    site = tmp_path / "site"
    paths = write_site(site, pages=320, seed=11, target_bytes=12_000)
    reference_db = tmp_path / "reference.db"
    db = tmp_path / "films.db"
    rng = random.Random(20261121)
    with SampleSite.start(site) as server:
        start = server.url("/")
        assert run_crawl(reference_db, start, "--follow").returncode == EXIT_OK
        kills = 0
        for _ in range(5):
            process = subprocess.Popen(
                crawl_command(db, start, "--follow"),
                env=crawl_env(),
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            wait_for_the_moment(process, db, rng)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                kills += 1
            process.wait()
        assert kills >= 3, "the crawl finished before it could be killed; use a bigger site"
        final = run_crawl(db, start, "--follow")
        assert final.returncode == EXIT_OK, final.stderr[-3000:]

    assert_resumed_exactly(db, reference_db, len(paths) + 1)


# --- runs you can trust from cron ----------------------------------------------------------


def test_a_second_crawl_on_a_locked_database_exits_at_once(tmp_path: Path) -> None:
    db = tmp_path / "films.db"
    with scripted_server() as server, crawl_holding_the_lock(server, db, tmp_path) as first:
        second = run_crawl(db, server.url("/slow"), timeout=60)
        assert second.returncode == EXIT_LOCKED
        assert "in use by another filmcrawl crawl" in second.stderr
        # It did not wait for the first crawl, which is still waiting for its page.
        assert first.poll() is None
        assert len(server.requests_for("/slow")) == 1
    assert first.returncode == EXIT_OK


def test_exit_code_is_non_zero_when_nothing_is_fetched(tmp_path: Path) -> None:
    with scripted_server() as server:
        closed_port = server.port
    result = run_crawl(tmp_path / "films.db", f"http://127.0.0.1:{closed_port}/film")
    assert result.returncode == EXIT_FAILED
    run = last_run(tmp_path / "films.db")
    assert (run["status"], run["exit_code"]) == ("failed", EXIT_FAILED)
    assert "nothing was fetched" in str(run["reason"])
    page = Database(tmp_path / "films.db")["pages"].get(f"http://127.0.0.1:{closed_port}/film")
    # The host is down, so its robots.txt is unreachable: RFC 9309 says disallow.
    assert page["status"] == "blocked"
    assert "robots.txt could not be fetched" in page["status_reason"]


def test_a_connection_failure_is_a_fetch_error(tmp_path: Path) -> None:
    with scripted_server() as server:
        closed_port = server.port
    url = f"http://127.0.0.1:{closed_port}/film"
    result = run_crawl(tmp_path / "films.db", url, "-s", "ROBOTSTXT_OBEY=0", "-s", "RETRY_TIMES=0")
    assert result.returncode == EXIT_FAILED
    page = Database(tmp_path / "films.db")["pages"].get(url)
    assert page["status"] == "fetch_error"
    assert "Connection" in page["status_reason"]


def test_exit_code_follows_the_error_rate_threshold(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/good", Answer.html(film_page()))
        server.route("/gone", Answer(410))
        server.route("/broken", Answer(500))
        urls = [server.url(p) for p in ("/good", "/gone", "/broken")]
        failing = run_crawl(tmp_path / "a.db", *urls, "-s", "RETRY_TIMES=0")
        tolerant = run_crawl(
            tmp_path / "b.db", *urls, "-s", "RETRY_TIMES=0", "-s", "FILMCRAWL_MAX_ERROR_RATE=0.7"
        )
    assert failing.returncode == EXIT_FAILED
    assert "2 of 3 pages failed" in str(last_run(tmp_path / "a.db")["reason"])
    assert tolerant.returncode == EXIT_OK
    statuses = {
        row["url"].rsplit("/", 1)[1]: (row["status"], row["http_status"])
        for row in Database(tmp_path / "b.db").query("SELECT * FROM pages")
    }
    assert statuses == {
        "good": ("ok", 200),
        "gone": ("http_error", 410),
        "broken": ("http_error", 500),
    }


# --- polite by default ------------------------------------------------------------------------


@pytest.mark.parametrize("robots_status", [500, 503])
def test_a_robots_txt_answering_5xx_disallows_the_site(tmp_path: Path, robots_status: int) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(robots_status))
        server.route("/film", Answer.html(film_page()))
        result = run_crawl(tmp_path / "films.db", server.url("/film"), "-s", "RETRY_TIMES=0")
        assert server.requests_for("/film") == []
    assert result.returncode == EXIT_FAILED  # nothing could be fetched
    page = Database(tmp_path / "films.db")["pages"].get(server.url("/film"))
    assert page["status"] == "blocked"
    assert f"robots.txt answered HTTP {robots_status}" in page["status_reason"]


def test_a_missing_robots_txt_allows_the_site(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/film", Answer.html(film_page()))
        assert run_crawl(tmp_path / "films.db", server.url("/film")).returncode == EXIT_OK
        assert len(server.requests_for("/film")) == 1


def test_robots_txt_rules_are_obeyed(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route(
            "/robots.txt",
            Answer(200, b"User-agent: *\nDisallow: /private\n", {"Content-Type": "text/plain"}),
        )
        server.route("/private/film", Answer.html(film_page()))
        server.route("/film", Answer.html(film_page()))
        run_crawl(tmp_path / "films.db", server.url("/private/film"), server.url("/film"))
        assert server.requests_for("/private/film") == []
    page = Database(tmp_path / "films.db")["pages"].get(server.url("/private/film"))
    assert (page["status"], page["status_reason"]) == ("blocked", "Forbidden by robots.txt")


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/film", [Answer(429, headers={"Retry-After": "2"}), Answer.html(film_page())])
        result = run_crawl(tmp_path / "films.db", server.url("/film"))
        first, second = server.requests_for("/film")
    assert result.returncode == EXIT_OK
    # The retry waited at least as long as the server asked (a lower bound only).
    assert second.at - first.at >= 1.9
    assert Database(tmp_path / "films.db")["pages"].get(server.url("/film"))["status"] == "ok"


def test_a_retry_after_beyond_the_limit_gives_up_at_once(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/film", Answer(503, headers={"Retry-After": "3600"}))
        run_crawl(tmp_path / "films.db", server.url("/film"))
        assert len(server.requests_for("/film")) == 1
    page = Database(tmp_path / "films.db")["pages"].get(server.url("/film"))
    assert (page["status"], page["http_status"]) == ("http_error", 503)
