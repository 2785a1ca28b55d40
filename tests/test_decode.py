"""Tests for crawler.process.decode: one encoding decision per body, and why it was made.

Language fixtures in tests/data/decode/ are short texts written for these tests, stored
as UTF-8 and encoded here; the real pages are read from the shared corpus, never copied.
"""

from __future__ import annotations

import codecs
import gzip
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.process.decode import (
    ACCEPTABLE_REPLACEMENT,
    DAMAGED_UTF8_REPLACEMENT,
    DecodedPage,
    _prose_sample,
    decode_html,
    sniff_content_kind,
)
from tests.conftest import corpus_path

DATA = Path(__file__).parent / "data" / "decode"
SOURCES = {"bom", "header", "meta", "detected", "fallback"}
JAPANESE_CODECS = {"cp932", "euc_jp"}
HIRAGANA = re.compile("[\u3041-\u3096]")
HANGUL = re.compile("[\uac00-\ud7a3]")


def fixture_text(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8").strip()


def html(text: str, head: str = "") -> str:
    """A small page around ``text``, without any charset unless ``head`` adds one."""
    paragraphs = "".join(f"<p>{part}</p>\n" for part in text.split("\n\n"))
    title = text.split("\n", 1)[0][:20]
    return (
        f"<!DOCTYPE html>\n<html><head>{head}<title>{title}</title>"
        '<link rel="stylesheet" href="/s.css"></head>\n'
        f'<body><div class="main">{paragraphs}</div></body></html>\n'
    )


def assert_clean(page: DecodedPage) -> None:
    assert page.replacement_ratio == 0.0, page
    assert not page.note.startswith("error:"), page.note


# --- undeclared pages in legacy encodings -------------------------------------------

UNDECLARED = [
    ("ja_tokyo_story", "shift_jis", "cp932"),
    ("ja_tokyo_story", "cp932", "cp932"),
    ("ja_tokyo_story", "euc_jp", "euc_jp"),
    ("ko_miracle_in_cell_no_7", "euc_kr", "cp949"),
    ("ru_stalker", "cp1251", "cp1251"),
    ("ru_stalker", "koi8_r", "koi8-r"),
    ("en_eraserhead", "cp1252", "cp1252"),
    ("zh_hans_wandering_earth", "gb2312", "gb18030"),
    ("zh_hans_wandering_earth", "gbk", "gb18030"),
    ("zh_hant_city_of_sadness", "big5", "big5hkscs"),
]


@pytest.mark.parametrize("length", ["full", "first_paragraph"])
@pytest.mark.parametrize(("name", "codec", "expected"), UNDECLARED)
def test_undeclared_legacy_page_is_detected(
    name: str, codec: str, expected: str, length: str
) -> None:
    text = fixture_text(name)
    if length == "first_paragraph":
        text = text.split("\n\n", 1)[0]

    page = decode_html(html(text).encode(codec))

    assert (page.encoding, page.source, page.declared) == (expected, "detected", None)
    assert_clean(page)
    assert all(part in page.text for part in text.split("\n\n"))


@pytest.mark.parametrize(
    ("title", "codec", "expected"),
    [
        ("七人の侍", "shift_jis", "cp932"),
        ("七人の侍", "euc_jp", "euc_jp"),
        ("天国と地獄", "euc_jp", "euc_jp"),
        ("黒澤明の羅生門", "euc_jp", "euc_jp"),
        ("となりのトトロ", "shift_jis", "cp932"),
        ("서울의 봄", "euc_kr", "cp949"),
        ("살인의 추억", "euc_kr", "cp949"),
        ("기생충", "euc_kr", "cp949"),
        ("流浪地球", "gb2312", "gb18030"),
        ("霸王别姬", "gb2312", "gb18030"),
        ("悲情城市", "big5", "big5hkscs"),
        ("臥虎藏龍", "big5", "big5hkscs"),
        ("ภาพยนตร์ไทย เรื่องนี้สนุกมาก", "cp874", "cp874"),
        ("Ταινία του Αγγελόπουλου", "cp1253", "cp1253"),
        ("Příliš žluťoučký kůň", "cp1250", "cp1250"),
        ("Kino ist schön, Grüße aus Köln", "cp1252", "cp1252"),
    ],
)
def test_short_undeclared_titles(title: str, codec: str, expected: str) -> None:
    # A few characters fit several codecs; kana, frequent Hangul and frequent Han decide.
    page = decode_html(f"<title>{title}</title>".encode(codec))

    assert page.encoding == expected
    assert title in page.text


@pytest.mark.parametrize("codec", ["shift_jis", "euc_jp"])
@pytest.mark.parametrize(
    "content_type", [None, "text/html", "text/html; charset=euc-kr", "text/html; charset=gb2312"]
)
def test_japanese_never_comes_out_korean_or_chinese(codec: str, content_type: str | None) -> None:
    # Detectors read EUC-JP and Shift_JIS as EUC-KR/CP949 or GB18030; a wrong
    # declaration does the same. Kana decide.
    text = fixture_text("ja_tokyo_story")

    page = decode_html(html(text).encode(codec), content_type)

    assert page.encoding in JAPANESE_CODECS
    assert HIRAGANA.search(page.text)
    assert not HANGUL.search(page.text)
    assert text.split("\n\n")[2] in page.text
    if content_type and "charset" in content_type:
        assert page.source == "detected"
        assert page.note.startswith("header charset")


@pytest.mark.parametrize("codec", ["euc_jp", "cp932"])
def test_kanji_only_japanese_keeps_its_declaration(codec: str) -> None:
    # A credits block without kana must not be pushed to GB18030 or CP949.
    credits = (
        "監督 小津安二郎 脚本 野田高梧 製作 山本武 撮影 厚田雄春 音楽 斎藤高順 配給 松竹 "
        "公開 一九五三年 上映時間 百三十六分 製作国 日本 出演 笠智衆 東山千栄子 原節子 杉村春子"
    )
    label = {"euc_jp": "EUC-JP", "cp932": "Shift_JIS"}[codec]
    body = html(credits).encode(codec)

    declared = decode_html(body, f"text/html; charset={label}")
    undeclared = decode_html(body)

    assert (declared.encoding, declared.source) == (codec, "header")
    assert undeclared.encoding == codec
    assert credits in declared.text
    assert credits in undeclared.text


def test_korean_under_wrong_japanese_declaration_is_korean() -> None:
    text = fixture_text("ko_miracle_in_cell_no_7")

    page = decode_html(html(text).encode("euc_kr"), "text/html; charset=EUC-JP")

    assert (page.encoding, page.source) == ("cp949", "detected")
    assert text.split("\n\n")[1] in page.text


# --- declarations: honoured, verified, overridden ----------------------------------


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("ko_miracle_in_cell_no_7", "euc_kr"),
        ("en_eraserhead", "cp1252"),
        ("ru_stalker", "cp1251"),
        ("ja_tokyo_story", "shift_jis"),
        ("zh_hans_wandering_earth", "gb2312"),
    ],
)
def test_utf8_header_over_legacy_bytes_is_redecided(name: str, codec: str) -> None:
    text = fixture_text(name)

    page = decode_html(html(text).encode(codec), "text/html; charset=utf-8")

    assert page.declared == "utf-8"
    assert page.source == "detected"
    assert page.note.startswith("header charset utf-8 loses")
    assert_clean(page)
    assert text.split("\n\n")[0] in page.text


def test_meta_is_tried_when_the_header_is_wrong() -> None:
    text = fixture_text("ko_miracle_in_cell_no_7")
    body = html(text, '<meta charset="euc-kr">').encode("euc_kr")

    page = decode_html(body, "text/html; charset=UTF-8")

    assert (page.encoding, page.source, page.declared) == ("cp949", "meta", "utf-8")
    assert "header charset utf-8" in page.note


@pytest.mark.parametrize(
    ("codec", "label", "expected"),
    [
        ("koi8_r", "windows-1251", "koi8-r"),
        ("cp1251", "koi8-r", "cp1251"),
        ("cp1251", "iso-8859-1", "cp1251"),
        ("koi8_r", "iso-8859-1", "koi8-r"),
    ],
)
def test_single_byte_declaration_that_reads_as_mojibake_is_overridden(
    codec: str, label: str, expected: str
) -> None:
    # The classic Russian-site mistake: strict decoding succeeds, the text is garbage.
    text = fixture_text("ru_stalker")

    page = decode_html(html(text).encode(codec), f"text/html; charset={label}")

    assert (page.encoding, page.source) == (expected, "detected")
    assert "mojibake" in page.note
    assert text.split("\n\n")[1] in page.text


@pytest.mark.parametrize(
    ("name", "codec", "label", "expected"),
    [
        ("zh_hant_city_of_sadness", "big5", "gb2312", "big5hkscs"),
        ("zh_hans_wandering_earth", "gb2312", "big5", "gb18030"),
    ],
)
def test_chinese_declared_with_the_other_han_codec(
    name: str, codec: str, label: str, expected: str
) -> None:
    text = fixture_text(name)

    page = decode_html(html(text).encode(codec), f"text/html; charset={label}")

    assert (page.encoding, page.source) == (expected, "detected")
    assert text.split("\n\n")[0] in page.text


@pytest.mark.parametrize(
    ("name", "codec", "label", "expected"),
    [
        ("ru_stalker", "cp1251", "windows-1251", "cp1251"),
        ("ru_stalker", "koi8_r", "KOI8-R", "koi8-r"),
        ("ko_miracle_in_cell_no_7", "euc_kr", "ks_c_5601-1987", "cp949"),
        ("ja_tokyo_story", "euc_jp", "x-euc-jp", "euc_jp"),
        ("zh_hant_city_of_sadness", "big5", "Big5", "big5hkscs"),
        ("en_eraserhead", "cp1252", '"iso-8859-1"', "cp1252"),
    ],
)
def test_correct_declarations_are_honoured(
    name: str, codec: str, label: str, expected: str
) -> None:
    text = fixture_text(name)
    body = html(text).encode(codec)

    from_header = decode_html(body, f"text/html; charset={label}")
    from_meta = decode_html(html(text, f'<meta charset="{label.strip(chr(34))}">').encode(codec))

    assert (from_header.encoding, from_header.source, from_header.note) == (expected, "header", "")
    assert (from_meta.encoding, from_meta.source, from_meta.note) == (expected, "meta", "")
    assert text.split("\n\n")[-1] in from_header.text


def test_latin1_means_windows_1252() -> None:
    # WHATWG: iso-8859-1 and latin1 labels decode as windows-1252, so 0x92 is an apostrophe.
    page = decode_html(b"<p>Lynch\x92s \x93Eraserhead\x94</p>", "text/html; charset=ISO-8859-1")

    assert (page.encoding, page.source, page.declared) == ("cp1252", "header", "cp1252")
    assert "Lynch’s “Eraserhead”" in page.text


def test_header_wins_over_a_disagreeing_meta_when_both_decode() -> None:
    body = html("Café Society", '<meta charset="iso-8859-15">').encode("cp1252")

    page = decode_html(body, "text/html; charset=windows-1252")

    assert (page.encoding, page.source) == ("cp1252", "header")


def test_meta_http_equiv_form() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    page = decode_html(html("Сталкер Тарковского", head).encode("cp1251"))

    assert (page.encoding, page.source, page.declared) == ("cp1251", "meta", "cp1251")


def test_meta_inside_a_comment_is_not_a_declaration() -> None:
    body = html("Сталкер Тарковского", '<!-- <meta charset="koi8-r"> -->').encode("cp1251")

    page = decode_html(body)

    assert page.declared is None
    assert page.encoding == "cp1251"


def test_a_few_bad_bytes_do_not_reject_a_correct_declaration() -> None:
    text = fixture_text("ja_tokyo_story")
    body = html(text).encode("utf-8") + b"<p>\xff</p>"

    page = decode_html(body, "text/html; charset=utf-8")

    assert (page.encoding, page.source, page.note) == ("utf-8", "header", "")
    assert 0 < page.replacement_ratio <= ACCEPTABLE_REPLACEMENT
    assert text.split("\n\n")[0] in page.text


def test_declared_utf8_with_a_broken_sequence_stays_utf8_and_is_marked() -> None:
    # Issue 6: a short page with one broken sequence (the raw bytes of a lone surrogate)
    # lost 3 of its ~90 non-ASCII characters and came out as windows-1252 mojibake.
    text = "Le Fabuleux Destin d’Amélie Poulain, réalisé à Montmartre… très soigné. " * 6
    body = html(text).encode("utf-8").replace(b"</body>", b"\xed\xa0\x80</body>")

    page = decode_html(body, "text/html; charset=utf-8")

    assert (page.encoding, page.source) == ("utf-8", "header")
    assert ACCEPTABLE_REPLACEMENT < page.replacement_ratio <= DAMAGED_UTF8_REPLACEMENT
    assert "Amélie" in page.text
    assert "\ud800" not in page.text


def test_legacy_bytes_declared_as_utf8_are_still_redecided() -> None:
    text = "Le Fabuleux Destin d’Amélie Poulain, réalisé à Montmartre… très soigné. " * 6
    body = html(text).encode("cp1252")

    page = decode_html(body, "text/html; charset=utf-8")

    assert page.encoding == "cp1252"
    assert "Amélie" in page.text


def test_undeclared_mostly_utf8_with_a_stray_byte_stays_utf8() -> None:
    text = fixture_text("ru_stalker")
    body = html(text).encode("utf-8").replace(b"</body>", b"\x92</body>")

    page = decode_html(body)

    assert page.encoding == "utf-8"
    assert page.replacement_ratio > 0
    assert text.split("\n\n")[0] in page.text


# --- the IMDb rule: valid UTF-8 beats a legacy declaration -------------------------


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252", "windows-1251", "euc-kr"])
def test_valid_utf8_body_beats_a_legacy_declaration(label: str) -> None:
    # IMDb's 2014 pages: header and meta say iso-8859-1, the JSON carries UTF-8 titles.
    body = (
        f'<html><head><meta http-equiv="content-type" content="text/html; charset={label}">'
        '</head><body><script>{"title":"Princesse Mononoké"},{"title":"Принцеса Мононоке"}'
        "</script><p>Princess Mononoke</p></body></html>"
    ).encode()

    page = decode_html(body, f"text/html; charset={label}")

    assert (page.encoding, page.source) == ("utf-8", "detected")
    assert page.declared is not None
    assert page.note.startswith(f"declared {page.declared} but the body is valid UTF-8")
    assert "Princesse Mononoké" in page.text
    assert "Принцеса Мононоке" in page.text


def test_utf8_body_with_a_stray_legacy_byte_still_beats_the_declaration() -> None:
    titles = "".join(f'{{"title":"Принцеса Мононоке {n}"}},' for n in range(20))
    body = f"<script>[{titles}]</script><p>Miyazaki".encode() + b"\x92s film</p>"

    page = decode_html(body, "text/html; charset=iso-8859-1")

    assert (page.encoding, page.source) == ("utf-8", "detected")
    assert page.note.endswith("(1 undecodable)")
    assert "Принцеса Мононоке 19" in page.text
    assert 0 < page.replacement_ratio <= ACCEPTABLE_REPLACEMENT


def test_legacy_bytes_that_are_not_utf8_keep_the_declaration() -> None:
    # "Â©" is C2 A9, valid UTF-8 by accident; the other accented letters are not.
    body = "<p>Mononoké, Amélie, naïve Â©</p>".encode("cp1252")

    page = decode_html(body, "text/html; charset=iso-8859-1")

    assert (page.encoding, page.source) == ("cp1252", "header")
    assert "Mononoké, Amélie, naïve Â©" in page.text


# --- BOMs, ASCII, wide and refused encodings ----------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_bom_wins_over_declarations(bom: bytes, codec: str, expected: str) -> None:
    body = bom + html("Сталкер").encode(codec)

    page = decode_html(body, "text/html; charset=windows-1251")

    assert (page.encoding, page.source, page.declared) == (expected, "bom", "cp1251")
    assert page.text.startswith("<!DOCTYPE html>")
    assert "Сталкер" in page.text
    assert page.note == "BOM overrides declared cp1251"


def test_utf16_header_without_bom() -> None:
    body = html("Сталкер").encode("utf-16-le")

    page = decode_html(body, "text/html; charset=utf-16")

    assert (page.encoding, page.source) == ("utf-16-le", "header")
    assert "Сталкер" in page.text


def test_utf16_meta_means_utf8() -> None:
    # A meta tag that could be read as ASCII was not written in UTF-16 (WHATWG).
    page = decode_html(html("Amélie", '<meta charset="utf-16">').encode("utf-8"))

    assert (page.encoding, page.declared) == ("utf-8", "utf-8")
    assert "Amélie" in page.text


def test_utf16_header_over_ascii_bytes_is_not_believed() -> None:
    page = decode_html(html("plain ASCII").encode("ascii"), "text/html; charset=utf-16")

    assert page.encoding == "utf-8"
    assert "plain ASCII" in page.text


@pytest.mark.parametrize("label", ["unicode-escape", "rot13", "utf-7", "hz-gb-2312", "nonsense"])
def test_unsafe_or_unknown_labels_are_ignored(label: str) -> None:
    # Text transforms and escape-based encodings could turn inert bytes into markup.
    body = b"<p>\\u003cscript\\u003e +ADw-script+AD4- ~{<:Ky2;S{#,NpJ)l6HK!#~}</p>"

    page = decode_html(body, f"text/html; charset={label}")

    assert page.declared is None
    assert page.text == body.decode("ascii")


def test_pure_ascii_without_declaration() -> None:
    page = decode_html(b"<p>&#26481;&#20140;</p>")

    assert (page.encoding, page.source, page.declared, page.note) == ("utf-8", "detected", None, "")


def test_iso2022jp_without_declaration() -> None:
    text = fixture_text("ja_tokyo_story").split("\n\n")[0]

    page = decode_html(html(text).encode("iso2022_jp"))

    assert (page.encoding, page.source) == ("iso2022_jp", "detected")
    assert text in page.text


def test_empty_body() -> None:
    assert decode_html(b"") == DecodedPage("", "utf-8", "fallback", 0.0, None, "")
    assert decode_html(b"", "text/html; charset=koi8-r").encoding == "koi8-r"


def test_nul_becomes_replacement_character_and_counts() -> None:
    page = decode_html(b"<p>a\x00b</p>", "text/html; charset=utf-8")

    assert page.text == "<p>a\ufffdb</p>"
    assert page.replacement_ratio == 1.0


def test_control_characters_are_dropped() -> None:
    # Issue 6: one bell character made trafilatura drop the page's whole main text.
    page = decode_html(b"<p>a\x07b\x1b[31mc\x0bd\x0ce\tf\r\ng\x7f</p>", "text/html")

    assert page.text == "<p>ab[31mc d e\tf\r\ng\x7f</p>"
    assert page.replacement_ratio == 0
    references = decode_html(b"<p>&#1;a&#x7;b&#12;c&#10;d&#x41;&#0;&#65</p>", "text/html")
    assert references.text == "<p>ab c&#10;d&#x41;&#0;&#65</p>"


def test_junk_falls_back_and_is_marked() -> None:
    body = bytes(range(0x80, 0x100)) * 40

    page = decode_html(body, "text/html; charset=utf-8")

    assert page.source == "fallback"
    assert page.replacement_ratio > 0
    assert "no codec decoded cleanly" in page.note


# --- size: bounded sample, linear time ----------------------------------------------


def test_detection_sample_is_bounded() -> None:
    body = html(fixture_text("ru_stalker") * 4000).encode("koi8_r")
    assert len(body) > 2_000_000

    assert len(_prose_sample(body)) <= 64 * 1024 + 2 * 16 * 1024 + 2


@pytest.mark.parametrize(
    ("codec", "content_type"),
    [("euc_jp", None), ("cp1252", "text/html; charset=utf-8"), ("utf-8", None)],
)
def test_twenty_megabytes_decode_in_linear_time(codec: str, content_type: str | None) -> None:
    name = "en_eraserhead" if codec == "cp1252" else "ja_tokyo_story"
    unit = f'<div class="c"><p>{fixture_text(name)}</p><a href="/x">link</a></div>\n'
    body = unit.encode(codec) * (20_000_000 // len(unit.encode(codec)) + 1)

    # The process's CPU time, not the clock's: a busy machine does not fail it. A
    # quadratic step would take minutes here.
    started = time.process_time()
    page = decode_html(body, content_type)
    cpu_seconds = time.process_time() - started

    assert page.encoding == {"euc_jp": "euc_jp", "cp1252": "cp1252", "utf-8": "utf-8"}[codec]
    assert_clean(page)
    assert cpu_seconds < 10, f"{cpu_seconds:.1f} s for {len(body) / 1e6:.0f} MB"  # ~0.3 s here


# --- never raises ------------------------------------------------------------------

CODECS = ["utf-8", "cp1252", "cp1251", "koi8_r", "euc_kr", "shift_jis", "euc_jp", "gbk", "big5"]
LABELS = [*CODECS, "utf-16", "utf-7", "latin1", "x-user-defined", "unicode-escape", "", "\x00"]


def assert_invariants(page: DecodedPage) -> None:
    assert isinstance(page.text, str)
    assert "\x00" not in page.text
    assert not re.search("[\ud800-\udfff]", page.text)
    assert page.source in SOURCES
    assert 0.0 <= page.replacement_ratio <= 1.0
    assert codecs.lookup(page.encoding).name == page.encoding
    assert not page.note.startswith("error:"), page.note


@settings(max_examples=300, deadline=None, database=None)
@given(body=st.binary(max_size=4096), content_type=st.none() | st.text(max_size=80))
def test_never_raises_on_arbitrary_bytes(body: bytes, content_type: str | None) -> None:
    page = decode_html(body, content_type)

    assert_invariants(page)
    assert decode_html(body, content_type) == page  # one decision, every time


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    text=st.text(max_size=400),
    codec=st.sampled_from(CODECS),
    label=st.sampled_from(LABELS),
    in_meta=st.booleans(),
)
def test_never_raises_on_declared_text(text: str, codec: str, label: str, in_meta: bool) -> None:
    head = f'<meta charset="{label}">' if in_meta else ""
    body = html(text, head).encode(codec, "replace")

    page = decode_html(body, None if in_meta else f"text/html; charset={label}")

    assert_invariants(page)


@settings(max_examples=100, deadline=None, database=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_utf8_round_trips(text: str) -> None:
    # NUL and the other C0 controls XML forbids do not survive decoding (issue 6).
    text = "".join(ch for ch in text if ch in "\t\n\r" or not ("\x00" <= ch < " "))
    body = html(text).encode("utf-8")

    page = decode_html(body)

    assert page.encoding == "utf-8"
    assert page.text == body.decode("utf-8")


# --- content kind ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (b"", "text/html", "empty"),
        (b"  \r\n\t ", None, "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "text/html; charset=utf-8", "pdf"),
        (b"\n %PDF-1.4", None, "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/html", "image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "text/html", "image"),
        (b"GIF89a\x01\x00\x01\x00", None, "image"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "text/html", "image"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00", None, "image"),
        (b"\x00\x00\x00\x18ftypmp42", "text/html", "binary"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "text/html", "binary"),
        (b"PK\x03\x04\x14\x00", "text/html", "binary"),
        (b"<!DOCTYPE html><title>x</title>", "text/html", "html"),
        (b"<!DOCTYPE html><title>x</title>", None, "html"),
        (b"\xef\xbb\xbf\n  <html lang=en>", "application/octet-stream", "html"),
        (codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le"), None, "html"),
        (b"<!-- generated --><div>", None, "html"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">', None, "html"),
        (b'<?xml version="1.0"?><rss version="2.0">', None, "xml"),
        (b"<rss>", "application/rss+xml", "xml"),
        (b"<x/>", "text/xml", "xml"),
        (b"<p>hi</p>", "application/xhtml+xml", "html"),
        (b'{"@type": "Movie"}', "application/ld+json", "json"),
        (b'{"@type": "Movie"}', "application/json; charset=utf-8", "json"),
        (b'[{"a": 1}]', None, "json"),
        (b"plain words", "text/plain", "text"),
        (b"plain words", None, "text"),
        (b"body { color: red }", "text/css", "text"),
        (b"\x00\x01\x02\x03binary", None, "binary"),
        (b"\x00\x01\x02\x03binary", "application/octet-stream", "binary"),
        (b"anything", "image/png", "image"),
        (b"anything", "video/mp4", "binary"),
        (b"anything", "application/pdf", "pdf"),
        (b"<html>", "TEXT/HTML; charset=utf-8", "html"),
        # Issue 6: random bytes served as text/html are binary; a stray NUL is not.
        (bytes(range(256)) * 4, "text/html; charset=utf-8", "binary"),
        (b"<html><body>\x00<p>" + b"text " * 40, "text/html", "html"),
        ("<html><p>UTF-16 without a BOM</p>".encode("utf-16-le"), "text/html", "html"),
    ],
)
def test_sniff_content_kind(body: bytes, content_type: str | None, kind: str) -> None:
    assert sniff_content_kind(body, content_type) == kind


@settings(max_examples=200, deadline=None, database=None)
@given(body=st.binary(max_size=2048), content_type=st.none() | st.text(max_size=60))
def test_sniff_never_raises(body: bytes, content_type: str | None) -> None:
    assert sniff_content_kind(body, content_type) in {
        "html",
        "pdf",
        "image",
        "json",
        "xml",
        "text",
        "binary",
        "empty",
    }


# --- the real corpus ---------------------------------------------------------------


def corpus_pages() -> list[str]:
    manifest = corpus_path() / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    rows = manifest.read_text(encoding="utf-8").splitlines()[1:]
    return [row.split("\t", 1)[0] for row in rows if row.strip()]


def read_corpus_page(name: str) -> tuple[bytes, str | None]:
    """The page body and its Content-Type, splitting off ``curl -i`` headers."""
    path = corpus_path() / name
    if not path.is_file():
        pytest.skip(f"{path} not available")
    raw = path.read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    if not raw.startswith(b"HTTP/"):
        return raw, None
    end = re.search(rb"\r?\n\r?\n", raw)
    assert end is not None
    headers, body = raw[: end.start()], raw[end.end() :]
    match = re.search(rb"(?im)^content-type:[ \t]*(.*?)\r?$", headers)
    return body, match.group(1).decode("latin-1") if match else None


# Pages whose decision is the point of the corpus; every other page is UTF-8.
CORPUS_EXPECTED = {
    "kinopoisk__interstellar-2014.html": ("cp1251", "meta", "Интерстеллар"),
    "kinopoisk__pirates-of-the-caribbean-2003.html": ("cp1251", "meta", "Пираты Карибского моря"),
    "kinopoisk__redacted-bez-tsenzury-2007.html": ("cp1251", "meta", "Без цензуры"),
    "kinopoisk__big-bang-theory-series.html": ("cp1251", "meta", "Теория большого взрыва"),
    "rottentomatoes__burn-after-reading-2008.html": ("cp1252", "detected", "official’s"),
    "rottentomatoes__the-women-2008.html": ("cp1252", "detected", "“Murphy Brown”"),
    "imdb__die-hard-1988-combined.html": ("utf-8", "detected", "Големият Лебовски"),
    "imdb__die-hard-user-reviews.html": ("utf-8", "detected", "Princesse Mononoké"),
    "imdb__the-dark-knight-2008-combined.html": ("utf-8", "detected", None),
    "imdb__gaslight-1944-combined.html": ("utf-8", "detected", None),
    "imdb__the-walking-dead-tv-series.html": ("utf-8", "detected", None),
    "imdb__die-hard-critic-reviews.html": ("utf-8", "header", None),
    "imdb__kannethirey-thondrinal-1998.html": ("utf-8", "header", None),
    "imdb__shawshank-2009-classic-layout.html": ("cp1252", "meta", None),
    "imdb__il-buono-il-brutto-il-cattivo-2009.html": ("cp1252", "meta", None),
    "slashdot__microsoft-gpl3-comments-2007.html": ("cp1252", "meta", None),
    "traf-xinhuanet-wayback__stage-drama-tour.html": ("gb18030", "meta", "约定无期限"),
    # Declares EUC-JP in <meta http-equiv ... value=...>, which is no declaration to a
    # browser (only content= counts), and is pure ASCII with numeric references.
    "postlight-jp__takagi-diary-euc-jp-declared.html": ("utf-8", "detected", "&#"),
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", corpus_pages() or ["(corpus missing)"])
def test_real_corpus_page(name: str) -> None:
    if name == "(corpus missing)":
        pytest.skip(f"no corpus at {corpus_path()}")
    body, content_type = read_corpus_page(name)

    page = decode_html(body, content_type)

    encoding, source, snippet = CORPUS_EXPECTED.get(name, ("utf-8", None, None))
    assert page.encoding == encoding, page.note
    if source is not None:
        assert page.source == source
    assert_clean(page)
    if snippet is not None:
        assert snippet in page.text
    assert "Ã©" not in page.text and "â€™" not in page.text  # UTF-8 read as cp1252


@pytest.mark.corpus
def test_imdb_note_explains_the_override() -> None:
    body, content_type = read_corpus_page("imdb__die-hard-1988-combined.html")

    page = decode_html(body, content_type)

    assert content_type == "text/html; charset=iso-8859-1"
    assert page.declared == "cp1252"
    assert page.note == "declared cp1252 but the body is valid UTF-8 with multi-byte sequences"
