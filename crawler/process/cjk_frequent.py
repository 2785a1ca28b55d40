"""The most frequent characters of Japanese, Korean and Chinese text.

A right reading of CJK bytes lands on many of them, a wrong one only by chance
(:mod:`crawler.process.decode` uses them to choose between Shift_JIS, EUC-KR, GBK,
Big5 ...). The lists are charset-normalizer 3.5's language frequency tables (MIT
licence, (c) TAHRI Ahmed R.), kept here because that module
(``charset_normalizer.constant``) is not part of its public API: a release may change
or drop it without notice, and our decoding must not change with it.
"""

from __future__ import annotations

__all__ = ["FREQUENT_CHARACTERS"]

FREQUENT_CHARACTERS: dict[str, str] = {
    "Japanese": (
        "日一人年大十二本中長出三時行見月分後前生五間上東四今金九入学"
        "高円子外八六下来気小七山話女北午百書先名川千水半男西電校語土"
        "木聞食車何南万毎白天母火右読友左休父雨"
    ),
    "Korean": ("이다에의는로하을가고지서한은기으년대사시를리도인스일"),
    "Chinese": (
        "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可"
        "也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方"
        "多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心"
        "她本前开但因只从想实"
    ),
}
