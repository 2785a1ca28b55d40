"""Bad input end to end (issue 6): every broken page gets a ``pages`` row with a status
that says what happened, the reason is logged and counted in the run's stats, the
crawl goes on, and nothing stored earlier is lost or duplicated.

One crawl serves the whole catalogue of :mod:`tests.helpers.faults` from a scripted
server on 127.0.0.1 (after a first crawl has stored two good pages into the same
database); the parametrised tests then read each page's row. Every crawl is the real
``filmcrawl crawl`` over HTTP.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from crawler.run.status import EXIT_OK
from schemas.records import PAGE_STATUSES
from tests.helpers.crawl import CrawlResult, run_crawl
from tests.helpers.faults import (
    EMOJI_ONLY,
    SCRIPT_TEXT,
    SQL_INJECTION,
    Fault,
    commented_page,
    faults,
)
from tests.helpers.servers import Answer, ScriptedServer, film_page, scripted_server

pytestmark = pytest.mark.slow

FAULT_NAMES = [fault.name for fault in faults(1)]

# Small limits so the slow cases are quick: a 6 s answer times out after 3 s, the
# 20 MB page's extraction is cut after 4 s; a flaky page gets one retry.
FAULT_CRAWL_SETTINGS = (
    "-s",
    "DOWNLOAD_TIMEOUT=3",
    "-s",
    "FILMCRAWL_EXTRACT_TIMEOUT=4",
    "-s",
    "RETRY_TIMES=1",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s",
    "FILMCRAWL_MAX_ERROR_RATE=1",
)
ROBOTS_TXT = Answer(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
GOOD_COMMENTS = [
    ("Mina", "I cried through the whole second half of this film."),
    ("Joon", "The little girl was wonderful, what a performance."),
]
# Columns of a stored record that a later crawl may move (it saw the record again).
MOVING_COLUMNS = frozenset(
    {
        "last_seen",
        "last_fetched",
        "status",
        "status_reason",
        "http_status",
        "source_count",
        "last_run_id",
        "fetch_ms",
        "extract_ms",
    }
)


@dataclass
class FaultCrawl:
    db: Path
    server: ScriptedServer
    other: ScriptedServer
    cases: dict[str, Fault]
    good_urls: list[str]
    before: dict[str, list[dict[str, Any]]]
    first: CrawlResult
    result: CrawlResult

    @property
    def database(self) -> Database:
        return Database(self.db)

    def row(self, fault: Fault) -> dict[str, Any]:
        url = self.server.url(fault.row_path or fault.path)
        rows = list(self.database.query("SELECT * FROM pages WHERE url = ?", [url]))
        assert rows, f"no pages row for {url}"
        return rows[0]

    @property
    def stats(self) -> dict[str, Any]:
        run = next(self.database.query("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1"))
        stats: dict[str, Any] = json.loads(run["stats"])
        return stats


def records_of(db: Database, urls: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every stored record of ``urls``, without the columns a re-crawl may move."""
    marks = ", ".join("?" for _ in urls)
    queries = {
        "pages": f"SELECT * FROM pages WHERE url IN ({marks})",
        "facts": f"SELECT * FROM facts WHERE source_url IN ({marks})",
        "credits": f"SELECT * FROM credits WHERE source_url IN ({marks})",
        "film_titles": f"SELECT * FROM film_titles WHERE source_url IN ({marks})",
        "comments": f"SELECT * FROM comments WHERE page_url IN ({marks})",
        "films": "SELECT * FROM films WHERE id IN "
        f"(SELECT film_id FROM pages WHERE url IN ({marks}))",
    }
    return {
        table: sorted(
            (
                {k: v for k, v in row.items() if k not in MOVING_COLUMNS}
                for row in db.query(sql, urls)
            ),
            key=lambda row: json.dumps(row, sort_keys=True, default=str),
        )
        for table, sql in queries.items()
    }


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultCrawl]:
    with scripted_server() as server, scripted_server() as other:
        other.route("/steal", Answer.html(film_page("Stolen")))
        cases = {fault.name: fault for fault in faults(other.port)}
        server.route("/robots.txt", ROBOTS_TXT)
        server.route("/good/film", Answer.html(film_page()))
        server.route("/good/comments", Answer.html(commented_page("Good Film", GOOD_COMMENTS)))
        for fault in cases.values():
            server.route(fault.path, fault.answer)
            for path, answer in fault.extra_routes.items():
                server.route(path, answer)
        db = tmp_path_factory.mktemp("faults") / "films.db"
        good_urls = [server.url("/good/film"), server.url("/good/comments")]

        first = run_crawl(db, *good_urls)
        assert first.returncode == EXIT_OK, first.stderr[-3000:]
        before = records_of(Database(db), good_urls)

        fault_urls = [server.url(fault.path) for fault in cases.values()]
        result = run_crawl(db, *good_urls, *fault_urls, *FAULT_CRAWL_SETTINGS)
        yield FaultCrawl(db, server, other, cases, good_urls, before, first, result)


# --- every case ----------------------------------------------------------------------------


def test_the_crawl_finishes_and_covers_the_catalogue(fault_crawl: FaultCrawl) -> None:
    assert fault_crawl.result.returncode == EXIT_OK, fault_crawl.result.stderr[-3000:]
    assert "Traceback" not in fault_crawl.result.stderr
    assert len(fault_crawl.cases) >= 30
    assert {fault.status for fault in fault_crawl.cases.values()} <= set(PAGE_STATUSES)
    run = next(fault_crawl.database.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))
    assert (run["status"], run["exit_code"]) == ("finished", EXIT_OK)


@pytest.mark.parametrize("name", FAULT_NAMES)
def test_fault_page_is_recorded_with_what_happened(fault_crawl: FaultCrawl, name: str) -> None:
    fault = fault_crawl.cases[name]
    row = fault_crawl.row(fault)
    stats = fault_crawl.stats

    assert row["status"] == fault.status, row["status_reason"]
    assert fault.reason in row["status_reason"]
    if fault.row_path:
        assert row["requested_url"] == fault_crawl.server.url(fault.path)
    if fault.event:
        assert stats.get(f"filmcrawl/{fault.event}", 0) >= 1, fault.event
    if fault.status != "ok":
        assert stats[f"filmcrawl/pages/failed/{fault.status}"] >= 1
        logged = f"{row['url']}: {fault.status}"
        assert logged in fault_crawl.result.stderr
        # A page that is not a film page is never stored as one.
        assert row["film_id"] is None
        assert row["clean_text"] is None
        for table in ("facts", "credits", "film_titles"):
            assert fault_crawl.database[table].count_where("source_url = ?", [row["url"]]) == 0
        assert fault_crawl.database["comments"].count_where("page_url = ?", [row["url"]]) == 0


def test_failures_are_counted_per_status(fault_crawl: FaultCrawl) -> None:
    stats = fault_crawl.stats
    expected: dict[str, int] = {}
    for fault in fault_crawl.cases.values():
        if fault.status != "ok":
            expected[fault.status] = expected.get(fault.status, 0) + 1
    counted = {
        key.removeprefix("filmcrawl/pages/failed/"): value
        for key, value in stats.items()
        if key.startswith("filmcrawl/pages/failed/")
    }
    assert counted == expected
    run = next(fault_crawl.database.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))
    assert run["pages_failed"] == sum(expected.values())


def test_each_event_is_counted_once(fault_crawl: FaultCrawl) -> None:
    # Regression (issue 6): the pipeline stages and the store both counted the events
    # of the clean, language and dedupe stages.
    stats = fault_crawl.stats
    assert stats["filmcrawl/clean/comment_truncated"] == 1
    assert stats["filmcrawl/dedupe/comment_repeated_on_page"] == 1
    assert stats["filmcrawl/triage/consent_wall"] == 1
    assert stats["filmcrawl/decode/declaration_overridden"] == 2


def test_good_pages_stored_earlier_survive_untouched(fault_crawl: FaultCrawl) -> None:
    after = records_of(fault_crawl.database, fault_crawl.good_urls)
    assert after == fault_crawl.before
    assert len(fault_crawl.before["comments"]) == len(GOOD_COMMENTS)
    statuses = {
        row["status"]
        for row in fault_crawl.database.query(
            "SELECT status FROM pages WHERE url IN (?, ?)", fault_crawl.good_urls
        )
    }
    assert statuses == {"unchanged"}


def test_nothing_is_stored_twice(fault_crawl: FaultCrawl) -> None:
    db = fault_crawl.database
    for table, key in (
        ("comments", "page_url, author, text"),
        ("facts", "source_url, field, value"),
    ):
        duplicated = db.execute(
            f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY {key} HAVING count(*) > 1)"
        ).fetchone()[0]
        assert duplicated == 0, table
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- what the stored text looks like ---------------------------------------------------------


def page_row(crawl: FaultCrawl, name: str) -> dict[str, Any]:
    return crawl.row(crawl.cases[name])


def comments_of(crawl: FaultCrawl, name: str) -> list[dict[str, Any]]:
    url = crawl.row(crawl.cases[name])["url"]
    return list(
        crawl.database.query("SELECT * FROM comments WHERE page_url = ? ORDER BY position", [url])
    )


@pytest.mark.parametrize(
    ("name", "encoding", "source", "snippet"),
    [
        ("euc_kr_no_charset", "cp949", "detected", "7번방의 선물"),
        ("shift_jis_no_charset", "cp932", "detected", "東京物語"),
        ("windows_1251_no_charset", "cp1251", "detected", "Сталкер"),
        ("windows_1252_no_charset", "cp1252", "detected", "Amélie"),
        ("utf8_header_over_windows_1252", "cp1252", "detected", "Amélie"),
        ("utf8_header_over_euc_kr", "cp949", "detected", "7번방의 선물"),
        ("utf16_with_bom", "utf-16-le", "bom", "Amélie"),
        ("gzip_page", "utf-8", "header", "Gzipped Film"),
    ],
)
def test_encoding_is_decided_once_and_recorded(
    fault_crawl: FaultCrawl, name: str, encoding: str, source: str, snippet: str
) -> None:
    row = page_row(fault_crawl, name)
    assert (row["encoding"], row["encoding_source"]) == (encoding, source)
    assert row["title"] == snippet
    assert row["replacement_ratio"] == 0
    assert "\ufffd" not in (row["clean_text"] or "")


def test_japanese_without_charset_is_japanese_not_korean(fault_crawl: FaultCrawl) -> None:
    row = page_row(fault_crawl, "shift_jis_no_charset")
    assert row["lang"] == "ja"
    assert "小津安二郎" in row["clean_text"]
    assert not re.search("[\uac00-\ud7a3]", row["clean_text"])  # no Hangul


def test_korean_without_charset_is_korean(fault_crawl: FaultCrawl) -> None:
    row = page_row(fault_crawl, "euc_kr_no_charset")
    assert row["lang"] == "ko"
    assert "류승룡" in row["clean_text"]


def test_text_full_of_replacement_characters_is_marked(fault_crawl: FaultCrawl) -> None:
    row = page_row(fault_crawl, "full_of_replacement_characters")
    assert row["replacement_ratio"] > 0.5
    assert "U+FFFD" in row["status_reason"]
    clean = [
        row["url"]
        for row in fault_crawl.database.query(
            "SELECT url FROM pages WHERE replacement_ratio > 0.02"
        )
    ]
    assert row["url"] in clean
    assert fault_crawl.row(fault_crawl.cases["euc_kr_no_charset"])["url"] not in clean


def test_control_and_invisible_characters_are_removed(fault_crawl: FaultCrawl) -> None:
    row = page_row(fault_crawl, "nul_control_zero_width")
    texts = [row["title"], row["clean_text"]]
    texts += [c["text"] for c in comments_of(fault_crawl, "nul_control_zero_width")]
    texts += [c["author"] for c in comments_of(fault_crawl, "nul_control_zero_width")]
    assert len(texts) == 6
    for text in texts:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\ufeff]", text)
    assert row["title"] == "Zerowidth and controls"
    assert "Miracle in Cell No. 7" in row["clean_text"]
    # A NUL becomes U+FFFD (as HTML parsers read it), and counts as undecodable.
    assert "Great film with\ufffd a NUL and backspace." in texts
    assert row["replacement_ratio"] > 0


def test_lone_surrogates_never_reach_the_database(fault_crawl: FaultCrawl) -> None:
    row = page_row(fault_crawl, "lone_surrogates")
    assert row["encoding"] == "utf-8"
    assert "Amélie" in row["clean_text"]
    comments = comments_of(fault_crawl, "lone_surrogates")
    assert comments
    for text in [row["title"], row["clean_text"], *(c["text"] for c in comments)]:
        assert not re.search("[\ud800-\udfff]", text)
        text.encode("utf-8")  # strict: would raise on a surrogate


def test_a_one_megabyte_comment_is_stored_truncated_and_flagged(fault_crawl: FaultCrawl) -> None:
    (comment,) = comments_of(fault_crawl, "one_megabyte_comment")
    assert comment["truncated"] == 1
    assert len(comment["text"]) == 20_000
    assert comment["text"].startswith("This film made me think.")


def test_emoji_only_comments_are_stored_without_a_language(fault_crawl: FaultCrawl) -> None:
    comments = comments_of(fault_crawl, "emoji_only_comments")
    assert [c["text"] for c in comments] == list(EMOJI_ONLY)
    assert {c["lang"] for c in comments} == {"und"}


def test_markup_in_comments_is_stored_as_plain_text(fault_crawl: FaultCrawl) -> None:
    texts = {
        c["author"]: c["text"] for c in comments_of(fault_crawl, "html_and_script_in_comments")
    }
    # What the commenter typed as text stays text, verbatim.
    assert texts["Escaper"] == f"{SCRIPT_TEXT} was typed as text, not run."
    # Markup is reduced to its text; script and style elements are not text at all.
    assert texts["Tagger"] == "Markup bold, italic and a link inside."
    assert "alert" not in texts["Scripter"] and "<img" not in texts["Scripter"]
    assert "display:none" not in texts["Styler"]
    assert "&lt;iframe&gt;" not in texts["Styler"] and "<iframe>" in texts["Styler"]


def test_sql_like_strings_are_stored_verbatim(fault_crawl: FaultCrawl) -> None:
    comments = comments_of(fault_crawl, "sql_injection_strings")
    assert [c["text"] for c in comments] == list(SQL_INJECTION)
    assert {c["author"] for c in comments} == {SQL_INJECTION[1]}
    assert page_row(fault_crawl, "sql_injection_strings")["title"] == "x'); DROP TABLE films;--"
    tables = set(fault_crawl.database.table_names())
    assert {"comments", "films", "pages"} <= tables
    assert "pwned" not in {
        f["title"] for f in fault_crawl.database.query("SELECT title FROM films")
    }


def test_a_comment_repeated_on_a_page_is_stored_once(fault_crawl: FaultCrawl) -> None:
    comments = comments_of(fault_crawl, "duplicate_comments")
    assert [c["author"] for c in comments] == ["Repeater", "Other"]


def test_malformed_json_ld_does_not_cost_the_rest_of_the_page(fault_crawl: FaultCrawl) -> None:
    row = page_row(fault_crawl, "malformed_json_ld")
    assert "Miracle in Cell No. 7" in row["clean_text"]
    facts = {
        (fact["field"], fact["value"])
        for fact in fault_crawl.database.query(
            "SELECT field, value FROM facts WHERE source_url = ?", [row["url"]]
        )
    }
    assert {
        ("title", "The Wandering Earth"),
        ("director", "Frant Gwo"),
        ("release_date", "2019-02-05"),
    } <= facts
    assert row["film_id"] is not None
    (comment,) = comments_of(fault_crawl, "malformed_json_ld")
    assert comment["author"] == "Li"
    assert comment["extractor"] == "structured-comments"


def test_redirects_to_other_ports_and_private_addresses_are_never_requested(
    fault_crawl: FaultCrawl,
) -> None:
    assert fault_crawl.other.log == []
    stats = fault_crawl.stats
    assert stats["filmcrawl/netguard/refused/port_not_allowed"] == 1
    assert stats["filmcrawl/netguard/refused/link_local_address"] == 1


def test_a_redirect_within_the_site_is_followed(fault_crawl: FaultCrawl) -> None:
    row = page_row(fault_crawl, "redirect_within_site")
    assert row["title"] == "Moved Film"


def test_a_flaky_page_is_retried(fault_crawl: FaultCrawl) -> None:
    assert len(fault_crawl.server.requests_for("/faults/flaky")) == 2
    assert page_row(fault_crawl, "http_500_then_200")["title"] == "Flaky Film"


# --- links from a page to private addresses --------------------------------------------------


def test_links_to_private_addresses_are_not_followed(tmp_path: Path) -> None:
    """A page on 127.0.0.1 links to a second loopback port, localhost, private and
    link-local addresses; with ``--follow`` only its own site's link is fetched."""
    with scripted_server() as server, scripted_server() as other:
        other.route("/steal", Answer.html(film_page("Stolen")))
        fault = next(f for f in faults(other.port) if f.name == "links_to_private_addresses")
        server.route("/robots.txt", Answer(404))
        server.route(fault.path, fault.answer)
        for path, answer in fault.extra_routes.items():
            server.route(path, answer)
        db = tmp_path / "films.db"
        result = run_crawl(db, server.url(fault.path), "--follow")
        assert result.returncode == EXIT_OK, result.stderr[-3000:]
        assert other.log == []
        assert server.requests_for("/faults/linked-film")
    urls = {row["url"] for row in Database(db).query("SELECT url FROM pages")}
    assert urls == {server.url(fault.path), server.url("/faults/linked-film")}
    frontier = {row["url"] for row in Database(db).query("SELECT url FROM frontier")}
    assert not any(str(other.port) in url or "169.254" in url for url in frontier)


# --- a page that was good and later breaks -------------------------------------------------


LATER_BROKEN = {
    "/later/server-error": Answer(500),
    "/later/soft-404": Answer.html(
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
    ),
    "/later/consent": Answer.html(
        "<html><head><title>Cookies</title></head><body><p>We and our partners use cookies to"
        " store personal data. Accept all cookies to continue, or manage your privacy"
        " settings.</p><button>Accept all</button></body></html>"
    ),
    "/later/empty": Answer(200, b""),
    "/later/cut": Answer(200, film_page().encode("utf-8"), truncate_at=100),
    "/later/moved-away": Answer(301, b"", {"Location": "https://elsewhere.example/film"}),
}


def test_a_page_that_breaks_later_keeps_what_was_stored(tmp_path: Path) -> None:
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        for number, (path, broken) in enumerate(LATER_BROKEN.items()):
            good = Answer.html(
                commented_page(f"Later Film {number}", GOOD_COMMENTS, head=_movie(number))
            )
            server.route(path, [good, broken])
        urls = [server.url(path) for path in LATER_BROKEN]
        db = tmp_path / "films.db"
        retries = ("-s", "RETRY_TIMES=0", "-s", "FILMCRAWL_MAX_ERROR_RATE=1")
        assert run_crawl(db, *urls, *retries).returncode == EXIT_OK
        before = records_of(Database(db), urls)
        first_rows = {row["url"]: row for row in Database(db).query("SELECT * FROM pages")}
        second = run_crawl(db, *urls, *retries)
        assert second.returncode == EXIT_OK, second.stderr[-3000:]
    database = Database(db)
    statuses = {
        row["url"].rsplit("/", 1)[1]: row["status"] for row in database.query("SELECT * FROM pages")
    }
    assert statuses == {
        "server-error": "http_error",
        "soft-404": "soft_404",
        "consent": "interstitial",
        "empty": "no_content",
        "cut": "truncated",
        "moved-away": "redirect_offsite",
    }
    assert all(row["status"] == "ok" for row in first_rows.values())
    after = records_of(database, urls)
    assert after == before  # titles, text, facts, comments: all still there, none doubled
    assert len(after["comments"]) == len(GOOD_COMMENTS) * len(LATER_BROKEN)
    for row in database.query("SELECT * FROM pages"):
        assert row["last_fetched"] >= first_rows[row["url"]]["last_fetched"]
        assert row["status_reason"]


def _movie(number: int) -> str:
    movie = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": f"Later Film {number}",
        "datePublished": f"{2000 + number}-05-01",
        "director": {"@type": "Person", "name": "Kim Ji-woon"},
    }
    return f'<script type="application/ld+json">{json.dumps(movie)}</script>'
