"""A scriptable HTTP server on 127.0.0.1 for tests: each path answers what the test
says (status, headers, body, delay, a different answer on each visit), and every
request is logged so a test can check what the crawler actually sent.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Send the headers, then close the connection after this many body bytes.
    truncate_at: int | None = None

    @classmethod
    def html(cls, text: str, status: int = 200, **headers: str) -> Answer:
        return cls(
            status, text.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8", **headers}
        )


@dataclass
class LoggedRequest:
    at: float
    method: str
    path: str
    headers: dict[str, str]


Route = Answer | list[Answer] | Callable[[LoggedRequest], Answer]


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up (a timeout, a refused oversized body) is expected here,
    not an error worth a traceback on the test's stderr. The backlog leaves room for a
    crawl's concurrent connections (see crawler.sample_site.server.SiteServer)."""

    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ScriptedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.visits: dict[str, int] = {}
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        handler = _make_handler(self)
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, answer: Route) -> None:
        self.routes[path] = answer

    def requests_for(self, path: str) -> list[LoggedRequest]:
        return [entry for entry in self.log if entry.path == path]

    def answer(self, request: LoggedRequest) -> Answer:
        with self._lock:
            self.log.append(request)
            visit = self.visits.get(request.path, 0)
            self.visits[request.path] = visit + 1
        route = self.routes.get(request.path)
        if route is None:
            return Answer.html("<html><body>not found</body></html>", status=404)
        if isinstance(route, list):
            return route[min(visit, len(route) - 1)]
        if callable(route):
            return route(request)
        return route

    def start(self) -> ScriptedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _make_handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            request = LoggedRequest(
                time.monotonic(), "GET", urlsplit(self.path).path, dict(self.headers.items())
            )
            answer = server.answer(request)
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response(answer.status)
            headers = {"Content-Type": "text/html; charset=utf-8", **answer.headers}
            headers.setdefault("Content-Length", str(len(answer.body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            body = answer.body
            if answer.truncate_at is not None:
                self.wfile.write(body[: answer.truncate_at])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    return Handler


@contextmanager
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()


FILM_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Movie",
"name":"{title}","datePublished":"2013-01-23",
"director":{{"@type":"Person","name":"Lee Hwan-kyung"}}}}
</script></head><body><article><h1>{title}</h1>
<p>{title} is a film about a father who is falsely accused and a daughter who proves his
innocence years later, with the help of his cellmates who smuggle her into the prison.</p>
<p>The film was a great success and moved audiences across the country for many weeks.</p>
</article></body></html>"""


def film_page(title: str = "Miracle in Cell No. 7") -> str:
    return FILM_PAGE.format(title=title)
