"""``filmcrawl eval``: score extraction against golden pages or labelled real pages.

The scoring modules run every page through the per-page chain, so they import the
extraction stack: they are imported when the command runs, not with this module, which
``filmcrawl --help`` imports for the command's short help.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawler.run.status import EXIT_FAILED


@click.command(name="eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--min-f1",
    type=click.FloatRange(0, 1),
    default=None,
    help="Exit with status 1 when the overall F1 is below this floor.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--show-problems/--no-show-problems",
    default=True,
    show_default=True,
    help="List what each golden page got wrong after the table.",
)
def eval_command(directory: Path, min_f1: float | None, as_json: bool, show_problems: bool) -> None:
    """Score extraction against golden pages (HTML + expected JSON) in DIRECTORY.

    Prints precision, recall and F1 per field (facts per field name, credits per
    role, titles per kind, main-text snippets, comment counts, authors, kinds, reply
    links and languages).

    A DIRECTORY holding a gold.json (real pages with gold labels, such as
    shared/corpus/real3) is scored by the generality figures instead: film pages with
    title, year and director right, non-film pages that yield no film, comment counts
    within their bands, comment snippets and authors found, main-text snippets, leaks
    and crashes.

    \b
    Examples:
        filmcrawl eval tests/golden --min-f1 0.9
        filmcrawl eval ../shared/corpus/real3
    """
    # The extraction stack, only when the command runs (see the module doc).
    from crawler.cli.evaluate import evaluate  # noqa: PLC0415
    from crawler.cli.labelled import is_labelled_folder  # noqa: PLC0415

    if is_labelled_folder(directory):
        _print_labelled_figures(directory, as_json=as_json, show_problems=show_problems)
        return
    report = evaluate(directory)
    overall = report.overall
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        table = Table(title=f"extraction quality on {len(report.pages)} golden pages")
        for column in ("field", "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(column, justify="left" if column == "field" else "right")
        for name, score in sorted(report.fields.items()):
            table.add_row(
                name,
                f"{score.precision:.3f}",
                f"{score.recall:.3f}",
                f"{score.f1:.3f}",
                str(score.true_positives),
                str(score.false_positives),
                str(score.false_negatives),
            )
        table.add_row(
            "overall",
            f"{overall.precision:.3f}",
            f"{overall.recall:.3f}",
            f"{overall.f1:.3f}",
            "",
            "",
            "",
            style="bold",
        )
        console = Console()
        console.print(table)
        if show_problems:
            for page in report.pages:
                for problem in page.problems:
                    # Problems quote page text: escaped, so "[/yellow]" in a title
                    # is printed, not obeyed.
                    console.print(
                        f"[yellow]{escape(str(page.golden))}[/yellow]: {escape(problem)}",
                        markup=True,
                        highlight=False,
                    )
    if min_f1 is not None and overall.f1 < min_f1:
        click.echo(f"filmcrawl eval: overall F1 {overall.f1:.3f} is below {min_f1:.3f}", err=True)
        sys.exit(EXIT_FAILED)


def _print_labelled_figures(directory: Path, *, as_json: bool, show_problems: bool) -> None:
    # The extraction stack, only when the command runs (see the module doc).
    from crawler.cli.labelled import FIGURES, evaluate_labelled  # noqa: PLC0415

    report = evaluate_labelled(directory)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    table = Table(title=f"extraction on the labelled pages of {directory}")
    for column in ("figure", "found", "share"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for name, label in FIGURES:
        tally = report.figures[name]
        if name in ("leaks", "crashes"):
            table.add_row(label, str(tally.hits), "")
        else:
            table.add_row(label, f"{tally.hits}/{tally.total}", f"{tally.share:.2f}")
    console = Console()
    console.print(table)
    if show_problems:
        for page, problems in report.problems.items():
            for problem in problems:
                console.print(
                    f"[yellow]{escape(page)}[/yellow]: {escape(problem)}",
                    markup=True,
                    highlight=False,
                )
