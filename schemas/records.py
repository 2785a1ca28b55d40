"""Item types that flow from the spider through the pipelines into the database.

One fetched page becomes one :class:`PageRecord`. Everything found on the page (titles,
facts, credits, comments) travels inside it, so a page and all of its records are
written in one transaction together with the frontier entry that marks the URL done:
a crash can never store half a page, and a resumed crawl never stores one twice.

Records start with what the page said (``raw``); the per-page chain
(:func:`crawler.process.page.process_page`) fills in the rest: it normalises values,
labels languages and gives comments their fingerprints. The item pipelines then
validate the record, resolve what it says about its film and store it.
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
# What kind of work a page or film is (``pages.kind``, ``films.kind``); see
# ``crawler/normalize/kinds.py`` for how each is recognised. NULL when no page says.
WORK_KINDS: tuple[str, ...] = (
    "movie",
    "short",
    "tv_movie",
    "video",
    "special",
    "series",
    "miniseries",
    "season",
    "episode",
)
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
    "too_large",  # headers or body (decompressed) past their size limits: not downloaded
    "truncated",  # the body ended before its Content-Length or last chunk
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
    content_key: str | None = None
    simhash: str | None = None
    duplicate_of: str | None = None
    near_duplicate_of: str | None = None


@dataclass
class FilmClaimRecord:
    """What one page says about its film, the input of film resolution (a
    ``film_claims`` row): title keys, titles, year, directors, countries and cast."""

    title_keys: list[str] = field(default_factory=list)  # sorted
    titles: list[list[str]] = field(default_factory=list)  # [kind, title], sorted
    year: int | None = None
    directors: list[str] = field(default_factory=list)  # person keys, sorted
    countries: list[str] = field(default_factory=list)  # sorted
    cast: list[str] = field(default_factory=list)  # person keys, sorted
    tier: int = 99  # best evidence tier behind the year, country and director facts
    kind: str | None = None  # the kind of work the page says it is about (WORK_KINDS)


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
    # The kind of work the page is about (``WORK_KINDS``), when the page says.
    kind: str | None = None
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
    # Per-page counters that the store pipeline adds to the run's stats.
    events: dict[str, int] = field(default_factory=dict)
    # CPU milliseconds each step of the per-page chain took on this page (decode,
    # extract/<extractor>, main_text, clean, language, fingerprint); summed into the
    # run's stats as ``filmcrawl/time/<step>_ms``.
    timings_ms: dict[str, float] = field(default_factory=dict)
    # What the page says about its film, filled by the resolve pipeline just before the
    # store's transaction (None: not resolved yet, or nothing to say).
    film_claim: FilmClaimRecord | None = None

    def count(self, event: str, n: int = 1) -> None:
        self.events[event] = self.events.get(event, 0) + n

    def handed_on(self) -> list[tuple[str, str]]:
        """The ``(url, kind)`` links the page hands on: its further comment pages, then
        its followed links that are not also one of those (a record made by hand, or
        before extraction kept them apart, may list a URL twice)."""
        comment_pages = set(self.comment_page_urls)
        return [(url, "comments") for url in self.comment_page_urls] + [
            (url, "follow") for url in self.links if url not in comment_pages
        ]

    def drop_findings(self) -> None:
        """Forget what extraction found: a page that turned out not to be a film page
        (or whose extraction failed half-way) stores none of it."""
        self.extractor = self.title = self.clean_text = self.canonical_url = None
        self.titles, self.facts, self.credits, self.comments = [], [], [], []
        self.comment_page_urls, self.links = [], []

    @property
    def has_content(self) -> bool:
        return self.status == "ok"


def record_problems(item: PageRecord) -> tuple[list[str], dict[str, int]]:
    """Check a page record against the database contract.

    Returns what makes the whole record unusable (it must not be stored) and, per
    kind, how many of its titles, facts, credits and comments fall outside the
    contract's vocabularies (they are left out, the rest of the page is stored).

    >>> record_problems(PageRecord(url="http://127.0.0.1/film", status="lost"))
    (["status 'lost' is not one of PAGE_STATUSES"], {})
    """
    fatal: list[str] = []
    if not item.url.startswith(("http://", "https://")):
        fatal.append(f"url {item.url[:100]!r} is not an http(s) URL")
    if item.status not in PAGE_STATUSES:
        fatal.append(f"status {item.status!r} is not one of PAGE_STATUSES")
    invalid: dict[str, int] = {}
    checks = (
        ("title_kind", [t.kind for t in item.titles], TITLE_KINDS),
        ("fact_field", [f.field for f in item.facts], FACT_FIELDS),
        ("credit_role", [c.role for c in item.credits], CREDIT_ROLES),
        ("comment_kind", [c.kind for c in item.comments], COMMENT_KINDS),
    )
    for name, values, allowed in checks:
        bad = sum(value not in allowed for value in values)
        if bad:
            invalid[name] = bad
    return fatal, invalid
