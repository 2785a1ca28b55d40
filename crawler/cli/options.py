"""What the query and export commands share: options as decorators, opening the
database with a clear message when it is missing, errors with distinct exit codes,
and printing user text safely.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from crawler.normalize.escaping import terminal_safe
from crawler.run.status import EXIT_NO_DATABASE

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text
    from sqlite_utils import Database

F = TypeVar("F", bound=Callable[..., Any])

# Tables every filmcrawl database has; a file without them is something else.
REQUIRED_TABLES = ("films", "facts", "credits", "film_titles", "comments", "pages", "crawl_runs")


class CommandError(click.ClickException):
    """A failure the user can act on: printed as ``filmcrawl: message``, no traceback,
    with its own exit code (see :mod:`crawler.run.status`)."""

    def __init__(self, message: str, exit_code: int, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # one class, many exit codes
        self.details = details or []

    def show(self, file: Any = None) -> None:
        click.echo(f"filmcrawl: {self.format_message()}", err=True)
        for line in self.details:
            click.echo(f"  {line}", err=True)


def pipe_safe(fn: F) -> F:
    """Stop quietly (exit 0) when the reader of standard output goes away, as in
    ``filmcrawl export | head -1``, instead of a BrokenPipeError traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:
            # Whatever is still buffered must not fail again when Python exits.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def db_option(fn: F) -> F:
    """``--db PATH``: the database a command reads (default ``films.db``)."""
    return click.option(
        "--db",
        "db_path",
        default="films.db",
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The filmcrawl database to read.",
    )(fn)


def json_option(fn: F) -> F:
    """``--json``: machine-readable output for scripts instead of a table."""
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print JSON instead of a table (the record shapes are in schemas/json/).",
    )(fn)


def limit_option(default: int, what: str) -> Callable[[F], F]:
    """``--limit N``: at most N rows; 0 means no limit."""

    def decorator(fn: F) -> F:
        return click.option(
            "--limit",
            type=click.IntRange(min=0),
            default=default,
            show_default=True,
            help=f"Show at most this many {what} (0: all).",
        )(fn)

    return decorator


def open_db(path: Path) -> Database:
    """Open an existing filmcrawl database for reading.

    Read-only: never creates a file (not even ``-wal``/``-shm``) or changes the schema.
    A missing file, a file that is not SQLite (or is damaged) and a SQLite file of
    another application each get a clear message and exit code 4.
    """
    from sqlite_utils import Database

    from crawler.store.database import connect_readonly
    from schemas.tables import APPLICATION_ID

    if not path.exists():
        raise CommandError(
            f"no database at {path}",
            EXIT_NO_DATABASE,
            [f"crawl into it first (filmcrawl crawl --db {path}) or pass --db PATH"],
        )
    if path.is_dir():
        raise CommandError(f"{path} is a directory, not a database", EXIT_NO_DATABASE)
    try:
        # Read-only: a reader never creates -wal/-shm files, which (owned by another
        # user) would block the next crawl (issue 17).
        conn = connect_readonly(path)
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise CommandError(
            f"{path} is not a SQLite database, or a damaged one ({exc})", EXIT_NO_DATABASE
        ) from exc
    missing = [table for table in REQUIRED_TABLES if table not in names]
    if missing or application_id not in (0, APPLICATION_ID):
        conn.close()
        why = f"no table {', '.join(missing)}" if missing else f"application id {application_id:#x}"
        raise CommandError(f"{path} is not a filmcrawl database ({why})", EXIT_NO_DATABASE)
    return Database(conn)


def parse_overrides(values: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` options as a dict (a malformed one is a usage error)."""
    overrides: dict[str, str] = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="-s")
        overrides[name.strip()] = setting
    return overrides


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def safe_text(value: object) -> str:
    """User text with control characters shown as ``\\x1b`` instead of acted upon
    (line breaks kept): :func:`crawler.normalize.escaping.terminal_safe`."""
    return terminal_safe(value, keep_newlines=True)


def plain(value: object, style: str = "") -> Text:
    """User text (a title, a comment, an author) for a rich table: never parsed as
    markup or emoji codes, control characters made visible."""
    from rich.text import Text

    return Text(safe_text(value), style=style)


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut at ``width`` characters with an ellipsis."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 1].rstrip() + "…"


def console() -> Console:
    """The console query output goes to: no highlighting of numbers or URLs, no emoji
    codes; widths follow the terminal (or ``COLUMNS``)."""
    from rich.console import Console

    return Console(highlight=False, emoji=False)
