"""resolve: what a page says about its film, worked out before the store's transaction.

A page record's titles, year, directors, countries and cast make its film claim
(:func:`crawler.store.film_resolution.claim_for_record`), the input of film
resolution. Computing it here, from the record, spares the writer reading it back
from the rows it has just written; which film the claim belongs to needs every page
stored so far, so that part stays in the writer's transaction
(:func:`crawler.store.film_resolution.resolve_after_write`).

A claim ranks its facts by their extractors' evidence tiers. Only the extractor
registry knows them, and loading it in the crawler would load the whole extraction
stack (some 0.8 s of CPU on the reactor thread, at the first page, and 40 MB) that the
workers have loaded already: so the first page with content asks a worker for them
(:func:`crawler.process.tiers.extractor_tiers`), and the pages behind it wait for the
answer, never the reactor. Without workers, the registry is loaded here on first use.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.process.pool import WorkerPool
from crawler.process.tiers import extractor_tiers
from crawler.store.film_resolution import claim_for_record, tiers_known, use_extractor_tiers
from schemas.records import PageRecord

logger = logging.getLogger(__name__)


class ResolvePipeline:
    def __init__(self, stats: StatsCollector, pool: WorkerPool | None = None) -> None:
        self.stats = stats
        self.pool = pool
        self._asking: asyncio.Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats, crawler.get_extension(WorkerPool))

    def process_item(self, item: Any) -> Any:
        """The item with its film claim; until a worker has told the tiers, an awaitable
        of it (Scrapy awaits what a pipeline returns)."""
        if not isinstance(item, PageRecord) or item.status != "ok":
            return item
        if self.pool is None or self.pool.workers == 0 or tiers_known():
            return self._resolve(item)
        return self._resolve_once_told(item, self.pool)

    async def _resolve_once_told(self, item: PageRecord, pool: WorkerPool) -> PageRecord:
        # The first page with content asks; the pages behind it wait for the same answer.
        if self._asking is None:
            self._asking = asyncio.ensure_future(self._ask_for_tiers(pool))
        await asyncio.shield(self._asking)
        return self._resolve(item)

    @staticmethod
    async def _ask_for_tiers(pool: WorkerPool) -> None:
        try:
            use_extractor_tiers(await pool.run("extractor tiers", extractor_tiers))
        except Exception as exc:  # no worker could answer: the registry loads here
            logger.warning("could not read the extractor tiers from a worker: %r", exc)

    def _resolve(self, item: PageRecord) -> PageRecord:
        claim = claim_for_record(item)
        ItemAdapter(item)["film_claim"] = claim
        if claim is None:
            self.stats.inc_value("filmcrawl/resolve/no_film_claim")
        return item
