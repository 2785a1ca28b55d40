"""Datasette commands: ``datasette-metadata`` (the shipped metadata, for any database
file name) and ``serve`` (Datasette on the database with that metadata)."""

from __future__ import annotations

import importlib.metadata
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


# Table settings that Datasette 1.0 reads from its configuration (datasette.yaml), not
# from metadata; 0.65 reads everything from metadata.
TABLE_CONFIG_KEYS = (
    "hidden",
    "sort",
    "sort_desc",
    "size",
    "sortable_columns",
    "label_column",
    "facets",
    "facet_size",
    "fts_table",
    "fts_pk",
    "searchmode",
)


def datasette_version() -> tuple[int, ...] | None:
    """The installed Datasette's version (``None`` when it is not installed)."""
    try:
        text = importlib.metadata.version("datasette")
    except importlib.metadata.PackageNotFoundError:
        return None
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


def split_for_datasette_1(metadata_text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The shipped metadata as Datasette 1.0 wants it: metadata (titles, descriptions)
    and configuration (canned queries, facets, sorting, hidden tables)."""
    # PyYAML is Datasette's dependency, not ours: needed only next to Datasette.
    import yaml  # noqa: PLC0415

    metadata = yaml.safe_load(metadata_text)
    config: dict[str, Any] = {"databases": {}}
    for name, database in metadata.get("databases", {}).items():
        target = config["databases"].setdefault(name, {})
        if "queries" in database:
            target["queries"] = database.pop("queries")
        for table_name, table in database.get("tables", {}).items():
            moved = {key: table.pop(key) for key in TABLE_CONFIG_KEYS if key in table}
            if moved:
                target.setdefault("tables", {})[table_name] = moved
    return metadata, config


@click.command(name="datasette-metadata")
@db_option
@click.option(
    "--path",
    "show_path",
    is_flag=True,
    help="Print where the shipped metadata file is instead (it is for a database named films.db).",
)
@click.option(
    "--config",
    "as_config",
    is_flag=True,
    help="Print the Datasette 1.0 configuration (datasette.yaml: canned queries, facets, "
    "sorting, hidden tables) that goes with the metadata.",
)
@pipe_safe
def datasette_metadata(db_path: Path, show_path: bool, as_config: bool) -> None:
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
        filmcrawl datasette-metadata --config > datasette.yaml     # Datasette 1.0
    """
    if show_path:
        click.echo(str(METADATA_PATH))
        return
    if as_config:
        # PyYAML is Datasette's dependency, not ours: needed only next to Datasette.
        import yaml  # noqa: PLC0415

        class Dumper(yaml.SafeDumper):
            """Writes SQL as a block, the way the shipped metadata does."""

        def block(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
            style = "|" if "\n" in text else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)

        Dumper.add_representer(str, block)
        _, config = split_for_datasette_1(metadata_for(db_path))
        click.echo(yaml.dump(config, Dumper=Dumper, sort_keys=False, allow_unicode=True), nl=False)
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
        served = _plainly_named(db_path, Path(tmp))
        metadata = Path(tmp) / "metadata.yml"
        text = metadata_for(served)
        files = ["--metadata", str(metadata)]
        version = datasette_version()
        if version is not None and version >= (1,):
            # Datasette 1.0 reads canned queries and table settings from datasette.yaml.
            split, config = split_for_datasette_1(text)
            text = json.dumps(split, ensure_ascii=False)
            (Path(tmp) / "datasette.json").write_text(json.dumps(config), encoding="utf-8")
            files += ["--config", str(Path(tmp) / "datasette.json")]
        metadata.write_text(text, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(served),
            *files,
            "--host",
            host,
            "--port",
            str(port),
            *(["--open"] if open_browser else []),
            *datasette_args,
        ]
        sys.exit(_run_until_stopped(command))


def _plainly_named(db_path: Path, directory: Path) -> Path:
    """``db_path``, or a symlink to it in ``directory`` when its name has characters
    Datasette does not quote (it opens ``file:{path}?mode=ro``: a ``#`` or ``?`` cut the
    path short, issue 17) or that would need quoting in its URLs. SQLite follows the
    link to the real file and finds its ``-wal`` there."""
    if _PLAIN_NAME.fullmatch(str(db_path.resolve())):
        return db_path
    link = directory / (re.sub(r"[^A-Za-z0-9_.-]+", "_", db_path.stem).strip("_.") or "films")
    link = link.with_name(link.name + ".db")
    link.symlink_to(db_path.resolve())
    return link


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_./-]+")


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
