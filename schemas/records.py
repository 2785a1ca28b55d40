"""Item types that flow from the spider through the pipelines into the database.

One fetched page becomes one :class:`PageRecord`. Everything found on the page (titles,
facts, credits, comments) travels inside it, so a page and all of its records are
written in one transaction together with the frontier entry that marks the URL done:
a crash can never store half a page, and a resumed crawl never stores one twice.

Records start with what the page said (``raw``) and the pipelines fill in the rest:
``clean`` normalises values, ``language`` labels text, ``dedupe/resolve`` gives
comments their fingerprints, ``store`` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Single-valued fact fields: one true value per film, so sources can disagree on them
# (``fact_conflicts``) and ``films`` holds the consensus.
SINGLE_VALUED_FIELDS: tuple[str, ...] = (
    "title",
    "native_title",
    "year",
    "release_date",
    "runtime_minutes",
    "content_rating",
    "admissions",
    "box_office",
)
# Per-source measurements: every site has its own audience, so their values differ by
# nature and are not conflicts.
PER_SOURCE_FIELDS: tuple[str, ...] = ("rating", "rating_votes", "synopsis")
MULTI_VALUED_FIELDS: tuple[str, ...] = (
    "alt_title",
    "director",
    "writer",
    "genre",
    "country",
    "language",
    "trivia",
)
FACT_FIELDS: tuple[str, ...] = SINGLE_VALUED_FIELDS + PER_SOURCE_FIELDS + MULTI_VALUED_FIELDS

TITLE_KINDS: tuple[str, ...] = ("primary", "native", "alternative", "romanized")
CREDIT_ROLES: tuple[str, ...] = (
    "director",
    "writer",
    "cast",
    "producer",
    "composer",
    "cinematographer",
    "editor",
)
COMMENT_KINDS: tuple[str, ...] = ("comment", "reply", "review", "pingback")

# Page outcomes, stored in ``pages.status``. ``ok`` means extracted and stored; every
# other value says why nothing (new) was extracted, and ``status_reason`` has the
# detail. A page that fails keeps whatever an earlier fetch stored. This is the one
# list: the README's "Bad input" section explains each value.
PAGE_STATUSES: tuple[str, ...] = (
    "ok",
    "not_modified",  # HTTP 304 to a conditional GET
    "unchanged",  # 200 with a body whose content hash is already stored
    "no_content",  # parsed, but no main text, facts or comments (empty, JavaScript-only)
    "soft_404",  # 200, but the page says it was not found
    "interstitial",  # 200, but a cookie-consent wall or bot check instead of the page
    "http_error",  # 4xx/5xx after retries
    "fetch_error",  # DNS, connection refused or cut mid-body, timeout
    "too_large",  # body (decompressed) larger than DOWNLOAD_MAXSIZE: not downloaded
    "redirect_loop",  # redirects came back to a URL already visited, or too many
    "redirect_offsite",  # redirect to another site: recorded, not followed
    "not_html",  # PDF, image or other non-HTML body
    "extract_failed",  # extraction raised or ran out of time
    "blocked",  # refused by robots.txt or the network guard
)


@dataclass
class TitleRecord:
    """A name of the film as one page gives it."""

    title: str
    kind: str = "alternative"
    extractor: str = ""


@dataclass
class FactRecord:
    """One ``field: value`` statement about the film on one page.

    ``raw`` is what the page said; ``value`` is the normalised form the ``clean``
    pipeline computes (``2 hr. 7 min.`` -> ``127``). A fact whose raw text cannot be
    normalised is dropped by ``clean`` and counted, never stored half-understood.
    """

    field: str
    raw: str
    value: str | None = None
    extractor: str = ""


@dataclass
class CreditRecord:
    """A person's part in the film: director, writer, cast (with character) ..."""

    person: str
    role: str
    character: str | None = None
    raw: str = ""
    person_key: str = ""
    extractor: str = ""


@dataclass
class CommentRecord:
    """One audience comment, reply, user review or pingback.

    ``position`` is the comment's order on the page (0-based) and
    ``parent_position`` the position of the comment it answers; the dedupe stage
    turns positions into the stable fingerprints ``id`` and ``parent_id``.
    """

    text: str
    author: str | None = None
    published: str | None = None
    published_raw: str | None = None
    kind: str = "comment"
    position: int = 0
    parent_position: int | None = None
    extractor: str = ""
    truncated: bool = False
    id: str | None = None
    parent_id: str | None = None
    lang: str | None = None
    lang_confidence: float | None = None
    simhash: str | None = None
    duplicate_of: str | None = None
    near_duplicate_of: str | None = None


@dataclass
class PageRecord:
    """Everything filmcrawl learned from one fetch of one URL."""

    url: str
    requested_url: str = ""
    status: str = "ok"
    status_reason: str = ""
    http_status: int | None = None
    content_type: str | None = None
    encoding: str | None = None
    encoding_source: str | None = None
    # Share of the decoded text's non-ASCII characters that are U+FFFD (undecodable).
    replacement_ratio: float | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    content_length: int | None = None
    fetched_at: str = ""
    # How long the download took and how long decoding, parsing and extraction took
    # (milliseconds; wall-clock, so they differ between two crawls of the same page).
    fetch_ms: int | None = None
    extract_ms: int | None = None
    site: str = ""
    canonical_url: str | None = None
    parent_url: str | None = None
    depth: int = 0
    extractor: str | None = None
    title: str | None = None
    clean_text: str | None = None
    lang: str | None = None
    lang_confidence: float | None = None
    titles: list[TitleRecord] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)
    credits: list[CreditRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    # Links the crawl may schedule from this page: further comment pages of the same
    # document always, other pages only when following is switched on. Stored so that
    # a page answering 304 next time can still hand on its links.
    comment_page_urls: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    # Per-page counters that the pipelines add to the run's stats.
    events: dict[str, int] = field(default_factory=dict)

    def count(self, event: str, n: int = 1) -> None:
        self.events[event] = self.events.get(event, 0) + n

    @property
    def has_content(self) -> bool:
        return self.status == "ok"
