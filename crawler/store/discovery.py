"""How a pass reached each page: its ``depth`` and ``parent_url``, settled from links.

While a crawl runs, a page's row says which link its request came from: the first one
Scrapy's duplicate filter let through. With several requests in flight that depends
on which response was parsed first, so two crawls of the same site stored different
depths and parents for the same page (a page linked from the start page and from a
film page two steps down could be either 1 or 2 deep).

At the end of each run the pass's pages (and their frontier rows) are given the
values its links determine, whatever order they came in: the depth is the fewest link
steps from a start URL or sitemap page (a further comment page is as deep as the page
it continues); the parent of a further comment page is the page it continues (the
shallowest, then the smallest URL), and any other page's parent is a page one step up
on such a path (the smallest URL). Only links of pages the pass fetched count, and
only pages it fetched are changed.
"""

from __future__ import annotations

from collections import deque

from sqlite_utils import Database

from crawler.store.frontier import FED_KINDS, FrontierEntry, add, link_depth
from crawler.store.writer import CONTENT_STATUSES, REVISIT_STATUSES

# Pages whose links the pass followed: fetched ones (also those with no film content,
# whose links are kept), and revisits (a 304 hands on the links stored with the page).
# A failed page hands on none; links stored for it by an earlier pass do not count.
LINKING_STATUSES = CONTENT_STATUSES | REVISIT_STATUSES | {"no_content"}


def settle_depths(db: Database, generation: int) -> int:
    """Give the pages of ``generation`` the depth and parent its links determine;
    return how many page rows changed."""
    kinds = dict(
        db.execute(
            "SELECT url, kind FROM frontier WHERE generation = ? AND state = 'done'",
            [generation],
        ).fetchall()
    )
    if all(kind in FED_KINDS for kind in kinds.values()):
        return 0  # every page was a start URL or a sitemap page: depth 0, no parent
    stored: dict[str, tuple[int | None, str | None]] = {}
    address: dict[str, str] = {}  # a URL a link may name -> the page row it reached
    seeds: set[str] = set()
    linking: set[str] = set()
    rows = db.execute(
        "SELECT p.url, p.requested_url, p.depth, p.parent_url, p.status FROM frontier f "
        "JOIN pages p ON p.url = f.url WHERE f.generation = ? AND f.state = 'done'",
        [generation],
    ).fetchall()
    for url, requested_url, depth, parent_url, status in rows:
        stored[url] = (depth, parent_url)
        address.setdefault(url, url)
        if requested_url:
            address.setdefault(requested_url, url)
        # A redirected page is what its request was: the frontier row of the final
        # URL is only its "done" mark.
        if kinds.get(requested_url or url, kinds.get(url)) in FED_KINDS:
            seeds.add(url)
        if status in LINKING_STATUSES:
            linking.add(url)

    # Links as (target page, step): a further comment page is no step down.
    links: dict[str, list[tuple[str, int]]] = {}
    for page_url, link_url, kind in db.execute(
        "SELECT l.page_url, l.link_url, l.kind FROM frontier f "
        "JOIN page_links l ON l.page_url = f.url WHERE f.generation = ? AND f.state = 'done'",
        [generation],
    ):
        target = address.get(link_url)
        if page_url in linking and target is not None and target != page_url:
            links.setdefault(page_url, []).append((target, link_depth(0, kind)))

    depths = _fewest_steps(sorted(seeds), links)
    # A further comment page's parent is the page it continues (film resolution gives
    # it that page's film), the shallowest first; any other page's is a page one step
    # up. Then the smallest URL.
    parents: dict[str, tuple[int, int, str]] = {}
    for page_url, depth in depths.items():
        for target, step in links.get(page_url, ()):
            if target in seeds or (step and depths[target] != depth + step):
                continue
            candidate = (step, depth, page_url)
            parents[target] = min(parents.get(target, candidate), candidate)

    settled = {
        url: (depth, parents[url][2] if url in parents else None)
        for url, depth in sorted(depths.items())
    }
    changed = [(*values, url) for url, values in settled.items() if stored[url] != values]
    db.conn.executemany("UPDATE pages SET depth = ?, parent_url = ? WHERE url = ?", changed)
    # The pass's frontier rows say the same (they were written as pages came).
    db.conn.executemany(
        "UPDATE frontier SET depth = ?, parent_url = ? WHERE url = ? AND generation = ? "
        "AND (depth IS NOT ? OR parent_url IS NOT ?)",
        [
            (depth, parent, address_url, generation, depth, parent)
            for address_url, url in sorted(address.items())
            if url in settled
            for depth, parent in [settled[url]]
        ],
    )
    return len(changed)


def _fewest_steps(seeds: list[str], links: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    """Fewest steps from a seed to each page it leads to: a breadth-first search whose
    zero-step links are taken before the others (a 0-1 BFS)."""
    depths = dict.fromkeys(seeds, 0)
    queue = deque(seeds)
    while queue:
        page_url = queue.popleft()
        depth = depths[page_url]
        for target, step in links.get(page_url, ()):
            if depth + step < depths.get(target, depth + step + 1):
                depths[target] = depth + step
                if step:
                    queue.append(target)
                else:
                    queue.appendleft(target)
    return depths


def queue_links_within_reach(
    db: Database, generation: int, max_depth: int, discovered_at: str
) -> int:
    """Queue the followed links of ``generation``'s pages that ``max_depth`` (0: no
    limit) now reaches and the pass has not queued; return how many.

    A run resumed with a bigger ``--max-depth`` must go deeper under the pages its pass
    already has: their links beyond the old limit were kept, not queued, and those
    pages are not fetched again.
    """
    statuses = sorted(LINKING_STATUSES)
    rows = db.execute(
        f"""
        SELECT l.link_url, p.depth + 1, p.url FROM frontier f
        JOIN pages p ON p.url = f.url
        JOIN page_links l ON l.page_url = p.url AND l.kind = 'follow'
        WHERE f.generation = ? AND f.state = 'done'
          AND p.status IN ({", ".join("?" * len(statuses))})
          AND (? = 0 OR p.depth + 1 <= ?)
          AND NOT EXISTS (
              SELECT 1 FROM frontier known
              WHERE known.url = l.link_url AND known.generation = ?
          )
        ORDER BY p.depth, p.url, l.rowid
        """,
        [generation, *statuses, max_depth, max_depth, generation],
    ).fetchall()
    entries: dict[str, FrontierEntry] = {}
    for url, depth, parent_url in rows:  # the fewest steps, then the smallest parent
        entries.setdefault(url, FrontierEntry(url, "follow", depth, parent_url))
    add(db, list(entries.values()), generation, discovered_at)
    return len(entries)
