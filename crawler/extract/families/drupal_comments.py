"""Drupal comment threads (Drupal 7 and 8+), recognised by the comment field's markup.

A comment is an ``article.comment`` (8+, with ``data-comment-user-id``) or a
``div.comment`` (7) whose text is the comment-body field
(``.field--name-comment-body`` / ``.field-name-comment-body``); the author is
``.comment__author`` / ``.username`` (anonymous ones read "Name (not verified)"), the
date ``.comment__time`` / ``.comment-time`` or the "Submitted by X on <date>" line.
Replies are not nested in their comment: they follow it in a ``div.indented``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from lxml.etree import XPath

from crawler.extract.document import Document
from crawler.extract.shared.comments import FoundComment, class_test
from crawler.extract.shared.threads import LayoutCommentsExtractor, ThreadLayout

_BODY_FIELD = class_test("field--name-comment-body", "field-name-comment-body")

LAYOUTS: tuple[ThreadLayout, ...] = (
    ThreadLayout(
        name="drupal",
        items=XPath(
            f"//*[self::article or self::div][{class_test('comment')}]"
            f"[@data-comment-user-id or .//*[{_BODY_FIELD}]]"
        ),
        text=(XPath(f".//*[{_BODY_FIELD}]"),),
        author=(
            XPath(f".//*[{class_test('comment__author')}]//a"),
            XPath(f".//*[{class_test('comment__author')}]"),
            XPath(f".//*[{class_test('username')}]"),
            XPath(f".//*[{class_test('commenter-name')}]"),
        ),
        date=(
            XPath(f".//*[{class_test('comment__time', 'comment-time', 'comment-date')}]"),
            XPath(f".//*[{class_test('submitted', 'comment-submitted')}]"),
        ),
        date_cut=re.compile(r"(?:\bon\b|\bam\b|\ble\b|—|\|)\s*(.+?)\s*$", re.IGNORECASE),
        replies=XPath(f"self::div[{class_test('indented')}]"),
        skip=frozenset({"links", "comment__links", "rdf-meta", "visually-hidden"}),
    ),
)
# "Name (not verified)": Drupal's mark for an anonymous commenter's name.
_NOT_VERIFIED = re.compile(
    r"\s*\((?:not verified|nicht überprüft|nicht verifiziert|non vérifié|no verificado|"
    r"niet geverifieerd|non verificato|não verificado|niezweryfikowany|neověřeno|"
    r"не проверено|未验证|未確認|확인되지 않음)\)$",
    re.IGNORECASE,
)


class DrupalCommentsExtractor(LayoutCommentsExtractor):
    name: ClassVar[str] = "drupal-comments"
    layouts: ClassVar[tuple[ThreadLayout, ...]] = LAYOUTS
    prune: ClassVar[tuple[str, ...]] = (
        f"//*[@id='comments' or {class_test('comment-wrapper', 'comment-section')}]",
        f"//*[self::article or self::div][{class_test('comment')}][.//*[{_BODY_FIELD}]]",
    )

    def find(self, doc: Document) -> list[FoundComment]:
        found = super().find(doc)
        for comment in found:
            if comment.author:
                comment.author = _NOT_VERIFIED.sub("", comment.author)
        return found
