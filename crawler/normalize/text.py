"""Text cleaning shared by every normaliser: what a page says, made safe to store and compare.

``clean_text`` keeps paragraphs (for synopses, trivia, comments); ``clean_inline`` makes
one line (for titles, names, fact values). Both are total (never raise for any ``str``)
and idempotent, and they apply the same steps in this order:

1. **Surrogates.** Valid surrogate pairs (left by ``surrogatepass`` decoding or JSON
   ``\\ud83d\\ude00`` escapes) are joined into the character they encode; lone
   surrogates, which cannot be encoded as UTF-8 and would break SQLite writes, become
   U+FFFD.
2. **C1 controls** (U+0080-U+009F) are read as the Windows-1252 characters they stand for
   (``\\x92`` -> ``’``, ``\\x85`` -> ``…``), as ftfy's ``fix_c1_controls`` does. A C1 control
   in page text is never intended: it is Windows-1252 decoded as Latin-1, the most common
   mojibake on old pages that declare ``iso-8859-1``. The five codes Windows-1252 leaves
   undefined are dropped.
3. **C0 controls and DEL** are dropped, except tab (-> space) and the line breaks CR, LF,
   VT, FF, LS and PS (-> ``\\n``).
4. **Invisible format characters** are dropped: ZWSP, word joiner, BOM/ZWNBSP, soft hyphen,
   Mongolian vowel separator, the bidi marks and embeddings/isolates (LRM, RLM, ALM,
   LRE...PDF, LRI...PDI) and the invisible math operators. Bidi controls only steer
   display and make equal strings compare unequal.
5. **ZWJ and ZWNJ** are kept only where they carry meaning: between two characters of a
   script whose spelling uses them (Arabic and Persian, the Indic scripts, Sinhala), or,
   for ZWJ, inside an emoji sequence (after an emoji, skin-tone modifier or VS16 and
   before an emoji): ``👩‍💻`` stays one glyph, ``می‌خواهم`` keeps its Persian spelling.
   Anywhere else (Latin, Hangul, CJK text, next to spaces) they are invisible debris from
   editors and are dropped. This is a two-lookaround regex, simple enough to trust; the
   keys in ``people`` and ``titles`` drop them anyway.
6. **NFC** (after the removals, which can bring a base letter next to its combining mark).
7. **Whitespace.** Every Unicode space (NBSP, thin and ideographic spaces ...) becomes
   ``' '``; runs of spaces collapse to one; spaces around line breaks are dropped; more
   than one blank line collapses to one (``clean_text``) or every line break becomes a
   space (``clean_inline``); the result is stripped.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_inline", "clean_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")

# Windows-1252 for 0x80-0x9F; the five undefined positions map to "" (dropped).
_C1_TO_CP1252 = {
    cp: (bytes([cp]).decode("cp1252") if cp not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else "")
    for cp in range(0x80, 0xA0)
}

_C1_CONTROLS = re.compile("[\x80-\x9f]")
_C1_TABLE = str.maketrans(_C1_TO_CP1252)

_LINE_BREAKS = "\r\n|[\r\x0b\x0c\u2028\u2029]"
_LINE_BREAK = re.compile(_LINE_BREAKS)
# Any character of a line break other than \n: without one, there is nothing to replace.
_OTHER_LINE_BREAK = re.compile("[\r\x0b\x0c\u2028\u2029]")

# C0 controls except \t \n \r \v \f (handled as whitespace), and DEL.
_C0_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

_INVISIBLE = re.compile(
    "["
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b"  # zero width space
    "\u200e\u200f"  # LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\ufeff"  # BOM / zero width no-break space
    "]"
)

# Scripts whose orthography uses ZWJ/ZWNJ between letters: Arabic (with its supplements
# and presentation forms), Syriac, Thaana, N'Ko, the Indic block range through Sinhala.
_JOINING_SCRIPTS = (
    "\u0600-\u08ff"  # Arabic, Syriac, Arabic Supplement, Thaana, NKo, ..., Arabic Ext-A
    "\u0900-\u0dff"  # Devanagari ... Sinhala
    "\ufb50-\ufdff\ufe70-\ufefe"  # Arabic presentation forms
)
# Characters that take part in emoji ZWJ sequences: the emoji blocks of the BMP
# (arrows, misc technical, geometric shapes, misc symbols, dingbats, ...) and the
# supplementary emoji planes, which include the skin-tone modifiers.
_EMOJI = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2"
    "\u25aa-\u27bf\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001faff"
)
_EMOJI_BEFORE = _EMOJI + "\ufe0f"  # VS16 ends the emoji presentation of the base
_EMOJI_AFTER = _EMOJI
_STRAY_JOINER = re.compile(
    f"(?<![{_JOINING_SCRIPTS}])\u200c|\u200c(?![{_JOINING_SCRIPTS}])"
    f"|(?<![{_JOINING_SCRIPTS}{_EMOJI_BEFORE}])\u200d"
    f"|(?<=[{_JOINING_SCRIPTS}])\u200d(?![{_JOINING_SCRIPTS}])"
    f"|(?<=[{_EMOJI_BEFORE}])\u200d(?![{_EMOJI_AFTER}])"
)

# Every Unicode space separator plus tab; \n is handled separately.
_SPACES = re.compile("[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# A space _SPACES would change: any but the plain one (a lone plain space stays as it is).
_OTHER_SPACE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_AROUND_NEWLINE = re.compile(" ?\n ?")
_BLANK_LINES = re.compile("\n{3,}")


# Every character one of steps 1-5 or the space rule changes (\n and the plain space
# aside): the union of the classes above. A text without one needs only NFC (and runs
# of plain spaces collapsed).
_ANY_TO_FIX = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\xa0\xad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f"
    "\u205f-\u2064\u2066-\u2069\u3000\ufeff\ud800-\udfff]"
)


def _fix_surrogates(s: str) -> str:
    if not _SURROGATE.search(s):
        return s
    # UTF-16 round trip: pairs become their code point, lone halves become U+FFFD.
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _fix_controls(s: str) -> str:
    if _C1_CONTROLS.search(s):
        s = s.translate(_C1_TABLE)
    s = _C0_CONTROLS.sub("", s)
    s = _INVISIBLE.sub("", s)
    if _OTHER_LINE_BREAK.search(s):
        s = _LINE_BREAK.sub("\n", s)
    return s


def _collapse_spaces(s: str) -> str:
    """``_SPACES.sub(" ", s)``, skipped when it would change nothing (page texts are
    long, and most have neither runs of spaces nor exotic ones)."""
    if "  " in s or _OTHER_SPACE.search(s):
        return _SPACES.sub(" ", s)
    return s


def _collapse_runs(s: str) -> str:
    """Runs of plain spaces collapsed, after :func:`_prepare` (which leaves no other
    kind of space: NFC makes none) dropped what stood between two spaces."""
    return _SPACES.sub(" ", s) if "  " in s else s


def _prepare(s: str) -> str:
    """Steps 1-6: characters fixed, removed and composed; whitespace left as is."""
    if _ANY_TO_FIX.search(s) is None:
        # One scan instead of the seven below, which find nothing in most texts.
        return unicodedata.normalize("NFC", _collapse_runs(s))
    s = _fix_surrogates(s)
    s = _fix_controls(s)
    # Tabs and exotic spaces become plain spaces before the joiner rule looks at
    # neighbours, so a joiner next to any kind of space is judged the same way.
    s = _collapse_spaces(s)
    if "\u200c" in s or "\u200d" in s:
        s = _STRAY_JOINER.sub("", s)
    return unicodedata.normalize("NFC", s)


def clean_text(s: str) -> str:
    """Clean multi-line text: keep paragraphs, normalise everything else.

    >>> clean_text("  Hello\\u200b  world \\r\\n\\r\\n\\r\\n\\tnext\\x00 ")
    'Hello world\\n\\nnext'
    """
    s = _collapse_runs(_prepare(s))
    if " \n" in s or "\n " in s:
        s = _SPACE_AROUND_NEWLINE.sub("\n", s)
    if "\n\n\n" in s:
        s = _BLANK_LINES.sub("\n\n", s)
    return s.strip(" \n")


def clean_inline(s: str) -> str:
    """Clean text into a single line (titles, names, fact values).

    >>> clean_inline(" Miracle\\nin  Cell\\u00a0No.7 ")
    'Miracle in Cell No.7'
    """
    s = _prepare(s).replace("\n", " ")
    return _collapse_runs(s).strip(" ")
