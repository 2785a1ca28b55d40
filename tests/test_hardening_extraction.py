"""Issue 17, item 14: extraction is bounded and drops nothing silently; a full disk is
the run's recorded cause.

Behind 100,000 nested ``<div>`` s a page was stored ``ok`` with none of its 3 comments
(libxml2 stops reading where elements nest more than 2,048 deep, and said so only in
its error log); a page with 190,000 comments held a worker past its timeout (an XPath
of the fact-box reader was quadratic in the number of elements, and every comment went
on to language detection and storage).
"""

from __future__ import annotations

import json
import resource
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.extract.nesting import MAX_DEPTH, flatten_deep_nesting
from crawler.process.page import FetchedPage, process_page
from crawler.store.database import close_database, open_database
from tests.helpers.crawl import crawl_command, crawl_env, run_crawl
from tests.helpers.servers import Answer, scripted_server

pytestmark = pytest.mark.redteam

URL = "https://blog.example.org/2021/05/a-post/"
QUICK = ("FILMCRAWL_WORKERS=0", "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False")


def comment_page(count: int, *, nesting: int = 0) -> str:
    items = "".join(
        f"<li class='comment' id='comment-{index}'><article class='comment-body'>"
        f"<b class='fn'>Reader {index}</b><div class='comment-content'>"
        f"<p>Comment {index}: the father and the daughter made me cry.</p></div>"
        "</article></li>"
        for index in range(count)
    )
    deep = "<div>" * nesting + "A long story." + "</div>" * nesting
    return (
        "<html><head><title>A post</title></head><body><article><h1>A post</h1>"
        f"<p>Post text about the film and why it matters.</p>{deep}</article>"
        f"<div id='comments'><ol class='comment-list'>{items}</ol></div></body></html>"
    )


def process(html: str, **options: int) -> tuple[str, str | None, int, dict[str, int]]:
    item = process_page(
        FetchedPage(URL, URL, 200, html.encode(), "", "text/html; charset=utf-8", **options)
    )
    return item.status, item.status_reason, len(item.comments), item.events


@pytest.mark.parametrize("nesting", [300, 100_000])
def test_comments_behind_deep_nesting_are_kept(nesting: int) -> None:
    status, reason, comments, events = process(comment_page(3, nesting=nesting))
    assert (status, comments) == ("ok", 3)
    if nesting > MAX_DEPTH:
        # html, body and article come before the nested divs
        flattened = nesting + 3 - MAX_DEPTH
        assert events["extract/too_deep"] == flattened
        assert reason == f"{flattened} elements nested deeper than 512 levels were read as text"
    else:
        assert not reason and "extract/too_deep" not in events


def test_unclosed_deep_nesting_keeps_what_follows() -> None:
    html = comment_page(3).replace("<article>", "<article>" + "<div>" * 5_000, 1)
    status, reason, comments, _ = process(html)
    assert (status, comments) == ("ok", 3)
    assert reason is not None and "nested deeper" in reason


def test_flattening_keeps_text_and_shallow_markup() -> None:
    html = "<div><div><div><p>deep &amp; <b>bold</b></p></div></div></div><p>after</p>"
    flat, flattened = flatten_deep_nesting(html, 2)
    assert flat == "<div><div>deep &amp; bold</div></div><p>after</p>"
    assert flattened == 3


def test_comments_over_the_limit_are_cut_with_a_reason() -> None:
    status, reason, comments, events = process(comment_page(12), max_comments=5)
    assert (status, comments) == ("ok", 5)
    assert reason == "kept the first 5 of 12 comments (FILMCRAWL_MAX_COMMENTS_PER_PAGE)"
    assert events["extract/comments_over_limit"] == 7


def test_no_limit_keeps_every_comment() -> None:
    assert process(comment_page(12), max_comments=0)[2] == 12


@pytest.mark.slow
def test_a_crawl_stores_deeply_nested_and_crowded_pages_with_their_reasons(
    tmp_path: Path,
) -> None:
    with scripted_server() as server:
        server.routes["/robots.txt"] = Answer(404)
        server.routes["/deep"] = Answer.html(comment_page(3, nesting=100_000))
        server.routes["/crowded"] = Answer.html(comment_page(40))
        db = tmp_path / "films.db"
        result = run_crawl(
            db,
            "--no-follow",
            server.url("/deep"),
            server.url("/crowded"),
            settings=(*QUICK, "FILMCRAWL_MAX_COMMENTS_PER_PAGE=25"),
        )
    assert result.returncode == 0, result.stderr
    database = Database(db)
    rows = {
        row["url"].rsplit("/", 1)[1]: row
        for row in database.query("SELECT url, status, status_reason FROM pages")
    }
    counts = {
        name: database.execute(
            "SELECT count(*) FROM comments WHERE page_url = ?", [row["url"]]
        ).fetchone()[0]
        for name, row in rows.items()
    }
    assert counts == {"deep": 3, "crowded": 25}
    assert rows["deep"]["status"] == rows["crowded"]["status"] == "ok"
    assert "nested deeper than 512 levels" in rows["deep"]["status_reason"]
    assert "kept the first 25 of 40 comments" in rows["crowded"]["status_reason"]
    [stats] = database.execute("SELECT stats FROM crawl_runs").fetchone()
    stats = json.loads(stats)
    assert stats["filmcrawl/extract/too_deep"] == 100_000 + 3 - MAX_DEPTH
    assert stats["filmcrawl/extract/comments_over_limit"] == 15


def limited_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child, before exec: its files cannot grow past limit
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
def test_a_full_disk_is_the_run_rows_reason(tmp_path: Path) -> None:
    """Item 14: a write that fails for want of space stops the crawl and the run row
    says why (it said "nothing was fetched"). The child's file size limit stands in for
    a full disk: SQLite's write fails the same way and nothing here needs root."""
    db = tmp_path / "films.db"
    close_database(open_database(db))
    limit = db.stat().st_size + 64 * 1024
    with scripted_server() as server:
        server.routes["/robots.txt"] = Answer(404)
        urls = []
        for number in range(6):  # far more than 64 KiB in the first batch
            path = f"/post-{number}"
            server.routes[path] = Answer.html(comment_page(400).replace("A post", path))
            urls.append(server.url(path))
        completed = subprocess.run(
            crawl_command(db, "--no-follow", *urls, settings=QUICK),
            capture_output=True,
            text=True,
            timeout=300,
            env=crawl_env(),
            cwd=tmp_path,
            preexec_fn=limited_file_size(limit),
            check=False,
        )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    database = Database(db)
    [run] = database.query("SELECT status, exit_code, reason FROM crawl_runs")
    assert run["status"] == "failed"
    assert run["reason"].startswith("a database write failed: OperationalError: ")
    assert database.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
