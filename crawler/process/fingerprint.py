"""Fingerprints: give comments their stable fingerprints, thread replies, collapse a
comment repeated on one page, compute near-duplicate hashes.

What needs the whole database (the same comment on two pages, one film across sites)
is resolved by the store inside the transaction that writes the batch
(:mod:`crawler.store.film_resolution`), where it sees every page, not only this one.
"""

from __future__ import annotations

import string
import struct
import unicodedata
from bisect import bisect_right
from functools import cache, lru_cache
from hashlib import blake2b

from crawler.normalize.keys import normalise_for_fingerprint, stable_id
from schemas.records import CommentRecord, PageRecord

# Shorter texts share too few tokens for a simhash to say anything about them.
MIN_SIMHASH_TOKENS = 8
SIMHASH_BITS = 64
# Bits per counter in the packed per-bit token counts of :func:`simhash`: a comment
# (at most 20,000 characters) has far fewer than 2**32 tokens.
_COUNTER_BITS = 32
_COUNTERS = struct.Struct(f"<{SIMHASH_BITS}I")


def simhash(text: str) -> int:
    """trafilatura's Charikar simhash of ``text`` (``Simhash(text).hash`` of
    ``trafilatura.deduplication``, 64 bits), bit for bit, about ten times faster.

    trafilatura adds a list of 64 +1/-1 per token; here each token's 64 bits are
    spread into 64 counters packed in one integer, so a text's per-bit counts are one
    sum of integers, and bit ``i`` is set where at least half the tokens have it (the
    +1/-1 sum is not negative). Comments are most of what a page costs to
    fingerprint (issue 16); ``tests/test_fingerprint_simhash.py`` holds it to
    trafilatura's on every comment of the corpus.
    """
    tokens = _sample_tokens(text)
    counts = _COUNTERS.unpack(sum(map(_spread_bits, tokens)).to_bytes(_COUNTERS.size, "little"))
    half = len(tokens)
    return sum(1 << bit for bit, count in enumerate(counts) if 2 * count >= half)


def _sample_tokens(text: str) -> list[str]:
    """The tokens trafilatura's simhash reads: words stripped of ASCII punctuation
    that are letters and digits only (else words between any punctuation), the longer
    ones where there are enough of them."""
    tokens = [t for token in text.split() if (t := token.strip(string.punctuation)).isalnum()]
    if not tokens:
        tokens = [t for t in text.translate(_punctuation_to_space()).split() if t.isalnum()]
    lengths = sorted(map(len, tokens))
    for shortest in range(4, 0, -1):
        # How many tokens are longer than ``shortest``, without a pass over them.
        if len(lengths) - bisect_right(lengths, shortest) >= SIMHASH_BITS / 2:
            return [t for t in tokens if len(t) > shortest]
    return tokens


# Unicode puts punctuation in its first two planes only: the planes above hold CJK
# ideographs, tags, variation selectors and private use. Scanning those two is an
# eighth of the work of scanning all of Unicode, as trafilatura does, for the same
# table (tests/test_fingerprint_simhash.py checks it against the whole scan).
PUNCTUATION_PLANES_END = 0x20000


@cache
def _punctuation_to_space() -> dict[int, str]:
    # Built on first need (the workers' fork server builds it before forking them).
    return str.maketrans(
        {
            code: " "
            for code in range(PUNCTUATION_PLANES_END)
            if unicodedata.category(chr(code))[0] == "P"
        }
    )


# Each byte value spread into 8 counters (bit j -> counter j).
_BYTE_SPREAD = tuple(
    sum(1 << (_COUNTER_BITS * bit) for bit in range(8) if value >> bit & 1) for value in range(256)
)


@lru_cache(maxsize=2**14)
def _spread_bits(token: str) -> int:
    """Bit ``i`` of the token's 64-bit BLAKE2b hash (read big-endian) as counter
    ``i`` (0 or 1)."""
    digest = blake2b(token.encode(), digest_size=8).digest()
    return sum(
        _BYTE_SPREAD[byte] << (_COUNTER_BITS * 8 * (7 - index)) for index, byte in enumerate(digest)
    )


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
            comment.simhash = f"{simhash(text):016x}"
        kept.append(comment)
    for comment in kept:
        if comment.parent_position is not None:
            comment.parent_id = by_position.get(comment.parent_position)
            if comment.parent_id == comment.id:
                comment.parent_id = None
    item.comments = kept
    return item
