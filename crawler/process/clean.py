"""Normalise a page record: text, fact values, people and dates; bound oversized text.

A fact whose raw text cannot be normalised is dropped and counted
(``filmcrawl/clean/fact_unparsed/<field>``), never stored half-understood; its page
keeps the raw text in ``clean_text``.
"""

from __future__ import annotations

import re

from crawler.normalize.dates import normalise_date
from crawler.normalize.facts import normalise_fact, split_multi
from crawler.normalize.people import clean_person_name, person_key, spellings
from crawler.normalize.text import clean_inline, clean_text
from schemas.records import (
    FACT_FIELDS,
    SINGLE_VALUED_FIELDS,
    CommentRecord,
    CreditRecord,
    FactRecord,
    PageRecord,
    TitleRecord,
)

_YEAR = re.compile(r"^\d{4}$")
# Single-valued fields a page states once (its titles are many: kept as titles).
_ONE_PER_PAGE = frozenset(SINGLE_VALUED_FIELDS) - {"title"}
# A comment longer than this is stored cut at this many characters, flagged
# ``truncated``; nobody writes a real comment this long, and an unbounded one would let
# one page bloat the database and the full-text index.
MAX_COMMENT_CHARS = 20_000
MAX_PAGE_TEXT_CHARS = 500_000
MAX_AUTHOR_CHARS = 200


def clean_page(item: PageRecord) -> PageRecord:
    if item.title:
        item.title = clean_inline(item.title) or None
    if item.clean_text:
        text = clean_text(item.clean_text)
        if len(text) > MAX_PAGE_TEXT_CHARS:
            text = text[:MAX_PAGE_TEXT_CHARS]
            item.count("clean/page_text_truncated")
        item.clean_text = text or None
    item.titles = _clean_titles(item.titles)
    item.facts = _clean_facts(item)
    item.credits = _clean_credits(item)
    item.comments = _clean_comments(item)
    return item


def _clean_titles(titles: list[TitleRecord]) -> list[TitleRecord]:
    seen: set[tuple[str, str]] = set()
    result: list[TitleRecord] = []
    for title in titles:
        text = clean_inline(title.title)
        if not text or (title.kind, text) in seen:
            continue
        seen.add((title.kind, text))
        result.append(TitleRecord(text, title.kind, title.extractor))
    return result


def _clean_facts(item: PageRecord) -> list[FactRecord]:
    """Normalised facts, one per field and value. A page states one release date, one
    runtime ...: where two extractors read different ones (structured data's
    ``datePublished`` and a fact box line listing the local premiere first), the one
    read from the stronger evidence (facts come in extractor tier order) stands, and the
    page does not argue with itself in ``fact_conflicts``."""
    seen: set[tuple[str, str]] = set()
    stated_by: dict[str, str] = {}  # single-valued field -> the extractor whose value stands
    result: list[FactRecord] = []
    for fact in item.facts:
        if fact.field not in FACT_FIELDS:
            item.count(f"clean/fact_unknown_field/{fact.field}")
            continue
        raw = clean_text(fact.raw)
        for part in split_multi(fact.field, raw) or [raw]:
            value = normalise_fact(fact.field, part)
            if value is None:
                item.count(f"clean/fact_unparsed/{fact.field}")
                continue
            # "Release: 2013" states the year, not a date to set against 2013-01-23.
            field = "year" if fact.field == "release_date" and _YEAR.match(value) else fact.field
            if (field, value) in seen:
                continue
            if field in _ONE_PER_PAGE and stated_by.setdefault(field, fact.extractor) != (
                fact.extractor
            ):
                item.count(f"clean/fact_overruled/{field}")
                continue
            seen.add((field, value))
            result.append(FactRecord(field, part, value, fact.extractor))
    return result


def _clean_credits(item: PageRecord) -> list[CreditRecord]:
    """One credit per person, role and character. A person the page names in two scripts
    anywhere (``克里斯托弗·诺兰 Christopher Nolan``) has one key wherever the page names
    them, and an actor listed with a character is not listed again without one."""
    cleaned: list[CreditRecord] = []
    same_person: dict[str, str] = {}
    for credit in item.credits:
        raw = clean_inline(credit.raw or credit.person)
        person = clean_person_name(credit.person)
        key = person_key(credit.person) if person else ""
        if not key:
            item.count("clean/credit_without_person")
            continue
        names = spellings(credit.person)
        if len(names) > 1:
            for spelling in names:
                same_person[person_key(spelling)] = key
        character = clean_inline(credit.character or "") or None
        cleaned.append(CreditRecord(person, credit.role, character, raw, key, credit.extractor))
    for credit in cleaned:
        credit.person_key = same_person.get(credit.person_key, credit.person_key)
    with_character = {(c.role, c.person_key) for c in cleaned if c.character}
    seen: set[tuple[str, str, str | None]] = set()
    result: list[CreditRecord] = []
    for credit in cleaned:
        identity = (credit.role, credit.person_key, credit.character)
        if identity in seen or (not credit.character and identity[:2] in with_character):
            continue
        seen.add(identity)
        result.append(credit)
    return result


def _clean_comments(item: PageRecord) -> list[CommentRecord]:
    result: list[CommentRecord] = []
    for comment in item.comments:
        text = clean_text(comment.text)
        if not text:
            item.count("clean/comment_empty")
            continue
        if len(text) > MAX_COMMENT_CHARS:
            text = text[:MAX_COMMENT_CHARS]
            comment.truncated = True
            item.count("clean/comment_truncated")
        comment.text = text
        author = clean_inline(comment.author or "")[:MAX_AUTHOR_CHARS]
        comment.author = author or None
        if comment.published_raw and not comment.published:
            comment.published = normalise_date(comment.published_raw)
        result.append(comment)
    return result
