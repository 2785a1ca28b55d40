"""validate: only page records that keep the database contract go on to the store.

An item that is not a page record (a component or a custom spider yielding something
else) is dropped with a reason and counted (``filmcrawl/validate/foreign_item``). A
page record whose URL or status is not one the database can hold is dropped
(``filmcrawl/validate/invalid_page``); titles, facts, credits or comments outside the
contract's vocabularies (:mod:`schemas.records`) are left out and counted
(``filmcrawl/validate/invalid/<kind>``), and the rest of the page is stored.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from schemas.records import (
    COMMENT_KINDS,
    CREDIT_ROLES,
    FACT_FIELDS,
    TITLE_KINDS,
    PageRecord,
    record_problems,
)

logger = logging.getLogger(__name__)


class ValidatePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageRecord):
            self.stats.inc_value("filmcrawl/validate/foreign_item")
            kind = type(item).__name__
            raise DropItem(f"not a page record ({kind}): filmcrawl stores only PageRecord items")
        fatal, invalid = record_problems(item)
        if fatal:
            self.stats.inc_value("filmcrawl/validate/invalid_page")
            raise DropItem(f"invalid page record: {'; '.join(fatal)}")
        if invalid:
            self._leave_out_invalid(item, invalid)
        return item

    def _leave_out_invalid(self, item: PageRecord, invalid: dict[str, int]) -> None:
        adapter = ItemAdapter(item)
        allowed = {
            "titles": ("kind", TITLE_KINDS),
            "facts": ("field", FACT_FIELDS),
            "credits": ("role", CREDIT_ROLES),
            "comments": ("kind", COMMENT_KINDS),
        }
        for name, (attribute, vocabulary) in allowed.items():
            adapter[name] = [r for r in adapter[name] if getattr(r, attribute) in vocabulary]
        for kind, count in invalid.items():
            self.stats.inc_value(f"filmcrawl/validate/invalid/{kind}", count)
        logger.warning("%s: left out records outside the vocabularies: %s", item.url, invalid)
