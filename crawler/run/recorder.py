"""Scrapy extensions: record each run in ``crawl_runs`` when the spider closes."""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.process.pool import WorkerPool
from crawler.run.status import ERROR_STATUSES, EXIT_FAILED, judge_run
from crawler.store.service import FilmStore

logger = logging.getLogger(__name__)


class CrawlRunRecorder:
    """Judge the run (see :mod:`crawler.run.status`), store its row with the full stats,
    and release the worker pool and the database."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_error_rate = crawler.settings.getfloat("FILMCRAWL_MAX_ERROR_RATE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        store = FilmStore.of(self.crawler)
        stats = self.crawler.stats
        assert stats is not None
        if store.started:
            # A run opening while the spider closes (a Ctrl-C at start-up) is recorded
            # too: this waits for the database thread to have opened it.
            store.call_sync(lambda: None)
        if store.run_id is not None:
            totals = store.totals
            errors = sum(totals.failures.get(status, 0) for status in ERROR_STATUSES)
            verdict = judge_run(
                reason,
                totals.pages_attempted,
                totals.pages_fetched,
                errors,
                self.max_error_rate,
                stats.get_value("filmcrawl/store/error"),
            )
            stats.set_value("filmcrawl/run/status", verdict.status)
            stats.set_value("filmcrawl/run/exit_code", verdict.exit_code)
            stats.set_value("filmcrawl/run/id", store.run_id)
            figures = store.call_sync(
                lambda: store.finish_run(
                    status=verdict.status,
                    exit_code=verdict.exit_code,
                    reason=verdict.reason,
                    stats=stats.get_stats(),
                    drained=reason == "finished",
                )
            )
            for name, value in figures.items():
                stats.set_value(f"filmcrawl/run/{name}", value)
            log = logger.info if verdict.exit_code == 0 else logger.error
            log("run %d %s: %s", store.run_id, verdict.status, verdict.reason)
        WorkerPool.of(self.crawler).close()
        store.close()


def record_abort(crawler: Crawler, reason: str) -> int | None:
    """Record a run aborted before its spider closed (a second Ctrl-C) as
    ``interrupted``, with what its stats had by then, and return its id (None when no
    run had begun). Nothing else is written: pages not yet stored stay pending in the
    frontier for the next run."""
    stats = crawler.stats
    store = FilmStore.of(crawler)
    if store.started:
        store.call_sync(lambda: None)  # a run being opened is recorded too
    if stats is None or store.run_id is None:
        return None
    if stats.get_value("filmcrawl/run/exit_code") is not None:
        # The spider closed and recorded the run before the abort: nothing to write,
        # but the abort is still said (the process exits without its summary).
        logger.error("run %d was recorded when it was %s", store.run_id, reason)
        return store.run_id
    stats.set_value("filmcrawl/run/status", "interrupted")
    stats.set_value("filmcrawl/run/exit_code", EXIT_FAILED)
    stats.set_value("filmcrawl/run/id", store.run_id)
    store.call_sync(
        lambda: store.finish_run(
            status="interrupted",
            exit_code=EXIT_FAILED,
            reason=reason,
            stats=stats.get_stats(),
            drained=False,
        )
    )
    logger.error("run %d interrupted: %s", store.run_id, reason)
    store.close()
    return store.run_id
