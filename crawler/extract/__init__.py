"""Pure extraction: HTML in, typed records out. No Scrapy, no network, no database.

One module per platform or site family; see :mod:`crawler.extract.extractor` for the
interface and :func:`crawler.extract.page.extract_document` for how they combine.
"""
