"""Query commands: ``films``, ``film``, ``comments``, ``conflicts``, ``runs``.

Tables on a terminal, ``--json`` for scripts. Every text that comes from a crawled page
(titles, names, comments, URLs) is printed as plain text: never interpreted as rich
markup, emoji codes or terminal control sequences.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich import box
from rich.table import Table
from rich.text import Text

from crawler.cli.options import (
    console,
    db_option,
    json_option,
    limit_option,
    open_db,
    pipe_safe,
    plain,
    print_json,
    safe_text,
    shorten,
)
from crawler.cli.output import output_options, print_records
from crawler.cli.read import (
    MATCH_END,
    MATCH_START,
    conflict_listing,
    credit_groups,
    fact_groups,
    film_listing,
    film_record,
    resolve_film,
    run_listing,
    search_comments,
)
from crawler.cli.records import CommentHit, FilmListing, RunListing, jsonable
from schemas.records import COMMENT_KINDS, PER_SOURCE_FIELDS

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from crawler.cli.read import CommentSearch, CreditGroup, FactGroup
    from crawler.cli.records import Film

# How much of a long text (synopsis, trivia, a comment) a table shows without --full.
SHORT_TEXT = 160
# Tables of query results: a rule under the header and no vertical borders, so more of
# the text fits a terminal line.
TABLE_STYLE: dict[str, Any] = {"box": box.SIMPLE_HEAD, "collapse_padding": True}


# --- films --------------------------------------------------------------------------


@click.command()
@db_option
@click.option(
    "--sort",
    type=click.Choice(["title", "year", "sources", "comments"]),
    default="title",
    show_default=True,
    help="Order of the list.",
)
@limit_option(0, "films")
@output_options
@pipe_safe
def films(db_path: Path, sort: str, limit: int, fmt: str, headers: bool) -> None:
    """List the films: title, year, number of sources, facts, conflicts, comments.

    \b
    Examples:
        filmcrawl films
        filmcrawl films --sort comments --limit 20
        filmcrawl films --json | jq -r '.[].id'
        filmcrawl films --csv > films.csv
    """

    db = open_db(db_path)
    listing = film_listing(db, sort)
    total = len(listing)
    if limit:
        listing = listing[:limit]
    if fmt != "table":
        _print_flat(fmt, FilmListing, listing, headers)
        return
    if not listing:
        click.echo(f"No films in {db_path} yet.", err=True)
        return
    table = Table(
        title=plain(f"{total} film{'s' if total != 1 else ''} in {db_path}"), **TABLE_STYLE
    )
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    for name in ("year", "sources", "facts", "conflicts", "comments"):
        table.add_column(name, justify="right")
    for film in listing:
        table.add_row(
            plain(film.id),
            plain(film.title, "bold"),
            str(film.year or ""),
            str(film.sources),
            str(film.facts),
            plain(str(film.conflicts), "red" if film.conflicts else ""),
            str(film.comments),
        )
    out = console()
    out.print(table)
    if limit and total > limit:
        out.print(f"{limit} of {total} films; --limit 0 lists all.", style="dim")


# --- film -----------------------------------------------------------------------------


@click.command()
@click.argument("name_or_id")
@db_option
@click.option("--full", is_flag=True, help="Show long texts (synopsis, trivia) in full.")
@json_option
@pipe_safe
def film(name_or_id: str, db_path: Path, full: bool, as_json: bool) -> None:
    """Show everything known about one film, merged across its sources.

    NAME_OR_ID is the film's id or any title a page gives it, case-insensitively.
    Shows the consensus facts with the pages behind each value (conflicting values
    in red), credits, alternative titles and comment counts by language. A name that
    fits several films lists them (exit 6); one that fits none exits 5.

    \b
    Examples:
        filmcrawl film miracle-in-cell-no-7-2013
        filmcrawl film "miracle in cell no. 7"
        filmcrawl film "7번방의 선물" --json
    """

    db = open_db(db_path)
    match = resolve_film(db, name_or_id)
    record = film_record(db, match.id)
    if as_json:
        print_json(jsonable(record))
        return
    _print_film(record, fact_groups(db, match.id), credit_groups(db, match.id), full)


def _print_film(
    record: Film, groups: list[FactGroup], credits: list[CreditGroup], full: bool
) -> None:

    out = console()
    numbers = {source.url: n for n, source in enumerate(record.sources, start=1)}
    # Every page a value cites gets a number, even one that is not (or no longer) the
    # film's page, so no reference points nowhere.
    cited = [url for group in groups for url in group.sources]
    cited += [url for credit in credits for url in credit.sources]
    cited += [title.source_url for title in record.titles]
    cited += [url for conflict in record.conflicts for v in conflict.values for url in v.sources]
    for url in cited:
        numbers.setdefault(url, len(numbers) + 1)

    def refs(urls: list[str]) -> Text:
        return Text(" ".join(f"[{n}]" for n in sorted(numbers[url] for url in urls)))

    heading = plain(record.title, "bold")
    if record.year:
        heading.append(f" ({record.year})")
    if record.native_title:
        heading.append("  ")
        heading.append(safe_text(record.native_title))
    heading.append(f"   {record.id}", style="dim")
    if record.aliases:
        heading.append(f" (also {', '.join(record.aliases)})", style="dim")
    out.print(heading)

    conflicting = {c.field for c in record.conflicts}
    if conflicting:
        line = Text("Sources disagree on: ", style="bold red")
        for i, conflict in enumerate(record.conflicts):
            if i:
                line.append("; ")
            line.append(conflict.field, style="bold red")
            line.append(" ")
            for j, option in enumerate(conflict.values):
                if j:
                    line.append(" vs ")
                line.append(safe_text(option.value))
                line.append(" ")
                line.append_text(refs(option.sources))
        out.print(line)

    sources = Table(title="Sources", title_justify="left", show_header=False, box=None)
    sources.add_column("n", justify="right", style="dim", no_wrap=True)
    sources.add_column("page", overflow="fold")
    extractors = {source.url: source.extractor for source in record.sources}
    for url, n in numbers.items():
        page = plain(url)
        if extractors.get(url):
            page.append("  " + safe_text(extractors[url]), style="dim")
        sources.add_row(f"[{n}]", page)
    out.print(sources)

    facts = Table(title="Facts", title_justify="left", **TABLE_STYLE)
    facts.add_column("field", style="bold", no_wrap=True)
    facts.add_column("value")
    facts.add_column("sources", no_wrap=True)
    facts.add_column("", no_wrap=True)
    previous = ""
    first_of_field = True
    for group in groups:
        first_of_field = group.field != previous
        previous = group.field
        in_conflict = group.field in conflicting
        style = "red" if in_conflict and not first_of_field else ""
        value = plain(group.value if full else shorten(group.value, SHORT_TEXT), style)
        if group.spellings:
            value.append("  also " + ", ".join(safe_text(s) for s in group.spellings), style="dim")
        if in_conflict:
            note = Text("consensus" if first_of_field else "conflict", style="red")
        elif group.field in PER_SOURCE_FIELDS:
            note = Text("per source", style="dim")
        else:
            note = Text("")
        facts.add_row(
            Text(group.field, style="bold red" if in_conflict else "bold")
            if first_of_field
            else "",
            value,
            refs(group.sources),
            note,
        )
    out.print(facts)

    if credits:
        table = Table(title="Credits", title_justify="left", **TABLE_STYLE)
        table.add_column("role", style="bold", no_wrap=True)
        table.add_column("person")
        table.add_column("as")
        table.add_column("sources", no_wrap=True)
        previous = ""
        for credit in credits:
            table.add_row(
                credit.role if credit.role != previous else "",
                plain(credit.person),
                plain(" / ".join(credit.characters)),
                refs(credit.sources),
            )
            previous = credit.role
        out.print(table)

    if record.titles:
        titles = Table(title="Titles", title_justify="left", **TABLE_STYLE)
        titles.add_column("kind", style="bold", no_wrap=True)
        titles.add_column("title")
        titles.add_column("sources", no_wrap=True)
        seen: dict[tuple[str, str], list[str]] = {}
        for title in record.titles:
            seen.setdefault((title.kind, title.title), []).append(title.source_url)
        previous = ""
        for (kind, text), urls in seen.items():
            titles.add_row(kind if kind != previous else "", plain(text), refs(urls))
            previous = kind
        out.print(titles)

    total = sum(record.comment_languages.values())
    kinds: dict[str, int] = {}
    for comment in record.comments:
        kinds[comment.kind] = kinds.get(comment.kind, 0) + 1
    summary = Text(f"Comments: {total}", style="bold")
    if total:
        summary.append("   by language: ", style="")
        summary.append(", ".join(f"{lang} {n}" for lang, n in record.comment_languages.items()))
        summary.append("   by kind: ")
        summary.append(
            ", ".join(
                f"{kind} {kinds[kind]}"
                for kind in sorted(kinds, key=lambda k: (-kinds[k], COMMENT_KINDS.index(k)))
            )
        )
    out.print(summary)
    if total:
        out.print(
            f"filmcrawl comments --film {record.id} lists them; --lang L picks one language.",
            style="dim",
            markup=False,
        )


# --- comments -------------------------------------------------------------------------


@click.command()
@db_option
@click.option("--film", "film_name", help="Only comments on this film (id or title).")
@click.option("--lang", help="Only comments in this language (ISO 639-1 code, 'und').")
@click.option("--kind", type=click.Choice(COMMENT_KINDS), help="Only this kind of comment.")
@click.option("--search", help="Only comments containing these words (full-text search).")
@click.option(
    "--fts-syntax",
    is_flag=True,
    help='Read --search as an FTS5 query (OR, NOT, NEAR, "phrases", column filters) '
    "instead of plain words.",
)
@limit_option(20, "comments")
@click.option("--full", is_flag=True, help="Show whole comments instead of one line each.")
@output_options
@pipe_safe
def comments(
    db_path: Path,
    film_name: str | None,
    lang: str | None,
    kind: str | None,
    search: str | None,
    fts_syntax: bool,
    limit: int,
    full: bool,
    fmt: str,
    headers: bool,
) -> None:
    """List or search comments; with --search, the best matches first.

    --search finds comments containing every word given, ignoring case and accents
    (a trailing * matches a prefix: daeb*); quotes and operators in the words are
    searched for literally unless --fts-syntax is given.

    \b
    Examples:
        filmcrawl comments --search "daughter cried"
        filmcrawl comments --film miracle-in-cell-no-7-2013 --lang ms
        filmcrawl comments --search 'sad OR tears' --fts-syntax --json
        filmcrawl comments --lang ms --limit 0 --nl > malay.jsonl
    """

    db = open_db(db_path)
    film_id = resolve_film(db, film_name).id if film_name is not None else None
    result = search_comments(
        db,
        film_id=film_id,
        lang=lang,
        kind=kind,
        search=search,
        fts_syntax=fts_syntax,
        limit=limit,
    )
    if fmt != "table":
        _print_flat(fmt, CommentHit, [hit for hit, _ in result.hits], headers)
        return
    if not result.hits:
        click.echo("No comments match.", err=True)
        return
    table = Table(title=_comments_title(result, search), **TABLE_STYLE)
    if film_id is None:
        table.add_column("film", max_width=24)
    table.add_column("author", max_width=24)
    table.add_column("lang", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("posted", no_wrap=True)
    table.add_column("comment", ratio=1)
    for hit, marked in result.hits:
        cells: list[RenderableType] = []
        if film_id is None:
            cells.append(plain(hit.film_title or hit.film_id or "-"))
        cells += [
            plain(hit.author or "-"),
            plain(hit.lang or "und"),
            plain(hit.kind),
            plain((hit.published or "")[:10]),
            highlighted(marked, full) if marked is not None else _comment_text(hit.text, full),
        ]
        table.add_row(*cells)
    out = console()
    out.print(table)
    if limit and result.total > limit:
        out.print(
            f"{len(result.hits)} of {result.total} comments; --limit 0 shows all.", style="dim"
        )


def _comments_title(result: CommentSearch, search: str | None) -> Text:
    what = f" matching {search!r}" if search is not None else ""
    return plain(f"{result.total} comment{'s' if result.total != 1 else ''}{what}")


def _comment_text(text: str, full: bool) -> Text:
    return plain(text if full else shorten(text, SHORT_TEXT))


def highlighted(marked: str, full: bool, width: int = SHORT_TEXT) -> Text:
    """A comment with the words a search matched in bold, from FTS5 ``highlight()``
    output; when not ``full``, one line around the first match."""

    segments: list[tuple[str, bool]] = []
    for i, chunk in enumerate(marked.split(MATCH_START)):
        if i == 0:
            segments.append((chunk, False))
            continue
        matched, _, rest = chunk.partition(MATCH_END)
        segments += [(matched, True), (rest, False)]
    segments = [
        (safe_text(text if full else re.sub(r"\s+", " ", text)), is_match)
        for text, is_match in segments
    ]
    plain_text = "".join(text for text, _ in segments)
    spans = []
    position = 0
    for text, is_match in segments:
        if is_match:
            spans.append((position, position + len(text)))
        position += len(text)
    start, end = 0, len(plain_text)
    if not full and len(plain_text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - width // 4, len(plain_text) - width))
        end = start + width
    result = Text("…" if start else "")
    offset = len(result.plain) - start
    result.append(plain_text[start:end])
    if end < len(plain_text):
        result.append("…")
    for span_start, span_end in spans:
        if span_end > start and span_start < end:
            result.stylize(
                "bold yellow", max(span_start, start) + offset, min(span_end, end) + offset
            )
    return result


# --- conflicts ------------------------------------------------------------------------


@click.command()
@db_option
@click.option("--film", "film_name", help="Only this film (id or title).")
@output_options
@pipe_safe
def conflicts(db_path: Path, film_name: str | None, fmt: str, headers: bool) -> None:
    """List what sources disagree on: per film and field, each value and its pages.

    Only single-valued fields count (title, year, release date, runtime, ...);
    ratings and vote counts differ by site by nature. Spelling variants of one title
    are one value. The first value of each field is the consensus.

    \b
    Examples:
        filmcrawl conflicts
        filmcrawl conflicts --film miracle-in-cell-no-7-2013 --json
        filmcrawl conflicts --tsv
    """

    db = open_db(db_path)
    film_id = resolve_film(db, film_name).id if film_name is not None else None
    listing = conflict_listing(db, film_id)
    if fmt != "table":
        # CSV and TSV: one row per value, the consensus first (consensus = 1).
        print_records(
            fmt,
            [jsonable(conflict) for conflict in listing],
            CONFLICT_COLUMNS,
            (
                (
                    c.film_id,
                    c.film_title,
                    c.field,
                    v.value,
                    int(i == 0),
                    len(v.sources),
                    " ".join(v.sources),
                )
                for c in listing
                for i, v in enumerate(c.values)
            ),
            headers=headers,
        )
        return
    if not listing:
        click.echo("No conflicts: every source agrees.", err=True)
        return
    table = Table(title=f"{len(listing)} conflict{'s' if len(listing) != 1 else ''}", **TABLE_STYLE)
    table.add_column("film")
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value")
    table.add_column("pages", justify="right")
    table.add_column("stated by", overflow="fold")
    for conflict in listing:
        for i, value in enumerate(conflict.values):
            table.add_row(
                plain(conflict.film_title or conflict.film_id) if i == 0 else "",
                conflict.field if i == 0 else "",
                plain(value.value, "" if i == 0 else "red"),
                str(len(value.sources)),
                Text("\n".join(safe_text(url) for url in value.sources)),
                end_section=i == len(conflict.values) - 1,
            )
    console().print(table)


# --- runs -----------------------------------------------------------------------------

RUN_STYLES = {"finished": "green", "failed": "bold red", "interrupted": "yellow"}


def _duration(start: str | None, end: str | None) -> str:
    if not start or not end:
        return ""
    try:
        seconds = (
            datetime.fromisoformat(end.replace("Z", "+00:00"))
            - datetime.fromisoformat(start.replace("Z", "+00:00"))
        ).total_seconds()
    except ValueError:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@click.command()
@db_option
@limit_option(10, "runs")
@output_options
@pipe_safe
def runs(db_path: Path, limit: int, fmt: str, headers: bool) -> None:
    """List the last crawl runs: when, how long, status, and what they fetched and found.

    "same" counts pages that had not changed (304 Not Modified or the same content);
    "facts+" and "comments+" count records seen for the first time. --json adds the
    exit code, the arguments and the full stats of each run.

    \b
    Examples:
        filmcrawl runs
        filmcrawl runs --limit 1 --json | jq '.[0].status'
        filmcrawl runs --limit 0 --csv > runs.csv
    """

    db = open_db(db_path)
    listing = run_listing(db, limit)
    if fmt != "table":
        _print_flat(fmt, RunListing, listing, headers)
        return
    if not listing:
        click.echo(f"No crawl runs in {db_path} yet.", err=True)
        return
    table = Table(title=f"last {len(listing)} run{'s' if len(listing) != 1 else ''}", **TABLE_STYLE)
    table.add_column("run", justify="right", min_width=3)
    table.add_column("started (UTC)", no_wrap=True)
    table.add_column("took", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for name in ("fetched", "new", "changed", "same", "failed", "facts+", "comments+"):
        table.add_column(name, justify="right")
    table.add_column("reason", min_width=8)
    for run in listing:
        same = None
        if run.pages_unchanged is not None or run.pages_not_modified is not None:
            same = (run.pages_unchanged or 0) + (run.pages_not_modified or 0)
        table.add_row(
            str(run.id),
            (run.started_at or "").replace("T", " ")[:16],
            _duration(run.started_at, run.finished_at),
            plain(run.status, RUN_STYLES.get(run.status, "cyan")),
            *(
                "" if value is None else str(value)
                for value in (
                    run.pages_fetched,
                    run.pages_new,
                    run.pages_changed,
                    same,
                    run.pages_failed,
                    run.facts_new,
                    run.comments_new,
                )
            ),
            plain(run.reason or ""),
        )
    console().print(table)


CONFLICT_COLUMNS = ("film_id", "film_title", "field", "value", "consensus", "pages", "stated_by")


def _print_flat(fmt: str, shape: type, items: list[Any], headers: bool) -> None:
    """Records of the dataclass ``shape``, a field a column (nested values become JSON
    cells), so even an empty listing has its header row."""
    columns = [f.name for f in dataclasses.fields(shape)]
    records = [jsonable(item) for item in items]
    print_records(
        fmt, records, columns, ([r[c] for c in columns] for r in records), headers=headers
    )
