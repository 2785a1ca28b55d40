"""store: write pages and their records to SQLite in batches, one transaction each.

Items are buffered and written ``FILMCRAWL_BATCH_SIZE`` at a time (or every
``FILMCRAWL_FLUSH_SECONDS``), on the store's database thread, each batch in one
transaction together with the frontier entries that mark its URLs done. A database
error stops the crawl (``finish_reason = database_error``) rather than dropping
pages silently.

Each page's events become the run's stats (``filmcrawl/<event>``), and the CPU time its
chain took per step is summed into ``filmcrawl/time/<step>_ms`` (with the writer's own
as ``filmcrawl/time/store_ms``), so a run's stats say where its time went.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from time import thread_time
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.store.service import FilmStore
from crawler.store.writer import BatchCounts
from schemas.records import PageRecord

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(
        self,
        crawler: Crawler,
        store: FilmStore,
        stats: StatsCollector,
        batch_size: int,
        flush_seconds: float,
    ) -> None:
        self.crawler = crawler
        self.store = store
        self.stats = stats
        self.batch_size = max(1, batch_size)
        self.flush_seconds = flush_seconds
        self._buffer: list[PageRecord] = []
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.failed = False
        self._closing: asyncio.Future[None] | None = None
        self._timings_ms: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        settings = crawler.settings
        return cls(
            crawler,
            FilmStore.of(crawler),
            crawler.stats,
            settings.getint("FILMCRAWL_BATCH_SIZE"),
            settings.getfloat("FILMCRAWL_FLUSH_SECONDS"),
        )

    async def open_spider(self) -> None:
        if self.flush_seconds > 0:
            self._timer = asyncio.ensure_future(self._flush_periodically())

    async def close_spider(self) -> None:
        # Stop the timer between flushes, never inside one (a batch it has taken from
        # the buffer must reach the database).
        self._stopping.set()
        if self._timer is not None:
            await self._timer
        await self.flush()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageRecord):
            return item
        for event, count in item.events.items():
            self.stats.inc_value(f"filmcrawl/{event}", count)
        self._add_timings(item.timings_ms)
        self._buffer.append(item)
        if len(self._buffer) >= self.batch_size:
            await self.flush()
        return item

    async def _flush_periodically(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.flush_seconds)
            await self.flush()

    async def flush(self) -> None:
        async with self._lock:
            if not self._buffer or self.failed:
                return
            batch, self._buffer = self._buffer, []
            try:
                counts, write_ms = await self.store.call(self._timed_write, batch)
            except Exception as exc:
                self.failed = True
                if isinstance(exc, sqlite3.OperationalError):  # a full disk: no bug to trace
                    logger.error("database write failed (%s); stopping the crawl", exc)
                else:
                    logger.exception("database write failed; stopping the crawl")
                self.stats.set_value("filmcrawl/store/error", f"{type(exc).__name__}: {exc}")
                engine = self.crawler.engine
                if engine is not None:
                    self._closing = asyncio.ensure_future(
                        engine.close_spider_async(reason="database_error")
                    )
                return
            self._add_timings({"store": write_ms})
            for key, value in counts.as_stats().items():
                self.stats.inc_value(key, value)
            self.stats.inc_value("filmcrawl/store/batches")

    def _timed_write(self, batch: list[PageRecord]) -> tuple[BatchCounts, float]:
        """Write a batch (on the database thread); what changed and how long it took."""
        started = thread_time()  # CPU time of the database thread, as for the chain's steps
        counts = self.store.write(batch)
        return counts, (thread_time() - started) * 1000

    def _add_timings(self, timings_ms: dict[str, float]) -> None:
        # Summed here and set rounded, so the stats do not carry float noise.
        for step, ms in timings_ms.items():
            total = self._timings_ms[step] = self._timings_ms.get(step, 0.0) + ms
            self.stats.set_value(f"filmcrawl/time/{step}_ms", round(total, 1))
