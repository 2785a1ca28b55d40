"""The records filmcrawl hands to other tools: one JSON Lines object per film
(``filmcrawl export``), and the rows the listing commands print with ``--json``.

These dataclasses are the single source of their shape: the export writes them with
:func:`jsonable`, and ``filmcrawl schema`` turns them into the JSON Schemas committed
under ``schemas/json/`` (a test fails when the two drift apart). A field's
``metadata`` carries its description (and an ``enum`` where the vocabulary is closed).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from schemas.records import COMMENT_KINDS, CREDIT_ROLES, FACT_FIELDS, TITLE_KINDS, WORK_KINDS


def describe(text: str, **extra: Any) -> Any:
    """A dataclass field with a description (and optional JSON Schema keywords)."""
    return field(metadata={"description": text, **extra})


@dataclass
class FilmSource:
    """A page the film's records come from (a row of ``pages``)."""

    url: str = describe("The page's URL as fetched, after redirects (pages.url).")
    site: str = describe("The site: host and non-default port, without www.")
    title: str | None = describe("The page's title.")
    extractor: str | None = describe("The extractors that read the page, joined by '+'.")
    canonical_url: str | None = describe("The canonical URL the page declares, if any.")
    mirror_of: str | None = describe(
        "The page this one repeats (same canonical URL or body); one source with it."
    )
    kind: str | None = describe(
        "What kind of work the page says it is about.", enum=list(WORK_KINDS)
    )
    lang: str | None = describe("Language of the page's main text (ISO 639-1).")
    status: str = describe("Outcome of the last fetch: ok, not_modified, unchanged, ...")
    http_status: int | None = describe("HTTP status of the last fetch.")
    first_seen: str = describe("When the page was first fetched (ISO 8601 UTC).")
    last_fetched: str = describe("When the page was last fetched (ISO 8601 UTC).")
    last_changed: str | None = describe("When the page's content last changed (ISO 8601 UTC).")


@dataclass
class FilmFact:
    """One ``field: value`` statement about the film on one page, with its provenance."""

    field: str = describe("The fact's field.", enum=list(FACT_FIELDS))
    value: str = describe("The normalised value (dates YYYY-MM-DD, runtimes in minutes, ...).")
    raw: str | None = describe("The value as the page wrote it.")
    source_url: str = describe("The page that states it (a FilmSource url).")
    extractor: str | None = describe("The extractor that read it.")
    first_seen: str = describe("When a crawl first saw the page state it (ISO 8601 UTC).")
    last_seen: str = describe("When a crawl last saw the page state it (ISO 8601 UTC).")


@dataclass
class FilmCredit:
    """A person's part in the film, as one page gives it."""

    person: str = describe("The person's name as the page spells it.")
    role: str = describe("The part they played in making the film.", enum=list(CREDIT_ROLES))
    character: str | None = describe("For cast: the character played.")
    source_url: str = describe("The page that credits them.")
    extractor: str | None = describe("The extractor that read it.")


@dataclass
class FilmTitle:
    """A name of the film as one page gives it."""

    title: str = describe("The title as the page spells it.")
    kind: str = describe("What kind of title it is.", enum=list(TITLE_KINDS))
    source_url: str = describe("The page that gives it.")
    extractor: str | None = describe("The extractor that read it.")


@dataclass
class ConflictValue:
    """One of the values sources disagree on, with the pages that state it."""

    value: str = describe("The value (spelling variants of one title count as one).")
    sources: list[str] = describe("The pages that state this value.")


@dataclass
class FilmConflict:
    """A single-valued field on which the film's sources disagree."""

    field: str = describe("The field sources disagree on.", enum=list(FACT_FIELDS))
    values: list[ConflictValue] = describe("The values, the best supported first.")


@dataclass
class FilmComment:
    """An audience comment, reply, review or pingback on one of the film's pages."""

    id: str = describe("Stable fingerprint of the comment.")
    page_url: str = describe("The page it was posted on.")
    author: str | None = describe("Who wrote it, as the page names them.")
    text: str = describe("The comment as plain text (never HTML).")
    published: str | None = describe("When it was posted (ISO 8601 UTC), if the page says.")
    parent_id: str | None = describe("The comment it answers (a reply's parent).")
    kind: str = describe("What kind of comment it is.", enum=list(COMMENT_KINDS))
    lang: str | None = describe("Its language (ISO 639-1, 'und' when undetermined).")
    lang_confidence: float | None = describe("How sure the language label is (0 to 1).")
    duplicate_of: str | None = describe("The earlier comment it copies exactly, if any.")
    near_duplicate_of: str | None = describe("The earlier comment it nearly copies, if any.")
    truncated: bool = describe("Whether the stored text was cut at the size limit.")
    first_seen: str = describe("When a crawl first saw it (ISO 8601 UTC).")
    last_seen: str = describe("When a crawl last saw it (ISO 8601 UTC).")


@dataclass
class Film:
    """One film with everything filmcrawl knows about it: the consensus values, every
    fact with the page it comes from, credits, titles, conflicts and comments."""

    id: str = describe(
        "Stable ASCII slug of the consensus title and year, given when the film was first "
        "seen and never renamed (films.id)."
    )
    kind: str | None = describe(
        "What kind of work it is, as most sources say (null when none says).",
        enum=list(WORK_KINDS),
    )
    aliases: list[str] = describe(
        "Ids that named films since merged into this one; they still find it (film_aliases)."
    )
    title: str = describe("The consensus title.")
    native_title: str | None = describe("The title in the film's original language.")
    year: int | None = describe("The consensus release year.")
    release_date: str | None = describe("The consensus release date (YYYY-MM-DD).")
    runtime_minutes: int | None = describe("The consensus runtime in minutes.")
    content_rating: str | None = describe("The consensus content rating.")
    country: str | None = describe("The consensus country of origin.")
    director: str | None = describe("The consensus director.")
    source_count: int = describe("How many sources describe the film (mirrors count once).")
    consensus: dict[str, str | list[str]] = describe(
        "Per fact field, the value most pages state (single-valued fields) or every "
        "value stated, best supported first (multi-valued fields). Per-source "
        "measurements (rating, rating_votes, synopsis) are only in facts."
    )
    sources: list[FilmSource] = describe("The pages the film's records come from.")
    titles: list[FilmTitle] = describe("Every title a page gives the film.")
    facts: list[FilmFact] = describe("Every fact a page currently states, with its source.")
    conflicts: list[FilmConflict] = describe("The single-valued fields sources disagree on.")
    credits: list[FilmCredit] = describe("Every credit a page currently gives.")
    comment_languages: dict[str, int] = describe("Number of comments per language.")
    comments: list[FilmComment] = describe("Every comment on the film's pages, page by page.")


@dataclass
class FilmListing:
    """A film, with how much is known about it."""

    id: str = describe("The film's id (films.id).")
    kind: str | None = describe(
        "What kind of work it is (null when no page says).", enum=list(WORK_KINDS)
    )
    title: str = describe("The consensus title.")
    year: int | None = describe("The consensus release year.")
    sources: int = describe("How many sources describe the film (mirrors count once).")
    facts: int = describe("How many facts pages currently state about it.")
    conflicts: int = describe("How many fields its sources disagree on.")
    comments: int = describe("How many comments its pages carry.")


@dataclass
class CommentHit:
    """A comment, with the film it is about."""

    film_id: str | None = describe("The film the comment's page is about, if resolved.")
    film_title: str | None = describe("That film's consensus title.")
    id: str = describe("Stable fingerprint of the comment.")
    page_url: str = describe("The page it was posted on.")
    author: str | None = describe("Who wrote it, as the page names them.")
    text: str = describe("The comment as plain text (never HTML).")
    published: str | None = describe("When it was posted (ISO 8601 UTC), if the page says.")
    parent_id: str | None = describe("The comment it answers (a reply's parent).")
    kind: str = describe("What kind of comment it is.", enum=list(COMMENT_KINDS))
    lang: str | None = describe("Its language (ISO 639-1, 'und' when undetermined).")
    lang_confidence: float | None = describe("How sure the language label is (0 to 1).")
    duplicate_of: str | None = describe("The earlier comment it copies exactly, if any.")


@dataclass
class ConflictListing:
    """A single-valued field on which a film's sources disagree."""

    film_id: str = describe("The film (films.id).")
    film_title: str | None = describe("The film's consensus title.")
    field: str = describe("The field sources disagree on.", enum=list(FACT_FIELDS))
    values: list[ConflictValue] = describe("The values, the best supported first.")


@dataclass
class RunListing:
    """A crawl run (a row of ``crawl_runs``)."""

    id: int = describe("The run's number.")
    started_at: str = describe("When it started (ISO 8601 UTC).")
    finished_at: str | None = describe("When it ended (ISO 8601 UTC); null while running.")
    status: str = describe("How it went.", enum=["running", "finished", "failed", "interrupted"])
    exit_code: int | None = describe("The exit code filmcrawl crawl returned.")
    reason: str | None = describe("Why it ended the way it did.")
    generation: int | None = describe("The crawl pass it belongs to (a resumed run continues one).")
    resumed: bool = describe("Whether it resumed an interrupted pass.")
    pages_attempted: int | None = describe("Pages it tried to fetch.")
    pages_fetched: int | None = describe("Pages that got an HTTP answer.")
    pages_new: int | None = describe("Pages stored for the first time.")
    pages_changed: int | None = describe("Pages whose content changed.")
    pages_unchanged: int | None = describe("Pages fetched again with the same content.")
    pages_not_modified: int | None = describe("Pages the server answered 304 Not Modified.")
    pages_failed: int | None = describe("Pages that failed (HTTP errors, fetch errors, ...).")
    facts_new: int | None = describe("Facts seen for the first time.")
    comments_new: int | None = describe("Comments seen for the first time.")
    films_new: int | None = describe("Films it gave an id for the first time.")
    conflicts_new: int | None = describe("Conflicts between sources that it brought up.")
    args: dict[str, Any] = describe("What the run was asked to crawl.")
    stats: dict[str, Any] = describe("The run's full Scrapy and filmcrawl stats.")


def jsonable(record: Any) -> Any:
    """A record as plain JSON data (nested records become objects)."""
    return dataclasses.asdict(record)
