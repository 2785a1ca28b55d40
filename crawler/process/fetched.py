"""A fetched page as the per-page chain receives it, and the chain as the crawler calls it.

The crawler needs these without the chain itself: it makes the record of a page it does
not extract (not modified, truncated, failed) and hands the others to a worker. The chain
(:mod:`crawler.process.page`) imports the whole extraction stack (extruct, trafilatura,
Babel, every extractor family): some 0.2 s and 15 MB that a crawler whose workers
extract, or whose pages all come back 304, does not need.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from crawler import settings
from crawler.normalize.keys import site_of
from schemas.records import PageRecord


@dataclass
class FetchedPage:
    """The parts of a Scrapy response that extraction needs (picklable)."""

    url: str
    requested_url: str
    http_status: int
    body: bytes
    fetched_at: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    depth: int = 0
    parent_url: str | None = None
    extract_timeout: float = settings.FILMCRAWL_EXTRACT_TIMEOUT
    max_comments: int = settings.FILMCRAWL_MAX_COMMENTS_PER_PAGE
    # Resolve the page's links (only a crawl that follows links needs them).
    want_links: bool = False
    fetch_ms: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # The body's content hash, when the crawler computed it already (to compare it with
    # the stored one): the body is hashed once.
    body_hash: str | None = None


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def base_record(page: FetchedPage) -> PageRecord:
    """The record of a fetch before anything is read from its body."""
    return PageRecord(
        url=page.url,
        requested_url=page.requested_url,
        http_status=page.http_status,
        content_type=page.content_type,
        etag=page.etag,
        last_modified=page.last_modified,
        content_hash=page.body_hash or content_hash(page.body),
        content_length=len(page.body),
        fetched_at=page.fetched_at,
        fetch_ms=page.fetch_ms,
        site=site_of(page.url),
        parent_url=page.parent_url,
        depth=page.depth,
    )


def process_fetched_page(page: FetchedPage) -> PageRecord:
    """:func:`crawler.process.page.process_page`, the one task a worker runs per page.

    A top-level function of this light module, so that the crawler can hand it to a
    worker (it is pickled by name) without importing the chain. The chain is imported
    on the first call: in a worker it is already there (the fork server preloaded it,
    :mod:`crawler.process.pool_preload`); in the crawler only when it extracts itself
    (``FILMCRAWL_WORKERS=0``).
    """
    # The extraction stack, loaded where a page is actually processed (see the module
    # doc); after the first call this import is a lookup in sys.modules.
    from crawler.process.page import process_page  # noqa: PLC0415

    return process_page(page)
