"""Issue 17, items 10 and 15: hostile answers end as rows that say what happened.

One crawl of a raw-socket server on 127.0.0.1 that sends what no well-behaved server
would: an endless header section, a header line longer than Twisted allows, bodies
that never end, bodies shorter than they said, a cut gzip stream, a redirect loop and
a Latin-1 page under ``charset=utf-8``.
"""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from crawler.fetch.limits import gzip_stream_complete
from crawler.process.decode import decode_html
from tests.helpers.crawl import CrawlResult, run_crawl
from tests.helpers.raw_http import RawServer, close_after, raw_server
from tests.helpers.servers import film_page

pytestmark = pytest.mark.redteam

MAX_BODY = 2 * 1024 * 1024
FILM = film_page("Hostile Answers").encode("utf-8")


def head(*lines: str) -> bytes:
    return ("HTTP/1.1 200 OK\r\n" + "".join(f"{line}\r\n" for line in lines)).encode("latin-1")


def endless_headers(connection: socket.socket) -> None:
    # 64 MB of header lines, then a page: the old crawler read all of it.
    connection.sendall(head("Content-Type: text/html"))
    line = b"X-Filler: " + b"a" * 1000 + b"\r\n"
    for _ in range(64 * 1024 // 16):
        connection.sendall(line * 16)
    connection.sendall(b"Content-Length: %d\r\n\r\n%s" % (len(FILM), FILM))


def one_long_header_line(connection: socket.socket) -> None:
    connection.sendall(head("Content-Type: text/html", "X-Long: " + "b" * 100_000))
    connection.sendall(b"Content-Length: %d\r\n\r\n%s" % (len(FILM), FILM))


def endless_body(connection: socket.socket) -> None:
    connection.sendall(head("Content-Type: text/html", "Connection: close") + b"\r\n<html>")
    block = b"<p>and more</p>" * 4096
    for _ in range(4 * MAX_BODY // len(block)):
        connection.sendall(block)


def endless_chunked_body(connection: socket.socket) -> None:
    connection.sendall(head("Content-Type: text/html", "Transfer-Encoding: chunked") + b"\r\n")
    block = b"<p>and more</p>" * 4096
    for _ in range(4 * MAX_BODY // len(block)):
        connection.sendall(b"%x\r\n%s\r\n" % (len(block), block))


def short_body(connection: socket.socket) -> None:
    connection.sendall(
        head("Content-Type: text/html", f"Content-Length: {len(FILM) + 5000}") + b"\r\n" + FILM
    )
    close_after(connection)


def unfinished_chunks(connection: socket.socket) -> None:
    connection.sendall(head("Content-Type: text/html", "Transfer-Encoding: chunked") + b"\r\n")
    connection.sendall(b"%x\r\n%s\r\n" % (len(FILM), FILM))
    close_after(connection)


def cut_gzip(connection: socket.socket) -> None:
    whole = gzip.compress(FILM)
    packed = whole[: len(whole) // 2]
    connection.sendall(
        head("Content-Type: text/html", "Content-Encoding: gzip", f"Content-Length: {len(packed)}")
        + b"\r\n"
        + packed
    )


LATIN1_TITLE = "São Paulo não é João"


def latin1_under_utf8(connection: socket.socket) -> None:
    body = film_page(LATIN1_TITLE).encode("latin-1")
    connection.sendall(
        head("Content-Type: text/html; charset=utf-8", f"Content-Length: {len(body)}")
        + b"\r\n"
        + body
    )


def redirect_to(path: str) -> Any:
    def send(connection: socket.socket) -> None:
        connection.sendall(
            b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % path.encode()
        )

    return send


ROUTES = {
    "/endless-headers": endless_headers,
    "/long-header-line": one_long_header_line,
    "/endless-body": endless_body,
    "/endless-chunked-body": endless_chunked_body,
    "/short-body": short_body,
    "/unfinished-chunks": unfinished_chunks,
    "/cut-gzip": cut_gzip,
    "/latin1": latin1_under_utf8,
    "/loop-a": redirect_to("/loop-b"),
    "/loop-b": redirect_to("/loop-a"),
}
START = [path for path in ROUTES if path != "/loop-b"]


@dataclass
class HostileCrawl:
    server: RawServer
    db: Path
    result: CrawlResult

    def row(self, path: str) -> dict[str, Any]:
        rows = list(
            Database(self.db).query("SELECT * FROM pages WHERE url = ?", [self.server.url(path)])
        )
        assert rows, f"no pages row for {path}"
        return rows[0]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCrawl]:
    db = tmp_path_factory.mktemp("hostile") / "films.db"
    with raw_server() as server:
        for path, writer in ROUTES.items():
            server.route(path, writer)
        result = run_crawl(
            db,
            *(server.url(path) for path in START),
            "-s",
            f"DOWNLOAD_MAXSIZE={MAX_BODY}",
            "-s",
            "RETRY_TIMES=0",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            "-s",
            "FILMCRAWL_MAX_ERROR_RATE=1",
        )
        yield HostileCrawl(server, db, result)


@pytest.mark.slow
def test_an_endless_header_section_is_too_large_and_read_only_to_the_cap(
    hostile: HostileCrawl,
) -> None:
    """Issue 17 item 10: 400 MB of headers were read into memory (673 MB RSS)."""
    row = hostile.row("/endless-headers")
    assert (row["status"], row["http_status"]) == ("too_large", None)
    assert "FILMCRAWL_MAX_HEADER_SIZE" in row["status_reason"]
    # The crawler hung up long before the server was done: what was sent is what the
    # socket buffers held when it did.
    assert hostile.server.sent["/endless-headers"] < 16 * 1024 * 1024


@pytest.mark.slow
def test_a_header_line_longer_than_twisted_allows_is_too_large_not_a_fetch_error(
    hostile: HostileCrawl,
) -> None:
    row = hostile.row("/long-header-line")
    assert row["status"] == "too_large"
    assert "headers too large" in row["status_reason"]


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/endless-body", "/endless-chunked-body"])
def test_a_body_that_never_ends_is_too_large(hostile: HostileCrawl, path: str) -> None:
    """Issue 17 item 10: it was a fetch_error with an empty reason."""
    row = hostile.row(path)
    assert row["status"] == "too_large"
    assert "DOWNLOAD_MAXSIZE" in row["status_reason"]
    assert hostile.server.sent[path] < 4 * MAX_BODY


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/short-body", f"the body ended after {len(FILM)} of {len(FILM) + 5000} bytes"),
        ("/unfinished-chunks", "before the last chunk"),
        ("/cut-gzip", "gzip stream"),
    ],
)
def test_a_body_shorter_than_it_said_is_truncated(
    hostile: HostileCrawl, path: str, reason: str
) -> None:
    """Issue 17 item 10: a short body is ``truncated``, never ``ok`` with half a page."""
    row = hostile.row(path)
    assert row["status"] == "truncated"
    assert reason in row["status_reason"]
    assert row["clean_text"] is None


@pytest.mark.slow
def test_a_redirect_loop_leaves_a_row_for_the_url_asked_for(hostile: HostileCrawl) -> None:
    """Issue 17 item 15: a -> b -> a left a row for b only."""
    row = hostile.row("/loop-a")
    assert row["status"] == "redirect_loop"
    assert row["status_reason"] == (
        f"redirect loop: {hostile.server.url('/loop-a')} -> {hostile.server.url('/loop-b')}"
        f" -> {hostile.server.url('/loop-a')}"
    )


@pytest.mark.slow
def test_latin1_under_a_utf8_header_is_stored_readable(hostile: HostileCrawl) -> None:
    """Issue 17 item 15: it was stored as Mac Roman mojibake ("S„o Paulo n„o È Jo„o")."""
    row = hostile.row("/latin1")
    assert (row["status"], row["encoding"], row["title"]) == ("ok", "cp1252", LATIN1_TITLE)


@pytest.mark.slow
def test_every_hostile_url_has_exactly_one_row(hostile: HostileCrawl) -> None:
    urls = {row["url"] for row in Database(hostile.db).query("SELECT url FROM pages")}
    assert urls == {hostile.server.url(path) for path in START}


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Crème brûlée à la française", "latin-1"),
        ("Ñandú, señor", "latin-1"),
        ("São Paulo não é João", "latin-1"),
        ("naïve façade, déjà vu", "latin-1"),
        ("Dansk: æøå ÆØÅ", "latin-1"),
        ("Þórður Guðmundsson", "latin-1"),
        ("Zażółć gęślą jaźń", "cp1250"),
        ("Příliš žluťoučký kůň", "cp1250"),
        ("Ąžuolas ėjo į mišką", "cp1257"),
    ],
)
def test_a_legacy_page_under_a_utf8_header_is_decoded_by_its_content(text: str, codec: str) -> None:
    """Issue 17 item 15: a few accented words read without error in every Latin codec;
    the reading whose letters belong to one language wins, not the detector's first."""
    body = f"<html><head><title>{text}</title></head><body><h1>{text}</h1>".encode(codec)
    body += b"<p>The rest of the page is plain ASCII text about the film and its cast.</p>"
    page = decode_html(body, "text/html; charset=utf-8")
    assert page.source == "detected"
    assert f"<h1>{text}</h1>" in page.text


def test_gzip_stream_completeness() -> None:
    whole = gzip.compress(FILM * 50)
    assert gzip_stream_complete(whole)
    assert not gzip_stream_complete(whole[:-8])  # without its trailer
    assert gzip_stream_complete(b"")
    assert gzip_stream_complete(whole, max_output=1000)  # stops early: left to Scrapy
