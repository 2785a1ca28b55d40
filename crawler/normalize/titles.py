"""Film titles: a clean display form, a matching key, and the slug that names a film.

``clean_title`` (display form of ``title``/``native_title``/``alt_title`` values):

* whitespace and invisible characters cleaned;
* a site name appended by the page's ``<title>`` dropped: `` - AsianWiki``,
  `` | Xemovie``, `` - IMDb``, `` - MyDramaList``, `` — КиноПоиск`` ... (a fixed list
  of film sites; a generic "`` - anything``" rule would cut ``Mission: Impossible -
  Fallout``);
* a trailing year or Wikipedia disambiguator dropped: ``(2013)``, ``(2013 film)``,
  ``(film)``, ``(South Korean film)``, ``(TV series)``;
* a library-style trailing article moved back to the front: ``Host, The`` ->
  ``The Host``, ``Buono, il brutto, il cattivo, Il`` -> ``Il buono, ...``;
* text longer than 300 characters is not a title: it is only whitespace-cleaned.

Leading articles are **kept**, in the display form and in the key: ``The Host`` (2006)
and ``Host`` (2020) are different films, and a key that merged them would need the
year to pull them apart again, which the resolver may not have.

``title_key`` (matching key, never shown) is built from the display form:

1. NFKC (full-width forms, ``№`` -> ``No``), case-fold, Latin diacritics stripped
   (``Koğuştaki`` -> ``kogustaki``), ``&`` -> ``and``.
2. Numbering unified: ``No.7``, ``No. 7``, ``no 7``, ``#7``, ``Number 7``, ``Nr. 7``,
   ``N° 7`` -> ``no7``.
3. Every non-letter, non-digit character removed (spaces and punctuation), so
   ``Miracle in Cell No.7`` and ``MIRACLE IN CELL NO. 7`` are ``miracleincellno7``
   while ``7. Koğuştaki Mucize`` is ``7kogustakimucize``. Native-script titles keep
   their script: ``7번방의 선물`` -> ``7번방의선물``.

Out of scope: "Watch ... online free" page titles, Roman vs Arabic numerals
(``Part II``/``Part 2``), transliteration between scripts.

``slugify_title`` makes the stable film id ``miracle-in-cell-no-7-2013``: ASCII, Latin
diacritics transliterated (``ß`` -> ``ss``, ``æ`` -> ``ae``, ``ø`` -> ``o`` ...),
numbering unified as in the key, words joined by ``-``, at most 80 characters, the year
appended when known. A title with no Latin letters is transliterated with anyascii
(``7번방의 선물`` -> ``7beonbangui-seonmul``, ``Интерстеллар`` -> ``interstellar``); only
a title that gives no letters even then (emoji, symbols) gets ``film-<8 hex digits>``,
the start of the SHA-1 of its key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

from crawler.normalize.people import fold_key_text
from crawler.normalize.text import clean_inline

__all__ = ["clean_title", "slugify_title", "title_key"]

_SITE_NAMES = (
    "AsianWiki", "Xemovie", "IMDb", "IMDb Pro", "MyDramaList", "FilmAffinity", "КиноПоиск",
    "Kinopoisk", "Rotten Tomatoes", "Letterboxd", "Wikipedia", "Wikipédia", "Википедия",
    "위키백과", "ウィキペディア", "维基百科", "Metacritic", "TMDB", "The Movie Database (TMDB)",
    "The Movie Database", "AlloCiné", "Douban", "豆瓣电影", "Naver Movie", "네이버 영화",
    "Daum 영화", "HanCinema", "Hancinema", "KMDb", "Soompi", "Dramabeans", "Viki", "Netflix",
    "Filmweb", "Kinorium", "Moviepilot", "OFDb", "Trakt", "MUBI", "Plex", "JustWatch",
    "YAM Magazine", "Korean Film Council", "KOFIC",
)  # fmt: skip
_SITE_SUFFIX = re.compile(
    r"\s*(?:[-|–—:·•]|::)\s*(?:"
    + "|".join(re.escape(n) for n in sorted(_SITE_NAMES, key=len, reverse=True))
    + r")(?:\s*(?:[-|–—:·•,]\s*)?(?:the free encyclopedia|movie|film|wiki))?\s*$",
    re.IGNORECASE,
)
_YEAR_SUFFIX = re.compile(r"\s*[(\[]\d{4}(?:\s*[-–]\s*(?:\d{4})?)?(?:[\s,]+[^()\[\]]*)?[)\]]\s*$")
_DISAMBIGUATOR = re.compile(
    r"\s*[(\[](?:[^()\[\]]*\s)?(?:film|movie|tv film|tv movie|tv series|series|miniseries|"
    r"web series|drama)[)\]]\s*$",
    re.IGNORECASE,
)
_ARTICLES = frozenset(
    {"the", "a", "an", "le", "la", "les", "l'", "il", "lo", "gli", "i", "el", "los", "las",
     "der", "die", "das", "de", "het", "een", "o", "os", "as", "um", "uma", "en", "ett"}
)  # fmt: skip
# The word after the last comma; _ARTICLES decides (a case-insensitive regex would
# treat "İ" and "i̇" differently and break case invariance).
_TRAILING_ARTICLE = re.compile(r"^(?P<rest>.+),\s*(?P<article>[^\W\d_]{1,3}'?)$")
_NUMBERING = re.compile(
    r"(?<![^\W\d_])(?:no\.?|nr\.?|num\.?|number|n°|nº|#)\s*(?=\d)", re.IGNORECASE
)
_NOT_ALNUM = re.compile(r"[\W_]+")
_TRANSLITERATION = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ł": "l", "Ł": "L",
        "ı": "i", "ŋ": "ng", "ħ": "h", "ŧ": "t", "ſ": "s", "ƒ": "f",
    }
)  # fmt: skip
_SLUG_MAX = 80
_MAX_TITLE = 300


def _drop_suffixes(title: str) -> str:
    previous = None
    while previous != title:
        previous = title
        for pattern in (_SITE_SUFFIX, _YEAR_SUFFIX, _DISAMBIGUATOR):
            stripped = pattern.sub("", title).strip()
            if stripped:  # "(2013)" alone stays: better a title than none
                title = stripped
    return title


def clean_title(raw: str) -> str:
    """A title as it should be displayed ('' when there is none).

    >>> clean_title("Miracle in Cell No.7 (2013) - IMDb")
    'Miracle in Cell No.7'
    >>> clean_title("Host, The")
    'The Host'
    """
    title = clean_inline(raw)
    if len(title) > _MAX_TITLE:
        # Not a title but a paragraph: left as it is, which also keeps the suffix loops
        # below from going quadratic on hostile input.
        return title
    previous = None
    while previous != title:  # "Host (2006), The": the article, then the year
        previous = title
        title = _drop_suffixes(title)
        m = _TRAILING_ARTICLE.match(title)
        if m and m.group("article").casefold() in _ARTICLES:
            article = m.group("article")
            joiner = "" if article.endswith("'") else " "
            title = f"{article[0].upper()}{article[1:]}{joiner}{m.group('rest')}"
    return title


def _unify_numbering(text: str) -> str:
    return _NUMBERING.sub("no ", text)


def title_key(title: str) -> str:
    """The matching key of a title; see the module docstring.

    >>> title_key("Miracle in Cell No. 7") == title_key("MIRACLE IN CELL #7")
    True
    >>> title_key("7번방의 선물")
    '7번방의선물'
    """
    text = fold_key_text(clean_title(title)).replace("&", " and ")
    return _NOT_ALNUM.sub("", _unify_numbering(text))


def _ascii_words(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _unify_numbering(text.replace("&", " and ")).lower()
    return re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")


def slugify_title(title: str, year: int | str | None = None) -> str:
    """The film id for a title and year: ``miracle-in-cell-no-7-2013``.

    >>> slugify_title("Miracle in Cell No.7", 2013)
    'miracle-in-cell-no-7-2013'
    >>> slugify_title("Amélie")
    'amelie'
    >>> slugify_title("7번방의 선물", 2013)
    '7beonbangui-seonmul-2013'
    """
    cleaned = clean_title(title)
    slug = _ascii_words(cleaned)
    if not re.search("[a-z]", slug):
        # No Latin letters: a readable transliteration (Hangul, Cyrillic, Kana, Han ...).
        slug = _ascii_words(anyascii(cleaned))
    if not re.search("[a-z]", slug):
        digest = hashlib.sha1(title_key(cleaned).encode(), usedforsecurity=False).hexdigest()
        slug = f"film-{digest[:8]}"
    elif len(slug) > _SLUG_MAX:
        slug = slug[:_SLUG_MAX].rsplit("-", 1)[0]
    year_text = str(year).strip() if year is not None else ""
    if re.fullmatch(r"\d{4}", year_text):
        slug = f"{slug}-{year_text}"
    return slug
