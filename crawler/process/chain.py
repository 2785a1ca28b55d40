"""The whole pure chain on one page, as a crawl runs it but without network or database:
extract -> clean -> language -> dedupe. Used by ``filmcrawl extract`` (the preview),
``filmcrawl eval``, tests and benchmarks.
"""

from __future__ import annotations

from crawler.process.page import FetchedPage, process_fetched
from crawler.store.database import utc_now
from pipelines.clean import clean_page
from pipelines.dedupe import fingerprint_page
from pipelines.language import label_languages
from schemas.records import PageRecord


def process_html(
    url: str, html: str | bytes, content_type: str | None = "text/html; charset=utf-8"
) -> PageRecord:
    body = html.encode("utf-8") if isinstance(html, str) else html
    page = FetchedPage(
        url=url,
        requested_url=url,
        http_status=200,
        body=body,
        fetched_at=utc_now(),
        content_type=content_type,
    )
    return process_page(page)


def process_page(page: FetchedPage) -> PageRecord:
    """The record a crawl would store for ``page`` (decode, extract, clean, language,
    dedupe)."""
    item = process_fetched(page)
    if item.status != "ok":
        return item
    return fingerprint_page(label_languages(clean_page(item)))
