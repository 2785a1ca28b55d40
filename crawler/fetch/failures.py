"""Why a request got no usable response: the ``pages.status`` and reason for a fetch
that failed, from the exception Scrapy (or one of our middlewares) raised.

Each answer also names a more specific event, counted as ``filmcrawl/<event>`` in the
run's stats (``fetch/timeout``, ``fetch/too_large/decompressed``, ``redirect/loop``
...), so a run's stats say not only how many pages failed but how.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_errors
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.fetch.limits import ResponseTooLargeError
from crawler.fetch.network_guard import NetworkRefusedError
from crawler.fetch.redirects import RedirectLoopError, RedirectOffsiteError
from crawler.normalize.escaping import terminal_safe

__all__ = ["FetchFailure", "classify_failure"]

MAX_REASON_CHARS = 500

# Scrapy says "larger than download max size" when Content-Length or the bytes received
# pass DOWNLOAD_MAXSIZE, and "exceeded DOWNLOAD_MAXSIZE" when decompression does.
_TOO_LARGE_RE = re.compile(r"larger than download max size|exceeded DOWNLOAD_MAXSIZE", re.I)
_DECOMPRESSION_RE = re.compile(r"decompress", re.I)
_ROBOTS_RE = re.compile(r"robots\.txt", re.I)
_CONNECTION_ERRORS = (
    DownloadConnectionRefusedError,
    twisted_errors.ConnectionRefusedError,
    twisted_errors.ConnectError,
    twisted_errors.ConnectionLost,
    twisted_errors.ConnectionDone,
    ResponseNeverReceived,
)
_DNS_ERRORS = (CannotResolveHostError, twisted_errors.DNSLookupError)
_TIMEOUT_ERRORS = (DownloadTimeoutError, twisted_errors.TimeoutError)


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A failed fetch as filmcrawl records it: ``status`` (one of
    :data:`schemas.records.PAGE_STATUSES`), a human ``reason``, the stats ``event`` and
    the HTTP status when there was a response."""

    status: str
    reason: str
    event: str
    http_status: int | None = None


def classify_failure(error: BaseException | None) -> FetchFailure:
    """What happened, for any exception a request's errback can receive. Never raises.

    >>> classify_failure(DownloadTimeoutError("Getting http://x/ took longer than 30 seconds."))
    FetchFailure(status='fetch_error', reason='timeout: Getting http://x/ took longer than 30 seconds.', event='fetch/timeout', http_status=None)
    """  # noqa: E501
    if error is None:
        return FetchFailure("fetch_error", "unknown failure", "fetch/other")
    message = terminal_safe(str(error).strip())
    if isinstance(error, HttpError):
        status = error.response.status
        return FetchFailure("http_error", f"HTTP {status}", f"http/{status}", status)
    if isinstance(error, RedirectOffsiteError):
        return FetchFailure("redirect_offsite", message, "redirect/offsite", error.http_status)
    if isinstance(error, RedirectLoopError):
        return FetchFailure("redirect_loop", message, "redirect/loop", error.http_status)
    if isinstance(error, NetworkRefusedError):
        http_status = getattr(error, "http_status", None)  # set for a refused redirect
        return FetchFailure("blocked", message, "blocked/network_guard", http_status)
    if isinstance(error, ResponseTooLargeError):
        part = error.part
        what = "headers too large" if part == "headers" else f"body too large ({part})"
        return FetchFailure("too_large", _clip(f"{what}: {message}"), f"fetch/too_large/{part}")
    if _TOO_LARGE_RE.search(message) and isinstance(error, IgnoreRequest | DownloadCancelledError):
        where = "decompressed" if _DECOMPRESSION_RE.search(message) else "download"
        return FetchFailure(
            "too_large", _clip(f"body too large ({where}): {message}"), f"fetch/too_large/{where}"
        )
    if isinstance(error, IgnoreRequest):
        if message == "max redirections reached":
            return FetchFailure("redirect_loop", message, "redirect/loop")
        event = "blocked/robots_txt" if _ROBOTS_RE.search(message) else "blocked/other"
        return FetchFailure("blocked", _clip(message or type(error).__name__), event)
    if isinstance(error, _TIMEOUT_ERRORS):
        return FetchFailure("fetch_error", _clip(f"timeout: {message}"), "fetch/timeout")
    if isinstance(error, ResponseDataLossError) or _is_data_loss(error):
        return FetchFailure(
            "truncated",
            _clip(message or "the connection closed before the whole body arrived (truncated)"),
            "fetch/truncated",
        )
    if isinstance(error, _DNS_ERRORS):
        return FetchFailure("fetch_error", _clip(f"DNS: {message}"), "fetch/dns")
    if isinstance(error, _CONNECTION_ERRORS):
        return FetchFailure(
            "fetch_error", _clip(f"{type(error).__name__}: {message}"), "fetch/connection"
        )
    return FetchFailure("fetch_error", _clip(f"{type(error).__name__}: {message}"), "fetch/other")


def _is_data_loss(error: BaseException) -> bool:
    if not isinstance(error, ResponseFailed):
        return False
    return any("DataLoss" in type(reason.value).__name__ for reason in error.reasons)


def _clip(text: str) -> str:
    """A reason as stored and logged: short, and with control characters (a server's
    own words can carry terminal escapes) escaped."""
    return terminal_safe(text[:MAX_REASON_CHARS])
