"""Issue 17, items 1 and 5: robots.txt decides every request, and the per-host limits
hold. Real crawls over HTTP against servers on 127.0.0.1 that log what they receive."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.helpers.crawl import run_crawl
from tests.helpers.servers import Answer, LoggedRequest, ScriptedServer, film_page, scripted_server

pytestmark = [pytest.mark.slow, pytest.mark.redteam]

SETTINGS = ("FILMCRAWL_LOOPBACK_ONLY=1", "FILMCRAWL_WORKERS=1", "FILMCRAWL_SAMPLE_PORT=0")
UNTHROTTLED = (*SETTINGS, "AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0")


def test_robots_txt_decides_every_request_even_while_it_downloads(tmp_path: Path) -> None:
    """Issue 17 item 1: requests that arrived while robots.txt was downloading went out
    unchecked (13 of 30). robots.txt answers slowly so that all of them wait for it."""
    with scripted_server() as server:
        server.route(
            "/robots.txt",
            Answer(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}, 1),
        )
        urls = []
        for number in range(32):
            server.route(f"/private/{number}", Answer.html(film_page(f"Private {number}")))
            urls.append(server.url(f"/private/{number}"))
        db = tmp_path / "films.db"
        run_crawl(db, *urls, "-s", "CONCURRENT_REQUESTS=16", settings=UNTHROTTLED)
        fetched = [entry.path for entry in server.log if entry.path.startswith("/private/")]
    assert fetched == []
    rows = {row["url"]: row for row in Database(db).query("SELECT * FROM pages")}
    assert set(rows) == set(urls)
    assert {row["status"] for row in rows.values()} == {"blocked"}
    assert {row["status_reason"] for row in rows.values()} == {"Forbidden by robots.txt"}


class InFlightCounter:
    """Counts the requests a server is answering at once (the answer takes a while)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.now = 0
        self.most = 0
        self._lock = threading.Lock()

    def __call__(self, request: LoggedRequest) -> Answer:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(self.seconds)
        with self._lock:
            self.now -= 1
        return Answer.html(film_page(request.path))


def slow_site(server: ScriptedServer, counter: InFlightCounter, pages: int) -> list[str]:
    server.route("/robots.txt", Answer(404))
    for number in range(pages):
        server.route(f"/film/{number}", counter)
    return [server.url(f"/film/{number}") for number in range(pages)]


@pytest.mark.parametrize(
    ("override", "limit"), [((), 2), (("CONCURRENT_REQUESTS_PER_DOMAIN=1",), 1)]
)
def test_per_host_concurrency_holds_without_a_download_delay(
    tmp_path: Path, override: tuple[str, ...], limit: int
) -> None:
    """Issue 17 item 5: with no download delay, one finished request let every queued
    request of its host go at once (8 in flight with a limit of 2)."""
    counter = InFlightCounter(0.3)
    with scripted_server() as server:
        urls = slow_site(server, counter, 12)
        result = run_crawl(tmp_path / "films.db", *urls, settings=(*UNTHROTTLED, *override))
    assert result.returncode == 0, result.stderr[-2000:]
    assert counter.most == limit


def test_autothrottle_keeps_the_per_host_limit_and_delay(tmp_path: Path) -> None:
    """Issue 17 item 5: AutoThrottle's delay per slot (never below DOWNLOAD_DELAY) and the
    per-host limit hold together. Only a lower bound on the gaps is checked: a slow
    machine can only make them longer."""
    counter = InFlightCounter(0.1)
    with scripted_server() as server:
        urls = slow_site(server, counter, 8)
        settings = (
            *SETTINGS,
            "AUTOTHROTTLE_ENABLED=1",
            "AUTOTHROTTLE_START_DELAY=0.3",
            "DOWNLOAD_DELAY=0.3",
            "DOWNLOAD_DELAY_JITTER=0",
        )
        result = run_crawl(tmp_path / "films.db", *urls, settings=settings)
        arrivals = sorted(entry.at for entry in server.log if entry.path.startswith("/film/"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert counter.most <= 2
    assert len(arrivals) == len(urls)
    assert min(later - earlier for earlier, later in itertools.pairwise(arrivals)) >= 0.25
