"""What the pure pipeline stages share: run the stage in the worker pool, pass foreign
items through. A stage's events stay on the item (``PageRecord.events``); the store
pipeline adds them all to the run's stats once (``filmcrawl/<stage>/<event>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from crawler.process.pool import WorkerCrashedError, WorkerPool, WorkerTimeoutError
from schemas.records import PageRecord

if TYPE_CHECKING:
    # Type-only: worker processes import the stage modules, and must not pay for Scrapy.
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class PageStagePipeline:
    """A pipeline whose job is one pure function ``PageRecord -> PageRecord``.

    Subclasses set ``stage_name`` and ``stage`` (a module-level function, so it can be
    pickled to a worker process).
    """

    stage_name: ClassVar[str] = ""

    @staticmethod
    def stage(item: PageRecord) -> PageRecord:
        raise NotImplementedError

    def __init__(self, pool: WorkerPool, stats: StatsCollector) -> None:
        self.pool = pool
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(WorkerPool.for_crawler(crawler), crawler.stats)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageRecord):
            self.stats.inc_value(f"filmcrawl/{self.stage_name}/foreign_item")
            return item
        # Events are counted by the store, once: counting them here too doubled them
        # (issue 6: one truncated comment showed as 2 in the run's stats).
        try:
            # A page without new content (304, failures) has nothing worth shipping to a
            # worker; it still keeps its place in the order.
            result: PageRecord = await self.pool.run(
                self.stage_name, type(self).stage, item, local=item.status != "ok"
            )
        except (WorkerCrashedError, WorkerTimeoutError) as exc:
            # The page is still stored (with what went wrong), never silently dropped.
            item.status, item.status_reason = "extract_failed", f"{self.stage_name}: {exc}"
            item.count(f"{self.stage_name}/worker_failed")
            result = item
        return result


def record_events(stats: StatsCollector, before: dict[str, int], after: dict[str, int]) -> None:
    for event, count in after.items():
        delta = count - before.get(event, 0)
        if delta:
            stats.inc_value(f"filmcrawl/{event}", delta)
