"""Bad input, unit by unit (issue 6): how a failed fetch is classified, which redirects
are followed, what a page without film evidence turns out to be, and that the
extraction time limit holds. The end-to-end crawls are in ``test_e2e_bad_input.py``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_errors

from crawler.cli.main import main
from crawler.fetch.failures import classify_failure
from crawler.fetch.network_guard import NetworkRefusedError
from crawler.fetch.network_policy import NetworkGuard
from crawler.fetch.redirects import (
    RedirectLoopError,
    RedirectOffsiteError,
    RedirectRefusedError,
    _check_redirect,
    same_site,
)
from crawler.process.page import FetchedPage, process_html, process_page, time_limit
from crawler.process.triage import triage_page
from schemas.records import PAGE_STATUSES, FactRecord, PageRecord
from tests.helpers.faults import ENGLISH, article, commented_page, page
from tests.helpers.servers import film_page

# --- fetch failures ----------------------------------------------------------------------


def http_error(status: int) -> HttpError:
    return HttpError(Response("http://x/", status=status), "Ignoring non-200 response")


@pytest.mark.parametrize(
    ("error", "status", "event"),
    [
        (http_error(503), "http_error", "http/503"),
        (NetworkRefusedError("network guard: private_address"), "blocked", "blocked/network_guard"),
        (IgnoreRequest("Forbidden by robots.txt"), "blocked", "blocked/robots_txt"),
        (IgnoreRequest("something else"), "blocked", "blocked/other"),
        (IgnoreRequest("max redirections reached"), "redirect_loop", "redirect/loop"),
        (
            IgnoreRequest(
                "Ignored response <200 http://x/> because its body (65269 B compressed, "
                "33554433 B decompressed so far) exceeded DOWNLOAD_MAXSIZE (33554432 B) "
                "during decompression."
            ),
            "too_large",
            "fetch/too_large/decompressed",
        ),
        (
            DownloadCancelledError(
                "Expected to receive 41943040 bytes which is larger than download max size "
                "(33554432) in request <GET http://x/>."
            ),
            "too_large",
            "fetch/too_large/download",
        ),
        (DownloadCancelledError("cancelled"), "fetch_error", "fetch/other"),
        (
            DownloadTimeoutError("Getting http://x/ took longer than 3 seconds."),
            "fetch_error",
            "fetch/timeout",
        ),
        (twisted_errors.TimeoutError(), "fetch_error", "fetch/timeout"),
        (ResponseDataLossError(), "truncated", "fetch/truncated"),
        (CannotResolveHostError("films.invalid"), "fetch_error", "fetch/dns"),
        (twisted_errors.DNSLookupError("films.invalid"), "fetch_error", "fetch/dns"),
        (DownloadConnectionRefusedError(), "fetch_error", "fetch/connection"),
        (twisted_errors.ConnectionRefusedError(), "fetch_error", "fetch/connection"),
        (ValueError("odd"), "fetch_error", "fetch/other"),
        (None, "fetch_error", "fetch/other"),
    ],
)
def test_every_failure_gets_a_status_and_an_event(
    error: BaseException | None, status: str, event: str
) -> None:
    failure = classify_failure(error)
    assert (failure.status, failure.event) == (status, event)
    assert failure.status in PAGE_STATUSES
    assert failure.reason
    assert len(failure.reason) <= 500


def test_http_errors_keep_their_status_code() -> None:
    assert classify_failure(http_error(404)).http_status == 404
    assert classify_failure(RedirectOffsiteError("x", 301, "https://y/")).http_status == 301
    assert classify_failure(RedirectRefusedError("network guard: x", 302)).http_status == 302


# --- redirects -------------------------------------------------------------------------------


def crawler_with(may_follow: bool = False) -> SimpleNamespace:
    guard = NetworkGuard.from_start_urls(["http://example.org/a"])
    return SimpleNamespace(
        spider=SimpleNamespace(may_follow=lambda url: may_follow, network_guard=lambda: guard),
        stats=None,
    )


def page_request(url: str, *chain: str) -> Request:
    meta = {"filmcrawl": {"kind": "seed"}, "redirect_urls": list(chain)}
    return Request(url, meta=meta)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("http://example.org/a", "https://example.org/a"),
        ("http://example.org/a", "https://www.example.org/b"),
        ("https://www.example.org/a", "http://example.org/a?x=1"),
        ("http://127.0.0.1:8000/old", "http://127.0.0.1:8000/new"),
    ],
)
def test_redirects_on_the_same_site_are_followed(source: str, target: str) -> None:
    assert same_site(source, target)
    _check_redirect(crawler_with(), page_request(source), target, 301, 10)


@pytest.mark.parametrize(
    "target",
    [
        "https://films.example.com/a",
        "http://example.org.evil.test/",
        "http://m.example.org/a",
        "http://example.org:8080/a",
    ],
)
def test_redirects_to_another_site_are_not_followed(target: str) -> None:
    with pytest.raises(RedirectOffsiteError) as refused:
        _check_redirect(crawler_with(), page_request("http://example.org/a"), target, 302, 10)
    assert refused.value.target == target
    assert refused.value.http_status == 302
    assert "--allow-domain" in str(refused.value)


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.1/", "loopback_address"),
        ("http://localhost:8000/", "loopback_address"),
        ("http://10.1.2.3/admin", "private_address"),
        ("http://169.254.169.254/latest/meta-data/", "link_local_address"),
    ],
)
def test_redirects_into_private_networks_are_blocked(target: str, reason: str) -> None:
    with pytest.raises(NetworkRefusedError, match=f"network guard: {reason} \\(redirect to"):
        _check_redirect(crawler_with(), page_request("http://example.org/a"), target, 302, 10)


def test_in_loopback_only_mode_a_public_target_is_offsite_and_a_private_one_blocked() -> None:
    crawler = crawler_with()
    guard = NetworkGuard.from_start_urls(["http://127.0.0.1:8000/"], loopback_only=True)
    crawler.spider.network_guard = lambda: guard
    start = page_request("http://127.0.0.1:8000/a")
    with pytest.raises(RedirectOffsiteError):
        _check_redirect(crawler, start, "https://films.example.org/", 301, 10)
    with pytest.raises(NetworkRefusedError, match="private_address"):
        _check_redirect(crawler, start, "http://192.168.0.1/", 301, 10)


def test_redirects_to_hosts_the_user_allowed_are_followed() -> None:
    _check_redirect(
        crawler_with(may_follow=True),
        page_request("http://example.org/a"),
        "https://b.test/",
        301,
        10,
    )


def test_a_redirect_back_to_a_visited_url_is_a_loop() -> None:
    request = page_request("http://example.org/b", "http://example.org/a")
    with pytest.raises(RedirectLoopError, match=r"redirect loop: .*/a -> .*/b -> .*/a"):
        _check_redirect(crawler_with(), request, "http://example.org/a#top", 301, 10)
    with pytest.raises(RedirectLoopError):
        _check_redirect(
            crawler_with(), page_request("http://example.org/a"), "http://example.org/a", 302, 10
        )


def test_a_chain_longer_than_the_limit_is_refused() -> None:
    chain = [f"http://example.org/{n}" for n in range(3)]
    request = page_request("http://example.org/3", *chain)
    with pytest.raises(RedirectLoopError, match="more than 3 redirects"):
        _check_redirect(crawler_with(), request, "http://example.org/4", 302, 3)


def test_requests_without_filmcrawl_meta_keep_scrapys_rules() -> None:
    robots = Request("http://example.org/robots.txt")
    _check_redirect(crawler_with(), robots, "https://other.test/robots.txt", 301, 10)


def test_the_guard_refuses_what_a_page_links_to_on_private_networks() -> None:
    """The network guard's own decision on URLs a hostile page links to."""
    guard = NetworkGuard.from_start_urls(["http://127.0.0.1:8000/film"])
    refused = {
        "http://127.0.0.1:9000/": "port_not_allowed",
        "http://localhost:8000/": "loopback_address",
        "http://[::1]:8000/": "loopback_address",
        "http://10.0.0.1/": "private_address",
        "http://192.168.1.1/": "private_address",
        "http://169.254.169.254/latest/meta-data/": "link_local_address",
        "http://metadata.google.internal/": "internal_name",
        "file:///etc/passwd": "bad_scheme",
    }
    for url, reason in refused.items():
        decision = guard.check(url)
        assert (decision.allowed, decision.reason) == (False, reason), url
    assert guard.check("http://127.0.0.1:8000/other").allowed


# --- triage: what a page without film evidence is --------------------------------------------


def triage(html: str, **found: object) -> str | None:
    verdict = triage_page(html, PageRecord(url="http://x/film", **found))  # type: ignore[arg-type]
    return None if verdict is None else verdict.status


@pytest.mark.parametrize(
    "title",
    [
        "404 Not Found",
        "404",
        "404 - Cinema Blog",
        "Cinema Blog | Error 404",
        "Page not found – Cinema Blog",
        "Error 404 | Films",
        "Oops! That page can’t be found.",
        "This film no longer exists",
        "Seite nicht gefunden",
        "Página no encontrada",
        "Страница не найдена",
        "ページが見つかりません",
        "페이지를 찾을 수 없습니다",
    ],
)
def test_soft_404_titles(title: str) -> None:
    assert triage(page(title, article("Sorry", "Try the search box."))) == "soft_404"


@pytest.mark.parametrize(
    "title",
    [
        "Lost and Found (1979)",
        "Error Code: Zero",
        "404 Films presents: The Long Night",
        "Found Footage",
    ],
)
def test_titles_that_only_look_like_a_404_are_not(title: str) -> None:
    assert triage(page(title, article(title, ENGLISH, ENGLISH))) is None


def test_film_evidence_outranks_every_rule() -> None:
    html = page("Page not found", "<p>Try the search box.</p>")
    fact = FactRecord("title", "Page Not Found")
    assert triage(html) == "soft_404"
    assert triage(html, facts=[fact]) is None


def test_a_film_page_with_a_cookie_banner_is_a_film_page() -> None:
    banner = (
        '<div class="cookie-banner">We and our partners use cookies to personalise ads.'
        " Accept all cookies or manage your privacy settings.<button>Accept all</button></div>"
    )
    item = process_html("http://x/film", film_page().replace("<body>", "<body>" + banner))
    assert item.status == "ok"
    assert item.facts


def test_a_long_article_mentioning_cookies_is_not_a_consent_wall() -> None:
    text = "Our privacy policy: we use cookies. Accept all? " + ENGLISH * 12
    assert triage(page("Review", article("Review", text))) is None


def test_a_page_with_a_noscript_notice_but_real_text_is_not_a_javascript_shell() -> None:
    html = page("Film", "<noscript>Please enable JavaScript.</noscript>" + article("Film", ENGLISH))
    assert triage(html, clean_text=ENGLISH) is None


def test_an_empty_app_shell_needs_javascript() -> None:
    html = page("App", '<div id="__next"></div><script src="/_next/main.js"></script>')
    assert triage(html) == "no_content"


def test_a_javascript_only_page_is_not_stored_as_a_film() -> None:
    html = page(
        "Miracle in Cell No. 7 (2013) | FilmApp",
        '<noscript>You need to enable JavaScript to run this app.</noscript><div id="root">'
        '</div><script src="/static/js/main.js"></script>',
        head='<meta property="og:title" content="Miracle in Cell No. 7">',
    )
    item = process_html("http://x/film", html)
    assert (item.status, item.status_reason) == (
        "no_content",
        "page needs JavaScript: no text without running its scripts",
    )
    assert not item.facts and not item.titles and not item.comments
    assert item.events == {"triage/needs_javascript": 1}


def test_a_commented_page_is_never_triaged() -> None:
    html = commented_page("Page not found", [("A", "A real comment about a film.")])
    assert process_html("http://x/p", html).status == "ok"


# --- time limit --------------------------------------------------------------------------------


@pytest.mark.timeout(60)  # a limit that never fires leaves the loop below running
def test_the_time_limit_cannot_be_swallowed_by_a_broad_except() -> None:
    # Regression (issue 6): ExtractionTimeoutError was an Exception, and the except that
    # keeps one failing extractor from costing the page swallowed it: a 20 MB page then
    # ran for minutes instead of seconds.
    with pytest.raises(BaseException) as raised, time_limit(0.2):
        try:
            while True:
                time.sleep(0.01)
        except Exception:  # what an extractor's guard does
            pytest.fail("the time limit was caught as an ordinary Exception")
    assert type(raised.value).__name__ == "ExtractionTimeoutError"


def test_a_page_past_the_time_limit_is_extract_failed() -> None:
    body = page("Big", "<div class='row'><p>word word word</p></div>" * 200_000).encode()
    item = process_page(
        FetchedPage(
            "http://x/big", "http://x/big", 200, body, "", "text/html", extract_timeout=0.05
        )
    )
    assert (item.status, item.events) == ("extract_failed", {"extract/timeout": 1})
    assert "FILMCRAWL_EXTRACT_TIMEOUT" in item.status_reason


# --- text from pages on a terminal --------------------------------------------------------------


def test_eval_prints_page_text_literally(tmp_path: Path) -> None:
    # Regression (issue 6): eval printed its problems with rich markup on, so a page
    # title "[/yellow] [link=...]" was obeyed instead of shown.
    hostile = "[bold red]Hacked[/bold red] [/yellow] [link=http://evil.test]x[/link]"
    (tmp_path / "p.html").write_text(page(hostile, article(hostile, ENGLISH)), encoding="utf-8")
    (tmp_path / "p.json").write_text(
        json.dumps({"url": "https://example.org/x", "title": "Expected"}), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["eval", str(tmp_path)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert f"unexpected [{hostile!r}]" in result.output
