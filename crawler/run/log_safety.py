"""Log lines a terminal shows rather than obeys.

A crawl logs text from the network: URLs, header values, reasons quoting a server's
answer, and Scrapy's own lines about requests and responses. An ESC or OSC sequence in
any of them reached the terminal as is (issue 17). This extension escapes control and
bidi characters (:func:`crawler.normalize.escaping.terminal_safe`) in every record any
logger sends to the handlers of the root logger, where Scrapy writes its log, under
``filmcrawl crawl``, ``scrapy crawl`` and Scrapyd alike. Line breaks stay (Scrapy's
stats dump and tracebacks span lines).
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy.crawler import Crawler

from crawler.normalize.escaping import terminal_safe


class TerminalSafeFilter(logging.Filter):
    """Formats the record's message once and escapes it (and its traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format: let logging report it as it does
            return True
        record.msg = terminal_safe(message, keep_newlines=True)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = terminal_safe(record.exc_text, keep_newlines=True)
        return True


def install_on_root_handlers() -> None:
    """Add the filter to every handler of the root logger that lacks it."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(each, TerminalSafeFilter) for each in handler.filters):
            handler.addFilter(TerminalSafeFilter())


class TerminalSafeLogging:
    """Scrapy extension: installs the filter when the crawler starts (Scrapy has set up
    its log handler by then)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        install_on_root_handlers()
        return cls()
