"""URLs a user hands the crawler (arguments, URL files, Scrapyd's ``urls``), checked
before any of them reaches the frontier.

One unusable URL stored in the frontier used to poison the database: every later run
resumed it, failed to build its request and fetched nothing (issue 17). So every URL
from a person is checked here, a bad one is reported as ``file:line: reason`` (or
``argument: reason``) and skipped, and a UTF-8 byte order mark is just stripped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from crawler.fetch.network_policy import NetworkGuard
from crawler.normalize.keys import site_of

__all__ = [
    "UrlList",
    "netloc_of",
    "read_url_file",
    "site_of_url",
    "split_urls",
    "url_problem",
]

_SCHEMES = ("http", "https")
_PERMISSIVE_GUARD = NetworkGuard()
_SHOWN_CHARS = 200
# An http(s) URL of printable ASCII with a plain host[:port] authority (no user info).
_SIMPLE_URL_RE = re.compile(r"(?i)(https?)://([a-z0-9.\-]+(?::[0-9]{1,5})?)(?:[/?#][!-~]*)?\Z")


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be crawled, or None when it can. Never raises.

    >>> url_problem("https://example.org/film")
    >>> url_problem("example.org/film")
    'no scheme: write https://example.org/film'
    >>> url_problem("ftp://example.org/film")
    'ftp: URLs are not crawled, only http and https'
    >>> url_problem("http://exa mple.org/")
    'contains a space'
    >>> url_problem("/srv/sitemap.xml")
    'a file path, not an http(s) URL'
    """
    if not url:
        return "empty"
    simple = _SIMPLE_URL_RE.match(url)
    if simple:  # most URLs: checked by their host alone (cached), 0.5 µs
        return _host_problem(simple.group(1).lower(), simple.group(2))
    if not (url.isascii() and url.isprintable()) or " " in url:
        for char in url:
            if char.isspace():
                return "contains a space"
            if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
                return f"contains the invisible or control character U+{ord(char):04X}"
    try:
        parts = urlsplit(url)
        # Reading the port raises on one that is not a number in range.
        if parts.port == 0:
            return "port 0 is not a port"
    except ValueError as exc:
        return f"not a URL ({exc})"
    scheme = parts.scheme.lower()
    written_scheme = bool(scheme) and (
        "://" in url or not url.partition(":")[2][:1].isdigit()  # not host:port/...
    )
    if written_scheme and scheme not in _SCHEMES:
        return f"{scheme}: URLs are not crawled, only http and https"
    if written_scheme and "://" not in url:
        return f"malformed: an {scheme} URL starts with {scheme}://"
    if not written_scheme and url.startswith(("/", "./", "../", "~")) and not url.startswith("//"):
        return "a file path, not an http(s) URL"
    if not written_scheme:
        return f"no scheme: write https://{url.removeprefix('//')}"
    if not parts.hostname:
        return "no host"
    return _host_problem(scheme, parts.netloc)


@lru_cache(maxsize=4096)
def _host_problem(scheme: str, netloc: str) -> str | None:
    # The network guard's reading of the host (the browser's): what it cannot read
    # unambiguously would be refused at every fetch. Cached: a sitemap's 50,000 URLs
    # share one host.
    try:
        port = urlsplit(f"{scheme}://{netloc}/").port
    except ValueError as exc:
        return f"not a URL ({exc})"
    if port == 0:
        return "port 0 is not a port"
    if _PERMISSIVE_GUARD.check(f"{scheme}://{netloc}/").reason == "bad_url":
        return "the host is not a valid name or address"
    return None


def site_of_url(url: str) -> str:
    """:func:`crawler.normalize.keys.site_of`, cached by authority (for long lists)."""
    return _site_of_netloc(netloc_of(url))


@lru_cache(maxsize=4096)
def _site_of_netloc(netloc: str) -> str:
    return site_of(f"http://{netloc}/")


def netloc_of(url: str) -> str:
    """The authority of an http(s) URL, lower-cased, cheaply (``urlsplit`` costs
    3.5 µs; a sitemap can list 50,000 URLs of one host)."""
    simple = _SIMPLE_URL_RE.match(url)
    if simple:
        return simple.group(2).lower()
    return urlsplit(url).netloc.lower()


@dataclass
class UrlList:
    """The usable URLs of some input, in order without repeats, and one
    ``where: reason`` line for each unusable one."""

    urls: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, url: str, where: str) -> None:
        problem = url_problem(url)
        if problem is not None:
            shown = url if len(url) <= _SHOWN_CHARS else url[:_SHOWN_CHARS] + "..."
            self.problems.append(f"{where}: {problem}: {shown!r}")
        elif url not in self._seen:
            self._seen.add(url)
            self.urls.append(url)

    def extend(self, other: UrlList) -> None:
        for url in other.urls:
            if url not in self._seen:
                self._seen.add(url)
                self.urls.append(url)
        self.problems.extend(other.problems)


def read_url_file(path: str | Path) -> UrlList:
    """One URL per line; ``#`` starts a comment; blank lines are skipped; a UTF-8 BOM
    is dropped. A line that is not UTF-8 or not a crawlable URL becomes a
    ``file:line: reason`` problem. An unreadable file raises ``OSError``."""
    result = UrlList()
    raw = Path(path).read_bytes().removeprefix(b"\xef\xbb\xbf")
    for number, line in enumerate(raw.splitlines(), start=1):
        where = f"{path}:{number}"
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            result.problems.append(f"{where}: not UTF-8 text")
            continue
        url = text.split("#", 1)[0].strip()
        if url:
            result.add(url, where)
    return result


def split_urls(value: str | list[str] | None) -> list[str]:
    """URLs from a spider argument: a list, one URL per line (``#`` starts a comment;
    Scrapyd passes a shard file this way), or separated by commas or spaces."""
    if not value:
        return []
    if isinstance(value, list):
        parts = value
    elif "\n" in value:
        parts = [line.split("#", 1)[0] for line in value.splitlines()]
    else:
        parts = value.replace(",", " ").split()
    return [part.strip().removeprefix("\ufeff") for part in parts if part.strip()]
