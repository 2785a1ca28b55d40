"""Requests wait while too many pages are still being processed (memory stays bounded
however fast pages arrive, as in a re-crawl answered with 304s)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from sqlite_utils import Database

from crawler.fetch.middlewares import ProcessingBackpressureMiddleware
from crawler.run.status import EXIT_OK
from crawler.sample_site.generate import write_site
from crawler.sample_site.server import SampleSite
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, run_crawl


def fake_crawler(active: set[object], **settings: object) -> SimpleNamespace:
    crawler = SimpleNamespace(
        settings=Settings(settings),
        engine=SimpleNamespace(scraper=SimpleNamespace(slot=SimpleNamespace(active=active))),
    )
    crawler.stats = MemoryStatsCollector(crawler)  # type: ignore[arg-type]
    return crawler


def test_a_request_passes_at_once_while_there_is_room() -> None:
    crawler = fake_crawler({object()})
    middleware = ProcessingBackpressureMiddleware(crawler, limit=2)  # type: ignore[arg-type]

    async def scenario() -> None:
        task = asyncio.ensure_future(middleware.process_request(Request("http://127.0.0.1/a")))
        await asyncio.sleep(0)  # one step: it must not have had to poll
        assert task.done() and task.result() is None

    asyncio.run(scenario())
    assert crawler.stats.get_value("filmcrawl/backpressure/requests_held") is None
    assert crawler.stats.get_value("filmcrawl/backpressure/max_pages_in_process") == 1


def test_requests_wait_at_the_limit_and_go_in_order_as_pages_finish() -> None:
    active: set[object] = {object(), object()}
    crawler = fake_crawler(active)
    middleware = ProcessingBackpressureMiddleware(crawler, limit=2)  # type: ignore[arg-type]
    released: list[str] = []

    async def fetch(name: str) -> None:
        await middleware.process_request(Request(f"http://127.0.0.1/{name}"))
        released.append(name)
        active.add(name)  # the released request's page is now being processed

    async def scenario() -> None:
        tasks = [asyncio.ensure_future(fetch(name)) for name in ("a", "b", "c")]
        for _ in range(10):
            await asyncio.sleep(ProcessingBackpressureMiddleware.POLL_SECONDS)
        assert released == []  # all held while two pages are in process
        active.pop()
        while not released:
            await asyncio.sleep(ProcessingBackpressureMiddleware.POLL_SECONDS)
        for _ in range(10):
            await asyncio.sleep(ProcessingBackpressureMiddleware.POLL_SECONDS)
        assert released == ["a"]  # room for one page lets exactly one request go
        active.clear()
        await asyncio.gather(*tasks)

    asyncio.run(scenario())
    assert released == ["a", "b", "c"]
    assert crawler.stats.get_value("filmcrawl/backpressure/requests_held") == 3


def test_a_limit_of_zero_switches_it_off() -> None:
    with pytest.raises(NotConfigured):
        ProcessingBackpressureMiddleware.from_crawler(
            fake_crawler(set(), FILMCRAWL_MAX_PAGES_IN_PROCESS=0)  # type: ignore[arg-type]
        )


@pytest.mark.slow
def test_a_304_recrawl_keeps_pages_in_process_under_the_limit(tmp_path: Path) -> None:
    site = tmp_path / "site"
    paths = write_site(site, pages=150, seed=3, target_bytes=8_000)
    db = tmp_path / "films.db"
    limit, concurrency = 2, 4
    settings = (
        *FAST_LOCAL_SETTINGS,
        f"FILMCRAWL_MAX_PAGES_IN_PROCESS={limit}",
        f"CONCURRENT_REQUESTS={concurrency}",
        f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
    )
    with SampleSite.start(site) as server:
        sitemap = server.url("/sitemap.xml")
        assert run_crawl(db, "--sitemap", sitemap, settings=settings).returncode == EXIT_OK
        assert run_crawl(db, "--sitemap", sitemap, settings=settings).returncode == EXIT_OK
    run = next(Database(db).query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))
    stats = json.loads(run["stats"])
    assert run["pages_not_modified"] == len(paths)
    assert stats["filmcrawl/backpressure/requests_held"] > 0
    # Seen by a request about to go out: never more than the limit plus those already
    # downloading when the limit was reached.
    assert stats["filmcrawl/backpressure/max_pages_in_process"] <= limit + concurrency
    assert Database(db).execute("SELECT count(*) FROM pages").fetchone()[0] == len(paths)
