"""Language labels: the labelled-set accuracy gate, edge cases, determinism, speed."""

from __future__ import annotations

import collections
import csv
import doctest
import itertools
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect import DetectorFactory

from crawler.process import language
from crawler.process.language import (
    DETECTORS,
    UND,
    LanguageResult,
    detect_language,
    detect_languages,
    use_detector,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
LABELLED = Path(__file__).parent / "data" / "language" / "comments.tsv"
CODE = re.compile(r"^(?:[a-z]{2}|und)$")

ZACH_ASYRAF = (
    "Cerita yang HEBAT, jalan Cerita yang BAGUS, 1st time tengok filem Korea dan 1st time "
    "menangis depan laptop buat aku teringat lirik lagu 150 juta - Ainan Tasneem .. tapi "
    "Akhirnya ayah Ye-Seung ni didapati tak bersalahkan TAPI kenapa Ye-Seung cakap Selamat "
    "Tinggal dan I Love You PAPA pada akhir filem ni ? .. adakah PAPA dia sudah MATI ?"
)
# langdetect's 7 trials split 5/2 (en/af) on this one, so an unseeded detector would
# answer differently from run to run: the probe for determinism.
SPLIT_VOTE = "so sad ... great movie .."


def labelled() -> list[tuple[str, str, str]]:
    lines = LABELLED.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "expected\ttext\tsource"
    rows = (line.split("\t") for line in lines[1:])
    return [(expected, text, source) for expected, text, source in rows]


def raw_langdetect(text: str) -> LanguageResult:
    """langdetect's own answer for a Latin text, bypassing thresholds and the cache."""
    view = language._dominant_script(language.normalise_text(text))
    return language._langdetect(view.text, language._SCRIPT_CANDIDATES[view.script])


def count_langdetect_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Empty the cache and record every text handed to langdetect from now on."""
    language._detect_normalised.cache_clear()
    calls: list[str] = []
    real = language._langdetect

    def counting(text: str, candidates: frozenset[str]) -> LanguageResult:
        calls.append(text)
        return real(text, candidates)

    monkeypatch.setattr(language, "_langdetect", counting)
    return calls


# --- the labelled set ------------------------------------------------------------------


def test_labelled_set_is_what_it_claims() -> None:
    rows = labelled()
    sources = collections.Counter(source.split("#")[0].split()[0] for _, _, source in rows)
    assert sources["asianwiki"] == 63
    assert sources["blog"] == 3
    assert sources["own"] >= 150
    assert len({expected for expected, _, source in rows if source == "own"} - {UND}) >= 15
    assert all(CODE.match(expected) for expected, _, _ in rows)


def test_accuracy_on_labelled_comments() -> None:
    rows = labelled()
    confusion: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for expected, text, _ in rows:
        confusion[expected][detect_language(text).lang] += 1
    right = sum(counts[expected] for expected, counts in confusion.items())
    accuracy = right / len(rows)
    summary = "\n".join(
        f"  {expected}: {counts[expected]}/{counts.total()}"
        + "".join(f", {got} x{n}" for got, n in counts.most_common() if got != expected)
        for expected, counts in sorted(confusion.items())
    )
    # Measured 335/344 = 97.4% (langdetect alone: 312/344 = 90.7%). The 9
    # misses are 4 titles labelled und ("Miracle in Cell No. 7" -> it), 4 short comments
    # where langdetect's trials split (-> und) and 1 four-character Chinese one (-> und).
    # 95% leaves room for a few changed answers (a langdetect upgrade) but not for
    # losing a language: Malay alone is 16 comments.
    assert accuracy >= 0.95, f"accuracy {accuracy:.1%} ({right}/{len(rows)}):\n{summary}"
    # No language with 10 or more comments may fall apart (measured: all 100% but en
    # 95.2%, zh 91.7%, und 82.6%).
    weak = {
        expected: f"{counts[expected]}/{counts.total()}"
        for expected, counts in confusion.items()
        if counts.total() >= 10 and counts[expected] / counts.total() < 0.8
    }
    assert not weak, f"languages under 80%: {weak}\n{summary}"
    # Misses should be und, not another language: measured 4 wrong labels, all on titles.
    wrong = sum(
        n
        for expected, counts in confusion.items()
        for got, n in counts.items()
        if got not in (expected, UND)
    )
    assert wrong <= 8, f"{wrong} wrong labels:\n{summary}"


# --- what is und ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "😭😭😭",
        "❤️❤️❤️👍🏽",
        "10/10 2013 100% 12.32",
        "!!! ... ??? (>_<) ^^",
        "\x00\x01\x1b[0m\x7f",
        "\ud800",
        "\udc00\ud800 \udfff",
        "https://example.com/watch?v=123 @Sarah someone@example.com",
        "T_T",
        "lol",
        "ㅠㅠ",
        "Ok!!",
    ],
)
def test_undetermined(text: str) -> None:
    assert detect_language(text) == LanguageResult(UND, 0.0)


def test_short_text_skips_langdetect(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_langdetect_calls(monkeypatch)
    assert (
        detect_languages(["wow", "so sad!!", "daebak 😭", "10/10"])
        == [LanguageResult(UND, 0.0)] * 4
    )
    assert calls == []


# --- scripts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("진짜 오랜만에 펑펑 울었어요 ㅠㅠ", "ko"),
        ("대박", "ko"),
        ("久しぶりに映画で号泣しました", "ja"),
        ("ワンピースより泣けた", "ja"),
        ("我看了这部电影，哭得很厉害", "zh"),  # simplified: langdetect zh-cn
        ("我看了這部電影，哭得很厲害", "zh"),  # traditional: langdetect zh-tw
        ("ดูแล้วร้องไห้หนักมาก", "th"),
        ("Το κοριτσάκι παίζει καταπληκτικά", "el"),
        ("הילדה הקטנה משחקת מדהים", "he"),
        ("ძალიან კარგი ფილმია", "ka"),
        ("շատ լավ ֆիլմ է, լացեցի", "hy"),
        ("Фильм просто чудесный, я плакала всё время", "ru"),
        ("Фільм просто чудовий, я плакала весь час", "uk"),
        ("هذا الفيلم جميل جدا", "ar"),
        ("این فیلم خیلی قشنگ بود", "fa"),
        ("छोटी बच्ची की एक्टिंग कमाल की है", "hi"),
    ],
)
def test_script(text: str, expected: str) -> None:
    assert detect_language(text).lang == expected


def test_script_ranges_are_sorted_and_disjoint() -> None:
    # _script_of() finds a code point's range by bisection.
    ranges = language._SCRIPT_RANGES
    assert all(first <= last for first, last, _, _ in ranges)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges))


def test_mixed_script_goes_by_the_dominant_script() -> None:
    # An English sentence quoting the Korean title: judged on its English words only.
    assert detect_language("The ending of 7번방의 선물 made me cry like a baby, wow").lang == "en"
    # A Korean comment naming the actress in Latin letters.
    assert detect_language("박신혜 연기 최고 Park Shin Hye 7번방의 선물 꼭 보세요").lang == "ko"
    # A Japanese comment with an English brand name.
    assert detect_language("Netflixで見ました！めっちゃ泣いた〜").lang == "ja"
    # A Chinese comment quoting the Korean title: more Han than Hangul.
    assert detect_language("7번방의 선물这部电影太感人了，我哭了很久").lang == "zh"


def test_kanji_only_text_is_not_taken_for_japanese() -> None:
    # Only Kana makes CJK text Japanese outright; short Kanji-only text is left to
    # langdetect (and "太好看了" is too short for it).
    for text in ("太好看了", "好", "爸爸太可怜了"):
        view = language._dominant_script(language.normalise_text(text))
        assert view.script == language.CJK
    assert detect_language("太好看了").lang == UND
    assert detect_language("ワンピース").lang == "ja"


def test_script_decisions_have_full_confidence() -> None:
    assert detect_language("대박 ㅠㅠ") == LanguageResult("ko", 1.0)


# --- Malay and Indonesian ---------------------------------------------------------------


def test_zach_asyraf_is_malay() -> None:
    # langdetect alone says id (0.99999): it has no Malay profile.
    assert raw_langdetect(ZACH_ASYRAF).lang == "id"
    result = detect_language(ZACH_ASYRAF)
    assert result.lang == "ms"
    assert result.confidence > 0.99


def test_indonesian_stays_indonesian() -> None:
    text = "Udah nonton tiga kali tapi tetep aja nangis terus, bagus banget filmnya"
    assert detect_language(text).lang == "id"


def test_malay_needs_markers_to_clearly_win() -> None:
    # One Malay marker (kesian) is not enough: stays id.
    assert detect_language("ayah dia baik sangat, kesian dia").lang == "id"
    # Two Malay markers against one Indonesian: not more than twice as many.
    assert detect_language("aku tengok filem itu, nonton lagi sedih").lang == "id"
    assert detect_language("aku tengok filem ni sedih sangat").lang == "ms"


def test_malay_that_langdetect_calls_something_else() -> None:
    assert raw_langdetect("ni filem sedih").lang == "sl"
    assert detect_language("ni filem sedih").lang == "ms"


def test_english_with_malay_particles_stays_english() -> None:
    assert detect_language("so sad lah this movie, I cried until my eyes swollen").lang == "en"


def test_tagalog_stays_tagalog() -> None:
    text = "Grabe iyak ko dito, ang ganda ng kwento ng mag-ama, anak at tatay"
    assert detect_language(text).lang == "tl"


# --- robustness ---------------------------------------------------------------------------


def test_control_characters_and_surrogates_inside_text() -> None:
    text = "I cried\x00 like a baby\udc00 when I watched\x1b this movie\u200b"
    assert detect_language(text).lang == "en"


def test_very_long_text_is_judged_by_a_bounded_start(monkeypatch: pytest.MonkeyPatch) -> None:
    # A megabyte of text costs what its start costs: normalisation reads at most
    # MAX_INPUT_CHARS of it and the detector sees at most MAX_DETECT_CHARS.
    normalised: list[int] = []
    detected: list[int] = []
    normalise, detect = language._normalised, language._langdetect

    def normalise_counted(text: str) -> str:
        normalised.append(len(text))
        return normalise(text)

    def detect_counted(text: str, candidates: Any) -> Any:
        detected.append(len(text))
        return detect(text, candidates)

    monkeypatch.setattr(language, "_normalised", normalise_counted)
    monkeypatch.setattr(language, "_langdetect", detect_counted)
    language._detect_normalised.cache_clear()  # detect, not remember
    english = "I cried like a baby when I watched this movie with my father. "
    text = english * 400 + "진짜 오랜만에 펑펑 울었어요 " * 70_000  # 1.1M chars, Korean after 25k
    assert len(text) > 1_000_000
    assert detect_language(text).lang == "en"
    assert normalised and max(normalised) <= language.MAX_INPUT_CHARS
    assert detected and max(detected) <= language.MAX_DETECT_CHARS
    normalised.clear()
    assert detect_language("😭 " * 500_000).lang == UND
    assert normalised and max(normalised) <= language.MAX_INPUT_CHARS


def test_normalised_text_is_the_cache_key() -> None:
    assert language.normalise_text("  So SAD!!  😭 https://x.co/a  @Sarah\n\ngreat  movie ") == (
        "so sad great movie"
    )
    assert language.normalise_text("ＡＢＣ ｗ") == "ａｂｃ ｗ"  # NFC keeps fullwidth forms
    assert language.normalise_text("e\u0301") == "é"


# --- batch API ---------------------------------------------------------------------------


def test_batch_detects_once_per_distinct_normalised_text(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_langdetect_calls(monkeypatch)
    texts = [
        "What a great movie, I cried so much!!",
        "what a great movie i cried so much 😭😭",
        "WHAT A GREAT MOVIE... I CRIED SO MUCH",
        "La niña actúa increíble, no puedo creer que sea tan pequeña",
    ]
    results = detect_languages(texts)
    assert [r.lang for r in results] == ["en", "en", "en", "es"]
    assert len(calls) == 2
    assert detect_languages(texts) == results
    assert len(calls) == 2  # the second batch is served from the cache
    assert detect_languages([]) == []


def test_batch_matches_single() -> None:
    texts = [text for _, text, _ in labelled()[:80]]
    assert detect_languages(texts) == [detect_language(text) for text in texts]


# --- determinism ---------------------------------------------------------------------------

DETERMINISM_SCRIPT = """
import json, sys
from crawler.process import language
texts = json.loads(sys.argv[1])
print(json.dumps([[language._langdetect(t, language._SCRIPT_CANDIDATES["Latin"]).lang,
                   language._langdetect(t, language._SCRIPT_CANDIDATES["Latin"]).confidence,
                   language.detect_language(t).lang] for t in texts]))
"""


def in_new_process(texts: list[str], hash_seed: str) -> list[list[object]]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    completed = subprocess.run(
        [sys.executable, "-c", DETERMINISM_SCRIPT, json.dumps(texts)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    results: list[list[object]] = json.loads(completed.stdout)
    return results


def test_same_answer_whatever_the_call_order_and_process() -> None:
    other = "Lloré muchísimo con esta película"
    split = language.normalise_text(SPLIT_VOTE)
    assert raw_langdetect(SPLIT_VOTE) == LanguageResult("en", 0.7143)  # a 5/7 vote
    first = raw_langdetect(SPLIT_VOTE)
    for _ in range(3):
        raw_langdetect(other)
        assert raw_langdetect(SPLIT_VOTE) == first
    expected = [["en", 0.7143, "und"]]
    assert in_new_process([split], hash_seed="1") == expected
    assert in_new_process([other, split], hash_seed="2")[1:] == expected


def test_our_seed_survives_changes_to_langdetects_global_seed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    language.seed_detector()
    monkeypatch.setattr(DetectorFactory, "seed", None)
    assert {raw_langdetect(SPLIT_VOTE) for _ in range(5)} == {LanguageResult("en", 0.7143)}


def test_langdetect_is_imported_on_first_use_only() -> None:
    code = "import sys, crawler.process.language; print('langdetect' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "False"


# --- properties ------------------------------------------------------------------------------

any_text = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=()),
        st.characters(categories=["Cs"]),  # lone surrogates, rare in the line above
        st.sampled_from(" \x00\u200d😭ㅠ"),
    ),
    max_size=300,
)
# Arbitrary characters mixed with real comments, so that langdetect is reached too.
comment_like = st.lists(
    st.one_of(any_text, st.sampled_from([text for _, text, _ in labelled()])), max_size=4
).map(" ".join)


@settings(deadline=None, max_examples=300)
@given(comment_like)
def test_any_string_gets_a_valid_label(text: str) -> None:
    result = detect_language(text)
    assert CODE.match(result.lang)
    assert 0.0 <= result.confidence <= 1.0
    assert (result.lang == UND) == (result.confidence == 0.0)


@settings(deadline=None, max_examples=100)
@given(st.lists(comment_like, max_size=5))
def test_same_input_same_output(texts: list[str]) -> None:
    first = detect_languages(texts)
    language._detect_normalised.cache_clear()
    assert detect_languages(texts) == first
    assert [detect_language(text) for text in reversed(texts)] == first[::-1]


def test_module_examples() -> None:
    failures, tried = doctest.testmod(language)
    assert tried >= 4
    assert failures == 0


# --- the optional fastText detector ---------------------------------------------------


def _labelled() -> list[tuple[str, str]]:

    path = Path(__file__).parent / "data" / "language" / "comments.tsv"
    with path.open(encoding="utf-8") as handle:
        return [(row["expected"], row["text"]) for row in csv.DictReader(handle, delimiter="\t")]


def test_the_fasttext_option_is_at_least_as_accurate_as_langdetect() -> None:
    """The issue's condition for offering a faster detector: it must match langdetect's
    accuracy on the labelled comments (measured: 337 vs 335 of 344)."""

    rows = _labelled()
    right: dict[str, int] = {}
    try:
        for name in DETECTORS:
            use_detector(name)
            right[name] = sum(detect_language(text).lang == expected for expected, text in rows)
    finally:
        use_detector("langdetect")
    assert right["fasttext"] >= right["langdetect"], right
    assert (
        detect_language(
            "Cerita yang HEBAT, 1st time tengok filem Korea, tapi kenapa dia cakap macam tu"
        ).lang
        == "ms"
    )


def test_an_unknown_detector_is_refused() -> None:

    with pytest.raises(ValueError, match="unknown language detector"):
        use_detector("magic")


def _normalised_whole(text: str) -> str:
    """normalise_text as one pass over the whole capped text (before issue 16 made a
    long text's start be normalised first)."""
    text = language._SURROGATES.sub(" ", text[: language.MAX_INPUT_CHARS])
    text = unicodedata.normalize("NFC", text).lower()
    text = language._URLS_MAILS_MENTIONS.sub(" ", text).translate(language._LETTERS_ONLY)
    return " ".join(text.split())[: language.MAX_DETECT_CHARS]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "ΟΔΟΣ",
                "Σ",
                "e\u0301",
                "\u0301",
                "https://x.co/a b",
                "a@b.cd",
                "@tag",
                "İ",
                "ß",
                "\ud83d",
                "日本語",
                " ",
                "  ",
                "\n",
                "word",
                "ＡＢＣ",
                "can't",
                "x.y",
            ]
        ),
        min_size=400,
        max_size=3000,
    )
)
def test_a_long_text_is_normalised_as_a_whole_would_be(parts: list[str]) -> None:
    text = "".join(parts)
    assert language.normalise_text(text) == _normalised_whole(text)


def _dominant_script_per_character(text: str) -> language._ScriptView:
    """_dominant_script judged character by character (before issue 16 made it judge
    each distinct character once)."""
    if text.isascii():
        return language._ScriptView(language.LATIN, len(text) - text.count(" "), text)
    weights: dict[str, int] = {}
    scripts: list[str | None] = []
    kana = 0
    for char in text:
        if char == " " or unicodedata.category(char)[0] == "M":
            scripts.append(None)
            continue
        script, weight = language._script_of(char)
        weights[script] = weights.get(script, 0) + weight
        scripts.append(script)
        kana += language._is_kana(char)
    if not weights:
        return language._ScriptView("Other", 0, "")
    dominant = max(weights, key=lambda script: weights[script])
    kept = "".join(
        char if script in (dominant, None) else " "
        for char, script in zip(text, scripts, strict=True)
    )
    japanese = dominant == language.CJK and kana >= language._MIN_KANA_SHARE * (
        weights.get(language.CJK, 0) // 2
    )
    return language._ScriptView(
        language.KANA if japanese else dominant, weights[dominant], " ".join(kept.split())
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab é\u0301ωжاअ日本ひカ한ㅋ😭 1")) | st.text(min_size=1))
def test_scripts_judged_per_distinct_character_as_per_character(text: str) -> None:
    normalised = language.normalise_text(text)
    assert language._dominant_script(normalised) == _dominant_script_per_character(normalised)
    assert language._dominant_script(text) == _dominant_script_per_character(text)
