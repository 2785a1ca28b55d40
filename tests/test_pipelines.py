"""The item pipelines after the per-page chain: validate -> resolve -> store (issue 15),
each a Scrapy component built with from_crawler, and the store and worker pool as
extensions reached through the crawler."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.process.pool import WorkerPool
from crawler.store.frontier import FrontierEntry
from crawler.store.service import FilmStore
from pipelines.resolve import ResolvePipeline
from pipelines.store import StorePipeline
from pipelines.validate import ValidatePipeline
from schemas.records import (
    CommentRecord,
    CreditRecord,
    FactRecord,
    PageRecord,
    TitleRecord,
)

URL = "http://127.0.0.1:8000/film"


def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(SimpleNamespace(settings=Settings()))  # type: ignore[arg-type]


def page(**fields: object) -> PageRecord:
    return PageRecord(url=URL, requested_url=URL, http_status=200, **fields)  # type: ignore[arg-type]


def test_validate_drops_a_foreign_item_with_a_reason_and_counts_it() -> None:
    counted = stats()
    with pytest.raises(DropItem, match="not a page record"):
        ValidatePipeline(counted).process_item({"url": URL})
    assert counted.get_value("filmcrawl/validate/foreign_item") == 1


def test_validate_drops_a_page_the_database_cannot_hold() -> None:
    counted = stats()
    with pytest.raises(DropItem, match="status 'lost'"):
        ValidatePipeline(counted).process_item(page(status="lost"))
    with pytest.raises(DropItem, match="not an http"):
        ValidatePipeline(counted).process_item(PageRecord(url="file:///etc/passwd"))
    assert counted.get_value("filmcrawl/validate/invalid_page") == 2


def test_validate_leaves_out_records_outside_the_vocabularies_and_keeps_the_page() -> None:
    counted = stats()
    item = page(
        titles=[TitleRecord("Film", "primary"), TitleRecord("Film", "nickname")],
        facts=[FactRecord("year", "2013", "2013"), FactRecord("mood", "sad", "sad")],
        credits=[CreditRecord("Lee", "director"), CreditRecord("Kim", "caterer")],
        comments=[CommentRecord("Great", kind="comment"), CommentRecord("Hm", kind="tweet")],
    )
    kept = ValidatePipeline(counted).process_item(item)
    assert [t.kind for t in kept.titles] == ["primary"]
    assert [f.field for f in kept.facts] == ["year"]
    assert [c.role for c in kept.credits] == ["director"]
    assert [c.kind for c in kept.comments] == ["comment"]
    for kind in ("title_kind", "fact_field", "credit_role", "comment_kind"):
        assert counted.get_value(f"filmcrawl/validate/invalid/{kind}") == 1


def test_resolve_attaches_the_film_claim_of_a_page_with_content() -> None:
    counted = stats()
    item = page(
        titles=[TitleRecord("Miracle in Cell No. 7", "primary", "structured")],
        facts=[FactRecord("year", "2013", "2013", "structured")],
    )
    resolved = ResolvePipeline(counted).process_item(item)
    assert resolved.film_claim is not None
    assert (resolved.film_claim.year, resolved.film_claim.titles) == (
        2013,
        [["primary", "Miracle in Cell No. 7"]],
    )
    failed = ResolvePipeline(counted).process_item(page(status="http_error"))
    assert failed.film_claim is None


def test_the_store_sums_the_chain_timings_into_the_run_stats(tmp_path: Path) -> None:
    # Issue 16: the run's stats say where the time went, per step.
    store = FilmStore(tmp_path / "films.db")
    store.call_sync(store.open_run, [FrontierEntry(URL, "seed", 0, None)], {}, fresh=True)
    counted = stats()
    crawler = SimpleNamespace(settings=Settings(), engine=None)
    pipeline = StorePipeline(crawler, store, counted, batch_size=2, flush_seconds=0)  # type: ignore[arg-type]
    first = page(content_hash="a" * 64, clean_text="A film.", timings_ms={"language": 1.25})
    second = page(content_hash="b" * 64, clean_text="A film.", timings_ms={"language": 2.5})
    second.url = second.requested_url = URL + "/2"

    async def scenario() -> None:
        await pipeline.process_item(first)
        await pipeline.process_item(second)

    asyncio.run(scenario())
    store.close()
    assert counted.get_value("filmcrawl/time/language_ms") == 3.8
    assert counted.get_value("filmcrawl/time/store_ms") > 0


def test_the_store_and_the_pool_are_extensions_reached_through_the_crawler() -> None:
    settings = {name: value for name, value in vars(project_settings).items() if name.isupper()}
    crawler = get_crawler(settings_dict=settings)
    store, pool = FilmStore.of(crawler), WorkerPool.of(crawler)
    assert crawler.get_extension(FilmStore) is store
    assert str(store.path) == project_settings.FILMCRAWL_DB
    assert pool.max_tasks_per_child == project_settings.FILMCRAWL_WORKER_MAX_TASKS


def test_a_crawler_without_the_store_says_which_setting_to_fix() -> None:
    crawler = get_crawler(settings_dict={"EXTENSIONS": {}})
    with pytest.raises(
        RuntimeError, match=r"add crawler\.store\.service\.FilmStore to the EXTENSIONS"
    ):
        FilmStore.of(crawler)
