"""normalise_runtime: golden cases from the seeds and real pages, properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.normalize.durations import normalise_runtime


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2 hr. 7 min.", 127),
        ("127 min.", 127),
        ("127 min", 127),
        ("135분", 135),
        ("1h 47m", 107),
        ("1h47m", 107),
        ("PT127M", 127),
        ("PT2H7M", 127),
        ("PT2H22M", 142),  # IMDb JSON-LD
        ("PT2H7M30S", 128),  # 127.5 rounds half up
        ("P0DT2H7M", 127),
        ("2:07", 127),
        ("2:07:30", 128),
        ("127", 127),
        ("2 h 7 min", 127),
        ("107 мин.", 107),
        ("1 ч. 47 мин.", 107),
        ("1 hr 47 mins", 107),
        ("2 hours", 120),
        ("1.5 hours", 90),
        ("1,5 Std.", 90),
        ("2 Std. 7 Min.", 127),
        ("2 hours and 7 minutes", 127),
        ("2h 7", 127),
        ("2시간 7분", 127),
        ("2時間7分", 127),
        ("02時30分", 150),  # issue 14: Taiwanese listings
        ("127分钟", 127),
        ("약 135분", 135),
        ("approx. 127 min", 127),
        ("Duration: 2 hr. 7 min.", 127),
        # Real pages.
        ("169 мин. / 02:49", 169),  # KinoPoisk: the first figure
        ("103 min.", 103),  # FilmAffinity
        ("131 min", 131),  # IMDb 2014
        ("142 minutes", 142),  # Rotten Tomatoes
        ("Runtime: 142 minutes", 142),
        ("1 hr. 25 min.", 85),  # MyDramaList
        ("188 minutes[1]", 188),  # Wikipedia with a reference mark
        ("142 perc", 142),
        ("127 min (director's cut: 140 min)", 127),
        ("１２７分", 127),
    ],
)
def test_normalise_runtime_golden(raw: str, expected: int) -> None:
    assert normalise_runtime(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "0", "0 min", "2000 min", "26 hours", "abc", "min", "127 apples", "90-100 min", "P"],
)
def test_normalise_runtime_rejects(raw: str) -> None:
    assert normalise_runtime(raw) is None


@given(st.text(max_size=30))
def test_never_raises_and_is_idempotent(raw: str) -> None:
    value = normalise_runtime(raw)
    if value is not None:
        assert 1 <= value <= 1500
        assert normalise_runtime(str(value)) == value


@given(st.integers(0, 24), st.integers(0, 59))
def test_hours_and_minutes_agree_across_layouts(hours: int, minutes: int) -> None:
    total = hours * 60 + minutes
    expected = total if 1 <= total <= 1500 else None
    layouts = [f"PT{hours}H{minutes}M", f"{hours}:{minutes:02d}"]
    if hours and minutes:
        layouts += [
            f"{hours} hr. {minutes} min.",
            f"{hours}h {minutes}m",
            f"{hours}시간 {minutes}분",
        ]
    for raw in layouts:
        assert normalise_runtime(raw) == expected, raw
