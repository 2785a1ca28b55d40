"""Running times as pages write them -> whole minutes.

Accepted shapes (after NFKC and lower-casing):

* ISO 8601 durations from schema.org: ``PT127M``, ``PT2H7M``, ``PT2H7M30S``, ``P0DT2H7M``.
* Clock notation ``2:07`` (hours:minutes) and ``2:07:30`` (with seconds).
* Numbers with units in many languages: ``2 hr. 7 min.``, ``127 min``, ``1h 47m``,
  ``135분``, ``2시간 7분``, ``2時間7分``, ``107 мин.``, ``1 ч. 47 мин.``, ``142 perc``,
  ``2 Std. 7 Min.``, ``1 hr 47 mins``, ``2 hours``, ``1.5 hours``, ``1,5 h``.
* A bare number, read as minutes (``127``), and ``2h 7`` (minutes after hours).

Only the first duration counts: ``169 мин. / 02:49`` and ``127 min (director's cut:
140 min)`` give their first figure. A duration ends where a unit repeats or a larger unit
follows a smaller one. Seconds are rounded half up into minutes. Values below 1 or above
1500 minutes (25 hours) are rejected as misreadings.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from crawler.normalize.numbers import round_half_up
from crawler.normalize.text import clean_inline

__all__ = ["MAX_RUNTIME", "MIN_RUNTIME", "normalise_runtime"]

MIN_RUNTIME = 1
MAX_RUNTIME = 1500

_HOURS = (
    "hours hour hrs hr h std stunden stunde heures heure hs horas hora ore ora uur timer "
    "saat godz óra ч час часа часов giờ jam"
)
_MINUTES = (
    "minutes minute mins min mn m minuten minutos minuto minuti perc dk dakika "
    "minuty minut мин минут минуты минута phút"
)
_SECONDS = "seconds second secs sec s sekunden sek segundos seg сек секунд"
_CJK_UNIT_SCALE = {
    "시간": Decimal(60),
    "時間": Decimal(60),
    "小时": Decimal(60),
    "小時": Decimal(60),
    "時": Decimal(60),  # Taiwanese listings: "02時30分"
    "분": Decimal(1),
    "分钟": Decimal(1),
    "分鐘": Decimal(1),
    "分": Decimal(1),
    "초": Decimal(1) / 60,
    "秒": Decimal(1) / 60,
}

_UNIT_SCALE: dict[str, Decimal] = {}
for _scale, _words in ((Decimal(60), _HOURS), (Decimal(1), _MINUTES), (Decimal(1) / 60, _SECONDS)):
    for _word in _words.split():
        _UNIT_SCALE[_word] = _scale

_UNIT_ALTERNATION = "|".join(re.escape(w) for w in sorted(_UNIT_SCALE, key=len, reverse=True))
# Latin/Cyrillic unit words end at a word boundary; CJK and Hangul ones need not.
_COMPONENT = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)?)\s?(?:(?P<unit>" + _UNIT_ALTERNATION + r")\.?(?![^\W\d_])"
    r"|(?P<cjk_unit>" + "|".join(sorted(_CJK_UNIT_SCALE, key=len, reverse=True)) + r"))?"
)
_ISO_DURATION = re.compile(
    r"p(?:(?P<days>\d+)d)?t?(?:(?P<hours>\d+(?:\.\d+)?)h)?"
    r"(?:(?P<minutes>\d+(?:\.\d+)?)m)?(?:(?P<seconds>\d+(?:\.\d+)?)s)?$"
)
_CLOCK = re.compile(r"(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?![\d:])")
_PARENTHETICAL = re.compile(r"[(\[][^()\[\]]*[)\]]")
_FIRST_ALTERNATIVE = re.compile(r"\s*(?:[/|;]|\bor\b)\s*")
# What may stand between two parts of one duration ("2 hours and 7 minutes").
_JOINER = re.compile(r"[\s,.]*(?:and|und|et|y|e|и)?[\s,.]*")
# Words allowed around the figures ("approx. 127 min", "약 135분", "ca. 2 Std.").
_FILLER = re.compile(r"^(?:approx\.?|ca\.?|circa|about|约|약|около|runtime:?|duration:?)\s*")


def _accept(minutes: Decimal) -> int | None:
    value = round_half_up(minutes)
    return value if MIN_RUNTIME <= value <= MAX_RUNTIME else None


def _iso(text: str) -> int | None:
    m = _ISO_DURATION.match(text)
    if not m or not any(m.group(g) for g in ("days", "hours", "minutes", "seconds")):
        return None
    total = Decimal(0)
    for group, scale in (("days", 1440), ("hours", 60), ("minutes", 1)):
        if m.group(group):
            total += Decimal(m.group(group)) * scale
    if m.group("seconds"):
        total += Decimal(m.group("seconds")) / 60
    return _accept(total)


def _components(text: str) -> Decimal | None:
    total = Decimal(0)
    last_scale: Decimal | None = None
    found = False
    pos = 0
    while True:
        m = _COMPONENT.search(text, pos)
        if not m:
            break
        gap = text[pos : m.start()]
        if found and not _JOINER.fullmatch(gap):
            break  # other words between the figures: a second statement begins
        unit = m.group("unit") or m.group("cjk_unit")
        number = Decimal(m.group("number").replace(",", "."))
        if unit is None:
            # A bare number: the whole value when alone, or minutes after hours.
            if not found:
                total, found = number, True
                last_scale = Decimal(1)
                pos = m.end()
                if text[pos:].strip():
                    return None  # "127 something": not a runtime we understand
                break
            if last_scale != 60:
                break
            total += number
            break
        scale = _UNIT_SCALE[unit] if m.group("unit") else _CJK_UNIT_SCALE[unit]
        if last_scale is not None and scale >= last_scale:
            break  # a unit repeats or grows: the first duration is complete
        total += number * scale
        last_scale, found, pos = scale, True, m.end()
    return total if found else None


def normalise_runtime(raw: str) -> int | None:
    """A running time in whole minutes, or None.

    >>> normalise_runtime("2 hr. 7 min.")
    127
    >>> normalise_runtime("PT2H7M")
    127
    >>> normalise_runtime("135분")
    135
    """
    text = unicodedata.normalize("NFKC", clean_inline(raw)).lower()
    if not text:
        return None
    if text.startswith("p"):
        return _iso(text)
    # Collapsing the spaces left behind keeps the \s* patterns below linear.
    text = " ".join(_PARENTHETICAL.sub(" ", text).split())
    text = _FIRST_ALTERNATIVE.split(text, maxsplit=1)[0].strip()
    text = _FILLER.sub("", text)
    clock = _CLOCK.match(text)
    if clock:
        if text[clock.end() :].strip(" .h"):
            return None
        minutes = Decimal(int(clock.group("h")) * 60 + int(clock.group("m")))
        if clock.group("s"):
            minutes += Decimal(clock.group("s")) / 60
        return _accept(minutes)
    if not text[:1].isdigit():
        return None
    total = _components(text)
    return _accept(total) if total is not None else None
