"""normalise_date / normalise_year: golden cases from the seeds and real pages, properties."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalize.dates import normalise_date, normalise_year


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Seeds (AsianWiki, YAM, MyDramaList-style fact boxes).
        ("Jan 23, 2013", "2013-01-23"),
        ("January 24, 2013", "2013-01-24"),
        ("2013-01-23", "2013-01-23"),
        ("1 February 2013 (South Korea)", "2013-02-01"),
        ("January 23, 2013 (South Korea)", "2013-01-23"),
        ("January 23, 2013 (South Korea), February 1, 2013 (USA)", "2013-01-23"),
        ("2013-01-23T00:00:00+09:00", "2013-01-23"),  # the stated local day, not UTC
        ("2013-01-23T23:30:00-08:00", "2013-01-23"),
        ("2013-01-23 12:00", "2013-01-23"),
        # Other languages and layouts.
        ("23 janvier 2013", "2013-01-23"),
        ("23. Januar 2013", "2013-01-23"),
        ("23 de enero de 2013", "2013-01-23"),
        ("2013년 1월 23일", "2013-01-23"),
        ("2013년1월23일", "2013-01-23"),
        ("2013年1月23日", "2013-01-23"),
        ("２０１３年１月２３日", "2013-01-23"),
        ("23 января 2013", "2013-01-23"),
        ("23 Ocak 2013", "2013-01-23"),
        ("23.01.2013", "2013-01-23"),
        ("2013.01.23", "2013-01-23"),
        ("2013. 1. 23.", "2013-01-23"),
        ("2013/01/23", "2013-01-23"),
        ("23/01/2013", "2013-01-23"),
        ("01/23/2013", "2013-01-23"),
        ("23rd January 2013", "2013-01-23"),
        ("January 23rd, 2013", "2013-01-23"),
        ("2013 January 23", "2013-01-23"),
        ("Sept. 10, 1994", "1994-09-10"),
        # Real pages: KinoPoisk, IMDb, Rotten Tomatoes, MyDramaList, Wikipedia.
        ("26 октября 2014, ...", "2014-10-26"),
        ("6 ноября 2014,", "2014-11-06"),
        ("25 May 1995 (Hungary)", "1995-05-25"),
        ("Release Date: 25 May 1995 (Hungary)", "1995-05-25"),
        ("Sep 10, 1994\u00a0wide", "1994-09-10"),
        ("In Theaters: Sep 10, 1994 wide", "1994-09-10"),
        ("Dec 14, 2019 - Feb 16, 2020", "2019-12-14"),
        ("December\u00a020,\u00a01991\u00a0(1991-12-20)", "1991-12-20"),
        # Partial dates keep their precision.
        ("January 2013", "2013-01"),
        ("Januar 2013", "2013-01"),
        ("mars 2013", "2013-03"),
        ("2013-01", "2013-01"),
        ("2013년 1월", "2013-01"),
        ("2013", "2013"),
        ("2013년", "2013"),
        ("(2013)", "2013"),
        # issue 14: words after the date, and a season of a year (anime databases)
        ("16 juillet 2010 en salle", "2010-07-16"),
        ("21 июля 2010 г. в прокате", "2010-07-21"),
        ("Spring 1998", "1998"),
    ],
)
def test_normalise_date_golden(raw: str, expected: str) -> None:
    assert normalise_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "31 February 2013",
        "2013-02-30",
        "2013-13-01",
        "30.02.2013",
        "03/04/2013",  # day-month or month-day: the page does not say
        "1066",
        "yesterday",  # relative dates would make the function impure
        "2 days ago",
        "23 Jan",  # no year: dateparser would guess one
        "1358899200",  # not an epoch timestamp
        "Miracle in Cell No. 7",
    ],
)
def test_normalise_date_rejects(raw: str) -> None:
    assert normalise_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Times and zones never move the calendar day the page states.
        ("23 de enero de 2013 10:00 CET", "2013-01-23"),
        ("23 janvier 2013 à 01:00 +09:00", "2013-01-23"),
        ("23 janvier 2013 KST", "2013-01-23"),
        ("23 января 2013 23:30", "2013-01-23"),
    ],
)
def test_times_and_zones_are_ignored(raw: str, expected: str) -> None:
    assert normalise_date(raw) == expected


def test_result_does_not_depend_on_the_machine_timezone() -> None:
    # Regression: dateparser's default TIMEZONE="local" asks tzlocal for the zone; with
    # an unusable $TZ it failed the parse behind a FutureWarning.
    code = (
        "from crawler.normalize.dates import normalise_date as n;"
        "print(n('23 janvier 2013'), n('23 января 2013 12:00'), n('23 janvier 2013 KST'))"
    )
    for tz in ("Invalid/Zone", "Asia/Seoul", "America/Los_Angeles"):
        out = subprocess.run(
            [sys.executable, "-W", "error", "-c", code],
            env={**os.environ, "TZ": tz, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.split() == ["2013-01-23"] * 3, (tz, out)


def test_languages_hint() -> None:
    assert normalise_date("23 janvier 2013", languages=["fr"]) == "2013-01-23"
    assert normalise_date("2013-01-23", languages=["ko"]) == "2013-01-23"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2013", "2013"),
        ("(2013)", "2013"),
        ("Year: 2013", "2013"),
        ("1999–2013", "1999"),
        ("Jan 23, 2013", "2013"),
        ("2013-01-23T00:00:00+09:00", "2013"),
        ("２０１３", "2013"),
        ("20134", None),
        ("1066", None),
        ("", None),
    ],
)
def test_normalise_year_golden(raw: str, expected: str | None) -> None:
    assert normalise_year(raw) == expected


def _shape_ok(value: str) -> bool:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        dt.date(*parts)
    return 1850 <= parts[0] <= 2100 and (len(parts) < 2 or 1 <= parts[1] <= 12)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_date_never_raises_and_is_idempotent(raw: str) -> None:
    value = normalise_date(raw)
    if value is not None:
        assert _shape_ok(value)
        assert normalise_date(value) == value


@settings(deadline=None)
@given(st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_round_trips_from_common_layouts(date: dt.date) -> None:
    iso = date.isoformat()
    for raw in (
        iso,
        date.strftime("%b %d, %Y"),
        date.strftime("%B %d, %Y"),
        date.strftime("%d %B %Y"),
        date.strftime("%Y.%m.%d"),
        date.strftime("%d.%m.%Y"),
        f"{date.year}년 {date.month}월 {date.day}일",
        f"{date.year}年{date.month}月{date.day}日",
        f"{iso}T00:00:00+09:00",
    ):
        assert normalise_date(raw) == iso, raw


@given(st.text(max_size=30))
def test_year_never_raises_and_is_idempotent(raw: str) -> None:
    value = normalise_year(raw)
    if value is not None:
        assert normalise_year(value) == value
        assert 1850 <= int(value) <= 2100


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20), st.integers(1850, 2100), st.text(max_size=10))
def test_date_fallback_never_raises(before: str, year: int, after: str) -> None:
    # A four-digit year sends the text to dateparser: it must stay total and idempotent.
    value = normalise_date(f"{before} {year}{after}")
    if value is not None:
        assert _shape_ok(value)
        assert normalise_date(value) == value
