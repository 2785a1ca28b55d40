"""Scrapy item pipelines, one step each, after the per-page chain
(:func:`crawler.process.page.process_page`) has built the page record:

validate (:mod:`pipelines.validate`) -> resolve the film (:mod:`pipelines.resolve`)
-> store (:mod:`pipelines.store`), wired by ``ITEM_PIPELINES``.
"""
