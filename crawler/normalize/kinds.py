"""What kind of work a page is about: a schema.org type or a label's value -> one word of
:data:`schemas.records.WORK_KINDS`.

=============  ===================================================================
kind           said as
=============  ===================================================================
``movie``      schema.org ``Movie``; "Movie", "Film", "Feature film", "Long métrage",
               "Spielfilm", "Фильм", "电影", "映画", "영화", "Película", "Film fabularny"
``short``      "Short", "Short film", "Court métrage", "Kurzfilm", "Короткометражка", "短片"
``tv_movie``   "TV Movie", "Téléfilm", "Fernsehfilm", "Телефильм"
``video``      "Video", "Direct-to-video", "OVA", "ONA", "OAV"
``special``    "TV Special", "Special"
``series``     schema.org ``TVSeries``; "TV Series", "TV", "Series", "Série", "Сериал",
               "电视剧", "剧集", "ドラマ", "드라마", "Serial", "Seriál"
``miniseries`` "Miniseries", "Mini-series", "Limited series", "Мини-сериал"
``season``     schema.org ``TVSeason`` / ``CreativeWorkSeason``; "Season"
``episode``    schema.org ``TVEpisode`` / ``Episode``; "Episode", "Эпизод"
=============  ===================================================================

A value that names no kind ("Color", "35 mm", "Long") gives ``None``: a ``Format:``
label says nothing about the work then.

Kinds fall into families (:func:`kind_family`): a film (movie, short, TV film, video,
special), a series (series, miniseries), a season, an episode. Two pages whose kinds
are of different families are never one work: a series and its episode stay apart.
"""

from __future__ import annotations

import re
import unicodedata

from schemas.records import WORK_KINDS

__all__ = ["kind_family", "normalise_kind", "page_kind"]

# schema.org types, without their vocabulary URL.
_SCHEMA_TYPES: dict[str, str] = {
    "movie": "movie",
    "film": "movie",
    "tvseries": "series",
    "tvminiseries": "miniseries",
    "tvseason": "season",
    "creativeworkseason": "season",
    "tvepisode": "episode",
    "episode": "episode",
    "radioseries": "series",
}
_WORDS: dict[str, str] = {}
for _kind, _names in (
    (
        "movie",
        "movie|film|feature|feature film|feature-length film|motion picture|theatrical film|"
        "long métrage|long-métrage|film de cinéma|spielfilm|kinofilm|фильм|полнометражный фильм|"
        "художественный фильм|полнометражный|电影|電影|映画|劇場版|영화|장편영화|장편 영화|"
        "película|largometraje|lungometraggio|filme|longa-metragem|film fabularny|"
        "celovečerní film|celovečerný film|uzun metraj|anime movie|animated film",
    ),
    (
        "short",
        "short|short film|short movie|court métrage|court-métrage|kurzfilm|"
        "короткометражный фильм|короткометражка|短片|短編映画|단편영화|단편 영화|cortometraje|"
        "cortometraggio|curta-metragem|film krótkometrażowy|krátkometrážní film|kısa film",
    ),
    (
        "tv_movie",
        "tv movie|tv film|television film|made-for-tv movie|téléfilm|fernsehfilm|"
        "телефильм|телевизионный фильм|电视电影|電視電影|テレビ映画|tv영화|telefilme|"
        "película para televisión|film tv|tv-film",
    ),
    ("video", "video|direct-to-video|video film|ova|ona|oav|v-cinema|vídeo|видео"),
    ("special", "special|tv special|television special|spécial|спецвыпуск|スペシャル"),
    (
        "series",
        "series|tv series|tv show|television series|tv|web series|anime series|drama series|"
        "tv-series|série|série tv|série télévisée|serie|serie tv|fernsehserie|"
        "сериал|телесериал|мультсериал|аниме-сериал|电视剧|電視劇|剧集|劇集|连续剧|連續劇|"
        "网剧|網劇|动画剧集|ドラマ|テレビドラマ|連続ドラマ|テレビアニメ|드라마|tv 시리즈|"
        "serial|seriál|serial tv|dizi|televizyon dizisi|série de televisão|telenovela|"
        # as a kind, not a genre: AsianWiki's "Drama:" and MyDramaList's "Type: Drama"
        "drama|k-drama|j-drama|c-drama|tw-drama|dorama|korean drama|japanese drama",
    ),
    (
        "miniseries",
        "miniseries|mini-series|mini series|limited series|tv mini series|tv mini-series|"
        "minisérie|mini-série|miniserie|мини-сериал|迷你剧|迷你劇|ミニシリーズ|미니시리즈",
    ),
    ("season", "season|tv season|saison|staffel|сезон|季|シーズン|시즌|temporada|stagione"),
    ("episode", "episode|tv episode|épisode|folge|episodio|эпизод|серия|单集|エピソード|에피소드"),
):
    for _name in _names.split("|"):
        _WORDS[_name] = _kind
if not set(_WORDS.values()) | set(_SCHEMA_TYPES.values()) <= set(WORK_KINDS):  # pragma: no cover
    raise ImportError("crawler.normalize.kinds names a kind outside schemas.records.WORK_KINDS")

_FAMILIES = {
    "movie": "film",
    "short": "film",
    "tv_movie": "film",
    "video": "film",
    "special": "film",
    "series": "series",
    "miniseries": "series",
    "season": "season",
    "episode": "episode",
}
# Years, counts ("12 сезонов", "3 seasons") and punctuation around the kind word in a
# title's note: "TV Series 1999–2013", "сериал, 12 сезонов", "1997 film".
_NOISE = re.compile(
    r"\s*[(\[][^)\]]*[)\]]\s*|\d+\s*(?:seasons?|episodes?|parts?|saisons?|staffeln?|"
    r"temporadas?|stagioni|сезон\w*|сери\w*|эпизод\w*|季|集|話)|\d+|[.:;,…–—]+|\s-\s|\s-$|^-\s",
    re.IGNORECASE,
)


def normalise_kind(raw: str) -> str | None:
    """The kind a schema.org type or a label's value names, or None.

    >>> normalise_kind("TVEpisode")
    'episode'
    >>> normalise_kind("TV Series (2008–2013)")
    'series'
    >>> normalise_kind("Long métrage")
    'movie'
    >>> normalise_kind("Color") is None
    True
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    schema = _SCHEMA_TYPES.get(text.rsplit("/", 1)[-1].casefold())
    if schema:
        return schema
    text = " ".join(_NOISE.sub(" ", text).split()).casefold()
    return _WORDS.get(text)


def kind_family(kind: str | None) -> str | None:
    """``"film"``, ``"series"``, ``"season"`` or ``"episode"``; works of different
    families are different works."""
    return _FAMILIES.get(kind or "")


def page_kind(statements: list[str]) -> str | None:
    """The kind of work a page is about, from what it says in evidence order (structured
    data, platform markup, fact boxes, prose): the first kind stated, except that
    ``movie`` is what many sites call every title (KinoPoisk's series are schema.org
    ``Movie`` items titled "(сериал 2007 – ...)"), so any more specific kind the page
    states wins over it.

    >>> page_kind(["Movie", "сериал, 12 сезонов"])
    'series'
    >>> page_kind(["Color", "Movie"])
    'movie'
    """
    kinds = [kind for statement in statements if (kind := normalise_kind(statement))]
    specific = [kind for kind in kinds if kind != "movie"]
    chosen = specific or kinds
    return chosen[0] if chosen else None
