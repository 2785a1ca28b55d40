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

    def __init__(
        self, pool: WorkerPool, stats: StatsCollector, crawler: Crawler | None = None
    ) -> None:
        self.pool = pool
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(WorkerPool.for_crawler(crawler), crawler.stats, crawler)

    def crawling(self) -> bool:
        """False once the crawl is being stopped (Ctrl-C, SIGTERM), also in the moment
        between the signal and the engine's stop (crawler.run.interrupt sets the stat)."""
        if self.crawler is None:
            return True
        stats = self.crawler.stats
        stopping = stats is not None and stats.get_value("filmcrawl/run/stop_signal")
        return bool(self.crawler.crawling) and not stopping

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
            if isinstance(exc, WorkerCrashedError) and not self.crawling():
                # Stopping: the worker went with a signal to the whole process group,
                # not because of this page, which stays pending for the next run.
                # Here, not at the top: workers import this module without Scrapy.
                from scrapy.exceptions import DropItem

                self.stats.inc_value("filmcrawl/pages/returned_to_frontier")
                raise DropItem(f"{item.url}: left for the next run ({exc} while stopping)") from exc
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
