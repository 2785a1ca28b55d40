"""The extractors' evidence tiers, read where the extractors are loaded.

The store ranks facts and credits by the tier of the extractor that found them
(:func:`crawler.store.film_resolution.tier_of`). Only the extractor registry knows the
tiers, and loading it loads every extractor family and what they use. A crawl's
workers have it loaded already: the crawler sends them this function (importing this
module costs nothing) and keeps the table they answer
(:class:`pipelines.resolve.ResolvePipeline`).
"""

from __future__ import annotations


def extractor_tiers() -> dict[str, int]:
    """Each extractor's evidence tier, by the name its records carry."""
    from crawler.extract.registry import extractor_tiers as registry_tiers  # noqa: PLC0415

    return dict(registry_tiers())
