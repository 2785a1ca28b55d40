"""Show how a crawl is going while it runs.

On a terminal, a live display on standard error (pages done, queued, downloading and
being processed; items; errors; rate), redrawn twice a second; log messages print above
it. When standard error is not a terminal (cron, systemd, a pipe), a plain line every
``FILMCRAWL_PROGRESS_INTERVAL`` seconds and one when the crawl ends.

Settings:

``FILMCRAWL_PROGRESS``
    ``auto`` (default: live on a terminal, lines otherwise), ``live``, ``log`` or
    ``off``.
``FILMCRAWL_PROGRESS_INTERVAL``
    Seconds between two plain lines (default 60).

The extension counts through signals (a few integer additions per page) and reads
the scheduler's counts from the stats, so it costs the crawl nothing measurable.
Works the same under ``filmcrawl crawl`` and ``scrapy crawl``.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, Self

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler import settings as defaults
from crawler.fetch.middlewares import pages_in_process
from crawler.run.status import ERROR_STATUSES
from schemas.records import PageRecord

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

MODES = ("auto", "live", "log", "off")
LIVE_REFRESH_SECONDS = 0.5
# The rate is measured over this many recent seconds, so it follows the crawl's pace.
RATE_WINDOW_SECONDS = 10.0


@dataclass(frozen=True)
class Snapshot:
    """How the crawl stands at one moment."""

    elapsed: float
    pages_done: int
    pages_failed: int
    queued: int
    in_flight: int  # being downloaded
    processing: int  # downloaded, being extracted or stored
    items: int
    facts: int
    comments: int
    errors: int
    rate: float  # pages per second, recently

    def line(self) -> str:
        """The crawl's state as one plain line."""
        return (
            f"{self.pages_done} pages done ({self.pages_failed} failed), "
            f"{self.queued} queued, {self.in_flight} downloading, {self.processing} processing, "
            f"{self.items} items "
            f"({self.facts} facts, {self.comments} comments), {self.errors} errors, "
            f"{self.rate:.1f} pages/s, {format_elapsed(self.elapsed)} elapsed"
        )


def format_elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def choose_mode(setting: str, stream: IO[str]) -> str:
    """``live`` or ``log`` for ``auto``, by whether ``stream`` is a capable terminal."""
    mode = setting.strip().lower() or "auto"
    if mode not in MODES:
        raise ValueError(f"FILMCRAWL_PROGRESS must be one of {', '.join(MODES)}, not {setting!r}")
    if mode != "auto":
        return mode
    console = Console(file=stream)
    return "live" if console.is_terminal and not console.is_dumb_terminal else "log"


class RateMeter:
    """Pages per second over the last :data:`RATE_WINDOW_SECONDS`."""

    def __init__(self, window: float = RATE_WINDOW_SECONDS) -> None:
        self.window = window
        self.samples: deque[tuple[float, int]] = deque()

    def add(self, now: float, done: int) -> float:
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[1][0] >= self.window:
            self.samples.popleft()
        first_time, first_done = self.samples[0]
        span = now - first_time
        return (done - first_done) / span if span > 0 else 0.0


class CrawlProgress:
    """The extension: counts pages and records as they pass, shows them periodically."""

    def __init__(self, crawler: Crawler, mode: str, interval: float, stream: IO[str]) -> None:
        self.crawler = crawler
        self.mode = mode
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self.pages_done = 0
        self.pages_failed = 0
        self.items = 0
        self.facts = 0
        self.comments = 0
        self.errors = 0
        self.rate = RateMeter()
        self.task: Any = None
        self.live: Live | None = None
        self._redirected: list[logging.StreamHandler[Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        stream = sys.stderr
        try:
            mode = choose_mode(
                settings.get("FILMCRAWL_PROGRESS", defaults.FILMCRAWL_PROGRESS), stream
            )
        except ValueError as exc:
            raise NotConfigured(str(exc)) from exc
        if mode == "off":
            # Asked for, so not worth a warning (Scrapy logs the message of a
            # NotConfigured as one).
            raise NotConfigured
        interval = settings.getfloat(
            "FILMCRAWL_PROGRESS_INTERVAL", defaults.FILMCRAWL_PROGRESS_INTERVAL
        )
        if interval <= 0:
            raise NotConfigured("FILMCRAWL_PROGRESS_INTERVAL must be positive")
        extension = cls(crawler, mode, interval, stream)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        connect(extension.spider_closed, signal=signals.spider_closed)
        connect(extension.item_scraped, signal=signals.item_scraped)
        connect(extension.item_failed, signal=signals.item_dropped)
        connect(extension.item_failed, signal=signals.item_error)
        connect(extension.item_failed, signal=signals.spider_error)
        return extension

    # --- counting ------------------------------------------------------------------------

    def item_scraped(self, item: Any) -> None:
        self.items += 1
        if isinstance(item, PageRecord):
            self.pages_done += 1
            self.facts += len(item.facts)
            self.comments += len(item.comments)
            if item.status in ERROR_STATUSES:
                self.pages_failed += 1
                self.errors += 1

    def item_failed(self) -> None:
        self.errors += 1

    def snapshot(self) -> Snapshot:
        stats = _started(self.crawler, "stats")
        enqueued = dequeued = 0
        if stats is not None:
            enqueued = int(stats.get_value("scheduler/enqueued", 0))
            dequeued = int(stats.get_value("scheduler/dequeued", 0))
        engine = _started(self.crawler, "engine")
        downloader = getattr(engine, "downloader", None)
        in_flight = len(getattr(downloader, "active", ()) or ())
        processing = pages_in_process(engine)
        now = time.monotonic()
        return Snapshot(
            elapsed=now - self.started,
            pages_done=self.pages_done,
            pages_failed=self.pages_failed,
            queued=max(0, enqueued - dequeued),
            in_flight=in_flight,
            processing=processing,
            items=self.items,
            facts=self.facts,
            comments=self.comments,
            errors=self.errors,
            rate=self.rate.add(now, self.pages_done),
        )

    # --- showing --------------------------------------------------------------------------

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.rate.add(self.started, 0)
        if self.mode == "live":
            self._start_live()
            self.task = create_looping_call(self.refresh)
            self.task.start(LIVE_REFRESH_SECONDS, now=True)
        else:
            self.task = create_looping_call(self.write_line)
            self.task.start(self.interval, now=False)

    def spider_closed(self, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.mode == "live":
            self.refresh(final=reason)
            self._stop_live()
        else:
            self.write_line(final=reason)

    def write_line(self, final: str | None = None) -> None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        state = f"crawl {final}: " if final else ""
        self.stream.write(f"{stamp} [filmcrawl.progress] {state}{self.snapshot().line()}\n")
        self.stream.flush()

    def refresh(self, final: str | None = None) -> None:
        if self.live is not None:
            self.live.update(render(self.snapshot(), final), refresh=True)

    def _start_live(self) -> None:
        console: Console = Console(file=self.stream)
        original = self.stream
        self.live = Live(
            render(self.snapshot()),
            console=console,
            auto_refresh=False,
            transient=False,
            redirect_stdout=False,
            redirect_stderr=True,
        )
        self.live.start()
        # Log records written to the terminal while the display is up would tear it:
        # send them through the display, which prints them above itself.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is original:
                handler.setStream(sys.stderr)
                self._redirected.append(handler)

    def _stop_live(self) -> None:
        for handler in self._redirected:
            handler.setStream(self.stream)
        self._redirected.clear()
        if self.live is not None:
            self.live.stop()
            self.live = None


def _started(crawler: Crawler, name: str) -> Any:
    """A crawler attribute that exists once the crawl runs (Scrapy raises before)."""
    try:
        return getattr(crawler, name)
    except RuntimeError:
        return None


def render(snapshot: Snapshot, final: str | None = None) -> RenderableType:
    """The live display: a bar of the pages done out of those known so far, then the
    counts."""
    known = snapshot.pages_done + snapshot.queued + snapshot.in_flight + snapshot.processing
    bar = Table.grid(padding=(0, 1))
    bar.add_row(
        Text(f"crawl {final}" if final else "crawling", style="bold"),
        ProgressBar(total=max(known, 1), completed=snapshot.pages_done, width=30),
        Text(
            f"{snapshot.pages_done}/{known} pages done, {snapshot.queued} queued, "
            f"{snapshot.in_flight} downloading, {snapshot.processing} processing"
        ),
    )
    counts = Text(
        f"{snapshot.items} items ({snapshot.facts} facts, {snapshot.comments} comments)  "
    )
    counts.append(f"{snapshot.errors} errors", style="bold red" if snapshot.errors else "green")
    counts.append(f"  {snapshot.rate:.1f} pages/s  {format_elapsed(snapshot.elapsed)}")
    return Group(bar, counts)
