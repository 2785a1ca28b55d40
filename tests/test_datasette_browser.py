"""Datasette that links (issue 18, item 9), in a real headless browser: a film's page
links to its facts, comments and pages; column descriptions leave the rows in view;
conflict values read as text, not JSON. ``filmcrawl serve`` with the installed
Datasette (0.65), and with Datasette 1.0 (its configuration split into datasette.yaml)
where FILMCRAWL_DATASETTE_1_PYTHON names a Python that has filmcrawl and Datasette 1.0
installed, e.g. after ``python3 -m venv /tmp/ds1 && /tmp/ds1/bin/pip install -e .
'datasette==1.0a41'``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.helpers.browser import browser_page
from tests.helpers.crawl import crawl_env
from tests.test_datasette import free_port, get_json, stop, wait_until_serving

pytestmark = pytest.mark.slow

FILM = "miracle-in-cell-no-7-2013"
VIEWPORT_HEIGHT = 900


def serve_filmcrawl(db: Path, port: int, python: str = sys.executable) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [python, "-m", "crawler.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=crawl_env(), cwd=db.parent,
    )  # fmt: skip


DATASETTE_1 = os.environ.get("FILMCRAWL_DATASETTE_1_PYTHON", "")


@pytest.fixture(
    scope="module",
    params=[
        "installed",
        pytest.param(
            "1.0",
            marks=pytest.mark.skipif(
                not DATASETTE_1, reason="FILMCRAWL_DATASETTE_1_PYTHON names no Datasette 1.0"
            ),
        ),
    ],
)
def datasette(
    request: pytest.FixtureRequest, sample_crawl_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    db = tmp_path_factory.mktemp(f"datasette-{request.param}") / "films.db"
    shutil.copy(sample_crawl_db, db)
    port = free_port()
    process = serve_filmcrawl(db, port, DATASETTE_1 if request.param == "1.0" else sys.executable)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        yield base
    finally:
        stop(process)


def test_the_film_page_links_to_its_facts_comments_and_pages(
    datasette: str, sample_crawl_db: Path
) -> None:
    with browser_page(height=VIEWPORT_HEIGHT) as (page, log):
        page.goto(f"{datasette}/films/films/{FILM}")
        hrefs = {a.get_attribute("href") for a in page.query_selector_all("a")}
        for table in ("facts", "comments", "pages", "credits", "film_titles"):
            assert f"/films/{table}?film_id={FILM}" in hrefs, table
        page.click(f"a[href='/films/facts?film_id={FILM}']")
        page.wait_for_load_state()
        facts = (
            Database(sample_crawl_db)
            .execute("SELECT count(*) FROM facts WHERE film_id = ?", [FILM])
            .fetchone()[0]
        )
        assert f"{facts} rows" in page.inner_text("body")
        # A fact links back to its film and to its page.
        first = page.query_selector("table.rows-and-columns tbody tr")
        assert first is not None
        links = [a.get_attribute("href") or "" for a in first.query_selector_all("a")]
        assert f"/films/films/{FILM}" in links
        assert any(link.startswith("/films/pages/") for link in links)
    assert log.console_errors == []
    assert all(url.startswith((datasette, "data:")) for url in log.requests)


@pytest.mark.parametrize("table", ["pages", "films", "facts", "comments", "crawl_runs"])
def test_the_first_rows_are_above_the_fold(datasette: str, table: str) -> None:
    with browser_page(height=VIEWPORT_HEIGHT) as (page, log):
        page.goto(f"{datasette}/films/{table}")
        row = page.query_selector("table.rows-and-columns tbody tr")
        assert row is not None
        box = row.bounding_box()
        assert box is not None and box["y"] < VIEWPORT_HEIGHT - 40, (table, box)
        # The descriptions are still there, in a box of their own.
        descriptions = page.query_selector("dl.column-descriptions")
        assert descriptions is not None and "primary key" in descriptions.inner_text()
    assert log.console_errors == []


def test_conflict_values_read_as_text(datasette: str, tmp_path: Path) -> None:
    with browser_page(height=VIEWPORT_HEIGHT) as (page, log):
        page.goto(f"{datasette}/films/fact_conflicts")
        cell = page.inner_text("table.rows-and-columns td.col-values")
        assert cell.startswith("2013-01-23 — 2 pages: http://127.0.0.1:")
        assert "2013-01-24 — 1 page: http://" in cell
        assert '"sources"' not in cell
        page.goto(f"{datasette}/films/conflicts")
        stated = page.inner_text("table.rows-and-columns td.col-stated_by")
        assert stated.startswith("http://127.0.0.1:") and "[" not in stated
        page.screenshot(path=str(tmp_path / "conflicts.png"))
    assert log.console_errors == []


def test_the_canned_queries_answer(datasette: str) -> None:
    rows = get_json(f"{datasette}/films/conflicts.json?_shape=array")
    assert [row["value"] for row in rows] == ["2013-01-23", "2013-01-24"]
