"""The query commands on a small hand-made database: name matching, ambiguity, hostile
text, full-text query quoting, and the errors a user can make."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crawler.cli.main import main
from crawler.cli.query import highlighted
from crawler.cli.read import MATCH_END, MATCH_START, fts_query
from crawler.normalize.titles import title_key
from crawler.run.status import EXIT_AMBIGUOUS, EXIT_NO_DATABASE, EXIT_NOT_FOUND, EXIT_USAGE
from crawler.store.database import open_database, stable_id
from tests.helpers.crawl import crawl_env

HOSTILE_TEXT = "[bold red]loud[/bold red] <script>alert(1)</script> :smile: \x1b[31mred"
HOSTILE_AUTHOR = "[blink]Eve[/blink]"
HOSTILE_TITLE = "[red]Evil[/red] :skull: title"
NOW = "2026-01-01T00:00:00Z"


def _page(db: sqlite3.Connection | object, url: str, film_id: str | None) -> dict[str, object]:
    return {
        "url": url,
        "site": "example.org",
        "film_id": film_id,
        "title": url,
        "status": "ok",
        "http_status": 200,
        "first_seen": NOW,
        "last_fetched": NOW,
        "last_changed": NOW,
    }


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "films.db"
    db = open_database(path)
    films = [
        {"id": "miracle-2013", "title": "Miracle", "year": 2013, "source_count": 1},
        {"id": "twins-2001", "title": "Twins", "year": 2001, "source_count": 1},
        {"id": "twins-2019", "title": "Twins", "year": 2019, "source_count": 1},
    ]
    db["films"].insert_all(films)
    for film in films:
        url = f"https://example.org/{film['id']}"
        db["pages"].insert(_page(db, url, str(film["id"])))
    titles = [
        ("miracle-2013", "Miracle", "primary"),
        ("miracle-2013", "Gift From Room 7", "alternative"),
        ("miracle-2013", "7번방의 선물", "native"),
        ("miracle-2013", HOSTILE_TITLE, "alternative"),
        ("twins-2001", "Twins", "primary"),
        ("twins-2019", "Twins", "primary"),
    ]
    db["film_titles"].insert_all(
        {
            "id": stable_id(film_id, kind, title),
            "film_id": film_id,
            "title": title,
            "kind": kind,
            "title_key": title_key(title),
            "source_url": f"https://example.org/{film_id}",
            "current": 1,
        }
        for film_id, title, kind in titles
    )
    db["facts"].insert_all(
        {
            "id": stable_id(film_id, field, value),
            "film_id": film_id,
            "field": field,
            "value": value,
            "raw": value,
            "match_key": value,
            "source_url": f"https://example.org/{film_id}",
            "tier": 10,
            "first_seen": NOW,
            "last_seen": NOW,
            "current": 1,
        }
        for film_id, field, value in (
            ("miracle-2013", "year", "2013"),
            ("miracle-2013", "genre", "[bold]Drama[/bold]"),
            ("twins-2001", "year", "2001"),
        )
    )
    comments = [
        ("miracle-2013", HOSTILE_AUTHOR, HOSTILE_TEXT, "en"),
        ("miracle-2013", "Zach", "Cerita yang hebat, saya menangis", "ms"),
        ("twins-2001", "Ann", "Two brothers and one very sad ending", "en"),
        (None, "Orphan", "A comment on a page without a film", "en"),
    ]
    db["comments"].insert_all(
        {
            "id": stable_id(author, text),
            "film_id": film_id,
            "page_url": f"https://example.org/{film_id}",
            "author": author,
            "text": text,
            "kind": "comment",
            "lang": lang,
            "position": n,
            "first_seen": NOW,
            "last_seen": NOW,
        }
        for n, (film_id, author, text, lang) in enumerate(comments)
    )
    db.close()
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200"})


# --- finding a film ---------------------------------------------------------------------


def test_a_name_that_fits_several_films_lists_them_and_exits_6(db_path: Path) -> None:
    result = run("film", "twins", "--db", str(db_path))
    assert result.exit_code == EXIT_AMBIGUOUS
    assert "matches 2 films" in result.stderr
    assert "twins-2001: Twins (2001)" in result.stderr
    assert "twins-2019: Twins (2019)" in result.stderr
    assert "Traceback" not in result.output


def test_an_id_is_never_ambiguous(db_path: Path) -> None:
    result = run("film", "twins-2019", "--db", str(db_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["year"] == 2019


@pytest.mark.parametrize(
    "name",
    ["miracle-2013", "MIRACLE-2013", "miracle", "  MIRACLE ", "gift from room 7", "7번방의 선물"],
)
def test_a_film_is_found_by_id_or_any_title_case_insensitively(db_path: Path, name: str) -> None:
    result = run("film", name, "--db", str(db_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "miracle-2013"


def test_a_spelling_variant_of_a_title_finds_the_film_by_its_title_key(db_path: Path) -> None:
    result = run("film", "GIFT-FROM-ROOM 7!", "--db", str(db_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "miracle-2013"


def test_an_unknown_film_exits_5_with_suggestions(db_path: Path) -> None:
    result = run("film", "mira", "--db", str(db_path))
    assert result.exit_code == EXIT_NOT_FOUND
    assert "no film matches 'mira'" in result.stderr
    assert "miracle-2013: Miracle (2013)" in result.stderr
    result = run("film", "zzz", "--db", str(db_path))
    assert result.exit_code == EXIT_NOT_FOUND
    assert "filmcrawl films lists every film" in result.stderr


def test_comments_for_an_unknown_film_exit_5(db_path: Path) -> None:
    result = run("comments", "--film", "nothing-like-it", "--db", str(db_path))
    assert result.exit_code == EXIT_NOT_FOUND


# --- text from pages is printed literally ------------------------------------------------


def test_comment_text_is_never_read_as_markup_or_terminal_codes(db_path: Path) -> None:
    result = run("comments", "--film", "miracle-2013", "--full", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "[bold red]loud[/bold red]" in result.stdout
    assert "<script>alert(1)</script>" in result.stdout
    assert ":smile:" in result.stdout
    assert HOSTILE_AUTHOR in result.stdout
    # The escape character is shown, not sent to the terminal.
    assert "\x1b" not in result.stdout
    assert "\\x1b[31mred" in result.stdout


def test_search_results_print_literally_too(db_path: Path) -> None:
    result = run("comments", "--search", "loud", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "[bold red]loud[/bold red]" in result.stdout
    assert "<script>alert(1)</script>" in result.stdout


def test_titles_and_facts_print_literally_in_the_film_view(db_path: Path) -> None:
    result = run("film", "miracle", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert HOSTILE_TITLE in result.stdout
    assert "[bold]Drama[/bold]" in result.stdout


# --- full-text search ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ['"unbalanced', "AND", "sad OR", "NEAR(", "text:sad", "(", "*", "a'b", "-x"]
)
def test_plain_search_words_never_make_a_query_error(db_path: Path, text: str) -> None:
    result = run("comments", "--search", text, "--db", str(db_path))
    assert result.exit_code == 0, result.output


def test_plain_search_finds_words_in_any_order_and_prefixes(db_path: Path) -> None:
    result = run("comments", "--search", "ending sad", "--json", "--db", str(db_path))
    assert [hit["author"] for hit in json.loads(result.stdout)] == ["Ann"]
    result = run("comments", "--search", "menang*", "--json", "--db", str(db_path))
    assert [hit["author"] for hit in json.loads(result.stdout)] == ["Zach"]


@pytest.mark.parametrize(
    ("query", "why"),
    [('sad OR "', "unterminated string"), ("sad OR", "fts5: syntax error"), ("x:sad", "x")],
)
def test_fts_syntax_errors_are_a_clear_message_and_exit_2(
    db_path: Path, query: str, why: str
) -> None:
    result = run("comments", "--search", query, "--fts-syntax", "--db", str(db_path))
    assert result.exit_code == EXIT_USAGE
    assert f"--search {query!r} is not a valid full-text query" in result.stderr
    assert why in result.stderr
    assert "FTS5 syntax:" in result.stderr
    assert "Traceback" not in result.output


def test_fts_syntax_is_available_on_request(db_path: Path) -> None:
    result = run(
        "comments", "--search", "hebat OR brothers", "--fts-syntax", "--json", "--db", str(db_path)
    )
    assert result.exit_code == 0, result.output
    assert sorted(hit["author"] for hit in json.loads(result.stdout)) == ["Ann", "Zach"]


def test_an_empty_search_is_a_usage_error(db_path: Path) -> None:
    result = run("comments", "--search", "   ", "--db", str(db_path))
    assert result.exit_code == EXIT_USAGE


def test_fts_query_quotes_every_word() -> None:
    assert fts_query("sad ending") == '"sad" "ending"'
    assert fts_query('say "hi"') == '"say" """hi"""'
    assert fts_query("daeb* OR") == '"daeb"* "OR"'
    assert fts_query("*") == '"*"'


def test_highlighted_marks_the_matched_words() -> None:
    text = highlighted(f"so {MATCH_START}sad{MATCH_END} [b]x[/b]", full=True)
    assert text.plain == "so sad [b]x[/b]"
    assert [(span.start, span.end) for span in text.spans] == [(3, 6)]


def test_highlighted_shows_the_first_match_of_a_long_comment() -> None:
    marked = "word " * 100 + f"{MATCH_START}needle{MATCH_END}" + " tail" * 100
    text = highlighted(marked, full=False, width=60)
    assert "needle" in text.plain
    assert text.plain.startswith("…") and text.plain.endswith("…")
    assert len(text.plain) == 62
    start = text.plain.index("needle")
    assert [(span.start, span.end) for span in text.spans] == [(start, start + 6)]


# --- filters and listings -----------------------------------------------------------------


def test_comments_filter_by_language_and_film(db_path: Path) -> None:
    result = run("comments", "--lang", "ms", "--json", "--db", str(db_path))
    assert [(hit["author"], hit["film_id"]) for hit in json.loads(result.stdout)] == [
        ("Zach", "miracle-2013")
    ]
    result = run("comments", "--film", "twins-2001", "--json", "--db", str(db_path))
    assert [hit["author"] for hit in json.loads(result.stdout)] == ["Ann"]


def test_comments_limit_says_how_many_are_left_out(db_path: Path) -> None:
    result = run("comments", "--limit", "1", "--db", str(db_path))
    assert result.exit_code == 0
    assert "1 of 4 comments; --limit 0 shows all." in result.stdout


def test_films_sort_and_limit(db_path: Path) -> None:
    result = run("films", "--sort", "year", "--json", "--db", str(db_path))
    assert [film["id"] for film in json.loads(result.stdout)] == [
        "twins-2001",
        "miracle-2013",
        "twins-2019",
    ]
    result = run("films", "--sort", "comments", "--limit", "1", "--json", "--db", str(db_path))
    assert [film["id"] for film in json.loads(result.stdout)] == ["miracle-2013"]


def test_empty_listings_say_so_and_succeed(db_path: Path) -> None:
    for command in ("runs", "conflicts"):
        result = run(command, "--db", str(db_path))
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert result.stderr.strip()
        result = run(command, "--json", "--db", str(db_path))
        assert json.loads(result.stdout) == []


# --- databases that are not there -----------------------------------------------------


@pytest.mark.parametrize("command", ["films", "film x", "comments", "conflicts", "runs", "export"])
def test_a_missing_database_exits_4_and_is_not_created(tmp_path: Path, command: str) -> None:
    path = tmp_path / "nowhere.db"
    result = run(*command.split(), "--db", str(path))
    assert result.exit_code == EXIT_NO_DATABASE
    assert f"no database at {path}" in result.stderr
    assert "filmcrawl crawl --db" in result.stderr
    assert not path.exists()


def test_a_file_that_is_not_sqlite_exits_4(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all, just some text " * 20)
    result = run("films", "--db", str(path))
    assert result.exit_code == EXIT_NO_DATABASE
    assert "is not a SQLite database" in result.stderr


def test_a_sqlite_file_of_another_program_exits_4(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (id INTEGER)")
    result = run("films", "--db", str(path))
    assert result.exit_code == EXIT_NO_DATABASE
    assert "is not a filmcrawl database" in result.stderr


# --- export edge cases --------------------------------------------------------------------


def test_csv_export_needs_a_directory(db_path: Path) -> None:
    result = run("export", "--format", "csv", "--db", str(db_path))
    assert result.exit_code == EXIT_USAGE
    assert "give a directory with --out" in result.stderr
    result = run("export", "--format", "csv", "--film", "x", "--out", "d", "--db", str(db_path))
    assert result.exit_code == EXIT_USAGE


def test_the_json_lines_export_says_what_it_leaves_out(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "films.jsonl"
    result = run("export", "--out", str(out), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "exported 3 films" in result.stderr
    assert "not in the export, on pages with no film: 1 comments" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert not (tmp_path / "films.jsonl.partial").exists()


def test_export_of_an_unknown_film_exits_5_and_writes_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "one.jsonl"
    result = run("export", "--film", "nope", "--out", str(out), "--db", str(db_path))
    assert result.exit_code == EXIT_NOT_FOUND
    assert not out.exists()


# --- output into a pipe that closes early -----------------------------------------------


@pytest.mark.parametrize(
    "command", [["comments", "--json", "--limit", "0"], ["comments", "--limit", "0"], ["export"]]
)
def test_a_reader_that_stops_early_ends_the_command_quietly(
    db_path: Path, command: list[str]
) -> None:
    db = open_database(db_path)
    db["comments"].insert_all(
        {
            "id": f"bulk-{n}",
            "film_id": "miracle-2013",
            "page_url": "https://example.org/miracle-2013",
            "text": f"comment number {n} " + "with quite a lot of words in it " * 8,
            "kind": "comment",
            "position": 100 + n,
        }
        for n in range(3000)
    )
    db.close()
    with subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", *command, "--db", str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=crawl_env(),
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(100)  # like `| head -c 100`
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr


def test_a_value_from_a_page_the_film_no_longer_has_is_still_numbered(db_path: Path) -> None:
    # Regression: the film view looked up every cited page in the film's own pages.
    db = open_database(db_path)
    db["credits"].insert(
        {
            "id": "orphan-credit",
            "film_id": "miracle-2013",
            "person": "Ada Quill",
            "person_key": "adaquill",
            "role": "director",
            "source_url": "https://elsewhere.example/old-page",
            "current": 1,
        }
    )
    db.close()
    result = run("film", "miracle-2013", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "[2]  https://elsewhere.example/old-page" in result.stdout
    assert "Ada Quill" in result.stdout
