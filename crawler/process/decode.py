"""Decode an HTML body to text once, and record how the encoding was decided.

Every later step (extraction, language detection, fingerprints) sees the text this
module produces, so a wrong guess here silently corrupts the whole record. The order
is the one browsers use (BOM, HTTP header, ``<meta>``, detection; WHATWG Encoding and
HTML standards), with two differences that matter for archived and badly configured
sites:

* Declarations are verified. A declared codec is kept only when it decodes the body
  with at most :data:`ACCEPTABLE_REPLACEMENT` of the non-ASCII characters lost, when
  its reading is not mojibake while the detected codec reads cleanly (the classic
  windows-1251 declared over KOI8-R bytes decodes without a single error), and, for
  a CJK codec, when no other CJK codec gives strong script evidence against it.
  A UTF-8 declaration may lose up to :data:`DAMAGED_UTF8_REPLACEMENT`: a page that
  is UTF-8 with a few broken sequences is still UTF-8.
  Otherwise the next source is tried and :attr:`DecodedPage.note` says why.
* Valid UTF-8 beats a legacy declaration. A body with non-ASCII bytes that decodes as
  UTF-8 (at most :data:`ACCEPTABLE_REPLACEMENT` of its non-ASCII characters
  undecodable, so it has multi-byte sequences) is decoded as UTF-8 even when the
  header or meta names a legacy codec (IMDb's 2014 pages say iso-8859-1 and carry
  UTF-8 titles).
  Legacy text almost never forms valid UTF-8 by accident: in single-byte codecs a
  letter at 0xC0-0xFF would have to be followed by a byte in 0x80-0xBF, in
  EUC/GBK/Big5 text a lead byte in 0xC2-0xF4 would have to be followed by exactly
  the right number of bytes in 0x80-0xBF; such a body is either UTF-8 or already
  mojibake. WHATWG would trust the declaration; we trust the bytes.

Detection (charset-normalizer) sees a bounded sample: the first 64 KiB plus 16 KiB
from the middle and the end, with tags, scripts and styles stripped so that prose,
not markup, decides. Whole-body work is limited to C-speed passes (``isascii``,
decoding, counting), so a 20 MB body decodes in linear time.

Detectors confuse the EUC-style CJK codecs with each other (EUC-JP and Shift_JIS
bytes also decode as EUC-KR/CP949 or GB18030). :func:`_detect` therefore decodes
the sample with every CJK codec and judges each reading by its script: Japanese prose
always has kana, Korean prose is almost all KS X 1001 Hangul syllables; only when
neither holds (kanji-only Japanese, Chinese) does the least messy clean reading win.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from charset_normalizer import from_bytes

# mess_ratio is one of charset-normalizer's documented developer interfaces (its API
# docs, "Mess Detector").
from charset_normalizer.md import mess_ratio
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
    to_unicode,
)

from crawler.process.cjk_frequent import FREQUENT_CHARACTERS

__all__ = [
    "ACCEPTABLE_REPLACEMENT",
    "DAMAGED_UTF8_REPLACEMENT",
    "DecodedPage",
    "decode_html",
    "sniff_content_kind",
]

#: Share of non-ASCII characters a codec may fail to decode and still be accepted. A
#: stray byte or a truncated last character must not reject a correct declaration; a
#: wrong codec fails on most non-ASCII characters, not on one in fifty.
ACCEPTABLE_REPLACEMENT = 0.02
#: A UTF-8 declaration is kept for a body with up to this share of its non-ASCII
#: characters undecodable: damaged UTF-8 (a broken sequence, the raw bytes of a lone
#: surrogate) stays UTF-8, with its U+FFFD counted in ``replacement_ratio``, instead of
#: turning every correct character into windows-1252 mojibake. Legacy bytes declared
#: as UTF-8 lose nearly all of theirs (every accented letter, every CJK character).
DAMAGED_UTF8_REPLACEMENT = 0.1

_HEAD_SAMPLE = 64 * 1024
_LATER_CHUNK = 16 * 1024
_META_SCAN = 4096

_REPLACEMENT = "\ufffd"
_UTF8_REPLACEMENT_BYTES = _REPLACEMENT.encode()

# Browser labels (WHATWG Encoding Standard) that Python's codec registry and w3lib do
# not know (a selection: legacy spellings of the encodings we support).
_EXTRA_LABELS = {
    "x-euc-jp": "euc_jp",
    "windows-949": "cp949",
    "cseuckr": "cp949",
    "iso-ir-149": "cp949",
    "x-gbk": "gb18030",
    "csgb2312": "gb18030",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
    "x-cp1252": "cp1252",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-roman": "mac-roman",
    "iso-8859-8-i": "iso8859-8",
    "koi8-ru": "koi8-u",
    "dos-866": "cp866",
    "unicode-1-1-utf-8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "unicode": "utf-16-le",
    "ucs-2": "utf-16-le",
}
_UTF16_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be"})

_JAPANESE = ("cp932", "euc_jp")
_KOREAN = ("cp949",)
_CHINESE = ("gb18030", "big5hkscs")
_CJK = frozenset(_JAPANESE + _KOREAN + _CHINESE)
# What detection may answer: the encodings of the WHATWG Encoding Standard, i.e. the
# ones browsers support and web pages are written in. Detectors also propose DOS and
# Mac code pages or Johab, which fit a short sample by accident.
_WEB_CODECS = _CJK | frozenset(
    {"utf-8", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "iso2022_jp"}
    | {f"cp{number}" for number in range(1250, 1259)}
    | {f"iso8859-{number}" for number in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}
)
# Detector names folded onto the codec of the same family that browsers use.
_FAMILY = {
    "euc_jis_2004": "euc_jp",
    "euc_jisx0213": "euc_jp",
    "shift_jis": "cp932",
    "shift_jis_2004": "cp932",
    "shift_jisx0213": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
}

_SINGLE_BYTE_DETECTABLE = sorted(_WEB_CODECS - _CJK - {"utf-8", "iso2022_jp"})
_DETECTABLE = sorted(_WEB_CODECS | set(_FAMILY))

_LABEL_RE = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_META_LABEL_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_NON_PROSE_RE = re.compile(
    rb"<script\b.*?(?:</script\s*>|$)|<style\b.*?(?:</style\s*>|$)|<!--.*?(?:-->|$)|<[^>]*>?",
    re.IGNORECASE | re.DOTALL,
)
_SPACES_RE = re.compile(rb"\s{2,}")
_CUT_RE = re.compile(rb"[<\n]")
_ISO2022JP_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I")

_KANA_RE = re.compile("[\u3041-\u3096\u30a1-\u30fa]")
_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL_RE = re.compile("[\uac00-\ud7a3]+")
_JAMO_RE = re.compile("[\u1100-\u11ff\u3130-\u318f\uff61-\uff9f]")
_HIGH_RUN_RE = re.compile(rb"[\x80-\xff]{2}")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# C0 controls XML forbids (all but tab, LF and CR), and numeric character references,
# which the HTML parser turns into the characters they name.
_XML_FORBIDDEN_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f]")
# NUL, the controls XML forbids and lone surrogates: whatever ``_page`` must replace.
_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_NUMERIC_REFERENCE_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_HTML_SPACE_CONTROLS = frozenset({0x0B, 0x0C})  # whitespace to HTML: VT and FF


def _without_controls(text: str) -> str:
    """``text`` without the C0 controls XML forbids, written or as ``&#7;``.

    They are never text, and lxml cannot serialise a tree that holds one: a single
    bell character made trafilatura drop a page's whole main text. VT and FF, which
    HTML reads as whitespace, become spaces.
    """
    if _XML_FORBIDDEN_RE.search(text):
        text = _XML_FORBIDDEN_RE.sub(
            lambda m: " " if ord(m.group()) in _HTML_SPACE_CONTROLS else "", text
        )
    return _without_control_references(text)


def _without_control_references(text: str) -> str:
    """``text`` without numeric references to the C0 controls XML forbids."""
    if "&#" in text:
        text = _NUMERIC_REFERENCE_RE.sub(_drop_control_reference, text)
    return text


def _drop_control_reference(match: re.Match[str]) -> str:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if 0 < code < 0x20 and code not in (0x09, 0x0A, 0x0D):
        return " " if code in _HTML_SPACE_CONTROLS else ""
    return match.group()


# Script thresholds, as shares of the CJK characters in a reading. Japanese prose is
# 30-60 % kana (particles, inflections); Chinese text quoting a Japanese name stays far
# below 10 %. Korean prose is over 90 % Hangul syllables; Chinese or Japanese bytes read
# as CP949 gave 40-60 % on our fixtures and the xinhuanet page.
_MIN_KANA_SHARE = 0.1
_MIN_HANGUL_SHARE = 0.8
_MIN_SCRIPT_SHARE = 0.8
# Korean prose: the 26 most frequent syllables are a quarter or more of the CJK
# characters; random KS X 1001 syllables hit them about 1 % of the time.
_MIN_FREQUENT_HANGUL_SHARE = 0.1
# A legacy declaration is overridden only when its reading is this messy
# (charset-normalizer's mess ratio) and the detected codec reads cleanly; strong
# script evidence must itself read with little mess.
_MESSY = 0.15
_CLEAN = 0.02
_STRONG_MAX_MESS = 0.1
_MESS_SAMPLE_CHARS = 32 * 1024


@dataclass(frozen=True, slots=True)
class DecodedPage:
    """An HTML body as text, with the evidence for the codec that produced it.

    ``encoding`` is the Python codec actually used (``codecs.lookup`` spelling), i.e.
    the WHATWG superset a browser uses for the declared label: ``cp1252`` for
    iso-8859-1, ``cp949`` for EUC-KR, ``cp932`` for Shift_JIS, ``gb18030`` for GB2312
    and GBK, ``big5hkscs`` for Big5. ``source`` is ``bom``, ``header``, ``meta``,
    ``detected`` (chosen from the bytes: valid UTF-8, pure ASCII or the detector) or
    ``fallback`` (no candidate decoded acceptably; the least damaging one was used).
    ``replacement_ratio`` is the share of non-ASCII characters in ``text`` that are
    U+FFFD (0.0 for pure ASCII). ``declared`` is the codec the header, or failing that
    the meta tag, declared (resolved like ``encoding``); ``note`` says why a declaration
    was not used ('' otherwise).
    """

    text: str
    encoding: str
    source: str
    replacement_ratio: float
    declared: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class _Reading:
    """One codec's decoding of the whole body and how much of it was lost."""

    encoding: str
    text: str
    errors: int
    non_ascii: int

    @property
    def error_share(self) -> float:
        return self.errors / self.non_ascii if self.non_ascii else 0.0

    @property
    def acceptable(self) -> bool:
        return self.error_share <= ACCEPTABLE_REPLACEMENT


def decode_html(body: bytes, content_type: str | None = None) -> DecodedPage:
    """Decode an HTML response body, deciding the encoding once and saying how.

    Never raises, for any bytes and any header string. The text never contains NUL
    or lone surrogates (both become U+FFFD), nor the other C0 controls XML forbids,
    written or as numeric references (dropped; vertical tab and form feed become
    spaces).

    >>> page = decode_html("Caf\\u00e9".encode("cp1252"), "text/html; charset=latin-1")
    >>> (page.text, page.encoding, page.source)
    ('Café', 'cp1252', 'header')
    """
    try:
        return _decode(bytes(body), content_type)
    except Exception as exc:  # a decoding helper failing must not cost the page
        return _page(_reading(bytes(body), "utf-8"), "fallback", None, f"error: {exc!r}")


def _decode(body: bytes, content_type: str | None) -> DecodedPage:
    header = _header_codec(content_type)
    meta = _meta_codec(body)
    declared = header or meta
    if not body:
        return DecodedPage("", header or "utf-8", "header" if header else "fallback", 0.0, declared)

    bom_codec, bom = read_bom(body)
    if bom_codec is not None and bom is not None:
        note = f"BOM overrides declared {declared}" if declared and declared != bom_codec else ""
        return _page(_reading(body[len(bom) :], bom_codec), "bom", declared, note)

    if body.isascii():
        return _decode_ascii(body, header, meta, declared)

    # Non-ASCII, so an acceptable UTF-8 reading has valid multi-byte sequences in
    # (nearly) every place a high byte occurs: that is UTF-8, whatever was declared.
    utf8 = _reading(body, "utf-8")
    if utf8.acceptable:
        if declared in (None, "utf-8"):
            source = "header" if header == "utf-8" else "meta" if meta == "utf-8" else "detected"
            return _page(utf8, source, declared)
        return _page(
            utf8,
            "detected",
            declared,
            f"declared {declared} but the body is valid UTF-8 with multi-byte sequences"
            if not utf8.errors
            else f"declared {declared} but the body is UTF-8 with multi-byte sequences"
            f" ({utf8.errors} undecodable)",
        )

    sample = _prose_sample(body)
    readings: list[_Reading] = [utf8]
    reasons: list[str] = []
    for source, codec in (("header", header), ("meta", meta)):
        if codec is None or (source == "meta" and codec == header):
            continue
        reading = utf8 if codec == "utf-8" else _reading(body, codec)
        readings.append(reading)
        problem = _declaration_problem(reading, sample)
        if problem is None:
            return _page(reading, source, declared, "; ".join(reasons))
        reasons.append(f"{source} charset {codec} {problem}")

    detected = _detect(sample)
    if detected is not None:
        known = [r for r in readings if r.encoding == detected]
        reading = known[0] if known else _reading(body, detected)
        readings.append(reading)
        if reading.acceptable:
            return _page(reading, "detected", declared, "; ".join(reasons))
        reasons.append(f"detected {detected} loses {reading.error_share:.0%}")

    readings.append(_reading(body, "cp1252"))
    best = min(readings, key=lambda r: r.error_share)
    reasons.append(f"no codec decoded cleanly; least loss with {best.encoding}")
    return _page(best, "fallback", declared, "; ".join(reasons))


def _decode_ascii(
    body: bytes, header: str | None, meta: str | None, declared: str | None
) -> DecodedPage:
    """Pure ASCII reads the same in every ASCII-compatible codec; only 7-bit
    ISO-2022-JP (kanji behind escape sequences) and UTF-16 declarations differ."""
    if any(escape in body for escape in _ISO2022JP_ESCAPES):
        reading = _reading(body, "iso2022_jp")
        if reading.errors == 0:
            source = "header" if header == "iso2022_jp" else "meta" if meta == "iso2022_jp" else ""
            return _page(reading, source or "detected", declared)
    for source, codec in (("header", header), ("meta", meta)):
        if codec is None or codec == "iso2022_jp":
            continue
        reading = _reading(body, codec)
        if _declaration_problem(reading, b"") is None:
            return _page(reading, source, declared)
    note = f"declared {declared} does not fit an ASCII body" if declared else ""
    return _page(_reading(body, "utf-8"), "detected", declared, note)


def _page(reading: _Reading, source: str, declared: str | None, note: str = "") -> DecodedPage:
    text = reading.text
    if _UNSAFE_RE.search(text) is None:  # most pages: one scan instead of three
        text = _without_control_references(text)
    else:
        text = _without_controls(text.replace("\x00", _REPLACEMENT))
        if _SURROGATE_RE.search(text):
            text = _SURROGATE_RE.sub(_REPLACEMENT, text)
    replaced = text.count(_REPLACEMENT)
    ratio = replaced / _non_ascii_count(text) if replaced else 0.0
    return DecodedPage(text, reading.encoding, source, round(ratio, 6), declared, note)


def _reading(body: bytes, codec: str) -> _Reading:
    text = to_unicode(body, codec)  # U+FFFD for undecodable bytes; GB18030 0x80 is €
    errors = text.count(_REPLACEMENT)
    if errors and codec == "utf-8":  # a literal U+FFFD in the page is content, not loss
        errors = max(0, errors - body.count(_UTF8_REPLACEMENT_BYTES))
    return _Reading(codec, text, errors, _non_ascii_count(text) if errors else 0)


def _non_ascii_count(text: str) -> int:
    if text.isascii():
        return 0
    return len(text) - len(text.encode("ascii", "ignore"))


def _declaration_problem(reading: _Reading, sample: bytes) -> str | None:
    """Why a declared codec's reading is not trusted, or None when it is."""
    limit = DAMAGED_UTF8_REPLACEMENT if reading.encoding == "utf-8" else ACCEPTABLE_REPLACEMENT
    if reading.error_share > limit:
        return f"loses {reading.error_share:.0%} of non-ASCII characters"
    if reading.encoding in _UTF16_CODECS and "<" not in reading.text[:_META_SCAN]:
        return "does not fit the body (no markup after decoding)"
    if not sample or sample.isascii():
        return None
    if reading.encoding in _CJK and (stronger := _stronger_cjk_reading(sample, reading.encoding)):
        return f"reads as the wrong script; the text reads as {stronger}"
    if reading.encoding != "utf-8" and reading.encoding not in _UTF16_CODECS:
        messy = _mess(_sample_text(sample, reading.encoding))
        if messy >= _MESSY:
            detected = _detect(sample)
            if (
                detected is not None
                and detected != reading.encoding
                and _mess(_sample_text(sample, detected)) <= _CLEAN
            ):
                return f"reads as mojibake (mess {messy:.2f}); {detected} reads cleanly"
    return None


def _header_codec(content_type: str | None) -> str | None:
    if not content_type:
        return None
    codec = http_content_type_encoding(content_type)
    if codec is None and (match := _LABEL_RE.search(content_type)):
        codec = _resolve_label(match.group(1))
    return _usable(codec, from_meta=False)


def _meta_codec(body: bytes) -> str | None:
    head = body[:_META_SCAN]
    codec = html_body_declared_encoding(head)
    if codec is None and (match := _META_LABEL_RE.search(head)):
        # Only for browser labels w3lib does not know; anything else w3lib's WHATWG
        # prescan rejected on purpose (a comment, a ``value=`` attribute, ...).
        codec = _EXTRA_LABELS.get(match.group(1).decode("ascii", "replace").lower())
    return _usable(codec, from_meta=True)


def _resolve_label(label: str) -> str | None:
    label = label.strip().lower()
    return _EXTRA_LABELS.get(label) or resolve_encoding(label)


def _usable(codec: str | None, *, from_meta: bool) -> str | None:
    """The codec to decode with for a declared one, as browsers treat it, or None.

    Only encodings of the WHATWG Encoding Standard count: browsers ignore other
    labels, and Python's registry also holds text transforms (``unicode_escape``,
    ``idna``, ``rot13``) that must never be chosen by a page.
    """
    if codec is None:
        return None
    codec = _normalise(codec)
    if codec in _UTF16_CODECS:
        if from_meta:  # a meta tag readable as ASCII cannot be UTF-16 (WHATWG)
            return "utf-8"
        return "utf-16-le" if codec == "utf-16" else codec
    return codec if codec in _WEB_CODECS else None


@lru_cache(maxsize=128)
def _normalise(name: str) -> str | None:
    """A Python codec name folded onto the codec browsers use for that label."""
    resolved = resolve_encoding(name)
    if resolved is None:
        return None
    folded = _FAMILY.get(resolved, resolved)
    try:
        return codecs.lookup(folded).name
    except LookupError:
        return None


@lru_cache(maxsize=128)
def _is_single_byte(codec: str) -> bool:
    try:
        return len(bytes(range(256)).decode(codec, "replace")) == 256
    except LookupError:
        return False


def _prose_sample(body: bytes) -> bytes:
    """The bounded slice of the body that detection looks at, markup removed.

    The head, a middle chunk and the tail, each cut at a ``<`` or newline: no
    ASCII-compatible multi-byte codec uses those bytes inside a character, so the
    cuts never split one.
    """
    chunks = [body[:_HEAD_SAMPLE]]
    if len(body) > _HEAD_SAMPLE:
        for start in (len(body) // 2, max(_HEAD_SAMPLE, len(body) - _LATER_CHUNK)):
            chunk = body[start : start + _LATER_CHUNK]
            if match := _CUT_RE.search(chunk):
                chunk = chunk[match.start() :]
            chunks.append(chunk)
    if len(body) > _HEAD_SAMPLE:
        head = chunks[0]
        cut = max(head.rfind(b"<"), head.rfind(b"\n"))
        chunks[0] = head[:cut] if cut > 0 else head
    raw = b"\n".join(chunks)
    prose = _SPACES_RE.sub(b" ", _NON_PROSE_RE.sub(b" ", raw))
    return prose if not prose.isascii() else raw


def _sample_text(sample: bytes, codec: str) -> str:
    return to_unicode(sample, codec)


def _detect(sample: bytes) -> str | None:
    """The detector's codec for a sample, with the CJK and Western corrections."""
    if not sample or sample.isascii():
        return None
    guesses = _detector_guesses(sample, _DETECTABLE)
    # CJK text has runs of high bytes; Western text with a few smart quotes has
    # isolated ones, which CP949, GBK and Shift_JIS happily pair with a letter.
    profiles = _cjk_profiles(sample) if _HIGH_RUN_RE.search(sample) else None
    if profiles is not None and (strong := _strong_cjk_codec(profiles)):
        return strong  # kana or common Hangul outweigh a detector's single-byte guess
    if not guesses or guesses[0] in _CJK:
        cjk = _weak_cjk_codec(profiles, guesses) if profiles is not None else None
        if cjk is not None:
            return cjk
        guesses = [codec for codec in guesses if codec not in _CJK]
        if not guesses:
            guesses = _detector_guesses(sample, _SINGLE_BYTE_DETECTABLE)
    if not guesses:
        # No detector answer (a few accented words): a Latin codec that reads every
        # one of them without an oddity is the answer; otherwise there is none.
        codec, oddities = _plausible_latin(sample, [])
        return codec if oddities == 0 else None
    if guesses[0] in _LATIN_CODECS:
        return _plausible_latin(sample, guesses)[0]
    return _prefer_cp1252(sample, guesses[0])


def _detector_guesses(sample: bytes, isolation: list[str]) -> list[str]:
    """charset-normalizer's answers, best first, folded onto web codecs."""
    guesses: list[str] = []
    for match in from_bytes(sample, preemptive_behaviour=False, cp_isolation=isolation):
        codec = _normalise(match.encoding)
        if codec in _WEB_CODECS and codec not in guesses:
            guesses.append(codec)
    return guesses


def _prefer_cp1252(sample: bytes, codec: str) -> str:
    """windows-1252 when it reads the sample exactly as the detected Latin codec does.

    Detectors often name cp1250 or a Mac code page for English with smart quotes,
    because the bytes that occur decode identically; cp1252 is what such pages are
    written in.
    """
    if codec == "cp1252" or not _is_single_byte(codec):
        return codec
    try:
        same = sample.decode("cp1252") == sample.decode(codec)
    except UnicodeDecodeError:
        return codec
    return "cp1252" if same else codec


# Latin-script single-byte codecs, which detectors tell apart badly on short samples:
# the same few accented letters decode without error in each of them, as different
# letters (Latin-1 "Crème brûlée" is "Crčme brűlée" in windows-1250, "São" is "S„o"
# in Mac Roman), and charset-normalizer scores the readings equal (issue 17).
_LATIN_CODECS = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "mac-roman"}
    | {f"iso8859-{number}" for number in (2, 3, 4, 10, 13, 14, 15, 16)}
)
# The letters beyond ASCII that each language written in those codecs uses. A right
# reading has its accented letters from one language; a misreading mixes letters of
# several (č from Czech, ű from Hungarian, ŕ from Slovak in one French phrase).
_LATIN_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "áâãàçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçèéíïòóúü",  # Catalan
    "áäéëíïóöúü",  # Dutch, Afrikaans
    "æøåéó",  # Danish, Norwegian
    "åäöé",  # Swedish
    "äöåšž",  # Finnish
    "áæðéíóöþúý",  # Icelandic, Faroese
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "čćđšž",  # Croatian, Serbian, Bosnian, Slovene
    "çğıöşü",  # Turkish
    "äöõüšž",  # Estonian
    "āčēģīķļņšūž",  # Latvian
    "ąčęėįšųūž",  # Lithuanian
    "çë",  # Albanian
    "âêîôûŵŷáéíóúàèìòùäëïöü",  # Welsh
    "ċġħż",  # Maltese
)
_NON_ASCII_WORD_RE = re.compile(rb"[^\s<>&;\"'=/]*[\x80-\xff][^\s<>&;\"'=/]*")
_MAX_LATIN_WORDS = 2000
# Punctuation that stands between letters in real text: quotes as apostrophes (’),
# dashes and hyphens, connectors.
_IN_WORD_PUNCTUATION = frozenset({"Pi", "Pf", "Pd", "Pc"})


def _plausible_latin(sample: bytes, guesses: list[str]) -> tuple[str, int]:
    """The Latin single-byte codec whose reading of the sample's non-ASCII words is
    most plausible: the fewest symbols and case flips inside words, then the largest
    share of its accented letters from a single language, then windows-1252 (the
    web's most common legacy codec), then the detector's order. Returns the codec and
    its reading's oddities."""
    words = b" ".join(_NON_ASCII_WORD_RE.findall(sample)[:_MAX_LATIN_WORDS])
    ranked = [codec for codec in guesses if codec in _LATIN_CODECS]
    candidates = list(dict.fromkeys([*ranked, "cp1252", *sorted(_LATIN_CODECS)]))

    def implausibility(codec: str) -> tuple[int, float, bool, int]:
        text = _sample_text(words, codec)
        letters = {char for char in text.lower() if not char.isascii() and char.isalpha()}
        fit = max(len(letters & set(alphabet)) for alphabet in _LATIN_ALPHABETS)
        share = fit / len(letters) if letters else 1.0
        return (_latin_oddities(text), -share, codec != "cp1252", candidates.index(codec))

    scores = {codec: implausibility(codec) for codec in candidates}
    best = min(candidates, key=scores.__getitem__)
    return best, scores[best][0]


def _latin_oddities(text: str) -> int:
    """What a wrong Latin codec makes of accented letters: a non-ASCII symbol, number
    or bracket between two letters ("S„o", "Za¿ó³æ"; apostrophes and dashes belong
    there), a non-ASCII capital after a small letter ("nÈo"), and
    characters no text holds (U+FFFD, private use, controls, unassigned, a combining
    mark with no letter before it)."""
    oddities = 0
    previous = " "
    for index, char in enumerate(text):
        if not char.isascii():
            category = unicodedata.category(char)
            following = text[index + 1 : index + 2]
            if char == _REPLACEMENT or category in ("Co", "Cc", "Cn"):
                oddities += 1
            elif category == "Mn":
                oddities += not previous.isalpha()
            elif (
                category[0] in "SNP"
                and category not in _IN_WORD_PUNCTUATION
                and char != "\u00b7"  # the Catalan l·l
                and previous.isalpha()
                and following.isalpha()
            ) or (char.isupper() and previous.islower()):
                oddities += 1
        previous = char
    return oddities


def _strong_cjk_codec(profiles: dict[str, _ScriptProfile]) -> str | None:
    """The CJK codec whose reading is in a script only its language writes.

    A Japanese codec giving kana-rich text comes first: no Chinese or Korean prose
    has that much kana, and Japanese read as CP949 gives rare syllables and jamo,
    not kana. Then CP949 giving common KS X 1001 Hangul.
    """
    strong = [codec for codec in (*_JAPANESE, *_KOREAN) if profiles[codec].strong]
    if not strong:
        return None
    return min(strong, key=lambda codec: (codec in _KOREAN, profiles[codec].errors))


def _weak_cjk_codec(profiles: dict[str, _ScriptProfile], ranking: list[str]) -> str | None:
    """The best CJK reading when no script is decisive (kanji-only Japanese, Chinese).

    Among the clean readings written in their language's scripts, the one with the
    most of its language's frequent characters wins, then the least mess, then the
    detector's ``ranking``; a reading that is still messy is no answer. A few
    characters can fit several codecs: below a sentence or so, this is a best guess.
    """
    clean = [codec for codec, profile in profiles.items() if profile.clean and profile.coherent]
    if not clean:
        return None

    def preference(codec: str) -> tuple[float, float, int, str]:
        profile = profiles[codec]
        rank = ranking.index(codec) if codec in ranking else len(ranking)
        return (-profile.frequent_share, profile.mess, rank, codec)

    best = min(clean, key=preference)
    return best if profiles[best].mess < _MESSY else None


def _stronger_cjk_reading(sample: bytes, declared: str) -> str | None:
    """A CJK codec with strong script evidence against a declared CJK codec.

    Only strong evidence overrides a declaration: kanji-only Japanese or Chinese
    read with the wrong Han codec stays with the declaration here (the mess check
    of :func:`_declaration_problem` catches the worst of those).
    """
    profiles = _cjk_profiles(sample)
    if profiles[declared].strong:
        return None
    for codec in (*_JAPANESE, *_KOREAN):
        profile = profiles[codec]
        if codec != declared and profile.strong and profile.mess < profiles[declared].mess:
            return codec
    return None


@dataclass(frozen=True, slots=True)
class _ScriptProfile:
    """How one CJK codec's reading of the sample splits into scripts."""

    codec: str
    errors: int
    multibyte: int
    kana: int
    han: int
    hangul_ks: int
    other_cjk: int
    frequent: int
    mess: float

    @property
    def cjk(self) -> int:
        return self.kana + self.han + self.hangul_ks + self.other_cjk

    @property
    def clean(self) -> bool:
        return self.cjk > 0 and self.errors <= ACCEPTABLE_REPLACEMENT * self.multibyte

    @property
    def kana_share(self) -> float:
        return self.kana / self.cjk if self.cjk else 0.0

    @property
    def hangul_share(self) -> float:
        return self.hangul_ks / self.cjk if self.cjk else 0.0

    @property
    def coherent(self) -> bool:
        """Written in the scripts of the codec's language: kana and kanji, Hangul,
        or Han without kana. Misreadings mix scripts (Hangul with Hanja, kana with
        Hangul, halfwidth katakana)."""
        if not self.cjk:
            return False
        if self.codec in _JAPANESE:
            return (self.kana + self.han) / self.cjk >= _MIN_SCRIPT_SHARE
        if self.codec in _KOREAN:
            return self.hangul_share >= _MIN_HANGUL_SHARE
        return self.han / self.cjk >= _MIN_SCRIPT_SHARE and self.kana_share < _MIN_KANA_SHARE

    @property
    def frequent_share(self) -> float:
        return self.frequent / self.cjk if self.cjk else 0.0

    @property
    def strong(self) -> bool:
        """Clean, unmessy, and in the script only this codec's language writes.

        Hangul alone is not enough: CP949 turns any EUC-style bytes into KS X 1001
        syllables, but rare ones (톺, 쒜, 읫), while Korean prose is full of the most
        frequent ones (이, 다, 의, 는).
        """
        if not self.clean or self.mess >= _STRONG_MAX_MESS:
            return False
        if self.codec in _JAPANESE:
            return self.kana_share >= _MIN_KANA_SHARE
        if self.codec in _KOREAN:
            return (
                self.hangul_share >= _MIN_HANGUL_SHARE
                and self.frequent_share >= _MIN_FREQUENT_HANGUL_SHARE
            )
        return False


# The 2,350 Hangul syllables of KS X 1001 (EUC-KR rows 0xB0-0xC8), as a table that
# deletes them. Syllables outside it are what CP949's extension rows give when
# Shift_JIS or Latin bytes are misread; Korean prose rarely needs them.
_KS_HANGUL_DELETE = dict.fromkeys(
    ord(char)
    for char in bytes(
        byte for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF) for byte in (lead, trail)
    ).decode("euc_kr")
)


# The most frequent characters per language (about 80 kanji, 100
# hanzi, 26 Hangul syllables), as tables that delete them: a right reading has many,
# a wrong one lands on them only by chance.
_FREQUENT_DELETE = {
    codec: dict.fromkeys(ord(char) for char in FREQUENT_CHARACTERS[language])
    for codecs_of_language, language in (
        (_JAPANESE, "Japanese"),
        (_KOREAN, "Korean"),
        (_CHINESE, "Chinese"),
    )
    for codec in codecs_of_language
}


def _cjk_profiles(sample: bytes) -> dict[str, _ScriptProfile]:
    return {codec: _script_profile(sample, codec) for codec in sorted(_CJK)}


def _script_profile(sample: bytes, codec: str) -> _ScriptProfile:
    text = _sample_text(sample, codec)
    hangul = "".join(_HANGUL_RE.findall(text))
    hangul_ks = len(hangul) - len(hangul.translate(_KS_HANGUL_DELETE))
    return _ScriptProfile(
        codec=codec,
        errors=text.count(_REPLACEMENT),
        multibyte=_non_ascii_count(text),
        kana=len(_KANA_RE.findall(text)),
        han=len(_HAN_RE.findall(text)),
        hangul_ks=hangul_ks,
        other_cjk=len(hangul) - hangul_ks + len(_JAMO_RE.findall(text)),
        frequent=len(text) - len(text.translate(_FREQUENT_DELETE[codec])),
        mess=_mess(text),
    )


def _mess(text: str) -> float:
    """charset-normalizer's mess ratio: 0 for plausible text, growing with oddities
    (mixed scripts inside words, case flips, unusual symbols); it stays near 0 for
    the right codec and is 0.13 or more for wrong ones on our fixtures."""
    return float(mess_ratio(text[:_MESS_SAMPLE_CHARS], 1.0))


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"\x00\x00\x01\x00", "image"),
    (b"\x1f\x8b", "binary"),
    (b"PK\x03\x04", "binary"),
    (b"PK\x05\x06", "binary"),
    (b"7z\xbc\xaf\x27\x1c", "binary"),
    (b"Rar!\x1a\x07", "binary"),
    (b"\x28\xb5\x2f\xfd", "binary"),
    (b"BZh", "binary"),
    (b"\x7fELF", "binary"),
    (b"wOFF", "binary"),
    (b"wOF2", "binary"),
    (b"OggS", "binary"),
    (b"\x1aE\xdf\xa3", "binary"),
)
_ISO_MEDIA_IMAGES = (b"avif", b"avis", b"heic", b"heix", b"mif1")
# WHATWG MIME Sniffing: the tags that make a resource sniff as HTML.
_HTML_START_RE = re.compile(
    rb"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p"
    rb"|meta|link|!--)(?=[\s>/]|--)",
    re.IGNORECASE,
)
_BINARY_BYTES_RE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# More C0 control bytes than this share of the head: binary, whatever the Content-Type
# says. UTF-16 text (without a BOM) is at least this share NUL.
_MAX_CONTROL_SHARE = 0.02
_UTF16_MIN_NUL_SHARE = 0.25
_MIME_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "text/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/pdf": "pdf",
}


def sniff_content_kind(body: bytes, content_type: str | None) -> str:
    """What a response body is: ``html``, ``pdf``, ``image``, ``json``, ``xml``,
    ``text``, ``binary`` or ``empty``.

    Magic bytes come first, because servers label PDFs and images served at HTML
    URLs as ``text/html``; then a head full of control bytes (binary under any
    label); then a specific Content-Type; then the body itself when the header is
    absent or says only ``application/octet-stream``.

    >>> sniff_content_kind(b"%PDF-1.7 ...", "text/html")
    'pdf'
    >>> sniff_content_kind(b"<!DOCTYPE html><title>x</title>", None)
    'html'
    """
    head = bytes(body[:1024])
    if not head.strip() and not bytes(body).strip():
        return "empty"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head[4:8] == b"ftyp":
        return "image" if head[8:12] in _ISO_MEDIA_IMAGES else "binary"

    if _control_heavy(head):
        return "binary"

    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in _MIME_KINDS:
        return _MIME_KINDS[mime]
    if mime.endswith("+json"):
        return "json"
    if mime.endswith("+xml"):
        return "xml"
    if mime.startswith("image/"):
        return "image"
    if mime.startswith("text/"):
        return "text"
    if mime.startswith(("audio/", "video/", "font/")):
        return "binary"
    return _sniff_text_kind(head)


def _control_heavy(head: bytes) -> bool:
    """Whether the head of a body has too many C0 control bytes to be text.

    Text in any web encoding has next to none (a stray NUL at most); random or
    compressed bytes have one in ten. UTF-16 without a BOM, whose ASCII characters
    come with a NUL each, is left to the decoder.
    """
    controls = len(_BINARY_BYTES_RE.findall(head))
    if controls <= len(head) * _MAX_CONTROL_SHARE:
        return False
    if read_bom(head)[0] is not None:
        return False
    other_controls = controls - head.count(0)
    return not (
        head.count(0) >= len(head) * _UTF16_MIN_NUL_SHARE
        and other_controls <= len(head) * _MAX_CONTROL_SHARE
    )


def _sniff_text_kind(head: bytes) -> str:
    bom_codec, bom = read_bom(head)
    if bom_codec is not None and bom is not None:
        text = head[len(bom) :].decode(bom_codec, "ignore").lstrip()
        head = text.encode("utf-8", "replace")
    else:
        head = head.lstrip()
    if _HTML_START_RE.match(head):
        return "html"
    if head.startswith(b"<?xml"):
        return "html" if re.search(rb"<html[\s>]", head, re.IGNORECASE) else "xml"
    if head.startswith(b"<") and re.match(rb"<[A-Za-z!?]", head):
        return "xml"
    if head[:1] in (b"{", b"["):
        return "json"
    if _BINARY_BYTES_RE.search(head):
        return "binary"
    return "text"
