"""CPU-heavy work (decoding, parsing, extraction, normalisation, language detection)
runs in a pool of worker processes, off Scrapy's reactor thread.

Scrapy itself needs most of a core to download and schedule; extracting inside the
reactor caps a crawl at the single-core extraction rate with the second core idle.
``FILMCRAWL_WORKERS`` processes (default: one per core) do that work instead.

Results are released in the order the work was submitted, so the items reaching the
store come in the same order as in a single-process run (``FILMCRAWL_WORKERS=0`` runs
everything inline, in the reactor thread).

The pool is our own rather than ``concurrent.futures.ProcessPoolExecutor``, whose
worker recycling deadlocks on Python 3.11 (CPython gh-115634: a worker leaving at
``max_tasks_per_child`` can leave queued work with no worker, and the process then
hangs at exit) and which hides which task runs in which process. Here each worker
runs one task at a time over its own pipe, so:

* a task's deadline counts from when it starts: a task still running
  ``hard_timeout`` seconds later (stuck where no Python signal reaches, deep in lxml)
  gets its worker killed, and nothing else is affected;
* a worker that dies (out of memory, a crash in C code) fails only its own task;
* a worker is replaced after ``max_tasks_per_child`` tasks, bounding memory growth;
* workers are forked from a fork server that preloaded the extraction stack
  (:mod:`crawler.process.pool_preload`), so they start in milliseconds and share it;
  the fork server dies with the crawler and the workers with the fork server
  (``PR_SET_PDEATHSIG``): a crawler killed by SIGKILL or the OOM killer leaves no
  orphans behind, even a worker stuck in C code.

The pool is a Scrapy extension (``EXTENSIONS``): components reach the crawl's one pool
with :meth:`WorkerPool.of`.
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
import threading
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Self, TypeVar

from crawler import settings as defaults
from crawler.process.language import seed_detector, use_detector

if TYPE_CHECKING:
    # Type-only: worker processes import this module and must not pay for Scrapy.
    from collections.abc import Callable, Coroutine

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


class WorkerCrashedError(RuntimeError):
    """A worker process died (out of memory, a crash in C code) while working on a task."""


class WorkerTimeoutError(RuntimeError):
    """A task ran past the pool's hard deadline; its worker was killed."""


# --- inside a worker --------------------------------------------------------------------


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only).

    Called by every worker (whose parent is the fork server) and by the fork server
    itself (whose parent is the crawler), so that killing the crawler ends both.
    """
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # The parent may have died before the request took effect: then we are already
    # an orphan, re-parented to init.
    if os.getppid() == 1:
        os._exit(1)


def _initialise_worker(language_detector: str) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the crawler handles Ctrl-C (see above)
    use_detector(language_detector)
    seed_detector()


def _worker_main(connection: Connection, language_detector: str) -> None:
    """A worker's life: run one task at a time until told to stop or orphaned."""
    _initialise_worker(language_detector)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args = message
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except Exception as exc:  # handed back and raised in the crawler
            reply = ("error", exc)
        try:
            connection.send(reply)
        except OSError:
            return  # the crawler is gone (aborted): nobody to answer
        except Exception as exc:  # an unpicklable result or exception
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _context() -> multiprocessing.context.BaseContext:
    """Workers are forked from a fork server, not from the crawler: the crawler runs a
    reactor and a database thread whose locks a forked child would inherit in whatever
    state they were in. The server preloads the extraction stack once, so workers start
    in milliseconds and share it."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["crawler.process.pool_preload"])
    return context


def _start_fork_server_ignoring_sigint(context: multiprocessing.context.BaseContext) -> None:
    """Start the fork server (once) with SIGINT ignored.

    Ctrl-C reaches the whole process group, and only the crawler decides what it means
    (crawler.run.interrupt): a worker it reached died and failed its page, and a fork
    server it reached while preloading left no worker at all (issue 17). An ignored
    signal stays ignored across exec, Python keeps it so, and the fork server hands
    its handlers on to every worker. The crawler ignores SIGINT only for the moment it
    takes to spawn the server (not to preload it).
    """
    if context.get_start_method() != "forkserver":
        return
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def start_fork_server() -> None:
    """Start the workers' fork server now (once), so that it preloads the extraction
    stack while the crawler goes on starting: the crawl's first worker then forks from a
    ready server instead of waiting for it. Harmless when no worker is ever asked for:
    the server dies with the crawler."""
    _start_fork_server_ignoring_sigint(_context())


def default_worker_count() -> int:
    return os.cpu_count() or 1


# --- in the crawler -----------------------------------------------------------------------


class _Worker:
    """One worker process and the crawler's end of its pipe."""

    def __init__(self, language_detector: str) -> None:
        context = _context()
        self.connection, child_end = context.Pipe(duplex=True)
        self.process = context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child_end, language_detector),
            name="filmcrawl-worker",
            daemon=True,
        )
        _start_fork_server_ignoring_sigint(context)
        self.process.start()
        child_end.close()
        self.tasks = 0

    def roundtrip(self, fn: Callable[..., T], args: tuple[Any, ...]) -> tuple[str, Any]:
        """Send a task and wait for its reply (runs in a thread, never in the reactor)."""
        self.connection.send((fn, args))
        reply: tuple[str, Any] = self.connection.recv()
        return reply

    def stop(self) -> None:
        """Ask the worker to finish and wait for it, killing it if it does not."""
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(timeout=5)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            with contextlib.suppress(OSError, AttributeError):
                self.process.kill()
        self.process.join(timeout=5)
        with contextlib.suppress(OSError):
            self.connection.close()


class WorkerPool:
    """The crawl's extraction worker pool (a Scrapy extension, see the module doc)."""

    def __init__(
        self,
        workers: int,
        max_tasks_per_child: int = defaults.FILMCRAWL_WORKER_MAX_TASKS,
        hard_timeout: float = 0.0,
        language_detector: str = defaults.FILMCRAWL_LANGUAGE_DETECTOR,
    ) -> None:
        # Checked here, in the crawler, so a missing package is one clear error at
        # start-up rather than a failure in every worker (and inline mode uses it).
        use_detector(language_detector)
        self.language_detector = language_detector
        self.workers = max(0, workers)
        self.max_tasks_per_child = max_tasks_per_child
        self.hard_timeout = hard_timeout
        self._idle: list[_Worker] = []
        self._busy = 0
        self._free: asyncio.Condition | None = None
        self._threads: ThreadPoolExecutor | None = None
        self._tails: dict[str, asyncio.Future[None]] = {}
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Future[None]] = set()
        self.restarts = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The pool for a crawl, from ``FILMCRAWL_WORKERS``, ``FILMCRAWL_WORKER_MAX_TASKS``,
        ``FILMCRAWL_EXTRACT_TIMEOUT`` and ``FILMCRAWL_LANGUAGE_DETECTOR``."""
        settings = crawler.settings
        workers = settings.get("FILMCRAWL_WORKERS")
        count = default_worker_count() if workers in (None, "", "auto") else int(workers)
        # A page gets its in-worker limit plus grace before the pool kills its worker.
        timeout = settings.getfloat("FILMCRAWL_EXTRACT_TIMEOUT")
        return cls(
            count,
            settings.getint("FILMCRAWL_WORKER_MAX_TASKS"),
            hard_timeout=timeout * 2 + 10 if timeout > 0 else 0.0,
            language_detector=settings.get("FILMCRAWL_LANGUAGE_DETECTOR"),
        )

    @classmethod
    def of(cls, crawler: Crawler) -> WorkerPool:
        """The crawl's pool; a clear error when the extension is not enabled."""
        pool = crawler.get_extension(cls)
        if pool is None:
            raise RuntimeError(
                "the worker pool is not enabled: add crawler.process.pool.WorkerPool"
                " to the EXTENSIONS setting"
            )
        return pool

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
            result = fn(*args) if local else await self._execute(fn, args)
            if previous is not None:
                await asyncio.shield(previous)
            return result
        finally:
            if previous is not None and not previous.done():
                await asyncio.shield(previous)
            released.set_result(None)
            if self._tails.get(lane) is released:
                del self._tails[lane]

    async def _execute(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        worker = await self._acquire()
        loop = asyncio.get_running_loop()
        assert self._threads is not None
        call = loop.run_in_executor(self._threads, worker.roundtrip, fn, args)
        healthy = False
        try:
            try:
                if self.hard_timeout > 0:
                    reply = await asyncio.wait_for(asyncio.shield(call), self.hard_timeout)
                else:
                    reply = await call
            except TimeoutError as exc:
                self._discard(worker, "a task ran past the hard deadline")
                await asyncio.gather(call, return_exceptions=True)  # the kill ends its read
                raise WorkerTimeoutError(
                    f"extraction took longer than {self.hard_timeout:g} s; its worker was killed"
                ) from exc
            except (EOFError, OSError) as exc:
                self._discard(worker, "a worker process died")
                raise WorkerCrashedError(
                    f"the worker process died on this task (exit code {worker.process.exitcode})"
                ) from exc
            healthy = True
        finally:
            if healthy:
                self._release(worker)
            elif worker.process.is_alive():
                # Anything else (a reply that could not be read) leaves the pipe in an
                # unknown state: the worker is not reused.
                self._discard(worker, "its reply could not be read")
        status, value = reply
        if status == "error":
            raise value
        result: T = value
        return result

    async def _acquire(self) -> _Worker:
        if self._free is None:
            self._free = asyncio.Condition()
            self._threads = ThreadPoolExecutor(
                max_workers=self.workers, thread_name_prefix="filmcrawl-pool"
            )
        async with self._free:
            while self._busy >= self.workers:
                await self._free.wait()
            self._busy += 1
        if self._idle:
            return self._idle.pop()
        try:
            worker = _Worker(self.language_detector)
        except (OSError, EOFError) as exc:
            # The fork server died (killed with the process group by a SIGTERM):
            # the task fails like one whose worker died.
            self._background(self._give_back())
            raise WorkerCrashedError(f"could not start an extraction worker ({exc})") from exc
        except BaseException:
            self._background(self._give_back())
            raise
        self._workers.add(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        worker.tasks += 1
        if self.max_tasks_per_child and worker.tasks >= self.max_tasks_per_child:
            # Retire it in the background; its replacement starts on the next task.
            self._workers.discard(worker)
            threading.Thread(target=worker.stop, name="filmcrawl-retire", daemon=True).start()
        else:
            self._idle.append(worker)
        self._background(self._give_back())

    def _discard(self, worker: _Worker, why: str) -> None:
        self.restarts += 1
        logger.warning("replacing an extraction worker: %s", why)
        self._workers.discard(worker)
        worker.kill()
        self._background(self._give_back())

    async def _give_back(self) -> None:
        assert self._free is not None
        async with self._free:
            self._busy -= 1
            self._free.notify()

    def _background(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def close(self) -> None:
        workers, self._workers, self._idle = self._workers, set(), []
        for worker in workers:
            worker.stop()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)
            self._threads = None
