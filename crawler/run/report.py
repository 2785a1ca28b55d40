"""``filmcrawl report``: one self-contained HTML page about one crawl run.

Everything is inline (styles, charts as SVG drawn here), so the file opens anywhere
without a network: pages by status and site, how long fetching and extraction took,
comments by language, facts per field and site, the conflicts the run brought up and
the failures with their reasons. Every text from the database is HTML-escaped.

The pages of a run are those it fetched last (``pages.last_run_id``): a page fetched
again by a later run belongs to that run's report.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import Any

from sqlite_utils import Database

from crawler.run.status import ERROR_STATUSES

# Buckets of the time histograms, in milliseconds (upper bounds; the last is open).
TIME_BUCKETS: tuple[int, ...] = (50, 100, 250, 500, 1000, 2500, 5000, 10000)
OK_STATUSES = ("ok", "not_modified", "unchanged")
CHART_WIDTH = 720
BAR_HEIGHT = 20
LABEL_WIDTH = 230
COLOURS = {"ok": "#2e7d32", "not_modified": "#66bb6a", "unchanged": "#a5d6a7"}
DEFAULT_COLOUR = "#1565c0"
FAILURE_COLOUR = "#c62828"


class ReportError(LookupError):
    """The run asked for is not in the database."""


@dataclass
class Bar:
    label: str
    value: int
    colour: str = DEFAULT_COLOUR


def bar_chart(title: str, bars: list[Bar], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG (one bar per entry, value at its end)."""
    if not bars:
        return f'<p class="empty">{escape(title)}: nothing in this run.</p>'
    top = max(bar.value for bar in bars) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 70
    height = BAR_HEIGHT * len(bars) + 10
    rows = []
    for index, bar in enumerate(bars):
        y = 5 + index * BAR_HEIGHT
        width = max(1, round(span * bar.value / top)) if bar.value else 0
        label = bar.label if len(bar.label) <= 34 else bar.label[:33] + "…"
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width}" height="{BAR_HEIGHT - 5}" '
            f'fill="{bar.colour}"><title>{escape(bar.label)}: {bar.value}{unit}</title></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 14}">{bar.value:,}{unit}</text>'
        )
    return (
        f"<figure><figcaption>{escape(title)}</figcaption>"
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg></figure>'
    )


def histogram(values: list[int]) -> list[Bar]:
    """``values`` (milliseconds) counted into :data:`TIME_BUCKETS`."""
    counts = Counter(next((b for b in TIME_BUCKETS if v <= b), None) for v in values)
    bars = []
    lower = 0
    for bound in TIME_BUCKETS:
        bars.append(Bar(f"{_ms(lower)}–{_ms(bound)}", counts.get(bound, 0)))
        lower = bound
    bars.append(Bar(f"over {_ms(TIME_BUCKETS[-1])}", counts.get(None, 0)))
    # Leave out the empty buckets at both ends, keep the ones in between.
    while bars and not bars[-1].value:
        bars.pop()
    while bars and not bars[0].value:
        bars.pop(0)
    return bars


def _ms(value: int) -> str:
    return f"{value / 1000:g} s" if value >= 1000 else f"{value} ms"


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _timing(name: str, values: list[int], none: str) -> str:
    if not values:
        return f'<p class="empty">{escape(name)} time per page: {escape(none)}.</p>'
    figures = (
        f"median {percentile(values, 0.5):,} ms · 90th percentile "
        f"{percentile(values, 0.9):,} ms · slowest {max(values):,} ms · {len(values)} pages"
    )
    return bar_chart(f"{name} time per page ({figures})", histogram(values), "")


def _table(columns: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if i in numeric else ''}>{escape(_text(value))}</td>"
            for i, value in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _conflict_text(values_json: str) -> str:
    try:
        values = json.loads(values_json)
    except ValueError:
        return values_json
    return " vs ".join(
        f"{entry.get('value')} ({len(entry.get('sources', []))} "
        f"page{'s' if len(entry.get('sources', [])) != 1 else ''})"
        for entry in values
    )


def last_run_id(db: Database) -> int | None:
    row = db.execute("SELECT max(id) FROM crawl_runs").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def build_report(db: Database, run_id: int, database_name: str) -> str:
    """The HTML report of run ``run_id``."""
    rows = list(db.query("SELECT * FROM crawl_runs WHERE id = ?", [run_id]))
    if not rows:
        raise ReportError(run_id)
    run = rows[0]
    stats: dict[str, Any] = json.loads(run["stats"] or "{}")
    pages = list(
        db.query(
            "SELECT url, site, status, status_reason, http_status, fetch_ms, extract_ms "
            "FROM pages WHERE last_run_id = ? ORDER BY url",
            [run_id],
        )
    )
    by_status = Counter(page["status"] for page in pages)
    by_site = Counter(page["site"] for page in pages)
    status_bars = [
        Bar(status, n, COLOURS.get(status, FAILURE_COLOUR))
        for status, n in sorted(by_status.items(), key=lambda e: (-e[1], e[0]))
    ]
    site_bars = [Bar(site, n) for site, n in sorted(by_site.items(), key=lambda e: (-e[1], e[0]))]
    site_status = Counter((page["site"], page["status"]) for page in pages)
    statuses = sorted(by_status, key=lambda s: (s not in OK_STATUSES, s))
    site_table = _table(
        ["site", *statuses, "pages"],
        [
            [site, *(site_status.get((site, s), 0) for s in statuses), n]
            for site, n in sorted(by_site.items(), key=lambda e: (-e[1], e[0]))
        ],
        set(range(1, len(statuses) + 2)),
    )
    languages = sorted(
        (
            (key.rsplit("/", 1)[1], int(value))
            for key, value in stats.items()
            if key.startswith("filmcrawl/language/")
        ),
        key=lambda e: (-e[1], e[0]),
    )
    facts = list(
        db.query(
            "SELECT p.site, f.field, count(*) AS n FROM facts f "
            "JOIN pages p ON p.url = f.source_url "
            "WHERE p.last_run_id = ? AND f.current = 1 GROUP BY 1, 2",
            [run_id],
        )
    )
    per_field = Counter[str]()
    for row in facts:
        per_field[row["field"]] += row["n"]
    fact_sites = sorted({row["site"] for row in facts})
    fact_cells = {(row["field"], row["site"]): row["n"] for row in facts}
    fact_table = _table(
        ["field", *fact_sites, "all"],
        [
            [field, *(fact_cells.get((field, site), "") for site in fact_sites), n]
            for field, n in sorted(per_field.items(), key=lambda e: (-e[1], e[0]))
        ],
        set(range(1, len(fact_sites) + 2)),
    )
    conflicts = list(
        db.query(
            'SELECT c.film_id, f.title, c.field, c."values" FROM crawl_run_conflicts c '
            "LEFT JOIN films f ON f.id = c.film_id WHERE c.run_id = ? ORDER BY 2, 1, 3",
            [run_id],
        )
    )
    failures = [page for page in pages if page["status"] not in OK_STATUSES]
    failure_reasons = sorted(
        (
            (key.removeprefix("filmcrawl/pages/failed/"), int(value))
            for key, value in stats.items()
            if key.startswith("filmcrawl/pages/failed/")
        ),
        key=lambda e: (-e[1], e[0]),
    )
    fetch_times = [p["fetch_ms"] for p in pages if p["fetch_ms"] is not None]
    extract_times = [p["extract_ms"] for p in pages if p["extract_ms"] is not None]

    summary = _table(
        ["run", "started (UTC)", "finished (UTC)", "status", "reason"],
        [[run["id"], run["started_at"], run["finished_at"], run["status"], run["reason"]]],
    )
    counts = _table(
        [
            "fetched",
            "new",
            "changed",
            "same",
            "failed",
            "facts+",
            "comments+",
            "films+",
            "conflicts+",
        ],
        [
            [
                run["pages_fetched"],
                run["pages_new"],
                run["pages_changed"],
                (run["pages_unchanged"] or 0) + (run["pages_not_modified"] or 0),
                run["pages_failed"],
                run["facts_new"],
                run["comments_new"],
                run["films_new"],
                run["conflicts_new"],
            ]
        ],
        set(range(9)),
    )
    sections = [
        f"<h1>filmcrawl run {run['id']} <span>{escape(database_name)}</span></h1>",
        summary,
        counts,
        "<h2>Pages by status and site</h2>",
        bar_chart("Pages by status", status_bars),
        bar_chart("Pages by site", site_bars),
        site_table if pages else "",
        "<h2>Fetch and extraction time</h2>",
        _timing("Fetch", fetch_times, "no page was fetched in this run"),
        # Unchanged pages (304, same content hash) are not extracted again.
        _timing("Extraction", extract_times, "no page was extracted in this run"),
        "<h2>Comments by language</h2>",
        bar_chart(
            f"Comments labelled in this run ({sum(n for _, n in languages):,})",
            [Bar(lang, n) for lang, n in languages],
        ),
        "<h2>Facts per field and site</h2>",
        bar_chart(
            "Current facts on the run's pages, per field",
            [Bar(field, n) for field, n in sorted(per_field.items(), key=lambda e: (-e[1], e[0]))],
        ),
        fact_table if facts else "",
        f"<h2>New conflicts ({len(conflicts)})</h2>",
        _table(
            ["film", "field", "values"],
            [
                [c["title"] or c["film_id"], c["field"], _conflict_text(c["values"])]
                for c in conflicts
            ],
        )
        if conflicts
        else '<p class="empty">The run brought up no new conflict between sources.</p>',
        f"<h2>Failures ({len(failures)})</h2>",
        bar_chart(
            "Failed pages by status (red: counted as errors of the run)",
            [
                Bar(status, n, FAILURE_COLOUR if status in ERROR_STATUSES else "#ef6c00")
                for status, n in failure_reasons
            ],
        )
        if failure_reasons
        else "",
        _table(
            ["page", "status", "HTTP", "reason"],
            [[p["url"], p["status"], p["http_status"], p["status_reason"]] for p in failures],
        )
        if failures
        else '<p class="empty">No page failed.</p>',
    ]
    return PAGE.format(
        title=escape(f"filmcrawl run {run['id']} – {database_name}"), body="\n".join(sections)
    )


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1000px;
       padding: 0 1em; color: #222; }}
h1 span {{ font-weight: normal; color: #666; font-size: 0.6em; }}
h2 {{ margin-top: 2em; border-bottom: 1px solid #ddd; }}
table {{ border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }}
th, td {{ border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left;
          vertical-align: top; overflow-wrap: break-word; }}
th {{ background: #f4f4f4; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure {{ margin: 1em 0; }}
figcaption {{ font-weight: 600; margin-bottom: 0.3em; }}
svg.chart text {{ font: 12px system-ui, sans-serif; fill: #222; }}
.empty {{ color: #666; font-style: italic; }}
</style></head>
<body>
{body}
<footer><p class="empty">Written by filmcrawl report: one file, no network needed.</p></footer>
</body></html>
"""
