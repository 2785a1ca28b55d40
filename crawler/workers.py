"""CPU-heavy work (decoding, parsing, extraction, normalisation, language detection)
runs in a pool of worker processes, off Scrapy's reactor thread.

Scrapy itself needs most of a core to download and schedule; extracting inside the
reactor caps a crawl at the single-core extraction rate with the second core idle.
``FILMCRAWL_WORKERS`` processes (default: one per core) do that work instead.

Results are released in the order the work was submitted, so the items reaching the
store come in the same order as in a single-process run (``FILMCRAWL_WORKERS=0`` runs
everything inline, in the reactor thread).

A worker can get stuck where no Python signal reaches it (deep inside lxml on a
pathological page), so besides the in-worker time limit the pool enforces a hard
deadline from outside: a task still running ``hard_timeout`` seconds after it started
gets its pool killed and restarted; the other tasks that were in flight are retried
once on the new pool. Workers also die with the crawler (``PR_SET_PDEATHSIG``), so a
crawler killed by SIGKILL or the OOM killer leaves no orphans behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


class WorkerCrashedError(RuntimeError):
    """A worker process died (out of memory, a crash in C code) while working on a task."""


class WorkerTimeoutError(RuntimeError):
    """A task ran past the pool's hard deadline; its worker was killed."""


def _die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _release_fork_server() -> None:
    """Close this worker's copy of the fork server's "alive" pipe.

    CPython gives every process forked by the fork server the write end of the pipe
    the server watches to know its client (the crawler) is alive. With workers holding
    it, a killed crawler never looks dead to the server, the server never exits, and
    the workers (which die with the server) run on as orphans. Workers do not start
    processes of their own, so they do not need it.
    """
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def _initialise_worker(language_detector: str) -> None:
    # The parent is the fork server, which exits when the crawler dies; a worker whose
    # parent is already gone (re-parented to init) must not linger either.
    _die_with_parent()
    _release_fork_server()
    if os.getppid() == 1:
        os._exit(1)
    # Import the heavy modules once per worker, not on each page, and seed langdetect.
    import crawler.processing  # noqa: F401
    from crawler.language import seed_detector, use_detector

    use_detector(language_detector)
    seed_detector()


def _context() -> multiprocessing.context.BaseContext:
    """Workers are forked from a fork server, not from the crawler: the crawler runs a
    reactor and a database thread whose locks a forked child would inherit in whatever
    state they were in. The server preloads the extraction stack once
    (:mod:`crawler.worker_preload`), so workers start in milliseconds and share it."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["crawler.worker_preload"])
    return context


def default_worker_count() -> int:
    return os.cpu_count() or 1


class WorkerPool:
    def __init__(
        self,
        workers: int,
        max_tasks_per_child: int = 2000,
        hard_timeout: float = 0.0,
        language_detector: str = "langdetect",
    ) -> None:
        from crawler.language import use_detector

        # Checked here, in the crawler, so a missing package is one clear error at
        # start-up rather than a failure in every worker (and inline mode uses it).
        use_detector(language_detector)
        self.language_detector = language_detector
        self.workers = max(0, workers)
        self.max_tasks_per_child = max_tasks_per_child
        self.hard_timeout = hard_timeout
        self._executor: ProcessPoolExecutor | None = None
        self._tails: dict[str, asyncio.Future[None]] = {}
        self.restarts = 0

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> WorkerPool:
        pool = getattr(crawler, "_filmcrawl_pool", None)
        if pool is None:
            settings = crawler.settings
            workers = settings.get("FILMCRAWL_WORKERS")
            count = default_worker_count() if workers in (None, "", "auto") else int(workers)
            # A page gets its in-worker limit plus grace before the pool kills it.
            timeout = settings.getfloat("FILMCRAWL_EXTRACT_TIMEOUT", 30.0)
            pool = cls(
                count,
                settings.getint("FILMCRAWL_WORKER_MAX_TASKS", 2000),
                hard_timeout=timeout * 2 + 10 if timeout > 0 else 0.0,
                language_detector=settings.get("FILMCRAWL_LANGUAGE_DETECTOR", "langdetect"),
            )
            crawler._filmcrawl_pool = pool  # type: ignore[attr-defined]
        return pool

    def _ensure_executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = self._new_executor(self.workers)
        return self._executor

    def _new_executor(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_context(),
            initializer=_initialise_worker,
            initargs=(self.language_detector,),
            max_tasks_per_child=self.max_tasks_per_child,
        )

    async def run(self, lane: str, fn: Callable[..., T], *args: Any, local: bool = False) -> T:
        """Run ``fn(*args)`` in a worker; results of one ``lane`` come back in the order
        they were submitted. ``local`` runs it here instead (work too small to ship, such
        as a page that was not modified) but still releases it in its turn."""
        if self.workers == 0:
            return fn(*args)
        loop = asyncio.get_running_loop()
        previous = self._tails.get(lane)
        released: asyncio.Future[None] = loop.create_future()
        self._tails[lane] = released
        try:
            result = fn(*args) if local else await self._run_once_or_retry(fn, *args)
            if previous is not None:
                await asyncio.shield(previous)
            return result
        finally:
            if previous is not None and not previous.done():
                await asyncio.shield(previous)
            released.set_result(None)
            if self._tails.get(lane) is released:
                del self._tails[lane]

    async def _run_once_or_retry(self, fn: Callable[..., T], *args: Any) -> T:
        executor = self._ensure_executor()
        try:
            return await self._await(executor, fn, *args)
        except BrokenProcessPool:
            # A worker died (or was killed) while this task was in flight, and a broken
            # pool cannot tell whose task did it: every task in flight gets this error.
            # Each one is retried alone, in a worker of its own, so only a task that
            # really kills its worker fails.
            self._kill(executor, "a worker process died")
        isolated = self._new_executor(1)
        try:
            return await self._await(isolated, fn, *args)
        except BrokenProcessPool as exc:
            raise WorkerCrashedError(f"a worker process died on this task: {exc}") from exc
        finally:
            self._kill(isolated, "")

    async def _await(self, executor: ProcessPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        future = asyncio.wrap_future(executor.submit(fn, *args))
        if self.hard_timeout <= 0:
            return await future
        try:
            return await asyncio.wait_for(future, self.hard_timeout)
        except TimeoutError as exc:
            self._kill(executor, "a task ran past the hard deadline")
            raise WorkerTimeoutError(
                f"extraction took longer than {self.hard_timeout:g} s; its worker was killed"
            ) from exc

    def _kill(self, executor: ProcessPoolExecutor, why: str) -> None:
        """Kill ``executor``'s processes. When it is the shared pool, the next task
        starts a fresh one; every task in flight fails with the same broken pool and
        only the first replaces it."""
        if executor is self._executor:
            self._executor = None
            self.restarts += 1
            logger.warning("restarting the extraction worker pool: %s", why)
        elif why:
            return  # an old pool, already replaced
        _terminate(executor)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _terminate(executor: ProcessPoolExecutor) -> None:
    """Kill an executor's worker processes now (a stuck worker ignores polite requests)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(ProcessLookupError, AttributeError):
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
