"""Clear errors for common slips (issue 18, item 6): one line naming the problem and
the fix, exit 2, never a traceback; every command honours FILMCRAWL_DB."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli.main import main


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("example.org/film", "'example.org/film' has no scheme: crawl https://example.org/film"),
        ("localhost:8000/film", "has no scheme: crawl http://localhost:8000/film"),
        ("ftp://example.org/film", "only http and https URLs can be crawled"),
        ("http:///film", "names no host"),
    ],
)
def test_a_url_slip_is_named_with_its_fix(tmp_path: Path, target: str, message: str) -> None:
    code, output = invoke("crawl", target, "--db", str(tmp_path / "films.db"))
    assert code == 2
    assert message in output
    assert output.count("\n") == 1
    assert not (tmp_path / "films.db").exists()


def test_a_saved_page_points_at_extract(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>A film</h1></body></html>", encoding="utf-8")
    code, output = invoke("crawl", str(page), "--db", str(tmp_path / "films.db"))
    assert code == 2
    assert f"filmcrawl extract {page}" in output


def test_a_file_of_urls_points_at_urls_file(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# films\nhttps://example.org/a\nhttps://example.org/b\n", encoding="utf-8")
    code, output = invoke("crawl", str(urls), "--db", str(tmp_path / "films.db"))
    assert code == 2
    assert f"pass it with --urls-file {urls}" in output


@pytest.mark.parametrize(
    "command", [["crawl", "--db", "{db}"], ["merge", "spool.db", "--into", "{db}"]], ids=str
)
def test_a_database_in_a_missing_folder_is_named_with_the_mkdir(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "no" / "such"
    code, output = invoke(*(arg.format(db=missing / "films.db") for arg in command))
    assert code == 2, output
    assert f"the folder {missing} does not exist (create it first: mkdir -p {missing})" in output


def test_max_depth_without_follow_says_to_add_it(tmp_path: Path) -> None:
    code, output = invoke("crawl", "--max-depth", "2", "--db", str(tmp_path / "x.db"))
    assert (code, output.strip()) == (
        2,
        "filmcrawl: --max-depth limits how far --follow follows links; add --follow",
    )


def test_an_unknown_language_detector_is_named_before_anything_is_crawled(
    tmp_path: Path,
) -> None:
    db = tmp_path / "films.db"
    code, output = invoke(
        "crawl",
        "http://127.0.0.1:9/film",
        "--db",
        str(db),
        "-s",
        "FILMCRAWL_LANGUAGE_DETECTOR=ouija",
    )
    assert code == 2
    assert output.startswith("filmcrawl: FILMCRAWL_LANGUAGE_DETECTOR: ")
    assert "ouija" in output
    assert output.count("\n") == 1
    assert not db.exists()


def test_serve_without_datasette_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_crawl_db: Path
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "datasette" else real(name)
    )
    code, output = invoke("serve", "--db", str(sample_crawl_db))
    assert code == 2
    assert "Datasette is not installed; install it with: " in output
    assert "-m pip install datasette" in output


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["films"],
        ["film", "miracle-in-cell-no-7-2013"],
        ["comments"],
        ["conflicts"],
        ["runs"],
        ["export"],
        ["report", "-o", "-"],
        ["datasette-metadata"],
    ],
    ids=lambda c: c[0],
)
def test_every_command_reads_filmcrawl_db(sample_crawl_db: Path, command: list[str]) -> None:
    code, output = invoke(*command, env={"FILMCRAWL_DB": str(sample_crawl_db)})
    assert code == 0, output
    other = invoke(*command, env={"FILMCRAWL_DB": "/nonexistent/spool.db"})
    if command[0] == "datasette-metadata":  # it names the database in its output
        assert '  "spool":' in other[1]
    else:
        assert other[0] == 4, other
        assert "/nonexistent/spool.db" in other[1]


@pytest.mark.parametrize("command", [["crawl"], ["merge", "spool.db"]], ids=lambda c: c[0])
def test_the_writing_commands_read_filmcrawl_db_too(tmp_path: Path, command: list[str]) -> None:
    # crawl and merge create their database: FILMCRAWL_DB names it (here in a folder
    # that does not exist, so the command stops before writing anything).
    missing = tmp_path / "no" / "such"
    code, output = invoke(*command, env={"FILMCRAWL_DB": str(missing / "films.db")})
    assert code == 2, output
    assert f"the folder {missing} does not exist" in output


def test_a_sitemap_without_a_scheme_is_named_with_its_fix(tmp_path: Path) -> None:
    code, output = invoke("crawl", "--sitemap", "example.org/sitemap.xml")
    assert (code, output.strip()) == (
        2,
        "filmcrawl: --sitemap 'example.org/sitemap.xml' has no scheme: "
        "crawl --sitemap https://example.org/sitemap.xml",
    )


@pytest.mark.parametrize(
    "command", [["crawl", "--db", "{db}"], ["merge", "spool.db", "--into", "{db}"]], ids=str
)
def test_a_database_that_is_no_sqlite_file_is_named(tmp_path: Path, command: list[str]) -> None:
    # Issue 18: a swapped argument (--db urls.txt) crawled, then ended in a traceback.
    swapped = tmp_path / "urls.txt"
    swapped.write_text("https://example.org/a\n", encoding="utf-8")
    code, output = invoke(*(arg.format(db=swapped) for arg in command))
    assert (code, output.count("\n")) == (2, 1), output
    assert f"{swapped} is not a SQLite database" in output
    assert swapped.read_text(encoding="utf-8") == "https://example.org/a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["urls.txt"]  # no lock file either
