"""The ``filmcrawl`` script starts a crawl's fork server before importing the command
line (issue 16: the workers preload while the crawler imports)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from crawler.cli import launch
from crawler.cli.launch import crawls_with_workers


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
