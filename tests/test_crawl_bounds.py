"""Bounded following (issue 18, item 5): --max-pages and --max-depth, on Scrapy's
CLOSESPIDER_PAGECOUNT and DEPTH_LIMIT, counted as a user counts pages and link steps;
a run stopped by a bound is not a failure and the next run continues its pass."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from sqlite_utils import Database

from crawler.fetch.bounds import HELD_BACK, PAGES_REQUESTED, PageBudget
from tests.helpers.crawl import CrawlResult, run_crawl
from tests.helpers.servers import Answer, ScriptedServer, scripted_server

# A binary tree of film pages: /p0 links to /p1 and /p2, /p1 to /p3 and /p4, ...
PAGES = 15


def tree_page(index: int) -> str:
    children = [child for child in (2 * index + 1, 2 * index + 2) if child < PAGES]
    return film_page(index, [(f"/p{child}", child) for child in children])


def film_page(index: int, links_to: list[tuple[str, int]]) -> str:
    links = "".join(f'<li><a href="{path}">Film number {n}</a></li>' for path, n in links_to)
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


@contextmanager
def serving(pages: dict[str, str]) -> Iterator[ScriptedServer]:
    """A local server answering each path of ``pages`` with its HTML."""
    with scripted_server() as server:
        for path, html in pages.items():
            server.route(path, Answer.html(html))
        yield server


@pytest.fixture
def tree() -> Iterator[ScriptedServer]:
    with serving({f"/p{index}": tree_page(index) for index in range(PAGES)}) as server:
        yield server


# A series of film pages, each linking to the next one and, in a "more films" box, to
# every earlier one: most links lead to pages already requested, as on most sites.
SERIES = 30


def series_page(index: int) -> str:
    links = [index + 1] if index + 1 < SERIES else []
    return film_page(index, [(f"/s{other}", other) for other in [*links, *range(index)]])


@pytest.fixture
def series() -> Iterator[ScriptedServer]:
    with serving({f"/s{index}": series_page(index) for index in range(SERIES)}) as server:
        yield server


def crawl_series(db: Path, series: ScriptedServer, *, max_pages: int) -> CrawlResult:
    result = run_crawl(
        db, series.url("/s0"), "--follow", "--max-pages", str(max_pages), "--max-depth", "0"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def crawl_tree(db: Path, tree: ScriptedServer, *options: str) -> CrawlResult:
    result = run_crawl(db, tree.url("/p0"), "--follow", *options)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def page_paths(db: Path) -> set[str]:
    return {"/" + row[0].split("/", 3)[3] for row in Database(db).execute("SELECT url FROM pages")}


def last_run(db: Path) -> dict[str, object]:
    return next(Database(db).query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))


def test_the_page_budget_counts_a_page_once_as_the_duplicate_filter_does() -> None:
    crawler = get_crawler(settings_dict={"CLOSESPIDER_PAGECOUNT": 2})
    budget = PageBudget.of(crawler)
    taken = [
        budget.take(Request(url))
        for url in (
            "http://films.test/x?b=1&a=2",
            "http://films.test/x?a=2&b=1",  # the same page to Scrapy's duplicate filter
            "http://films.test/y",
            "http://films.test/z",  # a third page: held back
            "http://films.test/y",  # already let through: passes free
        )
    ]
    assert taken == [True, True, True, False, True]
    assert budget.take(Request("http://films.test/y", dont_filter=True)) is False
    assert budget.held_back()
    assert crawler.stats.get_value(PAGES_REQUESTED) == 2
    assert crawler.stats.get_value(HELD_BACK) == 3
    assert PageBudget.of(crawler) is budget
    unbounded = PageBudget.of(get_crawler())
    assert all(unbounded.take(Request(f"http://films.test/{n}")) for n in range(50))
    assert not unbounded.held_back()


@pytest.mark.slow
def test_max_depth_follows_links_that_many_steps(tmp_path: Path, tree: ScriptedServer) -> None:
    db = tmp_path / "films.db"
    result = run_crawl(db, tree.url("/p0"), "--follow", "--max-depth", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert page_paths(db) == {f"/p{i}" for i in range(7)}  # depths 0, 1 and 2
    assert "8 links deeper than --max-depth 2 not followed" in result.stdout
    assert Database(db).execute("SELECT max(depth) FROM pages").fetchone()[0] == 2


@pytest.mark.slow
def test_a_later_run_with_a_bigger_max_depth_follows_the_links_kept(
    tmp_path: Path, tree: ScriptedServer
) -> None:
    db = tmp_path / "films.db"
    first = run_crawl(db, tree.url("/p0"), "--follow", "--max-depth", "1")
    assert first.returncode == 0, first.stderr[-3000:]
    assert page_paths(db) == {"/p0", "/p1", "/p2"}
    second = run_crawl(db, tree.url("/p0"), "--follow", "--max-depth", "3")
    assert second.returncode == 0, second.stderr[-3000:]
    # The unchanged pages hand on the links stored with them, now within reach.
    assert page_paths(db) == {f"/p{i}" for i in range(PAGES)}
    assert last_run(db)["pages_new"] == PAGES - 3


@pytest.mark.slow
def test_a_resumed_run_with_a_bigger_max_depth_goes_deeper_under_pages_it_has(
    tmp_path: Path, tree: ScriptedServer
) -> None:
    db = tmp_path / "films.db"
    crawl_tree(db, tree, "--max-depth", "1", "--max-pages", "2")
    assert len(page_paths(db)) == 2  # /p0 and one of its links; the other is pending
    crawl_tree(db, tree, "--max-depth", "3")
    assert last_run(db)["resumed"] == 1
    # The links of the page at depth 1 that the first run kept beyond its limit are
    # followed too, and what lies under them; no page is fetched twice.
    assert page_paths(db) == {f"/p{i}" for i in range(PAGES)}
    assert all(len(tree.requests_for(f"/p{i}")) == 1 for i in range(PAGES))


@pytest.mark.slow
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


@pytest.mark.slow
def test_follow_has_documented_default_bounds(tmp_path: Path, tree: ScriptedServer) -> None:
    db = tmp_path / "films.db"
    result = run_crawl(db, tree.url("/p0"), "--follow")
    assert result.returncode == 0, result.stderr[-3000:]
    args = json.loads(str(last_run(db)["args"]))
    assert (args["max_pages"], args["max_depth"]) == (1000, 3)
    assert page_paths(db) == {f"/p{i}" for i in range(PAGES)}  # the tree is 3 deep


@pytest.mark.slow
def test_max_pages_counts_each_page_once_however_often_it_is_linked(
    tmp_path: Path, series: ScriptedServer
) -> None:
    # 465 links to 30 pages: counting links, --max-pages 40 stopped after 10 pages.
    db = tmp_path / "films.db"
    result = crawl_series(db, series, max_pages=40)
    assert page_paths(db) == {f"/s{i}" for i in range(SERIES)}
    run = last_run(db)
    assert (run["status"], run["pages_fetched"]) == ("finished", SERIES)
    assert "page limit" not in str(run["reason"])
    assert "stopped at --max-pages" not in result.stdout
    stats = json.loads(str(run["stats"]))
    assert stats["filmcrawl/bounds/pages_requested"] == SERIES
    assert "filmcrawl/bounds/held_back_by_max_pages" not in stats


@pytest.mark.slow
def test_max_pages_stops_at_that_many_distinct_pages(
    tmp_path: Path, series: ScriptedServer
) -> None:
    result = crawl_series(tmp_path / "films.db", series, max_pages=12)
    assert page_paths(tmp_path / "films.db") == {f"/s{i}" for i in range(12)}
    assert "stopped at --max-pages 12:" in result.stdout


@pytest.mark.slow
def test_a_resumed_run_fetches_no_page_of_its_pass_again(
    tmp_path: Path, series: ScriptedServer
) -> None:
    # Every page links to all the earlier ones: a resumed run that fetched them again
    # (Scrapy's duplicate filter knows only its own run) would redo the whole pass.
    db = tmp_path / "films.db"
    for _ in range(3):
        crawl_series(db, series, max_pages=12)
    assert page_paths(db) == {f"/s{i}" for i in range(SERIES)}
    assert [len(series.requests_for(f"/s{i}")) for i in range(SERIES)] == [1] * SERIES
    runs = list(Database(db).query("SELECT resumed, pages_fetched FROM crawl_runs ORDER BY id"))
    assert [(run["resumed"], run["pages_fetched"]) for run in runs] == [(0, 12), (1, 12), (1, 6)]
