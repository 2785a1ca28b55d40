"""Issue 17, items 7, 8, 9 and 16: the database file named by ``--db``.

* every command works on a path with ``#``, ``?``, ``%`` and a space in it;
* the writer lock is the real file's: a symlink or another spelling of the path does
  not let two crawls (or a merge) write one database, and the lock file goes when
  the run ends;
* a file that is not filmcrawl's (another application's SQLite, not SQLite at all,
  damaged) is refused and left untouched; a 0.1 database is recognised and stamped;
* readers open read-only: they leave no ``-wal``/``-shm`` files behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from crawler.cli.main import main
from crawler.run.status import EXIT_LOCKED, EXIT_NO_DATABASE, EXIT_OK, EXIT_USAGE
from crawler.store.database import open_database
from crawler.store.lock import lock_path
from schemas.tables import APPLICATION_ID
from tests.helpers.crawl import crawl_env, crawl_holding_the_lock, run_crawl
from tests.helpers.damaged import damaged_database
from tests.helpers.servers import Answer, film_page, scripted_server
from tests.test_datasette import free_port, get_json, stop, wait_until_serving

pytestmark = [pytest.mark.slow, pytest.mark.redteam]

ODD_NAME = "a b#c?d%e.db"


def linked_site(server: object) -> list[str]:
    """A film page that links to a second one (followed with --follow)."""
    second = server.url("/second")  # type: ignore[attr-defined]
    first = film_page("First Film").replace("</article>", f'<a href="{second}">more</a></article>')
    server.route("/robots.txt", Answer(404))  # type: ignore[attr-defined]
    server.route("/first", Answer.html(first))  # type: ignore[attr-defined]
    server.route("/second", Answer.html(film_page("Second Film")))  # type: ignore[attr-defined]
    return [server.url("/first"), server.url("/second")]  # type: ignore[attr-defined]


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def sidecars(db: Path) -> list[str]:
    return sorted(path.name for path in db.parent.iterdir() if path.name != db.name)


# --- item 7: odd characters in the path ---------------------------------------------------


def test_every_command_works_on_a_path_with_odd_characters(tmp_path: Path) -> None:
    """The read-only URI was built unquoted: a re-crawl read the links of a page from
    another file, silently saw one page and exited 0."""
    db = tmp_path / ODD_NAME
    with scripted_server() as server:
        urls = linked_site(server)
        assert run_crawl(db, urls[0], "--follow").returncode == EXIT_OK
        again = run_crawl(db, urls[0], "--follow")
        assert again.returncode == EXIT_OK, again.stderr[-3000:]
        requested = [entry.path for entry in server.log if entry.path != "/robots.txt"]
    assert sorted(requested) == ["/first", "/first", "/second", "/second"]
    assert "Traceback" not in again.stderr
    film_id = next(Database(db).query("SELECT id FROM films ORDER BY id"))["id"]
    for args in (
        ["films"],
        ["film", film_id],
        ["comments"],
        ["conflicts"],
        ["runs"],
        ["export"],
        ["export", "--format", "csv", "--out", str(tmp_path / "csv")],
        ["datasette-metadata"],
    ):
        result = cli(*args, "--db", str(db))
        assert result.exit_code == EXIT_OK, (args, result.output)
    runs = json.loads(cli("runs", "--db", str(db), "--json").stdout)
    assert [run["pages_fetched"] for run in runs] == [2, 2]
    merged = tmp_path / f"merged {ODD_NAME}"
    assert cli("merge", str(db), "--into", str(merged)).exit_code == EXIT_OK
    assert Database(merged)["pages"].count == 2

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(db), "--port", str(port)],
        env=crawl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, process)
        (database,) = [d for d in get_json(base + "/-/databases.json") if d["name"] != "_internal"]
        pages = get_json(f"{base}/{database['name']}/pages.json?_shape=array")
    finally:
        stop(process)
    assert sorted(page["url"] for page in pages) == sorted(urls)


# --- item 8: one writer per real file ----------------------------------------------------


def test_the_lock_is_the_real_files_whatever_the_path(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    db = tmp_path / "data" / "films.db"
    link = tmp_path / "link.db"
    link.symlink_to(db)
    other_spelling = tmp_path / "data" / ".." / "data" / "films.db"
    with scripted_server() as server, crawl_holding_the_lock(server, db, tmp_path) as first:
        for path in (link, other_spelling):
            second = run_crawl(path, server.url("/slow"), timeout=60)
            assert second.returncode == EXIT_LOCKED, second.stderr[-2000:]
            assert "in use by another filmcrawl crawl" in second.stderr
        merged = cli("merge", str(tmp_path / "spool.db"), "--into", str(link))
        assert merged.exit_code == EXIT_LOCKED, merged.output
    assert first.returncode == EXIT_OK
    # The run ended: its lock file went with it.
    assert not lock_path(db).exists()
    assert sidecars(db) == []


# --- item 9: not a filmcrawl database ------------------------------------------------------


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_another_applications_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "accounts.db"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO users (name) VALUES ('ada')")
    connection.commit()
    connection.close()
    before = fingerprint(db)
    result = run_crawl(db, "http://127.0.0.1:1/film")
    assert result.returncode == EXIT_USAGE
    assert "another application's SQLite database" in result.stderr
    assert "users" in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(db) == before
    assert sidecars(db) == []
    merged = cli("merge", str(tmp_path / "spool.db"), "--into", str(db))
    assert merged.exit_code == EXIT_USAGE
    assert fingerprint(db) == before
    assert cli("films", "--db", str(db)).exit_code == EXIT_NO_DATABASE


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "films.db"
    db.write_text("these are my notes, not a database\n")
    before = fingerprint(db)
    result = run_crawl(db, "http://127.0.0.1:1/film")
    assert result.returncode == EXIT_USAGE
    assert "is not a SQLite database" in result.stderr
    assert fingerprint(db) == before
    assert cli("films", "--db", str(db)).exit_code == EXIT_NO_DATABASE


def test_a_damaged_database_is_named_as_such(tmp_path: Path) -> None:
    db = damaged_database(tmp_path / "films.db")
    result = run_crawl(db, "http://127.0.0.1:1/film")
    assert result.returncode == EXIT_USAGE
    # Which page the damage hits decides whether SQLite notices it at the header or only
    # in quick_check; either way the message says the file is damaged and what to do.
    assert "damaged" in result.stderr
    assert "restore it from a backup" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_of_version_0_1_is_recognised_and_stamped(tmp_path: Path) -> None:
    db = tmp_path / "films.db"
    database = open_database(db)
    # What 0.1 made: the same tables, no application id, no 0004 migration.
    database.execute("PRAGMA application_id = 0")
    database.execute("DELETE FROM _sqlite_migrations WHERE name = '0005_application_id'")
    database.close()
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route("/film", Answer.html(film_page()))
        result = run_crawl(db, server.url("/film"))
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert Database(db).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


# --- item 16: readers leave nothing behind ----------------------------------------------------


def test_readers_leave_no_wal_or_shm_files(tmp_path: Path) -> None:
    db = tmp_path / "films.db"
    with scripted_server() as server:
        urls = linked_site(server)
        assert run_crawl(db, urls[0], "--follow").returncode == EXIT_OK
    assert sidecars(db) == []
    film_id = next(Database(db).query("SELECT id FROM films ORDER BY id"))["id"]
    for args in (["films"], ["film", film_id], ["comments"], ["conflicts"], ["runs"], ["export"]):
        assert cli(*args, "--db", str(db)).exit_code == EXIT_OK, args
        assert sidecars(db) == [], args
    # A read-only file (as another user sees it) can still be read.
    os.chmod(db, 0o444)
    try:
        assert cli("films", "--db", str(db)).exit_code == EXIT_OK
        assert sidecars(db) == []
    finally:
        os.chmod(db, 0o644)
