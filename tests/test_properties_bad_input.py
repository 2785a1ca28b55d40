"""Properties over hostile input (issue 6), checked with Hypothesis:

* no bytes and no string make the extraction entry points raise
  (``process_page``, ``process_html``, ``extract_document``; ``decode_html`` and the
  single normalisers have their own properties in their test modules);
* the clean stage is idempotent: cleaning a cleaned page changes nothing;
* fingerprints are stable: the same comment always gets the same id, however its
  spacing, case or width varies;
* whatever a page says can be stored, and what is stored comes back unchanged.

Example counts are modest so the suite stays fast; the strategies aim at what breaks
parsers and databases (controls, NUL, lone surrogates, JSON escapes, odd encodings).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from crawler.extract.page import extract_document
from crawler.normalize.facts import normalise_fact
from crawler.normalize.keys import normalise_for_fingerprint
from crawler.normalize.people import clean_person_name, person_key
from crawler.normalize.text import clean_inline, clean_text
from crawler.normalize.titles import clean_title, title_key
from crawler.process.clean import clean_page
from crawler.process.fingerprint import comment_fingerprint, fingerprint_page
from crawler.process.page import FetchedPage, process_html, process_page
from crawler.store.database import stable_id
from crawler.store.writer import write_batch
from schemas.records import (
    FACT_FIELDS,
    PAGE_STATUSES,
    CommentRecord,
    CreditRecord,
    FactRecord,
    PageRecord,
    TitleRecord,
)
from schemas.tables import migrate

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

# Characters that break things: C0/C1 controls, NUL, zero-width and bidi marks, BOM,
# replacement and non-characters, lone surrogates, astral emoji, RTL and CJK letters.
NASTY = st.sampled_from(
    [
        *"\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9c\u200b\u200c\u200d\u202e\u2028\ufeff",
        "\ufffd",
        "\uffff",
        "\ud800",
        "\udfff",
        "\ud83d",
        "😂",
        "👩\u200d💻",
        "ش",
        "한",
        "東",
        "\u0301",
        "'",
        '"',
        "<",
        "&",
        ";",
    ]
)
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)  # with surrogates
STORABLE_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
HOSTILE_TEXT = st.lists(NASTY | ANY_TEXT, max_size=6).map("".join)
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=shift_jis",
        "text/html; charset=euc-kr",
        "text/html; charset=windows-1251",
        "text/html; charset=utf-16",
        "application/octet-stream",
        "text/html; charset=rot13",
    ]
)
ENCODINGS = st.sampled_from(["utf-8", "cp1252", "cp1251", "shift_jis", "euc-kr", "utf-16"])


@contextmanager
def fresh_database() -> Iterator[Database]:
    # A new in-memory database per example (a pytest fixture would be shared).
    db = Database(memory=True)
    migrate(db)
    try:
        yield db
    finally:
        db.close()


@st.composite
def hostile_pages(draw: st.DrawFn) -> str:
    """A film-like page whose every text slot holds hostile text, in markup, in
    entities and in JSON-LD (where ``\\ud800`` escapes make lone surrogates)."""

    def text() -> str:
        return draw(HOSTILE_TEXT)

    def markup(value: str) -> str:
        return value.replace("&", "&amp;").replace("<", "&lt;")

    movie = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": text(),
        "datePublished": text(),
        "director": {"@type": "Person", "name": text()},
        "comment": [
            {"@type": "Comment", "author": {"@type": "Person", "name": text()}, "text": text()}
            for _ in range(draw(st.integers(0, 2)))
        ],
    }
    raw_json = json.dumps(movie)  # ensure_ascii: lone surrogates become \\udXXX escapes
    if draw(st.booleans()):
        raw_json = raw_json[: draw(st.integers(0, len(raw_json)))]  # malformed
    entity = draw(st.sampled_from(["&#0;", "&#xD800;", "&#1;", "&#x1F600;", "&#99999999;", "&"]))
    comments = "".join(
        f'<li id="comment-{n}" class="comment"><article class="comment-body">'
        f'<b class="fn">{markup(text())}</b><div class="comment-content"><p>{markup(text())}'
        f"{entity}</p></div></article></li>"
        for n in range(draw(st.integers(0, 3)))
    )
    return (
        f"<html><head><title>{markup(text())}</title>"
        f'<script type="application/ld+json">{raw_json}</script></head><body>'
        f"<article><h1>{markup(text())}</h1><p>{markup(text())} {entity}</p>"
        f"<p>{markup(text())}</p></article>"
        f'<div id="comments"><ol class="comment-list">{comments}</ol></div></body></html>'
    )


# --- never raise ---------------------------------------------------------------------------


@SETTINGS
@given(body=st.binary(max_size=3000), content_type=CONTENT_TYPES)
def test_process_page_never_raises_on_bytes(body: bytes, content_type: str | None) -> None:
    page = FetchedPage("http://127.0.0.1:8000/p", "http://127.0.0.1:8000/p", 200, body, "t")
    page.content_type = content_type
    item = process_page(page)
    assert item.status in PAGE_STATUSES
    assert item.status_reason or item.status == "ok"


@SETTINGS
@given(html=hostile_pages(), encoding=ENCODINGS, content_type=CONTENT_TYPES)
def test_the_whole_chain_never_raises_and_its_output_can_be_stored(
    html: str, encoding: str, content_type: str | None
) -> None:
    item = process_html(
        "http://127.0.0.1:8000/film", html.encode(encoding, "replace"), content_type
    )
    assert item.status in PAGE_STATUSES
    item.fetched_at = "2026-01-01T00:00:00Z"
    with fresh_database() as db:
        write_batch(db, [item], generation=1)  # raises on a lone surrogate
        stored = db["pages"].get(item.url)
        assert stored["status"] == item.status
        if item.status == "ok":
            assert stored["title"] == item.title
            assert stored["clean_text"] == item.clean_text
            texts = [row["text"] for row in db.query("SELECT text FROM comments ORDER BY position")]
            assert texts == [comment.text for comment in item.comments]


@SETTINGS
@given(html=hostile_pages() | st.text(max_size=500))
def test_extract_document_never_raises_on_hostile_text(html: str) -> None:
    result = extract_document("http://127.0.0.1:8000/film", html, with_links=True)
    assert all(link.startswith(("http://", "https://")) for link in result.links)


# --- cleaning twice is cleaning once ---------------------------------------------------------


@st.composite
def raw_items(draw: st.DrawFn) -> PageRecord:
    text = st.one_of(HOSTILE_TEXT, ANY_TEXT)
    return PageRecord(
        url="http://127.0.0.1:8000/film",
        title=draw(text),
        clean_text=draw(text),
        titles=[TitleRecord(draw(text), "primary") for _ in range(draw(st.integers(0, 2)))],
        facts=[
            FactRecord(draw(st.sampled_from(FACT_FIELDS)), draw(text))
            for _ in range(draw(st.integers(0, 3)))
        ],
        credits=[
            CreditRecord(draw(text), "director", draw(st.none() | text))
            for _ in range(draw(st.integers(0, 2)))
        ],
        comments=[
            CommentRecord(text=draw(text), author=draw(st.none() | text), position=n)
            for n in range(draw(st.integers(0, 3)))
        ],
    )


@SETTINGS
@given(item=raw_items())
def test_cleaning_twice_is_cleaning_once(item: PageRecord) -> None:
    once = clean_page(item)
    twice = clean_page(copy.deepcopy(once))
    once.events, twice.events = {}, {}
    assert twice == once


@SETTINGS
@given(item=raw_items())
def test_cleaned_text_has_no_controls_or_surrogates(item: PageRecord) -> None:
    cleaned = clean_page(item)
    texts = [cleaned.title or "", cleaned.clean_text or ""]
    texts += [t.title for t in cleaned.titles] + [f.raw for f in cleaned.facts]
    texts += [c.text for c in cleaned.comments] + [c.author or "" for c in cleaned.comments]
    texts += [c.person for c in cleaned.credits] + [c.character or "" for c in cleaned.credits]
    for text in texts:
        text.encode("utf-8")  # no lone surrogate
        assert not any(ch < " " and ch not in "\n" for ch in text), repr(text)


IDEMPOTENT_NORMALISERS: list[Callable[[str], str]] = [
    clean_text,
    clean_inline,
    clean_title,
    title_key,
    clean_person_name,
    person_key,
    normalise_for_fingerprint,
]


@SETTINGS
@given(raw=HOSTILE_TEXT)
def test_text_normalisers_are_idempotent_on_hostile_text(raw: str) -> None:
    # The normaliser modules check this on ordinary text; here with controls, NUL,
    # joiners, bidi marks and lone surrogates mixed in.
    for normalise in IDEMPOTENT_NORMALISERS:
        once = normalise(raw)
        assert normalise(once) == once, normalise.__name__


@SETTINGS
@given(field=st.sampled_from(FACT_FIELDS), raw=HOSTILE_TEXT)
def test_fact_normalisers_never_raise_on_hostile_text(field: str, raw: str) -> None:
    value = normalise_fact(field, clean_text(raw))
    if value is not None:
        assert normalise_fact(field, value) == value


# --- fingerprints ----------------------------------------------------------------------------


def test_fingerprints_are_fixed_functions_of_their_parts() -> None:
    # The same comment gets the same key in every process, on every machine, in every
    # release: a stored key must never change under a re-crawl.
    expected = "d9638e114a6d73d25c5122e544b620a8"
    assert stable_id("comment", "http://x/", "kim", "so touching") == expected
    assert comment_fingerprint("http://x/", "Kim", "So  touching") == expected
    assert comment_fingerprint("http://x/", " KIM ", "so\ntouching") == expected
    assert stable_id("a", None) == stable_id("a", "")
    assert stable_id("a", "b") != stable_id("ab")


@SETTINGS
@given(url=STORABLE_TEXT, author=st.none() | ANY_TEXT, text=ANY_TEXT)
def test_comment_fingerprints_are_stable(url: str, author: str | None, text: str) -> None:
    first = comment_fingerprint(url, author, text)
    assert first == comment_fingerprint(url, author, text)
    assert len(first) == 32 and all(ch in "0123456789abcdef" for ch in first)
    # Spacing does not make a different comment.
    respaced = "  " + "\n".join(text.split()) + " \t"
    assert comment_fingerprint(url, author, respaced) == first


@SETTINGS
@given(item=raw_items())
def test_fingerprinting_a_page_twice_gives_the_same_ids(item: PageRecord) -> None:
    cleaned = clean_page(item)
    first = [c.id for c in fingerprint_page(copy.deepcopy(cleaned)).comments]
    second = [c.id for c in fingerprint_page(copy.deepcopy(cleaned)).comments]
    assert first == second
    assert len(set(first)) == len(first)


# --- what is stored comes back unchanged -----------------------------------------------------


@st.composite
def storable_items(draw: st.DrawFn) -> PageRecord:
    storable_nasty = NASTY.filter(lambda ch: not "\ud800" <= ch <= "\udfff")
    text = st.one_of(STORABLE_TEXT, st.lists(storable_nasty, max_size=8).map("".join))
    nonempty = text.filter(bool)
    comments = [
        CommentRecord(text=draw(nonempty), author=draw(st.none() | text), position=n)
        for n in range(draw(st.integers(0, 3)))
    ]
    item = PageRecord(
        url="http://127.0.0.1:8000/" + draw(st.text("abc/é%?=&", max_size=10)),
        http_status=200,
        content_hash="0" * 64,
        fetched_at="2026-01-01T00:00:00Z",
        title=draw(st.none() | text),
        clean_text=draw(st.none() | text),
        status_reason=draw(text),
        titles=[TitleRecord(draw(nonempty), "primary")],
        facts=[FactRecord("genre", draw(text), draw(nonempty))],
        credits=[CreditRecord(draw(nonempty), "director", None, "", draw(nonempty))],
        comments=comments,
    )
    return fingerprint_page(item)


@SETTINGS
@given(item=storable_items())
def test_stored_text_round_trips_unchanged(item: PageRecord) -> None:
    with fresh_database() as db:
        write_batch(db, [item], generation=1)
        page = db["pages"].get(item.url)
        assert (page["title"], page["clean_text"], page["status_reason"]) == (
            item.title,
            item.clean_text,
            item.status_reason,
        )
        (fact,) = db.query("SELECT raw, value FROM facts")
        assert (fact["raw"], fact["value"]) == (item.facts[0].raw, item.facts[0].value)
        (title,) = db.query("SELECT title FROM film_titles")
        assert title["title"] == item.titles[0].title
        (credit,) = db.query("SELECT person FROM credits")
        assert credit["person"] == item.credits[0].person
        stored = {
            row["id"]: (row["author"], row["text"]) for row in db.query("SELECT * FROM comments")
        }
        assert stored == {c.id: (c.author, c.text) for c in item.comments}
