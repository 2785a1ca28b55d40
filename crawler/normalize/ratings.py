"""Ratings and vote counts as pages write them -> a 0-100 integer and a count.

``normalise_rating`` reads, in this order of precedence:

1. **Star glyphs** (two or more, or one without any figure beside it: ``★ 8.1/10``
   uses the star as an icon). ``★`` ``⭐`` ``✪`` ``✭`` ... are full stars, ``☆`` ``✩`` empty ones,
   ``¼`` ``½`` ``¾`` a part of one. The scale is the number of star positions shown
   (full + empty + one for a fraction): ``★★★¾☆`` is 3.75 of 5 -> 75. Without empty
   stars the scale comes from an explicit ``(out of 4)``/``(sobre 4)``/``/4``, else
   from ``scale``, else 5 (10 when more than 5 stars are shown). Critics' ``3½`` and
   ``½`` are star counts too (``3½`` -> 70, ``3½/4`` -> 88).
2. **An explicit scale**: ``9.5/10``, ``96/100``, ``3.5 out of 5 stars``, ``4 sur 5``,
   ``7 von 10``, ``8 из 10``, ``4.5 of 5``: the first such pair wins, so
   ``Rating: 7.4/10 from 12,345 users`` -> 74.
3. **A percentage**: ``81%`` -> 81.
4. **A bare number**: read on ``scale`` when given (``3.21`` with ``scale=5`` -> 64),
   otherwise on 10 when it is at most 10 (``8,1`` -> 81, ``8.584`` -> 86) and on 100
   when it is at most 100 (``96`` -> 96).

Decimal commas are understood (``8,1``). Results are rounded half up. A value above its
scale, a negative value or a scale above 100 gives None.

Idempotence holds on the 0-100 scale: ``normalise_rating(str(r), scale=100) == r``.
A stored value of ``5`` re-read *without* a scale is taken as 5/10; this is the one
normaliser whose output needs its scale to be read back, because a bare ``8`` on a
page means 8/10 far more often than 8/100.

``normalise_votes`` reads counts: ``1,445``, ``19 764``, ``1.2K``, ``3.4M``,
``(1445 votes)``, ``120.122``; a number next to a word for votes or users is preferred
over an earlier figure, so ``Rating: 7.4/10 from 12,345 users`` gives 12345.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from crawler.normalize.numbers import find_amount, normalise_count, round_half_up
from crawler.normalize.text import clean_inline

__all__ = ["normalise_rating", "normalise_votes"]

_FULL_STARS = "★⭐✪✫✬✭✮✯✰🌟"
_EMPTY_STARS = "☆✩"
_FRACTIONS = {"¼": Decimal("0.25"), "½": Decimal("0.5"), "¾": Decimal("0.75")}
_STAR_CHARS = re.compile(f"[{_FULL_STARS}{_EMPTY_STARS}]")
_DIGIT_FRACTION = re.compile(r"(?<![\d.,])(\d+)?([¼½¾])")

_NUM = r"\d+(?:[.,]\d+)?"
_OUT_OF = r"(?:/|out\s+of|of|sur|sobre|von|su|из|de|od|van|на)"
_EXPLICIT = re.compile(
    rf"(?<![\d.,])(?P<value>{_NUM})\s*{_OUT_OF}\s*(?P<scale>{_NUM})(?![\d])", re.IGNORECASE
)
_SCALE_ONLY = re.compile(rf"(?:^|[\s(\[]){_OUT_OF}\s*(?P<scale>\d+)(?!\d)", re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![\d.,])(?P<value>{_NUM})\s*%")
_VOTE_WORDS = re.compile(
    r"\s*(?:votes?|users?|ratings?|reviews?|voters?|people|members?|votos|votaciones|"
    r"голос\w*|оцен\w*|stimmen|bewertungen|avis|notes|votes|명|人|票|件)(?!\w)",
    re.IGNORECASE,
)
_MAX_SCALE = Decimal(100)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _score(value: Decimal, scale: Decimal) -> int | None:
    if scale <= 0 or scale > _MAX_SCALE or value < 0 or value > scale:
        return None
    return round_half_up(value * 100 / scale)


def _has_figure(text: str) -> bool:
    """Digits besides an ``(out of N)``: "★ 8.1/10" uses the star as an icon."""
    rest = _SCALE_ONLY.sub(" ", _STAR_CHARS.sub(" ", text))
    return any(c.isdigit() for c in rest)


def _stars(text: str, scale: float | None) -> int | None:
    full = sum(text.count(c) for c in _FULL_STARS)
    empty = sum(text.count(c) for c in _EMPTY_STARS)
    fraction = next((v for c, v in _FRACTIONS.items() if c in text), Decimal(0))
    value = full + fraction
    positions = full + empty + (1 if fraction else 0)
    if empty:
        out_of = Decimal(positions)
    else:
        explicit = _SCALE_ONLY.search(_STAR_CHARS.sub(" ", text))
        if explicit:
            out_of = Decimal(explicit.group("scale"))
        elif scale is not None:
            out_of = Decimal(str(scale))
        else:
            out_of = Decimal(5 if positions <= 5 else 10)
    return _score(value, out_of)


def normalise_rating(raw: str, scale: float | None = None) -> int | None:
    """A rating on 0-100, rounded half up; ``scale`` is the page's maximum if known.

    >>> normalise_rating("9.5/10")
    95
    >>> normalise_rating("★★★¾☆")
    75
    >>> normalise_rating("3.21", scale=5)
    64
    """
    text = unicodedata.normalize("NFC", clean_inline(raw))
    if not text:
        return None
    stars = len(_STAR_CHARS.findall(text))
    if stars > 1 or (stars == 1 and not _has_figure(text)):
        return _stars(text, scale)
    # "3½" and a lone "½" are star counts written with digits (critics' notation).
    fraction = _DIGIT_FRACTION.search(text)
    if fraction:
        whole = Decimal(fraction.group(1) or 0) + _FRACTIONS[fraction.group(2)]
        rest = text[: fraction.start()] + " " + text[fraction.end() :]
        explicit_scale = _SCALE_ONLY.search(rest)
        if explicit_scale:
            return _score(whole, Decimal(explicit_scale.group("scale")))
        return _score(whole, Decimal(str(scale)) if scale is not None else Decimal(5))
    # NFKC only now: it would have turned ½ into 1⁄2.
    text = unicodedata.normalize("NFKC", text)
    explicit = _EXPLICIT.search(text)
    if explicit:
        return _score(_decimal(explicit.group("value")), _decimal(explicit.group("scale")))
    percent = _PERCENT.search(text)
    if percent:
        return _score(_decimal(percent.group("value")), Decimal(100))
    amount = find_amount(text, "decimal")
    if amount is None or amount.has_multiplier:
        return None
    if text[amount.start - 1 : amount.start] in ("-", "−") and (
        amount.start == 1 or text[amount.start - 2].isspace()
    ):
        return None  # "-5": a negative number, not a rating
    value = amount.value
    if scale is not None:
        return _score(value, Decimal(str(scale)))
    if value <= 10:
        return _score(value, Decimal(10))
    return _score(value, Decimal(100))


def normalise_votes(raw: str) -> int | None:
    """How many people voted: ``(1445 votes)`` -> 1445, ``1.2K`` -> 1200.

    >>> normalise_votes("Rating: 7.4/10 from 12,345 users")
    12345
    """
    text = unicodedata.normalize("NFKC", clean_inline(raw))
    pos = 0
    while True:
        amount = find_amount(text, "integer", pos)
        if amount is None:
            break
        if _VOTE_WORDS.match(text, amount.end):
            return normalise_count(text[amount.start : amount.end])
        pos = amount.end
    return normalise_count(text)
