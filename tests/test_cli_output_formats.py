"""Pipe-friendly output (issue 18, item 4): every listing command prints --json, --nl,
--csv and --tsv as sqlite-utils does, and tables into a pipe are not squeezed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crawler.cli.main import main
from crawler.cli.output import write_delimited

pytestmark = pytest.mark.slow

LISTINGS = (["films"], ["comments", "--limit", "0"], ["conflicts"], ["runs"])


def run(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, "--db", str(db)], env={"COLUMNS": ""})
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("command", LISTINGS, ids=lambda c: c[0])
def test_nl_is_the_json_array_one_object_a_line(sample_crawl_db: Path, command: list[str]) -> None:
    array = json.loads(run(sample_crawl_db, *command, "--json").stdout)
    lines = run(sample_crawl_db, *command, "--nl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == array
    assert array


@pytest.mark.parametrize("command", LISTINGS, ids=lambda c: c[0])
@pytest.mark.parametrize(("flag", "delimiter"), [("--csv", ","), ("--tsv", "\t")])
def test_csv_and_tsv_have_a_header_and_a_row_per_record(
    sample_crawl_db: Path, command: list[str], flag: str, delimiter: str
) -> None:
    records = json.loads(run(sample_crawl_db, *command, "--json").stdout)
    text = run(sample_crawl_db, *command, flag).stdout
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header, body = rows[0], rows[1:]
    if command[0] == "conflicts":  # one row per value, the consensus first
        assert header == ["film_id", "film_title", "field", "value", "consensus", "pages",
                          "stated_by"]  # fmt: skip
        assert [row[3] for row in body] == ["2013-01-23", "2013-01-24"]
        assert [row[4] for row in body] == ["1", "0"]
    else:
        assert header == list(records[0])
        assert len(body) == len(records)
        assert [row[0] for row in body] == [str(record[header[0]]) for record in records]
    no_headers = run(sample_crawl_db, *command, flag, "--no-headers").stdout
    assert list(csv.reader(io.StringIO(no_headers), delimiter=delimiter)) == body


def test_an_empty_listing_still_has_its_header(sample_crawl_db: Path) -> None:
    text = run(sample_crawl_db, "comments", "--lang", "xx", "--csv").stdout
    assert text.splitlines() == [
        "film_id,film_title,id,page_url,author,text,published,parent_id,kind,lang,"
        "lang_confidence,duplicate_of"
    ]


def test_one_format_at_a_time(sample_crawl_db: Path) -> None:
    result = CliRunner().invoke(main, ["films", "--csv", "--json", "--db", str(sample_crawl_db)])
    assert result.exit_code == 2
    assert "choose one output format: --json or --csv" in result.output


def test_a_table_into_a_pipe_is_not_squeezed(sample_crawl_db: Path) -> None:
    text = run(sample_crawl_db, "comments", "--limit", "5").stdout
    # Each comment keeps one line (160 characters of text) instead of wrapping at 80.
    lines = [line for line in text.splitlines() if line.strip()]
    assert max(len(line) for line in lines) > 150
    assert len(lines) == 3 + 5 + 1  # title, header, rule, five rows, "5 of 75 comments"


def test_lists_and_objects_become_json_cells() -> None:
    out = io.StringIO()
    write_delimited(out, ["a", "b", "c"], [(None, ["x", 1], {"k": "v"})])
    assert out.getvalue().splitlines() == ["a,b,c", ',"[""x"",1]","{""k"":""v""}"']
