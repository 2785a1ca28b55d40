"""filmcrawl's Datasette plugin (entry point ``datasette: filmcrawl``), for Datasette 0.65
and 1.0: conflict values as readable text instead of raw JSON, and column descriptions
in a short scrolling box so a table's rows stay in view.

Loaded by Datasette only: this module imports Datasette, which the rest of filmcrawl
never needs.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

# Columns holding conflict values, [{"value": ..., "sources": [page URLs]}], as JSON.
CONFLICT_VALUE_COLUMNS = {("fact_conflicts", "values"), ("crawl_run_conflicts", "values")}
# The canned query "conflicts": the pages stating one value, as a JSON list.
SOURCE_LIST_COLUMNS = {"stated_by"}

# Datasette lists every column description above a table's rows; filmcrawl describes
# every column, which pushed the rows below the fold. A short box that scrolls keeps
# them one glance away.
STYLE = """
dl.column-descriptions { max-height: 5.5em; overflow-y: auto; font-size: 0.85em;
  border: 1px solid #ddd; padding: 0.3em 0.6em; margin: 0.5em 0 1em; }
ul.filmcrawl-values { margin: 0; padding-left: 1.1em; }
ul.filmcrawl-values li { margin: 0.1em 0; }
"""
STYLE_URL = "data:text/css;base64," + base64.b64encode(STYLE.encode()).decode()


def _sources(urls: list[Any]) -> Markup:
    return Markup(", ").join(
        Markup('<a href="{0}">{0}</a>').format(str(url)) for url in urls if url
    )


def conflict_values_html(value: Any) -> Markup | None:
    """``[{"value": v, "sources": [...]}, ...]`` as a list: each value, how many pages
    state it, and which; ``None`` when the cell is not such a list."""
    try:
        entries = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return None
    items = []
    for entry in entries:
        sources = entry.get("sources") or []
        pages = f"{len(sources)} page{'s' if len(sources) != 1 else ''}"
        items.append(
            Markup("<li><strong>{}</strong> — {}: {}</li>").format(
                entry.get("value"), pages, _sources(sources)
            )
        )
    return Markup('<ul class="filmcrawl-values">{}</ul>').format(Markup("").join(items))


def source_list_html(value: Any) -> Markup | None:
    try:
        urls = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(urls, list):
        return None
    return _sources(urls)


@hookimpl
def render_cell(value: Any, column: str, table: str | None) -> Markup | None:
    if (table, column) in CONFLICT_VALUE_COLUMNS:
        return conflict_values_html(value)
    if table is None and column in SOURCE_LIST_COLUMNS:
        return source_list_html(value)
    return None


@hookimpl
def extra_css_urls() -> list[str]:
    return [STYLE_URL]


__all__ = ["conflict_values_html", "escape", "render_cell"]
