"""The one label vocabulary: what a fact box label means, in every language we read.

A label is what a page writes before a value: ``Director:``, ``Dirección``,
``режиссер``, ``Release Date``, ``Director & Screenwriter``. :func:`label_targets`
turns one into *targets*: fact fields from :data:`schemas.records.FACT_FIELDS`, credit
roles (``cast``, ``producer`` ...), title kinds (``romanized_title``), the ambiguous
``rating`` (a score, or a content rating such as ``R``), or ``ignore`` for labels we
recognise but store nothing for (``Budget``, ``Tagline``): knowing them keeps their
values from being mistaken for something else and lets a fact box count them.

Matching is case-, colon-, whitespace- and accent-of-punctuation-insensitive;
a composite label (``Director & Screenwriter``, ``Written and Directed by``) means
every part it names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Targets that are not fact fields.
CAST = "cast"
PRODUCER = "producer"
COMPOSER = "composer"
CINEMATOGRAPHER = "cinematographer"
EDITOR = "editor"
ROMANIZED_TITLE = "romanized_title"
RATING_OR_CERTIFICATE = "rating_or_certificate"  # by the value: "8.1/10" vs "PG-13"
IGNORE = "ignore"

# Credit roles whose people are also facts (``director``/``writer`` are fact fields).
PEOPLE_FIELDS: frozenset[str] = frozenset({"director", "writer"})
CREDIT_ONLY_ROLES: frozenset[str] = frozenset({CAST, PRODUCER, COMPOSER, CINEMATOGRAPHER, EDITOR})
PEOPLE_TARGETS: frozenset[str] = PEOPLE_FIELDS | CREDIT_ONLY_ROLES

# Targets that only a page about one film carries; a box of labels needs some of
# these before it is taken for a film's fact box (``Country:`` alone is not enough).
FILM_TARGETS: frozenset[str] = frozenset(
    {
        "director",
        "writer",
        CAST,
        "runtime_minutes",
        "native_title",
        "alt_title",
        ROMANIZED_TITLE,
        "release_date",
        "genre",
        "content_rating",
        CINEMATOGRAPHER,
        COMPOSER,
    }
)

_D = ("director",)
_W = ("writer",)

# label (normalised: lower case, no colon, single spaces) -> targets
LABELS: dict[str, tuple[str, ...]] = {
    # --- titles
    "title": ("title",),
    "movie": ("title",),
    "film": ("title",),
    "movie title": ("title",),
    "film title": ("title",),
    "english title": ("title",),
    "original title": ("native_title",),
    "native title": ("native_title",),
    "original name": ("native_title",),
    "hangul": ("native_title",),
    "hanja": ("alt_title",),
    "kanji": ("native_title",),
    "chinese": ("native_title",),
    "simplified chinese": ("native_title",),
    "traditional chinese": ("alt_title",),
    "japanese": ("native_title",),
    "korean": ("native_title",),
    "hiragana": ("native_title",),
    "alternative titles": ("alt_title",),
    "alternative title": ("alt_title",),
    "alternate titles": ("alt_title",),
    "alternate title": ("alt_title",),
    "also known as": ("alt_title",),
    "aka": ("alt_title",),
    "a.k.a": ("alt_title",),
    "other titles": ("alt_title",),
    "other title": ("alt_title",),
    "working title": ("alt_title",),
    "revised romanization": (ROMANIZED_TITLE,),
    "romanization": (ROMANIZED_TITLE,),
    "romanized title": (ROMANIZED_TITLE,),
    "romaji": (ROMANIZED_TITLE,),
    "mckune-reischauer": (ROMANIZED_TITLE,),
    "mccune-reischauer": (ROMANIZED_TITLE,),
    "mccune–reischauer": (ROMANIZED_TITLE,),
    "hepburn": (ROMANIZED_TITLE,),
    "pinyin": (ROMANIZED_TITLE,),
    "hanyu pinyin": (ROMANIZED_TITLE,),
    "literal meaning": (IGNORE,),
    "literally": (IGNORE,),
    # --- dates
    "year": ("year",),
    "release year": ("year",),
    "production year": ("year",),
    "release date": ("release_date",),
    "release dates": ("release_date",),
    "released": ("release_date",),
    "release": ("release_date",),
    "in theaters": ("release_date",),
    "theatrical release": ("release_date",),
    "premiere": ("release_date",),
    "premiere date": ("release_date",),
    "aired": ("release_date",),
    "first aired": ("release_date",),
    "original release": ("release_date",),
    "on disc/streaming": (IGNORE,),
    # --- people
    "director": _D,
    "directors": _D,
    "directed by": _D,
    "direction": _D,
    "film director": _D,
    "writer": _W,
    "writers": _W,
    "written by": _W,
    "screenwriter": _W,
    "screenwriters": _W,
    "screenplay": _W,
    "screenplay by": _W,
    "script": _W,
    "scriptwriter": _W,
    "story by": _W,
    "creator": _W,
    "creators": _W,
    "created by": _W,
    "cast": (CAST,),
    "main cast": (CAST,),
    "starring": (CAST,),
    "stars": (CAST,),
    "actors": (CAST,),
    "cast members": (CAST,),
    "voices": (CAST,),
    "producer": (PRODUCER,),
    "producers": (PRODUCER,),
    "produced by": (PRODUCER,),
    "executive producer": (PRODUCER,),
    "music": (COMPOSER,),
    "music by": (COMPOSER,),
    "composer": (COMPOSER,),
    "original music": (COMPOSER,),
    "cinematography": (CINEMATOGRAPHER,),
    "cinematographer": (CINEMATOGRAPHER,),
    "director of photography": (CINEMATOGRAPHER,),
    "editor": (EDITOR,),
    "edited by": (EDITOR,),
    "editing": (EDITOR,),
    "film editing": (EDITOR,),
    # --- facts
    "genre": ("genre",),
    "genres": ("genre",),
    "country": ("country",),
    "countries": ("country",),
    "country of origin": ("country",),
    "language": ("language",),
    "languages": ("language",),
    "original language": ("language",),
    "runtime": ("runtime_minutes",),
    "running time": ("runtime_minutes",),
    "run time": ("runtime_minutes",),
    "duration": ("runtime_minutes",),
    "length": ("runtime_minutes",),
    "content rating": ("content_rating",),
    "rated": ("content_rating",),
    "mpaa": ("content_rating",),
    "mpaa rating": ("content_rating",),
    "certificate": ("content_rating",),
    "age rating": ("content_rating",),
    "parental rating": ("content_rating",),
    "rating": (RATING_OR_CERTIFICATE,),
    "user rating": ("rating",),
    "users rating": ("rating",),
    "current user rating": ("rating",),
    "my rating": ("rating",),
    "our rating": ("rating",),
    "the rating": ("rating",),
    "final rating": ("rating",),
    "verdict": ("rating",),
    "score": ("rating",),
    "average rating": ("rating",),
    "imdb rating": ("rating",),
    "audience score": ("rating",),
    "members' rating": ("rating",),
    "members rating": ("rating",),
    "nota media": ("rating",),
    "votes": ("rating_votes",),
    "total votes": ("rating_votes",),
    "number of votes": ("rating_votes",),
    "box office": ("box_office",),
    "gross": ("box_office",),
    "worldwide gross": ("box_office",),
    "cumulative worldwide gross": ("box_office",),
    "admissions": ("admissions",),
    "synopsis": ("synopsis",),
    "plot": ("synopsis",),
    "plot summary": ("synopsis",),
    "storyline": ("synopsis",),
    "summary": ("synopsis",),
    "trivia": ("trivia",),
    # Recognised, nothing stored: keeps their values from being read as something else.
    "budget": (IGNORE,),
    "tagline": (IGNORE,),
    "taglines": (IGNORE,),
    "plot keywords": (IGNORE,),
    "keywords": (IGNORE,),
    "tags": (IGNORE,),
    "studio": (IGNORE,),
    "production company": (IGNORE,),
    "production co": (IGNORE,),
    "distributed by": (IGNORE,),
    "distributor": (IGNORE,),
    "based on": (IGNORE,),
    "certification": (IGNORE,),  # IMDb: dozens of countries' certificates in one value
    "parents guide": (IGNORE,),
    "episodes": (IGNORE,),
    "type": (IGNORE,),
    "format": (IGNORE,),
    "network": (IGNORE,),
    "original network": (IGNORE,),
    "aired on": (IGNORE,),
    "ranked": (IGNORE,),
    "popularity": (IGNORE,),
    "watchers": (IGNORE,),
    "favorites": (IGNORE,),
    "color": (IGNORE,),
    "aspect ratio": (IGNORE,),
    "sound mix": (IGNORE,),
    "filming locations": (IGNORE,),
    "goofs": (IGNORE,),
    "quotes": (IGNORE,),
    "awards": (IGNORE,),
    "opening weekend": (IGNORE,),
    "opening weekend usa": (IGNORE,),
    "gross usa": (IGNORE,),
    "official sites": (IGNORE,),
    # --- Spanish / Portuguese / Italian / French / German
    "título": ("title",),
    "título original": ("native_title",),
    "otros títulos": ("alt_title",),
    "año": ("year",),
    "fecha de estreno": ("release_date",),
    "estreno": ("release_date",),
    "dirección": _D,
    "director/a": _D,
    "guion": _W,
    "guión": _W,
    "guionista": _W,
    "reparto": (CAST,),
    "intérpretes": (CAST,),
    "música": (COMPOSER,),
    "fotografía": (CINEMATOGRAPHER,),
    "montaje": (EDITOR,),
    "productora": (IGNORE,),
    "producción": (PRODUCER,),
    "género": ("genre",),
    "país": ("country",),
    "idioma": ("language",),
    "duración": ("runtime_minutes",),
    "sinopsis": ("synopsis",),
    "premios": (IGNORE,),
    "nota": ("rating",),
    "puntuación": ("rating",),
    "votos": ("rating_votes",),
    "calificación": ("content_rating",),
    "ano": ("year",),
    "direção": _D,
    "realização": _D,
    "roteiro": _W,
    "elenco": (CAST,),
    "gênero": ("genre",),
    "duração": ("runtime_minutes",),
    "estreia": ("release_date",),
    "titolo originale": ("native_title",),
    "regia": _D,
    "sceneggiatura": _W,
    "interpreti": (CAST,),
    "anno": ("year",),
    "durata": ("runtime_minutes",),
    "paese": ("country",),
    "genere": ("genre",),
    "uscita": ("release_date",),
    "titre original": ("native_title",),
    "réalisation": _D,
    "réalisateur": _D,
    "scénario": _W,
    "acteurs": (CAST,),
    "distribution": (CAST,),
    "année": ("year",),
    "durée": ("runtime_minutes",),
    "pays": ("country",),
    "langue": ("language",),
    "date de sortie": ("release_date",),
    "sortie": ("release_date",),
    "originaltitel": ("native_title",),
    "regie": _D,
    "drehbuch": _W,
    "darsteller": (CAST,),
    "besetzung": (CAST,),
    "produktionsjahr": ("year",),
    "erscheinungsjahr": ("year",),
    "laufzeit": ("runtime_minutes",),
    "länge": ("runtime_minutes",),
    "produktionsland": ("country",),
    "land": ("country",),
    "sprache": ("language",),
    "kinostart": ("release_date",),
    "musik": (COMPOSER,),
    "kamera": (CINEMATOGRAPHER,),
    "schnitt": (EDITOR,),
    # --- Russian
    "название": ("title",),
    "оригинальное название": ("native_title",),
    "год": ("year",),
    "год производства": ("year",),
    "страна": ("country",),
    "режиссер": _D,
    "режиссёр": _D,
    "режиссеры": _D,
    "сценарий": _W,
    "в ролях": (CAST,),
    "в главных ролях": (CAST,),
    "актеры": (CAST,),
    "продюсер": (PRODUCER,),
    "оператор": (CINEMATOGRAPHER,),
    "композитор": (COMPOSER,),
    "монтаж": (EDITOR,),
    "жанр": ("genre",),
    "время": ("runtime_minutes",),
    "продолжительность": ("runtime_minutes",),
    "премьера (мир)": ("release_date",),
    "премьера": ("release_date",),
    "премьера (рф)": (IGNORE,),
    "премьера (dvd)": (IGNORE,),
    "премьера (blu-ray)": (IGNORE,),
    "релиз на dvd": (IGNORE,),
    "релиз на blu-ray": (IGNORE,),
    "возраст": ("content_rating",),
    "рейтинг mpaa": (IGNORE,),
    "сборы в мире": ("box_office",),
    "бюджет": (IGNORE,),
    "слоган": (IGNORE,),
    "художник": (IGNORE,),
    "рейтинг": ("rating",),
    # --- Korean / Japanese / Chinese
    "감독": _D,
    "각본": _W,
    "출연": (CAST,),
    "장르": ("genre",),
    "국가": ("country",),
    "개봉": ("release_date",),
    "개봉일": ("release_date",),
    "상영시간": ("runtime_minutes",),
    "러닝타임": ("runtime_minutes",),
    "監督": _D,
    "脚本": _W,
    "出演": (CAST,),
    "ジャンル": ("genre",),
    "製作国": ("country",),
    "公開": ("release_date",),
    "公開日": ("release_date",),
    "上映時間": ("runtime_minutes",),
    "原題": ("native_title",),
    "导演": _D,
    "編劇": _W,
    "编剧": _W,
    "主演": (CAST,),
    "类型": ("genre",),
    "制片国家/地区": ("country",),
    "语言": ("language",),
    "上映日期": ("release_date",),
    "片长": ("runtime_minutes",),
    "又名": ("alt_title",),
}

_PARENTHETICAL = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_TRAILING_PUNCT = re.compile(r"[\s:：\-–—=»>.]+$")
_LEADING_PUNCT = re.compile(r"^[\s•·*\-–—]+")
_COMPOSITE_SEPARATORS = re.compile(r"\s*(?:&|/|,|\+|\band\b|\by\b|\bи\b|\bund\b|\bet\b)\s*")
# Labels are short; anything longer is a sentence that happens to contain a colon.
MAX_LABEL_CHARS = 40


def normalise_label(text: str) -> str:
    """``"  Writers (WGA):"`` -> ``"writers"``; the key form of :data:`LABELS`."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    text = _LEADING_PUNCT.sub("", text)
    text = _TRAILING_PUNCT.sub("", text)
    return " ".join(text.split()).lower()


@lru_cache(maxsize=4096)
def label_targets(text: str) -> tuple[str, ...] | None:
    """The targets a label names, or None when it is not a label we know.

    >>> label_targets("Director & Screenwriter:")
    ('director', 'writer')
    >>> label_targets("Dirección")
    ('director',)
    """
    if len(text) > MAX_LABEL_CHARS * 2:
        return None
    label = normalise_label(text)
    if not label or len(label) > MAX_LABEL_CHARS:
        return None
    found = LABELS.get(label)
    if found is not None:
        return found
    # "Writers (WGA)", "Premiere (world)", "Release Date(s)"
    bare = _TRAILING_PUNCT.sub("", _PARENTHETICAL.sub(" ", label)).strip()
    if bare != label and (found := LABELS.get(bare)) is not None:
        return found
    # "Director & Screenwriter", "Written and Directed by": every part must be known.
    parts = [p for p in _COMPOSITE_SEPARATORS.split(bare) if p]
    if len(parts) > 1:
        targets: list[str] = []
        for part in parts:
            known = LABELS.get(part) or LABELS.get(f"{part} by")
            if known is None:
                return None
            targets.extend(t for t in known if t not in targets)
        return tuple(targets)
    return None
