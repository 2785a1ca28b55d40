"""Open a filmcrawl database: WAL, sane pragmas, schema migrated; or, for reading,
read-only, so that a reader never creates or changes a file.

A filmcrawl database says so in its header (``PRAGMA application_id``, set by the
migration ``0005_application_id``); a 0.1 database, made before the stamp, is
recognised by its migrations and stamped when a writer opens it. Writers refuse
anything else that is not empty: another application's SQLite file (they used to
add two dozen tables to it and switch it to WAL), a file that is not SQLite, and a
damaged database (``PRAGMA quick_check``), each with a message that says what to do
(issue 17).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.normalize.keys import stable_id
from schemas.tables import APPLICATION_ID, migrate

SQLITE_HEADER = b"SQLite format 3\x00"
# The tables of a 0.1 database (before the application id): migrations of the
# "filmcrawl" set, and the contract tables.
_OUR_TABLES = frozenset({"pages", "films", "comments", "crawl_runs", "_sqlite_migrations"})

__all__ = ["open_database", "select_in", "stable_id", "utc_now"]


class DatabaseRefusedError(Exception):
    """The file cannot be used as a filmcrawl database; the message says why and what to
    do instead."""


def readonly_uri(path: str | Path) -> str:
    """A ``file:`` URI that opens ``path`` read-only, whatever characters its name has
    (``#``, ``?``, ``%`` and spaces are quoted; an unquoted ``#`` cut the path short)."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection: it never creates the file, nor a ``-wal`` or ``-shm``
    file next to it (which, owned by another user, would block the next crawl)."""
    connection = sqlite3.connect(readonly_uri(path), uri=True, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout = 10000")
    return connection


# The files (and their write-ahead logs) that passed every check in this process, as
# they were then. ``filmcrawl crawl`` checks its database before it starts and the
# crawl's store checks it again as it opens it: ``PRAGMA quick_check`` reads the whole
# file (0.4 s at 10,000 pages, issue 16), and a file that has not changed since it
# passed needs no second reading.
_PASSED: set[tuple[object, ...]] = set()


def _file_state(file: Path) -> tuple[object, ...]:
    """What tells that a database file (with its ``-wal``) changed: device, inode, size
    and modification time of each. An empty ``-wal`` holds nothing (reading a database
    in WAL mode creates one)."""
    state: list[object] = [str(file.resolve())]
    for each in (file, file.with_name(file.name + "-wal")):
        try:
            stat = each.stat()
        except FileNotFoundError:
            state.append(None)
            continue
        empty = stat.st_size == 0 and each != file
        state.append(None if empty else (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(state)


def check_database(path: str | Path, *, integrity: bool = True) -> None:
    """Raise :class:`DatabaseRefusedError` unless ``path`` is missing, empty, or a
    filmcrawl database (0.1 or later) that passes ``PRAGMA quick_check``. A file that
    passed in this process and has not changed since is not read again; the result of
    a check :func:`start_quick_check` began on the file as it is now is waited for."""
    file = Path(path)
    state = _unchecked_state(file)
    if state is None:
        return
    with _reading(file) as connection:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        ours = application_id == APPLICATION_ID or (
            application_id == 0 and tables >= _OUR_TABLES and _has_our_migrations(connection)
        )
        if not ours and (application_id != 0 or tables):
            shown = ", ".join(sorted(tables)[:6]) + (", ..." if len(tables) > 6 else "")
            raise DatabaseRefusedError(
                f"{file} is another application's SQLite database "
                f"(application id {application_id:#x}, tables: {shown or 'none'}); "
                "filmcrawl does not write into it: give --db a filmcrawl database or a "
                "new file"
            )
        if not integrity:
            return
        with _CHECKING_LOCK:
            started = _CHECKING.get(state)
        if started is None:
            _quick_check(file, connection)
    if started is not None:
        started.result()  # the DatabaseRefusedError it found, if it found one
    _PASSED.add(state)  # only here: every check above passed


def start_quick_check(path: str | Path) -> None:
    """Begin ``PRAGMA quick_check`` of an existing SQLite file in a thread, for
    :func:`check_database` to wait for: it reads the whole file (0.45 s at 10,000
    pages) inside SQLite, without the interpreter's lock, so ``filmcrawl crawl`` starts
    it before it imports Scrapy (issue 16). Anything unusual (no such file, not SQLite)
    is left to :func:`check_database`; so is a file that changes meanwhile."""
    file = Path(path)
    try:
        # Not a FIFO or a device, whose first read could wait for a writer.
        state = _unchecked_state(file) if file.is_file() else None
    except (DatabaseRefusedError, OSError):
        return  # refused with its message by the command's check_database
    if state is None:
        return
    with _CHECKING_LOCK:
        if state in _CHECKING:
            return
        result: Future[None] = Future()
        _CHECKING[state] = result

    def check() -> None:
        try:
            with _reading(file) as connection:
                _quick_check(file, connection)
        except BaseException as exc:  # handed to check_database, which raises it
            result.set_exception(exc)
        else:
            result.set_result(None)

    threading.Thread(target=check, name="filmcrawl-quick-check", daemon=True).start()


def _unchecked_state(file: Path) -> tuple[object, ...] | None:
    """The state of a SQLite file that has not passed the checks as it is now; None for
    no file, an empty one (a writer may use either) or one that passed. A directory and
    a file that is not SQLite are refused."""
    if file.is_dir():
        raise DatabaseRefusedError(f"{file} is a directory; --db takes a database file")
    if not file.exists() or file.stat().st_size == 0:
        return None
    state = _file_state(file)
    if state in _PASSED:
        return None
    with file.open("rb") as stream:
        header = stream.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseRefusedError(
            f"{file} is not a SQLite database; give --db a filmcrawl database or a new file"
        )
    return state


# Quick checks started by start_quick_check, by the state of the file they read.
_CHECKING: dict[tuple[object, ...], Future[None]] = {}
_CHECKING_LOCK = threading.Lock()


def _quick_check(file: Path, connection: sqlite3.Connection) -> None:
    problems = [
        " ".join(str(row[0]).split()) for row in connection.execute("PRAGMA quick_check(5)")
    ]
    if problems != ["ok"]:
        raise DatabaseRefusedError(
            f"{file} is damaged (PRAGMA quick_check: {'; '.join(problems)}); "
            "restore it from a backup, or crawl into a new file"
        )


@contextlib.contextmanager
def _reading(file: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection for the checks; SQLite's errors on a file it cannot read
    as a database become :class:`DatabaseRefusedError`."""
    try:
        connection = connect_readonly(file)
        try:
            yield connection
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefusedError(
            f"{file} cannot be read as a database ({exc}); it may be damaged: restore it "
            "from a backup, or crawl into a new file"
        ) from exc


def _has_our_migrations(connection: sqlite3.Connection) -> bool:
    row = connection.execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'filmcrawl'"
    ).fetchone()
    return bool(row[0])


def open_database(path: str | Path, *, migrate_schema: bool = True, check: bool = True) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date;
    refuse (:class:`DatabaseRefusedError`) a file that is not a filmcrawl database.

    WAL lets readers (Datasette, the CLI) query while a crawl writes, and roughly
    doubles insert speed; ``synchronous=NORMAL`` is durable across process crashes in
    WAL mode (only a power loss can cost the last transactions).
    """
    if check and str(path) != ":memory:":
        check_database(path)
    db = Database(str(path))
    db.execute("PRAGMA busy_timeout = 10000")
    if str(path) != ":memory:":
        db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    if migrate_schema:
        migrate(db)
    return db


def close_database(db: Database) -> None:
    """Close a writer's connection, leaving the file at rest in rollback-journal mode.

    WAL is for while a crawl writes (readers query alongside it). At rest, a WAL
    database makes every reader, even a read-only one, create ``-wal`` and ``-shm``
    files, which, owned by another user, block the next crawl (issue 17); in rollback
    mode a reader only reads. The next writer switches WAL on again. When another
    connection is still open the switch waits for a later run.
    """
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with contextlib.suppress(sqlite3.OperationalError):  # a reader is still open
            db.disable_wal()
    finally:
        db.close()


# Bound variables per statement, under the 999 that old SQLite builds allow.
MAX_BOUND_VARIABLES = 500


def select_in(
    db: Database, prefix: str, values: Iterable[Any], params: Sequence[Any] = ()
) -> set[Any]:
    """The first column of ``{prefix} IN (values)``, asked in chunks small enough for
    any SQLite. ``prefix`` ends with the column compared (``SELECT id FROM facts WHERE
    id``); ``params`` bind placeholders in the prefix."""
    ordered = sorted(set(values))
    found: set[Any] = set()
    for start in range(0, len(ordered), MAX_BOUND_VARIABLES):
        chunk = ordered[start : start + MAX_BOUND_VARIABLES]
        sql = f"{prefix} IN ({', '.join('?' for _ in chunk)})"
        found.update(row[0] for row in db.execute(sql, [*params, *chunk]))
    return found


def utc_now() -> str:
    """The current time as ISO 8601 UTC text, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
