"""``crawl_runs``: one row per run, so cron jobs and people can see how each went."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database


def begin_run(
    db: Database, started_at: str, generation: int, resumed: bool, args: dict[str, Any]
) -> int:
    """Insert the row of a starting run and return its id.

    Rows still ``running`` belong to crawls that died without finishing (the database
    lock guarantees no other crawl is alive), so they are marked ``interrupted``.
    """
    db.execute(
        "UPDATE crawl_runs SET status = 'interrupted', "
        "reason = coalesce(reason, 'the process ended without finishing the run') "
        "WHERE status = 'running'"
    )
    cursor = db.execute(
        "INSERT INTO crawl_runs (started_at, status, generation, resumed, args) "
        "VALUES (?, 'running', ?, ?, ?)",
        [started_at, generation, int(resumed), json.dumps(args, sort_keys=True)],
    )
    return int(cursor.lastrowid or 0)


def finish_run(
    db: Database,
    run_id: int,
    *,
    finished_at: str,
    status: str,
    exit_code: int,
    reason: str,
    counts: dict[str, int],
    stats: dict[str, Any],
) -> None:
    columns = {
        "finished_at": finished_at,
        "status": status,
        "exit_code": exit_code,
        "reason": reason,
        "stats": json.dumps(stats, sort_keys=True, default=str),
        **counts,
    }
    assignments = ", ".join(f"{name} = ?" for name in columns)
    db.execute(
        f"UPDATE crawl_runs SET {assignments} WHERE id = ?",
        [*columns.values(), run_id],
    )


def last_runs(db: Database, limit: int = 10) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit]))


def conflict_keys(db: Database) -> set[tuple[str, str]]:
    """The (film, field) pairs sources disagree on now."""
    return {(row[0], row[1]) for row in db.execute("SELECT film_id, field FROM fact_conflicts")}


def record_new_conflicts(db: Database, run_id: int, before: set[tuple[str, str]]) -> int:
    """Keep the conflicts that were not there when run ``run_id`` began, as they are
    now, in ``crawl_run_conflicts``; return how many."""
    new = [
        (run_id, row[0], row[1], row[2])
        for row in db.execute('SELECT film_id, field, "values" FROM fact_conflicts')
        if (row[0], row[1]) not in before
    ]
    db.conn.executemany(
        'INSERT OR REPLACE INTO crawl_run_conflicts (run_id, film_id, field, "values") '
        "VALUES (?, ?, ?, ?)",
        new,
    )
    return len(new)


def count_films_given_by(db: Database, owner: str) -> int:
    """Films whose id ``owner`` (``run 7``) gave out."""
    return int(db.execute("SELECT count(*) FROM films WHERE given_by = ?", [owner]).fetchone()[0])
