"""Ctrl-C (SIGINT) and SIGTERM during ``filmcrawl crawl``.

The first one stops taking new pages and lets the pages in flight finish and be
stored; what was not fetched stays pending in the frontier, so the next run resumes
it. A line on standard error says so and that a second one aborts at once. The
second one aborts where it is: nothing more is written except the run's row (pages
whose batch had not been written stay pending and are fetched again), and the
process exits (stopping Scrapy's reactor would first stop the crawl gracefully).
Either way the run row says ``interrupted`` and the command exits with 1 (the
README's table); no page is ever marked failed because of the interrupt (extraction
workers ignore SIGINT, see :mod:`crawler.process.pool`).

Scrapy's own handlers do the same two steps, but say so only in an INFO log line
(hidden at the CLI's default WARNING level), and after their second step nothing
records the run ("run None: unknown", issue 17).
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler.run.early_signals import SHUTDOWN_SIGNALS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

# Set (to the signal's name) the moment a shutdown signal arrives, before the crawl
# starts stopping: a worker that dies meanwhile died of the same signal.
STOPPING_STAT = "filmcrawl/run/stop_signal"


class ShutdownSignals:
    """Install with :meth:`install` as early as possible, :meth:`attach` the crawler,
    and start the crawler process with ``install_signal_handlers=False``. ``on_abort`` is
    called (in the reactor's thread) on the second signal: it records the run and
    ends the process.

    A signal that arrives before the engine has started is acted on as soon as it
    has (a KeyboardInterrupt raised inside Scrapy's start-up would be swallowed by a
    Deferred and leave a traceback instead).
    """

    def __init__(
        self,
        on_abort: Callable[[str], None],
        stream: IO[str] | None = None,
    ) -> None:
        # Records the run and ends the process; called in the reactor's thread.
        self.on_abort = on_abort
        self.stream = stream
        self.received: list[str] = []
        self.ready = False
        self.crawler: Crawler | None = None
        self.aborted: str | None = None

    def install(self) -> None:
        for number in SHUTDOWN_SIGNALS:
            signal.signal(number, self._received)

    def replay(self, numbers: list[int]) -> None:
        """Act on signals that arrived before :meth:`install`, as if they came now."""
        for number in numbers:
            self._received(number, None)

    def ignore_further(self) -> None:
        """The crawl is over: what is left (recording the run, the summary) is short
        and must not be cut off by a late Ctrl-C."""
        for number in SHUTDOWN_SIGNALS:
            signal.signal(number, signal.SIG_IGN)

    def attach(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self._engine_started, signal=signals.engine_started)

    def _received(self, number: int, frame: FrameType | None) -> None:
        # A signal handler must not write or stop anything itself (it may interrupt
        # a write to the same stream): the reactor does it, from its own loop.
        self.received.append(signal.Signals(number).name)
        if self.crawler is not None and self.crawler.stats is not None:
            # Read by whoever sees a worker die now: the signal reached the whole
            # process group, the page is not at fault (see STOPPING_STAT).
            self.crawler.stats.set_value(STOPPING_STAT, self.received[0])
        if len(self.received) >= 2:
            for each in SHUTDOWN_SIGNALS:
                signal.signal(each, signal.SIG_IGN)
        if self.ready:
            self._act_from_reactor()

    def _engine_started(self) -> None:
        self.ready = True
        if self.received:
            self._act_from_reactor()

    def _act_from_reactor(self) -> None:
        # Imported here: importing the reactor at module level would install the default
        # one before Scrapy installs its own. This is the one Scrapy installed (running).
        from twisted.internet import reactor  # noqa: PLC0415

        if len(self.received) == 1:
            reactor.callFromThread(self._stop_gracefully, self.received[0])
        else:
            self.aborted = self.received[-1]
            reactor.callFromThread(self._abort, self.received[-1])

    def _say(self, text: str) -> None:
        print(f"filmcrawl: {text}", file=self.stream or sys.stderr, flush=True)

    def _stop_gracefully(self, name: str) -> Any:
        if self.aborted:
            return None
        again = "Ctrl-C" if name == "SIGINT" else name
        self._say(
            f"{name}: finishing the pages in flight, then stopping; the rest stays "
            f"pending for the next run ({again} again aborts at once)"
        )
        return deferred_from_coro(self._close_spider())

    async def _close_spider(self) -> None:
        """Close the spider as Scrapy's own CloseSpider extension does: the pages in
        flight finish and are stored, nothing new is sent, the run is recorded, then the
        crawler stops. A close already under way (the crawl was ending by itself) is
        waited for. ``CrawlerProcess.stop`` was used before: it stops the engine, and an
        engine stopped during such a close ends the crawl at once, so the process left
        before the close had stored its last pages and recorded the run (the run row
        stayed ``running``, the lock file stayed, exit 1)."""
        engine = self.crawler.engine if self.crawler is not None else None
        if engine is None or engine.spider is None:
            return  # closed already: the crawl is ending
        with contextlib.suppress(RuntimeError):  # closed between the test and the call
            await engine.close_spider_async(reason="shutdown")

    def _abort(self, name: str) -> None:
        self._say(f"{name} again: aborting now; unfinished pages are fetched by the next run")
        self.on_abort(name)
