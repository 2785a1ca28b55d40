"""The worker pool changes where extraction runs, nothing else: the same items in the
same order and the same database as a single-process crawl (FILMCRAWL_WORKERS=0)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.sample_site.generate import write_site
from crawler.sample_site.server import SampleSite
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, run_crawl

pytestmark = pytest.mark.slow

TABLES = {
    "pages": "SELECT url, film_id, title, clean_text, lang, content_hash, status, extractor "
    "FROM pages",
    # Everything but films.first_seen (a time).
    "films": "SELECT id, title, native_title, year, release_date, runtime_minutes, "
    "content_rating, country, director, source_count, given_by FROM films",
    "film_titles": "SELECT id, film_id, title, kind, source_url FROM film_titles",
    "facts": "SELECT id, film_id, field, value, raw, source_url, extractor, current FROM facts",
    "credits": "SELECT id, film_id, person, role, character, source_url FROM credits",
    "comments": "SELECT id, film_id, page_url, author, text, published, parent_id, kind, lang, "
    "lang_confidence, duplicate_of, near_duplicate_of, position FROM comments",
}


def canonical(db_path: Path) -> dict[str, list[str]]:
    db = Database(db_path)
    return {
        table: sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in db.query(sql))
        for table, sql in TABLES.items()
    }


def test_a_pooled_crawl_equals_a_single_process_crawl(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, pages=30, seed=5, target_bytes=30_000)
    results = {}
    with SampleSite.start(site) as server:
        for workers in (0, 2):
            db = tmp_path / f"workers-{workers}.db"
            items = tmp_path / f"items-{workers}.jsonl"
            settings = tuple(
                s for s in FAST_LOCAL_SETTINGS if not s.startswith("FILMCRAWL_WORKERS")
            )
            result = run_crawl(
                db,
                "--sitemap",
                server.url("/sitemap.xml"),
                settings=(
                    *settings,
                    f"FILMCRAWL_WORKERS={workers}",
                    # One request at a time: responses arrive in one order, so the
                    # order of the items shows whether the pool reorders them.
                    "CONCURRENT_REQUESTS=1",
                    f'FEEDS={{"{items}": {{"format": "jsonlines"}}}}',
                ),
            )
            assert result.returncode == 0, result.stderr[-3000:]
            order = [json.loads(line)["url"] for line in items.read_text().splitlines()]
            results[workers] = (canonical(db), order)
    single, pooled = results[0], results[2]
    assert len(single[1]) == 30
    assert pooled[1] == single[1]
    for table in TABLES:
        assert pooled[0][table] == single[0][table], table
