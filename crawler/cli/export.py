"""Export commands: ``export`` (JSON Lines or CSV) and ``schema`` (the JSON Schemas of
every exported record)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from crawler.cli.json_schemas import SCHEMA_DIR, drifted, write_schemas
from crawler.cli.options import CommandError, db_option, open_db, pipe_safe
from crawler.cli.output import write_delimited
from crawler.cli.read import iter_films, resolve_film
from crawler.cli.records import jsonable
from crawler.run.status import EXIT_FAILED, EXIT_USAGE
from schemas.tables import CONTRACT_TABLES

if TYPE_CHECKING:
    from sqlite_utils import Database

# The CSV export: every contract table, plus the conflicts view.
CSV_SOURCES: tuple[str, ...] = (*CONTRACT_TABLES, "fact_conflicts")


@click.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object per film, everything nested; csv: one file per table.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="jsonl: the file to write (default: standard output); csv: the directory to "
    "write the tables into (required).",
)
@click.option("--film", "film_name", help="jsonl: only this film (id or title).")
@click.option(
    "--exact",
    is_flag=True,
    help="csv: write every cell exactly as stored, for programs; by default a cell a "
    "spreadsheet would run as a formula starts with ' and control characters are escaped.",
)
@pipe_safe
def export(db_path: Path, fmt: str, out: Path | None, film_name: str | None, exact: bool) -> None:
    """Export the database for other tools: JSON Lines per film, or CSV per table.

    JSON Lines: one object per film with its consensus values, every fact with the
    page it comes from, credits, titles, conflicts and comments nested
    (schemas/json/film.schema.json describes it). Records on pages that no film was
    resolved for are not in it; the CSV export has everything.

    CSV: one file per table (pages, films, film_titles, facts, credits, comments,
    crawl_runs, fact_conflicts), with a header row, into the directory --out. A text
    cell that starts with =, +, -, @, tab or CR gets a leading ' so that a spreadsheet
    shows it instead of running it as a formula; control characters are escaped.

    \b
    Examples:
        filmcrawl export --out films.jsonl
        filmcrawl export --film miracle-in-cell-no-7-2013 | jq .conflicts
        filmcrawl export --format csv --out export/
    """
    db = open_db(db_path)
    if fmt == "csv":
        if film_name is not None:
            raise CommandError("--film only works with --format jsonl", EXIT_USAGE)
        if out is None:
            raise CommandError(
                "--format csv writes one file per table: give a directory with --out",
                EXIT_USAGE,
            )
        for table, rows, path in export_csv(db, out, exact=exact):
            click.echo(f"{table}: {plural(rows, 'rows')} -> {path}", err=True)
        return

    only = resolve_film(db, film_name).id if film_name is not None else None
    with _output(out) as stream:
        counts = export_jsonl(db, stream, only)
    where = "standard output" if out is None or str(out) == "-" else str(out)
    films, *records = (
        plural(counts[name], name) for name in ("films", "facts", "credits", "titles", "comments")
    )
    click.echo(f"exported {films} ({', '.join(records)}) to {where}", err=True)
    if only is None:
        left_out = unattached_counts(db)
        if any(left_out.values()):
            click.echo(
                "not in the export, on pages with no film: "
                + ", ".join(f"{n} {name}" for name, n in left_out.items() if n)
                + " (--format csv has them)",
                err=True,
            )


def plural(n: int, noun: str) -> str:
    """``1 film``, ``2 films`` (``noun`` is given in the plural)."""
    return f"{n} {noun[:-1] if n == 1 else noun}"


@contextmanager
def _output(out: Path | None) -> Iterator[IO[str]]:
    """Standard output, or a file that appears only when the export completed."""
    if out is None or str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as stream:
            yield stream
        partial.replace(out)
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc}", EXIT_FAILED) from exc
    finally:
        partial.unlink(missing_ok=True)


def export_jsonl(db: Database, stream: IO[str], only: str | None = None) -> dict[str, int]:
    """Write one JSON object per film to ``stream``; return how many of each record."""

    counts = dict.fromkeys(("films", "facts", "credits", "titles", "comments"), 0)
    for film in iter_films(db, only):
        stream.write(json.dumps(jsonable(film), ensure_ascii=False) + "\n")
        counts["films"] += 1
        counts["facts"] += len(film.facts)
        counts["credits"] += len(film.credits)
        counts["titles"] += len(film.titles)
        counts["comments"] += len(film.comments)
    return counts


def unattached_counts(db: Database) -> dict[str, int]:
    """Current records on pages that no film was resolved for."""
    return {
        "facts": db.execute(
            "SELECT count(*) FROM facts WHERE film_id IS NULL AND current = 1"
        ).fetchone()[0],
        "credits": db.execute(
            "SELECT count(*) FROM credits WHERE film_id IS NULL AND current = 1"
        ).fetchone()[0],
        "comments": db.execute("SELECT count(*) FROM comments WHERE film_id IS NULL").fetchone()[0],
    }


def export_csv(
    db: Database, directory: Path, *, exact: bool = False
) -> list[tuple[str, int, Path]]:
    """Write each table of :data:`CSV_SOURCES` to ``directory/<table>.csv``
    (spreadsheet-safe unless ``exact``)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create {directory}: {exc}", EXIT_FAILED) from exc
    written = []
    for table in CSV_SOURCES:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info([{table}])")]
        order = "film_id, field" if table == "fact_conflicts" else "rowid"
        path = directory / f"{table}.csv"
        try:
            with path.open("w", encoding="utf-8", newline="") as stream:
                rows = write_delimited(
                    stream,
                    columns,
                    db.execute(
                        f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}] "
                        f"ORDER BY {order}"
                    ),
                    exact=exact,
                )
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc}", EXIT_FAILED) from exc
        written.append((table, rows, path))
    return written


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory to write to (default: the schemas/json/ folder of this package).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 when the files differ from what the code generates.",
)
def schema(out: Path | None, check: bool) -> None:
    """Write a JSON Schema for each record filmcrawl exports.

    One file per record type: a film of the JSON Lines export (film.schema.json),
    an item of Scrapy's feed exports (page-item.schema.json), and one element of each
    listing command's --json output (films-, comments-, conflicts-, runs-entry).
    They are generated from the code; the committed copies must match it.

    \b
    Examples:
        filmcrawl schema
        filmcrawl schema --check
        filmcrawl schema --out /tmp/schemas
    """

    directory = _relative(out or SCHEMA_DIR)
    if check:
        problems = drifted(directory)
        if problems:
            raise CommandError(
                f"the schemas in {directory} are out of date (filmcrawl schema rewrites them)",
                EXIT_FAILED,
                problems,
            )
        click.echo(f"the schemas in {directory} match the code", err=True)
        return
    for path, changed in write_schemas(directory):
        state = "removed" if not path.exists() else ("wrote" if changed else "unchanged")
        click.echo(f"{state} {path}")


def _relative(path: Path) -> Path:
    """``path`` relative to the working directory when it is under it (shorter to read)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path
