"""The short report ``filmcrawl crawl`` prints when a run ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlite_utils import Database

from crawler.store.database import connect_readonly
from schemas.tables import migrate


def crawl_summary(db_path: Path, stats: dict[str, Any], elapsed: float) -> dict[str, Any]:
    """The figures of a finished run, read back from its database and stats."""
    if not Path(db_path).is_file():  # the run never began: nothing was written
        db = Database(memory=True)
        migrate(db)
    else:
        db = Database(connect_readonly(db_path))
    try:
        languages = [
            (row["lang"], row["n"])
            for row in db.query(
                "SELECT coalesce(lang, 'und') AS lang, count(*) AS n FROM comments "
                "GROUP BY 1 ORDER BY n DESC, lang"
            )
        ]

        def count(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0])

        return {
            "run": stats.get("filmcrawl/run/id"),
            "status": stats.get("filmcrawl/run/status", "unknown"),
            "pages_fetched": int(stats.get("filmcrawl/store/pages_fetched", 0)),
            "pages_failed": int(stats.get("filmcrawl/store/pages_failed", 0)),
            "pages": count("SELECT count(*) FROM pages"),
            "films": count("SELECT count(*) FROM films"),
            "facts": count("SELECT count(*) FROM facts WHERE current = 1"),
            "credits": count("SELECT count(*) FROM credits WHERE current = 1"),
            "comments": count("SELECT count(*) FROM comments"),
            "languages": languages,
            "elapsed_seconds": round(elapsed, 1),
        }
    finally:
        db.close()


def print_crawl_summary(db_path: Path, stats: dict[str, Any], elapsed: float) -> None:
    summary = crawl_summary(db_path, stats, elapsed)
    table = Table(title=f"filmcrawl run {summary['run']}: {summary['status']}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("database", str(db_path))
    table.add_row("pages fetched", f"{summary['pages_fetched']} ({summary['pages_failed']} failed)")
    for name in ("films", "facts", "credits", "comments"):
        table.add_row(name, str(summary[name]))
    table.add_row(
        "comment languages",
        ", ".join(f"{lang} {n}" for lang, n in summary["languages"]) or "-",
    )
    table.add_row("elapsed", f"{summary['elapsed_seconds']:.1f} s")
    Console().print(table)
