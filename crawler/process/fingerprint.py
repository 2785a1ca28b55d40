"""Fingerprints: give comments their stable fingerprints, thread replies, collapse a
comment repeated on one page, compute near-duplicate hashes.

What needs the whole database (the same comment on two pages, one film across sites)
is resolved by the store inside the transaction that writes the batch
(:mod:`crawler.store.film_resolution`), where it sees every page, not only this one.
"""

from __future__ import annotations

from trafilatura.deduplication import Simhash

from crawler.normalize.keys import normalise_for_fingerprint, stable_id
from schemas.records import CommentRecord, PageRecord

# Shorter texts share too few tokens for a simhash to say anything about them.
MIN_SIMHASH_TOKENS = 8


def comment_fingerprint(page_url: str, author: str | None, text: str) -> str:
    """The comment's ``id``: its page, normalised author and normalised text.

    The page determines the film, so the film is part of the key through it; the
    resolved film id itself is left out because it can change when more pages about
    the film arrive, and a key must not.
    """
    return stable_id(
        "comment",
        page_url,
        normalise_for_fingerprint(author or ""),
        normalise_for_fingerprint(text),
    )


def fingerprint_page(item: PageRecord) -> PageRecord:
    by_position: dict[int, str] = {}
    kept: list[CommentRecord] = []
    seen: set[str] = set()
    for comment in item.comments:
        # comment_fingerprint() and content_key(), normalising author and text once.
        author = normalise_for_fingerprint(comment.author or "")
        text = normalise_for_fingerprint(comment.text)
        fingerprint = stable_id("comment", item.url, author, text)
        by_position[comment.position] = fingerprint
        if fingerprint in seen:
            item.count("dedupe/comment_repeated_on_page")
            continue
        seen.add(fingerprint)
        comment.id = fingerprint
        comment.content_key = stable_id(author, text)
        if len(comment.text.split()) >= MIN_SIMHASH_TOKENS:
            comment.simhash = f"{Simhash(text).hash:016x}"
        kept.append(comment)
    for comment in kept:
        if comment.parent_position is not None:
            comment.parent_id = by_position.get(comment.parent_position)
            if comment.parent_id == comment.id:
                comment.parent_id = None
    item.comments = kept
    return item
