"""Each query command on a crawled sample-site database: output and exit codes.

The sample site is five pages about one film, miracle-in-cell-no-7-2013, whose sources
disagree on its release date (2013-01-23 on two pages, 2013-01-24 on one) and whose
pages carry 63 + 3 + 9 comments, one of them in Malay.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from crawler.cli.main import main
from crawler.run.status import EXIT_NOT_FOUND
from tests.helpers.querydb import crawl_sample_db

pytestmark = pytest.mark.slow

FILM_ID = "miracle-in-cell-no-7-2013"
SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "json"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return crawl_sample_db(tmp_path_factory.mktemp("query"))


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--db", str(db)], env={"COLUMNS": "200"})


def run_json(db: Path, *args: str) -> Any:
    result = run(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def validate(name: str, data: Any) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)


# --- films ---------------------------------------------------------------------------


def test_films_lists_the_one_film_with_its_counts(db: Path) -> None:
    result = run(db, "films")
    assert result.exit_code == 0, result.output
    assert "1 film in" in result.stdout
    assert FILM_ID in result.stdout
    assert "Miracle in Cell No. 7" in result.stdout
    films = run_json(db, "films")
    assert len(films) == 1
    film = films[0]
    assert film["id"] == FILM_ID
    assert film["year"] == 2013
    assert film["sources"] == 5
    assert film["comments"] == 75
    assert film["conflicts"] == 1
    assert film["facts"] > 20
    validate("films-entry.schema.json", film)


# --- film ----------------------------------------------------------------------------


def test_film_shows_the_merged_view(db: Path) -> None:
    result = run(db, "film", FILM_ID)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Miracle in Cell No. 7 (2013)" in out
    assert "7번방의 선물" in out
    # The conflict is named at the top and marked in the facts.
    assert "Sources disagree on: release_date 2013-01-23" in out
    assert "vs 2013-01-24" in out
    assert "consensus" in out and "conflict" in out
    for section in ("Sources", "Facts", "Credits", "Titles"):
        assert section in out
    assert "asianwiki/Miracle_in_Cell_No.7/" in out
    assert "Lee Hwan" in out  # the director, under any of its spellings
    assert "Comments: 75" in out
    assert "ms 1" in out


def test_film_is_found_by_any_title(db: Path) -> None:
    for name in (
        "miracle in cell no. 7",
        "MIRACLE IN CELL NO.7",
        "7번방의 선물",
        "Gift From Room 7",
    ):
        assert run_json(db, "film", name)["id"] == FILM_ID, name


def test_film_json_is_the_export_record(db: Path) -> None:
    film = run_json(db, "film", FILM_ID)
    validate("film.schema.json", film)
    assert film["release_date"] == "2013-01-23"
    assert film["consensus"]["release_date"] == "2013-01-23"
    (conflict,) = [c for c in film["conflicts"] if c["field"] == "release_date"]
    assert [(v["value"], len(v["sources"])) for v in conflict["values"]] == [
        ("2013-01-23", 2),
        ("2013-01-24", 1),
    ]
    per_page: dict[str, int] = {}
    for comment in film["comments"]:
        page = comment["page_url"].split("/")[3]
        per_page[page] = per_page.get(page, 0) + 1
    assert per_page == {"asianwiki": 63, "karlablog": 3, "yam": 9}
    assert film["comment_languages"]["ms"] == 1
    assert sum(film["comment_languages"].values()) == 75
    assert len(film["sources"]) == 5
    assert any(c["role"] == "director" for c in film["credits"])
    assert {t["kind"] for t in film["titles"]} >= {"primary", "native", "alternative"}
    sources = {s["url"] for s in film["sources"]}
    assert {f["source_url"] for f in film["facts"]} <= sources


def test_an_unknown_film_exits_5(db: Path) -> None:
    result = run(db, "film", "Miracle in Cell No. 8")
    assert result.exit_code == EXIT_NOT_FOUND
    assert "no film matches 'Miracle in Cell No. 8'" in result.stderr


# --- comments ------------------------------------------------------------------------


def test_comments_lists_all_seventy_five(db: Path) -> None:
    comments = run_json(db, "comments", "--limit", "0")
    assert len(comments) == 75
    for comment in comments:
        validate("comments-entry.schema.json", comment)
    result = run(db, "comments")
    assert result.exit_code == 0
    assert "20 of 75 comments; --limit 0 shows all." in result.stdout


def test_comments_in_malay(db: Path) -> None:
    (comment,) = run_json(db, "comments", "--lang", "ms")
    assert comment["author"] == "Zach Asyraf"
    assert comment["film_id"] == FILM_ID
    assert comment["text"].startswith("Cerita yang HEBAT")
    result = run(db, "comments", "--lang", "ms", "--film", "miracle in cell no. 7")
    assert result.exit_code == 0
    assert "Zach Asyraf" in result.stdout


def test_comments_search(db: Path) -> None:
    hits = run_json(db, "comments", "--search", "menangis", "--limit", "0")
    assert [hit["author"] for hit in hits] == ["Zach Asyraf"]
    hits = run_json(db, "comments", "--search", "daughter", "--limit", "0")
    assert hits and all("daughter" in hit["text"].lower() for hit in hits)
    result = run(db, "comments", "--search", "menangis")
    assert result.exit_code == 0
    assert "1 comment matching 'menangis'" in result.stdout


def test_comments_by_kind(db: Path) -> None:
    pingbacks = run_json(db, "comments", "--kind", "pingback", "--limit", "0")
    assert len(pingbacks) == 7
    assert all("/yam/" in hit["page_url"] for hit in pingbacks)


# --- conflicts and runs ----------------------------------------------------------------


def test_conflicts_shows_the_release_date(db: Path) -> None:
    result = run(db, "conflicts")
    assert result.exit_code == 0, result.output
    assert "release_date" in result.stdout
    assert "2013-01-23" in result.stdout and "2013-01-24" in result.stdout
    conflicts = run_json(db, "conflicts")
    for conflict in conflicts:
        validate("conflicts-entry.schema.json", conflict)
    (release,) = [c for c in conflicts if c["field"] == "release_date"]
    assert release["film_id"] == FILM_ID
    assert [v["value"] for v in release["values"]] == ["2013-01-23", "2013-01-24"]
    assert run_json(db, "conflicts", "--film", FILM_ID) == conflicts


def test_runs_shows_the_crawl(db: Path) -> None:
    result = run(db, "runs")
    assert result.exit_code == 0, result.output
    assert "finished" in result.stdout
    (crawl,) = run_json(db, "runs")
    validate("runs-entry.schema.json", crawl)
    assert crawl["id"] == 1
    assert crawl["status"] == "finished"
    assert crawl["exit_code"] == 0
    assert crawl["pages_fetched"] == 5
    assert crawl["pages_new"] == 5
    assert crawl["comments_new"] == 75
    assert crawl["stats"]["finish_reason"] == "finished"
