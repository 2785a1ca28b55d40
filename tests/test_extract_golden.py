"""Every golden page (``tests/golden/pages/*.json``) against what extraction finds on it.

The golden files hold *normalised* values (the format ``filmcrawl eval`` scores, see
``tests/golden/README.md``). When the normalisers are installed, facts and credits are
compared after the ``clean`` stage, exactly; without them, each golden fact's ``raw`` must
be among the extracted raw values and nothing may be extracted from a page whose
golden lists are empty.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from crawler.extract.page import extract_document, extraction_errors
from crawler.normalize.people import person_key
from crawler.process.clean import clean_page
from schemas.records import PageRecord

GOLDEN = Path(__file__).resolve().parent / "golden" / "pages"
PAGES = sorted(GOLDEN.glob("*.json"))


def _load(path: Path) -> tuple[dict[str, Any], str]:
    expected = json.loads(path.read_text(encoding="utf-8"))
    html_path = (path.parent / expected.get("html", path.with_suffix(".html").name)).resolve()
    return expected, html_path.read_text(encoding=expected.get("encoding", "utf-8"))


def _clean_stage() -> Any:
    return clean_page


def _fold(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


@pytest.fixture(scope="module", params=PAGES, ids=[p.stem for p in PAGES])
def golden(request: pytest.FixtureRequest) -> tuple[dict[str, Any], PageRecord]:
    expected, html = _load(request.param)
    return expected, extract_document(expected["url"], html)


def test_golden_pages_exist() -> None:
    assert len(PAGES) >= 15


def test_extractors_take_part(golden: tuple[dict[str, Any], PageRecord]) -> None:
    expected, found = golden
    assert not extraction_errors(found)
    assert set(expected.get("extractors", [])) <= set(found.extractor.split("+"))


def test_main_text(golden: tuple[dict[str, Any], PageRecord]) -> None:
    expected, found = golden
    text = found.clean_text or ""
    for snippet in expected.get("text", {}).get("must_contain", []):
        assert snippet in text
    for snippet in expected.get("text", {}).get("must_not_contain", []):
        assert snippet not in text


def test_title_and_titles(golden: tuple[dict[str, Any], PageRecord]) -> None:
    expected, found = golden
    if "title" in expected:
        assert found.title == expected["title"]
    if "titles" in expected:
        got = {(t.kind, " ".join(t.title.split())) for t in found.titles}
        assert got == {(t["kind"], t["title"]) for t in expected["titles"]}


def test_facts_and_credits(golden: tuple[dict[str, Any], PageRecord]) -> None:
    expected, found = golden
    clean_page = _clean_stage()
    if clean_page is None:
        _compare_raw(expected, found)
        return
    item = PageRecord(
        url=expected["url"], titles=found.titles, facts=found.facts, credits=found.credits
    )
    clean_page(item)
    if "facts" in expected:
        got = {(f.field, f.value) for f in item.facts}
        assert got == {(f["field"], f["value"]) for f in expected["facts"]}
    if "credits" in expected:
        got_credits = {(c.role, c.person_key, c.character) for c in item.credits}
        want = {
            (c["role"], person_key(c["person"]), c.get("character")) for c in expected["credits"]
        }
        assert got_credits == want


def _compare_raw(expected: dict[str, Any], found: PageRecord) -> None:
    raws: dict[str, set[str]] = {}
    for fact in found.facts:
        raws.setdefault(fact.field, set()).add(_fold(fact.raw))
        for part in re.split(r"\s*[,|/]\s*", fact.raw):
            raws[fact.field].add(_fold(part))
    for fact in expected.get("facts", []):
        assert _fold(fact["raw"]) in raws.get(fact["field"], set()), fact
    if expected.get("facts") == []:
        assert found.facts == []
    credits = {(c.role, _fold(c.person), c.character) for c in found.credits}
    want = {
        (c["role"], _fold(c["person"]), c.get("character")) for c in expected.get("credits", [])
    }
    if "credits" in expected:
        assert want <= credits
        assert {(role, person) for role, person, _ in credits} <= {
            (role, person) for role, person, _ in want
        }
