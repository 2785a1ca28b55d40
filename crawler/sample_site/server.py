"""Serve a folder of pages over real HTTP on 127.0.0.1, as a small web server would.

Used for the bundled sample site (``filmcrawl crawl`` with no URLs), by the tests and
by the benchmarks. It answers conditional GETs: every file has an ``ETag`` (a hash of
its bytes) and a ``Last-Modified``; ``If-None-Match`` / ``If-Modified-Since`` that still
match get ``304 Not Modified``. ``{{BASE_URL}}`` in ``.txt`` and ``.xml`` files is
replaced by the server's own address, so the sitemap and robots.txt point at
wherever the site is served.

Run it on its own with ``python -m crawler.sample_site.server [--port N] [FOLDER]``.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import mimetypes
import shutil
import tempfile
import threading
from email.utils import formatdate, parsedate_to_datetime
from functools import cache, partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

SITE_DIR = Path(__file__).resolve().parent / "site"
# One fixed modification time for the bundled pages: a checkout's file times vary,
# and the sample site must answer the same way on every machine.
SAMPLE_LAST_MODIFIED = 1_700_000_000.0
TEMPLATED_SUFFIXES = frozenset({".txt", ".xml"})


@cache
def site_dir() -> Path:
    """The bundled site as a folder on disk.

    That is :data:`SITE_DIR` in a checkout or an installed package. When the package is
    imported from a zip file (a Scrapyd egg), the site is copied out of it once, into a
    temporary folder removed when the process exits.
    """
    if SITE_DIR.is_dir():
        return SITE_DIR
    copy = Path(tempfile.mkdtemp(prefix="filmcrawl-sample-site-"))
    atexit.register(shutil.rmtree, copy, ignore_errors=True)
    _copy_tree(files("crawler.sample_site") / "site", copy)
    return copy


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


class SiteServer(ThreadingHTTPServer):
    """A thread per connection, and room for a crawl's connections to queue.

    A crawl opens up to ``CONCURRENT_REQUESTS`` connections at once. socketserver
    listens with a backlog of 5: the kernel drops the SYNs of the others, and the client
    retries them after 1, 2, 4, 8, 16 s, so a crawl of a fast local site sometimes waited
    half a minute for its last pages (a 1,000-page re-crawl took 3 s or 31 s).
    """

    daemon_threads = True
    request_queue_size = 1024


class SiteRequestHandler(BaseHTTPRequestHandler):
    server_version = "filmcrawl-sample/1.0"
    protocol_version = "HTTP/1.1"
    # Set per server through functools.partial.
    root: ClassVar[Path] = SITE_DIR
    last_modified: ClassVar[float | None] = SAMPLE_LAST_MODIFIED

    def __init__(self, *args: Any, root: Path, last_modified: float | None, **kwargs: Any) -> None:
        self.site_root = root
        self.fixed_last_modified = last_modified
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet by default: the crawler logs every request it makes.
        return

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def _resolve(self, path: str) -> Path | None:
        relative = unquote(urlsplit(path).path).lstrip("/")
        candidate = (self.site_root / relative).resolve()
        if not candidate.is_relative_to(self.site_root.resolve()):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        elif not candidate.exists() and candidate.with_suffix(".html").exists():
            candidate = candidate.with_suffix(".html")
        return candidate if candidate.is_file() else None

    def _serve(self, *, send_body: bool) -> None:
        path = self._resolve(self.path)
        if path is None:
            self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
            return
        body = path.read_bytes()
        if path.suffix in TEMPLATED_SUFFIXES:
            host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
            body = body.replace(b"{{BASE_URL}}", f"http://{host}".encode("ascii"))
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        modified = self.fixed_last_modified or path.stat().st_mtime
        if self._not_modified(etag, modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(modified, usegmt=True))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("xml"):
            content_type += "; charset=utf-8"
        self._send(
            200,
            body,
            content_type,
            {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)},
            send_body=send_body,
        )

    def _not_modified(self, etag: str, modified: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return int(modified) <= int(since)
        return False

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        *,
        send_body: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class SampleSite:
    """A folder served on ``127.0.0.1`` (ephemeral port by default) in a thread."""

    def __init__(self, server: SiteServer, thread: threading.Thread) -> None:
        self.server = server
        self.thread = thread

    @classmethod
    def start(
        cls,
        root: Path | None = None,
        port: int = 0,
        last_modified: float | None = SAMPLE_LAST_MODIFIED,
    ) -> SampleSite:
        """Serve ``root`` (default: the bundled site)."""
        handler = partial(SiteRequestHandler, root=root or site_dir(), last_modified=last_modified)
        server = SiteServer(("127.0.0.1", port), handler)
        thread = threading.Thread(target=server.serve_forever, name="sample-site", daemon=True)
        thread.start()
        return cls(server, thread)

    @classmethod
    def start_preferring(cls, port: int, root: Path | None = None) -> SampleSite:
        """Serve on ``port`` if it is free, else on an ephemeral port.

        The default crawl prefers one port so that crawling the sample site again
        revisits the same URLs (and shows the incremental path) instead of storing the
        pages a second time under a new address.
        """
        if port:
            try:
                return cls.start(root, port)
            except OSError:
                pass
        return cls.start(root, 0)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> SampleSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a folder of pages on 127.0.0.1.")
    parser.add_argument("folder", nargs="?", type=Path, default=None)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    site = SampleSite.start(args.folder.resolve() if args.folder else None, args.port)
    print(site.url("/"), flush=True)
    try:
        site.thread.join()
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
