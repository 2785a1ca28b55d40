"""langdetect's detection loop, computed only over the candidate languages.

Same answers as langdetect, bit for bit, about three times faster. langdetect detects
by random sampling: each of 7 trials draws n-grams from the text with a seeded random
generator and multiplies every language's probability by the n-gram's weight for that
language, normalising every 5 draws until one language passes 0.99999. It does this
for all 55 languages, even when a prior restricts the answer to a few (we restrict it
to the languages written in the text's script): those languages start at 0.0 and stay
exactly 0.0 (0.0 times anything is 0.0), and adding 0.0 never changes a floating-point
sum. So doing the same arithmetic on the candidate languages only, in the same order,
with the same random draws, gives the very same numbers
(``tests/test_langdetect_exact.py`` checks this against langdetect itself).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException


class ExactFastDetector(Detector):
    """A langdetect ``Detector`` whose trials skip the languages the prior rules out."""

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        languages = len(self.langlist)
        if self.prior_map is None:
            candidates = list(range(languages))
            initial = [1.0 / languages] * languages
        else:
            candidates = [i for i, p in enumerate(self.prior_map) if p != 0.0]
            initial = [self.prior_map[i] for i in candidates]
        row_of = _picker(candidates)
        weights = self.word_lang_prob_map
        draw = self.random._randbelow
        count = len(ngrams)
        langprob = [0.0] * len(candidates)
        trials = self.n_trial

        self.random.seed(self.seed)
        for _ in range(trials):
            prob = list(initial)
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            i = 0
            while True:
                # random.choice(ngrams) is ngrams[_randbelow(len(ngrams))]: the same draw.
                word = ngrams[draw(count)]
                row = weights.get(word)
                if row is not None:
                    prob = [p * (weight + q) for p, q in zip(prob, row_of(row), strict=True)]
                if i % 5 == 0:
                    total = sum(prob)
                    prob = [p / total for p in prob]
                    if max(prob) > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            langprob = [acc + p / trials for acc, p in zip(langprob, prob, strict=True)]

        self.langprob = [0.0] * languages
        for index, value in zip(candidates, langprob, strict=True):
            self.langprob[index] = value


def _picker(indices: list[int]) -> Callable[[Sequence[float]], Sequence[float]]:
    """A function picking ``indices`` out of a row, as a tuple (even for one index)."""
    if len(indices) == 1:
        (index,) = indices
        return lambda row: (row[index],)
    getter: Any = itemgetter  # mypy crashes expanding itemgetter(*indices)'s overloads
    picked: Callable[[Sequence[float]], Sequence[float]] = getter(*indices)
    return picked
