"""Imported once by the worker pool's fork server (and only there), before any worker
is forked from it: the extraction stack and the language detector's profiles are then
shared by all workers copy-on-write instead of loaded by each.

The per-page chain also builds tables on first use (the country and language names
of 27 locales, read from Babel's locale data: some 25 MB; compiled patterns, parsers'
lookup tables). Built in a worker, each worker holds its own copy, lost whenever the
worker is replaced: so the fork server runs the chain once over the bundled sample
pages before forking, and every worker starts with them built and shared (issue 16).
"""

from __future__ import annotations

import gc
import logging
from importlib.resources import files
from importlib.resources.abc import Traversable

import crawler.process.page  # noqa: F401  (the whole per-page chain and its libraries)
from crawler.extract.registry import all_extractors
from crawler.process.fingerprint import simhash
from crawler.process.language import seed_detector
from crawler.process.page import process_html
from crawler.process.pool import die_with_parent

logger = logging.getLogger(__name__)


def sample_pages(folder: Traversable | None = None) -> list[tuple[str, bytes]]:
    """``(path, body)`` of every page of the bundled sample site, in path order (read
    through importlib.resources, so also from a zipped package such as a Scrapyd egg)."""
    folder = folder if folder is not None else files("crawler.sample_site") / "site"
    pages: list[tuple[str, bytes]] = []
    for entry in folder.iterdir():
        if entry.is_dir():
            pages += [(f"{entry.name}/{path}", body) for path, body in sample_pages(entry)]
        elif entry.name.endswith(".html"):
            pages.append((entry.name, entry.read_bytes()))
    return sorted(pages)


def warm_up() -> int:
    """Run the per-page chain over the sample pages, so that what it builds on first
    use is built here, once; return how many pages it ran. A failure only costs the
    sharing: each worker then builds what it needs, as it would without this."""
    pages = 0
    for path, body in sample_pages():
        try:
            process_html(f"http://127.0.0.1/{path}", body)
        except Exception:  # the chain records failures itself; this is belt and braces
            logger.debug("warm-up page %s failed", path, exc_info=True)
            continue
        pages += 1
    return pages


# The fork server dies with the crawler that started it; its workers die with it.
die_with_parent()
all_extractors()
seed_detector()
simhash("。")  # builds the punctuation table for CJK comments (a scan of all Unicode)
warm_up()
# Keep the collector from touching (and so un-sharing) these objects in every worker.
gc.collect()
gc.freeze()
