"""Log records no handler would take are not made.

Scrapy sets the root logger to let every level through, its own ``scrapy`` logger to
DEBUG, and filters in its handler (``LOG_LEVEL``), so its per-request debug lines
("Crawled (200) …", "Scraped from …") are formatted into records, with the caller's
frame looked up, and then dropped: two records a page, about 0.3 s of a 10,000-page
re-crawl's CPU (issue 16). When the crawler starts, this extension raises the root
logger, and every logger set to a level below it (``scrapy``), to the lowest level the
handlers accept; a handler that takes every level (a test's log capture) or a logger
with handlers of its own (other than a library's ``NullHandler``) leaves the levels as
they are. They are put back when the spider closes.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler


def lowest_handled_level() -> int:
    """The lowest level any handler of the log takes; NOTSET when one takes every
    level or a logger below the root has handlers of its own."""
    root = logging.getLogger()
    levels = [handler.level for handler in root.handlers]
    if not levels or logging.NOTSET in levels:
        return logging.NOTSET
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger) and any(
            not isinstance(handler, logging.NullHandler) for handler in logger.handlers
        ):
            return logging.NOTSET
    return min(levels)


class UnhandledLogRecordsSkipped:
    def __init__(self) -> None:
        # The loggers whose level was raised, with the level each had.
        self._previous: dict[logging.Logger, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls()
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def engine_started(self) -> None:
        level = lowest_handled_level()
        if self._previous or level == logging.NOTSET:
            return
        # The root, and the loggers set to a level of their own (one at NOTSET takes its
        # parent's): Scrapy's own is at DEBUG whatever the root says.
        loggers = [logging.getLogger()] + [
            logger
            for logger in logging.Logger.manager.loggerDict.values()
            if isinstance(logger, logging.Logger) and logger.level != logging.NOTSET
        ]
        for logger in loggers:
            if logger.level < level:
                self._previous[logger] = logger.level
                logger.setLevel(level)

    def spider_closed(self) -> None:
        for logger, level in self._previous.items():
            logger.setLevel(level)
        self._previous.clear()
