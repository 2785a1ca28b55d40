"""A page's depth and parent come from the pass's links, not from the order in which
responses arrived (a CI run found two crawls of one 120-page site storing one page at
depth 1 and at depth 2: its first request had come through another film page)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.fetch.bounds import ShallowestLinks
from crawler.process.fingerprint import fingerprint_page
from crawler.store import frontier
from crawler.store.discovery import settle_depths
from crawler.store.writer import write_batch
from schemas.records import PageRecord
from schemas.tables import migrate
from tests.helpers.crawl import FAST_LOCAL_SETTINGS, run_crawl
from tests.helpers.servers import Answer, scripted_server

SITE = "http://127.0.0.1:8000"


def fetched(
    path: str,
    *,
    depth: int,
    parent: str | None,
    links: tuple[str, ...] = (),
    comment_pages: tuple[str, ...] = (),
    redirected_from: str | None = None,
    status: str = "ok",
) -> PageRecord:
    """A page as the crawl would hand it over: with the depth and parent of the request
    that happened to reach it first."""
    item = PageRecord(
        url=SITE + path,
        requested_url=SITE + (redirected_from or path),
        http_status=200 if status == "ok" else 500,
        content_hash=path.encode().hex().ljust(64, "0")[:64],
        fetched_at="2026-01-01T00:00:00Z",
        clean_text=f"The page {path}.",
        depth=depth,
        parent_url=SITE + parent if parent else None,
        links=[SITE + link for link in links],
        comment_page_urls=[SITE + page for page in comment_pages],
        status=status,
    )
    return fingerprint_page(item) if status == "ok" else item


def settled(
    items: list[PageRecord], seeds: tuple[str, ...], *, batch: int
) -> dict[str, tuple[int, str | None]]:
    db = Database(memory=True)
    migrate(db)
    frontier.add(db, [frontier.FrontierEntry(SITE + s, "seed", 0, None) for s in seeds], 1, "t0")
    for start in range(0, len(items), batch):
        write_batch(db, items[start : start + batch], 1)
    settle_depths(db, 1)
    # The frontier rows of the pages (and of the URL a page was redirected from) agree.
    assert not db.execute(
        "SELECT f.url FROM frontier f JOIN pages p ON f.url IN (p.url, p.requested_url) "
        "WHERE f.depth IS NOT p.depth OR f.parent_url IS NOT p.parent_url"
    ).fetchall()
    return {
        url.removeprefix(SITE): (depth, parent.removeprefix(SITE) if parent else None)
        for url, depth, parent in db.execute("SELECT url, depth, parent_url FROM pages")
    }


def test_the_fewest_link_steps_and_the_first_parent_whatever_came_first() -> None:
    # /a -> /b -> /c and /slow -> /c: /c is one step from a start page, whichever
    # request reached it. /b and /c both lead to /d in two steps: the smaller URL is
    # the parent. /c's further comment page /c2 is as deep as /c and continues it,
    # although /a also links to it; /d's further comment page /d2 is one step from /a,
    # and still continues /d. /r was reached through a redirect from /old.
    expected = {
        "/a": (0, None),
        "/slow": (0, None),
        "/b": (1, "/a"),
        "/c": (1, "/slow"),
        "/c2": (1, "/c"),
        "/d": (2, "/b"),
        "/d2": (1, "/d"),
        "/r": (2, "/c"),
        "/e": (3, "/r"),
    }
    variants = {
        # The request that reached each page first, as different orders of arrival give.
        "/b": [(1, "/a")],
        "/c": [(2, "/b"), (1, "/slow")],
        "/c2": [(1, "/c"), (2, "/c"), (1, "/a")],
        "/d": [(2, "/c"), (2, "/b"), (3, "/c2")],
        "/d2": [(2, "/d"), (1, "/a")],
        "/r": [(2, "/c"), (3, "/c2")],
        "/e": [(3, "/r"), (9, "/r")],
    }
    links = {
        "/a": ("/b", "/c2", "/d2"),
        "/slow": ("/c",),
        "/b": ("/c", "/d"),
        "/c": ("/d", "/old"),
        "/c2": ("/old",),
        "/r": ("/e",),
    }
    for choice in itertools.islice(itertools.product(*variants.values()), 0, None, 7):
        reached = dict(zip(variants, choice, strict=True))
        items = [
            fetched("/a", depth=0, parent=None, links=links["/a"]),
            fetched("/slow", depth=0, parent=None, links=links["/slow"]),
        ]
        for path, (depth, parent) in reached.items():
            items.append(
                fetched(
                    path,
                    depth=depth,
                    parent=parent,
                    links=links.get(path, ()),
                    comment_pages={"/c": ("/c2",), "/d": ("/d2",)}.get(path, ()),
                    redirected_from="/old" if path == "/r" else None,
                )
            )
        # A page is written after the page its request came from; in batches or not.
        for order in (items, [items[1], items[0], *items[2:]]):
            for batch in (1, 3, len(order)):
                assert settled(order, seeds=("/a", "/slow"), batch=batch) == expected, reached


def test_a_page_reached_in_fewer_steps_hands_its_links_on_again() -> None:
    links = ShallowestLinks()
    assert links.reached(SITE + "/c", 2) is None  # requested two steps down
    assert links.handing_on(SITE + "/c", SITE + "/c", 2) == 2
    assert links.reached(SITE + "/c", 3) is None  # deeper: nothing to do
    assert links.reached(SITE + "/c", 2) is None
    assert links.reached(SITE + "/c", 1) == SITE + "/c"  # hand on again, from 1
    assert links.reached(SITE + "/c", 1) is None  # once
    # A page still being fetched when a shorter path shows up hands its links on from
    # there; a redirected one is known by the URL its links name.
    assert links.reached(SITE + "/old", 3) is None
    assert links.reached(SITE + "/old", 2) is None
    assert links.handing_on(SITE + "/old", SITE + "/new", 3) == 2
    assert links.reached(SITE + "/old", 1) == SITE + "/new"


def test_only_links_of_pages_the_pass_fetched_count() -> None:
    # /broken's row failed this pass: links an earlier pass stored for it lead nowhere
    # now; /x was reached from /a only, two steps down.
    db = Database(memory=True)
    migrate(db)
    write_batch(db, [fetched("/broken", depth=0, parent=None, links=("/x",))], 1)
    frontier.add(db, [frontier.FrontierEntry(SITE + "/a", "seed", 0, None)], 2, "t0")
    frontier.add(db, [frontier.FrontierEntry(SITE + "/broken", "seed", 0, None)], 2, "t0")
    for item in (
        fetched("/a", depth=0, parent=None, links=("/m",)),
        fetched("/broken", depth=0, parent=None, status="http_error"),
        fetched("/m", depth=1, parent="/a", links=("/x",)),
        fetched("/x", depth=1, parent="/broken"),
    ):
        write_batch(db, [item], 2)
    assert settle_depths(db, 2) == 1
    assert db.execute(
        "SELECT depth, parent_url FROM pages WHERE url = ?", [SITE + "/x"]
    ).fetchone() == (
        2,
        SITE + "/m",
    )


def test_a_pass_of_start_pages_only_changes_nothing() -> None:
    db = Database(memory=True)
    migrate(db)
    frontier.add(db, [frontier.FrontierEntry(SITE + "/a", "sitemap", 0, None)], 1, "t0")
    write_batch(db, [fetched("/a", depth=0, parent=None, links=("/b",))], 1)
    assert settle_depths(db, 1) == 0


def linking_page(title: str, *links: str) -> Answer:
    anchors = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
    return Answer.html(
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{title} is a page about films and the people who make them, long enough "
        f"to be read as a page of text by the crawl.</p></article><ul>{anchors}</ul>"
        "</body></html>"
    )


# Long enough for /a -> /b -> /c on a busy machine (it takes about 0.3 s on an idle one).
SLOW_SECONDS = 3.0


def crawl_two_paths_to_c(
    tmp_path: Path, c_page: Answer, more: dict[str, Answer], *options: str
) -> Path:
    """Crawl /a -> /b -> /c and /slow -> /c from /a and /slow. /slow answers last, so
    /c is first requested through /b, two steps down, although /slow links to it."""
    with scripted_server() as server:
        server.route("/a", linking_page("Start", "/b"))
        server.route("/b", linking_page("Middle", "/c"))
        server.route("/c", c_page)
        for path, answer in more.items():
            server.route(path, answer)
        slow = linking_page("Slow start", "/c")
        slow.delay = SLOW_SECONDS
        server.route("/slow", slow)
        db = tmp_path / "films.db"
        result = run_crawl(
            db, server.url("/a"), server.url("/slow"), "--follow", *options,
            settings=FAST_LOCAL_SETTINGS,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        # The crawl did reach /c through /b first (else the test shows nothing).
        assert server.requests_for("/c")[0].at < server.requests_for("/slow")[0].at + SLOW_SECONDS
        assert not server.requests_for("/f")
    return db


def stored_depths(db: Path) -> dict[str, tuple[int, str | None]]:
    """Each page's path, with its depth and its parent's path."""
    return {
        url.split("/", 3)[3]: (depth, parent and parent.split("/", 3)[3])
        for url, depth, parent in Database(db).execute("SELECT url, depth, parent_url FROM pages")
    }


@pytest.mark.slow
def test_a_crawl_stores_the_depth_its_links_give_whatever_answered_first(tmp_path: Path) -> None:
    db = crawl_two_paths_to_c(tmp_path, linking_page("End"), {})
    assert stored_depths(db) == {"a": (0, None), "slow": (0, None), "b": (1, "a"), "c": (1, "slow")}


@pytest.mark.slow
def test_max_depth_fetches_every_page_that_many_steps_away_whatever_answered_first(
    tmp_path: Path,
) -> None:
    # At --max-depth 2, /c's link to /d, two steps from /slow, was cut: Scrapy's
    # duplicate filter then dropped /slow's link to /c, and /d was fetched or not by
    # timing. /c's further comment page (as deep as /c) links to /e, also two steps away.
    c_page = (
        "<html><head><title>End</title></head><body><article><h1>End</h1><p>End is a page "
        "about films and the people who make them, long enough to be read as a page of "
        'text by the crawl.</p></article><div id="comments" class="comments-area">'
        '<ol class="comment-list"><li class="comment" id="comment-1"><article '
        'class="comment-body"><footer class="comment-meta"><div class="comment-author '
        'vcard"><b class="fn">Mina</b></div></footer><div class="comment-content"><p>A '
        "film I will watch again with my whole family next winter.</p></div></article></li>"
        '</ol><nav class="comment-navigation"><div class="nav-next">'
        '<a href="/c/comment-page-2/">Newer comments</a></div></nav></div>'
        '<ul><li><a href="/d">/d</a></li></ul></body></html>'
    )
    more = {
        "/c/comment-page-2/": linking_page("End, page two", "/e"),
        "/d": linking_page("Two steps from slow", "/f"),
        "/e": linking_page("Also two steps from slow"),
        "/f": linking_page("Three steps from slow"),
    }
    db = crawl_two_paths_to_c(tmp_path, Answer.html(c_page), more, "--max-depth", "2")
    assert stored_depths(db) == {
        "a": (0, None),
        "slow": (0, None),
        "b": (1, "a"),
        "c": (1, "slow"),
        "c/comment-page-2/": (1, "c"),
        "d": (2, "c"),
        "e": (2, "c/comment-page-2/"),
    }
