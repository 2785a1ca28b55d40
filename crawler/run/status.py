"""How a run went, from its finish reason and counts: the status stored in
``crawl_runs`` and the exit code ``filmcrawl crawl`` returns, so cron and systemd can
alert on failure.

Exit codes, shared by every ``filmcrawl`` command:

==  ===============================================================================
0   success: the run finished (or stopped at a limit the user set), the query ran
1   the run failed (nothing fetched, too many errors, a database error) or was
    interrupted; ``filmcrawl schema --check`` found schemas that drifted
2   usage error: a bad option or argument, or a malformed full-text query
3   another crawl holds the database lock
4   no database at the given path, or the file is not a filmcrawl database
5   no film matches the name or id given
6   the name matches several films (the candidates are listed)
==  ===============================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_NO_DATABASE = 4
EXIT_NOT_FOUND = 5
EXIT_AMBIGUOUS = 6

# Page outcomes that mean the crawler failed to get a page it should have got (an
# error answer, a broken fetch, a "not found" or a wall in front of the content). Pages
# refused by policy (blocked, redirect_offsite) or that simply hold no film content
# (not_html, no_content) are not errors.
ERROR_STATUSES = (
    "http_error",
    "fetch_error",
    "extract_failed",
    "too_large",
    "truncated",
    "redirect_loop",
    "soft_404",
    "interstitial",
)


@dataclass(frozen=True)
class RunVerdict:
    status: str  # finished | failed | interrupted
    exit_code: int
    reason: str


def judge_run(
    finish_reason: str,
    attempted: int,
    fetched: int,
    errors: int,
    max_error_rate: float,
    store_error: str | None = None,
) -> RunVerdict:
    """``attempted``: pages the run tried; ``fetched``: pages that got an HTTP answer;
    ``errors``: pages in an :data:`ERROR_STATUSES` state; ``store_error``: why a
    database write failed, if one did (a full disk: the run must say so, whatever
    else it did before the crawl stopped)."""
    if finish_reason == "database_error" or store_error:
        cause = f": {store_error}" if store_error else ""
        return RunVerdict("failed", EXIT_FAILED, f"a database write failed{cause}")
    if finish_reason in ("shutdown", "cancelled"):
        return RunVerdict("interrupted", EXIT_FAILED, f"stopped before the end ({finish_reason})")
    if fetched == 0:
        why = "nothing was fetched" + (f" ({attempted} pages tried)" if attempted else "")
        return RunVerdict("failed", EXIT_FAILED, why)
    rate = errors / max(attempted, 1)
    if rate > max_error_rate:
        return RunVerdict(
            "failed",
            EXIT_FAILED,
            f"{errors} of {attempted} pages failed ({rate:.0%} > {max_error_rate:.0%})",
        )
    if finish_reason == "closespider_pagecount":
        # A bound the user set (--max-pages): the rest waits for the next run.
        note = " (stopped at the page limit, --max-pages / CLOSESPIDER_PAGECOUNT)"
    else:
        note = "" if finish_reason == "finished" else f" (stopped by {finish_reason})"
    return RunVerdict("finished", EXIT_OK, f"{fetched} pages fetched, {errors} errors{note}")
