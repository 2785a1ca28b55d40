"""The ``filmcrawl`` script: a crawl's workers start preloading before the command line
is imported, and a crawl does not spend half a second tidying up at exit.

Importing the crawl command (Scrapy, Twisted, the store; the command line loads only the
command asked for, and the crawler never the extraction stack) takes a few tenths of a
second, and preloading the extraction stack in the workers' fork server about a second.
A crawl needs both; started here, the fork server preloads on the other core while this
process imports, instead of after it (issue 16: start-up is a fifth of a 600-page crawl).
For the same reason the database a crawl names gets its ``PRAGMA quick_check`` started
here, in a thread: it reads the whole file (0.45 s at 10,000 pages) while Scrapy loads,
and the command's own check waits for its answer (:func:`crawler.store.database.
start_quick_check`). A path guessed wrong costs nothing: the command checks the database
it opens either way.

At exit the interpreter's garbage collector walks every object the imports made, several
times, before the process may end: about 0.4 s for what a crawl loads. A finished crawl
has closed its database, its workers and its log; its objects are frozen
(:func:`gc.freeze`) so that the collector skips them, and the exit is otherwise the usual
one (atexit handlers, flushed output).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from crawler.process.pool import start_fork_server
from crawler.run import early_signals
from crawler.settings import FILMCRAWL_DB

# ``-s FILMCRAWL_WORKERS=0`` extracts in the crawler itself: no fork server to start.
_INLINE = "FILMCRAWL_WORKERS=0"
_SCRAPY_TLS_MODULES = ("scrapy.core.downloader.tls", "scrapy.core.downloader.contextfactory")


def is_crawl(arguments: Sequence[str]) -> bool:
    return bool(arguments) and arguments[0] == "crawl"


def runs_a_crawl(arguments: Sequence[str]) -> bool:
    """Whether the command line asks for a crawl (not for the crawl command's help)."""
    return is_crawl(arguments) and not any(
        argument in ("-h", "--help") for argument in arguments[1:]
    )


def crawls_with_workers(arguments: Sequence[str]) -> bool:
    """Whether the command line asks for a crawl that extracts in worker processes."""
    return runs_a_crawl(arguments) and _INLINE not in arguments[1:]


def database_named(arguments: Sequence[str]) -> Path | None:
    """The database a crawl command line writes into, where the line says it plainly:
    ``--db PATH``, ``--db=PATH``, else ``FILMCRAWL_DB`` in the environment, else the
    default; None with a ``-s FILMCRAWL_DB=`` override (the command decides)."""
    if not is_crawl(arguments) or any("FILMCRAWL_DB=" in each for each in arguments):
        return None
    for index, argument in enumerate(arguments[1:], start=1):
        if argument == "--":
            break
        if argument.startswith("--db="):
            return Path(argument.removeprefix("--db="))
        if argument == "--db":
            return Path(arguments[index + 1]) if index + 1 < len(arguments) else None
    return Path(os.environ.get("FILMCRAWL_DB") or FILMCRAWL_DB)


def main() -> None:
    arguments = sys.argv[1:]
    if is_crawl(arguments):
        # Before the imports that take a while: a Ctrl-C meanwhile gets the crawl's
        # answer, not a bare "Aborted!" (crawler/run/early_signals.py).
        early_signals.install()
    if crawls_with_workers(arguments):
        start_fork_server()
    database = database_named(arguments)
    if database is not None:
        # After the fork server started, like the command line (see the module's doc).
        from crawler.store.database import start_quick_check  # noqa: PLC0415

        start_quick_check(database)
    if runs_a_crawl(arguments):
        # Scrapy's TLS modules make three deprecated class aliases as they load, and
        # each alias calls ``inspect.stack()``, which reads the source of every frame
        # on the stack. Loaded by the HTTP handler, deep inside the spider loader's
        # imports (51-57 frames), that took 0.58 s of this process's start; loaded
        # here, one at a time from 15 frames, 0.17 s. The crawl loads them either way.
        # In this order: the second imports the first, deeper.
        for module in _SCRAPY_TLS_MODULES:
            importlib.import_module(module)
    # Imported after the fork server started: the point of this module (see its doc).
    from crawler.cli.main import main as command_line  # noqa: PLC0415

    try:
        command_line()
    finally:
        if is_crawl(arguments):
            gc.freeze()
