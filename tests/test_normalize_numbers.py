"""Counts, admissions and box office: golden cases from the seeds and real pages, properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.normalize.numbers import (
    normalise_admissions,
    normalise_box_office,
    normalise_count,
    parse_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.32 million", 12320000),  # seed: "sold 12.32 million tickets"
        ("4.6 million admissions", 4600000),
        ("1,234,567", 1234567),
        ("12,320,000 admissions", 12320000),
        ("1.234.567", 1234567),
        ("1 234 567", 1234567),
        ("1'234'567", 1234567),
        ("5.11 млн", 5110000),  # KinoPoisk "зрители"
        ("5.11 млн, 1.6 млн, 423.2 тыс., ...", 5110000),  # the first country's figure
        ("423.2 тыс.", 423200),
        ("4 455 148", 4455148),
        ("1 230만 명", 12300000),
        ("1230만명", 12300000),
        ("1억 2000만", 120000000),
        ("12.8 Mio.", 12800000),
        ("4,6 millones", 4600000),
        ("10 million", 10000000),
    ],
)
def test_admissions_golden(raw: str, expected: int) -> None:
    assert normalise_admissions(raw) == expected


@pytest.mark.parametrize("raw", ["", "many", "4.5", "30 mil", "-"])
def test_admissions_rejects(raw: str) -> None:
    assert normalise_admissions(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$30 million", "USD 30000000"),
        ("US$30 million", "USD 30000000"),
        ("more than US$30 million", "USD 30000000"),
        ("$205.4 million", "USD 205400000"),  # Wikipedia infobox
        ("$40 million", "USD 40000000"),
        ("$28,699,976", "USD 28699976"),  # IMDb "Gross USA"
        ("Cumulative Worldwide Gross: $28,786,657", "USD 28786657"),
        ("$25,000,000 (estimated)", "USD 25000000"),
        ("$165 000 000", "USD 165000000"),  # KinoPoisk "бюджет"
        ("1 167 301 304 руб.", "RUB 1167301304"),  # KinoPoisk "сборы в России"
        ("₩91.4 billion", "KRW 91400000000"),
        ("913억 원", "KRW 91300000000"),
        ("4.6亿元", "CNY 460000000"),
        ("€12,5 Mio.", "EUR 12500000"),
        ("£1.2m", "GBP 1200000"),
        ("CA$ 12 million", "CAD 12000000"),
        ("A$5 million", "AUD 5000000"),
        ("HK$ 10,000,000", "HKD 10000000"),
        ("¥1.5 billion", "JPY 1500000000"),
        ("₹100 crore", "INR 1000000000"),
        ("30 million USD", "USD 30000000"),
        ("30,000,000 (USD)", "USD 30000000"),
        ("USD 30000000", "USD 30000000"),  # the canonical form reads back
    ],
)
def test_box_office_golden(raw: str, expected: str) -> None:
    assert normalise_box_office(raw) == expected


@pytest.mark.parametrize("raw", ["", "12.32 million", "30 kr", "$30 mil", "lots of money"])
def test_box_office_rejects(raw: str) -> None:
    assert normalise_box_office(raw) is None


@pytest.mark.parametrize(
    ("raw", "prefer", "expected"),
    [
        ("1,445", "integer", Decimal(1445)),
        ("1,445", "decimal", Decimal("1.445")),
        ("8.584", "decimal", Decimal("8.584")),
        ("120.122", "integer", Decimal(120122)),
        ("1,234.56", "integer", Decimal("1234.56")),
        ("1.234,56", "integer", Decimal("1234.56")),
        ("8,1", "decimal", Decimal("8.1")),
        ("1.2K", "integer", Decimal(1200)),
        ("2013 1445", "integer", Decimal(2013)),  # a four-digit group is no grouping
    ],
)
def test_parse_number(raw: str, prefer: str, expected: Decimal) -> None:
    assert parse_number(raw, prefer=prefer) == expected  # type: ignore[arg-type]


@given(st.text(max_size=30))
def test_never_raise_and_idempotent(raw: str) -> None:
    count = normalise_count(raw)
    if count is not None:
        assert count >= 0
        assert normalise_count(str(count)) == count
    money = normalise_box_office(raw)
    if money is not None:
        code, amount = money.split(" ")
        assert len(code) == 3 and code.isupper() and amount.isdigit()
        assert normalise_box_office(money) == money


@given(st.integers(0, 10**12))
def test_integers_round_trip_with_any_grouping(n: int) -> None:
    for raw in (str(n), f"{n:,}", f"{n:,}".replace(",", " "), f"{n:,}".replace(",", ".")):
        assert normalise_count(raw) == n, raw
    assert normalise_box_office(f"${n:,}") == f"USD {n}"
