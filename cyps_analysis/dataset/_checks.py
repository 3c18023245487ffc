"""Shared pieces of the dataset checks: problems from masked rows, and how units are
described in messages. (Months and years are read by :mod:`cyps_analysis.rules.periods`.)"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import Problem


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
