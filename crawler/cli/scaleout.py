"""Scale-out commands: ``filmcrawl shards`` splits the work into Scrapyd jobs,
``filmcrawl merge`` brings their spools into the main database."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawler.cli.options import (
    CommandError,
    check_new_database_path,
    database_option,
    parse_overrides,
    safe_text,
)
from crawler.fetch.shards import read_sitemaps, read_url_list, split, write_shards
from crawler.fetch.url_lists import url_problem
from crawler.run.status import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE
from crawler.store.database import DatabaseRefusedError, close_database, open_database
from crawler.store.lock import DatabaseLockedError, lock_database, unlock_database
from crawler.store.merge import MergeError, merge_spools


@click.command()
@click.argument("spools", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@database_option(
    "The main database to merge into (created if missing).", name="--into", dest="into"
)
@click.option(
    "--force",
    is_flag=True,
    help="Merge a spool even while a crawl holds it or its last run never finished; "
    "the unfinished run is taken again by the next merge.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was merged as JSON.")
def merge(spools: tuple[Path, ...], into: Path, force: bool, as_json: bool) -> None:
    """Merge crawl spools (the databases of shard jobs) into the main database.

    Each spool is merged in one transaction: pages by URL (the newer fetch wins),
    titles, facts, credits and comments by their fingerprints, then films and
    duplicate comments are re-resolved. Merging a spool again takes only what is new
    since, and nothing when nothing is; a killed merge leaves the database as it was.

    \b
    Example:
        filmcrawl merge spools/shard-000.db spools/shard-001.db --into films.db

    Exit status: 0 every spool merged (or had nothing new); 1 a spool could not be
    merged (the others still are); 3 a crawl is using the main database.
    """

    check_new_database_path(into)
    try:
        lock_database(into)
    except DatabaseLockedError as exc:
        raise CommandError(str(exc), EXIT_LOCKED) from None
    try:
        try:
            db = open_database(into)
        except DatabaseRefusedError as exc:
            raise CommandError(str(exc), EXIT_USAGE) from None
        try:
            results = merge_spools(db, spools, force=force)
        finally:
            close_database(db)
    finally:
        unlock_database(into)

    failed = [result for result in results if isinstance(result, MergeError)]
    if as_json:
        click.echo(json.dumps([_as_dict(result) for result in results], indent=2))
    elif len(failed) < len(results):
        _print_results(into, results)
    for error in failed:
        click.echo(f"filmcrawl merge: {error}", err=True)
    if failed:
        sys.exit(EXIT_FAILED)


def _as_dict(result: Any) -> dict[str, Any]:

    if isinstance(result, MergeError):
        return {"error": str(result)}
    return {
        "spool": str(result.spool),
        "uuid": result.uuid,
        "merge_id": result.merge_id,
        "since": result.since,
        "runs": [result.from_run_id, result.to_run_id],
        "to_last_fetched": result.to_last_fetched,
        "forced": result.forced,
        "counts": result.counts,
    }


def _print_results(into: Path, results: list[Any]) -> None:

    table = Table(title=f"merged into {escape(str(into))}")
    columns = ("pages", "facts", "comments", "films")
    table.add_column("spool", overflow="fold")
    for column in ("runs", *columns):
        table.add_column(column, justify="right")
    for result in results:
        if isinstance(result, MergeError):
            continue
        if result.up_to_date:
            runs = "none new"
        elif result.to_run_id > result.from_run_id:
            runs = f"{result.from_run_id + 1}-{result.to_run_id}"
        else:
            runs = "-"
        table.add_row(
            escape(str(result.spool)),
            runs,
            *(str(result.counts.get(column, 0)) for column in columns),
        )
    Console().print(table)


@click.command()
@click.option(
    "--urls-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file with one URL per line ('#' starts a comment).",
)
@click.option(
    "--sitemap",
    multiple=True,
    help="The http(s) URL of a sitemap, sitemap index or robots.txt (repeatable); read "
    "like the crawl reads it (network guard, robots.txt, size limits).",
)
@click.option(
    "-n",
    "--shards",
    "count",
    required=True,
    type=click.IntRange(1, 10_000),
    help="How many shards (Scrapyd jobs) to make.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the shard files, shards.json and schedule.sh into.",
)
@click.option(
    "--by",
    "rule",
    type=click.Choice(["auto", "site", "url"]),
    default="auto",
    show_default=True,
    help="Keep each site in one shard (site), hash single URLs (url), or site unless "
    "there are fewer sites than shards (auto).",
)
@click.option(
    "-s",
    "--set",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="A setting for reading the sitemaps (repeatable), e.g. "
    "-s FILMCRAWL_SITEMAP_MAX_URLS=2000000.",
)
def shards(
    urls_file: Path | None,
    sitemap: tuple[str, ...],
    count: int,
    out: Path,
    rule: str,
    overrides: tuple[str, ...],
) -> None:
    """Split a URL list or sitemap into N shard files for Scrapyd jobs.

    A site stays in one shard, so one job at a time talks to it; with fewer sites
    than shards, URLs are split by a stable hash instead. The same input always gives
    the same shards. Writes OUT/shard-NNN.txt, OUT/shards.json and OUT/schedule.sh
    (curl calls to Scrapyd's schedule.json, one job and one spool per shard).

    Sitemaps are read the way the crawl reads them: only http(s), through the network
    guard and robots.txt, an index only on its own site, pages only on the sitemap's
    site, within FILMCRAWL_SITEMAP_MAX_DEPTH, _MAX_DOCUMENTS, _MAX_URLS and _MAX_BYTES.
    A bad line of the URL file is reported as FILE:LINE: reason and skipped.

    \b
    Examples:
        filmcrawl shards --urls-file urls.txt -n 4 --out shards/
        filmcrawl shards --sitemap https://example.org/sitemap.xml -n 8 --out shards/

    Exit status: 0 shards written; 1 a sitemap could not be read completely or a
    sitemap limit was reached (nothing is written); 2 a bad option.
    """

    if not urls_file and not sitemap:
        raise click.UsageError("give --urls-file or --sitemap")
    settings = parse_overrides(overrides)
    for location in sitemap:
        problem = url_problem(location)
        if problem is not None:
            raise click.BadParameter(
                f"{location!r}: {problem} (a sitemap on disk: serve it over http, or list "
                "its URLs in --urls-file)",
                param_hint="--sitemap",
            )
    urls: list[str] = []
    sources: list[str] = []
    if urls_file:
        listed = read_url_list(urls_file)
        for line in listed.problems:
            click.echo(f"{safe_text(line)} (skipped)", err=True)
        urls.extend(listed.urls)
        sources.append(str(urls_file))
    if sitemap:
        listing = read_sitemaps(list(sitemap), settings)
        failures = listing.problems + [f"sitemap limit reached: {why}" for why in listing.exceeded]
        if failures:
            for line in failures:
                click.echo(f"filmcrawl shards: {safe_text(line)}", err=True)
            raise CommandError("the sitemaps were not read completely; nothing written", 1)
        if listing.skipped:
            left_out = ", ".join(
                f"{reason.removeprefix('sitemap/').replace('_', ' ')}: {count}"
                for reason, count in sorted(listing.skipped.items())
            )
            click.echo(f"left out of the sitemaps: {left_out}", err=True)
        urls.extend(listing.urls)
        sources.extend(sitemap)
    if not urls:
        raise click.ClickException("no URLs to shard")
    used, made = split(urls, count, rule)
    manifest = write_shards(out, made, used, sources)
    total = sum(len(shard.urls) for shard in made)
    click.echo(f"{total} URLs in {len(made)} shards (by {used}) written to {out}/")
    for shard in made:
        sites = ", ".join(shard.sites[:3]) + (" ..." if len(shard.sites) > 3 else "")
        click.echo(f"  {shard.name}.txt  {len(shard.urls):>6} URLs  {sites}")
    click.echo(f"  {manifest.name}, schedule.sh")
