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
# What kind of work the page is about ("Type: TV Series"); only values that name a kind
# count (see ``crawler.normalize.kinds``), so "Format: Color" says nothing.
KIND = "kind"
# Voices of a dubbed version ("Роли дублировали:", "Doublage", "Voices (dubbing)"): people
# who are not the film's cast. Recognised so that their names are never taken for cast.
DUBBING = "dubbing"
# A number of episodes: a work with more than one is a series.
EPISODES = "episodes"
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
    "year of release": ("year",),
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
    "full cast": (CAST,),
    "supporting cast": (CAST,),
    "guest stars": (CAST,),
    "casts": (CAST,),
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
    "countries of origin": ("country",),
    "countries of production": ("country",),
    "language": ("language",),
    "languages": ("language",),
    "original language": ("language",),
    "runtime": ("runtime_minutes",),
    "running time": ("runtime_minutes",),
    "run time": ("runtime_minutes",),
    "episode duration": ("runtime_minutes",),
    "duration per episode": ("runtime_minutes",),
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
    "episodes": (EPISODES,),
    "type": (KIND,),
    "format": (KIND,),
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


def _words(*groups: tuple[tuple[str, ...], str]) -> dict[str, tuple[str, ...]]:
    """``(targets, "label | label | ...")`` groups as dictionary entries: one line per
    meaning keeps a language's labels readable."""
    found: dict[str, tuple[str, ...]] = {}
    for targets, labels in groups:
        for label in labels.split("|"):
            if label.strip():
                found[" ".join(label.split()).lower()] = targets
    return found


_T = ("title",)
_NATIVE = ("native_title",)
_ALT = ("alt_title",)
_YEAR = ("year",)
_DATE = ("release_date",)
_CASTS = (CAST,)
_GENRE = ("genre",)
_COUNTRY = ("country",)
_LANGUAGE = ("language",)
_RUNTIME = ("runtime_minutes",)
_CERT = ("content_rating",)
_SCORE = ("rating",)
_VOTES = ("rating_votes",)
_SYNOPSIS = ("synopsis",)
_BOX = ("box_office",)
_KIND = (KIND,)
_DUB = (DUBBING,)
_EPISODES = (EPISODES,)
_NO = (IGNORE,)

# More English, then other languages. A label is matched whole: "Direction" is a
# director, "Chief Animation Direction" or "Episode Director" is nothing we store.
LABELS.update(
    _words(
        # English: TV, anime databases, fan-wiki infoboxes
        (_T, "english name | title (english) | main title"),
        (
            _ALT,
            "official title | official titles | romaji title | short name | short names | synonym",
        ),
        # "English: Mushi-Shi" beside "Japanese: 蟲師": one of the titles, not the heading's
        (_ALT, "english"),
        (
            _ALT,
            "synonyms | other names | known as | alternative names | alt titles |"
            " also called | original name (romanized)",
        ),
        (
            _NATIVE,
            "original title (native) | original language title | native name |"
            " japanese title | korean title | chinese title",
        ),
        (
            _DATE,
            "first air date | air date | original air date | original release date |"
            " premiered | broadcast | release date (world) | released on |"
            " world premiere | initial release | debut | opening date",
        ),
        (_YEAR, "year of production | year released | production date | copyright year"),
        (
            _D,
            "directed | film direction | director(s) | chief director | series director |"
            " directors",
        ),
        (
            _W,
            "screenplay writer | teleplay | teleplay by | written | writing credits |"
            " screen story | series composition | developed by | showrunner",
        ),
        (
            _CASTS,
            "cast & crew | starring voices | voice cast | featuring | actor |"
            " actress | actors & actresses | principal cast | top cast | cast list",
        ),
        ((PRODUCER,), "executive producers | producer(s)"),
        ((COMPOSER,), "original score | musical score | music composer"),
        ((CINEMATOGRAPHER,), "photography | director of photography (dp)"),
        ((EDITOR,), "editors | film editor"),
        (_GENRE, "category | categories | sub-genre | subgenre | genre(s)"),
        (
            _COUNTRY,
            "origin | country of production | production country |"
            " production countries | nationality",
        ),
        (_LANGUAGE, "spoken languages | audio language"),
        (_RUNTIME, "episode length | runtime (minutes) | length (minutes)"),
        (_CERT, "certification (us) | classification | maturity rating | parental guidance"),
        (
            _SCORE,
            "user score | users score | viewer rating | audience rating | rating (users) |"
            " average score | mean score | weighted average | overall rating | imdb score |"
            " community rating | site rating | members score | fan rating",
        ),
        (_VOTES, "number of ratings | rating count | votes cast | scored by"),
        (_SYNOPSIS, "description | premise | plot outline | logline"),
        (_KIND, "media type | work type | title type | kind"),
        (
            _EPISODES,
            "no. of episodes | number of episodes | episode count | total episodes |"
            " 集数 | 集數 | 話数 | 全話数 | エピソード数 | 회차 | 부작 | количество серий | серий |"
            " počet epizod | počet dílů | épisodes | nombre d'épisodes | folgen |"
            " anzahl der folgen | episodios | episodi | odcinki | liczba odcinków |"
            " episódios | bölüm sayısı",
        ),
        (
            _NO,
            "credits | crew | casting | casting by | seasons | no. of seasons |"
            " number of seasons | status |"
            " studios | studio(s) | source | licensors |"
            " demographic | theme | themes | broadcast on | channel | original network(s) |"
            " production companies | production company(s) | company | companies |"
            " distribution | country of filming | filming location | locations |"
            " official site | official website | website | imdb | imdb id | sound |"
            " camera | aspect | budget (estimated) | preceded by | followed by |"
            " related | members | ranking | rank | views | comments | likes |"
            " age | original run | production | production designer |"
            " costume design | costume designer | makeup | visual effects |"
            " special effects | art direction | animation director |"
            " chief animation director | animation direction | sound director |"
            " character design | storyboard | episode director | key animation |"
            " original creator | original work | based on the novel by | novel",
        ),
        (
            _DUB,
            "dubbing | dubbed by | dub cast | dubbing cast | voice dubbing |"
            " dubbing voices | dubbing actors",
        ),
        # Chinese (simplified and traditional)
        (_T, "片名 | 中文名 | 中文片名 | 名称 | 名稱 | 标题 | 標題 | 译名 | 譯名"),
        (_NATIVE, "原名 | 原片名 | 外文名 | 英文名 | 英文片名 | 原文名"),
        (_ALT, "又名 | 别名 | 別名 | 其他译名 | 其他譯名 | 其它译名 | 其他名称 | 中文别名"),
        (_D, "导演 | 導演 | 监督 | 執導 | 执导 | 导演们"),
        (_W, "编剧 | 編劇 | 剧本 | 劇本"),
        (_CASTS, "主演 | 演员 | 演員 | 主要演员 | 主要演員 | 领衔主演 | 領銜主演 | 演员表 | 卡司"),
        ((PRODUCER,), "制片人 | 製片人 | 出品人 | 监制 | 監製"),
        ((COMPOSER,), "音乐 | 音樂 | 配乐 | 配樂 | 作曲"),
        ((CINEMATOGRAPHER,), "摄影 | 攝影"),
        ((EDITOR,), "剪辑 | 剪輯"),
        (_GENRE, "类型 | 類型 | 类别 | 類別 | 影片类型 | 電影類型 | 片种"),
        (
            _COUNTRY,
            "制片国家/地区 | 製片國家/地區 | 国家/地区 | 國家/地區 | 制片地区 | 製片地區 |"
            " 国家 | 國家 | 地区 | 地區 | 出品地区 | 产地 | 產地",
        ),
        (_LANGUAGE, "语言 | 語言 | 对白语言 | 對白語言 | 语种"),
        (
            _DATE,
            "上映日期 | 上映時間 | 上映时间 | 首播 | 首播日期 | 首映 | 首映日期 | 上映 |"
            " 发行日期 | 發行日期 | 公映日期",
        ),
        (_YEAR, "年份 | 年代 | 上映年份 | 出品年份 | 出品时间 | 出品年代 | 拍摄年份"),
        (_RUNTIME, "片长 | 片長 | 时长 | 時長 | 单集片长 | 單集片長 | 片長時間 | 放映时间"),
        (_CERT, "分级 | 分級 | 级别 | 級別"),
        (_SCORE, "评分 | 評分 | 豆瓣评分 | 用户评分 | 用戶評分 | 网友评分 | 網友評分 | 满意度"),
        (_VOTES, "评价人数 | 評價人數"),
        (_SYNOPSIS, "剧情简介 | 劇情簡介 | 简介 | 簡介 | 剧情 | 劇情 | 影片简介 | 内容简介"),
        (_BOX, "票房 | 累计票房 | 累計票房"),
        (
            _NO,
            "季数 | 季數 | 官方网站 | 官方網站 | 出品公司 | 制作公司 | 製作公司 |"
            " 发行公司 | 發行公司 | 制片公司 | 製片公司 | 拍摄地点 | 预算 | 預算 | 色彩 |"
            " 对白 | 获奖 | 獲獎 | 片尾曲 | 主题曲 | 宣传语 | 台词 | imdb编码 | 播出平台 |"
            " 播出频道 | 首播电视台 | 在线播放平台 | 标签 | 標籤",
        ),
        (
            _DUB,
            "配音演员 (中文) | 国语配音 | 國語配音 | 中文配音 | 粤语配音 | 粵語配音 | 台湾配音 |"
            " 台灣配音 | 译制 | 譯製",
        ),
        (_KIND, "影片类型/形式"),
        # Japanese
        (_T, "タイトル | 作品名 | 邦題 | 題名"),
        (_NATIVE, "原題 | 原題名 | 原作名"),
        (_ALT, "英題 | 英語題 | 別題 | 別名 | 英語タイトル | 旧題"),
        (_D, "監督 | 総監督 | 監督・脚本 | 映画監督"),
        (_W, "脚本 | 脚色 | シナリオ | シリーズ構成"),
        (_CASTS, "出演 | 出演者 | キャスト | 主演 | 声の出演 | 声優 | 出演者名"),
        ((PRODUCER,), "プロデューサー | 製作総指揮"),
        ((COMPOSER,), "音楽 | 作曲"),
        ((CINEMATOGRAPHER,), "撮影 | 撮影監督"),
        ((EDITOR,), "編集"),
        (_GENRE, "ジャンル | 分類"),
        (_COUNTRY, "製作国 | 製作国・地域 | 国 | 製作国/地域 | 国・地域 | 製作国(地域)"),
        (_LANGUAGE, "言語 | 原語 | 使用言語"),
        (
            _DATE,
            "公開 | 公開日 | 公開年月日 | 劇場公開日 | 封切日 | 日本公開 | 放送期間 |"
            " 放送開始 | 初放送 | 放送日 | 配信開始日",
        ),
        (_YEAR, "公開年 | 製作年 | 製作年度 | 年度 | 制作年"),
        (_RUNTIME, "上映時間 | 放映時間"),
        (_CERT, "映倫 | 映倫区分 | レイティング"),
        (_SCORE, "評価 | 平均評価 | 総合評価 | 点数 | 採点 | ユーザー評価"),
        (_SYNOPSIS, "あらすじ | 解説 | ストーリー"),
        (_BOX, "興行収入 | 配給収入"),
        (
            _NO,
            "配給 | 製作 | 制作 | アニメーション制作 | 制作会社 | 製作会社 | 原作 |"
            " キャラクターデザイン |"
            " 作画監督 | 総作画監督 | 演出 | 美術監督 | 色彩設計 | 音響監督 | 放送局 |"
            " 公式サイト | 主題歌 | 字幕 | 字幕翻訳 | 前作 | 次作 | 受賞",
        ),
        (
            _DUB,
            "吹き替え | 吹替 | 日本語吹き替え | 日本語吹替 | 吹替版 | 吹き替え声優 | 日本語吹替版",
        ),
        (_KIND, "種別 | 種類 | 形式"),
        # Korean
        (_T, "제목 | 영화명 | 한국어 제목"),
        (_NATIVE, "원제 | 원제목"),
        (_ALT, "다른 이름 | 영문 제목 | 영제 | 이명"),
        (_D, "감독 | 연출"),
        (_W, "각본 | 극본 | 각색 | 시나리오"),
        (_CASTS, "출연 | 출연진 | 주연 | 배우 | 주요 출연 | 캐스팅"),
        ((PRODUCER,), "제작자 | 프로듀서"),
        ((COMPOSER,), "음악"),
        ((CINEMATOGRAPHER,), "촬영"),
        ((EDITOR,), "편집"),
        (_GENRE, "장르"),
        (_COUNTRY, "국가 | 제작 국가 | 제작국가 | 나라"),
        (_LANGUAGE, "언어"),
        (_DATE, "개봉 | 개봉일 | 개봉 날짜 | 개봉일자 | 방송 기간 | 방영 기간 | 공개일"),
        (_YEAR, "제작연도 | 제작년도 | 연도 | 개봉연도 | 제작 연도"),
        (_RUNTIME, "상영시간 | 러닝타임 | 상영 시간 | 러닝 타임"),
        (_CERT, "등급 | 관람등급 | 관람 등급 | 심의등급 | 상영등급"),
        (_SCORE, "평점 | 네티즌 평점 | 관람객 평점 | 기자·평론가 평점 | 별점"),
        (_SYNOPSIS, "줄거리 | 시놉시스"),
        (_BOX, "매출액"),
        (("admissions",), "누적관객 | 누적 관객 | 관객수 | 관객 수"),
        (_NO, "배급 | 제작사 | 제작 | 원작 | 방송사 | 방송국 | 공식 사이트"),
        (_DUB, "더빙 | 한국어 더빙 | 성우 (더빙)"),
        # Russian, Ukrainian
        (_T, "название (рус) | русское название"),
        (_NATIVE, "оригинальное название | название (ориг) | оригинальное имя"),
        (_ALT, "другие названия | также известен как | альтернативное название"),
        (
            _D,
            "режиссёры | режиссер-постановщик | режиссёр-постановщик | постановщик |"
            " режисер | режисери",
        ),
        (_W, "сценаристы | автор сценария | сценарій | сценарист"),
        (
            _CASTS,
            "актёры | в ролях | актеры и роли | роли исполняли |"
            " роли озвучивали | актори | у ролях | у головних ролях",
        ),
        ((PRODUCER,), "продюсеры | продюсер"),
        ((COMPOSER,), "композиторы | музыка"),
        ((CINEMATOGRAPHER,), "операторы"),
        (_GENRE, "жанры | жанр фильма"),
        (_COUNTRY, "страны | страна производства | країна | країни"),
        (_LANGUAGE, "язык | языки | язык оригинала | мова"),
        (
            _DATE,
            "премьера в мире | мировая премьера | дата выхода | дата премьеры | выход |"
            " дата релиза | прем'єра | дата виходу | выход в эфир | первый показ",
        ),
        (_YEAR, "год выпуска | год выхода | рік | рік випуску | рік виробництва"),
        (_RUNTIME, "длительность | хронометраж | тривалість | время показа"),
        (_CERT, "возрастное ограничение | возрастной рейтинг | вік"),
        (
            _SCORE,
            "рейтинг кинопоиска | рейтинг imdb | оценка пользователей |"
            " рейтинг фильма | рейтинг зрителей",
        ),
        (_VOTES, "оценок | голосов | количество оценок"),
        (_SYNOPSIS, "описание | сюжет"),
        (_BOX, "сборы | касові збори"),
        (
            _NO,
            "сборы в сша | сборы в россии | премьера в россии | премьера на dvd |"
            " премьера на blu-ray | маркетинг |"
            " зрители | количество сезонов | сезонов | платформа |"
            " канал | студия | дистрибьютор | рейтинг критиков | рейтинг мпаа | художники |"
            " монтажёр | слоган фильма | бюджет фильма",
        ),
        (
            _DUB,
            "роли дублировали | дублировали | дубляж | русский дубляж |"
            " актёры дубляжа | актеры дубляжа | озвучка | український дубляж",
        ),
        (_KIND, "тип | вид | формат"),
        # Czech, Slovak
        (_T, "název"),
        (_NATIVE, "původní název | originální název | pôvodný názov"),
        (_ALT, "další názvy | jiné názvy | alternativní název"),
        (_D, "režie | režisér | réžia"),
        (_W, "scénář | scenár | předloha | námět | predloha"),
        (_CASTS, "hrají | hrajú | herci | obsazení | účinkují | v hlavních rolích | hraje"),
        ((PRODUCER,), "produkce | producent"),
        ((COMPOSER,), "hudba"),
        ((CINEMATOGRAPHER,), "kamera"),
        ((EDITOR,), "střih | strih"),
        (_GENRE, "žánr | žánry | žáner"),
        (_COUNTRY, "země | země původu | krajina | státy"),
        (_LANGUAGE, "jazyk | jazyky"),
        (_DATE, "premiéra | premiéry | v kinech | datum premiéry | uvedení"),
        (_YEAR, "rok | rok výroby | rok vzniku"),
        (_RUNTIME, "délka | stopáž | dĺžka"),
        (_SCORE, "hodnocení | hodnotenie"),
        (_SYNOPSIS, "obsah | děj"),
        (_NO, "zvuk | scénografie | masky | kostýmy | tvůrci | distributor | střihová spolupráce"),
        (_DUB, "dabing | český dabing | slovenský dabing | dabéři"),
        # Polish
        (_T, "tytuł"),
        (_NATIVE, "tytuł oryginalny | tytuł oryg"),
        (_ALT, "inne tytuły | tytuły alternatywne"),
        (_D, "reżyseria | reżyser"),
        (_W, "scenariusz | scenarzysta"),
        (_CASTS, "obsada | aktorzy | występują | obsada aktorska"),
        ((PRODUCER,), "producent | produkcja wykonawcza"),
        ((COMPOSER,), "muzyka"),
        ((CINEMATOGRAPHER,), "zdjęcia"),
        ((EDITOR,), "montaż"),
        (_GENRE, "gatunek | gatunki"),
        (_COUNTRY, "produkcja | kraj | kraj produkcji | kraje"),
        (_LANGUAGE, "język | język oryginalny"),
        (_DATE, "premiera | premiera świat | data premiery | premiera polska"),
        (_YEAR, "rok produkcji | rok"),
        (_RUNTIME, "czas trwania | czas"),
        (_SCORE, "ocena | średnia ocen | ocena filmwebu | ocena użytkowników"),
        (_VOTES, "liczba ocen | głosów"),
        (_SYNOPSIS, "opis | fabuła | opis filmu"),
        (_NO, "budżet | dystrybucja | studio | nagrody | boxoffice"),
        (_DUB, "dubbing | polski dubbing | głosy (dubbing)"),
        # German
        (_T, "titel | deutscher titel"),
        (_NATIVE, "originaltitel | original-titel | titel im original"),
        (_ALT, "alternativtitel | auch bekannt als | weitere titel | alternativer titel"),
        (_D, "regie | regisseur | regisseurin | inszenierung"),
        (_W, "drehbuch | drehbuchautor"),
        (_CASTS, "darsteller | besetzung | schauspieler | hauptdarsteller | darstellerinnen"),
        ((PRODUCER,), "produzent | produzenten"),
        ((COMPOSER,), "musik | filmmusik"),
        ((CINEMATOGRAPHER,), "kamera | bildgestaltung"),
        ((EDITOR,), "schnitt | montage"),
        (_GENRE, "genre | genres | kategorie"),
        (_COUNTRY, "produktionsland | produktionsländer | land | länder | herkunftsland"),
        (_LANGUAGE, "sprache | originalsprache | sprachen"),
        (
            _DATE,
            "kinostart | erstausstrahlung | premiere | veröffentlichung |"
            " erscheinungsdatum | deutschlandstart | uraufführung",
        ),
        (_YEAR, "produktionsjahr | erscheinungsjahr | jahr | entstehungsjahr"),
        (_RUNTIME, "laufzeit | länge | dauer | spieldauer | spielzeit"),
        (_CERT, "fsk | altersfreigabe | freigabe | altersfreigabe (fsk)"),
        (_SCORE, "bewertung | nutzerwertung | wertung | durchschnittliche bewertung"),
        (_SYNOPSIS, "handlung | inhalt | kurzbeschreibung"),
        (_BOX, "einspielergebnis"),
        (
            _NO,
            "produktion | verleih | budget | produktionsfirma | studio | drehorte | auszeichnungen",
        ),
        (
            _DUB,
            "synchronsprecher | synchronisation | deutsche synchronstimmen |"
            " synchronstimmen | deutsche stimmen | synchronsprecherinnen",
        ),
        # French
        (_T, "titre | titre français"),
        (_NATIVE, "titre original | titre en vo"),
        (_ALT, "autres titres | titre alternatif | aussi connu sous le nom de"),
        (
            _D,
            # AlloCiné's "De Céline Sciamma" row: "de" alone names the director
            "réalisation | réalisateur | réalisatrice | réalisé par | réalisateurs |"
            " mise en scène | de",
        ),
        (_W, "scénario | scénariste | scénaristes | écrit par"),
        (
            _CASTS,
            "avec | acteurs | actrices | interprètes | acteurs et actrices |"
            " distribution des rôles | acteurs principaux",
        ),
        ((PRODUCER,), "producteur | producteurs | productrice"),
        ((COMPOSER,), "musique | compositeur | musique originale"),
        ((CINEMATOGRAPHER,), "directeur de la photographie | photographie"),
        ((EDITOR,), "montage"),
        (_GENRE, "genre | genres"),
        (_COUNTRY, "nationalité | nationalités | pays | pays de production | origine"),
        (_LANGUAGE, "langue | langues | langue originale | langue d'origine"),
        (
            _DATE,
            "date de sortie | sortie | sortie en salles | date de sortie en salle |"
            " première diffusion | date de première diffusion",
        ),
        (_YEAR, "année de production | année | année de sortie"),
        (_RUNTIME, "durée"),
        (_CERT, "interdiction | classification"),
        (
            _SCORE,
            "note moyenne | note des spectateurs | notes des spectateurs | note spectateurs |"
            " note presse | note des internautes | note des lecteurs | note de la rédaction |"
            " notre note | ma note | note globale",
        ),
        (_SYNOPSIS, "synopsis | résumé"),
        (_BOX, "box office | box-office | entrées"),
        (
            _NO,
            "distributeur | récompenses | secrets de tournage | budget |"
            " format production | couleur | format audio | format de projection |"
            " n° de visa | date de sortie dvd | date de sortie blu-ray | date de sortie vod |"
            " date de reprise | société de production | tournage",
        ),
        (
            _DUB,
            "doublage | voix françaises | voix françaises (vf) | voix québécoises |"
            " comédiens de doublage",
        ),
        (_KIND, "type de film | type"),
        # Spanish
        (_T, "título"),
        (_NATIVE, "título original"),
        (_ALT, "otros títulos | también conocida como | título alternativo"),
        (_D, "dirección | director | directora | dirigida por | directores"),
        (_W, "guion | guión | guionista | guionistas | escrita por"),
        (_CASTS, "reparto | intérpretes | elenco | protagonistas | actores"),
        ((PRODUCER,), "producción | productor | productores"),
        ((COMPOSER,), "música | banda sonora"),
        ((CINEMATOGRAPHER,), "fotografía | director de fotografía"),
        ((EDITOR,), "montaje | edición"),
        (_GENRE, "género | géneros"),
        (_COUNTRY, "país | países | nacionalidad"),
        (_LANGUAGE, "idioma | idiomas | idioma original"),
        (
            _DATE,
            "fecha de estreno | estreno | fecha de lanzamiento | lanzamiento | estreno en cines",
        ),
        (_YEAR, "año | año de producción"),
        (_RUNTIME, "duración"),
        (_CERT, "calificación | clasificación | calificación por edades"),
        (_SCORE, "nota | puntuación | valoración | nota media"),
        (_VOTES, "votos"),
        (_SYNOPSIS, "sinopsis | argumento de la película"),
        (_BOX, "recaudación | taquilla"),
        (_NO, "productora | distribuidora | presupuesto | premios | compañías"),
        (_DUB, "doblaje | actores de doblaje | doblaje al español | voces de doblaje"),
        # Italian
        (_T, "titolo"),
        (_NATIVE, "titolo originale"),
        (_ALT, "altri titoli | titolo alternativo | conosciuto anche come"),
        (_D, "regia | regista | diretto da"),
        (_W, "sceneggiatura | sceneggiatori | soggetto | scritto da"),
        (_CASTS, "interpreti | attori | cast | interpreti e personaggi"),
        ((PRODUCER,), "produttore | produttori | prodotto da"),
        ((COMPOSER,), "musiche | musica | colonna sonora"),
        ((CINEMATOGRAPHER,), "fotografia | direttore della fotografia"),
        ((EDITOR,), "montaggio"),
        (_GENRE, "genere | generi"),
        (_COUNTRY, "paese | paese di produzione | nazionalità | nazione"),
        (_LANGUAGE, "lingua | lingua originale"),
        (_DATE, "uscita | data di uscita | uscita al cinema | prima visione"),
        (_YEAR, "anno | anno di produzione | anno di uscita"),
        (_RUNTIME, "durata"),
        (_CERT, "divieto | censura"),
        (_SCORE, "voto | voto medio | giudizio | valutazione"),
        (_SYNOPSIS, "trama | sinossi"),
        (_BOX, "incasso | box office italia"),
        (_NO, "distribuzione | produzione | casa di produzione | budget | premi"),
        (
            _DUB,
            "doppiatori italiani | doppiaggio | doppiatori | voci italiane | doppiatori originali",
        ),
        # Portuguese
        (_T, "título em português"),
        (_NATIVE, "título original | título no brasil"),
        (_ALT, "outros títulos | também conhecido como"),
        (_D, "direção | realização | diretor | realizador | dirigido por"),
        (_W, "roteiro | roteirista | roteiristas | guião"),
        (_CASTS, "elenco | atores | intérpretes | elenco principal"),
        ((PRODUCER,), "produção | produtor | produtores"),
        ((COMPOSER,), "música | trilha sonora"),
        ((CINEMATOGRAPHER,), "fotografia | direção de fotografia"),
        ((EDITOR,), "montagem | edição"),
        (_GENRE, "gênero | género | gêneros | géneros"),
        (_COUNTRY, "país | países | país de origem | nacionalidade"),
        (_LANGUAGE, "idioma | língua | idioma original | língua original"),
        (_DATE, "estreia | lançamento | data de lançamento | data de estreia"),
        (_YEAR, "ano | ano de produção | ano de lançamento"),
        (_RUNTIME, "duração"),
        (_CERT, "classificação | classificação indicativa"),
        (_SCORE, "nota | avaliação | classificação dos usuários"),
        (_SYNOPSIS, "sinopse | enredo"),
        (_BOX, "bilheteria | bilheteira | receita"),
        (_NO, "distribuição | orçamento | distribuidora | produtora | prêmios"),
        (_DUB, "dublagem | dobragem | vozes (dublagem) | dubladores | elenco de dublagem"),
        # Turkish
        (_T, "film adı | türkçe adı"),
        (_NATIVE, "orijinal adı | orijinal ismi | orijinal ad"),
        (_ALT, "diğer adları"),
        (_D, "yönetmen | yönetmenler"),
        (_W, "senarist | senaryo | senaristler"),
        (_CASTS, "oyuncular | oyuncu | başroldekiler | başrol"),
        ((PRODUCER,), "yapımcı | yapımcılar"),
        ((COMPOSER,), "müzik"),
        ((CINEMATOGRAPHER,), "görüntü yönetmeni"),
        ((EDITOR,), "kurgu"),
        (_GENRE, "tür | türü | türler | film türü"),
        (_COUNTRY, "ülke | yapım ülkesi | ülkeler"),
        (_LANGUAGE, "dil | orijinal dil"),
        (_DATE, "vizyon tarihi | gösterim tarihi | yayın tarihi | vizyona giriş"),
        (_YEAR, "yapım yılı | yıl"),
        (_RUNTIME, "süre | süresi"),
        (_SCORE, "puan | imdb puanı | kullanıcı puanı"),
        (_SYNOPSIS, "konu | özet"),
        (_NO, "yapım şirketi | dağıtım | bütçe | dağıtımcı"),
        (_DUB, "dublaj | türkçe dublaj"),
        # Dutch, Scandinavian, Hungarian, Vietnamese, Indonesian
        (_NATIVE, "originele titel | originaltitel | eredeti cím | tên gốc | judul asli"),
        (_D, "regie | regisseur | regi | ohjaus | instruktør | rendező | đạo diễn | sutradara"),
        (
            _W,
            "scenario | manus | käsikirjoitus | manuskript | forgatókönyv | forgatókönyvíró |"
            " biên kịch | penulis skenario",
        ),
        (
            _CASTS,
            "rolverdeling | skådespelare | pääosissa | medvirkende | skuespillere |"
            " szereplők | főszereplők | diễn viên | pemeran | pemain",
        ),
        (_GENRE, "genre | sjanger | lajityyppi | műfaj | thể loại"),
        (_COUNTRY, "land | maa | ország | quốc gia | negara"),
        (_LANGUAGE, "taal | språk | kieli | nyelv | ngôn ngữ | bahasa"),
        (
            _DATE,
            "première | premiär | ensi-ilta | premiere | bemutató | khởi chiếu |"
            " ngày phát hành | tanggal rilis",
        ),
        (_YEAR, "jaar | år | vuosi | gyártási év | év | năm | năm phát hành | tahun"),
        (
            _RUNTIME,
            "speelduur | duur | längd | kesto | spilletid | játékidő | hossz | thời lượng | durasi",
        ),
        (
            _DUB,
            "nasynchronisatie | dubbning | szinkron | szinkronhangok | magyar hangok |"
            " lồng tiếng | sulih suara",
        ),
    )
)

_PARENTHETICAL = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_TRAILING_PUNCT = re.compile(r"[\s:：\-–—=»>.]+$")
_LEADING_PUNCT = re.compile(r"^[\s•·*\-–—]+")
_COMPOSITE_SEPARATORS = re.compile(r"\s*(?:&|/|,|\+|\band\b|\by\b|\bи\b|\bund\b|\bet\b)\s*")
# A label that mentions dubbing names dubbing voices whatever else it says: "Voices
# (dubbing)", "German dub cast", "Роли дублировали", "Doppiatori italiani".
_DUBBING_WORDS = re.compile(
    r"\bdub(?:s|bing|bed|ber|bers)?\b|doublage|doblaje|doppia(?:t|gg)|synchron|\bdabing|"
    r"dublagem|dobragem|dublaj|dubbning|szinkron|дубл|吹き?替|더빙|lồng tiếng|sulih suara"
)
_OWN_RATING = re.compile(
    r"^(?:our|my|the|final|overall|total|users?'?|members?'?|readers?'?|viewers?'?|"
    r"audience|editor'?s?|reviewer'?s?)\s+(?:rating|score|verdict|grade|mark)s?$"
)
# Labels are short; anything longer is a sentence that happens to contain a colon.
MAX_LABEL_CHARS = 40


def normalise_label(text: str) -> str:
    """``"  Writers (WGA):"`` -> ``"writers"``; the key form of :data:`LABELS`."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    text = _LEADING_PUNCT.sub("", text)
    text = _TRAILING_PUNCT.sub("", text)
    return " ".join(text.split()).lower()


# Chinese and Japanese labels are spaced out to align them ("片　　長", "類　　型"): one
# word. (Korean separates words with spaces: "관람 등급" keeps its space.)
_CJK_SPACING = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff])\s+(?=[\u3040-\u30ff\u3400-\u9fff])")


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
    if label not in LABELS:
        label = _CJK_SPACING.sub("", label)
    found = LABELS.get(label)
    if found is not None:
        return found
    if _DUBBING_WORDS.search(label):
        return (DUBBING,)
    # "Writers (WGA)", "Premiere (world)", "Release Date(s)"
    bare = _TRAILING_PUNCT.sub("", _PARENTHETICAL.sub(" ", label)).strip()
    if bare != label and (found := LABELS.get(bare)) is not None:
        return found
    # "Our verdict", "Final score", "Users' rating": a rating, however the site words it.
    if _OWN_RATING.match(bare):
        return ("rating",)
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
