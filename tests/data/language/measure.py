"""Measure the language thresholds on the labelled comments (run by hand, not by pytest).

    python tests/data/language/measure.py

Prints the figures that README.md and the constants in crawler/process/language.py quote:

1. langdetect's accuracy on word prefixes (first 1, 2, 3, ... words) of every labelled
   comment that langdetect judges (scripts that do not name their language), with no
   thresholds, by length and by how many of langdetect's 7 seeded trials agreed (its
   probability is their average, so close to k/7): how short and how unsure is too much.
2. Accuracy on the whole labelled set for a grid of (MIN_LETTERS, MIN_CONFIDENCE), with
   and without the stricter rule for texts under SHORT_TEXT_LETTERS letters; und is right
   only for comments labelled und.
3. The same accuracy with other caps on the characters handed to langdetect.
4. The chosen thresholds' errors split into wrong labels and und, per language.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from crawler.process import language  # noqa: E402

LABELLED = Path(__file__).with_name("comments.tsv")
CHOSEN = {
    "MIN_LETTERS": language.MIN_LETTERS,
    "SHORT_TEXT_LETTERS": language.SHORT_TEXT_LETTERS,
    "MIN_CONFIDENCE": language.MIN_CONFIDENCE,
    "MIN_CONFIDENCE_SHORT": language.MIN_CONFIDENCE_SHORT,
    "MAX_DETECT_CHARS": language.MAX_DETECT_CHARS,
}
LENGTHS = ((0, "0-9"), (10, "10-14"), (15, "15-19"), (20, "20+"))


def load() -> list[tuple[str, str]]:
    lines = LABELLED.read_text(encoding="utf-8").splitlines()[1:]
    return [(expected, text) for expected, text, _ in (line.split("\t") for line in lines)]


def configure(**settings: float) -> None:
    for name, value in {**CHOSEN, **settings}.items():
        setattr(language, name, value)
    language._detect_normalised.cache_clear()


def judged_by_langdetect(text: str) -> bool:
    view = language._dominant_script(language.normalise_text(text))
    return view.script in language._SCRIPT_CANDIDATES


def prefixes(text: str) -> list[str]:
    words = text.split()
    return [" ".join(words[:n]) for n in range(1, len(words) + 1)]


def accuracy(rows: list[tuple[str, str]]) -> str:
    right = sum(language.detect_language(text).lang == expected for expected, text in rows)
    return f"{right / len(rows):6.1%}"


def prefix_table(rows: list[tuple[str, str]]) -> None:
    configure(MIN_LETTERS=1, MIN_CONFIDENCE=0.0, MIN_CONFIDENCE_SHORT=0.0)
    cells: dict[tuple[str, int], list[bool]] = collections.defaultdict(list)
    for expected, text in rows:
        if expected == language.UND or not judged_by_langdetect(text):
            continue
        for prefix in prefixes(text):
            letters = language._dominant_script(language.normalise_text(prefix)).letters
            result = language.detect_language(prefix)
            if result.lang == language.UND:  # langdetect found no n-gram it knows
                continue
            length = next(label for low, label in reversed(LENGTHS) if letters >= low)
            cells[length, round(result.confidence * 7)].append(result.lang == expected)
    print("1. word prefixes judged by langdetect, no thresholds: right / all")
    print("   letters  " + "".join(f"{f'{k}/7':>16}" for k in (7, 6, 5, 4, 3)) + "           all")
    for _, length in LENGTHS:
        line, total, right = "", 0, 0
        for votes in (7, 6, 5, 4, 3):
            hits = cells[length, votes]
            total, right = total + len(hits), right + sum(hits)
            line += f"{sum(hits):>6}/{len(hits):<4} {sum(hits) / max(len(hits), 1):4.0%}"
        print(f"   {length:>7}  {line}{right:>7}/{total:<5}{right / total:4.0%}")


def threshold_grid(rows: list[tuple[str, str]]) -> None:
    print("2. whole-set accuracy; columns MIN_CONFIDENCE, short rule on / off")
    confidences = (0.0, 0.7, 0.8, 0.99)
    print("   MIN_LETTERS " + "".join(f"{c:>16}" for c in confidences))
    for min_letters in (1, 5, 8, 10, 12, 15, 20):
        cells = []
        for min_confidence in confidences:
            configure(MIN_LETTERS=min_letters, MIN_CONFIDENCE=min_confidence)
            strict = accuracy(rows)
            configure(
                MIN_LETTERS=min_letters,
                MIN_CONFIDENCE=min_confidence,
                MIN_CONFIDENCE_SHORT=min_confidence,
            )
            cells.append(f"{strict} /{accuracy(rows)}")
        print(f"   {min_letters:>11} " + "".join(f"{cell:>16}" for cell in cells))


def cap_sensitivity(rows: list[tuple[str, str]]) -> None:
    print("3. whole-set accuracy by MAX_DETECT_CHARS")
    for cap in (100, 300, 1000, 2000):
        configure(MAX_DETECT_CHARS=cap)
        print(f"   {cap:>5}: {accuracy(rows)}")


def errors(rows: list[tuple[str, str]]) -> None:
    configure()
    print(f"4. chosen thresholds {CHOSEN}")
    confusion: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for expected, text in rows:
        confusion[expected][language.detect_language(text).lang] += 1
    right = sum(counts[expected] for expected, counts in confusion.items())
    wrong = sum(
        n
        for expected, counts in confusion.items()
        for got, n in counts.items()
        if got not in (expected, language.UND)
    )
    print(f"   right {right}/{len(rows)} = {right / len(rows):.1%}; wrong labels {wrong}")
    for expected, counts in sorted(confusion.items()):
        misses = ", ".join(f"{got} x{n}" for got, n in counts.most_common() if got != expected)
        print(f"   {expected:>3}: {counts[expected]:>3}/{counts.total():<3} {misses}")


def main() -> None:
    rows = load()
    prefix_table(rows)
    threshold_grid(rows)
    cap_sensitivity(rows)
    errors(rows)


if __name__ == "__main__":
    main()
