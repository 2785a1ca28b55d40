"""The store pipeline and the database thread: a batch taken from the buffer always
reaches the database, however the crawl is stopped."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from types import SimpleNamespace

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from sqlite_utils import Database

from crawler.store.frontier import FrontierEntry
from crawler.store.service import FilmStore
from pipelines.store import StorePipeline
from schemas.records import PageRecord

PAGES = [f"http://127.0.0.1:8000/film/{n}" for n in range(5)]


def page(url: str) -> PageRecord:
    return PageRecord(
        url=url,
        requested_url=url,
        http_status=200,
        content_hash=url.rsplit("/", 1)[1] * 64,
        fetched_at="2026-01-01T00:00:00Z",
        title="A film",
        clean_text="A film about a film.",
    )


def open_store(path: Path) -> FilmStore:
    store = FilmStore(path)
    seeds = [FrontierEntry(url, "seed", 0, None) for url in PAGES]
    store.call_sync(store.open_run, seeds, {}, fresh=True)
    return store


def test_a_job_handed_to_the_database_thread_runs_although_its_caller_is_cancelled(
    tmp_path: Path,
) -> None:
    store = FilmStore(tmp_path / "films.db")
    gate = threading.Event()
    done: list[str] = []

    async def scenario() -> None:
        busy = store._executor.submit(gate.wait)  # the thread is busy: the job must queue
        caller = asyncio.ensure_future(store.call(done.append, "written"))
        await asyncio.sleep(0.01)
        caller.cancel()
        gate.set()
        await asyncio.wrap_future(busy)
        await asyncio.wrap_future(store._executor.submit(lambda: None))  # the queue drained

    asyncio.run(scenario())
    assert done == ["written"]
    store._executor.shutdown()
    store._reader.shutdown()


def test_closing_while_the_timer_flushes_loses_no_page(tmp_path: Path) -> None:
    store = open_store(tmp_path / "films.db")
    crawler = SimpleNamespace(settings=Settings(), engine=None)
    stats = MemoryStatsCollector(crawler)  # type: ignore[arg-type]
    pipeline = StorePipeline(crawler, store, stats, batch_size=50, flush_seconds=0.01)  # type: ignore[arg-type]
    gate = threading.Event()

    async def scenario() -> None:
        await pipeline.open_spider()
        busy = store._executor.submit(gate.wait)  # the database thread is busy
        for url in PAGES:
            await pipeline.process_item(page(url))
        while pipeline._buffer:  # the timer has taken the batch; its write is queued
            await asyncio.sleep(0.01)
        closing = asyncio.ensure_future(pipeline.close_spider())
        await asyncio.sleep(0.05)
        gate.set()
        await closing
        await asyncio.wrap_future(busy)

    asyncio.run(scenario())
    store.close()
    db = Database(tmp_path / "films.db")
    assert sorted(row["url"] for row in db["pages"].rows) == sorted(PAGES)
    assert stats.get_value("filmcrawl/store/pages_attempted") == len(PAGES)
