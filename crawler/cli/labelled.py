"""Score extraction on real pages with gold labels: a folder holding ``gold.json`` and
``pages/`` (the format of ``shared/corpus/real3``; its ``NOTES.md`` gives the conventions).

Each page goes through the same per-page chain as a crawl, as if served from
``127.0.0.1`` without a charset in its ``Content-Type`` (so the decoder decides from the
page itself, as it must for a badly configured site). The figures are the ones the
generality issue measures:

* **film pages right**: the page's title, native or alternative title facts include the
  gold title (or an accepted spelling, or the labelled original title); its year facts (or
  the year of a release date) include the gold year; its director facts or director
  credits include at least one gold director. Names and titles are compared case-,
  accent- and punctuation-blind;
* **non-film pages clean**: no title, year or director from the page (so no film);
* **comment counts in band**: the number of comments lies in the page's ``[min, max]``;
* **comment snippets** and **comment authors** found: a gold snippet lies inside one
  comment's text, a gold author is one comment's author;
* **main-text snippets**: gold phrases of the main text found in ``clean_text``;
* **leaks**: gold boilerplate phrases found in the main text or in any comment;
* **crashes**: pages whose extraction failed.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.process.page import process_html
from schemas.records import PageRecord

GOLD_FILE = "gold.json"
TITLE_FIELDS = frozenset({"title", "native_title", "alt_title"})


def is_labelled_folder(directory: Path) -> bool:
    return (directory / GOLD_FILE).is_file()


@dataclass
class Tally:
    """``hits`` of ``total`` (leaks and crashes count only hits)."""

    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hits += ok

    @property
    def share(self) -> float:
        return self.hits / self.total if self.total else 1.0


FIGURES: tuple[tuple[str, str], ...] = (
    ("film_pages_right", "film pages with title + year + director(s) right"),
    ("non_film_clean", "non-film pages that yield no film"),
    ("comment_count_in_band", "pages whose comment count is within its band"),
    ("comment_snippets", "comment snippets (text) found"),
    ("comment_authors", "comment authors found"),
    ("text_snippets", "main-text must-contain snippets"),
    ("leaks", "boilerplate leaks (must-not-contain found)"),
    ("crashes", "crashes"),
)


@dataclass
class LabelledReport:
    figures: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k, _ in FIGURES})
    problems: dict[str, list[str]] = field(default_factory=dict)

    def note(self, page: str, problem: str) -> None:
        self.problems.setdefault(page, []).append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {
            "figures": {
                name: {"hits": tally.hits, "total": tally.total}
                for name, tally in self.figures.items()
            },
            "problems": self.problems,
        }


def blind(text: str) -> str:
    """Case-, accent- and punctuation-blind form: letters and digits of every script."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def read_page(path: Path) -> bytes:
    body = path.read_bytes()
    return gzip.decompress(body) if path.name.endswith(".gz") else body


def evaluate_labelled(directory: Path) -> LabelledReport:
    gold = json.loads((directory / GOLD_FILE).read_text(encoding="utf-8"))["pages"]
    report = LabelledReport()
    for name, labels in sorted(gold.items()):
        body = read_page(directory / "pages" / name)
        page_name = name.removesuffix(".gz")
        record = process_html(f"http://127.0.0.1/{page_name}", body, "text/html")
        score_page(page_name, labels, record, report)
    return report


def score_page(
    name: str, labels: dict[str, Any], record: PageRecord, report: LabelledReport
) -> None:
    figures = report.figures
    crashed = record.status == "extract_failed"
    if crashed:
        figures["crashes"].hits += 1
        report.note(name, f"crashed: {record.status_reason}")
    if labels.get("is_film_page"):
        ok = _film_right(labels["film"], record, name, report)
        figures["film_pages_right"].add(ok)
    else:
        evidence = _film_evidence(record)
        figures["non_film_clean"].add(not evidence)
        if evidence:
            report.note(name, f"not a film page, but found {evidence}")
    comments = record.comments
    spec = labels.get("comments", {})
    if spec:
        low, high = spec.get("min", 0), spec.get("max", 0)
        in_band = low <= len(comments) <= high
        figures["comment_count_in_band"].add(in_band)
        if not in_band:
            report.note(name, f"{len(comments)} comments, expected {low}..{high}")
        texts = [" ".join(comment.text.split()) for comment in comments]
        for snippet in spec.get("snippets", []):
            found = _flat(snippet) in "\n".join(texts)
            figures["comment_snippets"].add(found)
            if not found:
                report.note(name, f"comment snippet missing: {snippet!r}")
        authors = {blind(comment.author or "") for comment in comments}
        for author in spec.get("authors_some", []):
            found = blind(author) in authors
            figures["comment_authors"].add(found)
            if not found:
                report.note(name, f"comment author missing: {author!r}")
    text = " ".join((record.clean_text or "").split())
    for snippet in labels.get("text_with", []):
        found = _flat(snippet) in text
        figures["text_snippets"].add(found)
        if not found:
            report.note(name, f"main text lacks {snippet!r}")
    everything = [text] + [" ".join(comment.text.split()) for comment in comments]
    for snippet in labels.get("text_without", []):
        leaked = any(_flat(snippet) in part for part in everything)
        if leaked:
            figures["leaks"].hits += 1
            report.note(name, f"boilerplate leaked: {snippet!r}")


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _film_evidence(record: PageRecord) -> list[str]:
    found = [f"{fact.field}={fact.value}" for fact in record.facts if fact.field in TITLE_FIELDS]
    found += [f"year={fact.value}" for fact in record.facts if fact.field == "year"]
    found += [f"director={fact.value}" for fact in record.facts if fact.field == "director"]
    found += [f"director credit {c.person}" for c in record.credits if c.role == "director"]
    found += [f"title record {title.title}" for title in record.titles]
    return found


def _film_right(
    film: dict[str, Any], record: PageRecord, name: str, report: LabelledReport
) -> bool:
    wanted_titles = {blind(film["title"])} | {blind(t) for t in film.get("title_also", [])}
    if film.get("original_title"):
        wanted_titles.add(blind(film["original_title"]))
    found_titles = {blind(f.value or f.raw) for f in record.facts if f.field in TITLE_FIELDS}
    found_titles |= {blind(title.title) for title in record.titles}
    title_ok = bool(wanted_titles & found_titles)
    if not title_ok:
        report.note(name, f"title {film['title']!r} not among {sorted(found_titles)}")

    year_ok = True
    if film.get("year"):
        years = {f.value for f in record.facts if f.field == "year"}
        years |= {(f.value or "")[:4] for f in record.facts if f.field == "release_date"}
        year_ok = str(film["year"]) in years
        if not year_ok:
            report.note(name, f"year {film['year']} not among {sorted(y for y in years if y)}")

    directors_ok = True
    if film.get("directors"):
        wanted = {blind(person) for person in film["directors"]}
        found = {blind(f.value or f.raw) for f in record.facts if f.field == "director"}
        found |= {blind(c.person) for c in record.credits if c.role == "director"}
        directors_ok = bool(wanted & found)
        if not directors_ok:
            report.note(name, f"directors {film['directors']} not among {sorted(found)}")
    return title_ok and year_ok and directors_ok
