"""The saved real pages (``../shared/corpus/real/``) crawled over HTTP (issue 6).

Every page is served as its site sent it: a file that starts with ``curl -i`` headers
is served with those headers, a ``.gz`` file with ``Content-Encoding: gzip``, a page
whose manifest says its charset came in the HTTP header with that charset. All of them
go through ONE crawl; each must end with a ``pages`` row and the status listed here,
and the run must finish. The KinoPoisk pages (windows-1251) are also crawled without
any charset, in the header or the page, to check that detection alone gets them right.

The corpus is not part of the project: these tests skip where it is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from crawler.run.status import EXIT_OK
from tests.conftest import corpus_dir
from tests.helpers.crawl import run_crawl
from tests.helpers.servers import Answer, scripted_server

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

# Headers that described the original transfer, not the saved body.
TRANSFER_HEADERS = frozenset(
    {"transfer-encoding", "content-length", "content-encoding", "connection", "keep-alive"}
)
# Pages whose status is not ``ok``, and why that is the sensible answer.
# (None since the furniture rule ignores layout modifiers such as "content-has-sidebar":
# the rosa-mag interview used to be pruned away.)
NOT_OK: dict[str, tuple[str, str]] = {}
KINOPOISK_TITLES = {
    "kinopoisk__interstellar-2014.html": "Интерстеллар",
    "kinopoisk__pirates-of-the-caribbean-2003.html": "Пираты Карибского моря",
    "kinopoisk__redacted-bez-tsenzury-2007.html": "Без цензуры",
    "kinopoisk__big-bang-theory-series.html": "Теория большого взрыва",
}
_META_CHARSET = re.compile(rb"<meta[^>]*charset=[^>]*>", re.IGNORECASE)


def manifest(corpus: Path) -> dict[str, dict[str, str]]:
    lines = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    columns = lines[0].split("\t")
    return {
        row.split("\t")[0]: dict(zip(columns, row.split("\t"), strict=False)) for row in lines[1:]
    }


def as_sent(path: Path, entry: dict[str, str]) -> Answer:
    """The answer the page's site gave, as far as the saved file tells."""
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        return Answer(200, raw, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    if raw.startswith(b"HTTP/"):
        head, body = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").splitlines()[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() not in TRANSFER_HEADERS:
                headers.setdefault(name.strip(), value.strip())
        return Answer(200, body, headers)
    content_type = "text/html"
    encoding = entry.get("encoding", "")
    if "header" in encoding.lower():
        content_type += f"; charset={encoding.split()[0]}"
    return Answer(200, raw, {"Content-Type": content_type})


def pages_of(db: Path) -> dict[str, dict[str, Any]]:
    return {
        row["requested_url"].rsplit("/", 1)[1]: row
        for row in Database(db).query("SELECT * FROM pages")
    }


def test_every_real_page_gets_a_sensible_status_in_one_crawl(tmp_path: Path) -> None:
    corpus = corpus_dir()
    entries = manifest(corpus)
    names = sorted(name for name in entries if (corpus / name).is_file())
    assert names
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        for name in names:
            server.route(f"/corpus/{name}", as_sent(corpus / name, entries[name]))
        db = tmp_path / "films.db"
        urls = [server.url(f"/corpus/{name}") for name in names]
        result = run_crawl(db, *urls, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert "Traceback" not in result.stderr

    pages = pages_of(db)
    # Further comment pages a page links to (IMDb's "reviews?start=10") are not in the
    # corpus: the server answers 404 and they are recorded as such.
    extra = {name: pages.pop(name) for name in set(pages) - set(names)}
    assert set(pages) == set(names)
    assert {(row["status"], row["http_status"]) for row in extra.values()} <= {("http_error", 404)}
    table = {
        name: (row["status"], row["encoding"], row["status_reason"]) for name, row in pages.items()
    }
    for name, row in pages.items():
        expected = NOT_OK.get(name, ("ok", ""))[0]
        assert row["status"] == expected, (name, table[name])
    films = (
        Database(db).execute("SELECT count(*) FROM pages WHERE film_id IS NOT NULL").fetchone()[0]
    )
    assert films >= len(KINOPOISK_TITLES)
    stats = json.loads(next(Database(db).query("SELECT stats FROM crawl_runs"))["stats"])
    assert stats["filmcrawl/store/pages_attempted"] == len(names) + len(extra)
    # The status of every page, for the record (``pytest -s`` prints it).
    for name in names:
        print(f"{name}\t{table[name][0]}\t{table[name][1]}\t{table[name][2]}")


def test_kinopoisk_windows_1251_with_and_without_a_charset(tmp_path: Path) -> None:
    corpus = corpus_dir()
    entries = manifest(corpus)
    names = [name for name in KINOPOISK_TITLES if (corpus / name).is_file()]
    if not names:
        pytest.skip("no KinoPoisk pages in the corpus")
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        for name in names:
            server.route(f"/as-sent/{name}", as_sent(corpus / name, entries[name]))
            bare = _META_CHARSET.sub(b"", (corpus / name).read_bytes())
            server.route(f"/no-charset/{name}", Answer(200, bare, {"Content-Type": "text/html"}))
        db = tmp_path / "films.db"
        urls = [server.url(f"/{how}/{name}") for name in names for how in ("as-sent", "no-charset")]
        result = run_crawl(db, *urls)
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    database = Database(db)
    rows = {row["url"].split("/", 3)[3]: row for row in database.query("SELECT * FROM pages")}
    for name in names:
        for how, source in (("as-sent", "header"), ("no-charset", "detected")):
            row = rows[f"{how}/{name}"]
            assert (row["status"], row["encoding"], row["encoding_source"]) == (
                "ok",
                "cp1251",
                source,
            ), name
            assert KINOPOISK_TITLES[name] in (row["title"] or "") + (row["clean_text"] or "")
            assert "\ufffd" not in row["clean_text"]
            languages = [
                c["lang"]
                for c in database.query(
                    "SELECT lang FROM comments WHERE page_url = ?", [row["url"]]
                )
            ]
            assert len(languages) == 10
            assert languages.count("ru") >= 9, languages
