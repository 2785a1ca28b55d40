"""The sentence that introduces a film: ``Titanic is a 1997 American epic romance film
directed by James Cameron`` and the bare ``2013 South Korean comedy-drama film`` of a fan
blog's fact bullets. Shared by the prose and WordPress extractors."""

from __future__ import annotations

import re

_YEAR = r"(?P<year>(?:18|19|20)\d{2})"
_KIND = (
    r"(?P<kind>(?:feature |short |animated |documentary |television |TV )?"
    r"(?:film|movie|motion picture)|documentary)"
)
_DESCRIPTION = r"(?P<desc>[^.;:()\"“”]{0,120}?)"
FILM_SENTENCE = re.compile(
    rf"^(?P<subject>(?:(?!\.\s+[A-Z])[^!?]){{1,150}}?)\s+(?:is|was)\s+(?:an?\s+)?(?:upcoming\s+)?{_YEAR}\s+"
    rf"{_DESCRIPTION}\s*\b{_KIND}\b(?P<rest>.*)$",
    re.DOTALL,
)
STANDALONE_FILM_SENTENCE = re.compile(
    rf"^(?:an?\s+)?{_YEAR}\s+{_DESCRIPTION}\s*\b{_KIND}\.?$", re.IGNORECASE
)


def is_standalone_film_sentence(text: str) -> bool:
    """``"2013 South Korean comedy-drama film"`` on its own: a film post's fact bullet."""
    return STANDALONE_FILM_SENTENCE.match(text) is not None
