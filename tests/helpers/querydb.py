"""Crawled databases for the query, export and Datasette tests.

``crawl_sample_db`` crawls the bundled sample site (one film, five pages).
``crawl_hostile_db`` crawls it and then a WordPress-style page whose comments carry
HTML, rich markup and emoji codes, which every output must show literally.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from crawler.sample_site.server import SampleSite
from tests.helpers.crawl import run_crawl

HOSTILE_PATH = "/blog/2020/05/markup-tester/"
HOSTILE_FILM = "Markup Tester"
SCRIPT_COMMENT = "<script>alert('filmcrawl')</script> Loved the <b>ending</b> of this film!"
MARKUP_COMMENT = (
    "[bold red]SHOUTING[/bold red] about this film :smile: [link=http://evil.example]here[/link]"
)
MARKUP_AUTHOR = "[blink]Eve[/blink]"
HOSTILE_COMMENTS = (
    ("Mallory", SCRIPT_COMMENT),
    (MARKUP_AUTHOR, MARKUP_COMMENT),
    ("Bob", "A quiet and thoughtful film about a painter who loses her memory in winter."),
)


def hostile_page() -> str:
    """A film post with a WordPress comment thread of hostile comments (escaped in the
    HTML, so their text is literally ``<script>…``)."""
    esc = html.escape
    jsonld = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": HOSTILE_FILM,
        "datePublished": "2020-05-01",
        "director": {"@type": "Person", "name": "Ada Quill"},
    }
    comments = "".join(
        f'<li id="comment-{n}" class="comment"><article class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">{esc(author)}</b> <span class="says">says:</span></div>'
        f'<div class="comment-metadata"><time datetime="2020-05-0{n + 2}">May {n + 2}, 2020'
        f"</time></div></footer>"
        f'<div class="comment-content"><p>{esc(text)}</p></div></article></li>'
        for n, (author, text) in enumerate(HOSTILE_COMMENTS)
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{HOSTILE_FILM} (2020) review</title>"
        '<meta name="generator" content="WordPress 6.4">'
        f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
        "</head><body class='single single-post'><main><article class='post'>"
        f"<h1 class='entry-title'>{HOSTILE_FILM}</h1><div class='entry-content'>"
        f"<p>{HOSTILE_FILM} is a 2020 film by Ada Quill about a painter who loses her "
        "memory one winter and rebuilds it from the pictures she left behind.</p>"
        "<p>It is quiet, patient and beautifully shot, and its ending stays with you for "
        "days; the lead performance carries every scene of it.</p></div></article>"
        "<div id='comments' class='comments-area'><h2 class='comments-title'>Responses</h2>"
        f"<ol class='comment-list'>{comments}</ol></div></main></body></html>"
    )


def crawl_sample_db(directory: Path) -> Path:
    db = directory / "films.db"
    result = run_crawl(db)
    assert result.returncode == 0, result.stderr[-4000:]
    return db


def crawl_hostile_db(directory: Path) -> Path:
    """The sample site (run 1), then the hostile page (run 2), into one database."""
    db = crawl_sample_db(directory)
    site_root = directory / "hostile-site"
    page = site_root / HOSTILE_PATH.strip("/") / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(hostile_page(), encoding="utf-8")
    (site_root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    with SampleSite.start(site_root) as site:
        result = run_crawl(db, site.url(HOSTILE_PATH))
    assert result.returncode == 0, result.stderr[-4000:]
    return db
