"""Content-addressed keys: the same parts always give the same id.

Pure and shared by the per-page chain (comment fingerprints) and the store (record ids),
so a key computed in a worker and one computed by the writer agree.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

_SPACE = re.compile(r"\s+")


def stable_id(*parts: object) -> str:
    """A content-addressed key: the same parts always give the same 32 hex digits.

    >>> stable_id("a", None, 1) == stable_id("a", "", "1")
    True
    """
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def normalise_for_fingerprint(text: str) -> str:
    """Case-, width- and whitespace-insensitive form used in fingerprints.

    >>> normalise_for_fingerprint("  So  SAD ！")
    'so sad !'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_key(author: str | None, text: str) -> str:
    """The key exact copies of a comment share, on any page (``comments.content_key``)."""
    return stable_id(normalise_for_fingerprint(author or ""), normalise_for_fingerprint(text))


def site_of(url: str) -> str:
    """The site a URL belongs to: its host (and non-default port), without ``www.``.

    >>> site_of("https://www.Example.org:8080/film")
    'example.org:8080'
    """
    return _site_of_netloc(urlsplit(url).netloc)


@lru_cache(maxsize=4096)
def _site_of_netloc(netloc: str) -> str:
    # By authority: a crawl asks for every page of the same few sites.
    parts = SplitResult("", netloc, "", "", "")
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        return f"{host}:{parts.port}"
    return host
