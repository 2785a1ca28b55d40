"""Counts and money as pages write them -> integers and ``CUR amount`` text.

Canonical values stored in ``facts.value``:

* ``admissions`` (tickets sold) and ``rating_votes``: a plain integer, e.g. ``12320000``.
* ``box_office``: ``"<ISO 4217 code> <integer amount>"``, e.g. ``USD 30000000``,
  ``KRW 91400000000``, ``RUB 1167301304``: one space, whole currency units, no grouping.
  The code comes first so that values sort and compare by currency, and SQL can split
  it with ``substr``. A bare ``$`` is read as US dollars, which is what it means on
  nearly every film site that writes it; ``US$``, ``A$``, ``HK$`` ... are read as
  written. An amount without a recognisable currency (``12.32 million``) is not a box
  office figure and gives None, as does an ambiguous ``kr``.

Number reading (:func:`parse_number`), shared with ratings and votes:

* Grouping with ``,`` ``.`` ``'`` or spaces (``1,234,567``, ``1.234.567``, ``1 234 567``,
  ``1'234'567``), a decimal part after the other separator (``1,234.56``, ``1.234,56``).
* A single separator followed by exactly three digits (``1,445``, ``120.122``, ``8.584``)
  is ambiguous: callers say which reading they prefer (``"integer"`` for counts,
  ``"decimal"`` for ratings); before a multiplier it is always a decimal (``12.320
  million``).
* Multipliers after the number: ``K``/``thousand``/``тыс``/``천``/``千``,
  ``M``/``million``/``Mio``/``millones``/``млн``/``百万``, ``B``/``bn``/``billion``/
  ``Mrd``/``млрд``, ``lakh``, ``crore``, and the East Asian myriads ``만``/``万`` (10^4)
  and ``억``/``亿`` (10^8), including compounds such as ``1억 2000만``. Spanish and
  Portuguese ``mil`` (a thousand, but "million" in English slang) is refused rather
  than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from crawler.normalize.text import clean_inline

__all__ = [
    "Amount",
    "find_amount",
    "normalise_admissions",
    "normalise_box_office",
    "normalise_count",
    "parse_number",
    "round_half_up",
]

Preference = Literal["integer", "decimal"]
_MAX_DIGITS = 24

_NUMBER = re.compile(
    r"(?<![\d.,])(?:"
    r"(?P<grouped>\d{1,3}(?P<sep>[,.'’ ])\d{3}(?!\d)(?:(?P=sep)\d{3}(?!\d))*)"
    r"(?:(?P<gdec>[.,])(?P<gfrac>\d+))?"
    r"|(?P<plain>\d+)(?:[.,](?P<frac>\d+))?"
    r")"
)

_MULTIPLIERS: dict[str, int] = {}
for _value, _words in (
    (10**3, "k thousand thousands тыс тысяч тысячи tys tsd tausend mille 천 千"),
    (10**5, "lakh lakhs lac"),
    (
        10**6,
        "m mn mln mio million millions millón millon millones milhão milhões milione "
        "milioni millionen млн миллион миллиона миллионов 백만 百万",
    ),
    (10**7, "crore crores cr 千万"),
    (
        10**9,
        "b bn bln billion billions mrd milliard milliards milliarde milliarden "
        "млрд миллиард миллиарда миллиардов 십억",
    ),
    (10**4, "만 万 萬"),
    (10**8, "억 亿 億"),
    (10**12, "조 trillion"),
):
    for _word in _words.split():
        _MULTIPLIERS[_word] = _value
_CJK_MULTIPLIERS = frozenset("만万萬억亿億조천千")
_REFUSED_MULTIPLIERS = frozenset({"mil"})

_ALPHABETIC_MULTIPLIERS = sorted(
    (w for w in [*_MULTIPLIERS, *_REFUSED_MULTIPLIERS] if w not in _CJK_MULTIPLIERS),
    key=len,
    reverse=True,
)
# A word multiplier must end at a word boundary ("127 min" is not 127 million); the
# East Asian ones are written straight before the noun ("1230만명", "4.6亿元").
_MULTIPLIER = re.compile(
    r"\s?(?:(?P<mult>"
    + "|".join(re.escape(w) for w in _ALPHABETIC_MULTIPLIERS)
    + r")\.?(?![^\W\d_])|(?P<cjk>["
    + "".join(sorted(_CJK_MULTIPLIERS))
    + r"]))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """A number found in text: its value and where it sits (``start``/``end``)."""

    value: Decimal
    start: int
    end: int
    has_multiplier: bool


def _to_decimal(m: re.Match[str], prefer: Preference, multiplied: bool) -> Decimal:
    if m.group("grouped") is not None:
        grouped, sep = m.group("grouped"), m.group("sep")
        single = grouped.count(sep) == 1 and m.group("gdec") is None
        if single and sep in ",." and (multiplied or prefer == "decimal"):
            return Decimal(grouped.replace(sep, "."))
        whole = re.sub(r"\D", "", grouped)
        frac = m.group("gfrac")
        if frac is not None and m.group("gdec") != sep:
            return Decimal(f"{whole}.{frac}")
        if frac is not None:  # "1,234,56": same separator again, read as more digits
            return Decimal(whole + frac)
        return Decimal(whole)
    frac = m.group("frac")
    return Decimal(m.group("plain") + (f".{frac}" if frac is not None else ""))


def _multiplier_at(text: str, pos: int) -> tuple[int | None, int, bool]:
    """(factor, end, refused) of a multiplier word starting at ``pos``."""
    m = _MULTIPLIER.match(text, pos)
    if not m:
        return None, pos, False
    word = (m.group("mult") or m.group("cjk")).lower()
    if word in _REFUSED_MULTIPLIERS:
        return None, m.end(), True
    return _MULTIPLIERS[word], m.end(), False


def _is_cjk_multiplier(text: str, number_end: int, end: int) -> bool:
    return text[number_end:end].strip() in _CJK_MULTIPLIERS


def find_amount(text: str, prefer: Preference = "integer", start: int = 0) -> Amount | None:
    """The first number at or after ``start`` in already-cleaned ``text``, multiplied out.

    Returns None when the first number carries a refused multiplier (``30 mil``).
    """
    m = _NUMBER.search(text, start)
    if not m:
        return None
    if sum(c.isdigit() for c in m.group()) > _MAX_DIGITS:
        return None  # a digit string, not an amount anyone reports
    begin = m.start()
    factor, end, refused = _multiplier_at(text, m.end())
    if refused:
        return None
    try:
        value = _to_decimal(m, prefer, factor is not None)
    except InvalidOperation:  # pragma: no cover - the regex only admits digits
        return None
    if factor is None:
        return Amount(value, begin, m.end(), False)
    value *= factor
    # East Asian compounds: 1억 2000만 (명) = 100,000,000 + 20,000,000.
    while _is_cjk_multiplier(text, m.end(), end):
        m_next = _NUMBER.match(text, end + 1 if text[end : end + 1] == " " else end)
        if not m_next:
            break
        next_factor, next_end, _ = _multiplier_at(text, m_next.end())
        if next_factor is None or next_factor >= factor:
            break
        value += _to_decimal(m_next, prefer, True) * next_factor
        m, factor, end = m_next, next_factor, next_end
    return Amount(value, begin, end, True)


def _prepare(raw: str) -> str:
    return unicodedata.normalize("NFKC", clean_inline(raw))


def parse_number(raw: str, prefer: Preference = "integer") -> Decimal | None:
    """The first number in the text, with grouping, decimals and multipliers read.

    >>> parse_number("12.32 million")
    Decimal('12320000.00')
    >>> parse_number("8,1", prefer="decimal")
    Decimal('8.1')
    """
    amount = find_amount(_prepare(raw), prefer)
    return amount.value if amount is not None else None


def round_half_up(value: Decimal) -> int:
    """Round to the nearest integer, halves away from zero (2.5 -> 3)."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _as_count(amount: Amount | None) -> int | None:
    if amount is None:
        return None
    value = amount.value
    if not amount.has_multiplier and value != value.to_integral_value():
        return None  # "4.5 admissions" is not a count
    count = round_half_up(value)
    return count if count >= 0 else None


def normalise_count(raw: str) -> int | None:
    """A count of things (tickets, votes): the first number in the text, as an integer.

    >>> normalise_count("1.2K")
    1200
    >>> normalise_count("19 764")
    19764
    """
    return _as_count(find_amount(_prepare(raw), "integer"))


def normalise_admissions(raw: str) -> int | None:
    """Tickets sold: ``12.32 million`` -> 12320000, ``1 230만 명`` -> 12300000.

    >>> normalise_admissions("4.6 million admissions")
    4600000
    """
    return normalise_count(raw)


# Currency markers, longest first within each list; matched case-sensitively where a
# lower-case form would be an ordinary word or unit.
_PREFIX_CURRENCIES: tuple[tuple[str, str], ...] = (
    ("US$", "USD"), ("U.S.$", "USD"), ("USD", "USD"), ("AU$", "AUD"), ("A$", "AUD"),
    ("AUD", "AUD"), ("CA$", "CAD"), ("C$", "CAD"), ("CAD", "CAD"), ("HK$", "HKD"),
    ("HKD", "HKD"), ("NT$", "TWD"), ("TWD", "TWD"), ("NZ$", "NZD"), ("NZD", "NZD"),
    ("S$", "SGD"), ("SGD", "SGD"), ("R$", "BRL"), ("BRL", "BRL"), ("MX$", "MXN"),
    ("MXN", "MXN"), ("$", "USD"), ("€", "EUR"), ("EUR", "EUR"), ("£", "GBP"),
    ("GBP", "GBP"), ("CN¥", "CNY"), ("RMB", "CNY"), ("CNY", "CNY"), ("¥", "JPY"),
    ("JPY", "JPY"), ("₩", "KRW"), ("KRW", "KRW"), ("₹", "INR"), ("Rs.", "INR"),
    ("Rs", "INR"), ("INR", "INR"), ("₽", "RUB"), ("RUB", "RUB"), ("₺", "TRY"),
    ("TRY", "TRY"), ("฿", "THB"), ("THB", "THB"), ("₱", "PHP"), ("PHP", "PHP"),
    ("CHF", "CHF"), ("₫", "VND"), ("VND", "VND"), ("Rp", "IDR"), ("IDR", "IDR"),
    ("RM", "MYR"), ("MYR", "MYR"), ("₪", "ILS"), ("ILS", "ILS"), ("₴", "UAH"),
    ("UAH", "UAH"), ("SEK", "SEK"), ("NOK", "NOK"), ("DKK", "DKK"), ("PLN", "PLN"),
    ("CZK", "CZK"), ("HUF", "HUF"), ("ZAR", "ZAR"), ("ARS", "ARS"), ("CLP", "CLP"),
    ("COP", "COP"), ("EGP", "EGP"), ("NGN", "NGN"), ("₦", "NGN"),
)  # fmt: skip
_SUFFIX_CURRENCIES: tuple[tuple[str, str], ...] = (
    ("USD", "USD"), ("US dollars", "USD"), ("dollars", "USD"), ("dólares", "USD"),
    ("долларов", "USD"), ("EUR", "EUR"), ("euros", "EUR"), ("euro", "EUR"), ("€", "EUR"),
    ("евро", "EUR"), ("GBP", "GBP"), ("pounds", "GBP"), ("KRW", "KRW"), ("won", "KRW"),
    ("원", "KRW"), ("JPY", "JPY"), ("yen", "JPY"), ("円", "JPY"), ("CNY", "CNY"),
    ("yuan", "CNY"), ("元", "CNY"), ("RUB", "RUB"), ("руб.", "RUB"), ("руб", "RUB"),
    ("рублей", "RUB"), ("₽", "RUB"), ("INR", "INR"), ("rupees", "INR"), ("TL", "TRY"),
    ("TRY", "TRY"), ("zł", "PLN"), ("PLN", "PLN"), ("Kč", "CZK"), ("CZK", "CZK"),
    ("Ft", "HUF"), ("HUF", "HUF"), ("CHF", "CHF"), ("SEK", "SEK"), ("NOK", "NOK"),
    ("DKK", "DKK"), ("₫", "VND"), ("VND", "VND"), ("грн", "UAH"), ("UAH", "UAH"),
    ("THB", "THB"), ("baht", "THB"), ("pesos", "MXN"),
)  # fmt: skip
# Longest first, so "CA$" is not read as "A$", nor "US$" as "$".
_PREFIX_CURRENCIES = tuple(sorted(_PREFIX_CURRENCIES, key=lambda pair: -len(pair[0])))
_SUFFIX_CURRENCIES = tuple(sorted(_SUFFIX_CURRENCIES, key=lambda pair: -len(pair[0])))
_AMBIGUOUS_CURRENCY = re.compile(r"(?<![^\W\d_])kr\.?(?![^\W\d_])")
_ISO_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
_KNOWN_CODES = frozenset(code for _, code in _PREFIX_CURRENCIES + _SUFFIX_CURRENCIES)


def _currency_before(text: str, start: int) -> str | None:
    before = text[max(0, start - 8) : start].rstrip()
    for marker, code in _PREFIX_CURRENCIES:
        if before.endswith(marker):
            head = before[: -len(marker)]
            # "US$" must not be read as "$" and "CAD" not inside a word.
            if marker[0].isalpha() and head and head[-1].isalpha():
                continue
            return code
    return None


def _currency_after(text: str, end: int) -> str | None:
    after = text[end : end + 16].lstrip()
    low = after.casefold()
    for marker, code in _SUFFIX_CURRENCIES:
        if low.startswith(marker.casefold()):
            rest = after[len(marker) :]
            if marker[-1].isalpha() and rest[:1].isalpha():
                continue
            return code
    return None


def normalise_box_office(raw: str) -> str | None:
    """Gross takings as ``"<ISO 4217> <integer>"``; None without a currency.

    >>> normalise_box_office("US$30 million")
    'USD 30000000'
    >>> normalise_box_office("1 167 301 304 руб.")
    'RUB 1167301304'
    """
    text = _prepare(raw)
    amount = find_amount(text, "integer")
    if amount is None or amount.value < 0:
        return None
    code = _currency_before(text, amount.start) or _currency_after(text, amount.end)
    if code is None:
        if _AMBIGUOUS_CURRENCY.search(text):
            return None
        codes = [c for c in _ISO_CODE.findall(text) if c in _KNOWN_CODES]
        if len(set(codes)) != 1:
            return None
        code = codes[0]
    return f"{code} {round_half_up(amount.value)}"
