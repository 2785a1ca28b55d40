"""The exports round-trip: export a crawled sample-site database, read it back, and
find the same films, facts, credits, titles and comments."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from sqlite_utils import Database

from crawler.cli.export import CSV_SOURCES
from crawler.cli.main import main
from tests.helpers.querydb import crawl_sample_db

pytestmark = pytest.mark.slow

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "json"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crawl_sample_db(tmp_path_factory.mktemp("export"))


def count(db: Path, sql: str) -> int:
    database = Database(db)
    try:
        return int(database.execute(sql).fetchone()[0])
    finally:
        database.close()


def export(db: Path, *args: str) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["export", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_json_lines_round_trip_the_counts(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "films.jsonl"
    _, stderr = export(db, "--out", str(out))
    films = read_jsonl(out)
    assert len(films) == count(db, "SELECT count(*) FROM films") == 1
    assert sum(len(f["facts"]) for f in films) == count(
        db, "SELECT count(*) FROM facts WHERE current = 1"
    )
    assert sum(len(f["credits"]) for f in films) == count(
        db, "SELECT count(*) FROM credits WHERE current = 1"
    )
    assert sum(len(f["titles"]) for f in films) == count(
        db, "SELECT count(*) FROM film_titles WHERE current = 1"
    )
    assert sum(len(f["comments"]) for f in films) == count(db, "SELECT count(*) FROM comments")
    assert sum(len(f["comments"]) for f in films) == 75
    assert sum(len(f["facts"]) for f in films) > 20
    assert f"exported 1 film ({sum(len(f['facts']) for f in films)} facts" in stderr


def test_each_json_line_is_a_valid_film_record(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "films.jsonl"
    export(db, "--out", str(out))
    validator = Draft202012Validator(
        json.loads((SCHEMAS / "film.schema.json").read_text(encoding="utf-8"))
    )
    (film,) = read_jsonl(out)
    validator.validate(film)
    assert film["id"] == "miracle-in-cell-no-7-2013"
    # Provenance: every fact names the page it comes from and what the page said.
    for fact in film["facts"]:
        assert fact["source_url"].startswith("http://127.0.0.1:")
        assert fact["raw"]
    release = {f["value"] for f in film["facts"] if f["field"] == "release_date"}
    assert release == {"2013-01-23", "2013-01-24"}
    texts = {c["text"] for c in film["comments"]}
    database = Database(db)
    assert texts == {row["text"] for row in database.query("SELECT text FROM comments")}
    (malay,) = [c for c in film["comments"] if c["lang"] == "ms"]
    assert malay["author"] == "Zach Asyraf"


def test_json_lines_go_to_standard_output_by_default(db: Path) -> None:
    stdout, _ = export(db, "--film", "miracle in cell no. 7")
    (line,) = stdout.splitlines()
    assert json.loads(line)["id"] == "miracle-in-cell-no-7-2013"


def test_csv_round_trips_every_table(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    _, stderr = export(db, "--format", "csv", "--exact", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in CSV_SOURCES)
    database = Database(db)
    for table in CSV_SOURCES:
        with (out / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        assert len(rows) == count(db, f"SELECT count(*) FROM [{table}]"), table
        columns = [row[1] for row in database.execute(f"PRAGMA table_info([{table}])")]
        assert rows == [] or list(rows[0]) == columns
        assert f"{table}: " in stderr
    assert count(db, "SELECT count(*) FROM comments") == 75
    with (out / "comments.csv").open(encoding="utf-8", newline="") as stream:
        exported = {row["id"]: row["text"] for row in csv.DictReader(stream)}
    # Text with quotes, commas and line breaks survives exactly.
    stored = {row["id"]: row["text"] for row in database.query("SELECT id, text FROM comments")}
    assert exported == stored
    with (out / "fact_conflicts.csv").open(encoding="utf-8", newline="") as stream:
        (conflict,) = list(csv.DictReader(stream))
    assert conflict["field"] == "release_date"
    assert [v["value"] for v in json.loads(conflict["values"])] == ["2013-01-23", "2013-01-24"]
