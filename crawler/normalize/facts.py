"""One entry point for the ``clean`` pipeline: a fact's raw text -> its canonical value.

:func:`normalise_fact` dispatches on the field names of :mod:`schemas.records`
(``FACT_FIELDS``); :func:`split_multi` cuts a raw list (``Comedy, Drama, Family``) into
the raw items that become one fact each. Canonical values:

=================  ============================================================
field              value
=================  ============================================================
title, native_     :func:`~crawler.normalize.titles.clean_title` (site suffix,
title, alt_title   trailing year and disambiguator dropped)
year               ``2013``
release_date       ``2013-01-23`` (or ``2013-01``/``2013`` when that is all)
director, writer   :func:`~crawler.normalize.people.clean_person_name`
genre              English genre in title case from a synonym table covering
                   en/es/fr/de/it/pt/ru/ko/ja/zh names (``Sci-Fi`` and
                   ``фантастика`` -> ``Science Fiction``, ``comedia dramática``
                   -> ``Comedy-drama``); other genres title-cased as written
country            English short name (``South Korea``, ``United States``) from
                   names in about 20 languages (CLDR via Babel), ISO 3166 alpha-2
                   and alpha-3 codes, demonyms (``Korean``) and common forms
                   (``USA``, ``Korea, South``, ``한국``). Historical states keep
                   their own names (``Soviet Union``, ``West Germany``).
language           BCP 47 primary subtag: ISO 639-1 where the language has one
                   (``Korean`` -> ``ko``), else ISO 639-3 (``Cantonese`` -> ``yue``)
runtime_minutes    ``127``
content_rating     the page's label, whitespace-normalised, spaced dashes unified to
                   `` – `` (``15+ – Teens 15 or older``); the short code is
                   available from :func:`content_rating_code` (``15+``)
rating             ``0``-``100`` (see :mod:`~crawler.normalize.ratings`)
rating_votes       ``19764``
admissions         ``12320000``
box_office         ``USD 30000000`` (see :mod:`~crawler.normalize.numbers`)
synopsis, trivia   :func:`~crawler.normalize.text.clean_text` (paragraphs kept)
=================  ============================================================

Every value is None when the raw text cannot be normalised. Every normaliser is
idempotent on its own output (``normalise_fact(f, normalise_fact(f, x)) ==
normalise_fact(f, x)``), except ``rating``, whose stored ``5`` reads back as 5/10 without
its scale (see :mod:`~crawler.normalize.ratings`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from babel import Locale
from babel.core import get_global

from crawler.normalize.dates import normalise_date, normalise_year
from crawler.normalize.durations import normalise_runtime
from crawler.normalize.numbers import normalise_admissions, normalise_box_office
from crawler.normalize.people import clean_person_name, fold_key_text, is_east_asian_surname
from crawler.normalize.ratings import normalise_rating, normalise_votes
from crawler.normalize.text import clean_inline, clean_text
from crawler.normalize.titles import clean_title
from schemas.records import FACT_FIELDS

__all__ = [
    "content_rating_code",
    "normalise_content_rating",
    "normalise_country",
    "normalise_fact",
    "normalise_genre",
    "normalise_language",
    "split_multi",
]

_NON_WORD = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    """Lookup form: case, accents and punctuation ignored, a leading 'the' dropped."""
    folded = _NON_WORD.sub(" ", fold_key_text(text)).strip()
    return folded.removeprefix("the ")


def _none_if_empty(value: str) -> str | None:
    return value if any(c.isalnum() for c in value) else None


# --- genres ---------------------------------------------------------------------------

# Canonical genre -> its names, "|"-separated (names may contain spaces).
_GENRE_SYNONYMS: dict[str, str] = {
    "Action": "action|acción|ação|azione|actionfilm|боевик|экшн|액션|アクション|动作|動作|"
    "akční|akcja|aksiyon|actie|akció|hành động|laga",
    "Adventure": "adventure|aventura|aventuras|aventure|abenteuer|avventura|приключения|모험|"
    "어드벤처|アドベンチャー|冒険|冒险|冒險|"
    "dobrodružný|przygodowy|macera|avontuur|kaland|phiêu lưu|petualangan",
    "Animation": "animation|animated|animación|animação|animazione|zeichentrick|"
    "animationsfilm|мультфильм|анимация|애니메이션|アニメーション|动画|動畫|cartoon|"
    "animovaný|animowany|animasyon|animatie|animációs|hoạt hình|animasi",
    "Anime": "anime|аниме|アニメ",
    "Biography": "biography|biographical|biopic|biografía|biográfico|biografia|biografie|"
    "biografico|biographie|биография|전기|伝記|传记|傳記|"
    "životopisný|biograficzny|biyografi|biografisch|életrajzi|tiểu sử",
    "Comedy": "comedy|comedia|comédie|komödie|commedia|comédia|комедия|코미디|コメディ|"
    "コメディー|喜剧|喜劇|"
    "komedie|komedia|komedi|komedie|vígjáték|hài|komédia",
    "Comedy-drama": "comedy drama|comedy-drama|dramedy|comedia dramática|comédie dramatique|"
    "tragikomödie|tragicomedy|commedia drammatica|comédia dramática|трагикомедия|코미디 드라마",
    "Crime": "crime|クライム|"
    "crimen|policíaco|policiaco|policier|krimi|kriminalfilm|crimine|poliziesco|"
    "criminal|policial|криминал|범죄|犯罪|"
    "krimi|kryminał|suç|misdaad|bűnügyi|hình sự|kriminální",
    "Documentary": "documentary|documental|documentaire|dokumentarfilm|dokumentation|"
    "documentario|documentário|документальный|документальный фильм|다큐멘터리|"
    "ドキュメンタリー|纪录片|紀錄片|"
    "dokumentární|dokumentalny|belgesel|documentaire film|dokumentumfilm|tài liệu",
    "Drama": "drama|drame|dramma|drammatico|драма|드라마|ドラマ|剧情|劇情|"
    "dramat|dram|dráma|chính kịch",
    "Family": "family|familia|familiar|famille|familial|familienfilm|familie|famiglia|família|"
    "семейный|가족|ファミリー|家庭|"
    "rodinný|familijny|aile|családi|gia đình|keluarga",
    "Fantasy": "fantasy|fantasía|fantástico|fantastique|fantastico|fantasia|фэнтези|판타지|"
    "ファンタジー|奇幻|"
    "fantasy film|fantastyka|fantastik|fantasztikus|giả tưởng|fantazie",
    "Film Noir": "film noir|film-noir|noir|cine negro|нуар|фильм-нуар|黑色电影",
    "History": "history|historical|histórico|historique|historie|historienfilm|storico|"
    "história|история|исторический|역사|사극|歴史|历史|歷史|period|"
    "historický|historyczny|tarih|történelmi|lịch sử|sejarah",
    "Horror": "horror|terror|horreur|épouvante-horreur|épouvante|ужасы|공포|호러|ホラー|恐怖|"
    "horor|korku|griezel|kinh dị|horrorfilm",
    "Music": "music|música|musique|musik|musica|музыка|음악|音楽|音乐|音樂|"
    "hudební|muzyczny|müzik|zenés|âm nhạc",
    "Musical": "musical|comédie musicale|musicale|мюзикл|뮤지컬|ミュージカル|歌舞|"
    "muzikál|muzyczny musical|müzikal|musicalfilm",
    "Mystery": "mystery|misterio|intriga|mystère|mistero|giallo|mistério|детектив|мистика|"
    "미스터리|ミステリー|悬疑|懸疑|"
    "mysteriózní|tajemniczy|gizem|mysterie|misztikus|bí ẩn|misteri",
    "Romance": "romance|ラブストーリー|ラブロマンス|"
    "romántico|romantique|liebesfilm|romanze|sentimentale|romantico|"
    "romântico|мелодрама|로맨스|멜로|ロマンス|恋愛|爱情|愛情|"
    "romantický|romans|romantik|romantiek|romantikus|lãng mạn|romantis",
    "Romantic Comedy": "romantic comedy|rom-com|romcom|comedia romántica|comédie romantique|"
    "романтическая комедия|로맨틱 코미디",
    "Science Fiction": "science fiction|sci-fi|scifi|sci fi|sf|science-fiction|"
    "ciencia ficción|ficção científica|fantascienza|фантастика|научная фантастика|"
    "공상과학|科幻|"
    "bilim kurgu|sciencefiction|tudományos-fantasztikus|khoa học viễn tưởng|fiksi ilmiah|"
    "vědeckofantastický",
    "Sport": "sport|sports|deporte|deportes|esporte|sportivo|спорт|스포츠|スポーツ|运动|運動|"
    "sportovní|sportowy|spor",
    "Thriller": "thriller|suspense|suspenso|triller|триллер|스릴러|スリラー|惊悚|驚悚|"
    "gerilim|thrillerfilm|giật gân|サスペンス|惊栗|驚慄",
    "War": "war|bélico|guerra|guerre|kriegsfilm|krieg|военный|전쟁|戦争|战争|戰爭|"
    "válečný|wojenny|savaş|oorlog|háborús|chiến tranh|perang",
    "Western": "western|oeste|faroeste|вестерн|서부|西部劇|西部|westernový",
    "Martial Arts": "martial arts|wuxia|artes marciales|arts martiaux|kampfsport|"
    "боевые искусства|무협|武侠|武俠",
    "Disaster": "disaster|パニック|"
    "catastrophe|catástrofe|katastrophenfilm|катастрофа|재난|災害|灾难",
    "Short": "short|short film|短片|短編|cortometraje|court métrage|kurzfilm|короткометражка|단편|"
    "krátkometrážní|krótkometrażowy|kısa",
    "Erotic": "erotic|情色|erótico|érotique|erotik|эротика|에로",
    "Melodrama": "melodrama|melodramma|신파",
    "Teen": "teen|youth|juvenil|청춘|青春",
    "LGBTQ+": "lgbtq+|lgbt|lgbtq|lgbtqia+|lgbtqia|queer|同性",
}


@cache
def _genre_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, names in _GENRE_SYNONYMS.items():
        for name in (canonical, *names.split("|")):
            key = _fold(name) or name.casefold()
            if table.setdefault(key, canonical) != canonical:  # pragma: no cover
                raise ValueError(f"genre synonym {name!r} is listed twice")
    return table


def _title_case(text: str) -> str:
    # title(), not upper(), for the first letter: "ß".upper() is "SS", which would
    # read back as "Ss".
    return " ".join(w[:1].title() + w[1:].lower() for w in text.split(" "))


def normalise_genre(raw: str) -> str | None:
    """A genre in English title case: ``Sci-Fi`` -> ``Science Fiction``.

    >>> normalise_genre("COMEDY-DRAMA")
    'Comedy-drama'
    >>> normalise_genre("фантастика")
    'Science Fiction'
    """
    text = clean_inline(raw).strip(" .,;")
    if not _none_if_empty(text):
        return None
    canonical = _genre_table().get(_fold(text))
    return canonical if canonical is not None else _title_case(text)


# --- countries ------------------------------------------------------------------------

# Canonical English names: CLDR's, except where film databases and everyday English
# use another form.
_COUNTRY_NAME_OVERRIDES = {
    "HK": "Hong Kong", "MO": "Macau", "CZ": "Czech Republic", "TR": "Turkey",
    "PS": "Palestine", "CI": "Ivory Coast", "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo", "MM": "Myanmar", "BA": "Bosnia and Herzegovina",
    "VA": "Vatican City", "TT": "Trinidad and Tobago", "AG": "Antigua and Barbuda",
    "KN": "Saint Kitts and Nevis", "ST": "São Tomé and Príncipe",
    "VC": "Saint Vincent and the Grenadines", "PM": "Saint Pierre and Miquelon",
    "HM": "Heard Island and McDonald Islands", "SJ": "Svalbard and Jan Mayen",
    "TC": "Turks and Caicos Islands", "WF": "Wallis and Futuna",
}  # fmt: skip
# Former states that film databases still credit.
_HISTORICAL_COUNTRIES = {
    "SU": "Soviet Union", "XWG": "West Germany", "DD": "East Germany",
    "CS": "Czechoslovakia", "YU": "Yugoslavia", "XSM": "Serbia and Montenegro",
}  # fmt: skip
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"})
_COUNTRY_ALIASES: dict[str, str] = {
    # Common short forms, official names and spellings CLDR does not list.
    "usa": "US", "u s a": "US", "us": "US", "u s": "US", "america": "US",
    "united states of america": "US", "uk": "GB", "u k": "GB", "great britain": "GB",
    "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "korea": "KR", "korea south": "KR", "republic of korea": "KR",
    "korea republic of": "KR", "s korea": "KR", "rok": "KR", "한국": "KR", "남한": "KR",
    "韓國": "KR", "南韓": "KR", "korea north": "KP", "dprk": "KP", "north korea": "KP",
    "북한": "KP", "조선": "KP", "北朝鮮": "KP", "朝鲜": "KP", "prc": "CN",
    "people s republic of china": "CN", "mainland china": "CN", "中国大陆": "CN",
    "roc": "TW", "republic of china": "TW", "hong kong sar": "HK", "hongkong": "HK",
    "香港": "HK", "macao": "MO", "holland": "NL", "the netherlands": "NL",
    "czechia": "CZ", "türkiye": "TR", "turkiye": "TR", "russian federation": "RU",
    "ussr": "SU", "soviet union": "SU", "u s s r": "SU", "ссср": "SU", "urss": "SU",
    "sowjetunion": "SU", "west germany": "XWG", "frg": "XWG", "brd": "XWG",
    "фрг": "XWG", "east germany": "DD", "gdr": "DD", "ddr": "DD", "гдр": "DD",
    "czechoslovakia": "CS", "чехословакия": "CS", "yugoslavia": "YU", "югославия": "YU",
    "serbia and montenegro": "XSM", "uae": "AE", "vietnam": "VN", "viet nam": "VN",
    "iran islamic republic of": "IR", "persia": "IR", "burma": "MM",
    "сша": "US", "великобритания": "GB", "англия": "GB", "корея южная": "KR",
    "южная корея": "KR", "корея": "KR", "ee uu": "US", "eeuu": "US", "eua": "US",
    "美国": "US", "美國": "US", "英国": "GB", "英國": "GB", "中國": "CN", "日本": "JP",
    "미국": "US", "영국": "GB", "중국": "CN", "일본": "JP", "대만": "TW", "홍콩": "HK",
    "velká británie": "GB", "veľká británia": "GB", "grande-bretagne": "GB",
    "gran bretaña": "GB", "gran bretagna": "GB", "großbritannien": "GB",
    "büyük britanya": "GB", "groot-brittannië": "GB", "nagy-britannia": "GB",
    "grã-bretanha": "GB", "大不列颠": "GB", "イギリス": "GB",
    "アメリカ": "US", "アメリカ合衆国": "US", "米国": "US", "韓国": "KR",
    "韩国": "KR", "中國大陸": "CN",
}  # fmt: skip
_DEMONYMS: dict[str, str] = {
    "american": "US", "british": "GB", "english": "GB", "french": "FR", "german": "DE",
    "italian": "IT", "spanish": "ES", "japanese": "JP", "chinese": "CN", "korean": "KR",
    "south korean": "KR", "north korean": "KP", "indian": "IN", "russian": "RU",
    "canadian": "CA", "australian": "AU", "mexican": "MX", "brazilian": "BR",
    "argentine": "AR", "argentinian": "AR", "swedish": "SE", "danish": "DK",
    "norwegian": "NO", "finnish": "FI", "dutch": "NL", "belgian": "BE", "swiss": "CH",
    "austrian": "AT", "polish": "PL", "czech": "CZ", "hungarian": "HU", "turkish": "TR",
    "iranian": "IR", "israeli": "IL", "egyptian": "EG", "thai": "TH", "filipino": "PH",
    "philippine": "PH", "indonesian": "ID", "malaysian": "MY", "vietnamese": "VN",
    "taiwanese": "TW", "hong kong": "HK", "irish": "IE", "new zealand": "NZ",
    "south african": "ZA", "nigerian": "NG", "greek": "GR", "portuguese": "PT",
    "romanian": "RO", "chilean": "CL", "colombian": "CO", "peruvian": "PE",
    "cuban": "CU", "soviet": "SU", "icelandic": "IS", "ukrainian": "UA",
    "pakistani": "PK", "bangladeshi": "BD", "singaporean": "SG", "lebanese": "LB",
    "moroccan": "MA", "senegalese": "SN", "georgian": "GE", "serbian": "RS",
    "croatian": "HR", "bulgarian": "BG", "estonian": "EE", "latvian": "LV",
    "lithuanian": "LT", "slovak": "SK", "slovenian": "SI", "kazakh": "KZ",
}  # fmt: skip
_NAME_LOCALES = (
    "en", "es", "fr", "de", "it", "pt", "ru", "ko", "ja", "zh", "zh_Hant", "tr", "hu",
    "pl", "nl", "sv", "da", "nb", "fi", "cs", "id", "vi", "th", "ar", "he", "el", "uk",
)  # fmt: skip


@cache
def _country_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> canonical English name, folded alias -> code)."""
    english = Locale.parse("en").territories
    names: dict[str, str] = {
        code: _COUNTRY_NAME_OVERRIDES.get(code, name)
        for code, name in english.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    names.update(_HISTORICAL_COUNTRIES)
    aliases: dict[str, str] = {}
    for code, name in names.items():  # canonical names win every clash
        aliases.setdefault(_fold(name), code)
    for alias, code in {**_COUNTRY_ALIASES, **_DEMONYMS}.items():
        aliases.setdefault(_fold(alias), code)
    for locale in _NAME_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if code in names:
                aliases.setdefault(_fold(name), code)
    for alpha3, targets in get_global("territory_aliases").items():
        if len(alpha3) == 3 and alpha3.isalpha() and len(targets) == 1 and targets[0] in names:
            aliases.setdefault(alpha3.casefold(), targets[0])
    return names, aliases


def normalise_country(raw: str) -> str | None:
    """A country as its English short name, from a name, demonym or ISO code.

    >>> normalise_country("Korea, South")
    'South Korea'
    >>> normalise_country("США")
    'United States'
    """
    text = clean_inline(raw).strip(" .,;")
    if not text:
        return None
    names, aliases = _country_tables()
    if len(text) == 2 and text.isascii() and text.isalpha():
        alpha2 = {"UK": "GB"}.get(text.upper(), text.upper())
        if alpha2 in names:
            return names[alpha2]
    code = aliases.get(_fold(text))
    return names[code] if code is not None else None


# --- languages ------------------------------------------------------------------------

_LANGUAGE_ALIASES = {
    "mandarin": "zh", "mandarin chinese": "zh", "standard chinese": "zh", "putonghua": "zh",
    "cantonese": "yue", "cantonese chinese": "yue", "hokkien": "nan", "min nan": "nan",
    "taiwanese": "nan", "teochew": "nan", "shanghainese": "wuu", "farsi": "fa",
    "flemish": "nl", "castilian": "es", "filipino": "fil", "tagalog": "tl",
    "brazilian portuguese": "pt", "american english": "en", "british english": "en",
    "swiss german": "gsw", "north korean": "ko", "hindustani": "hi",
    "한국어": "ko", "한국말": "ko", "조선말": "ko", "중국어": "zh", "영어": "en", "일본어": "ja",
    "普通话": "zh", "國語": "zh", "国语": "zh", "粤语": "yue", "粵語": "yue", "广东话": "yue",
    "廣東話": "yue", "英语": "en", "英語": "en", "韩语": "ko", "韓語": "ko", "日语": "ja",
}  # fmt: skip
_NO_LANGUAGE = frozenset({"none", "silent", "no dialogue", "no language", "n a", "und"})


@cache
def _language_tables() -> tuple[frozenset[str], dict[str, str]]:
    """(known codes, folded name or alias -> preferred code)."""
    english = Locale.parse("en").languages
    codes = frozenset(str(c) for c in english if isinstance(c, str) and c.isalpha())
    aliases: dict[str, str] = {}
    for alias, code in _LANGUAGE_ALIASES.items():
        aliases.setdefault(_fold(alias), code)
    for locale in ("en", *(n for n in _NAME_LOCALES if n != "en")):
        for code, name in Locale.parse(locale).languages.items():
            if isinstance(code, str) and code in codes:
                aliases.setdefault(_fold(name), code)
    # ISO 639-2/3 codes for languages that also have a two-letter code: kor -> ko.
    for alias, target in get_global("language_aliases").items():
        if len(alias) == 3 and alias.isalpha() and target in codes and len(target) == 2:
            aliases.setdefault(alias, target)
    return codes, aliases


def normalise_language(raw: str) -> str | None:
    """A language as its BCP 47 primary subtag: ``Korean`` -> ``ko``, ``en-US`` -> ``en``.

    >>> normalise_language("Korean")
    'ko'
    >>> normalise_language("Cantonese")
    'yue'
    """
    text = re.sub(r"\s*\([^)]*\)", "", clean_inline(raw)).strip(" .,;")
    if not text:
        return None
    codes, aliases = _language_tables()
    folded = _fold(text)
    if folded in _NO_LANGUAGE:
        return None
    tag = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*", text)
    if tag:
        primary = tag.group(1).lower()
        if primary in aliases and len(primary) == 3:
            return aliases[primary]
        if primary in codes:
            return primary
    return aliases.get(folded)


# --- content ratings ------------------------------------------------------------------

_SPACED_DASH = re.compile(r"\s+[-–—]\s+")
_RATING_CODE = re.compile(
    r"^(?P<code>TV-(?:Y7-FV|Y7|Y|G|PG|14|MA)|NC-17|PG-13|PG-12|PG|MA15\+|R18\+|R\d{2}\+?|"
    r"\d{1,2}\+|\d{1,2}[AR]?|[A-Z]{1,3})(?=$|[\s:(\[,;–—-])"
)
_KOREAN_CERTIFICATES = {"청소년 관람불가": "18+", "청소년관람불가": "18+", "전체 관람가": "All",
                        "전체관람가": "All", "제한상영가": "R"}  # fmt: skip
_AGE_PHRASE = re.compile(r"(?P<age>\d{1,2})\s*(?:лет|세|歳|岁|歲|ans|años|jahren|anni)")


def normalise_content_rating(raw: str) -> str | None:
    """The page's rating label, whitespace-normalised, spaced dashes unified to ' – '.

    >>> normalise_content_rating("15+ - Teens 15 or older")
    '15+ – Teens 15 or older'
    """
    text = _SPACED_DASH.sub(" – ", clean_inline(raw)).strip()
    return _none_if_empty(text)


def content_rating_code(raw: str) -> str | None:
    """The short certificate in a rating label: ``15+``, ``PG-13``, ``R``, ``12+``.

    >>> content_rating_code("15+ – Teens 15 or older")
    '15+'
    >>> content_rating_code("зрителям, достигшим 12 лет")
    '12+'
    """
    text = clean_inline(raw)
    m = _RATING_CODE.match(text)
    if m:
        return m.group("code")
    for label, code in _KOREAN_CERTIFICATES.items():
        if text.startswith(label):
            return code
    age = _AGE_PHRASE.search(text.lower())
    return f"{age.group('age')}+" if age else None


# --- dispatch -------------------------------------------------------------------------


def _text(raw: str) -> str | None:
    return _none_if_empty(clean_text(raw))


def _title(raw: str) -> str | None:
    return _none_if_empty(clean_title(raw))


def _person(raw: str) -> str | None:
    return _none_if_empty(clean_person_name(raw))


def _int_text(parse: Callable[[str], int | None]) -> Callable[[str], str | None]:
    def normalise(raw: str) -> str | None:
        value = parse(raw)
        return str(value) if value is not None else None

    return normalise


_NORMALISERS: dict[str, Callable[[str], str | None]] = {
    "title": _title,
    "native_title": _title,
    "alt_title": _title,
    "year": normalise_year,
    "release_date": normalise_date,
    "director": _person,
    "writer": _person,
    "genre": normalise_genre,
    "country": normalise_country,
    "language": normalise_language,
    "runtime_minutes": _int_text(normalise_runtime),
    "content_rating": normalise_content_rating,
    "rating": _int_text(normalise_rating),
    "rating_votes": _int_text(normalise_votes),
    "admissions": _int_text(normalise_admissions),
    "box_office": normalise_box_office,
    "synopsis": _text,
    "trivia": _text,
}
if set(_NORMALISERS) != set(FACT_FIELDS):  # pragma: no cover - guards the vocabulary
    raise ImportError("normalise_fact does not cover schemas.records.FACT_FIELDS")


def normalise_fact(field: str, raw: str) -> str | None:
    """The canonical value of one fact, or None when ``raw`` cannot be understood.

    Raises ``ValueError`` for a field outside ``schemas.records.FACT_FIELDS``: that is a bug
    in an extractor, not a page we could not read.

    >>> normalise_fact("runtime_minutes", "2 hr. 7 min.")
    '127'
    >>> normalise_fact("country", "Korean")
    'South Korea'
    """
    try:
        normalise = _NORMALISERS[field]
    except KeyError:
        raise ValueError(f"unknown fact field {field!r}") from None
    return normalise(raw)


# --- lists ----------------------------------------------------------------------------

# trivia is multi-valued too, but each item arrives as its own fact: never cut prose.
_MULTI_FIELDS = frozenset({"alt_title", "director", "writer", "genre", "country", "language"})
# Separators common to every list field: , ; | 、 and a spaced slash or middle dot.
_COMMON_SEPARATORS = r"\s*[,;|、，；]\s*|\s+/\s+|\s*·\s*(?=\S)"
# In names a dot joins parts (克里斯托弗·诺兰, クリストファー・ノーラン): only a spaced one
# separates people.
_PEOPLE_SEPARATORS = r"\s*[,;|、，；]\s*|\s+/\s+|\s+[·•]\s+"
_PERSON_JOINERS = r"|\s+(?:and|&|und|et|и)\s+"
# A list of people separated by semicolons: its commas are inversions ("Weir, Peter").
_PEOPLE_BY_SEMICOLON = re.compile(r"\s*[;|、；]\s*|\s+/\s+" + _PERSON_JOINERS)
_SEPARATORS: dict[str, re.Pattern[str]] = {
    # Genres, countries and languages are single words or short phrases: an unspaced
    # slash separates too (Comedy/Drama), and FilmAffinity writes "Drama. Comedia".
    "genre": re.compile(_COMMON_SEPARATORS + r"|\s*/\s*|\.\s+|\s+(?:and|&)\s+"),
    "country": re.compile(_COMMON_SEPARATORS + r"|\s*/\s*"),
    "language": re.compile(_COMMON_SEPARATORS + r"|\s*/\s*|\s+(?:and|&)\s+"),
    "director": re.compile(_PEOPLE_SEPARATORS + _PERSON_JOINERS),
    "writer": re.compile(_PEOPLE_SEPARATORS + _PERSON_JOINERS),
    "alt_title": re.compile(_COMMON_SEPARATORS),
}
_ELLIPSIS_ITEM = re.compile(r"^(?:\.{2,}|…|etc\.?|и др\.?|more|\(more\))$", re.IGNORECASE)
_NAME_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv|phd)\.?$", re.IGNORECASE)


def _merge_countries(parts: list[str]) -> list[str]:
    """Re-join "Korea, South" and "Korea, Republic of" that the comma split apart."""
    out: list[str] = []
    for part in parts:
        if out and normalise_country(part) is None:
            joined = f"{out[-1]}, {part}"
            if normalise_country(joined) is not None:
                out[-1] = joined
                continue
        out.append(part)
    return out


def _merge_people(raw: str, parts: list[str]) -> list[str]:
    """Keep 'Weir, Peter' and 'Robert Downey, Jr.' whole."""
    # Two single words around one comma are one inverted name ("Weir, Peter"), unless
    # the second is a surname too ("Kim, Park": two people credited by family name).
    if (
        len(parts) == 2
        and all(len(p.split()) == 1 for p in parts)
        and "," in raw
        and not is_east_asian_surname(fold_key_text(parts[1]))
    ):
        return [f"{parts[0]}, {parts[1]}"]
    out: list[str] = []
    for part in parts:
        if out and _NAME_SUFFIX.match(part):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def _merge_titles(parts: list[str]) -> list[str]:
    """'The Good, the Bad and the Ugly': a part starting in lower case continues a title."""
    out: list[str] = []
    for part in parts:
        if out and part[:1].islower():
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def split_multi(field: str, raw: str) -> list[str]:
    """The raw items of a listed value, in page order, without duplicates or '...'.

    Single-valued fields give their cleaned raw text as the only item.

    >>> split_multi("genre", "Comedy, Drama, Family")
    ['Comedy', 'Drama', 'Family']
    >>> split_multi("country", "Korea, South")
    ['Korea, South']
    """
    if field not in _NORMALISERS:
        raise ValueError(f"unknown fact field {field!r}")
    if field not in _MULTI_FIELDS:
        text = clean_text(raw) if field in ("synopsis", "trivia") else clean_inline(raw)
        return [text] if text else []
    text = clean_inline(raw)
    separators = _SEPARATORS[field]
    if field in ("director", "writer") and ";" in text:
        separators = _PEOPLE_BY_SEMICOLON
    # Names keep their dots (Park W.S., Jr.); genres, countries, languages do not.
    strip = " " if field in ("director", "writer", "alt_title") else " ."
    parts = [p.strip(strip) for p in separators.split(text)]
    parts = [p for p in parts if p and not _ELLIPSIS_ITEM.match(p)]
    if field == "country":
        parts = _merge_countries(parts)
    elif field in ("director", "writer"):
        parts = _merge_people(text, parts)
    elif field == "alt_title":
        parts = _merge_titles(parts)
    return list(dict.fromkeys(parts))
