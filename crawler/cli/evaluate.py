"""Score extraction against golden pages: per-field precision, recall and F1.

A golden page is an HTML file plus a JSON file of what extraction must find (format:
``tests/golden/README.md``). Facts are scored per field on normalised values; credits
per role on person keys (and characters); titles per kind; the main text by its
must-contain / must-not-contain snippets; comments by count, authors in order, kinds,
reply links and spot-checked languages.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.normalize.people import person_key
from crawler.normalize.titles import title_key
from crawler.process.page import process_html
from schemas.records import PageRecord


@dataclass
class FieldScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def add(self, expected: Iterable[Any], found: Iterable[Any]) -> None:
        want, got = Counter(expected), Counter(found)
        matched = sum((want & got).values())
        self.true_positives += matched
        self.false_positives += sum(got.values()) - matched
        self.false_negatives += sum(want.values()) - matched

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class PageReport:
    golden: str
    problems: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    fields: dict[str, FieldScore] = field(default_factory=dict)
    pages: list[PageReport] = field(default_factory=list)

    def score(self, name: str) -> FieldScore:
        return self.fields.setdefault(name, FieldScore())

    @property
    def overall(self) -> FieldScore:
        total = FieldScore()
        for score in self.fields.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": {
                name: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "tp": s.true_positives,
                    "fp": s.false_positives,
                    "fn": s.false_negatives,
                }
                for name, s in sorted(self.fields.items())
            },
            "overall": {
                "precision": round(self.overall.precision, 4),
                "recall": round(self.overall.recall, 4),
                "f1": round(self.overall.f1, 4),
            },
            "pages": [{"golden": p.golden, "problems": p.problems} for p in self.pages],
        }


def load_goldens(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*.json") if path.is_file())


def evaluate(directory: Path) -> EvalReport:
    report = EvalReport()
    for golden_path in load_goldens(directory):
        expected = json.loads(golden_path.read_text(encoding="utf-8"))
        html_path = golden_path.parent / expected.get("html", golden_path.with_suffix(".html").name)
        body = html_path.read_bytes()
        encoding = expected.get("encoding", "utf-8")
        item = process_html(expected["url"], body, f"text/html; charset={encoding}")
        page = PageReport(str(golden_path.relative_to(directory)))
        score_page(expected, item, report, page)
        report.pages.append(page)
    return report


def score_page(
    expected: dict[str, Any], item: PageRecord, report: EvalReport, page: PageReport
) -> None:
    for name in expected.get("extractors", []):
        ok = name in (item.extractor or "").split("+")
        report.score("extractors").add([name], [name] if ok else [])
        if not ok:
            page.problems.append(f"extractor {name} did not take part ({item.extractor})")
    if "title" in expected:
        _check(report, page, "page_title", [expected["title"]], [item.title or ""])
    if "kind" in expected:
        _check(
            report,
            page,
            "kind",
            [expected["kind"]] if expected["kind"] else [],
            [item.kind] if item.kind else [],
        )
    text = expected.get("text")
    if text is not None:
        _score_snippets(report, page, "text", [item.clean_text or ""], text)
    if "titles" in expected:
        for kind in {t["kind"] for t in expected["titles"]} | {t.kind for t in item.titles}:
            _check(
                report,
                page,
                f"titles/{kind}",
                [t["title"] for t in expected["titles"] if t["kind"] == kind],
                [t.title for t in item.titles if t.kind == kind],
            )
    if "facts" in expected:
        fields = {f["field"] for f in expected["facts"]} | {f.field for f in item.facts}
        for name in sorted(fields):
            _check(
                report,
                page,
                f"facts/{name}",
                [_fact_key(name, f["value"]) for f in expected["facts"] if f["field"] == name],
                [_fact_key(name, f.value or "") for f in item.facts if f.field == name],
            )
    if "credits" in expected:
        roles = {c["role"] for c in expected["credits"]} | {c.role for c in item.credits}
        for role in sorted(roles):
            _check(
                report,
                page,
                f"credits/{role}",
                [
                    (person_key(c["person"]), c.get("character") or None)
                    for c in expected["credits"]
                    if c["role"] == role
                ],
                [(c.person_key, c.character or None) for c in item.credits if c.role == role],
            )
    if "comments" in expected:
        _score_comments(expected["comments"], item, report, page)


def _fact_key(field_name: str, value: str) -> str:
    if field_name in ("title", "alt_title", "native_title"):
        return title_key(value)
    if field_name in ("director", "writer"):
        return person_key(value)
    return value


def _check(
    report: EvalReport, page: PageReport, name: str, expected: list[Any], found: list[Any]
) -> None:
    report.score(name).add(expected, found)
    missing = Counter(expected) - Counter(found)
    extra = Counter(found) - Counter(expected)
    if missing:
        page.problems.append(f"{name}: missing {sorted(missing.elements(), key=str)}")
    if extra:
        page.problems.append(f"{name}: unexpected {sorted(extra.elements(), key=str)}")


def _contains(texts: list[str], snippet: str) -> bool:
    """Whether one of ``texts`` contains ``snippet``, whitespace-insensitively; a
    snippet of whitespace only (``"  "``, a no-break space) is looked for as it is."""
    flat_snippet = " ".join(snippet.split())
    if not flat_snippet:
        return any(snippet in text for text in texts)
    return any(flat_snippet in " ".join(text.split()) for text in texts)


def _score_snippets(
    report: EvalReport, page: PageReport, name: str, texts: list[str], spec: dict[str, list[str]]
) -> None:
    """Snippets are judged within each text (each comment on its own), so a snippet
    spanning two comments shows that they were wrongly merged."""
    score = report.score(name)
    for snippet in spec.get("must_contain", []):
        found = _contains(texts, snippet)
        score.add([snippet], [snippet] if found else [])
        if not found:
            page.problems.append(f"{name}: missing snippet {snippet!r}")
    for snippet in spec.get("must_not_contain", []):
        found = _contains(texts, snippet)
        score.add([], [snippet] if found else [])
        if found:
            page.problems.append(f"{name}: contains boilerplate {snippet!r}")


def _score_comments(
    spec: dict[str, Any], item: PageRecord, report: EvalReport, page: PageReport
) -> None:
    comments = item.comments
    if "count" in spec:
        _check(report, page, "comments/count", [spec["count"]], [len(comments)])
    if "authors" in spec:
        expected_authors = list(spec["authors"])
        found_authors = [c.author or "" for c in comments]
        score = report.score("comments/authors")
        for index in range(max(len(expected_authors), len(found_authors))):
            want = expected_authors[index] if index < len(expected_authors) else None
            got = found_authors[index] if index < len(found_authors) else None
            score.add([want] if want is not None else [], [got] if got is not None else [])
            if want != got:
                page.problems.append(f"comments/authors[{index}]: expected {want!r}, got {got!r}")
    if "kinds" in spec:
        found_kinds = Counter(c.kind for c in comments)
        for kind, count in spec["kinds"].items():
            _check(
                report, page, f"comments/kind/{kind}", [kind] * count, [kind] * found_kinds[kind]
            )
    if "replies" in spec:
        by_id = {c.id: c.position for c in comments}
        found = [[c.position, by_id.get(c.parent_id)] for c in comments if c.parent_id is not None]
        _check(
            report,
            page,
            "comments/replies",
            [tuple(pair) for pair in spec["replies"]],
            [tuple(pair) for pair in found],
        )
    if "languages" in spec:
        by_position = {c.position: c.lang for c in comments}
        for position, lang in spec["languages"].items():
            _check(report, page, "comments/language", [lang], [by_position.get(int(position))])
    snippets: dict[str, list[str]] = {
        k: spec[k] for k in ("must_contain", "must_not_contain") if k in spec
    }
    if snippets:
        _score_snippets(report, page, "comments/text", [c.text for c in comments], snippets)
