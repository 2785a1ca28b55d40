"""The garbage collector leaves a crawl's long-lived objects alone.

By the time the spider opens, the crawler process holds about a hundred thousand
objects it keeps until the end: modules, Scrapy's components, settings, the store. Every
full collection walked them all again (63 ms each, 13 in a 10,000-page re-crawl), and
the collector ran a young collection every 700 allocations: a request, its response, its
item and Scrapy's Deferreds and tasks for them make that several times a request. In a
re-crawl of 10,000 unchanged pages the collector took 1.27 s of the process's 11 s
(issue 16).

When the spider opens, this extension moves what exists to the permanent generation
(:func:`gc.freeze`, after one collection so that no garbage is frozen with it) and lets
``FILMCRAWL_GC_YOUNG_THRESHOLD`` allocations pass between young collections; the
collector then takes about 0.13 s of the same re-crawl. Reference cycles made during the
crawl are still collected, only later. When the spider closes, the collector's settings
and the frozen objects are given back, so a process that runs several crawls (tests,
Scrapyd) ends each one as it started. ``FILMCRAWL_GC_YOUNG_THRESHOLD = 0`` leaves the
collector as Python sets it.
"""

from __future__ import annotations

import gc
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class LongLivedObjectsFrozen:
    def __init__(self, young_threshold: int) -> None:
        self.young_threshold = young_threshold
        self._previous: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        young_threshold = crawler.settings.getint("FILMCRAWL_GC_YOUNG_THRESHOLD")
        if young_threshold <= 0:
            raise NotConfigured
        extension = cls(young_threshold)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        if self._previous is not None or not gc.isenabled():
            return
        gc.collect()
        gc.freeze()
        self._previous = gc.get_threshold()
        young, *older = self._previous
        gc.set_threshold(max(young, self.young_threshold), *older)

    def spider_closed(self) -> None:
        if self._previous is None:
            return
        gc.set_threshold(*self._previous)
        gc.unfreeze()
        self._previous = None
