"""Reporting periods, months and the financial, academic and calendar years.

Months are held as whole numbers, ``year * 12 + month - 1``, so that month arithmetic
over whole tables is integer arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import PeriodError
from cyps_analysis.vocab import YEAR_START_MONTH

YearType = Literal["financial", "academic", "calendar"]

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})(?:[-/](\d{2}))?$")
_QUARTER_RE = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
PERIOD_FORMS = "a month '2025-03', a quarter '2024-25-Q4' or a financial year '2024-25'"


def month_index(year: int, month: int) -> int:
    """The month as a whole number.

    Examples
    --------
    >>> month_index(2025, 3) - month_index(2024, 4)
    11
    """
    return year * 12 + month - 1


def month_numbers(text) -> pd.Series:
    """``YYYY-MM`` texts as month numbers (``year * 12 + month - 1``), ``<NA>`` where a
    text is not a month: the one reader of months, for whole columns.

    Examples
    --------
    >>> month_numbers(pd.Series(["2025-03", "2025-13", "2025-3", None])).tolist()
    [24302, <NA>, <NA>, <NA>]
    """
    text = pd.Series(text, dtype="string") if not isinstance(text, pd.Series) else text
    parts = text.astype("string").str.extract(_MONTH_RE.pattern).astype("Int64")
    number = parts[0] * 12 + parts[1] - 1
    return number.where((parts[1] >= 1) & (parts[1] <= 12)).astype("Int64")


def parse_month(text: str) -> int:
    """Read one ``YYYY-MM`` month (by :func:`month_numbers`).

    Examples
    --------
    >>> month_key(parse_month("2025-03"))
    '2025-03'
    """
    number = month_numbers(pd.Series([str(text).strip()], dtype="string")).iloc[0]
    if pd.isna(number):
        raise PeriodError(f"{text!r} is not a month: write months as YYYY-MM, e.g. 2025-03")
    return int(number)


def month_key(m: int) -> str:
    """``YYYY-MM`` for a month number (the form used in files and JSON)."""
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def month_label(m: int) -> str:
    """``Jan-25`` for a month number (the form used in tables).

    Examples
    --------
    >>> month_label(parse_month("2025-01"))
    'Jan-25'
    """
    return f"{_MONTH_NAMES[m % 12]}-{m // 12 % 100:02d}"


def year_start(months, year_type: str):
    """The first month of the year of ``year_type`` that contains each month.

    Works on a single month number or a numpy array of them (``year_type`` may then be
    an array too).

    Examples
    --------
    >>> month_key(year_start(parse_month("2025-03"), "financial"))
    '2024-04'
    >>> month_key(year_start(parse_month("2025-03"), "academic"))
    '2024-09'
    >>> month_key(year_start(parse_month("2025-03"), "calendar"))
    '2025-01'
    """
    if isinstance(year_type, str):
        offset = YEAR_START_MONTH[year_type] - 1
    else:
        types = np.asarray(year_type)
        offset = np.full(types.shape, -1)
        for name, month in YEAR_START_MONTH.items():
            offset[types == name] = month - 1
        if (offset < 0).any():
            raise KeyError(types[offset < 0].flat[0])
    return months - (months - offset) % 12


def year_label(start: int, year_type: str) -> str:
    """How a year is written in reports: ``2024/25``, or ``2025`` for calendar years.

    Examples
    --------
    >>> year_label(parse_month("2024-04"), "financial")
    '2024/25'
    >>> year_label(parse_month("2025-01"), "calendar")
    '2025'
    """
    y = start // 12
    return str(y) if year_type == "calendar" else f"{y}/{(y + 1) % 100:02d}"


def year_labels(starts, year_types) -> np.ndarray:
    """:func:`year_label` of arrays of first months and year types, as an object array;
    each distinct year written once.

    Examples
    --------
    >>> year_labels([parse_month("2024-04"), parse_month("2025-01")],
    ...             ["financial", "calendar"]).tolist()
    ['2024/25', '2025']
    """
    codes, texts = year_label_codes(starts, year_types)
    return np.array(texts, dtype=object)[codes]


def year_label_codes(starts, year_types) -> tuple[np.ndarray, list[str]]:
    """:func:`year_labels` as codes into the distinct labels (each written once).

    Examples
    --------
    >>> year_label_codes([parse_month("2025-01"), parse_month("2024-04"),
    ...                   parse_month("2025-01")], ["calendar", "financial", "calendar"])
    (array([1, 0, 1]), ['2024/25', '2025'])
    """
    starts = np.asarray(starts, dtype="int64")
    # Fixed-width text compares in bulk (object arrays one value at a time).
    calendar = np.asarray(year_types) == "calendar"
    distinct, inverse = np.unique(starts * 2 + calendar, return_inverse=True)
    texts = [year_label(k // 2, "calendar" if k % 2 else "financial") for k in distinct.tolist()]
    return inverse.reshape(-1), texts


def year_starts(years, year_types) -> pd.Series:
    """Years as written (``2024/25``, ``2024-25``, ``2025``) as the month each starts,
    given each row's year type; ``<NA>`` where a text is not a year of that type: the
    one reader of years, for whole columns. ``2024/25`` is a financial or academic
    year, ``2025`` a calendar year.

    Examples
    --------
    >>> year_starts(pd.Series(["2024/25", "2025", "2025", "2024/26"]),
    ...             pd.Series(["financial", "calendar", "academic", "financial"])).tolist()
    [24291, 24300, <NA>, <NA>]
    """
    years = pd.Series(years, dtype="string") if not isinstance(years, pd.Series) else years
    types = pd.Series(np.asarray(year_types, dtype=object), index=years.index)
    parts = years.astype("string").str.strip().str.extract(_YEAR_RE.pattern).astype("Int64")
    first, second = parts[0], parts[1]
    calendar = types == "calendar"
    two_years = second.notna() & (second == (first + 1) % 100)
    ok = np.where(calendar, first.notna() & second.isna(), two_years.fillna(False))
    start_month = types.map(YEAR_START_MONTH).astype("Int64")
    return (first * 12 + start_month - 1).where(ok).astype("Int64")


def parse_year(text: str, year_type: str) -> int:
    """Read one year as written in targets and benchmarks (by :func:`year_starts`);
    returns its first month.

    Examples
    --------
    >>> month_key(parse_year("2024/25", "academic"))
    '2024-09'
    >>> month_key(parse_year("2025", "calendar"))
    '2025-01'
    """
    start = year_starts(pd.Series([str(text)], dtype="string"), [year_type]).iloc[0]
    if pd.isna(start):
        example = "2025" if year_type == "calendar" else "2024/25"
        raise PeriodError(f"{text!r} is not a {year_type} year: write it as e.g. {example}")
    return int(start)


@dataclass(frozen=True)
class Period:
    """A reporting period: a month, a financial quarter or a financial year.

    Examples
    --------
    >>> p = parse_period("2024-25-Q4")
    >>> p.kind, month_key(p.start), month_key(p.end), p.title
    ('quarter', '2025-01', '2025-03', '2024/25 Q4')
    """

    kind: Literal["month", "quarter", "year"]
    start: int
    end: int
    label: str

    @property
    def months(self) -> tuple[int, ...]:
        """The period's own months, in order."""
        return tuple(range(self.start, self.end + 1))

    @property
    def title(self) -> str:
        """The period as reports write it: ``Mar-25``, ``2024/25 Q4`` or ``2024/25``."""
        fy = year_label(year_start(self.end, "financial"), "financial")
        if self.kind == "month":
            return month_label(self.end)
        if self.kind == "quarter":
            return f"{fy} {self.label[-2:]}"
        return fy


def parse_period(text: str) -> Period:
    """Read a reporting period: ``2025-03``, ``2024-25-Q4`` or ``2024-25``.

    Examples
    --------
    >>> parse_period("2024-25").months[0] == parse_month("2024-04")
    True
    >>> parse_period("2024-26")
    Traceback (most recent call last):
    ...
    cyps_analysis.exceptions.PeriodError: '2024-26' is not a reporting period: write ...
    """
    s = str(text).strip()
    if _MONTH_RE.match(s) and 1 <= int(s[5:]) <= 12:
        m = parse_month(s)
        return Period("month", m, m, s)
    q = _QUARTER_RE.match(s)
    # Periods are written YYYY-YY; 2024/25 is the report form (and would be a folder in
    # an output path such as outputs/{period}/).
    y = _YEAR_RE.match(s) if "/" not in s else None
    for match in (q, y):
        if match and match.group(2) and int(match.group(2)) == (int(match.group(1)) + 1) % 100:
            start = month_index(int(match.group(1)), 4)
            if match is q:
                start += 3 * (int(q.group(3)) - 1)
                return Period("quarter", start, start + 2, s)
            return Period("year", start, start + 11, s)
    raise PeriodError(f"{text!r} is not a reporting period: write {PERIOD_FORMS}")


def latest_complete_quarter(last_month: int) -> Period:
    """The latest financial quarter that ends on or before ``last_month``.

    Examples
    --------
    >>> latest_complete_quarter(parse_month("2025-03")).label
    '2024-25-Q4'
    >>> latest_complete_quarter(parse_month("2025-02")).label
    '2024-25-Q3'
    """
    end = last_month - (last_month + 1) % 3
    fy = year_start(end, "financial") // 12
    quarter = (end - month_index(fy, 4)) // 3 + 1
    return parse_period(f"{fy}-{(fy + 1) % 100:02d}-Q{quarter}")
