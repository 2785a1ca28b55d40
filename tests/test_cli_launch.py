"""The ``filmcrawl`` script starts a crawl's fork server, and the check of the database
it names, before importing the command line (issue 16: the workers preload and the file
is read while the crawler imports)."""

from __future__ import annotations

import gc
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import crawler.store.database as database_module
from crawler.cli import launch
from crawler.cli.launch import crawls_with_workers, runs_a_crawl
from crawler.store.database import open_database
from tests.helpers.damaged import damaged_database


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["crawl"], True),
        (["crawl", "https://example.org/film", "--db", "films.db"], True),
        (["crawl", "-s", "FILMCRAWL_WORKERS=2"], True),
        (["crawl", "-s", "FILMCRAWL_WORKERS=0"], False),
        (["crawl", "--help"], False),
        (["crawl", "-h"], False),
        (["query", "films"], False),
        (["--help"], False),
        ([], False),
    ],
)
def test_which_command_lines_start_the_fork_server(arguments: list[str], expected: bool) -> None:
    assert crawls_with_workers(arguments) is expected
    assert runs_a_crawl(arguments) is (expected or "FILMCRAWL_WORKERS=0" in arguments)


def test_a_crawl_loads_scrapys_tls_modules_from_a_short_stack(tmp_path: Path) -> None:
    """Issue 16: each of the three deprecated aliases Scrapy's TLS modules make as they
    load calls ``inspect.stack()``, which reads the source of every frame. Loaded by the
    HTTP handler inside the spider loader's imports, the stack was 51-57 frames deep and
    the three calls took 0.58 s of a crawl's start; the launcher loads the modules first.
    The probe counts the frames each call sees in a real crawl (of a closed port)."""
    probe = (
        "import inspect, json, sys\n"
        "stack = inspect.stack\n"
        "depths = []\n"
        "def counted(*args, **kwargs):\n"
        "    frames = stack(*args, **kwargs)\n"
        "    depths.append(len(frames))\n"
        "    return frames\n"
        "inspect.stack = counted\n"
        "import crawler.cli.launch as launch\n"
        "sys.argv = ['filmcrawl', 'crawl', 'http://127.0.0.1:9/film', '--db', sys.argv[1],\n"
        "            '-s', 'FILMCRAWL_WORKERS=0', '-s', 'RETRY_ENABLED=0']\n"
        "try:\n"
        "    launch.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('depths', json.dumps(depths))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "films.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    depths = json.loads(result.stdout.rsplit("depths ", 1)[1])
    assert len(depths) == 3, result.stdout
    assert max(depths) < 25, depths


def test_the_fork_server_starts_before_the_command_line_is_imported() -> None:
    """A crawl (here one refused at once for its URL) asks for the fork server before
    ``crawler.cli.main`` and its imports are loaded; the command then runs as usual."""
    probe = (
        "import sys\n"
        "import crawler.cli.launch as launch\n"
        "seen = []\n"
        "launch.start_fork_server = lambda: seen.append('crawler.cli.main' in sys.modules)\n"
        "sys.argv = ['filmcrawl', 'crawl', 'not a url']\n"
        "try:\n"
        "    launch.main()\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code, 'started before the command line:', seen)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert "started before the command line: [False]" in result.stdout
    assert "exit 0" not in result.stdout


def test_a_crawl_exits_with_its_objects_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16: the collector's walks over everything a crawl imported cost ~0.4 s at
    exit; the launcher freezes the objects once the crawl command is done (whatever its
    outcome) and exits the usual way with the command's code."""
    monkeypatch.setattr(launch, "start_fork_server", lambda: None)
    monkeypatch.setattr(sys, "argv", ["filmcrawl", "crawl", "not a url"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as exit_info:
            launch.main()
        assert exit_info.value.code == 2  # the usage error, as without the launcher
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

    monkeypatch.setattr(sys, "argv", ["filmcrawl", "query", "--help"])
    with pytest.raises(SystemExit):
        launch.main()
    assert gc.get_freeze_count() == 0  # other commands exit as Python does


@pytest.mark.parametrize(
    ("arguments", "environment", "expected"),
    [
        (["crawl"], None, Path("films.db")),
        (["crawl", "https://example.org/film", "--db", "mine.db"], None, Path("mine.db")),
        (["crawl", "--db=out/mine.db", "--follow"], None, Path("out/mine.db")),
        (["crawl"], "env.db", Path("env.db")),
        (["crawl", "--db", "mine.db"], "env.db", Path("mine.db")),
        # The command decides between --db and the setting: nothing is guessed.
        (["crawl", "-s", "FILMCRAWL_DB=set.db"], None, None),
        (["crawl", "--db"], None, None),
        (["crawl", "--", "--db", "x.db"], None, Path("films.db")),
        (["films", "--db", "mine.db"], None, None),
        ([], None, None),
    ],
)
def test_the_database_a_crawl_names(
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    environment: str | None,
    expected: Path | None,
) -> None:
    if environment is None:
        monkeypatch.delenv("FILMCRAWL_DB", raising=False)
    else:
        monkeypatch.setenv("FILMCRAWL_DB", environment)
    assert launch.database_named(arguments) == expected


def test_the_check_started_early_is_the_one_the_command_waits_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: the launcher starts ``PRAGMA quick_check`` of the crawl's database
    while Scrapy loads; the command's check takes its answer instead of reading the file
    again, and a damaged file is refused with the same message either way."""
    checks: list[Path] = []
    quick_check = database_module._quick_check

    def counted(file: Path, connection: sqlite3.Connection) -> None:
        checks.append(file)
        quick_check(file, connection)

    monkeypatch.setattr(database_module, "_quick_check", counted)
    sound = tmp_path / "sound.db"
    open_database(sound).close()
    database_module.start_quick_check(sound)
    database_module.check_database(sound)
    database_module.check_database(sound)
    assert checks == [sound]

    damaged = damaged_database(tmp_path / "damaged.db")
    with pytest.raises(database_module.DatabaseRefusedError) as inline:
        database_module.check_database(damaged)
    database_module._PASSED.clear()
    copy = tmp_path / "damaged-too.db"
    copy.write_bytes(damaged.read_bytes())
    database_module.start_quick_check(copy)
    with pytest.raises(database_module.DatabaseRefusedError) as early:
        database_module.check_database(copy)
    assert str(early.value).replace("damaged-too.db", "damaged.db") == str(inline.value)
    # Another application's database passes quick_check: the command's check still
    # refuses it (only a file that passed every check is not read again).
    accounts = tmp_path / "accounts.db"
    connection = sqlite3.connect(accounts)
    connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()
    database_module.start_quick_check(accounts)
    for _ in range(2):
        with pytest.raises(database_module.DatabaseRefusedError, match="another application"):
            database_module.check_database(accounts)
    # What is not a database is left to the command's check, which refuses it.
    notes = tmp_path / "notes.db"
    notes.write_text("these are my notes\n")
    database_module.start_quick_check(notes)
    database_module.start_quick_check(tmp_path / "missing.db")
    with pytest.raises(database_module.DatabaseRefusedError, match="not a SQLite database"):
        database_module.check_database(notes)
