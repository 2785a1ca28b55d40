"""``filmcrawl extract URL_OR_FILE`` (issue 18, item 3): the record a crawl would store,
from the same chain and (for a URL) the same guarded downloader; nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli.main import main
from crawler.cli.records import jsonable
from crawler.process.page import process_html
from crawler.sample_site.server import SITE_DIR, SampleSite
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, crawl_env
from tests.helpers.servers import Answer, film_page, scripted_server

REVIEW = "yam/2013/08/miracle-in-cell-no-7-review"
REVIEW_URL = "https://yam-mag.com/2013/08/miracle-in-cell-no-7-review/"


def comparable(record: dict[str, object]) -> dict[str, object]:
    """A record without what differs between two readings (times)."""
    return {
        k: v
        for k, v in record.items()
        if k not in ("fetched_at", "extract_ms", "fetch_ms", "timings_ms")
    }


def extract(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    settings = [arg for setting in FAST_LOCAL_SETTINGS for arg in ("-s", setting)]
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "extract", *args, *settings],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**crawl_env(), "COLUMNS": "160"},
        timeout=120,
        check=False,
    )


def test_a_saved_page_shows_what_a_crawl_would_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = SITE_DIR / REVIEW / "index.html"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(page), "--url", REVIEW_URL])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(
        f"{REVIEW_URL}  ok\nHTTP 200, 26,353 bytes, utf-8 from meta, extracted in "
    )
    assert "extractors: wordpress, wordpress-comments" in out
    assert "release_date  2013-01-24             January 24, 2013  wordpress" in out
    assert "rating        75                     ★★★¾☆             wordpress" in out
    assert "cast      Ryoo Seung-Ryong" in out
    assert "Comments: 9   by language: en 5, und 4   by kind: pingback 7, comment 1, reply 1" in out
    assert "Julili" in out and "2013-09-03" in out
    assert "Main text: 3,121 characters" in out
    assert list(tmp_path.iterdir()) == []  # no database, no file


def test_main_text_lines_fit_a_narrow_terminal() -> None:
    page = SITE_DIR / REVIEW / "index.html"
    result = CliRunner().invoke(main, ["extract", str(page)], env={"COLUMNS": "60"})
    text = result.output.split("Main text: ", 1)[1].splitlines()[1:-1]
    assert len(text) == 7  # six first lines and "… 5 more lines", none wrapped
    assert all(len(line) <= 60 for line in text)


def test_json_is_the_record_the_crawl_chain_gives(tmp_path: Path) -> None:
    page = SITE_DIR / REVIEW / "index.html"
    result = CliRunner().invoke(main, ["extract", str(page), "--url", REVIEW_URL, "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    expected = process_html(REVIEW_URL, page.read_bytes(), "text/html")
    assert comparable(record) == comparable(jsonable(expected))


def test_a_missing_file_or_a_schemeless_url_is_a_usage_error(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.html")])
    assert missing.exit_code == 2 and "no such file, and not an http(s) URL" in missing.output
    bare = CliRunner().invoke(main, ["extract", "example.org/film"])
    assert bare.exit_code == 2
    assert "has no scheme: extract https://example.org/film" in bare.output


@pytest.mark.slow
def test_a_url_goes_through_the_crawl_downloader_and_chain(tmp_path: Path) -> None:
    with SampleSite.start() as site:
        url = site.url(f"/{REVIEW}/")
        result = extract(url, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    record = json.loads(result.stdout)
    body = (SITE_DIR / REVIEW / "index.html").read_bytes()

    expected = jsonable(process_html(url, body, "text/html; charset=utf-8"))
    assert record["fetch_ms"] is not None
    for key in ("facts", "credits", "titles", "comments", "clean_text", "extractor", "status"):
        assert record[key] == expected[key], key
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_url_obeys_robots_txt_and_the_size_limit(tmp_path: Path) -> None:
    with scripted_server() as server:
        robots = b"User-agent: *\nDisallow: /private\n"
        server.route("/robots.txt", Answer(200, robots, {"Content-Type": "text/plain"}))
        server.route("/private/film", Answer.html(film_page()))
        server.route("/film", Answer.html(film_page() + " " * 5000))
        blocked = extract(server.url("/private/film"), cwd=tmp_path)
        too_large = extract(server.url("/film"), "-s", "DOWNLOAD_MAXSIZE=2000", cwd=tmp_path)
        assert server.requests_for("/private/film") == []
    assert blocked.returncode == 1
    assert "blocked" in blocked.stdout and "robots.txt" in blocked.stdout
    assert too_large.returncode == 1 and "too_large" in too_large.stdout
    assert list(tmp_path.iterdir()) == []
