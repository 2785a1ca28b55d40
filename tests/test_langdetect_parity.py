"""langdetect-rs, the detector comment languages use, gives langdetect's own answers
bit for bit (issue 16): the same labels and probabilities, the same failures, the same
seeded behaviour, on the project's comment corpus. A release of the port that drifts
fails here; langdetect 1.0.9 stays the reference."""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any

import langdetect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.process import language
from crawler.process.language import (
    _SCRIPT_CANDIDATES,
    _factory,
    detect_languages,
    load_factory,
    normalise_text,
)

langdetect_rs = pytest.importorskip("langdetect_rs")

LABELLED = Path(__file__).parent / "data" / "language" / "comments.tsv"
# The candidate sets the language module restricts the detector to, and no restriction.
CANDIDATE_SETS: list[frozenset[str] | None] = [*_SCRIPT_CANDIDATES.values(), None]
LATIN = _SCRIPT_CANDIDATES["Latin"]
REFERENCE = load_factory(langdetect)
PORT = load_factory(langdetect_rs)


def probabilities(factory: Any, text: str, candidates: frozenset[str] | None) -> Any:
    detector = factory.create()
    if candidates is not None:
        detector.set_prior_map(dict.fromkeys(candidates, 1.0))
    detector.append(text)
    try:
        return [(found.lang, found.prob) for found in detector.get_probabilities()]
    except factory.no_features as exc:
        return f"{type(exc).__name__}: {exc}"


def labelled_texts() -> list[str]:
    with LABELLED.open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle, delimiter="\t")]


def test_the_crawl_detects_with_the_port() -> None:
    assert type(_factory()).__module__.startswith("langdetect_rs")


def test_identical_to_langdetect_on_the_labelled_comments() -> None:
    for text in labelled_texts():
        for candidates in CANDIDATE_SETS:
            for form in (normalise_text(text), text):
                assert probabilities(PORT, form, candidates) == probabilities(
                    REFERENCE, form, candidates
                ), (text, candidates)


def test_the_same_failures_as_langdetect() -> None:
    for text in ("", "1234 !!", "😭😭"):
        expected = probabilities(REFERENCE, text, LATIN)
        assert isinstance(expected, str)
        assert probabilities(PORT, text, LATIN) == expected


def test_the_seed_decides_as_in_langdetect() -> None:
    # A text langdetect is unsure about: its probabilities depend on the seed.
    text = normalise_text("ni filem sedih sangat")
    answers = set()
    for seed in (0, 1, 2):
        reference, port = load_factory(langdetect), load_factory(langdetect_rs)
        reference.set_seed(seed)
        port.set_seed(seed)
        answer = probabilities(port, text, LATIN)
        assert answer == probabilities(reference, text, LATIN)
        answers.add(repr(answer))
    assert len(answers) > 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéèçñ ", min_size=1, max_size=120))
def test_identical_to_langdetect_on_arbitrary_latin_text(text: str) -> None:
    assert probabilities(PORT, text, LATIN) == probabilities(REFERENCE, text, LATIN)


def test_without_the_port_langdetect_gives_the_same_labels_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    texts = labelled_texts()
    with_port = detect_languages(texts)
    # Where no wheel of the port exists, importing it fails.
    monkeypatch.setattr(language, "DETECTOR_PACKAGES", ("langdetect_rs_missing", "langdetect"))
    monkeypatch.setattr(language, "_factory_instance", None)
    language._detect_normalised.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="crawler.process.language"):
            assert detect_languages(texts) == with_port
        assert "langdetect-rs is not installed" in caplog.text
    finally:
        language._detect_normalised.cache_clear()
