"""The page's main text (synopsis, review, article) with trafilatura.

trafilatura decides what is boilerplate; we only tell it which regions the platform
extractors already know are not main text (comment threads, cast galleries, fact boxes,
rating widgets) and never ask it for comments, so a page's comments cannot leak into
``pages.clean_text``.
"""

from __future__ import annotations

import re

import trafilatura
from trafilatura.settings import use_config

# The downloader is Scrapy's; trafilatura only extracts. Its own time limit applies to
# its CLI only, ours is enforced by the worker that runs extraction.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

# Regions that are never main text on any platform: comment threads and forms,
# navigation, sidebars. trafilatura removes most of these itself; naming them makes the
# result independent of its heuristics for the common platforms.
GENERIC_PRUNE_XPATHS: tuple[str, ...] = (
    "//*[@id='comments' or @id='respond' or @id='disqus_thread']",
    "//ol[contains(concat(' ',normalize-space(@class),' '),' comment-list ')"
    " or contains(concat(' ',normalize-space(@class),' '),' commentlist ')]",
    "//*[contains(concat(' ',normalize-space(@class),' '),' comment-respond ')]",
    "//form[contains(@id,'comment') or contains(@class,'comment')]",
    "//*[@role='navigation' or @role='complementary' or @role='contentinfo']",
    "//nav | //aside | //footer",
)

_BLANK_LINES = re.compile(r"\n{3,}")


def extract_main_text(html: str, url: str, prune_xpaths: list[str] | None = None) -> str | None:
    """Return the main text as plain text with paragraphs separated by newlines.

    ``None`` when trafilatura finds no main text at all.
    """
    prune = list(GENERIC_PRUNE_XPATHS) + list(prune_xpaths or [])
    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        prune_xpath=prune,
        config=_CONFIG,
    )
    if not text:
        return None
    text = _BLANK_LINES.sub("\n\n", text.strip())
    return text or None
