"""The sentences that say what a film is: ``Titanic is a 1997 American epic romance film
directed by James Cameron``, the bare ``2013 South Korean comedy-drama film`` of a fan
blog's fact bullets, ``Miracle in Cell No. 7 is a 2013 South Korean comedy-drama
starring …`` (no "film", but a genre), and the titles a text gives in passing ("also
known as Gift From Room 7", "its early working title was December 23"). Shared by the
prose and WordPress extractors."""

from __future__ import annotations

import re

_YEAR = r"(?P<year>(?:18|19|20)\d{2})"
_KIND = (
    r"(?P<kind>(?:feature |short |animated |documentary |television |TV |anime |web |"
    r"independent |silent |live-action )?(?:film|movie|motion picture)|documentary|"
    r"(?:television|TV|web|streaming|anime|animated)\s+(?:series|drama|miniseries|"
    r"mini-series|show|sitcom|special)|miniseries|mini-series|sitcom)"
)
_DESCRIPTION = r"(?P<desc>[^.;:()\"“”]{0,120}?)"
_SUBJECT = r"(?P<subject>(?:(?!\.\s+[A-Z])[^!?]){1,150}?)"
FILM_SENTENCE = re.compile(
    rf"^{_SUBJECT}\s+(?:is|was)\s+(?:an?\s+)?(?:upcoming\s+)?{_YEAR}\s+"
    rf"{_DESCRIPTION}\s*\b{_KIND}\b(?P<rest>.*)$",
    re.DOTALL,
)
# What FILM_SENTENCE and GENRE_SENTENCE both hold after their subject ("… is a 2013 "):
# a text without it is neither.
_FILM_SENTENCE_VERB = re.compile(rf"\s(?:is|was)\s+(?:an?\s+)?(?:upcoming\s+)?{_YEAR}\s")
STANDALONE_FILM_SENTENCE = re.compile(
    rf"^(?:an?\s+)?{_YEAR}\s+{_DESCRIPTION}\s*\b{_KIND}\.?$", re.IGNORECASE
)
# Without "film": the description must end where the sentence goes on about the film
# ("starring", "directed by", a full stop), and name a genre (checked by the caller).
_GOES_ON = (
    r"(?=\s+(?:starring|directed|written|produced|about|that|which|based|featuring|from|set)\b"
    r"|\s*[.,]|\s*$)"
)
GENRE_SENTENCE = re.compile(
    rf"^{_SUBJECT}\s+(?:is|was)\s+(?:an?\s+)?(?:upcoming\s+)?{_YEAR}\s+"
    rf"(?P<desc>[^.;:()\"“”]{{1,80}}?){_GOES_ON}(?P<rest>.*)$",
    re.DOTALL,
)
STANDALONE_GENRE_SENTENCE = re.compile(
    rf"^(?:an?\s+)?{_YEAR}\s+(?P<desc>[^.;:()\"“”]{{1,80}}?)\.?$", re.IGNORECASE
)
_GENRE_WORDS = re.compile(
    r"\b(?:comedy|comedies|drama|dramedy|thriller|horror|romance|romantic|action|adventure|"
    r"fantasy|science[ -]fiction|sci-fi|mystery|crime|war|western|musical|animated|"
    r"animation|biographical|biopic|historical|period|family|melodrama|satire|satirical|"
    r"noir|superhero|disaster|sports?|teen|coming-of-age|psychological|erotic|slasher|"
    r"zombie|monster|spy|heist|legal|political|tragedy|tragicomedy|epic|mockumentary|"
    r"martial[ -]arts|wuxia|kaiju|tokusatsu|suspense|fairy[ -]tale|parody|black comedy|"
    r"dark comedy|documentary)\b",
    re.IGNORECASE,
)


def is_genre(description: str) -> bool:
    """Whether a film's description names a genre: "South Korean comedy-drama"."""
    return _GENRE_WORDS.search(description) is not None


def is_standalone_film_sentence(text: str) -> bool:
    """``"2013 South Korean comedy-drama film"`` on its own: a film post's fact bullet."""
    if STANDALONE_FILM_SENTENCE.match(text) is not None:
        return True
    match = STANDALONE_GENRE_SENTENCE.match(text)
    return match is not None and is_genre(match.group("desc"))


def standalone_film_sentence(text: str) -> re.Match[str] | None:
    """The match of a film post's fact bullet ("2013 South Korean comedy-drama [film]")."""
    found = STANDALONE_FILM_SENTENCE.match(text)
    if found is not None:
        return found
    found = STANDALONE_GENRE_SENTENCE.match(text)
    return found if found is not None and is_genre(found.group("desc")) else None


def film_sentence(text: str) -> re.Match[str] | None:
    """The match of "X is a 2013 South Korean comedy-drama [film] …" (subject, year,
    desc, rest; kind when the sentence names one)."""
    if _FILM_SENTENCE_VERB.search(text) is None:
        return None  # most texts: one scan instead of two matches that backtrack
    found = FILM_SENTENCE.match(text)
    if found is not None:
        return found
    found = GENRE_SENTENCE.match(text)
    return found if found is not None and is_genre(found.group("desc")) else None


# "also known as Gift From Room 7", "a.k.a. “December 23”", "working title was December 23",
# "originally titled …", "released in English as …", "(English title: …)".
_ALSO_KNOWN = re.compile(
    r"(?:\balso\s+(?:known|released|titled|called)\s+(?:in\s+\w+\s+)?(?:as|under)|\ba\.?k\.?a\.?|"
    r"\bworking\s+title\s+(?:was|is|of)|\boriginally\s+(?:titled|called|released\s+as)|"
    r"\breleased\s+(?:internationally|abroad|in\s+English)\s+as|\b(?:English|international)"
    r"\s+title\s*(?:was|is|:)|\balternat(?:e|ive)\s+title\s*(?:was|is|:)|\balso\s+titled)"
    r"\s*[:,]?\s*",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"^[\"“«„『「'‘](?P<title>[^\"”»』」'’]{1,80})[\"”»』」'’]")
_UNQUOTED = re.compile(
    r"^(?P<title>[\dA-Z\u00C0-\u024F\u0400-\u04FF\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]"
    r"[^.;,()\[\]!?\"“”]{0,60}?)(?=\s*(?:[.;,()\[\]!?]|\s(?:and|or|in|before|after|until|"
    r"when|but|while)\s|$))"
)
MAX_TITLE_WORDS = 8


def alternative_titles(text: str) -> list[str]:
    """Titles a sentence gives the film in passing.

    >>> alternative_titles("The film's early working title was December 23.")
    ['December 23']
    >>> alternative_titles('It is also known as "Gift From Room 7" in English.')
    ['Gift From Room 7']
    """
    lowered = text.lower()
    # Every phrase of _ALSO_KNOWN holds one of these words ("a.k.a.", "aka": "ka" or
    # "k.a"). Most paragraphs hold none: substring tests are ten times cheaper than the
    # regex (written out: a generator over a tuple of them costs as much as the tests).
    if not (
        "ka" in lowered
        or "title" in lowered
        or "also" in lowered
        or "released" in lowered
        or "originally" in lowered
        or "working" in lowered
        or "k.a" in lowered
    ):
        return []
    found: list[str] = []
    for trigger in _ALSO_KNOWN.finditer(text):
        after = text[trigger.end() :]
        match = _QUOTED.match(after) or _UNQUOTED.match(after)
        if match is None:
            continue
        listed = ":" in trigger.group(0) or "：" in trigger.group(0)
        while match is not None:
            title = match.group("title").strip()
            if title and len(title.split()) <= MAX_TITLE_WORDS and title not in found:
                found.append(title)
            # "Also known as: A, B and C", '… known as "A", "B"': a list of titles (an
            # unquoted one only after a colon: "known as A, Ryu plays …" names one).
            after = after[match.end() :]
            more = _LIST_NEXT.match(after)
            if more is None:
                break
            after = after[more.end() :]
            match = _QUOTED.match(after) or (_UNQUOTED.match(after) if listed else None)
    return found


_LIST_NEXT = re.compile(r"^[\"”»』」'’]?\s*(?:,|、|/|\s(?:and|or)\s)\s*(?:and\s+|or\s+)?")
