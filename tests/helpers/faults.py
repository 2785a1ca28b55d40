"""Broken pages for the fault-serving server: every way a page can be bad, as
:class:`~tests.helpers.servers.Answer` scripts, with the status filmcrawl must record.

``FAULTS`` is the catalogue the end-to-end test serves in one crawl; each case is one
path on a :func:`~tests.helpers.servers.scripted_server`. Pages are built here from
small templates (no files), in the encodings and shapes the cases need.
"""

from __future__ import annotations

import gzip
import html
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.servers import Answer, LoggedRequest, film_page

DATA = Path(__file__).resolve().parents[1] / "data" / "decode"

KOREAN = (DATA / "ko_miracle_in_cell_no_7.txt").read_text(encoding="utf-8")
JAPANESE = (DATA / "ja_tokyo_story.txt").read_text(encoding="utf-8")
RUSSIAN = (DATA / "ru_stalker.txt").read_text(encoding="utf-8")
FRENCH = (
    "Le Fabuleux Destin d’Amélie Poulain est une comédie romantique française réalisée "
    "par Jean-Pierre Jeunet, sortie en 2001. Amélie, serveuse dans un café de Montmartre, "
    "décide de faire le bonheur des gens qui l’entourent… et découvre l’amour. "
    "« Un film délicieux », écrivait la critique ; naïf, coloré, très soigné."
)
ENGLISH = (
    "Miracle in Cell No. 7 is a 2013 South Korean comedy-drama about a mentally "
    "disabled man wrongly imprisoned for murder, who builds friendships with the "
    "hardened criminals in his cell, who in return help him see his daughter again by "
    "smuggling her into the prison. The film was a great success at the box office."
)

HTML_UTF8 = "text/html; charset=utf-8"
HTML_NO_CHARSET = "text/html"

# Strings a database must store verbatim, never run.
SQL_INJECTION = (
    "Robert'); DROP TABLE comments;--",
    "1' OR '1'='1",
    '"; DELETE FROM pages WHERE "1"="1',
    "x'); UPDATE films SET title = 'pwned' WHERE ('1'='1",
)
SCRIPT_TEXT = '<script>alert("xss")</script>'
EMOJI_ONLY = ("😂😂😂", "👍👍", "🔥🔥🔥🔥", "😭❤️")


def page(
    title: str,
    body: str,
    *,
    head: str = "",
    charset: str | None = "utf-8",
) -> str:
    """A small HTML document; ``charset`` None leaves out the ``<meta charset>``."""
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>{head}</head>"
        f"<body>{body}</body></html>"
    )


def article(title: str, *paragraphs: str) -> str:
    text = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"<article><h1>{title}</h1>{text}</article>"


def comment_list(comments: list[tuple[str, str]]) -> str:
    """WordPress ``wp_list_comments()`` markup; comment text is inserted as HTML."""
    items = "".join(
        f'<li id="comment-{number}" class="comment depth-1"><article class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">{author}</b> <span class="says">says:</span></div></footer>'
        f'<div class="comment-content"><p>{text}</p></div></article></li>'
        for number, (author, text) in enumerate(comments, start=1)
    )
    return f'<div id="comments" class="comments-area"><ol class="comment-list">{items}</ol></div>'


def commented_page(title: str, comments: list[tuple[str, str]], *, head: str = "") -> str:
    return page(title, article(title, ENGLISH, ENGLISH) + comment_list(comments), head=head)


def encoded(text: str, codec: str, content_type: str = HTML_NO_CHARSET) -> Answer:
    return Answer(200, text.encode(codec), {"Content-Type": content_type})


def gzip_bomb(decompressed_mb: int = 64) -> bytes:
    """A gzip body of a few dozen KiB that decompresses to ``decompressed_mb`` MiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(b"<html><body><p>")]
    parts += [compressor.compress(chunk) for _ in range(decompressed_mb)]
    parts.append(compressor.flush())
    return b"".join(parts)


def huge_page(megabytes: int = 20) -> bytes:
    """A well-formed page of ``megabytes`` MB of nested markup and prose."""
    row = (
        "<div class='row'><div class='cell'><p>Miracle in Cell No. 7 row text with a few "
        "words about the film, its cast and its story.</p><span>more</span></div></div>\n"
    )
    rows = row * (megabytes * 1_000_000 // len(row))
    return page("A very large page", rows).encode("utf-8")


def redirect(location: str, status: int = 302) -> Answer:
    return Answer(status, b"", {"Location": location, "Content-Type": HTML_UTF8})


@dataclass
class Fault:
    """One broken page: where it is served, what it answers, the status it must get.

    ``row_path`` is the path of the ``pages`` row when it is not ``path`` (a redirect
    stores the page under the URL it ended at); ``reason`` is a snippet of the
    expected ``status_reason``; ``event`` a stats key (without ``filmcrawl/``) the run
    must count.
    """

    name: str
    path: str
    answer: Answer | list[Answer] | Callable[[LoggedRequest], Answer]
    status: str
    reason: str = ""
    event: str = ""
    row_path: str | None = None
    extra_routes: dict[str, Answer] = field(default_factory=dict)


def faults(other_port: int) -> list[Fault]:
    """The catalogue; ``other_port`` is a second loopback server nobody allowed."""
    other = f"http://127.0.0.1:{other_port}"
    private_links = "".join(
        f'<li><a href="{href}">{html.escape(href)}</a></li>'
        for href in (
            f"{other}/steal",
            f"http://localhost:{other_port}/steal",
            f"http://[::1]:{other_port}/steal",
            f"http://2130706433:{other_port}/steal",
            f"http://0x7f.1:{other_port}/steal",
            "http://10.0.0.1/admin",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://metadata.google.internal/",
            "file:///etc/passwd",
            "/faults/linked-film",
        )
    )
    json_ld_movie = (
        '{"@context": "https://schema.org", "@type": "Movie", "name": "The Wandering Earth",'
        ' "datePublished": "2019-02-05", "director": {"@type": "Person", "name": "Frant Gwo"},'
        ' "comment": [{"@type": "Comment", "author": {"@type": "Person", "name": "Li"},'
        ' "text": "The special effects were astonishing for a Chinese production."}]}'
    )
    lone_surrogates = page(
        "Surrogates &#xD800; in the title",
        article(
            "Lone surrogates",
            "A numeric reference to half a pair: &#xDC00; and &#55357; here.",
            *[FRENCH] * 4,
        )
        + comment_list([("Half", "Broken pair &#xD83D; in a comment, then text.")]),
        head='<script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "Movie", "name": "Surrogate \\ud800 Film", "comment": {"@type": "Comment",'
        ' "author": {"@type": "Person", "name": "Pair \\udc00"},'
        ' "text": "JSON escapes of lone halves \\ud83d and \\ude00 end up as text."}}</script>',
    ).encode("utf-8")
    # The raw bytes of a lone surrogate as WTF-8/CESU-8 (ED A0 80), inside valid UTF-8.
    lone_surrogates = lone_surrogates.replace(b"A numeric", b"Raw \xed\xa0\x80 bytes. A numeric")
    control = page(
        "Control\u200b characters\u00ad in\u200d the title",
        article(
            "Zero\u200bwidth\ufeff and\u2060 controls",
            "NUL \x00 byte, bell \x07, escape \x1b[31m, DEL \x7f, C1 \x85 and \x9c,"
            " entities &#0; &#1; &#x7; &#x9F; and bidi \u202eoverride\u202c here.",
            ENGLISH,
        )
        + comment_list(
            [
                ("Zero\u200bWidth", "Great\u200b film\u00a0with\x00 a NUL and\x08 backspace."),
                ("Bidi\u202e", "\u202eReversed text\u202c and a\u200d joiner."),
            ]
        ),
    ).encode("utf-8")
    replacement = page(
        "Garbled page",
        article(
            "Caf\ufffd \ufffd la carte",
            "Le r\ufffdalisateur a tourn\ufffd \ufffd Paris, \ufffd\ufffd\ufffd dit-il, "
            "un film tr\ufffds \ufffdmouvant sur la m\ufffdmoire et l\ufffdoubli.",
            ENGLISH,
        ),
    )
    consent = page(
        "Before you continue",
        '<div class="consent-wall"><h2>We value your privacy</h2>'
        "<p>We and our 842 partners use cookies and similar technologies to store and access "
        "personal data on your device, to measure audiences and show personalised ads. "
        "By clicking Accept all you consent to this; Manage settings lets you choose.</p>"
        '<form action="/consent"><button name="accept">Accept all</button>'
        '<button name="reject">Reject all</button></form></div>',
    )
    bot_check = page(
        "Just a moment...",
        '<div id="cf-browser-verification"><noscript>Please enable JavaScript and cookies to'
        " continue</noscript><h1>Checking your browser before accessing the site.</h1></div>"
        '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script>',
    )
    js_only = page(
        "FilmApp",
        '<noscript>You need to enable JavaScript to run this app.</noscript><div id="root">'
        '</div><script src="/static/js/main.4f2a.js"></script>'
        "<script>window.__INITIAL_STATE__ = {};</script>",
    )
    soft_404 = page(
        "Page not found – Cinema Blog",
        '<header><nav><a href="/">Home</a> <a href="/reviews">Reviews</a></nav></header>'
        "<main><h1>Oops! That page can’t be found.</h1><p>It looks like nothing was found at"
        " this location. Maybe try one of the links below or a search?</p>"
        '<form role="search"><input name="s"></form></main>',
    )
    soft_404_body = page(
        "Cinema Blog",
        "<main><p>Sorry, the film you are looking for could not be found. It may have"
        " been moved or deleted.</p></main>",
    )
    malformed = (
        "<html><head><title>Malformed <b>markup</title><meta charset=utf-8>"
        "<body><div><p>"
        + ENGLISH
        + "<p>Unclosed paragraph <div>inside <span>a span <table><td>cell</div></span>"
        "<p>Second paragraph with a stray < sign and & ampersand and </i> closing nothing."
        + ENGLISH
        + '</tr></table></div></div></div><a href="/x" <img src=">'
        "</body></body></html></html>"
    )
    truncated = (
        page("Truncated page", article("Truncated page", ENGLISH, ENGLISH + ENGLISH))[:-60]
        + '<div class="unfinish'
    )
    long_comment = "This film made me think. " * 45_000  # about 1.1 MB
    html_comments = [
        ("Escaper", html.escape(SCRIPT_TEXT) + " was typed as text, not run."),
        ("Tagger", "Markup <b>bold</b>, <i>italic</i> and <a href='/x'>a link</a> inside."),
        ("Scripter", f"Real {SCRIPT_TEXT} element and <img src=x onerror=alert(1)> inside."),
        ("Styler", "<style>body{display:none}</style>Styled text & an &lt;iframe&gt; tag."),
    ]
    sql_comments = [(SQL_INJECTION[1], text) for text in SQL_INJECTION]
    duplicate = "Same words, posted twice by the same person, should be stored once."
    film = film_page()
    hops = {f"/faults/hop/{n}": redirect(f"/faults/hop/{n + 1}") for n in range(1, 13)}

    return [
        # --- encodings -------------------------------------------------------------------
        Fault(
            "euc_kr_no_charset",
            "/faults/euc-kr",
            encoded(page("7번방의 선물", article("7번방의 선물", KOREAN), charset=None), "euc-kr"),
            "ok",
        ),
        Fault(
            "shift_jis_no_charset",
            "/faults/shift-jis",
            encoded(page("東京物語", article("東京物語", JAPANESE), charset=None), "shift_jis"),
            "ok",
        ),
        Fault(
            "windows_1251_no_charset",
            "/faults/windows-1251",
            encoded(page("Сталкер", article("Сталкер", RUSSIAN), charset=None), "cp1251"),
            "ok",
        ),
        Fault(
            "windows_1252_no_charset",
            "/faults/windows-1252",
            encoded(page("Amélie", article("Amélie", FRENCH), charset=None), "cp1252"),
            "ok",
        ),
        Fault(
            "utf8_header_over_windows_1252",
            "/faults/utf8-header-cp1252",
            encoded(page("Amélie", article("Amélie", FRENCH), charset=None), "cp1252", HTML_UTF8),
            "ok",
            event="decode/declaration_overridden",
        ),
        Fault(
            "utf8_header_over_euc_kr",
            "/faults/utf8-header-euc-kr",
            encoded(page("7번방의 선물", article("7번방의 선물", KOREAN)), "euc-kr", HTML_UTF8),
            "ok",
            event="decode/declaration_overridden",
        ),
        Fault(
            "utf16_with_bom",
            "/faults/utf-16",
            Answer(
                200,
                b"\xff\xfe" + page("Amélie", article("Amélie", FRENCH)).encode("utf-16-le"),
                {"Content-Type": HTML_NO_CHARSET},
            ),
            "ok",
        ),
        Fault(
            "full_of_replacement_characters",
            "/faults/replacement",
            Answer.html(replacement),
            "ok",
            reason="undecodable",
            event="decode/undecodable_text",
        ),
        # --- broken markup and bodies --------------------------------------------------
        Fault("malformed_html", "/faults/malformed", Answer.html(malformed), "ok"),
        Fault("truncated_html", "/faults/truncated", Answer.html(truncated), "ok"),
        Fault(
            "connection_cut_mid_body",
            "/faults/cut",
            Answer(200, film.encode("utf-8"), {"Content-Type": HTML_UTF8}, truncate_at=300),
            "truncated",
            reason="the body ended after 300 of",
            event="fetch/truncated",
        ),
        Fault("empty_body", "/faults/empty", Answer(200, b""), "no_content", reason="empty body"),
        Fault(
            "whitespace_body",
            "/faults/whitespace",
            Answer(200, b" \r\n\t \n"),
            "no_content",
            reason="empty body",
        ),
        Fault(
            "huge_20mb_page",
            "/faults/huge",
            Answer(200, huge_page(), {"Content-Type": HTML_UTF8}),
            "extract_failed",
            reason="FILMCRAWL_EXTRACT_TIMEOUT",
            event="extract/timeout",
        ),
        Fault(
            "gzip_bomb",
            "/faults/gzip-bomb",
            Answer(200, gzip_bomb(), {"Content-Type": HTML_UTF8, "Content-Encoding": "gzip"}),
            "too_large",
            reason="DOWNLOAD_MAXSIZE",
            event="fetch/too_large/decompressed",
        ),
        Fault(
            "declared_length_too_large",
            "/faults/too-long",
            Answer(
                200,
                b"<html>" + b" " * 4096,
                {"Content-Type": HTML_UTF8, "Content-Length": str(40 * 1024 * 1024)},
                truncate_at=4096,
            ),
            "too_large",
            reason="larger than download max size",
            event="fetch/too_large/download",
        ),
        Fault(
            "gzip_page",
            "/faults/gzip",
            Answer(
                200,
                gzip.compress(film_page("Gzipped Film").encode("utf-8")),
                {"Content-Type": HTML_UTF8, "Content-Encoding": "gzip"},
            ),
            "ok",
        ),
        Fault(
            "binary_garbage_as_html",
            "/faults/garbage",
            Answer(200, bytes(range(256)) * 64, {"Content-Type": HTML_UTF8}),
            "not_html",
        ),
        # --- redirects -------------------------------------------------------------------
        Fault(
            "redirect_loop",
            "/faults/loop-a",
            redirect("/faults/loop-b"),
            "redirect_loop",
            reason="redirect loop",
            event="redirect/loop",
            extra_routes={"/faults/loop-b": redirect("/faults/loop-a", 301)},
        ),
        Fault(
            "redirect_chain_too_long",
            "/faults/hop/1",
            hops["/faults/hop/1"],
            "redirect_loop",
            reason="more than 10 redirects",
            event="redirect/loop",
            extra_routes={path: answer for path, answer in hops.items() if path != "/faults/hop/1"},
        ),
        Fault(
            "redirect_to_other_domain",
            "/faults/moved-away",
            redirect("https://films.example.org/miracle", 301),
            "redirect_offsite",
            reason="films.example.org",
            event="redirect/offsite",
        ),
        Fault(
            "redirect_to_unallowed_loopback_port",
            "/faults/to-other-port",
            redirect(f"{other}/steal"),
            "blocked",
            reason=f"port_not_allowed (redirect to {other}/steal)",
            event="blocked/network_guard",
        ),
        Fault(
            "meta_refresh_to_private_address",
            "/faults/meta-refresh",
            Answer.html(
                page(
                    "Moved",
                    "<p>Moved.</p>",
                    head='<meta http-equiv="refresh" content="0;'
                    ' url=http://169.254.169.254/latest/meta-data/">',
                )
            ),
            "blocked",
            reason="link_local_address (redirect to http://169.254.169.254/",
            event="netguard/refused/link_local_address",
        ),
        Fault(
            "redirect_within_site",
            "/faults/old-address",
            redirect("/faults/new-address", 301),
            "ok",
            row_path="/faults/new-address",
            extra_routes={"/faults/new-address": Answer.html(film_page("Moved Film"))},
        ),
        # --- not a film page ---------------------------------------------------------------
        Fault(
            "pdf_at_html_url",
            "/faults/film.html",
            Answer(200, b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n", {"Content-Type": HTML_UTF8}),
            "not_html",
            reason="body is pdf",
        ),
        Fault(
            "image_at_html_url",
            "/faults/poster.html",
            Answer(200, b"\x89PNG\r\n\x1a\n" + bytes(200), {"Content-Type": HTML_UTF8}),
            "not_html",
            reason="body is image",
        ),
        Fault(
            "json_at_html_url",
            "/faults/api.html",
            Answer(200, b'{"title": "Miracle"}', {"Content-Type": "application/json"}),
            "not_html",
            reason="body is json",
        ),
        Fault(
            "soft_404",
            "/faults/soft-404",
            Answer.html(soft_404),
            "soft_404",
            reason="Page not found",
            event="triage/soft_404",
        ),
        Fault(
            "soft_404_in_body",
            "/faults/soft-404-body",
            Answer.html(soft_404_body),
            "soft_404",
            reason="could not be found",
            event="triage/soft_404",
        ),
        Fault(
            "javascript_only",
            "/faults/js-only",
            Answer.html(js_only),
            "no_content",
            reason="page needs JavaScript",
            event="triage/needs_javascript",
        ),
        Fault(
            "cookie_consent_wall",
            "/faults/consent",
            Answer.html(consent),
            "interstitial",
            reason="cookie-consent wall",
            event="triage/consent_wall",
        ),
        Fault(
            "bot_check",
            "/faults/bot-check",
            Answer.html(bot_check),
            "interstitial",
            reason="bot check",
            event="triage/bot_check",
        ),
        # --- hostile text ------------------------------------------------------------------
        Fault(
            "nul_control_zero_width",
            "/faults/control",
            Answer(200, control, {"Content-Type": HTML_UTF8}),
            "ok",
        ),
        Fault(
            "lone_surrogates",
            "/faults/surrogates",
            Answer(200, lone_surrogates, {"Content-Type": HTML_UTF8}),
            "ok",
        ),
        Fault(
            "one_megabyte_comment",
            "/faults/long-comment",
            Answer.html(commented_page("Long Comment Film", [("Verbose", long_comment)])),
            "ok",
            event="clean/comment_truncated",
        ),
        Fault(
            "emoji_only_comments",
            "/faults/emoji",
            Answer.html(
                commented_page("Emoji Film", [(f"Fan {n}", e) for n, e in enumerate(EMOJI_ONLY)])
            ),
            "ok",
        ),
        Fault(
            "html_and_script_in_comments",
            "/faults/html-comments",
            Answer.html(commented_page("Markup Film", html_comments)),
            "ok",
        ),
        Fault(
            "sql_injection_strings",
            "/faults/sql",
            Answer.html(
                commented_page(
                    "x'); DROP TABLE films;--",
                    [(html.escape(a), html.escape(t)) for a, t in sql_comments],
                )
            ),
            "ok",
        ),
        Fault(
            "duplicate_comments",
            "/faults/duplicates",
            Answer.html(
                commented_page(
                    "Duplicate Film",
                    [("Repeater", duplicate), ("Repeater", duplicate), ("Other", duplicate)],
                )
            ),
            "ok",
            event="dedupe/comment_repeated_on_page",
        ),
        Fault(
            "malformed_json_ld",
            "/faults/bad-json-ld",
            Answer.html(
                page(
                    "The Wandering Earth",
                    article("The Wandering Earth", ENGLISH),
                    head='<script type="application/ld+json">{"@type": "Movie", "name": '
                    '"Broken" ,,, "director": </script>'
                    f'<script type="application/ld+json">{json_ld_movie}</script>'
                    '<script type="application/ld+json"></script>',
                )
            ),
            "ok",
            event="extract/unreadable_structured_data/json-ld",
        ),
        Fault(
            "links_to_private_addresses",
            "/faults/private-links",
            Answer.html(page("Links", article("Links", ENGLISH) + f"<ul>{private_links}</ul>")),
            "ok",
            extra_routes={"/faults/linked-film": Answer.html(film_page("Linked Film"))},
        ),
        # --- HTTP ------------------------------------------------------------------------------
        Fault(
            "http_500_then_200",
            "/faults/flaky",
            [Answer(500), Answer.html(film_page("Flaky Film"))],
            "ok",
        ),
        Fault(
            "http_503_every_time",
            "/faults/down",
            Answer(503),
            "http_error",
            reason="HTTP 503",
            event="http/503",
        ),
        Fault(
            "http_404",
            "/faults/gone",
            Answer(404),
            "http_error",
            reason="HTTP 404",
            event="http/404",
        ),
        Fault(
            "slow_answer_timeout",
            "/faults/slow",
            Answer(200, film.encode("utf-8"), {"Content-Type": HTML_UTF8}, delay=6),
            "fetch_error",
            reason="timeout",
            event="fetch/timeout",
        ),
        Fault(
            "disallowed_by_robots_txt",
            "/private/film",
            Answer.html(film_page("Private Film")),
            "blocked",
            reason="robots.txt",
            event="blocked/robots_txt",
        ),
    ]
