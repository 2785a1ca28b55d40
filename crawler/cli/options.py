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
from rich.console import Console
from rich.text import Text
from sqlite_utils import Database

from crawler.normalize.escaping import terminal_safe
from crawler.run.status import EXIT_NO_DATABASE, EXIT_USAGE
from crawler.settings import FILMCRAWL_DB as DEFAULT_DB
from crawler.store.database import (
    DatabaseRefusedError,
    close_database,
    connect_readonly,
    open_database,
)
from schemas.tables import APPLICATION_ID, migrations

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


def settings_option(help_text: str) -> Callable[[F], F]:
    """``-s/--set NAME=VALUE`` (repeatable): a setting override, as with ``scrapy crawl``;
    read with ``parse_overrides``."""
    return click.option(
        "-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE", help=help_text
    )


def parse_overrides(values: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` options as a dict (a malformed one is a usage error)."""
    overrides: dict[str, str] = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="-s")
        overrides[name.strip()] = setting
    return overrides


def db_option(fn: F) -> F:
    """``--db PATH``: the database a command reads (default ``films.db``, or the
    environment variable ``FILMCRAWL_DB``)."""
    return database_option("The filmcrawl database to read.")(fn)


def database_option(
    help_text: str, *, name: str = "--db", dest: str = "db_path"
) -> Callable[[F], F]:
    """A database path option that every command reads the same way: the option, else
    the environment variable ``FILMCRAWL_DB``, else the ``FILMCRAWL_DB`` setting's
    default (``crawler/settings.py``)."""
    return click.option(
        name,
        dest,
        default=DEFAULT_DB,
        envvar="FILMCRAWL_DB",
        show_envvar=True,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help_text,
    )


def check_new_database_path(path: Path) -> None:
    """A database a command may create: its folder must exist (exit 2 otherwise)."""
    folder = path.parent
    if path.is_dir():
        raise CommandError(
            f"--db {path} is a directory; give a file name, e.g. {path / 'films.db'}", EXIT_USAGE
        )
    if not folder.is_dir():
        raise CommandError(
            f"cannot create the database {path}: the folder {folder} does not exist "
            f"(create it first: mkdir -p {folder})",
            EXIT_USAGE,
        )
    if path.is_file():
        # A swapped argument (--db urls.txt) must not end in a traceback after the crawl.
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise CommandError(
                f"{path} is not a SQLite database ({exc}); give a filmcrawl database "
                "or a new file name",
                EXIT_USAGE,
            ) from exc


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
    db = Database(conn)
    if migrations.pending(db):
        # A database an older filmcrawl wrote: brought to the current schema once (a
        # running crawl would have done so already), so every command can read it. The
        # reader itself stays read-only.
        conn.close()
        try:
            close_database(open_database(path))
        except (sqlite3.Error, DatabaseRefusedError) as exc:
            raise CommandError(
                f"{path} was written by an older filmcrawl and cannot be upgraded ({exc})",
                EXIT_NO_DATABASE,
            ) from exc
        click.echo(f"filmcrawl: upgraded {path} to the current schema", err=True)
        db = Database(connect_readonly(path))
    return db


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def safe_text(value: object) -> str:
    """User text with control characters shown as ``\\x1b`` instead of acted upon
    (line breaks kept): :func:`crawler.normalize.escaping.terminal_safe`."""
    return terminal_safe(value, keep_newlines=True)


def plain(value: object, style: str = "") -> Text:
    """User text (a title, a comment, an author) for a rich table: never parsed as
    markup or emoji codes, control characters made visible."""

    return Text(safe_text(value), style=style)


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut at ``width`` characters with an ellipsis."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 1].rstrip() + "…"


# Width of tables written to a file or a pipe: wide enough that nothing is squeezed.
UNSQUEEZED_WIDTH = 10_000


def console() -> Console:
    """The console query output goes to: no highlighting of numbers or URLs, no emoji
    codes. On a terminal, widths follow it (or ``COLUMNS``); into a file or a pipe, a
    table is as wide as its content (``COLUMNS`` still sets a width)."""

    width = None
    if not sys.stdout.isatty() and not os.environ.get("COLUMNS"):
        width = UNSQUEEZED_WIDTH
    return Console(highlight=False, emoji=False, width=width)
