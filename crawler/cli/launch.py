"""The ``filmcrawl`` script: a crawl's workers start preloading before the command line
is imported, and a crawl does not spend half a second tidying up at exit.

Importing the crawl command (Scrapy, Twisted, the store; the command line loads only the
command asked for, and the crawler never the extraction stack) takes a few tenths of a
second, and preloading the extraction stack in the workers' fork server about a second.
A crawl needs both; started here, the fork server preloads on the other core while this
process imports, instead of after it (issue 16: start-up is a fifth of a 600-page crawl).

At exit the interpreter's garbage collector walks every object the imports made, several
times, before the process may end: about 0.4 s for what a crawl loads. A finished crawl
has closed its database, its workers and its log; its objects are frozen
(:func:`gc.freeze`) so that the collector skips them, and the exit is otherwise the usual
one (atexit handlers, flushed output).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

from crawler.process.pool import start_fork_server

# ``-s FILMCRAWL_WORKERS=0`` extracts in the crawler itself: no fork server to start.
_INLINE = "FILMCRAWL_WORKERS=0"


def is_crawl(arguments: Sequence[str]) -> bool:
    return bool(arguments) and arguments[0] == "crawl"


def crawls_with_workers(arguments: Sequence[str]) -> bool:
    """Whether the command line asks for a crawl that extracts in worker processes."""
    if not is_crawl(arguments):
        return False
    return not any(argument in ("-h", "--help", _INLINE) for argument in arguments[1:])


def main() -> None:
    arguments = sys.argv[1:]
    if crawls_with_workers(arguments):
        start_fork_server()
    # Imported after the fork server started: the point of this module (see its doc).
    from crawler.cli.main import main as command_line  # noqa: PLC0415

    try:
        command_line()
    finally:
        if is_crawl(arguments):
            gc.freeze()
