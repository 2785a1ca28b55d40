"""The fast langdetect loop gives langdetect's own answers, bit for bit."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from crawler.process.langdetect_exact import ExactFastDetector
from crawler.process.language import _SCRIPT_CANDIDATES, _factory, normalise_text

LABELLED = Path(__file__).parent / "data" / "language" / "comments.tsv"
# The candidate sets the language module restricts langdetect to, and no restriction.
CANDIDATE_SETS: list[frozenset[str] | None] = [*_SCRIPT_CANDIDATES.values(), None]
LATIN = _SCRIPT_CANDIDATES["Latin"]


def probabilities(detector_class: type[Detector], text: str, candidates: frozenset[str] | None):
    detector = detector_class(_factory())
    if candidates is not None:
        detector.set_prior_map(dict.fromkeys(candidates, 1.0))
    detector.append(text)
    try:
        return [(language.lang, language.prob) for language in detector.get_probabilities()]
    except LangDetectException as exc:
        return repr(exc)


def labelled_texts() -> list[str]:
    with LABELLED.open(encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle, delimiter="\t")]


def test_identical_to_langdetect_on_the_labelled_comments() -> None:
    for text in labelled_texts():
        normalised = normalise_text(text)
        for candidates in CANDIDATE_SETS:
            assert probabilities(ExactFastDetector, normalised, candidates) == probabilities(
                Detector, normalised, candidates
            ), (text, candidates)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéèçñ ", min_size=1, max_size=120))
def test_identical_to_langdetect_on_arbitrary_latin_text(text: str) -> None:
    assert probabilities(ExactFastDetector, text, LATIN) == probabilities(Detector, text, LATIN)
