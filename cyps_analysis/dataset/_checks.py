"""Shared pieces of the dataset checks: problems from masked rows, months and years
read from text, and how units are described in messages."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import Problem
from cyps_analysis.rules.periods import YEAR_START_MONTH

#: What a ratio's numerator over denominator is multiplied by, by unit.
SCALE: dict[str, float] = {"percent": 100.0, "rate_per_10k": 10_000.0}


def problems_at(
    frame: pd.DataFrame, mask, file: str, column: str | None, message, fix
) -> list[Problem]:
    """One problem per masked row; ``message`` and ``fix`` may be callables of the row."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    # Rows as plain dicts: building a Series per row (iterrows) costs ten times as
    # much, which a file of a million bad rows notices.
    return [
        Problem(
            file,
            int(row["_row"]),
            column,
            message(row) if callable(message) else message,
            fix(row) if callable(fix) else fix,
        )
        for row in frame[mask].to_dict("records")
    ]


def month_numbers(months: pd.Series) -> pd.Series:
    """``YYYY-MM`` text as month numbers (``year * 12 + month - 1``); NA where the text
    is not a month."""
    parts = months.astype("string").str.extract(r"^(\d{4})-(\d{2})$").astype("Float64")
    m = parts[0] * 12 + parts[1] - 1
    return m.where((parts[1] >= 1) & (parts[1] <= 12)).astype("Int64")


def year_starts(years: pd.Series, year_types: pd.Series) -> pd.Series:
    """Years as written (``2024/25``, ``2024-25``, ``2025``) as the month each starts,
    given each row's year type; NA where the text is not a year of that type."""
    parts = years.astype("string").str.strip().str.extract(r"^(\d{4})(?:[/-](\d{2}))?$")
    first = parts[0].astype("Float64")
    second = parts[1].astype("Float64")
    calendar = (year_types == "calendar").to_numpy()
    ok_two = second.notna() & (second == (first + 1) % 100)
    ok = np.where(calendar, parts[1].isna() & first.notna(), ok_two.fillna(False))
    start_month = year_types.map(YEAR_START_MONTH).astype("Float64")
    return (first * 12 + start_month - 1).where(ok).astype("Int64")


def number_text(x: float) -> str:
    """A number as an analyst would write it: 81, 80.05, 1234567."""
    return f"{x:.10g}"


def unit_text(unit: str) -> str:
    return {"rate_per_10k": "rate per 10,000"}.get(unit, unit)


def range_help(unit: str) -> str:
    return {
        "percent": "percentages are 0 to 100 (write 85.2 for 85.2%)",
        "rate_per_10k": "rates per 10,000 are 0 to 10,000",
        "days": "a number of days is 0 or more",
        "count": "a count is 0 or more",
    }.get(unit, "check it")


def unknown_indicators(frame: pd.DataFrame, ids: set[str], file: str) -> list[Problem]:
    unknown = frame["indicator"].notna() & ~frame["indicator"].isin(ids)
    return problems_at(
        frame,
        unknown,
        file,
        "indicator",
        lambda r: f"{r['indicator']!r} is not an indicator id",
        "Use an id from indicators.csv, or add the indicator there",
    )
