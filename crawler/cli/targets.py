"""What ``filmcrawl crawl`` is given to fetch: common slips get one line that names the
problem and the fix (exit 2), never a traceback or a crawl of nothing."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from crawler.cli.options import CommandError
from crawler.run.status import EXIT_USAGE

CRAWLABLE_SCHEMES = ("http", "https")


def check_crawl_targets(urls: tuple[str, ...], sitemaps: tuple[str, ...]) -> None:
    for url in urls:
        problem = target_problem(url)
        if problem:
            raise CommandError(problem, EXIT_USAGE)
    for url in sitemaps:
        problem = target_problem(url, option="--sitemap ")
        if problem:
            raise CommandError(problem, EXIT_USAGE)


def target_problem(value: str, option: str = "") -> str | None:
    """What is wrong with ``value`` as a URL to crawl, with the fix; ``None`` if nothing.

    >>> target_problem("https://example.org/film") is None
    True
    >>> target_problem("example.org/film")
    "'example.org/film' has no scheme: crawl https://example.org/film"
    """
    parts = urlsplit(value)
    if parts.scheme in CRAWLABLE_SCHEMES and parts.hostname:
        return None
    local = Path(value)
    if parts.scheme in ("", "file") and not parts.netloc and _exists(local):
        if local.is_dir():
            return f"{value} is a folder on this machine; crawl fetches URLs over HTTP"
        if not option and _lists_urls(local):
            return f"{value} is a file of URLs: pass it with --urls-file {value}"
        return (
            f"{value} is a file on this machine; crawl fetches URLs over HTTP. "
            f"To see what filmcrawl reads from a saved page: filmcrawl extract {value}"
        )
    if parts.scheme == "file":
        return f"{value} is a file URL; crawl fetches http(s) URLs (filmcrawl extract reads files)"
    if parts.scheme in CRAWLABLE_SCHEMES:
        return f"{option}{value!r} names no host: write it as {parts.scheme}://HOST/PATH"
    # "example.org/film" and "localhost:8000/film" parse with no or a bogus scheme.
    host = value.split("/", 1)[0]
    if "://" not in value and ("." in host or parts.scheme == "localhost"):
        scheme = "http" if host.startswith(("localhost", "127.", "[::1]")) else "https"
        return f"{option}{value!r} has no scheme: crawl {option}{scheme}://{value}"
    if parts.scheme:
        return f"{option}{value!r}: only http and https URLs can be crawled"
    return f"{option}{value!r} is not a URL (nor a file here): give a URL such as https://{value}"


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long for the file system is no file
        return False


def _lists_urls(path: Path) -> bool:
    """Whether ``path`` is a text file whose first lines are URLs."""
    try:
        with path.open(encoding="utf-8") as stream:
            lines = [
                line.split("#", 1)[0].strip() for _, line in zip(range(20), stream, strict=False)
            ]
    except (OSError, UnicodeDecodeError):
        return False
    lines = [line for line in lines if line]
    return bool(lines) and all(urlsplit(line).scheme in CRAWLABLE_SCHEMES for line in lines)
