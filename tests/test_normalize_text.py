"""clean_text / clean_inline: golden cases and properties."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.normalize import text
from crawler.normalize.text import clean_inline, clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Miracle   in Cell No.7 ", "Miracle in Cell No.7"),
        ("a\x00b\x07c\x7f", "abc"),
        ("tab\tseparated", "tab separated"),
        ("line\r\nbreaks\rhere", "line\nbreaks\nhere"),
        ("para 1\n\n\n\npara 2", "para 1\n\npara 2"),
        ("  trailing  \n  leading  ", "trailing\nleading"),
        ("no\u00a0break\u202fthin\u3000ideographic", "no break thin ideographic"),
        ("zero\u200bwidth\ufeff\u2060 joiners", "zerowidth joiners"),
        ("soft\u00adhyphen", "softhyphen"),
        ("\u200eleft-to-right mark\u200f", "left-to-right mark"),
        # Windows-1252 read as Latin-1: C1 controls are the characters they stood for.
        ("aren\x92t \x93quoted\x94 \x85", "aren’t “quoted” …"),
        ("undefined\x81c1", "undefinedc1"),
        # Lone surrogates are replaced; a valid pair becomes its character.
        ("bad \ud800 half", "bad \ufffd half"),
        ("pair \ud83d\ude00", "pair 😀"),
        # NFC, also after removing what separated a letter from its accent.
        ("e\u0301", "é"),
        ("e\u200b\u0301", "é"),
        ("７번방의 선물", "７번방의 선물"),  # NFC, not NFKC: full-width stays in text
    ],
)
def test_clean_text_golden(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # ZWJ inside an emoji sequence stays; elsewhere it goes.
        ("👩\u200d💻 coder", "👩\u200d💻 coder"),
        ("👍🏽\u200d", "👍🏽"),
        ("❤\ufe0f\u200d🔥", "❤\ufe0f\u200d🔥"),
        ("Park\u200d Shin\u200c-Hye", "Park Shin-Hye"),
        ("박\u200d신혜", "박신혜"),
        # ZWNJ is part of Persian spelling (mi-khaham) and of Indic conjuncts.
        ("می\u200cخواهم", "می\u200cخواهم"),
        ("क्\u200dष", "क्\u200dष"),
        ("a\u200c", "a"),
    ],
)
def test_joiners(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_inline_makes_one_line() -> None:
    assert clean_inline("Lee Hwan-Kyung,\n  Kim Hwang-Sung\r\n\r\nKim Young-Suk") == (
        "Lee Hwan-Kyung, Kim Hwang-Sung Kim Young-Suk"
    )


@given(st.text())
def test_never_raises_and_is_idempotent(s: str) -> None:
    once = clean_text(s)
    assert clean_text(once) == once
    inline = clean_inline(s)
    assert clean_inline(inline) == inline
    assert "\n" not in inline


@given(st.text())
def test_output_is_storable(s: str) -> None:
    for out in (clean_text(s), clean_inline(s)):
        out.encode("utf-8")  # no lone surrogates left
        assert out == out.strip()
        assert "  " not in out
        assert not any(0x80 <= ord(c) <= 0x9F or (ord(c) < 0x20 and c != "\n") for c in out)


@given(st.text(alphabet=st.characters(codec="utf-8")), st.text(alphabet=" \t\u00a0\n"))
def test_surrounding_whitespace_is_irrelevant(s: str, pad: str) -> None:
    assert clean_inline(pad + s + pad) == clean_inline(s)


def _every_pass(s: str) -> str:
    """clean_text as every regex pass over the whole text, with no shortcut (the form
    before issue 16 made the passes skip text they would not change)."""
    s = text._fix_surrogates(s)
    s = "".join(text._C1_TO_CP1252.get(ord(ch), ch) for ch in s)
    s = text._INVISIBLE.sub("", text._C0_CONTROLS.sub("", s))
    s = text._SPACES.sub(" ", text._LINE_BREAK.sub("\n", s))
    if "\u200c" in s or "\u200d" in s:
        s = text._STRAY_JOINER.sub("", s)
    s = text._SPACES.sub(" ", unicodedata.normalize("NFC", s))
    s = text._BLANK_LINES.sub("\n\n", text._SPACE_AROUND_NEWLINE.sub("\n", s))
    return s.strip(" \n")


@given(
    st.text(
        alphabet=st.sampled_from(
            "ab \t\n\r\x0b\x0c\u2028\u00a0\u3000\x85\x92\x81\x00\u200b\u200d\u0628"
        )
        | st.characters()
    )
)
def test_the_shortcuts_change_nothing(s: str) -> None:
    # Issue 16: passes are skipped when they would change nothing; same text either way.
    assert clean_text(s) == _every_pass(s)


def test_text_without_a_character_to_fix_takes_the_shortcut_unchanged() -> None:
    # Issue 16: a text with no character of _ANY_TO_FIX skips steps 1-5 and the space
    # rule; none of them may change any other character, and NFC may not make one.
    others = "".join(chr(code) for code in range(0x110000) if not text._ANY_TO_FIX.match(chr(code)))
    assert text._collapse_spaces(text._fix_controls(text._fix_surrogates(others))) == others
    assert not text._STRAY_JOINER.search(others)
    assert not text._ANY_TO_FIX.search(unicodedata.normalize("NFC", others))
