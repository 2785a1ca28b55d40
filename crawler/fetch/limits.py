"""Bounds on what a server can make the crawler receive, and honest names for what
went wrong when a response broke them.

Scrapy bounds the body (``DOWNLOAD_MAXSIZE``) but not the header section: a server
sending 400 MB of header lines was read into memory (673 MB RSS, issue 17). And two
broken bodies got misleading outcomes: a body that never ends was cut at
``DOWNLOAD_MAXSIZE`` with an empty error message (recorded as ``fetch_error``), and a
body shorter than its ``Content-Length`` was a generic connection failure.

:class:`BoundedHTTPDownloadHandler` is Scrapy's HTTP/1.1 handler with:

* the header section (status line, header lines, continuation lines) capped at
  ``FILMCRAWL_MAX_HEADER_SIZE`` bytes while it is read, and the connection dropped
  past it: :class:`ResponseTooLargeError` (``too_large``);
* a body cut at ``DOWNLOAD_MAXSIZE`` while still arriving named as such:
  :class:`ResponseTooLargeError`;
* a body that ended before its ``Content-Length`` (or its last chunk) named with
  what arrived: :class:`ResponseTruncatedError` (``truncated``), still retried like
  Scrapy's data loss.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.exceptions import DownloadCancelledError, DownloadFailedError, ResponseDataLossError
from twisted.web.client import ResponseFailed

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.internet.defer import Deferred
    from twisted.internet.interfaces import IAddress
    from twisted.web.iweb import IResponse

__all__ = [
    "BoundedHTTPDownloadHandler",
    "HeadersTooLargeError",
    "ResponseTooLargeError",
    "ResponseTruncatedError",
]


class HeadersTooLargeError(Exception):
    """Raised inside the response parser when the header section passes its cap."""


class ResponseTooLargeError(DownloadCancelledError):
    """The response was refused for its size; ``part`` is ``headers`` or ``download``
    (the body as received). Not retried: the next answer would be as large."""

    def __init__(self, message: str, part: str) -> None:
        super().__init__(message)
        self.part = part


class ResponseTruncatedError(ResponseDataLossError):
    """The body ended before the length the response declared (retried like Scrapy's
    data loss: a dropped connection may not happen twice)."""


# --- the header cap, inside Twisted's parser ----------------------------------------------
#
# Twisted reads the header section line by line with no bound on the number of lines,
# and neither Twisted nor Scrapy exposes a hook before the section is complete. Scrapy
# itself swaps the parser class of each request for a lenient one (see
# _LenientHTTP11ClientProtocol.request); the classes below extend those three, so the
# only change is the byte count. They are pinned with Scrapy in constraints.txt, and
# tests/test_hardening_fetch.py fails if a Scrapy upgrade breaks them.


class _HeaderBoundedParser(_LenientHTTPClientParser):
    """Counts every byte of the status line and header lines (one parser per response)."""

    max_header_size = 0
    header_bytes = 0

    def lineReceived(self, line: bytes) -> None:
        self.header_bytes += len(line) + len(self.delimiter)
        if self.header_bytes > self.max_header_size:
            raise HeadersTooLargeError(self.max_header_size)
        super().lineReceived(line)

    def lineLengthExceeded(self, line: bytes) -> None:
        # One line longer than the whole section may be: the same refusal (Twisted
        # would drop the connection without a word).
        raise HeadersTooLargeError(self.max_header_size)


class _HeaderBoundedProtocol(_LenientHTTP11ClientProtocol):
    max_header_size = 0

    def request(self, request: Any) -> Deferred[IResponse]:
        deferred = super().request(request)
        parser = self._parser
        assert parser is not None
        parser.__class__ = _HeaderBoundedParser
        assert isinstance(parser, _HeaderBoundedParser)
        parser.max_header_size = self.max_header_size
        # A single line may be as long as the whole section allows.
        parser.MAX_LENGTH = self.max_header_size
        return deferred


def _factory_bounded_to(max_header_size: int) -> type[_LenientHTTP11ClientFactory]:
    class _HeaderBoundedFactory(_LenientHTTP11ClientFactory):
        def buildProtocol(self, addr: IAddress | None) -> _HeaderBoundedProtocol:
            protocol = _HeaderBoundedProtocol(self._quiescentCallback)
            protocol.max_header_size = max_header_size
            return protocol

    return _HeaderBoundedFactory


# --- the handler ---------------------------------------------------------------------------


@dataclass
class _Progress:
    """What arrived of one response so far (from Scrapy's public download signals)."""

    declared: int | None = None
    received: int = 0


class BoundedHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler with a bounded header section and size and
    truncation failures that say what happened.

    Settings: ``FILMCRAWL_MAX_HEADER_SIZE`` (bytes; 0 keeps Twisted's own rule of 16 KiB
    per line and no total), ``DOWNLOAD_MAXSIZE``.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_header_size = crawler.settings.getint("FILMCRAWL_MAX_HEADER_SIZE")
        self.max_body_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        if self.max_header_size > 0:
            self._pool._factory = _factory_bounded_to(self.max_header_size)
        self._progress: dict[Request, _Progress] = {}
        crawler.signals.connect(self._headers_received, signal=signals.headers_received)
        crawler.signals.connect(self._bytes_received, signal=signals.bytes_received)

    def _headers_received(self, request: Request, body_length: Any, **_: Any) -> None:
        progress = self._progress.get(request)
        if progress is not None and isinstance(body_length, int):
            progress.declared = body_length

    def _bytes_received(self, request: Request, data: bytes, **_: Any) -> None:
        progress = self._progress.get(request)
        if progress is not None:
            progress.received += len(data)

    async def download_request(self, request: Request) -> Response:
        progress = self._progress[request] = _Progress()
        try:
            response = await super().download_request(request)
        except DownloadFailedError as exc:
            if _caused_by_header_limit(exc):
                raise ResponseTooLargeError(
                    f"more than {self.max_header_size} bytes of response headers "
                    "(FILMCRAWL_MAX_HEADER_SIZE)",
                    "headers",
                ) from exc
            raise
        except ResponseDataLossError as exc:
            if progress.declared is None:
                what = "the connection closed before the last chunk of the body"
            else:
                what = f"the body ended after {progress.received} of {progress.declared} bytes"
            raise ResponseTruncatedError(what) from exc
        except DownloadCancelledError as exc:
            limit = request.meta.get("download_maxsize", self.max_body_size)
            if not str(exc) and limit and progress.received > limit:
                # Scrapy cancels a body that passes DOWNLOAD_MAXSIZE while it arrives
                # without a message; a body that never ends ends here.
                raise ResponseTooLargeError(
                    f"more than {limit} bytes received and the body had not ended "
                    "(DOWNLOAD_MAXSIZE)",
                    "download",
                ) from exc
            raise
        finally:
            del self._progress[request]
        encoding = (response.headers.get(b"Content-Encoding") or b"").strip().lower()
        if encoding in (b"gzip", b"x-gzip") and not gzip_stream_complete(
            response.body, self.max_body_size
        ):
            # Scrapy decompresses what there is of a cut gzip stream without a word, and
            # the page would be stored from its first part.
            raise ResponseTruncatedError("the gzip stream of the body ends before its end")
        return response


def gzip_stream_complete(body: bytes, max_output: int = 0, chunk: int = 1 << 16) -> bool:
    """Whether ``body`` is a gzip stream that reaches its end marker. Decompresses into
    nothing, ``chunk`` bytes at a time; past ``max_output`` bytes (a bomb, which the
    compression middleware refuses by itself) it stops and says yes.

    >>> import gzip
    >>> whole = gzip.compress(b"<html>" * 1000)
    >>> gzip_stream_complete(whole), gzip_stream_complete(whole[: len(whole) // 2])
    (True, False)
    >>> gzip_stream_complete(b"not gzip at all")  # left to the compression middleware
    True
    """
    if not body:
        return True
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    produced = 0
    data = body
    try:
        while data and not decompressor.eof:
            produced += len(decompressor.decompress(data, chunk))
            data = decompressor.unconsumed_tail
            if max_output and produced > max_output:
                return True
    except zlib.error:
        return True
    return decompressor.eof


def _caused_by_header_limit(error: BaseException) -> bool:
    cause = error.__cause__
    if not isinstance(cause, ResponseFailed):
        return False
    return any(reason.check(HeadersTooLargeError) for reason in cause.reasons)
