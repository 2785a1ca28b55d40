"""Issue 16, crawler side: costs a crawl no longer pays for every request, and what it
still gets. The garbage collector skips the objects a crawl keeps from its start to its
end; debug records no handler takes are not made; stats are read without Scrapy's
per-access shim; the network guard decides once per
scheme and authority, and so is a URL's site; a revisit updates its page row in one statement.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler import settings as crawl_settings
from crawler.fetch.network_policy import NetworkGuard
from crawler.normalize.keys import site_of
from crawler.run.collector import LongLivedObjectsFrozen
from crawler.run.log_level import UnhandledLogRecordsSkipped, lowest_handled_level
from crawler.run.stats import CrawlStatsCollector
from crawler.run.summary import crawl_summary
from crawler.store.database import open_database
from crawler.store.service import FilmStore
from schemas.records import PageRecord


class Kept:
    """An object made before the spider opens (instances are tracked by the collector)."""


@pytest.fixture
def collector_state() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    gc.unfreeze()


def open_and_close(crawler_settings: dict[str, object], check: Callable[[], None]) -> None:
    crawler = get_crawler(Spider, settings_dict=crawler_settings)
    crawler.spider = crawler._create_spider("costs")
    # Held here as Scrapy's extension manager holds it (signals keep weak references).
    extension = LongLivedObjectsFrozen.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
    check()
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="done")
    del extension


@pytest.mark.usefixtures("collector_state")
def test_the_collector_skips_start_up_objects_while_the_spider_runs() -> None:
    before = gc.get_threshold()
    kept = Kept()

    def while_open() -> None:
        # Frozen: the collector's generations no longer hold it.
        assert not any(each is kept for each in gc.get_objects())
        assert gc.get_threshold()[0] == 20_000
        assert gc.get_threshold()[1:] == before[1:]
        # Cycles made during the crawl are still collected.
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1

    open_and_close({"FILMCRAWL_GC_YOUNG_THRESHOLD": 20_000}, while_open)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert any(each is kept for each in gc.get_objects())


@pytest.mark.usefixtures("collector_state")
def test_the_collector_is_left_alone_when_asked() -> None:
    crawler = get_crawler(Spider, settings_dict={"FILMCRAWL_GC_YOUNG_THRESHOLD": 0})
    with pytest.raises(NotConfigured):
        LongLivedObjectsFrozen.from_crawler(crawler)


@contextlib.contextmanager
def root_handlers(*handlers: logging.Handler) -> Iterator[logging.Logger]:
    """The root logger with only ``handlers`` (pytest adds its capturing handlers,
    which take every level, to each phase of a test); all put back afterwards."""
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    root.handlers = list(handlers)
    try:
        yield root
    finally:
        root.handlers = saved
        root.setLevel(level)


def warnings_handler() -> logging.Handler:
    handler = logging.StreamHandler(io.StringIO())
    handler.setLevel(logging.WARNING)
    return handler


def test_records_below_every_handlers_level_are_not_made() -> None:
    made: list[str] = []
    factory = logging.getLogRecordFactory()

    def counting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        made.append(record.getMessage())
        return record

    crawler = get_crawler(Spider, settings_dict={"LOG_LEVEL": "WARNING"})
    extension = UnhandledLogRecordsSkipped.from_crawler(crawler)
    scrapy_logger, twisted_logger = logging.getLogger("scrapy"), logging.getLogger("twisted")
    levels = scrapy_logger.level, twisted_logger.level
    with root_handlers(warnings_handler()) as root:
        try:
            # As Scrapy's configure_logging leaves them (its DEFAULT_LOGGING): the root
            # lets every level through, Scrapy's loggers are at DEBUG, Twisted's at ERROR.
            root.setLevel(logging.NOTSET)
            scrapy_logger.setLevel(logging.DEBUG)
            twisted_logger.setLevel(logging.ERROR)
            logging.setLogRecordFactory(counting)
            try:
                extension.engine_started()
                logging.getLogger("scrapy.core.engine").debug("Crawled (304) <GET http://x/>")
                logging.getLogger("scrapy.core.scraper").log(logging.DEBUG, "Scraped from")
                logging.getLogger("filmcrawl.test").info("not taken")
                logging.getLogger("filmcrawl.test").warning("kept")
                twisted_logger.warning("below Twisted's own level")
            finally:
                logging.setLogRecordFactory(factory)
            assert made == ["kept"]
            extension.spider_closed()
            assert (root.level, scrapy_logger.level) == (logging.NOTSET, logging.DEBUG)
            assert twisted_logger.level == logging.ERROR
        finally:
            scrapy_logger.setLevel(levels[0])
            twisted_logger.setLevel(levels[1])


def test_log_level_debug_keeps_scrapys_debug_lines() -> None:
    crawler = get_crawler(Spider, settings_dict={"LOG_LEVEL": "DEBUG"})
    extension = UnhandledLogRecordsSkipped.from_crawler(crawler)
    debug = logging.StreamHandler(io.StringIO())
    debug.setLevel(logging.DEBUG)
    scrapy_logger = logging.getLogger("scrapy")
    level = scrapy_logger.level
    with root_handlers(debug) as root:
        try:
            root.setLevel(logging.NOTSET)
            scrapy_logger.setLevel(logging.DEBUG)
            extension.engine_started()
            logging.getLogger("scrapy.core.engine").debug("Crawled (304) <GET http://x/>")
            extension.spider_closed()
        finally:
            scrapy_logger.setLevel(level)
    assert "Crawled (304)" in debug.stream.getvalue()


def test_a_handler_taking_every_level_keeps_every_record() -> None:
    with root_handlers(warnings_handler()) as root:
        assert lowest_handled_level() == logging.WARNING
        root.addHandler(logging.Handler())  # level NOTSET: a test's log capture
        assert lowest_handled_level() == logging.NOTSET
    with root_handlers(warnings_handler()):
        own = logging.getLogger("filmcrawl.test.own")
        own.addHandler(logging.StreamHandler(io.StringIO()))
        try:
            assert lowest_handled_level() == logging.NOTSET
        finally:
            own.handlers.clear()
        library = logging.getLogger("filmcrawl.test.library")
        library.addHandler(logging.NullHandler())
        try:
            assert lowest_handled_level() == logging.WARNING
        finally:
            library.handlers.clear()


HOSTS = [
    "127.0.0.1",
    "127.0.0.1:8000",
    "127.0.0.1:9999",
    "localhost",
    "2130706433",
    "[::1]:8000",
    "10.0.0.1",
    "169.254.169.254",
    "example.com",
    "example.com@169.254.169.254",
    "EXAMPLE.com.",
    "sub.example.org",
    "xn--bcher-kva.example",
    "bücher.example",
    "0x7f.1",
    "[::ffff:127.0.0.1]",
    "",
    "a\\b",
    "host:99999",
    "[::1",
]


def test_the_crawls_stats_keep_scrapys_behaviour_without_its_shim() -> None:
    assert load_object(crawl_settings.STATS_CLASS) is CrawlStatsCollector
    crawler = get_crawler(Spider, settings_dict={"STATS_DUMP": False})
    crawler.spider = crawler._create_spider("costs")
    ours, scrapys = CrawlStatsCollector(crawler), MemoryStatsCollector(crawler)
    for stats in (ours, scrapys):
        stats.open_spider()
        stats.inc_value("pages")
        stats.inc_value("pages", 2)
        stats.inc_value("bytes", 10, start=5)
        stats.max_value("depth", 3)
        stats.max_value("depth", 2)
        stats.min_value("first", 7)
        stats.min_value("first", 4)
        stats.set_value("reason", "finished")
        stats.close_spider(reason="finished")
    assert ours.get_stats() == scrapys.get_stats()
    assert ours.get_stats() == {
        "pages": 3,
        "bytes": 15,
        "depth": 3,
        "first": 4,
        "reason": "finished",
    }
    assert ours.spider_stats == scrapys.spider_stats == {"costs": scrapys.get_stats()}
    assert ours.get_value("missing", 0) == 0
    # Scrapy's shim keeps the methods it wrapped on the instance; ours wraps nothing.
    assert "_cached_inc_value" in vars(scrapys)
    assert not [name for name in vars(ours) if name.startswith("_cached_")]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["http", "https", "ftp", "HTTP", "file"]),
            st.sampled_from(HOSTS),
            st.sampled_from(["/", "/films/1", "/a?b=c", "", "\t/x\n"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
)
def test_the_guards_remembered_decisions_are_its_fresh_ones(
    urls: list[tuple[str, str, str]], loopback_only: bool
) -> None:
    allowed = ["127.0.0.1:8000", ".example.org", "http://[::1]:8000/"]
    remembering = NetworkGuard(allowed, loopback_only=loopback_only)
    for scheme, host, path in urls + urls:
        url = f"{scheme}://{host}{path}"
        fresh = NetworkGuard(allowed, loopback_only=loopback_only)
        assert remembering.check(url) == fresh.check(url), url


def test_the_guard_remembers_a_bounded_number_of_authorities() -> None:
    guard = NetworkGuard(["127.0.0.1:8000"])
    for port in range(1, 10_000):
        guard.check(f"http://127.0.0.1:{port}/")
    assert len(guard._decided) <= 4096
    assert guard.check("http://127.0.0.1:8000/").allowed


def test_a_revisit_of_a_page_with_no_row_is_stored(tmp_path: Path) -> None:
    store = FilmStore(tmp_path / "films.db")
    url = "http://127.0.0.1:8000/gone"
    try:
        store.call_sync(store.open_run, [], {}, fresh=False)
        store.call_sync(
            store.write,
            [
                PageRecord(
                    url=url,
                    requested_url=url,
                    http_status=304,
                    fetched_at="2026-01-02T00:00:00Z",
                    status="not_modified",
                    status_reason="304 Not Modified",
                )
            ],
        )
    finally:
        store.close()
    connection = sqlite3.connect(tmp_path / "films.db")
    rows = connection.execute("SELECT url, status, first_seen FROM pages").fetchall()
    connection.close()
    assert rows == [(url, "not_modified", "2026-01-02T00:00:00Z")]


def site_of_each_time(url: str) -> str:
    """``site_of`` as it was, parsing the authority for every URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        return f"{host}:{parts.port}"
    return host


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["http", "https", ""]),
    st.sampled_from([*HOSTS, "www.Example.org", "WWW.a.com:443", "user:pw@www.b.org:8080"]),
    st.text(max_size=8),
)
def test_the_site_of_a_url_is_read_from_its_authority_once(
    scheme: str, host: str, path: str
) -> None:
    url = f"{scheme}://{host}/{path}" if scheme else f"//{host}/{path}"
    for _ in range(2):
        try:
            expected: str | type[Exception] = site_of_each_time(url)
        except ValueError:
            expected = ValueError
        try:
            found: str | type[Exception] = site_of(url)
        except ValueError:
            found = ValueError
        assert found == expected, url


def test_the_summarys_languages_are_counted_as_before(tmp_path: Path) -> None:
    """Grouped by the indexed column, then merged: no language and 'und' are one entry,
    ordered by count, then by code, as ``GROUP BY coalesce(lang, 'und')`` gave."""
    path = tmp_path / "films.db"
    database = open_database(path)
    languages = ["en", "ko", None, "und", "ko", "en", None, "ja", "fr", "fr"]
    database.table("comments").insert_all(
        {
            "id": f"c{n}",
            "page_url": "http://127.0.0.1/a",
            "text": f"comment {n}",
            "kind": "comment",
            "lang": lang,
        }
        for n, lang in enumerate(languages)
    )
    reference = [
        tuple(row)
        for row in database.execute(
            "SELECT coalesce(lang, 'und') AS lang, count(*) AS n FROM comments "
            "GROUP BY 1 ORDER BY n DESC, lang"
        )
    ]
    database.close()
    summary = crawl_summary(path, {}, 1.0)
    assert summary["totals"]["languages"] == reference
    assert reference[0] == ("und", 3)
