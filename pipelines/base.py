"""What the pure pipeline stages share: run the stage in the worker pool, count its
events in the run's stats (``filmcrawl/<stage>/<event>``), pass foreign items through.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.workers import WorkerCrashedError, WorkerPool, WorkerTimeoutError
from schemas.items import PageItem


class PageStagePipeline:
    """A pipeline whose job is one pure function ``PageItem -> PageItem``.

    Subclasses set ``stage_name`` and ``stage`` (a module-level function, so it can be
    pickled to a worker process).
    """

    stage_name: ClassVar[str] = ""

    @staticmethod
    def stage(item: PageItem) -> PageItem:
        raise NotImplementedError

    def __init__(self, pool: WorkerPool, stats: StatsCollector) -> None:
        self.pool = pool
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(WorkerPool.for_crawler(crawler), crawler.stats)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            self.stats.inc_value(f"filmcrawl/{self.stage_name}/foreign_item")
            return item
        before = dict(item.events)
        try:
            result: PageItem = await self.pool.run(self.stage_name, type(self).stage, item)
        except (WorkerCrashedError, WorkerTimeoutError) as exc:
            # The page is still stored (with what went wrong), never silently dropped.
            item.status, item.status_reason = "extract_failed", f"{self.stage_name}: {exc}"
            item.count(f"{self.stage_name}/worker_failed")
            result = item
        record_events(self.stats, before, result.events)
        return result


def record_events(stats: StatsCollector, before: dict[str, int], after: dict[str, int]) -> None:
    for event, count in after.items():
        delta = count - before.get(event, 0)
        if delta:
            stats.inc_value(f"filmcrawl/{event}", delta)
