"""CPU-heavy work (decoding, parsing, extraction, normalisation, language detection)
runs in a pool of worker processes, off Scrapy's reactor thread.

Scrapy itself needs most of a core to download and schedule; extracting inside the
reactor caps a crawl at the single-core extraction rate with the second core idle.
``FILMCRAWL_WORKERS`` processes (default: one per core) do that work instead.

Results are released in the order the work was submitted, so the items reaching the
store come in the same order as in a single-process run (``FILMCRAWL_WORKERS=0`` runs
everything inline, in the reactor thread).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
T = TypeVar("T")


class WorkerCrashedError(RuntimeError):
    """A worker process died (out of memory, a crash in C code) while working on a task."""


def _initialise_worker() -> None:
    # Import the heavy modules once per worker, not on each page, and seed langdetect.
    import crawler.processing  # noqa: F401
    from crawler.language import seed_detector

    seed_detector()


def default_worker_count() -> int:
    return os.cpu_count() or 1


class WorkerPool:
    def __init__(self, workers: int, max_tasks_per_child: int = 2000) -> None:
        self.workers = max(0, workers)
        self.max_tasks_per_child = max_tasks_per_child
        self._executor: ProcessPoolExecutor | None = None
        self._tails: dict[str, asyncio.Future[None]] = {}

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> WorkerPool:
        pool = getattr(crawler, "_filmcrawl_pool", None)
        if pool is None:
            workers = crawler.settings.get("FILMCRAWL_WORKERS")
            count = default_worker_count() if workers in (None, "", "auto") else int(workers)
            pool = cls(count, crawler.settings.getint("FILMCRAWL_WORKER_MAX_TASKS", 2000))
            crawler._filmcrawl_pool = pool  # type: ignore[attr-defined]
        return pool

    def _ensure_executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn, not fork: the parent runs a reactor and a database thread, and a
            # forked child would inherit their locks in whatever state they were in.
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_initialise_worker,
                max_tasks_per_child=self.max_tasks_per_child,
            )
        return self._executor

    async def run(self, lane: str, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` in a worker; results of one ``lane`` come back in the order
        they were submitted."""
        if self.workers == 0:
            return fn(*args)
        loop = asyncio.get_running_loop()
        previous = self._tails.get(lane)
        released: asyncio.Future[None] = loop.create_future()
        self._tails[lane] = released
        try:
            executor = self._ensure_executor()
            try:
                result = await asyncio.wrap_future(executor.submit(fn, *args))
            except BrokenProcessPool as exc:
                self._restart(executor)
                raise WorkerCrashedError(f"a worker process died: {exc}") from exc
            if previous is not None:
                await asyncio.shield(previous)
            return result
        finally:
            if previous is not None and not previous.done():
                await asyncio.shield(previous)
            released.set_result(None)
            if self._tails.get(lane) is released:
                del self._tails[lane]

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        # Every task in flight fails with the same broken pool; only the first
        # replaces it.
        if self._executor is broken:
            self._executor = None
            logger.warning("restarting the extraction worker pool after a worker died")
            broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
