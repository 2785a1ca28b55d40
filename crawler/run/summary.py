"""The short report ``filmcrawl crawl`` prints when a run ends: what this run did, beside
what the database now holds, and whether a bound (``--max-pages``, ``--max-depth``)
stopped it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlite_utils import Database

from crawler.fetch.bounds import PAGE_LIMIT_REASON
from crawler.store.database import connect_readonly
from schemas.tables import migrate


def crawl_summary(
    db_path: Path,
    stats: dict[str, Any],
    elapsed: float,
    *,
    max_pages: int = 0,
    max_depth: int = 0,
) -> dict[str, Any]:
    """The figures of a finished run, read back from its database and stats."""

    def stat(name: str) -> int:
        return int(stats.get(f"filmcrawl/{name}", 0) or 0)

    if not Path(db_path).is_file():  # the run never began: nothing was written
        db = Database(memory=True)
        migrate(db)
    else:
        db = Database(connect_readonly(db_path))
    try:

        def count(sql: str, params: list[Any] | None = None) -> int:
            return int(db.execute(sql, params or []).fetchone()[0])

        def languages(where: str = "", params: list[Any] | None = None) -> list[tuple[str, int]]:
            # Grouped by the column itself, which its index answers (grouping by
            # coalesce(lang, 'und') sorted every row: 78 ms against 18 ms for 576,000
            # comments); no language counts as 'und'.
            counts: dict[str, int] = {}
            for lang, n in db.execute(
                f"SELECT lang, count(*) FROM comments {where} GROUP BY lang", params or []
            ):
                key = lang if lang is not None else "und"
                counts[key] = counts.get(key, 0) + n
            return sorted(counts.items(), key=lambda entry: (-entry[1], entry[0]))

        run_id = stats.get("filmcrawl/run/id")
        started = db.execute("SELECT started_at FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
        this_run = {
            "pages_fetched": stat("store/pages_fetched"),
            "pages_new": stat("store/pages_new"),
            "pages_changed": stat("store/pages_changed"),
            "pages_same": stat("store/pages_unchanged") + stat("store/pages_not_modified"),
            "pages_failed": stat("store/pages_failed"),
            "films": stat("run/films_new"),
            "facts": stat("store/facts_new"),
            "credits": stat("store/credits_new"),
            "comments": stat("store/comments_new"),
            "conflicts": stat("run/conflicts_new"),
            # Read from every comment row (no index on first_seen): not when the run
            # stored no new comment, as a re-crawl of an unchanged site does (issue 16).
            "languages": languages("WHERE first_seen >= ?", [started[0]])
            if started and stat("store/comments_new")
            else [],
        }
        totals = {
            "pages": count("SELECT count(*) FROM pages"),
            "films": count("SELECT count(*) FROM films"),
            "facts": count("SELECT count(*) FROM facts WHERE current = 1"),
            "credits": count("SELECT count(*) FROM credits WHERE current = 1"),
            "comments": count("SELECT count(*) FROM comments"),
            "conflicts": count("SELECT count(*) FROM fact_conflicts"),
            "languages": languages(),
        }
    finally:
        db.close()
    stopped_by = []
    if stats.get("finish_reason") == PAGE_LIMIT_REASON:
        stopped_by.append(
            f"stopped at --max-pages {max_pages}: {stat('run/pending')} URLs left for the next "
            "run, which continues this pass (--fresh starts over)"
        )
    if stat("follow/beyond_max_depth"):
        stopped_by.append(
            f"{stat('follow/beyond_max_depth')} links deeper than --max-depth {max_depth} "
            "not followed"
        )
    return {
        "run": run_id,
        "status": stats.get("filmcrawl/run/status", "unknown"),
        "this_run": this_run,
        "totals": totals,
        "bounds": stopped_by,
        "elapsed_seconds": round(elapsed, 1),
    }


def _languages(entries: list[tuple[str, int]]) -> str:
    return ", ".join(f"{lang} {n}" for lang, n in entries) or "-"


def print_crawl_summary(
    db_path: Path,
    stats: dict[str, Any],
    elapsed: float,
    *,
    max_pages: int = 0,
    max_depth: int = 0,
) -> None:
    summary = crawl_summary(db_path, stats, elapsed, max_pages=max_pages, max_depth=max_depth)
    run, totals = summary["this_run"], summary["totals"]
    # Text, not markup: a database path may hold brackets.
    title = Text(f"filmcrawl run {summary['run']} into {db_path}: {summary['status']}")
    table = Table(title=title)
    table.add_column("", style="bold")
    table.add_column("this run")
    table.add_column("in the database")
    table.add_row(
        "pages",
        f"{run['pages_fetched']} fetched: {run['pages_new']} new, {run['pages_changed']} changed, "
        f"{run['pages_same']} same, {run['pages_failed']} failed",
        str(totals["pages"]),
    )
    for name in ("films", "facts", "credits", "comments", "conflicts"):
        table.add_row(name, f"+{run[name]}", str(totals[name]))
    table.add_row(
        "comment languages", _languages(run["languages"]), _languages(totals["languages"])
    )
    table.add_row("elapsed", f"{summary['elapsed_seconds']:.1f} s", "")
    console = Console()
    console.print(table)
    for line in summary["bounds"]:
        console.print(line, markup=False, highlight=False)
