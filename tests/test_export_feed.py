"""Scrapy conventions keep working: ``scrapy crawl films -O items.jsonl`` writes the
items with Scrapy's own feed exports, and ``scrapy list`` lists the spider."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from crawler.sample_site.server import SampleSite
from tests.helpers.crawl import REPO_ROOT, crawl_env

pytestmark = pytest.mark.slow

SAMPLE_PATHS = (
    "/asianwiki/Miracle_in_Cell_No.7/",
    "/karlablog/2020/09/miracle-in-cell-no-7/",
    "/yam/2013/08/miracle-in-cell-no-7-review/",
)


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    """``scrapy ARGS`` from the project root, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO_ROOT,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_scrapy_list_lists_the_films_spider() -> None:
    result = scrapy("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["films"]


def test_scrapy_crawl_writes_items_with_the_feed_exports(
    tmp_path: Path, sample_site: SampleSite
) -> None:
    items = tmp_path / "items.jsonl"
    urls = ",".join(sample_site.url(path) for path in SAMPLE_PATHS)
    result = scrapy(
        "crawl", "films", "-a", f"urls={urls}", "-O", str(items),
        "-s", "FILMCRAWL_LOOPBACK_ONLY=1", "-s", f"FILMCRAWL_DB={tmp_path / 'feed.db'}",
        "-s", "FILMCRAWL_WORKERS=1", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    lines = items.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    # One JSON object per page, with the records found on it nested as objects.
    assert sorted(r["url"] for r in records) == sorted(sample_site.url(p) for p in SAMPLE_PATHS)
    validator = Draft202012Validator(
        json.loads((REPO_ROOT / "schemas" / "json" / "page-item.schema.json").read_text())
    )
    for record in records:
        validator.validate(record)
        assert record["status"] == "ok"
    comments = {r["url"].split("/")[3]: r["comments"] for r in records}
    assert {page: len(c) for page, c in comments.items()} == {
        "asianwiki": 63,
        "karlablog": 3,
        "yam": 9,
    }
    (malay,) = [c for c in comments["asianwiki"] if c["lang"] == "ms"]
    assert malay["author"] == "Zach Asyraf"
    assert all(isinstance(c["id"], str) for c in comments["asianwiki"])
    # The feed is written in addition to the database, not instead of it.
    assert (tmp_path / "feed.db").exists()
    # The progress extension works under scrapy crawl too.
    assert "[filmcrawl.progress] crawl finished: 3 pages done (0 failed)" in result.stderr
