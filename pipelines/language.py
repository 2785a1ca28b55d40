"""language: label the page text and every comment with its language (langdetect,
seeded, so the same text always gets the same answer). See :mod:`crawler.process.language`.
"""

from __future__ import annotations

from crawler.process.language import UNDETERMINED, LanguageResult, detect_language, detect_languages
from pipelines.base import PageStagePipeline
from schemas.records import CommentRecord, PageRecord

# A pingback's text is an excerpt of another site's page, most often just a title or a
# link text ("[…] Miracle in Cell No. 7 […]"): a title is not a sentence in any
# language, so a pingback is labelled only when its excerpt is one.
MIN_PINGBACK_WORDS = 8


def _judgeable(comment: CommentRecord) -> bool:
    if comment.kind != "pingback":
        return True
    words = [
        word for word in comment.text.replace("[…]", " ").split() if any(c.isalpha() for c in word)
    ]
    return len(words) >= MIN_PINGBACK_WORDS


def label_languages(item: PageRecord) -> PageRecord:
    if item.clean_text:
        page = detect_language(item.clean_text)
        item.lang, item.lang_confidence = page.lang, page.confidence
    judged = [comment for comment in item.comments if _judgeable(comment)]
    results: dict[int, LanguageResult] = dict(
        zip(
            (id(comment) for comment in judged),
            detect_languages([comment.text for comment in judged]),
            strict=True,
        )
    )
    for comment in item.comments:
        result = results.get(id(comment), UNDETERMINED)
        comment.lang, comment.lang_confidence = result.lang, result.confidence
        item.count(f"language/{result.lang}")
    return item


class LanguagePipeline(PageStagePipeline):
    stage_name = "language"
    stage = staticmethod(label_languages)
