"""The crawl report (issue 18, item 8): one self-contained HTML file per run, opened in
a real headless browser: the charts render, nothing is fetched, nothing errs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli.main import main
from tests.helpers.browser import browser_page
from tests.helpers.crawl import run_crawl
from tests.helpers.servers import Answer, film_page, scripted_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, sample_crawl_db: Path) -> Path:
    """Run 1: the sample site (one new conflict). Run 2: three good pages, a 404 and a
    soft 404 whose title holds markup (its reason quotes it)."""
    db = tmp_path_factory.mktemp("report") / "films.db"
    shutil.copy(sample_crawl_db, db)
    with scripted_server() as server:
        for name in ("Lighthouse Keeper", "Winter Letters", "Spring Reply"):
            server.route(f"/{name.split()[0].lower()}", Answer.html(film_page(f"The {name}")))
        server.route(
            "/tricky",
            Answer.html(
                "<html><head><title><script>alert(1)</script> Page not found</title></head>"
                "<body><h1>Page not found</h1></body></html>"
            ),
        )
        urls = [server.url(f"/{path}") for path in ("lighthouse", "winter", "spring", "tricky")]
        result = run_crawl(db, *urls, server.url("/gone"))
    assert result.returncode == 0, result.stderr[-3000:]
    return db


def write_report(db: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["report", "--db", str(db), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def test_the_report_shows_the_run_in_charts_and_tables(two_runs: Path, tmp_path: Path) -> None:
    html = write_report(two_runs, tmp_path / "report.html").read_text(encoding="utf-8")
    for heading in (
        "Pages by status and site",
        "Fetch and extraction time",
        "Comments by language",
        "Facts per field and site",
        "New conflicts (0)",
        "Failures (2)",
    ):
        assert heading in html
    assert "HTTP 404" in html and "/gone" in html
    # Page text is escaped, never markup.
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
    # Self-contained: no stylesheet, script or image from anywhere.
    assert "<script" not in html and "<link" not in html and "src=" not in html


def test_the_first_run_lists_the_conflict_it_brought_up(two_runs: Path, tmp_path: Path) -> None:
    html = write_report(two_runs, tmp_path / "run1.html", "--run", "1").read_text()
    assert "New conflicts (1)" in html
    assert "2013-01-23 (2 pages) vs 2013-01-24 (1 page)" in html


def test_the_charts_render_in_a_real_browser_offline(two_runs: Path, tmp_path: Path) -> None:
    report = write_report(two_runs, tmp_path / "report.html", "--run", "1")
    with browser_page() as (page, log):
        page.goto(report.as_uri())
        charts = page.query_selector_all("svg.chart")
        assert len(charts) >= 6
        for chart in charts:
            box = chart.bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 10
            assert chart.query_selector_all("rect")  # bars drawn
        bar = page.query_selector("svg.chart rect")
        assert bar is not None and (bar.bounding_box() or {}).get("width", 0) > 0
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert log.console_errors == []
    assert log.requests == [report.as_uri()]  # nothing else fetched


def test_an_unknown_run_is_a_clear_error(two_runs: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--db", str(two_runs), "--run", "9", "-o", "-"])
    assert result.exit_code == 2
    assert "no run 9 in" in result.output and "its runs are 1 to 2" in result.output


def test_a_run_of_unchanged_pages_says_nothing_was_extracted(tmp_path: Path) -> None:
    db = tmp_path / "films.db"
    with scripted_server() as server:
        server.route("/keeper", Answer.html(film_page("The Lighthouse Keeper")))
        for _ in range(2):  # the second run finds the page unchanged
            assert run_crawl(db, server.url("/keeper")).returncode == 0
    html = write_report(db, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Fetch time per page (median " in html
    assert "Extraction time per page: no page was extracted in this run." in html
    assert "Comments labelled in this run (0)" in html
