"""Datasette: the shipped metadata describes every table and column, its canned queries
run, and a real Datasette serves a crawled database with it (escaping HTML)."""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from crawler.cli.main import main
from crawler.cli.serve import (
    METADATA_PATH,
    TABLE_CONFIG_KEYS,
    metadata_for,
    split_for_datasette_1,
)
from crawler.store.database import open_database
from tests.helpers.crawl import REPO_ROOT, crawl_env
from tests.helpers.querydb import HOSTILE_FILM, SCRIPT_COMMENT, crawl_hostile_db


def load_metadata(text: str | None = None) -> dict[str, Any]:
    data = yaml.safe_load(text if text is not None else METADATA_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def schema_of(path: Path) -> dict[str, list[str]]:
    """Every table and view of a freshly migrated database, with its columns."""
    db = open_database(path)
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: [row[1] for row in db.execute(f"PRAGMA table_info([{name}])")] for name in names
        }
    finally:
        db.close()


# --- the metadata file ---------------------------------------------------------------


def test_every_table_and_column_has_a_title_and_description(tmp_path: Path) -> None:
    tables = load_metadata()["databases"]["films"]["tables"]
    missing = []
    for table, columns in schema_of(tmp_path / "films.db").items():
        meta = tables.get(table)
        if not meta or not meta.get("title") or not meta.get("description"):
            missing.append(f"table {table}")
            continue
        described = meta.get("columns") or {}
        missing += [f"column {table}.{c}" for c in columns if not described.get(c)]
    assert not missing, "crawler/datasette/metadata.yml does not describe: " + ", ".join(missing)


def test_the_metadata_describes_nothing_that_does_not_exist(tmp_path: Path) -> None:
    schema = schema_of(tmp_path / "films.db")
    for table, meta in load_metadata()["databases"]["films"]["tables"].items():
        assert table in schema, f"metadata describes a table that does not exist: {table}"
        stale = set(meta.get("columns") or {}) - set(schema[table])
        assert not stale, f"metadata describes columns {table} does not have: {stale}"
        for facet in meta.get("facets", []):
            assert facet in schema[table], (table, facet)


def test_the_canned_queries_run_on_an_empty_database(tmp_path: Path) -> None:
    open_database(tmp_path / "films.db").close()
    queries = load_metadata()["databases"]["films"]["queries"]
    assert set(queries) >= {
        "conflicts",
        "comments_by_language",
        "films_by_sources",
        "changes_in_last_run",
    }
    with sqlite3.connect(tmp_path / "films.db") as conn:
        for name, query in queries.items():
            assert query["title"] and query["description"], name
            conn.execute(query["sql"], {"film": "", "lang": "ms"}).fetchall()


def test_changes_in_last_run_shows_only_that_runs_pages(tmp_path: Path) -> None:
    # Times are to the second: a run starting in the second the one before wrote its
    # last page showed that page and its records as its own changes (a flaky Datasette
    # test, the second crawl of its fixture starting in the first one's last second).
    db = open_database(tmp_path / "films.db")
    for run_id, started, finished in ((1, "00:00:00", "00:00:05"), (2, "00:00:05", "00:00:09")):
        db["crawl_runs"].insert(
            {
                "id": run_id,
                "started_at": f"2026-01-01T{started}Z",
                "finished_at": f"2026-01-01T{finished}Z",
                "status": "finished",
            }
        )
    for run_id, url, fetched_at in ((1, "http://a.test/1", "05"), (2, "http://a.test/2", "06")):
        when = f"2026-01-01T00:00:{fetched_at}Z"
        db["pages"].insert(
            {
                "url": url,
                "status": "ok",
                "first_seen": when,
                "last_changed": when,
                "last_fetched": when,
                "last_run_id": run_id,
            }
        )
        db["comments"].insert(
            {"page_url": url, "text": "A comment.", "kind": "comment", "first_seen": when}
        )
    db.close()
    sql = load_metadata()["databases"]["films"]["queries"]["changes_in_last_run"]["sql"]
    with sqlite3.connect(tmp_path / "films.db") as conn:
        rows = conn.execute(sql).fetchall()
    assert sorted((row[0], row[-1]) for row in rows) == [
        ("comment", "http://a.test/2"),
        ("page", "http://a.test/2"),
    ]


def test_metadata_for_another_file_name_renames_the_database_key() -> None:
    assert metadata_for(Path("films.db")) == METADATA_PATH.read_text(encoding="utf-8")
    renamed = load_metadata(metadata_for(Path("/data/night: run #2.db")))
    assert list(renamed["databases"]) == ["night: run #2"]
    assert renamed["databases"]["night: run #2"] == load_metadata()["databases"]["films"]


def test_datasette_metadata_command_prints_the_path_or_the_metadata(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["datasette-metadata", "--path"])
    assert result.exit_code == 0
    assert Path(result.stdout.strip()) == METADATA_PATH
    result = runner.invoke(main, ["datasette-metadata", "--db", str(tmp_path / "spool.db")])
    assert result.exit_code == 0
    assert list(load_metadata(result.stdout)["databases"]) == ["spool"]


def test_datasette_1_gets_settings_in_its_config_and_texts_in_its_metadata() -> None:
    # Issue 18: Datasette 1.0 reads canned queries, facets, sorting and hidden tables
    # from datasette.yaml (filmcrawl datasette-metadata --config); nothing is lost.
    result = CliRunner().invoke(main, ["datasette-metadata", "--config"])
    assert result.exit_code == 0, result.output
    config = yaml.safe_load(result.stdout)["databases"]["films"]
    shipped = load_metadata()["databases"]["films"]
    metadata = load_metadata(json.dumps(split_for_datasette_1(metadata_for(Path("films.db")))[0]))
    assert config["queries"] == shipped["queries"]
    assert "queries" not in metadata["databases"]["films"]
    for name, table in shipped["tables"].items():
        kept = metadata["databases"]["films"]["tables"][name]
        moved = config.get("tables", {}).get(name, {})
        assert {**kept, **moved} == table, name
        assert not set(kept) & set(TABLE_CONFIG_KEYS), name
        assert kept.get("description") == table.get("description"), name


def test_the_metadata_ships_with_the_package() -> None:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]["crawler"]
    assert "datasette/*.yml" in package_data
    assert METADATA_PATH.parent.name == "datasette"
    assert METADATA_PATH.parent.parent == REPO_ROOT / "crawler"


# --- a real Datasette ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def get_json(url: str) -> Any:
    status, body = get(url)
    assert status == 200, (url, status, body[:500])
    return json.loads(body)


def wait_until_serving(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited before it served anything"
        try:
            get(base + "/-/versions.json")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {base} within 60 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def crawled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crawl_hostile_db(tmp_path_factory.mktemp("datasette"))


@pytest.fixture(scope="module")
def datasette(crawled_db: Path) -> Iterator[str]:
    """``datasette films.db --metadata …`` as the README shows it, on a free port."""
    metadata = crawled_db.parent / "metadata.yml"
    metadata.write_text(metadata_for(crawled_db), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(crawled_db), "--metadata",
         str(metadata), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=crawled_db.parent,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        yield base
    finally:
        stop(process)


@pytest.mark.slow
def test_datasette_serves_a_table_through_its_json_api(datasette: str) -> None:
    films = get_json(datasette + "/films/films.json?_shape=array")
    by_id = {film["id"]: film for film in films}
    miracle = by_id["miracle-in-cell-no-7-2013"]
    assert miracle["title"] == "Miracle in Cell No. 7"
    assert miracle["year"] == 2013
    assert miracle["source_count"] == 5
    comments = get_json(datasette + "/films/comments.json?_shape=array&_size=max&lang=ms")
    assert [c["author"] for c in comments] == ["Zach Asyraf"]


@pytest.mark.slow
def test_datasette_runs_the_canned_queries(datasette: str) -> None:
    conflicts = get_json(datasette + "/films/conflicts.json?_shape=array")
    release = [c for c in conflicts if c["field"] == "release_date"]
    assert [(c["value"], c["pages"]) for c in release] == [("2013-01-23", 2), ("2013-01-24", 1)]
    languages = {
        row["lang"]: row["comments"]
        for row in get_json(datasette + "/films/comments_by_language.json?_shape=array")
    }
    assert languages["ms"] == 1
    assert sum(languages.values()) == 75 + 3
    one_film = get_json(
        datasette + "/films/comments_by_language.json?_shape=array&film=miracle-in-cell-no-7-2013"
    )
    assert sum(row["comments"] for row in one_film) == 75
    changes = get_json(datasette + "/films/changes_in_last_run.json?_shape=array&_size=max")
    new_comments = [c for c in changes if c["record"] == "comment"]
    assert len(new_comments) == 3
    assert all("markup-tester" in c["source_url"] for c in changes)
    assert any(c["record"] == "page" and c["change"] == "new" for c in changes)
    ranked = get_json(datasette + "/films/films_by_sources.json?_shape=array")
    assert ranked[0]["id"] == "miracle-in-cell-no-7-2013"
    assert ranked[0]["comments"] == 75


@pytest.mark.slow
def test_datasette_shows_the_descriptions(datasette: str) -> None:
    metadata = get_json(datasette + "/-/metadata.json")
    assert metadata["databases"]["films"]["tables"]["comments"]["description"]
    status, page = get(datasette + "/films/comments")
    assert status == 200
    assert "Audience comments, replies, user reviews and pingbacks" in page


@pytest.mark.slow
def test_datasette_escapes_html_in_comments(datasette: str) -> None:
    status, page = get(datasette + "/films/comments?_search=alert")
    assert status == 200
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert(" not in page
    rows = get_json(datasette + "/films/comments.json?_shape=array&_search=alert")
    assert [row["text"] for row in rows] == [SCRIPT_COMMENT]


@pytest.mark.slow
def test_filmcrawl_serve_starts_datasette_with_the_metadata_and_stops_it(
    crawled_db: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = crawl_env()
    env["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(crawled_db), "--port",
         str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        metadata = get_json(base + "/-/metadata.json")
        assert "films" in metadata["databases"]
        titles = get_json(base + "/films/films.json?_shape=array&_col=title")
        assert HOSTILE_FILM in {row["title"] for row in titles}
    finally:
        stop(process)
    assert process.returncode is not None
    with pytest.raises(OSError):
        get(base + "/-/versions.json")
    # The metadata written for the run is gone with it.
    assert list((tmp_path / "tmp").iterdir()) == []
