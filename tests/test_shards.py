"""filmcrawl shards: split a URL list or a sitemap into shards, one Scrapyd job each."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli.main import main
from crawler.fetch.shards import split
from crawler.fetch.url_lists import split_urls
from tests.helpers.crawl import crawl_env
from tests.helpers.servers import Answer, scripted_server

SITES = {
    "https://asianwiki.com": 5,
    "https://www.imdb.com": 4,
    "https://imdb.com": 1,  # the same site as www.imdb.com
    "https://mydramalist.com": 3,
    "http://127.0.0.1:8001": 2,
    "http://127.0.0.1:8002": 1,  # another port is another site
}


def urls_of(sites: dict[str, int]) -> list[str]:
    return [f"{base}/film/{i}" for base, count in sites.items() for i in range(count)]


def test_a_site_stays_in_one_shard_and_shards_are_balanced() -> None:
    rule, shards = split(urls_of(SITES), 3)
    assert rule == "site"
    # Largest first, each to the emptiest shard: 5, 5, 3, then 2 and 1 fill up.
    assert [shard.sites for shard in shards] == [
        ["127.0.0.1:8002", "asianwiki.com"],
        ["imdb.com"],
        ["127.0.0.1:8001", "mydramalist.com"],
    ]
    assert [len(shard.urls) for shard in shards] == [6, 5, 5]


def test_the_same_urls_in_any_order_give_the_same_shards() -> None:
    urls = urls_of(SITES)
    shuffled = urls[:]
    random.Random(8).shuffle(shuffled)
    for count in (1, 2, 3, 4, 10):
        first = split(urls, count)
        second = split(shuffled + urls[:3], count)  # repeated URLs are dropped
        assert first[0] == second[0]
        assert [sorted(s.urls) for s in first[1]] == [sorted(s.urls) for s in second[1]]


def test_fewer_sites_than_shards_split_by_a_stable_hash_of_the_url() -> None:
    urls = [f"https://asianwiki.com/film/{i}" for i in range(200)]
    rule, shards = split(urls, 4)
    assert rule == "url"
    assert sorted(url for shard in shards for url in shard.urls) == sorted(urls)
    assert all(35 <= len(shard.urls) <= 65 for shard in shards)
    # Hashing puts a URL in the same shard whatever else is in the list.
    _, fewer = split(urls[:50], 4)
    home = {url: shard.index for shard in shards for url in shard.urls}
    assert all(home[url] == shard.index for shard in fewer for url in shard.urls)


def test_empty_shards_are_left_out() -> None:
    rule, shards = split(["https://a.org/1", "https://a.org/2"], 8)
    assert rule == "url"
    assert 1 <= len(shards) <= 2
    assert sum(len(shard.urls) for shard in shards) == 2


def test_the_rule_can_be_chosen() -> None:
    rule, shards = split(urls_of(SITES), 2, "url")
    assert rule == "url"
    assert any(len(shard.sites) > 3 for shard in shards)
    with pytest.raises(ValueError, match="unknown rule"):
        split(urls_of(SITES), 2, "random")


# --- the command ---------------------------------------------------------------------------


def run_shards(*args: str) -> str:
    result = CliRunner().invoke(main, ["shards", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def shards_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``filmcrawl shards`` in a process of its own: reading sitemaps runs Scrapy's
    reactor, which a process can run once."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "shards", *args, "-s", "FILMCRAWL_LOOPBACK_ONLY=1"],
        capture_output=True,
        text=True,
        env=crawl_env(),
        timeout=120,
        check=False,
    )


def test_shards_from_a_url_file_are_written_with_a_manifest(tmp_path: Path) -> None:
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text(
        "# films to crawl\n" + "\n".join(urls_of(SITES)) + "\nhttps://a.org/x,y  # a comma\n",
        encoding="utf-8",
    )
    out = tmp_path / "shards"
    output = run_shards("--urls-file", str(urls_file), "-n", "3", "--out", str(out))
    assert "17 URLs in 3 shards (by site)" in output
    files = sorted(path.name for path in out.iterdir())
    assert files == [
        "schedule.sh",
        "shard-000.txt",
        "shard-001.txt",
        "shard-002.txt",
        "shards.json",
    ]
    manifest = json.loads((out / "shards.json").read_text(encoding="utf-8"))
    assert [shard["urls"] for shard in manifest["shards"]] == [6, 6, 5]
    written = [
        line
        for name in ("shard-000.txt", "shard-001.txt", "shard-002.txt")
        for line in (out / name).read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(written) == sorted([*urls_of(SITES), "https://a.org/x,y"])
    # The same input gives the same files.
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    run_shards("--urls-file", str(urls_file), "-n", "3", "--out", str(out))
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_shards_from_a_sitemap_index_over_http(tmp_path: Path) -> None:
    with scripted_server() as server:
        pages = [server.url(f"/film/{i}") for i in range(30)]

        def urlset(urls: list[str]) -> bytes:
            entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
            return (
                '<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
            ).encode()

        index = (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{server.url('/sitemap-1.xml')}</loc></sitemap>"
            f"<sitemap><loc>{server.url('/sitemap-2.xml.gz')}</loc></sitemap></sitemapindex>"
        )
        server.route("/sitemap.xml", Answer(200, index.encode()))
        server.route("/sitemap-1.xml", Answer(200, urlset(pages[:20])))
        server.route("/sitemap-2.xml.gz", Answer(200, gzip.compress(urlset(pages[20:]))))
        server.route("/robots.txt", Answer(404))
        out = tmp_path / "shards"
        result = shards_process(
            "--sitemap", server.url("/sitemap.xml"), "-n", "2", "--out", str(out)
        )
    assert result.returncode == 0, result.stderr
    assert "30 URLs in 2 shards (by url)" in result.stdout
    written = (out / "shard-000.txt").read_text() + (out / "shard-001.txt").read_text()
    assert sorted(written.split()) == sorted(pages)


@pytest.mark.redteam
def test_a_sitemap_on_disk_is_refused(tmp_path: Path) -> None:
    # Issue 17 item 2: only http(s); a path (or /dev/zero) is never read.
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>')
    for location in (str(sitemap), "/dev/zero", f"file://{sitemap}"):
        result = CliRunner().invoke(
            main, ["shards", "--sitemap", location, "-n", "2", "--out", str(tmp_path / "x")]
        )
        assert result.exit_code == 2, result.output
        assert "--sitemap" in result.output
    assert not (tmp_path / "x").exists()


def test_shards_needs_urls(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["shards", "-n", "2", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "give --urls-file or --sitemap" in result.output


# --- scheduling ---------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_schedule_sh_deals_shards_round_robin_to_scrapyd(tmp_path: Path) -> None:
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text("\n".join(urls_of(SITES)), encoding="utf-8")
    out = tmp_path / "shards"
    run_shards("--urls-file", str(urls_file), "-n", "3", "--out", str(out))
    # A stand-in for curl that records its arguments, one file per call.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    calls.mkdir()
    fake = bin_dir / "curl"
    fake.write_text(
        '#!/bin/sh\nn=$(ls "$CALLS" | wc -l)\nfor a in "$@"; do echo "$a"; done > "$CALLS/$n"\n'
        'echo \'{"status": "ok"}\'\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CALLS": str(calls),
        "SCRAPYD_URLS": "http://one:6800 http://two:6800/",
        "SPOOL_DIR": "/srv/spools",
        "SETTINGS": "DOWNLOAD_DELAY=2 AUTOTHROTTLE_ENABLED=0",
    }
    result = subprocess.run(
        ["sh", str(out / "schedule.sh")], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    made = [(calls / str(i)).read_text().splitlines() for i in range(3)]
    assert [args[1] for args in made] == [
        "http://one:6800/schedule.json",
        "http://two:6800/schedule.json",
        "http://one:6800/schedule.json",
    ]
    assert made[1][2:] == [
        "--data-urlencode",
        "urls@shard-001.txt",
        "-d",
        "project=filmcrawl",
        "-d",
        "spider=films",
        "-d",
        "setting=FILMCRAWL_DB=/srv/spools/shard-001.db",
        "-d",
        "setting=DOWNLOAD_DELAY=2",
        "-d",
        "setting=AUTOTHROTTLE_ENABLED=0",
    ]


def test_urls_sent_inline_are_one_per_line() -> None:
    # Regression (issue 8): a shard sent as one multi-line `urls` argument must not be
    # split at the commas some URLs contain.
    shard = "https://en.wikipedia.org/wiki/Crouching_Tiger,_Hidden_Dragon\nhttps://a.org/1\n"
    assert split_urls(shard) == [
        "https://en.wikipedia.org/wiki/Crouching_Tiger,_Hidden_Dragon",
        "https://a.org/1",
    ]
    assert split_urls("https://a.org/1, https://a.org/2 https://a.org/3") == [
        "https://a.org/1",
        "https://a.org/2",
        "https://a.org/3",
    ]
