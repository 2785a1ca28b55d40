"""``filmcrawl report``: one self-contained HTML page about a crawl run."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.cli.options import CommandError, db_option, open_db
from crawler.run.report import ReportError, build_report, last_run_id
from crawler.run.status import EXIT_FAILED, EXIT_USAGE


@click.command()
@db_option
@click.option("--run", "run_id", type=int, help="The run to report on (default: the last one).")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write ('-': standard output).",
)
def report(db_path: Path, run_id: int | None, out: Path) -> None:
    """Write an HTML report of a crawl run: pages by status and site, fetch and
    extraction times, comments by language, facts per field and site, the conflicts
    it brought up and the failures with their reasons.

    One self-contained file with inline charts: it opens in any browser, offline.

    \b
    Examples:
        filmcrawl report
        filmcrawl report --run 3 -o run-3.html
    """
    db = open_db(db_path)
    wanted = run_id if run_id is not None else last_run_id(db)
    if wanted is None:
        raise CommandError(f"no crawl runs in {db_path} yet", EXIT_USAGE)
    try:
        html = build_report(db, wanted, db_path.name)
    except ReportError:
        last = last_run_id(db)
        raise CommandError(
            f"no run {wanted} in {db_path} (its runs are 1 to {last}; filmcrawl runs lists them)",
            EXIT_USAGE,
        ) from None
    if str(out) == "-":
        click.echo(html, nl=False)
        return
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc}", EXIT_FAILED) from exc
    click.echo(f"wrote {out} (run {wanted})", err=True)
