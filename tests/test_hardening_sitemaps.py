"""Issue 17, items 2 and 11: sitemaps are read within bounds, through the crawl's own
guarded downloader, by ``filmcrawl shards`` and by the crawl itself.

Every sitemap is served on 127.0.0.1; addresses of private networks appear only as
text inside sitemaps, and the tests check that nothing is ever requested from them.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.helpers.crawl import crawl_command, crawl_env, run_crawl
from tests.helpers.raw_http import raw_server
from tests.helpers.servers import Answer, LoggedRequest, film_page, scripted_server

pytestmark = [pytest.mark.slow, pytest.mark.redteam]

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
PRIVATE = [
    "http://10.1.2.3/film",
    "http://169.254.169.254/latest/meta-data/",
    "http://192.168.0.10/film",
]


def urlset(urls: list[str]) -> Answer:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    body = f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{entries}</urlset>'
    return Answer(200, body.encode(), {"Content-Type": "application/xml"})


def index(urls: list[str]) -> Answer:
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
    body = f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{entries}</sitemapindex>'
    return Answer(200, body.encode(), {"Content-Type": "application/xml"})


def shards(sitemap: str, out: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    """``filmcrawl shards --sitemap SITEMAP -n 2 --out OUT -s SETTING ...``."""
    arguments = ["--sitemap", sitemap, "-n", "2", "--out", str(out)]
    for setting in (*settings, "FILMCRAWL_LOOPBACK_ONLY=1"):
        arguments += ["-s", setting]
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "shards", *arguments],
        capture_output=True,
        text=True,
        env=crawl_env(),
        timeout=120,
        check=False,
    )


def written_urls(out: Path) -> list[str]:
    return sorted(
        line for path in out.glob("shard-*.txt") for line in path.read_text().splitlines()
    )


# --- filmcrawl shards (item 2) ---------------------------------------------------------------


def test_shards_take_only_the_sitemaps_own_site(tmp_path: Path) -> None:
    """A sitemap index on one host made shards fetch another host and read local files;
    the URLs it listed on private hosts became start URLs (which the guard trusts)."""
    with scripted_server() as server, scripted_server() as other:
        other.route("/sitemap.xml", urlset([other.url("/film/stolen")]))
        pages = [server.url(f"/film/{n}") for n in range(5)]
        server.route("/robots.txt", Answer(404))
        server.route(
            "/sitemap.xml",
            index(
                [
                    server.url("/pages.xml"),
                    other.url("/sitemap.xml"),  # another site: not fetched
                    "file:///etc/passwd",
                    "/dev/zero",
                    "http://169.254.169.254/sitemap.xml",
                ]
            ),
        )
        server.route("/pages.xml", urlset([*pages, *PRIVATE, other.url("/film/1")]))
        out = tmp_path / "shards"
        result = shards(server.url("/sitemap.xml"), out)
    assert result.returncode == 0, result.stderr
    assert written_urls(out) == sorted(pages)
    assert other.log == []
    assert "left out of the sitemaps" in result.stderr
    assert "page on another site: 4" in result.stderr


def test_shards_refuse_an_endless_sitemap(tmp_path: Path) -> None:
    """``/dev/zero`` served over http: the crawl's DOWNLOAD_MAXSIZE ends it."""

    def endless(connection: object) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n\r\n")  # type: ignore[attr-defined]
        for _ in range(64):
            connection.sendall(b"\0" * (1 << 20))  # type: ignore[attr-defined]

    with raw_server() as server:
        server.route("/sitemap.xml", endless)
        out = tmp_path / "shards"
        result = shards(server.url("/sitemap.xml"), out, "DOWNLOAD_MAXSIZE=4194304")
    assert result.returncode == 1
    assert "too_large" in result.stderr
    assert "DOWNLOAD_MAXSIZE" in result.stderr
    assert not out.exists()


def self_nesting(server_url: object, request: LoggedRequest) -> Answer:
    """An index that lists a page and itself one level deeper, forever."""
    level = int(request.path.rsplit("-", 1)[1].removesuffix(".xml"))
    return index([server_url(f"/nest-{level + 1}.xml"), server_url(f"/leaf-{level}.xml")])  # type: ignore[operator]


def nesting_site(server: object, depth: int = 40) -> None:
    server.route("/robots.txt", Answer(404))  # type: ignore[attr-defined]
    for level in range(depth):
        server.route(f"/nest-{level}.xml", lambda request: self_nesting(server.url, request))  # type: ignore[attr-defined]
        server.route(f"/leaf-{level}.xml", urlset([server.url(f"/film/{level}")]))  # type: ignore[attr-defined]
        server.route(f"/film/{level}", Answer.html(film_page(f"Film {level}")))  # type: ignore[attr-defined]


def test_shards_stop_at_the_nesting_limit_and_say_so(tmp_path: Path) -> None:
    with scripted_server() as server:
        nesting_site(server)
        out = tmp_path / "shards"
        result = shards(server.url("/nest-0.xml"), out)
        deeper = shards(
            server.url("/nest-0.xml"),
            out,
            "FILMCRAWL_SITEMAP_MAX_DEPTH=5",
            "FILMCRAWL_SITEMAP_MAX_URLS=10",
        )
        fetched = [entry.path for entry in server.log if entry.path.startswith("/nest-")]
    assert result.returncode == 1
    assert "FILMCRAWL_SITEMAP_MAX_DEPTH" in result.stderr
    assert not out.exists() or not list(out.glob("shard-*.txt"))
    # Three levels below the one named (the default), then five: never endless.
    assert sorted(set(fetched)) == [f"/nest-{level}.xml" for level in range(6)]
    assert deeper.returncode == 1
    assert "FILMCRAWL_SITEMAP_MAX_DEPTH" in deeper.stderr


def test_shards_stop_at_the_url_limit_and_say_so(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/sitemap.xml", urlset([server.url(f"/film/{n}") for n in range(50)]))
        out = tmp_path / "shards"
        limited = shards(server.url("/sitemap.xml"), out, "FILMCRAWL_SITEMAP_MAX_URLS=20")
        enough = shards(server.url("/sitemap.xml"), out, "FILMCRAWL_SITEMAP_MAX_URLS=50")
    assert limited.returncode == 1
    assert "more than 20 URLs" in limited.stderr
    assert "FILMCRAWL_SITEMAP_MAX_URLS" in limited.stderr
    assert enough.returncode == 0, enough.stderr
    assert len(written_urls(out)) == 50


# --- the crawl (items 2 and 11) --------------------------------------------------------------


def test_a_self_nesting_sitemap_index_ends(tmp_path: Path) -> None:
    """Issue 17 item 11: 29,000 index documents in 60 s, never ending."""
    db = tmp_path / "films.db"
    with scripted_server() as server:
        nesting_site(server)
        result = run_crawl(db, "--sitemap", server.url("/nest-0.xml"), timeout=120)
        fetched = [entry.path for entry in server.log if entry.path.startswith("/nest-")]
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(fetched) == [f"/nest-{level}.xml" for level in range(4)]
    assert "FILMCRAWL_SITEMAP_MAX_DEPTH" in result.stderr
    pages = {row["url"] for row in Database(db).query("SELECT url FROM pages")}
    # leaf-3 would be four documents below nest-0: past the default depth of 3.
    assert pages == {server.url(f"/film/{level}") for level in range(3)}
    stats = next(Database(db).query("SELECT stats FROM crawl_runs"))["stats"]
    assert "filmcrawl/sitemap/limit_reached/FILMCRAWL_SITEMAP_MAX_DEPTH" in stats


def test_the_crawl_takes_only_the_sitemaps_own_site(tmp_path: Path) -> None:
    db = tmp_path / "films.db"
    with scripted_server() as server, scripted_server() as other:
        other.route("/sitemap.xml", urlset([other.url("/film/stolen")]))
        server.route("/robots.txt", Answer(404))
        server.route("/sitemap.xml", index([server.url("/pages.xml"), other.url("/sitemap.xml")]))
        server.route("/pages.xml", urlset([server.url("/film/1"), *PRIVATE, other.url("/film/2")]))
        server.route("/film/1", Answer.html(film_page()))
        result = run_crawl(db, "--sitemap", server.url("/sitemap.xml"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert other.log == []
    assert [row["url"] for row in Database(db).query("SELECT url FROM pages")] == [
        server.url("/film/1")
    ]


def test_a_huge_sitemap_is_fetched_while_it_is_still_being_read_and_sigterm_acts(
    tmp_path: Path,
) -> None:
    """Issue 17 item 11: with 300,000 URLs no page was requested within 20 s (setup was
    quadratic: SQLite walked the wrong index once per 500 URLs), SIGTERM took 37 s.
    Now pages are requested while the sitemap is still being stored, and SIGTERM
    stops the run cleanly (no wall clock here: the server looks at the frontier the
    moment the first page is requested)."""
    count = 150_000
    db = tmp_path / "films.db"
    seen_at_first_request: list[int] = []
    lock = threading.Lock()

    def page(request: LoggedRequest) -> Answer:
        with lock:
            if not seen_at_first_request:
                reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
                seen_at_first_request.append(
                    reader.execute("SELECT count(*) FROM frontier").fetchone()[0]
                )
                reader.close()
        return Answer.html(film_page(request.path))

    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/sitemap.xml", urlset([server.url(f"/film/{n}") for n in range(count)]))
        server.routes.update({f"/film/{n}": page for n in range(count)})
        process = subprocess.Popen(
            crawl_command(db, "--sitemap", server.url("/sitemap.xml")),
            env=crawl_env(),
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            while not seen_at_first_request and process.poll() is None:
                threading.Event().wait(0.05)
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
    assert seen_at_first_request and seen_at_first_request[0] < count
    assert process.returncode == 1, stderr[-3000:]
    assert "Traceback" not in stderr
    run = next(Database(db).query("SELECT status FROM crawl_runs"))
    assert run["status"] == "interrupted"
