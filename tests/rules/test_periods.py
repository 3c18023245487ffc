"""Reporting periods and years (cyps_analysis/periods.py), against docs/method.md#periods.

Month numbers are ``year * 12 + month - 1``; the tests build them with ``month_index``
and read them back with ``month_key`` so that every expected month is written out.
"""

from __future__ import annotations

import pytest

from cyps_analysis.exceptions import PeriodError
from cyps_analysis.rules.periods import (
    month_index,
    month_key,
    month_label,
    parse_month,
    parse_period,
    parse_year,
    year_label,
    year_start,
)


def keys(months) -> list[str]:
    return [month_key(m) for m in months]


# --- parse_period: months, quarters, years ---------------------------------------------


@pytest.mark.parametrize("text", ["2025-03", "2024-04", "2025-01", "2024-12"])
def test_month_period_is_that_one_month(text):
    p = parse_period(text)
    assert p.kind == "month"
    assert keys(p.months) == [text]
    assert month_key(p.start) == month_key(p.end) == text


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec (all in 2024), Q4 Jan-Mar (in 2025).
        ("2024-25-Q1", ["2024-04", "2024-05", "2024-06"]),
        ("2024-25-Q2", ["2024-07", "2024-08", "2024-09"]),
        ("2024-25-Q3", ["2024-10", "2024-11", "2024-12"]),
        ("2024-25-Q4", ["2025-01", "2025-02", "2025-03"]),
        ("1999-00-Q4", ["2000-01", "2000-02", "2000-03"]),
    ],
)
def test_quarters_are_financial_quarters(text, months):
    p = parse_period(text)
    assert p.kind == "quarter"
    assert keys(p.months) == months
    assert month_key(p.end) == months[-1]


def test_year_is_april_to_march():
    p = parse_period("2024-25")
    assert p.kind == "year"
    assert keys(p.months) == [
        "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09",
        "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03",
    ]  # fmt: skip


def test_year_across_the_century():
    # 1999-00: April 1999 to March 2000 (the second part wraps to 00).
    p = parse_period("1999-00")
    assert (month_key(p.start), month_key(p.end)) == ("1999-04", "2000-03")


@pytest.mark.parametrize(
    ("text", "title"),
    [("2025-03", "Mar-25"), ("2024-25-Q4", "2024/25 Q4"), ("2024-25-Q1", "2024/25 Q1"),
     ("2024-25", "2024/25")],
)  # fmt: skip
def test_period_titles_as_reports_write_them(text, title):
    assert parse_period(text).title == title


def test_all_three_examples_end_in_march_2025():
    # docs/method.md: "The period's end month (2025-03 for all three examples)".
    ends = {month_key(parse_period(t).end) for t in ("2025-03", "2024-25-Q4", "2024-25")}
    assert ends == {"2025-03"}


def test_period_is_frozen():
    p = parse_period("2025-03")
    with pytest.raises(AttributeError):
        p.end = 0  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        "2024-26",  # the second year is not the next one
        "2024-24",
        "2025-13",  # no 13th month
        "2025-00",
        "2024/25",  # the report form, not the period form
        "2024/25-Q4",
        "Q4",
        "2024-25-Q5",
        "2024-25-Q0",
        "2024-25Q4",
        "2024-25-q4x",
        "2025",
        "25-03",
        "2025-3",
        "Mar-25",
        "",
        "   ",
    ],
)
def test_bad_periods_are_refused_showing_the_accepted_forms(text):
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    message = str(err.value)
    for form in ("2025-03", "2024-25-Q4", "2024-25"):
        assert form in message


def test_period_error_is_a_value_error():
    # So callers that catch ValueError (argparse, click) treat it as bad input.
    with pytest.raises(ValueError):
        parse_period("2024-26")


# --- months ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [("2025-01", "Jan-25"), ("2024-12", "Dec-24"), ("2025-03", "Mar-25"),
     ("2000-09", "Sep-00"), ("2009-06", "Jun-09")],
)  # fmt: skip
def test_month_label(text, label):
    assert month_label(parse_month(text)) == label


def test_month_numbers_count_months():
    # Apr-24 to Mar-25 is 11 months on; Dec-24 to Jan-25 is one.
    assert parse_month("2025-03") - parse_month("2024-04") == 11
    assert parse_month("2025-01") - parse_month("2024-12") == 1
    assert month_key(month_index(2024, 12) + 1) == "2025-01"


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-1", "202503", "Jan-25", ""])
def test_bad_months_are_refused(text):
    with pytest.raises(PeriodError, match="YYYY-MM"):
        parse_month(text)


# --- years of each type ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "year_type", "start", "label"),
    [
        # Financial: April to March; the boundary is Mar/Apr.
        ("2025-03", "financial", "2024-04", "2024/25"),
        ("2025-04", "financial", "2025-04", "2025/26"),
        ("2024-04", "financial", "2024-04", "2024/25"),
        ("2024-12", "financial", "2024-04", "2024/25"),
        ("2025-01", "financial", "2024-04", "2024/25"),
        # Academic: September to August; the boundary is Aug/Sep.
        ("2025-03", "academic", "2024-09", "2024/25"),
        ("2025-08", "academic", "2024-09", "2024/25"),
        ("2025-09", "academic", "2025-09", "2025/26"),
        ("2024-12", "academic", "2024-09", "2024/25"),
        ("2025-01", "academic", "2024-09", "2024/25"),
        # Calendar: January to December; the boundary is Dec/Jan.
        ("2025-03", "calendar", "2025-01", "2025"),
        ("2024-12", "calendar", "2024-01", "2024"),
        ("2025-01", "calendar", "2025-01", "2025"),
        # The turn of the century: 1999/00.
        ("2000-03", "financial", "1999-04", "1999/00"),
    ],
)
def test_year_start_and_label(month, year_type, start, label):
    s = year_start(parse_month(month), year_type)
    assert month_key(s) == start
    assert year_label(s, year_type) == label


def test_year_start_over_arrays_of_months_and_year_types():
    import numpy as np

    months = np.array([parse_month("2025-03")] * 3 + [parse_month("2024-08")])
    types = np.array(["financial", "academic", "calendar", "academic"])
    assert keys(year_start(months, types)) == ["2024-04", "2024-09", "2025-01", "2023-09"]


@pytest.mark.parametrize(
    ("text", "year_type", "start"),
    [
        ("2024/25", "financial", "2024-04"),
        ("2024-25", "financial", "2024-04"),
        ("2024/25", "academic", "2024-09"),
        ("2024-25", "academic", "2024-09"),
        ("2025", "calendar", "2025-01"),
        (" 2024/25 ", "financial", "2024-04"),
        ("1999/00", "financial", "1999-04"),
    ],
)
def test_parse_year(text, year_type, start):
    assert month_key(parse_year(text, year_type)) == start


@pytest.mark.parametrize(
    ("text", "year_type", "example"),
    [
        ("2024/26", "financial", "2024/25"),
        ("2025", "financial", "2024/25"),
        ("2025", "academic", "2024/25"),
        ("2024/25", "calendar", "2025"),
        ("2024-25", "calendar", "2025"),
        ("24/25", "financial", "2024/25"),
        ("", "calendar", "2025"),
    ],
)
def test_bad_years_are_refused_with_an_example(text, year_type, example):
    with pytest.raises(PeriodError) as err:
        parse_year(text, year_type)
    assert example in str(err.value)
