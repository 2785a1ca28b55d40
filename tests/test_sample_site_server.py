"""The bundled site's server lets a crawl's connections queue (issue 16: with
socketserver's backlog of 5, the kernel dropped the SYNs of a crawl's other connections
and a 1,000-page re-crawl of a local site took 3 s or, now and then, 31 s)."""

from __future__ import annotations

import socket

from crawler import settings
from crawler.sample_site.server import SampleSite, SiteServer

# The most connections a crawl of a local site opens at once: the benchmarks crawl with
# CONCURRENT_REQUESTS=32.
BURST = max(settings.CONCURRENT_REQUESTS, 32) * 2


def test_the_backlog_holds_a_crawls_connections() -> None:
    assert SiteServer.request_queue_size >= BURST


def test_a_burst_of_connections_is_served() -> None:
    """Connections opened together, each then asked for a page, all get an answer."""
    site = SampleSite.start()
    connections = [
        socket.create_connection(("127.0.0.1", site.port), timeout=10) for _ in range(BURST)
    ]
    try:
        for connection in connections:
            connection.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        for connection in connections:
            assert connection.recv(12).startswith(b"HTTP/1.1 200")
    finally:
        for connection in connections:
            connection.close()
        site.stop()
