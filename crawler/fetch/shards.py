"""Split a URL list or a sitemap into shards, one Scrapyd job each.

The rule, deterministic for a given set of URLs (duplicates dropped, the first
occurrence kept):

* **by site** (when there are at least as many sites as shards): a site (host and
  port, without ``www.``) stays in one shard, so only one job talks to it and its
  politeness limits hold. Sites are dealt out largest first, each to the shard with
  the fewest URLs so far (ties to the lowest number).
* **by URL** (when there are fewer sites than shards, typically one big site): each
  URL goes to shard ``sha256(url) mod N``. Several jobs then share a site, so divide
  its politeness budget between them (``DOWNLOAD_DELAY``, ``CONCURRENT_REQUESTS_PER_DOMAIN``).

Within a shard, URLs keep the order of the input. Shards that get no URL are not
written (a job without URLs would crawl the bundled sample site).
"""

from __future__ import annotations

import hashlib
import json
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.store.writer import site_of

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
SITEMAP_TIMEOUT = 30
# A shard scheduled with its URLs inline becomes one argument of the job's command
# line, which Linux caps at 128 KiB; bigger shards go to the servers as files.
INLINE_LIMIT_BYTES = 100_000
RULES = ("auto", "site", "url")


@dataclass
class Shard:
    index: int
    urls: list[str]

    @property
    def name(self) -> str:
        return f"shard-{self.index:03d}"

    @property
    def sites(self) -> list[str]:
        return sorted({site_of(url) for url in self.urls})


def split(urls: Iterable[str], count: int, rule: str = "auto") -> tuple[str, list[Shard]]:
    """Split ``urls`` into at most ``count`` non-empty shards; return the rule used
    (``site`` or ``url``) and the shards."""
    if count < 1:
        raise ValueError("the number of shards must be at least 1")
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")
    unique = list(dict.fromkeys(url.strip() for url in urls if url.strip()))
    by_site: dict[str, int] = {}
    for url in unique:
        by_site[site_of(url)] = by_site.get(site_of(url), 0) + 1
    if rule == "auto":
        rule = "site" if len(by_site) >= count else "url"

    if rule == "site":
        loads = [0] * count
        shard_of_site: dict[str, int] = {}
        for site in sorted(by_site, key=lambda s: (-by_site[s], s)):
            target = min(range(count), key=lambda i: (loads[i], i))
            shard_of_site[site] = target
            loads[target] += by_site[site]
        members = [
            [url for url in unique if shard_of_site[site_of(url)] == i] for i in range(count)
        ]
    else:
        members = [[] for _ in range(count)]
        for url in unique:
            digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
            members[int(digest[:16], 16) % count].append(url)
    return rule, [Shard(i, group) for i, group in enumerate(members) if group]


# --- reading input ---------------------------------------------------------------------


def read_url_list(path: Path) -> list[str]:
    """One URL per line; ``#`` starts a comment (as ``filmcrawl crawl --urls-file``)."""
    from crawler.spiders.films import read_urls_file

    return read_urls_file(str(path))


def read_sitemap(location: str, *, depth: int = 0) -> list[str]:
    """Every page URL a sitemap lists (a URL or a local file; gzip and sitemap indexes
    are followed, three levels deep at most)."""
    from scrapy.utils.gz import gunzip
    from scrapy.utils.sitemap import Sitemap

    body = _read_location(location)
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
    sitemap = Sitemap(body)
    locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
    if sitemap.type != "sitemapindex":
        return locations
    if depth >= 2:
        raise ValueError(f"{location}: sitemap indexes nested too deep")
    urls: list[str] = []
    for child in locations:
        urls.extend(read_sitemap(child, depth=depth + 1))
    return urls


def _read_location(location: str) -> bytes:
    if urlsplit(location).scheme in ("http", "https"):
        from crawler.settings import USER_AGENT

        request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=SITEMAP_TIMEOUT) as response:
            body: bytes = response.read(MAX_SITEMAP_BYTES + 1)
    else:
        body = Path(location).read_bytes()
    if len(body) > MAX_SITEMAP_BYTES:
        raise ValueError(f"{location}: larger than {MAX_SITEMAP_BYTES} bytes")
    return body


# --- writing shards ----------------------------------------------------------------------

SCHEDULE_SCRIPT = """\
#!/bin/sh
# Schedule the shards next to this script as Scrapyd jobs (written by `filmcrawl shards`).
# One job per shard, dealt round robin over the servers in SCRAPYD_URLS; each job
# crawls into its own spool, $SPOOL_DIR/<shard>.db on the server that runs it.
#
#   SCRAPYD_URLS="http://crawl1:6800 http://crawl2:6800" SPOOL_DIR=/srv/spools sh schedule.sh
#
# SETTINGS: more Scrapy/filmcrawl settings for every job ("DOWNLOAD_DELAY=2 ...").
# SHARD_DIR: where the shard files are on the servers; set it to pass them as
# urls_file instead of sending the URLs inline (needed above ~100 KB per shard).
set -eu
cd "$(dirname "$0")"
SCRAPYD_URLS=${SCRAPYD_URLS:-http://127.0.0.1:6800}
SPOOL_DIR=${SPOOL_DIR:-/var/lib/filmcrawl/spools}
PROJECT=${PROJECT:-filmcrawl}
SETTINGS=${SETTINGS:-}
SHARD_DIR=${SHARD_DIR:-}

schedule() {
    shard=$1
    server=${2%/}
    if [ -n "$SHARD_DIR" ]; then
        set -- -d "urls_file=$SHARD_DIR/$shard.txt"
    else
        set -- --data-urlencode "urls@$shard.txt"
    fi
    set -- "$@" -d "project=$PROJECT" -d spider=films -d "setting=FILMCRAWL_DB=$SPOOL_DIR/$shard.db"
    for setting in $SETTINGS; do
        set -- "$@" -d "setting=$setting"
    done
    printf '%s on %s: ' "$shard" "$server"
    curl -fsS "$server/schedule.json" "$@"
}

set -- $SCRAPYD_URLS
for shard in {shards}; do
    server=$1
    shift
    set -- "$@" "$server"
    schedule "$shard" "$server"
done
"""


def write_shards(out: Path, shards: list[Shard], rule: str, sources: list[str]) -> Path:
    """Write ``shard-NNN.txt`` files, ``shards.json`` (what is in each) and
    ``schedule.sh`` (curl calls to Scrapyd's ``schedule.json``) into ``out``; return
    the manifest's path. The same input always gives the same files."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("shard-*.txt"):
        stale.unlink()
    listed = []
    for shard in shards:
        text = "".join(f"{url}\n" for url in shard.urls)
        (out / f"{shard.name}.txt").write_text(text, encoding="utf-8")
        listed.append(
            {
                "name": shard.name,
                "file": f"{shard.name}.txt",
                "urls": len(shard.urls),
                "sites": shard.sites,
                "inline": len(text.encode("utf-8")) <= INLINE_LIMIT_BYTES,
            }
        )
    manifest = {
        "rule": rule,
        "sources": sources,
        "urls": sum(len(shard.urls) for shard in shards),
        "shards": listed,
    }
    path = out / "shards.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    script = out / "schedule.sh"
    script.write_text(
        SCHEDULE_SCRIPT.replace("{shards}", " ".join(shard.name for shard in shards)),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return path
