"""How listing commands print: a table on a terminal, or ``--json``, ``--nl``, ``--csv``,
``--tsv`` for other programs, as sqlite-utils does.

Every CSV and TSV filmcrawl writes (listings and ``filmcrawl export --format csv``)
goes through :func:`write_delimited`, so every cell is spreadsheet-safe
(:func:`crawler.normalize.escaping.spreadsheet_safe`: a leading ``=``, ``+``, ``-``,
``@``, tab or CR gets a ``'``; control characters are escaped) in one place.
"""

from __future__ import annotations

import csv
import functools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any, TypeVar

import click

from crawler.normalize.escaping import spreadsheet_safe

F = TypeVar("F", bound=Callable[..., Any])

# The formats a listing command prints besides its table.
FORMATS = ("json", "nl", "csv", "tsv")


def output_options(fn: F) -> F:
    """``--json``, ``--nl``, ``--csv``, ``--tsv`` and ``--no-headers``; the command gets
    ``fmt`` (``"table"`` or one of :data:`FORMATS`) and ``headers``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        chosen = [name for name in FORMATS if kwargs.pop(f"as_{name}")]
        if len(chosen) > 1:
            raise click.UsageError(
                "choose one output format: " + " or ".join(f"--{name}" for name in chosen)
            )
        kwargs["fmt"] = chosen[0] if chosen else "table"
        kwargs["headers"] = not kwargs.pop("no_headers")
        return fn(*args, **kwargs)

    options = [
        click.option(
            "--json",
            "as_json",
            is_flag=True,
            help="Print a JSON array instead of a table (the record shapes are in schemas/json/).",
        ),
        click.option(
            "--nl", "as_nl", is_flag=True, help="Print newline-delimited JSON: one object a line."
        ),
        click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row."),
        click.option("--tsv", "as_tsv", is_flag=True, help="Print tab-separated values."),
        click.option("--no-headers", is_flag=True, help="Leave out the CSV/TSV header row."),
    ]
    decorated: Any = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def write_delimited(
    stream: IO[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    headers: bool = True,
    exact: bool = False,
) -> int:
    """Write ``rows`` as CSV (or TSV with ``delimiter="\\t"``); return how many rows.

    The one writer of every CSV and TSV filmcrawl produces. ``None`` is an empty cell;
    lists and dicts are written as JSON. Every cell is spreadsheet-safe unless ``exact``
    (for programs that read the values back).
    """
    writer = csv.writer(stream, delimiter=delimiter)
    if headers:
        writer.writerow(columns)
    count = 0
    for row in rows:
        cells = [_cell(value) for value in row]
        writer.writerow(cells if exact else [spreadsheet_safe(cell) for cell in cells])
        count += 1
    return count


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def print_records(
    fmt: str,
    records: Sequence[dict[str, Any]],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    headers: bool = True,
) -> None:
    """Print a listing in ``fmt``: JSON records for ``json``/``nl``, flat ``rows`` under
    ``columns`` for ``csv``/``tsv``."""
    if fmt == "json":
        click.echo(json.dumps(list(records), indent=2, ensure_ascii=False))
    elif fmt == "nl":
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
    else:
        write_delimited(
            sys.stdout, columns, rows, delimiter="\t" if fmt == "tsv" else ",", headers=headers
        )
