"""Bounded following (issue 18, item 5): --max-pages and --max-depth, on Scrapy's
CLOSESPIDER_PAGECOUNT and DEPTH_LIMIT, counted as a user counts pages and link steps;
a run stopped by a bound is not a failure and the next run continues its pass."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.helpers.crawl import run_crawl
from tests.helpers.servers import Answer, ScriptedServer, scripted_server

pytestmark = pytest.mark.slow

# A binary tree of film pages: /p0 links to /p1 and /p2, /p1 to /p3 and /p4, ...
PAGES = 15


def tree_page(index: int) -> str:
    links = "".join(
        f'<li><a href="/p{child}">Film number {child}</a></li>'
        for child in (2 * index + 1, 2 * index + 2)
        if child < PAGES
    )
    title = f"The Film Number {index}"
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + title + "</title>"
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Movie",'
        f'"name":"{title}","datePublished":"{1990 + index}-05-01"}}</script></head><body>'
        f"<article><h1>{title}</h1><p>{title} is a film about a lighthouse keeper who "
        "writes letters to a stranger every winter, until one spring a reply arrives.</p>"
        "<p>Critics praised its patience, its photography and its quiet ending.</p>"
        f"</article><nav><ul>{links}</ul></nav></body></html>"
    )


@pytest.fixture
def tree() -> Iterator[ScriptedServer]:
    with scripted_server() as server:
        for index in range(PAGES):
            server.route(f"/p{index}", Answer.html(tree_page(index)))
        yield server


def page_paths(db: Path) -> set[str]:
    return {"/" + row[0].split("/", 3)[3] for row in Database(db).execute("SELECT url FROM pages")}


def last_run(db: Path) -> dict[str, object]:
    return next(Database(db).query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))


def test_max_depth_follows_links_that_many_steps(tmp_path: Path, tree: ScriptedServer) -> None:
    db = tmp_path / "films.db"
    result = run_crawl(db, tree.url("/p0"), "--follow", "--max-depth", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert page_paths(db) == {f"/p{i}" for i in range(7)}  # depths 0, 1 and 2
    assert "8 links deeper than --max-depth 2 not followed" in result.stdout
    assert Database(db).execute("SELECT max(depth) FROM pages").fetchone()[0] == 2


def test_max_pages_stops_the_run_and_the_next_run_continues(
    tmp_path: Path, tree: ScriptedServer
) -> None:
    db = tmp_path / "films.db"
    first = run_crawl(db, tree.url("/p0"), "--follow", "--max-pages", "4", "--max-depth", "0")
    assert first.returncode == 0, first.stderr[-3000:]  # a bound is not a failure
    assert len(page_paths(db)) == 4
    run = last_run(db)
    assert (run["status"], run["pages_fetched"]) == ("finished", 4)
    assert "page limit" in str(run["reason"])
    assert (
        "stopped at --max-pages 4:" in first.stdout and "URLs left for the next run" in first.stdout
    )
    second = run_crawl(db, tree.url("/p0"), "--follow", "--max-pages", "4", "--max-depth", "0")
    assert second.returncode == 0, second.stderr[-3000:]
    # The second run resumed the pass: four more pages, none of the first four again.
    assert len(page_paths(db)) == 8
    assert last_run(db)["resumed"] == 1
    assert all(len(tree.requests_for(f"/p{i}")) <= 1 for i in range(PAGES))


def test_follow_has_documented_default_bounds(tmp_path: Path, tree: ScriptedServer) -> None:
    db = tmp_path / "films.db"
    result = run_crawl(db, tree.url("/p0"), "--follow")
    assert result.returncode == 0, result.stderr[-3000:]
    args = json.loads(str(last_run(db)["args"]))
    assert (args["max_pages"], args["max_depth"]) == (1000, 3)
    assert page_paths(db) == {f"/p{i}" for i in range(PAGES)}  # the tree is 3 deep
