"""Progress while crawling: a live display on a terminal, plain periodic lines when the
output is not a terminal (cron)."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import time
from pathlib import Path

import pytest
from rich.console import Console
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.run.progress import CrawlProgress, RateMeter, Snapshot, choose_mode, render
from schemas.records import CommentRecord, FactRecord, PageRecord
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, crawl_command, crawl_env, run_crawl
from tests.helpers.servers import Answer, film_page, scripted_server

SNAPSHOT = Snapshot(
    elapsed=75.2,
    pages_done=5,
    pages_failed=1,
    queued=2,
    in_flight=1,
    processing=2,
    items=5,
    facts=40,
    comments=75,
    errors=1,
    rate=2.5,
)


def test_auto_means_plain_lines_when_the_output_is_not_a_terminal() -> None:
    assert choose_mode("auto", io.StringIO()) == "log"
    assert choose_mode("", io.StringIO()) == "log"
    assert choose_mode("LIVE", io.StringIO()) == "live"
    assert choose_mode("off", io.StringIO()) == "off"
    with pytest.raises(ValueError, match="FILMCRAWL_PROGRESS must be one of"):
        choose_mode("loud", io.StringIO())


def test_a_snapshot_reads_as_one_line() -> None:
    assert SNAPSHOT.line() == (
        "5 pages done (1 failed), 2 queued, 1 downloading, 2 processing, 5 items "
        "(40 facts, 75 comments), 1 errors, 2.5 pages/s, 0:01:15 elapsed"
    )


def test_the_live_display_shows_the_counts() -> None:
    out = io.StringIO()
    Console(file=out, width=120).print(render(SNAPSHOT))
    text = out.getvalue()
    assert "crawling" in text
    assert "5/10 pages done, 2 queued, 1 downloading, 2 processing" in text
    assert "5 items (40 facts, 75 comments)" in text
    assert "1 errors" in text and "2.5 pages/s" in text
    out = io.StringIO()
    Console(file=out, width=120).print(render(SNAPSHOT, final="finished"))
    assert "crawl finished" in out.getvalue()


def test_the_rate_follows_the_recent_pace() -> None:
    meter = RateMeter(window=10)
    assert meter.add(0.0, 0) == 0.0
    assert meter.add(5.0, 50) == 10.0
    assert meter.add(10.0, 100) == 10.0
    # Thirty seconds later with only 20 more pages: the old fast samples are forgotten.
    meter.add(20.0, 110)
    assert meter.add(30.0, 120) == pytest.approx(1.0)


def test_the_extension_counts_pages_records_and_errors() -> None:
    crawler = get_crawler(settings_dict={"FILMCRAWL_PROGRESS": "log"})
    extension = CrawlProgress.from_crawler(crawler)
    assert extension.mode == "log"
    extension.stream = io.StringIO()
    ok = PageRecord(
        url="http://127.0.0.1/a",
        facts=[FactRecord("year", "2013", "2013")],
        comments=[CommentRecord("great"), CommentRecord("sad")],
    )
    failed = PageRecord(url="http://127.0.0.1/b", status="http_error")
    unchanged = PageRecord(url="http://127.0.0.1/c", status="not_modified")
    for item in (ok, failed, unchanged, {"foreign": "item"}):
        extension.item_scraped(item)
    extension.item_failed()
    snapshot = extension.snapshot()
    assert (snapshot.pages_done, snapshot.pages_failed, snapshot.items) == (3, 1, 4)
    assert (snapshot.facts, snapshot.comments, snapshot.errors) == (1, 2, 2)
    extension.write_line(final="finished")
    line = extension.stream.getvalue()
    assert "[filmcrawl.progress] crawl finished: 3 pages done (1 failed)" in line
    assert line.endswith("elapsed\n")


@pytest.mark.parametrize(
    ("settings", "why"),
    [
        ({"FILMCRAWL_PROGRESS": "sometimes"}, "must be one of"),
        ({"FILMCRAWL_PROGRESS_INTERVAL": 0}, "must be positive"),
    ],
)
def test_the_extension_can_be_switched_off(settings: dict[str, object], why: str) -> None:
    with pytest.raises(NotConfigured, match=why):
        CrawlProgress.from_crawler(get_crawler(settings_dict=settings))


def test_progress_off_is_quiet() -> None:
    # Issue 18: FILMCRAWL_PROGRESS=off is asked for, not worth Scrapy's "Disabled"
    # warning, which it logs for a NotConfigured with a message.
    with pytest.raises(NotConfigured) as raised:
        CrawlProgress.from_crawler(get_crawler(settings_dict={"FILMCRAWL_PROGRESS": "off"}))
    assert raised.value.args == ()


def test_the_extension_is_enabled_in_the_project_settings() -> None:

    assert "crawler.run.progress.CrawlProgress" in settings.EXTENSIONS
    assert settings.FILMCRAWL_PROGRESS == "auto"
    assert settings.FILMCRAWL_PROGRESS_INTERVAL > 0


@pytest.mark.slow
def test_a_crawl_without_a_terminal_writes_periodic_lines(tmp_path: Path) -> None:
    with scripted_server() as server:
        paths = [f"/film/{n}/" for n in range(4)]
        for n, path in enumerate(paths[:3]):
            server.route(path, Answer(200, film_page(f"Slow Film {n}").encode(), delay=0.6))
        server.route(paths[3], Answer.html("<html><body>gone</body></html>", status=404))
        server.route("/robots.txt", Answer(200, b"User-agent: *\nAllow: /\n"))
        result = run_crawl(
            tmp_path / "films.db",
            *(server.url(path) for path in paths),
            settings=(
                *FAST_LOCAL_SETTINGS,
                "FILMCRAWL_PROGRESS_INTERVAL=0.25",
                "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            ),
        )
    lines = [line for line in result.stderr.splitlines() if "[filmcrawl.progress]" in line]
    assert len(lines) >= 3, result.stderr
    assert "crawl finished: 4 pages done (1 failed)" in lines[-1]
    assert "1 errors" in lines[-1]
    assert all(" pages/s, " in line for line in lines)
    # Lines are plain text for log files: no terminal control sequences.
    assert "\x1b" not in result.stderr


@pytest.mark.slow
def test_a_crawl_on_a_terminal_shows_a_live_display(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    env = {**crawl_env(), "TERM": "xterm-256color", "COLUMNS": "120"}
    process = subprocess.Popen(
        crawl_command(tmp_path / "films.db"),
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == 0
    text = output.decode("utf-8", errors="replace")
    assert "\x1b[?25l" in text  # the live display hides the cursor while it draws
    assert "crawling" in text
    assert "crawl finished" in text
    assert "5/5 pages done" in text
    assert "[filmcrawl.progress]" not in text  # no plain lines on a terminal
    # The summary still follows; its title may wrap (the database path is long).
    plain = " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).split())
    assert re.search(r"filmcrawl run 1 into .*films\.db: finished", plain)
