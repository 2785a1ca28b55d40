"""Datasette commands: ``datasette-metadata`` (the shipped metadata, for any database
file name) and ``serve`` (Datasette on the database with that metadata)."""

from __future__ import annotations

import importlib.util
import json
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from crawler.cli.options import CommandError, db_option, open_db, pipe_safe
from crawler.run.status import EXIT_USAGE

# Shipped as package data (pyproject: [tool.setuptools.package-data]).
METADATA_PATH = Path(__file__).resolve().parents[1] / "datasette" / "metadata.yml"
# The database name the shipped file uses: Datasette names a database after its file.
METADATA_DATABASE = "films"
_DATABASE_KEY = re.compile(rf"^  {METADATA_DATABASE}:$", re.MULTILINE)


def database_name(db_path: Path) -> str:
    """The name Datasette gives the database at ``db_path`` (its file name without the
    extension)."""
    return db_path.stem


def metadata_for(db_path: Path) -> str:
    """The shipped metadata (YAML) with its database key set to ``db_path``'s name."""
    text = METADATA_PATH.read_text(encoding="utf-8")
    name = database_name(db_path)
    if name == METADATA_DATABASE:
        return text
    # A JSON string is a valid YAML key, whatever characters the file name has.
    text, found = _DATABASE_KEY.subn(f"  {json.dumps(name)}:", text, count=1)
    assert found == 1, "the shipped metadata has no databases: films: key"
    return text


@click.command(name="datasette-metadata")
@db_option
@click.option(
    "--path",
    "show_path",
    is_flag=True,
    help="Print where the shipped metadata file is instead (it is for a database named films.db).",
)
@pipe_safe
def datasette_metadata(db_path: Path, show_path: bool) -> None:
    """Print Datasette metadata for the database: a title and description for every
    table and column, facets, and canned queries.

    Datasette matches metadata to a database by file name, so the output is for the
    --db given (films.db by default). Canned queries: conflicts,
    comments_by_language, comments_in_language, films_by_sources,
    changes_in_last_run.

    \b
    Examples:
        datasette films.db --metadata "$(filmcrawl datasette-metadata --path)"
        filmcrawl datasette-metadata --db spool.db > metadata.yml
        datasette spool.db --metadata metadata.yml
    """
    if show_path:
        click.echo(str(METADATA_PATH))
        return
    click.echo(metadata_for(db_path), nl=False)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("-p", "--port", default=8001, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open a web browser on it.")
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED)
def serve(
    db_path: Path, host: str, port: int, open_browser: bool, datasette_args: tuple[str, ...]
) -> None:
    """Browse the database in Datasette, with filmcrawl's metadata and canned queries.

    Needs Datasette (pip install 'filmcrawl[datasette]'). Arguments after -- go to
    datasette serve as they are.

    \b
    Examples:
        filmcrawl serve
        filmcrawl serve --db spool.db --port 8002 --open
        filmcrawl serve -- --setting max_returned_rows 5000
    """
    open_db(db_path).close()
    if importlib.util.find_spec("datasette") is None:
        raise CommandError(
            "Datasette is not installed; install it with: "
            f"{sys.executable} -m pip install datasette",
            EXIT_USAGE,
        )
    with tempfile.TemporaryDirectory(prefix="filmcrawl-datasette-") as tmp:
        metadata = Path(tmp) / "metadata.yml"
        metadata.write_text(metadata_for(db_path), encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(db_path),
            "--metadata",
            str(metadata),
            "--host",
            host,
            "--port",
            str(port),
            *(["--open"] if open_browser else []),
            *datasette_args,
        ]
        sys.exit(_run_until_stopped(command))


def _run_until_stopped(command: list[str]) -> int:
    """Run ``command``; stopping this process (Ctrl-C, SIGTERM) stops it too."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    child = subprocess.Popen(command)
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


SERVE_COMMANDS = (datasette_metadata, serve)


def register(group: click.Group) -> None:
    """Add the Datasette commands to the ``filmcrawl`` group."""
    for command in SERVE_COMMANDS:
        group.add_command(command)
