"""Ctrl-C and SIGTERM that arrive while ``filmcrawl crawl`` is still starting.

The crawl's own handlers (:class:`crawler.run.interrupt.ShutdownSignals`) are installed
once the crawl command has imported Scrapy and built its crawler: a second or more
after the process started, several on a busy machine. A Ctrl-C before that raised
``KeyboardInterrupt`` wherever the start-up was, and the command line answered with a
bare "Aborted!" instead of saying what happened. The launcher installs this recorder
first thing: a first signal is only remembered, and handed to the crawl's handlers
when they are installed (they act on it once the engine has started: the pages in
flight finish, the rest stays pending); a second one ends the process at once, as a
second one does during the crawl, before anything was crawled.

Light on purpose (no Scrapy): it is installed before anything else is imported.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

from crawler.run.status import EXIT_FAILED

# The signals that stop a crawl, here and in crawler.run.interrupt (which imports Scrapy,
# so the light module holds them): recorded early are exactly those acted on later.
SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# What a second signal says when the run had not begun, here and in the crawl command.
NOTHING_CRAWLED = "aborted before the run began; nothing was crawled"
ABORTED_EARLY = f"filmcrawl: {{name}} again: aborting now\nfilmcrawl: {NOTHING_CRAWLED}\n"

_received: list[int] = []


def install() -> None:
    """Remember shutdown signals until the crawl's handlers take over."""
    for number in SHUTDOWN_SIGNALS:
        signal.signal(number, _remember)


def take() -> list[int]:
    """The signals received so far (each handed over once)."""
    taken = list(_received)
    _received.clear()
    return taken


def _remember(number: int, frame: FrameType | None) -> None:
    _received.append(number)
    if len(_received) >= 2:
        # os.write, not print: a handler may interrupt a write to the same stream.
        os.write(2, ABORTED_EARLY.format(name=signal.Signals(number).name).encode())
        os._exit(EXIT_FAILED)
