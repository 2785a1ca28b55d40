"""resolve: what a page says about its film, worked out before the store's transaction.

A page record's titles, year, directors, countries and cast make its film claim
(:func:`crawler.store.film_resolution.claim_for_record`), the input of film
resolution. Computing it here, from the record, spares the writer reading it back
from the rows it has just written; which film the claim belongs to needs every page
stored so far, so that part stays in the writer's transaction
(:func:`crawler.store.film_resolution.resolve_after_write`).
"""

from __future__ import annotations

from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.store.film_resolution import claim_for_record
from schemas.records import PageRecord


class ResolvePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageRecord) or item.status != "ok":
            return item
        claim = claim_for_record(item)
        ItemAdapter(item)["film_claim"] = claim
        if claim is None:
            self.stats.inc_value("filmcrawl/resolve/no_film_claim")
        return item
