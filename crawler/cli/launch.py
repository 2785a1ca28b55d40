"""The ``filmcrawl`` script: a crawl's workers start preloading before the command line
is imported.

Importing the command line (Scrapy, Twisted, the store, every command) takes about a
second, and so does preloading the extraction stack in the workers' fork server. A crawl
needs both; started here, the fork server preloads on the other core while this process
imports, instead of after it (issue 16: start-up is a fifth of a 600-page crawl).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from crawler.process.pool import start_fork_server

# ``-s FILMCRAWL_WORKERS=0`` extracts in the crawler itself: no fork server to start.
_INLINE = "FILMCRAWL_WORKERS=0"


def crawls_with_workers(arguments: Sequence[str]) -> bool:
    """Whether the command line asks for a crawl that extracts in worker processes."""
    if not arguments or arguments[0] != "crawl":
        return False
    return not any(argument in ("-h", "--help", _INLINE) for argument in arguments[1:])


def main() -> None:
    if crawls_with_workers(sys.argv[1:]):
        start_fork_server()
    # Imported after the fork server started: the point of this module (see its doc).
    from crawler.cli.main import main as command_line  # noqa: PLC0415

    command_line()
