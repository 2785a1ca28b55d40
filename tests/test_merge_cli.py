"""The ``filmcrawl merge`` command: output, exit codes, locks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli.main import main
from crawler.run.status import EXIT_FAILED, EXIT_LOCKED, EXIT_OK
from crawler.store.lock import DatabaseLock
from tests.helpers.spools import Film, crawl_into

T1 = "2026-01-01T00:00:00Z"


@pytest.fixture
def spools(tmp_path: Path) -> list[Path]:
    return [
        crawl_into(tmp_path / "shard-000.db", [(Film("http://127.0.0.1:1/a", "Stalker"), T1)]),
        crawl_into(tmp_path / "shard-001.db", [(Film("http://127.0.0.1:2/b", "Solaris"), T1)]),
    ]


def merge(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["merge", *map(str, args)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_merge_reports_each_spool_and_then_nothing_new(
    tmp_path: Path, spools: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = merge("shard-000.db", "shard-001.db", "--into", "films.db")
    assert code == EXIT_OK
    assert "shard-000.db" in out and "shard-001.db" in out
    code, out, _ = merge("shard-000.db", "shard-001.db", "--into", "films.db")
    assert code == EXIT_OK
    assert out.count("none new") == 2


def test_merge_as_json(tmp_path: Path, spools: list[Path]) -> None:
    code, out, _ = merge(spools[0], "--into", tmp_path / "films.db", "--json")
    assert code == EXIT_OK
    [report] = json.loads(out)
    assert report["merge_id"] == 1
    assert report["runs"] == [0, 1]
    assert report["counts"]["pages"] == 1


def test_a_refused_spool_fails_the_command_but_not_the_others(
    tmp_path: Path, spools: list[Path]
) -> None:
    into = tmp_path / "films.db"
    code, _, err = merge(tmp_path / "missing.db", *spools, "--into", into)
    assert code == EXIT_FAILED
    assert "missing.db: no such spool" in err
    code, out, _ = merge(*spools, "--into", into)
    assert out.count("none new") == 2


def test_a_spool_being_crawled_is_refused_unless_forced(tmp_path: Path, spools: list[Path]) -> None:
    crawl = DatabaseLock(spools[0])
    crawl.acquire()
    try:
        code, _, err = merge(spools[0], "--into", tmp_path / "films.db")
        assert code == EXIT_FAILED
        assert "in use by another filmcrawl crawl" in err and "--force" in err
        code, _, _ = merge(spools[0], "--into", tmp_path / "films.db", "--force")
        assert code == EXIT_OK
    finally:
        crawl.release()


def test_merge_waits_for_no_crawl_into_the_main_database(
    tmp_path: Path, spools: list[Path]
) -> None:
    into = tmp_path / "films.db"
    crawl = DatabaseLock(into)
    crawl.acquire()
    try:
        code, _, err = merge(*spools, "--into", into)
    finally:
        crawl.release()
    assert code == EXIT_LOCKED
    assert "in use by another filmcrawl crawl" in err


@pytest.mark.parametrize("command", ["merge", "shards"])
def test_scale_out_commands_explain_themselves(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"filmcrawl {command} " in result.output
