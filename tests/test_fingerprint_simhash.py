"""The comments' simhash is trafilatura's ``Simhash(text).hash`` bit for bit (issue 16:
computed with packed counters instead of trafilatura's per-token lists, so that the
simhashes stored before stay the same). A trafilatura release that changes its simhash
fails here."""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from trafilatura.deduplication import Simhash

from crawler.normalize.keys import normalise_for_fingerprint
from crawler.process.fingerprint import _punctuation_to_space, simhash

LABELLED = Path(__file__).parent / "data" / "language" / "comments.tsv"


def test_the_comment_corpus_gets_trafilaturas_simhashes() -> None:
    with LABELLED.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    assert len(texts) > 300
    for text in texts:
        normalised = normalise_for_fingerprint(text)
        assert simhash(normalised) == Simhash(normalised).hash, text


def test_edge_cases_get_trafilaturas_simhashes() -> None:
    long_text = " ".join(f"word{index % 97} x{index}" for index in range(5000))
    for text in ["", "   ", "!!!", "。。。", "大 丈夫。", "a b c", "one", long_text]:
        assert simhash(text) == Simhash(text).hash, text


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab cd EF 12 .,!?;:-'\"。、「」\u00e9\u4e2d\n\t"))
    | st.text(alphabet=st.characters(codec="utf-8"))
)
def test_any_text_gets_trafilaturas_simhash(text: str) -> None:
    assert simhash(text) == Simhash(text).hash


def test_the_punctuation_table_is_that_of_all_of_unicode() -> None:
    # Built from the first two planes only (issue 16: the workers' fork server built it
    # from all of Unicode before any worker could start).
    everywhere = {
        code
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)).startswith("P")
    }
    table = _punctuation_to_space()
    assert set(table) == everywhere
    assert set(table.values()) == {" "}
