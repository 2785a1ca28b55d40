"""Every comment golden page (``tests/golden/comments/*.json``) through ``extract_document``.

``filmcrawl eval`` scores the same files with precision and recall; this test holds each
page to its expectations exactly, so a regression names the page and the field. The
format is described in ``tests/golden/README.md``; ``languages`` is the language
stage's business and is not judged here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from crawler.extract.page import extract_document, extraction_errors
from schemas.records import PageRecord

GOLDEN = Path(__file__).parent / "golden" / "comments"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))


def load_golden(path: Path) -> tuple[dict[str, Any], PageRecord]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    html_path = (path.parent / spec.get("html", path.with_suffix(".html").name)).resolve()
    html = html_path.read_bytes().decode(spec.get("encoding", "utf-8"))
    return spec, extract_document(spec["url"], html)


@pytest.fixture(scope="module", params=GOLDEN_FILES, ids=lambda path: path.stem)
def golden(request: pytest.FixtureRequest) -> tuple[dict[str, Any], PageRecord]:
    return load_golden(request.param)


def test_there_are_golden_pages() -> None:
    assert len(GOLDEN_FILES) >= 13


def test_extractors_take_part(golden: tuple[dict[str, Any], PageRecord]) -> None:
    spec, result = golden
    assert not extraction_errors(result)
    for name in spec.get("extractors", []):
        assert name in result.extractor.split("+")
    if result.comments and spec.get("extractors"):
        assert {c.extractor for c in result.comments} <= set(spec["extractors"])


def test_comment_count_and_authors(golden: tuple[dict[str, Any], PageRecord]) -> None:
    spec, result = golden
    expected = spec["comments"]
    assert len(result.comments) == expected["count"]
    if "authors" in expected:
        assert [c.author for c in result.comments] == expected["authors"]


def test_kinds_and_replies(golden: tuple[dict[str, Any], PageRecord]) -> None:
    spec, result = golden
    expected = spec["comments"]
    if "kinds" in expected:
        kinds = Counter(c.kind for c in result.comments)
        assert set(kinds) <= set(expected["kinds"])
        assert {kind: kinds.get(kind, 0) for kind in expected["kinds"]} == expected["kinds"]
    if "replies" in expected:
        pairs = [
            [c.position, c.parent_position]
            for c in result.comments
            if c.parent_position is not None
        ]
        assert pairs == expected["replies"]
    assert [c.position for c in result.comments] == list(range(len(result.comments)))
    for comment in result.comments:
        assert (comment.kind == "reply") == (comment.parent_position is not None)


def test_comment_snippets(golden: tuple[dict[str, Any], PageRecord]) -> None:
    spec, result = golden
    expected = spec["comments"]
    texts = [c.text for c in result.comments]
    for snippet in expected.get("must_contain", []):
        assert any(snippet in text for text in texts), snippet
    for snippet in expected.get("must_not_contain", []):
        for comment in result.comments:
            assert snippet not in comment.text, (snippet, comment.position)
            assert snippet not in (comment.author or ""), (snippet, comment.position)


def test_comments_never_leak_into_the_main_text(
    golden: tuple[dict[str, Any], PageRecord],
) -> None:
    spec, result = golden
    clean_text = result.clean_text or ""
    for snippet in spec.get("text", {}).get("must_contain", []):
        assert snippet in clean_text, snippet
    for snippet in spec.get("text", {}).get("must_not_contain", []):
        assert snippet not in clean_text, snippet
    for snippet in spec["comments"].get("must_contain", []):
        first_line = snippet.split("\n")[0]
        assert first_line not in clean_text, first_line
