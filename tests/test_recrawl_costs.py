"""Issue 16: what a crawl of an unchanged site no longer pays for, and what it still gets.

A re-crawl answered by ``304 Not Modified`` writes no content page: it reads no
``fact_conflicts`` view, checks the database file once, reads no stored links of a page
that had none, and the summary reads no comment rows. Each test pins what is skipped
together with what must stay as it was.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, signals
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from sqlite_utils import Database

import crawler.run.summary as summary_module
import crawler.spiders.films as films_module
import crawler.store.database as database_module
import crawler.store.service as service_module
from crawler.fetch.redirects import META_REFRESH_HEAD_BYTES, SiteMetaRefreshMiddleware
from crawler.process.fetched import FetchedPage, base_record, content_hash
from crawler.process.pool import WorkerPool
from crawler.process.pool_preload import sample_pages
from crawler.run.summary import crawl_summary
from crawler.spiders.films import FilmsSpider
from crawler.store.database import (
    DatabaseRefusedError,
    check_database,
    connect_readonly,
    open_database,
)
from crawler.store.frontier import FrontierEntry
from crawler.store.service import FilmStore
from schemas.records import FactRecord, PageRecord, TitleRecord
from tests.helpers import worker_tasks

BASE = "http://127.0.0.1:8000"


def film_page(path: str, runtime: str, *, comment_pages: tuple[str, ...] = ()) -> PageRecord:
    return PageRecord(
        url=f"{BASE}{path}",
        requested_url=f"{BASE}{path}",
        http_status=200,
        content_hash=path.encode().hex().ljust(64, "0")[:64],
        fetched_at="2026-01-01T00:00:00Z",
        title="Alpha Film",
        clean_text="Alpha Film is a film.",
        titles=[TitleRecord("Alpha Film", "primary", "test")],
        facts=[FactRecord("runtime_minutes", f"{runtime} min", runtime, "test")],
        comment_page_urls=[f"{BASE}{more}" for more in comment_pages],
    )


def not_modified(path: str) -> PageRecord:
    return PageRecord(
        url=f"{BASE}{path}",
        requested_url=f"{BASE}{path}",
        http_status=304,
        fetched_at="2026-01-02T00:00:00Z",
        status="not_modified",
        status_reason="304 Not Modified",
    )


def run(path: Path, batches: list[list[PageRecord]]) -> dict[str, int]:
    """One crawl run through a store of its own: open, write the batches, finish."""
    store = FilmStore(path)
    try:
        seeds = [FrontierEntry(item.url, "seed", 0, None) for batch in batches for item in batch]
        store.call_sync(store.open_run, seeds, {}, fresh=False)
        for batch in batches:
            store.call_sync(store.write, batch)
        return store.call_sync(
            lambda: store.finish_run(status="ok", exit_code=0, reason="", stats={}, drained=True)
        )
    finally:
        store.close()


def trace_statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement the stores opened from now on run."""
    seen: list[str] = []
    opener = service_module.open_database

    def open_traced(path: Path) -> Database:
        db = opener(path)
        db.conn.set_trace_callback(seen.append)
        return db

    monkeypatch.setattr(service_module, "open_database", open_traced)
    return seen


def test_a_run_that_writes_no_content_adds_no_conflict_and_reads_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "films.db"
    figures = run(path, [[film_page("/a", "127"), film_page("/b", "132")]])
    assert figures["conflicts_new"] == 1
    first = Database(path)
    assert [row["field"] for row in first["crawl_run_conflicts"].rows] == ["runtime_minutes"]
    first.close()

    seen = trace_statements(monkeypatch)
    figures = run(path, [[not_modified("/a"), not_modified("/b")]])
    assert figures["conflicts_new"] == 0
    assert not [sql for sql in seen if "fact_conflicts" in sql]
    again = Database(path)
    assert again["crawl_run_conflicts"].count == 1
    assert {row["status"] for row in again["pages"].rows} == {"not_modified"}
    again.close()


def test_conflicts_new_counts_from_before_the_runs_first_content_page(tmp_path: Path) -> None:
    path = tmp_path / "films.db"
    run(path, [[film_page("/a", "127")]])
    # A revisit first, then the page that brings the conflict.
    figures = run(path, [[not_modified("/a")], [film_page("/b", "132")]])
    assert figures["conflicts_new"] == 1


def test_stored_links_are_read_only_for_pages_that_have_some(tmp_path: Path) -> None:
    path = tmp_path / "films.db"
    run(path, [[film_page("/a", "127", comment_pages=("/a?page=2",)), film_page("/b", "127")]])
    store = FilmStore(path)
    try:
        store.call_sync(store.open_run, [], {}, fresh=False)
        assert asyncio.run(store.stored_links(f"{BASE}/b")) == []
        assert store._read_db is None  # no read, no connection
        assert asyncio.run(store.stored_links(f"{BASE}/a")) == [(f"{BASE}/a?page=2", "comments")]
        # Links a page gets during the run are handed on by a later revisit.
        store.call_sync(store.write, [film_page("/b", "127", comment_pages=("/b?page=2",))])
        assert asyncio.run(store.stored_links(f"{BASE}/b")) == [(f"{BASE}/b?page=2", "comments")]
    finally:
        store.close()


def test_an_unchanged_database_file_is_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "films.db"
    open_database(path).close()
    opened: list[Path] = []
    connect = database_module.connect_readonly

    def connect_counted(database: Path) -> sqlite3.Connection:
        opened.append(database)
        return connect(database)

    monkeypatch.setattr(database_module, "connect_readonly", connect_counted)
    check_database(path)
    check_database(path)
    assert len(opened) == 1
    # Changed since it passed: read again, and a damaged file is still refused.
    with path.open("r+b") as stream:
        stream.seek(100)
        stream.write(b"\xa5" * (path.stat().st_size - 100))
    with pytest.raises(DatabaseRefusedError):
        check_database(path)
    assert len(opened) == 2


def test_the_mirror_lookup_of_every_batch_uses_an_index(tmp_path: Path) -> None:
    db = open_database(tmp_path / "films.db")
    plan = " ".join(
        str(row[3])
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT url FROM pages WHERE mirror_of IN (?)", ["x"]
        )
    )
    db.close()
    assert "USING" in plan and "INDEX" in plan and "SCAN pages" not in plan


def test_the_summary_of_a_run_without_new_comments_reads_no_comment_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "films.db"
    run(path, [[film_page("/a", "127")]])
    seen: list[str] = []

    def connect_traced(database: Path) -> sqlite3.Connection:
        connection = connect_readonly(database)
        connection.set_trace_callback(seen.append)
        return connection

    monkeypatch.setattr(summary_module, "connect_readonly", connect_traced)
    stats: dict[str, Any] = {"filmcrawl/run/id": 1, "filmcrawl/store/pages_not_modified": 1}
    summary = crawl_summary(path, stats, 1.0)
    assert summary["this_run"]["languages"] == []
    assert summary["this_run"]["pages_same"] == 1
    assert summary["totals"]["pages"] == 1
    assert not [sql for sql in seen if "first_seen >=" in sql]


def html_response(body: bytes, url: str = f"{BASE}/film") -> HtmlResponse:
    return HtmlResponse(
        url,
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8"},
        request=Request(url),
    )


class NoTextResponse(HtmlResponse):
    """A response whose whole body must never be decoded in the crawler."""

    @property
    def text(self) -> str:
        if len(self.body) > META_REFRESH_HEAD_BYTES:
            raise AssertionError("the whole body was decoded")
        return super().text


def test_a_meta_refresh_is_found_without_decoding_the_whole_page() -> None:
    middleware = SiteMetaRefreshMiddleware.from_crawler(get_crawler())
    filler = "<p>" + "Ünïcödé comment text " * 4000 + "</p>"
    page = f"<html><head><title>t</title></head><body>{filler}</body></html>".encode()
    plain = NoTextResponse(
        f"{BASE}/film", body=page, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    assert middleware.process_response(Request(f"{BASE}/film"), plain) is plain

    refresh = b'<html><head><meta http-equiv="refresh" content="0; url=/film/new"></head>'
    moved = NoTextResponse(
        f"{BASE}/film",
        body=refresh + filler.encode() + b"</html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    redirected = middleware.process_response(Request(f"{BASE}/film"), moved)
    assert isinstance(redirected, Request)
    assert redirected.url == f"{BASE}/film/new"

    # Past Scrapy's first 4,096 characters a refresh is not looked for, as before.
    late = html_response(f"<html><body>{'x' * 5000}".encode() + refresh + b"</body></html>")
    assert middleware.process_response(Request(f"{BASE}/film"), late) is late


def test_workers_start_with_the_chains_lazy_tables_built() -> None:
    # Built in each worker, the country and language tables (27 locales of Babel data)
    # cost every worker some 25 MB of its own; built in the fork server, they are shared.
    assert len(sample_pages()) == 5
    pool = WorkerPool(1)
    try:
        built = asyncio.run(pool.run("lane", worker_tasks.lazy_tables_built))
    finally:
        pool.close()
    assert built == {"countries": True, "languages": True}


def test_the_feeder_is_woken_when_a_download_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    # With only a clock to wake it (every 50 ms), the feeder let a downloader fed with
    # 304s stand idle a third of a re-crawl. Here the clock would wake it in an hour:
    # only the end of a download can.
    monkeypatch.setattr(films_module, "FEED_POLL_SECONDS", 3600.0)
    crawler = get_crawler(FilmsSpider)
    spider = FilmsSpider.from_crawler(crawler)
    room = {"free": False}
    monkeypatch.setattr(spider, "_room_for_requests", lambda: room["free"])

    async def scenario() -> None:
        waiting = asyncio.ensure_future(spider._wait_for_room())
        await asyncio.sleep(0)
        assert not waiting.done()
        room["free"] = True
        crawler.signals.send_catch_log(
            signals.request_left_downloader, request=Request(f"{BASE}/a"), spider=spider
        )
        await asyncio.wait_for(waiting, timeout=60)  # a guard against hanging, no timing

    asyncio.run(scenario())


def test_a_body_the_crawler_hashed_is_not_hashed_again() -> None:
    # An unchanged 200 (no validators on the site) was hashed to compare it with the
    # stored hash, then again for its record.
    body = b"<html><body><p>A page.</p></body></html>"
    page = FetchedPage("http://127.0.0.1/p", "http://127.0.0.1/p", 200, body, "t")
    assert base_record(page).content_hash == content_hash(body)
    page.body_hash = "0" * 64  # what the crawler computed: taken as it is
    assert base_record(page).content_hash == "0" * 64
