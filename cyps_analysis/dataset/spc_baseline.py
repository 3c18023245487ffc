"""The checks of ``spc_baseline.csv``: the months from which an indicator's SPC limits
start again (after a service redesign, say), each with its reason. See
``docs/dataset.md#spc_baselinecsv-spc-limits-from-a-named-month``."""

from __future__ import annotations

import pandas as pd

from cyps_analysis.dataset._checks import problems_at, unknown_indicators
from cyps_analysis.exceptions import Problem


def check_spc_baseline(
    frame: pd.DataFrame, usable: pd.Series, ids: set[str], file: str
) -> list[Problem]:
    """Every meaning problem in ``spc_baseline.csv``: unknown indicators, months that
    are not months, and the same indicator and month twice."""
    problems = unknown_indicators(frame, ids, file)
    month = frame["month_number"]  # read at load (cyps_analysis.dataset._parsed)
    problems += problems_at(
        frame,
        frame["month"].notna() & month.isna(),
        file,
        "month",
        lambda r: f"{r['month']!r} is not a month",
        "Write the first month of the new limits as YYYY-MM, e.g. 2023-04",
    )
    f = frame[usable & month.notna() & frame["indicator"].isin(ids)]
    dup = f.duplicated(["indicator", "month_number"], keep="first")
    first = f[~dup].set_index(["indicator", "month_number"])["_row"]
    problems += problems_at(
        f,
        dup,
        file,
        "month",
        lambda r: (
            f"{r['indicator']} already starts new limits in {r['month']} "
            f"(row {first[(r['indicator'], r['month_number'])]})"
        ),
        "Keep one row per indicator and month",
    )
    return problems
