"""language: label the page text and every comment with its language (langdetect,
seeded, so the same text always gets the same answer). See :mod:`crawler.language`.
"""

from __future__ import annotations

from crawler.language import detect_language, detect_languages
from pipelines.base import PageStagePipeline
from schemas.items import PageItem


def label_languages(item: PageItem) -> PageItem:
    if item.clean_text:
        page = detect_language(item.clean_text)
        item.lang, item.lang_confidence = page.lang, page.confidence
    results = detect_languages([comment.text for comment in item.comments])
    for comment, result in zip(item.comments, results, strict=True):
        comment.lang, comment.lang_confidence = result.lang, result.confidence
        item.count(f"language/{result.lang}")
    return item


class LanguagePipeline(PageStagePipeline):
    stage_name = "language"
    stage = staticmethod(label_languages)
