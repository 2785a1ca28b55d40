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
from crawler.process.pool import WorkerCrashedError, WorkerPool
from crawler.store import film_resolution
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


def claimed_page(number: int) -> PageRecord:
    record = page(
        titles=[TitleRecord(f"Film {number}", "primary", "structured")],
        facts=[FactRecord("year", "2013", "2013", "wordpress")],
    )
    record.url = record.requested_url = f"{URL}/{number}"
    return record


@pytest.fixture
def tiers_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process has not learnt the extractors' tiers yet (as a crawler at start)."""
    monkeypatch.setattr(film_resolution, "_reported_tiers", None)
    film_resolution._loaded_tiers.cache_clear()
    assert not film_resolution.tiers_known()


def resolve_together(pipeline: ResolvePipeline, items: list[PageRecord]) -> list[PageRecord]:
    async def scenario() -> list[PageRecord]:
        results = [pipeline.process_item(item) for item in items]
        return [await result if asyncio.iscoroutine(result) else result for result in results]

    return asyncio.run(scenario())


@pytest.mark.usefixtures("tiers_unknown")
def test_resolve_asks_a_worker_once_for_the_tiers_the_claims_rank_by() -> None:
    # Issue 16: the registry that knows the tiers loads the whole extraction stack,
    # which the workers have and the crawler does not need.
    pool = WorkerPool(1)
    try:
        resolved = resolve_together(
            ResolvePipeline(stats(), pool), [claimed_page(1), claimed_page(2)]
        )
    finally:
        pool.close()
    assert film_resolution.tiers_known()
    assert film_resolution._loaded_tiers.cache_info().currsize == 0  # not loaded here
    tiers = film_resolution._tiers()
    assert tiers["wordpress"] < tiers["factbox"] < tiers["film_sentence"]
    assert [item.film_claim.tier for item in resolved if item.film_claim] == [
        tiers["wordpress"]
    ] * 2


class DeadPool:
    """A pool whose workers cannot start (their fork server was killed)."""

    workers = 2

    async def run(self, lane: str, fn: object, *args: object) -> object:
        raise WorkerCrashedError("could not start an extraction worker")


@pytest.mark.usefixtures("tiers_unknown")
def test_resolve_loads_the_tiers_itself_when_no_worker_can_tell(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pipeline = ResolvePipeline(stats(), DeadPool())  # type: ignore[arg-type]
    resolved = resolve_together(pipeline, [claimed_page(1), claimed_page(2)])
    assert caplog.text.count("could not read the extractor tiers from a worker") == 1
    tiers = film_resolution._tiers()
    assert [item.film_claim.tier for item in resolved if item.film_claim] == [
        tiers["wordpress"]
    ] * 2


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
