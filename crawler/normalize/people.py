"""Person names: a clean display form, and a key under which one person's spellings meet.

``clean_person_name`` (display form stored in ``credits.person`` and fact values):

* whitespace and invisible characters cleaned (:func:`~crawler.normalize.text.clean_inline`);
* trailing role notes dropped: ``Peter Weir (director)``, ``Jeb Stuart (screenplay) ...``,
  ``Ryoo Seung-Ryong (류승룡)``, ``[uncredited]``;
* a library-style inversion turned round: ``Weir, Peter`` -> ``Peter Weir``; but when the
  part before the comma is a known East Asian surname the order is already family-given
  and only the comma goes (``Kim, Jung-Tae`` -> ``Kim Jung-Tae``); ``Downey, Jr.`` stays;
* the case changed only when the page shouts or whispers (all upper or all lower case):
  ``PARK SHIN-HYE`` -> ``Park Shin-Hye``, ``peter weir`` -> ``Peter Weir``, with
  particles such as ``van``/``de``/``von`` kept lower inside a name. Mixed case is the
  page's choice and is kept (``McDonald``, ``Park Shin-hye``). A one-word all-caps name
  of up to three letters (``IU``) is a stage name and is kept.

``person_key`` (matching key, never shown) is built from the display form:

1. **Fold**: NFKC, case-fold, Latin/Greek/Cyrillic diacritics stripped (``Ō`` -> ``o``,
   ``é`` -> ``e``; Japanese voicing marks are kept), dotless ``ı`` -> ``i``.
2. **Tokens** are the whitespace-separated words; inside a token everything but letters
   and digits goes, so ``Seung-Ryong``, ``Seung-ryong`` and ``Seungryong`` are one token
   ``seungryong``. A token written with a hyphen is a given name, never a surname
   (unless, joined up, it is a surname itself: ``Kore-eda``).
3. **East Asian names**. When the first or last token is a known surname (about 90
   Korean surnames with their romanisations, the commonest Chinese, Hong Kong/Cantonese
   and Japanese ones):

   * Korean romanisations collapse to one form: Ryoo/Ryu/Yoo/Yu/You/Lyu -> ``ryu``,
     Lee/Yi/Rhee/Ri/I -> ``lee``, Park/Pak/Bak -> ``park``, Choi/Choe -> ``choi``,
     Jung/Jeong/Chung -> ``jeong``, Kim/Gim -> ``kim``, Oh/O -> ``oh``, Kal/Gal -> ``gal``,
     Shin/Sin -> ``shin`` ... and Japanese long vowels fold (Itou/Itoh -> ``ito``).
   * The family name goes first, so ``Seung-ryong Ryu`` and ``Ryoo Seung-Ryong`` meet.
     When both ends of a two-word name are surnames (``Jin Kim``), the family name is
     the commoner one (a top-20 Korean or top-10 Chinese surname) when exactly one of
     them is, else the first token; a name of three or more words with a surname first
     is family-first (``Ryoo Aa Seo``: the given name written in syllables).
   * Given names are **not** folded syllable by syllable (Jung/Jeong, Seok/Suk inside a
     given name stay distinct): doing so would merge different people such as
     ``Kim Jung-Min`` and ``Kim Jeong-Min`` when they are not the same, and the
     romanisations that the brief's sites mix are surname and hyphenation variants.
4. The key is the tokens concatenated: ``ryuseungryong``, ``parkshinhye``,
   ``peterweir``, ``kimjungtae``. Western names are never reordered (only their
   ``Last, First`` inversion is undone in step 0), so they keep their written order.

Distinct people stay apart: ``Kim Jung-Tae`` (``kimjungtae``) vs ``Kim Jung-Min``,
``Park Shin-Hye`` vs ``Park Won-Sang``. Known costs: Korean Ryu and Yu (two surnames
in South Korean usage) share ``ryu``, so ``Yoo Seung-ho`` and a ``Ryu Seung-ho`` would
collide; abbreviated names (``Park W.S``) get their own key (``parkws``).

The key is a fixed point (``person_key(person_key(x)) == person_key(x)``), stable, and
unchanged by case or spacing changes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crawler.normalize.text import clean_inline

__all__ = [
    "clean_person_name",
    "fold_key_text",
    "is_east_asian_surname",
    "person_key",
    "spellings",
]


def _words(text: str) -> list[str]:
    """Word lists are kept as prose: 60 quoted items per line would hide the content."""
    return text.split()


_KOREAN_SURNAMES: dict[str, str] = {}
for _canonical, _variants in (
    ("kim", "kim gim ghim"),
    ("lee", "lee yi rhee rhie ri i lie"),
    ("park", "park pak bak bahk pack"),
    ("choi", "choi choe chwe"),
    ("jeong", "jeong jung chung cheong joung"),
    ("kang", "kang gang"),
    ("jo", "jo cho joe zo"),
    ("yoon", "yoon yun youn"),
    ("jang", "jang chang zang"),
    ("lim", "lim im rim yim"),
    ("han", "han"),
    ("oh", "oh o"),
    ("seo", "seo suh sur"),
    ("shin", "shin sin shinn"),
    ("kwon", "kwon gwon kweon"),
    ("hwang", "hwang whang"),
    ("ahn", "ahn an"),
    ("song", "song"),
    ("jeon", "jeon jun chun chon"),
    ("hong", "hong"),
    ("ryu", "ryu ryoo yoo yu you lyu ryou yuh"),
    ("ko", "ko go koh"),
    ("moon", "moon mun"),
    ("yang", "yang ryang"),
    ("son", "son sohn"),
    ("bae", "bae pae bai"),
    ("baek", "baek paik baik paek back"),
    ("heo", "heo hur huh her"),
    ("nam", "nam"),
    ("shim", "shim sim"),
    ("noh", "noh no roh ro"),
    ("ha", "ha"),
    ("kwak", "kwak gwak"),
    ("seong", "seong sung"),
    ("cha", "cha"),
    ("joo", "joo ju chu"),
    ("woo", "woo u"),
    ("koo", "koo ku gu"),
    ("min", "min"),
    ("jin", "jin chin"),
    ("ji", "ji chi"),
    ("eom", "eom uhm um"),
    ("chae", "chae"),
    ("won", "won"),
    ("bang", "bang pang"),
    ("gong", "gong kong"),
    ("hyun", "hyun hyeon"),
    ("ham", "ham"),
    ("byun", "byun byeon pyun"),
    ("yeom", "yeom yum"),
    ("seok", "seok suk"),
    ("seol", "seol sul"),
    ("gil", "gil kil"),
    ("pyo", "pyo"),
    ("myung", "myung myeong"),
    ("ki", "ki gi"),
    ("wang", "wang"),
    ("geum", "geum keum"),
    ("yook", "yook yuk"),
    ("maeng", "maeng"),
    ("tak", "tak"),
    ("kook", "kook guk"),
    ("yeo", "yeo yoh"),
    ("do", "do doh"),
    ("so", "so"),
    ("ma", "ma"),
    ("gal", "gal kal"),
    ("namgoong", "namgoong namkoong namgung namkung"),
    ("sunwoo", "sunwoo seonwoo"),
    ("hwangbo", "hwangbo"),
    ("jegal", "jegal"),
    ("dokgo", "dokgo"),
):
    for _variant in _variants.split():
        _KOREAN_SURNAMES[_variant] = _canonical

_CHINESE_SURNAMES = frozenset(
    _words(
        "wang li zhang liu chen huang zhao wu zhou xu sun zhu hu guo he lin luo gao zheng "
        "liang xie tang feng deng cao peng zeng xiao tian dong pan yuan cai jiang jia "
        "chan wong leung cheung lau lam chow ng tsui yip kwan tse fung tsang tsai hsu hou "
        "lai mak tam"
    )
)
_JAPANESE_SURNAMES: dict[str, str] = {}
for _name in _words(
    "sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida "
    "yamada sasaki yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori abe "
    "ikeda hashimoto yamashita ishikawa nakajima maeda fujita ogawa goto okada hasegawa "
    "murakami kondo ishii saito sakamoto endo aoki fujii nishimura fukuda ota miura "
    "fujiwara okamoto matsuda nakagawa kurosawa miyazaki kitano koreeda ozu mizoguchi "
    "miike shinkai hosoda iwai kawase ichikawa komatsu oshii kon imamura takeshi ono "
    "oshima hamaguchi sono tsukamoto takahata anno nakashima yamada kitamura kiyosawa "
    "matsuoka sakai ikematsu ando kikuchi hirose nagasawa ayase aragaki ishihara"
):
    _JAPANESE_SURNAMES[_name] = _name
    # Long vowels written out: Itou, Itoh, Oota, Ohta ... all mean the same name.
    for _long in ("ou", "oh"):
        if _name.endswith("o"):
            _JAPANESE_SURNAMES[_name[:-1] + _long] = _name
    if _name.startswith("o"):
        _JAPANESE_SURNAMES["oo" + _name[1:]] = _name
        _JAPANESE_SURNAMES["oh" + _name[1:]] = _name

# Japanese entries do not override Korean ones ("ono"/"no", "ito"/"i" differ anyway).
_SURNAMES: dict[str, str] = {
    **{name: name for name in _CHINESE_SURNAMES},
    **_JAPANESE_SURNAMES,
    **_KOREAN_SURNAMES,
}
_COMMON_SURNAMES = frozenset(
    _words(
        "kim lee park choi jeong kang jo yoon jang lim han oh seo shin kwon hwang ahn song "
        "jeon hong wang li zhang liu chen yang huang zhao wu zhou"
    )
)

_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "esq", "esq."})
_PARTICLES = frozenset(
    _words("van von de der den da di del della dos das do du la le y bin ibn ten ter zu")
)
_NOTE_BRACKETS = {")": "(", "]": "[", "）": "（", "】": "【"}
_ALL_BRACKETS = frozenset("()[]（）【】")
_EDGE_PUNCTUATION = " ,;:·-–—\"'“”‘’«»|/"
_WORD_START = re.compile(r"(^|[\s\-'’.])(\w)")
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_NOT_ALNUM = re.compile(r"[\W_]+")


def is_east_asian_surname(token: str) -> bool:
    """Whether a (folded) token is a known Korean, Chinese or Japanese surname."""
    return token in _SURNAMES


def fold_key_text(s: str) -> str:
    """Case- and accent-insensitive form of text for keys (no punctuation removal)."""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = unicodedata.normalize("NFKD", s)
    s = _LATIN_MARKS.sub("", s)
    s = unicodedata.normalize("NFC", s).replace("ı", "i")
    # Case folding of some characters gives text that NFKC changes again (and back).
    return unicodedata.normalize("NFKC", s).casefold()


def _strip_notes(name: str) -> str:
    """Drop trailing notes: "(director)", "[uncredited]", "...", "…", stray punctuation.

    A loop over the tail rather than a regex, so many notes cost linear time.
    """
    while True:
        before = name
        name = name.strip(_EDGE_PUNCTUATION)
        if name.endswith("..."):
            name = name[:-3]
        elif name.endswith("…"):
            name = name[:-1]
        elif name and name[-1] in _NOTE_BRACKETS:
            i = len(name) - 2
            while i >= 0 and name[i] not in _ALL_BRACKETS:
                i -= 1
            if i >= 0 and name[i] == _NOTE_BRACKETS[name[-1]]:
                name = name[:i]
        if name == before:
            return name


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _uninvert(name: str) -> str:
    if name.count(",") != 1:
        return name
    family, given = (part.strip() for part in name.split(","))
    if not _has_letter(family) or not _has_letter(given) or given.casefold() in _SUFFIXES:
        return name
    if len(family.split()) > 3 or len(given.split()) > 3 or any(c.isdigit() for c in name):
        return name
    if fold_key_text(family) in _SURNAMES:
        return f"{family} {given}"
    return f"{given} {family}"


def _recase(name: str) -> str:
    cased = [c for c in name if c.isupper() or c.islower()]
    if len(cased) < 2 or not (all(c.isupper() for c in cased) or all(c.islower() for c in cased)):
        return name
    words = name.split(" ")
    if len(words) == 1 and len(cased) <= 3 and all(c.isupper() for c in cased):
        return name  # IU, BoA-style stage names
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i > 0 and lower in _PARTICLES:
            out.append(lower)
        else:
            # title(), not upper(): "ß".upper() is "SS", which reads back as all caps.
            out.append(_WORD_START.sub(lambda m: m.group(1) + m.group(2).title(), lower))
    return unicodedata.normalize("NFC", " ".join(out))


def _script(char: str) -> str:
    """The writing system of a letter, coarsely: what tells two spellings of a name apart."""
    code = ord(char)
    if code < 0x0250 or 0x1E00 <= code < 0x1F00:
        return "latin"
    if 0x0370 <= code < 0x0400:
        return "greek"
    if 0x0400 <= code < 0x0530:
        return "cyrillic"
    if 0x0590 <= code < 0x0600:
        return "hebrew"
    if 0x0600 <= code < 0x0700:
        return "arabic"
    if 0x0900 <= code < 0x0E00:
        return "indic"
    if 0x0E00 <= code < 0x0E80:
        return "thai"
    if 0x1100 <= code < 0x1200 or 0xAC00 <= code < 0xD7B0 or 0x3130 <= code < 0x3190:
        return "hangul"
    # Han, kana and their punctuation (・) are one script for names: 宮崎・ハヤオ.
    if 0x2E80 <= code < 0xA000 or 0xF900 <= code < 0xFB00 or 0xFF00 <= code < 0xFFF0:
        return "cjk"
    return "other"


def _word_script(word: str) -> str | None:
    scripts = {_script(c) for c in word if c.isalpha()}
    return scripts.pop() if len(scripts) == 1 else None


def spellings(raw: str) -> list[str]:
    """One person's name as a page writes it in two scripts, as two spellings:
    ``克里斯托弗·诺兰 Christopher Nolan`` -> ``["克里斯托弗·诺兰", "Christopher Nolan"]``.
    A name in one script is its only spelling. Name-internal dots (``·``, ``・``,
    ``‧``) never separate anything.

    >>> spellings("克里斯托弗·诺兰 Christopher Nolan")
    ['克里斯托弗·诺兰', 'Christopher Nolan']
    >>> spellings("Peter Weir")
    ['Peter Weir']
    """
    name = _strip_notes(clean_inline(raw))
    words = name.split()
    scripts = [_word_script(word) for word in words]
    if len(words) < 2 or None in scripts:
        return [name] if name else []
    # Runs of words in one script; exactly two runs in different scripts are two spellings.
    runs: list[list[str]] = []
    previous: str | None = None
    for word, script in zip(words, scripts, strict=True):
        if script != previous:
            runs.append([])
            previous = script
        runs[-1].append(word)
    if len(runs) != 2:
        return [name]
    return [" ".join(run) for run in runs]


def _key_spelling(raw: str) -> str:
    """The spelling a matching key is made from: the Latin one when the page gives one,
    so ``克里斯托弗·诺兰 Christopher Nolan`` meets ``Christopher Nolan`` on other sites."""
    found = spellings(raw)
    if len(found) < 2:
        return raw
    latin = [s for s in found if _word_script(s.replace(" ", "")) == "latin"]
    return latin[0] if latin else found[0]


# Pure functions of a name that every page's credits ask again: a site names the same
# people on many pages, and a page names them in its cast, its crew and its comments.
@lru_cache(maxsize=8192)
def clean_person_name(raw: str) -> str:
    """A person's name as it should be displayed ('' when there is none); of a name
    written in two scripts, the spelling the page gives first.

    >>> clean_person_name("Peter Weir (director)")
    'Peter Weir'
    >>> clean_person_name("Weir, Peter")
    'Peter Weir'
    >>> clean_person_name("PARK SHIN-HYE")
    'Park Shin-Hye'
    >>> clean_person_name("克里斯托弗·诺兰 Christopher Nolan")
    '克里斯托弗·诺兰'
    """
    name = _strip_notes(clean_inline(raw))
    found = spellings(name)
    if len(found) > 1:
        name = found[0]
    name = _strip_notes(_uninvert(name))
    return _recase(name)


@lru_cache(maxsize=8192)
def person_key(name: str) -> str:
    """The matching key of a person's name; see the module docstring for the rules.

    >>> person_key("Ryoo Seung-Ryong") == person_key("Seung-ryong Ryu")
    True
    >>> person_key("Weir, Peter")
    'peterweir'
    >>> person_key("克里斯托弗·诺兰 Christopher Nolan")
    'christophernolan'
    """
    words = fold_key_text(clean_person_name(_key_spelling(name))).split()
    tokens = [_NOT_ALNUM.sub("", w) for w in words]
    # A hyphenated word is a Korean given name (Seung-ryong), unless joined up it is a
    # surname itself (Kore-eda).
    hyphenated = [
        ("-" in w or "‐" in w) and t not in _SURNAMES for w, t in zip(words, tokens, strict=True)
    ]
    kept = [(t, h) for t, h in zip(tokens, hyphenated, strict=True) if t]
    if len(kept) < 2:
        return "".join(t for t, _ in kept)
    (first, first_hyphen), (last, last_hyphen) = kept[0], kept[-1]
    first_family = None if first_hyphen else _SURNAMES.get(first)
    last_family = None if last_hyphen else _SURNAMES.get(last)
    names = [t for t, _ in kept]
    if first_family and last_family:
        # Three or more words means a given name written in syllables ("Ryoo Aa Seo",
        # "Park Shin Hye"): that is family-first usage; given-first romanisations join
        # or hyphenate the given name ("Aa-seo Ryoo").
        if (
            len(names) == 2
            and last_family in _COMMON_SURNAMES
            and first_family not in _COMMON_SURNAMES
        ):
            return last_family + "".join(names[:-1])
        return first_family + "".join(names[1:])
    if first_family:
        return first_family + "".join(names[1:])
    if last_family:
        return last_family + "".join(names[:-1])
    return "".join(names)
