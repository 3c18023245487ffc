"""The checks of ``observations.csv``: months that are not months, duplicate
indicator-months, numerators and denominators, zero denominators, values outside the
unit's range, and ratio values that disagree with their numerator and denominator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.dataset._checks import (
    number_text,
    problems_at,
    range_help,
    unit_text,
    unknown_indicators,
)
from cyps_analysis.exceptions import Problem
from cyps_analysis.rules.rounding import round_half_up
from cyps_analysis.vocab import UNIT_RANGE, UNIT_SCALE, YEAR_START_MONTH


def check_observations(
    obs: pd.DataFrame, usable: pd.Series, ids: set[str], meta: pd.DataFrame, file: str
) -> list[Problem]:
    problems = unknown_indicators(obs, ids, file)
    m = obs["month_number"]  # read at load (cyps_analysis.dataset._parsed)
    problems += problems_at(
        obs,
        obs["month"].notna() & m.isna(),
        file,
        "month",
        lambda r: f"{r['month']!r} is not a month",
        "Write months as YYYY-MM, e.g. 2025-03",
    )
    ok = usable & obs["indicator"].isin(meta.index) & m.notna()
    o = obs[ok].assign(m=m[ok])
    o = o.join(meta[["unit", "aggregation", "frequency", "year_type", "decimals"]], on="indicator")

    dup = o.duplicated(["indicator", "m"], keep="first")
    first = o[~dup].set_index(["indicator", "m"])["_row"]
    problems += problems_at(
        o,
        dup,
        file,
        "month",
        lambda r: (
            f"{r['indicator']} already has a row for {r['month']} (row {first[(r['indicator'], r['m'])]})"
        ),
        "Keep one row per indicator and month",
    )

    num, den, val = o["numerator"], o["denominator"], o["value"]
    percent = o["unit"] == "percent"
    rate = o["unit"] == "rate_per_10k"
    pooled = (o["aggregation"] == "ratio") | ((o["aggregation"] == "rolling12") & (percent | rate))
    for column, missing in (("numerator", num.isna()), ("denominator", num.notna() & den.isna())):
        problems += problems_at(
            o,
            pooled & missing,
            file,
            column,
            lambda r, c=column: (
                f"the {c} is missing: {r['indicator']} is worked out from its numerator and denominator"
            ),
            "Give both (the value is worked out from them), or remove the row so that the month shows as missing",
        )
    need_value = ~pooled & val.isna()
    problems += problems_at(
        o,
        need_value,
        file,
        "value",
        "the value is missing",
        "Give the value, or remove the row so that the month shows as missing",
    )
    over = percent & (num > den) & (den > 0)
    problems += problems_at(
        o,
        over,
        file,
        "numerator",
        lambda r: (
            f"the numerator {number_text(r['numerator'])} is above the denominator {number_text(r['denominator'])}"
        ),
        "A percentage's numerator counts part of its denominator: check both",
    )
    zero = (den == 0) & ((num > 0) | val.notna())
    problems += problems_at(
        o,
        zero,
        file,
        "denominator",
        "the denominator is zero but a numerator or value is given",
        "If there were no cases, give numerator 0, denominator 0 and no value; otherwise correct the denominator",
    )

    # As numbers (a column of units none of which has a scale maps to missing text).
    scale = o["unit"].map(UNIT_SCALE).astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        derived = (num / den * scale).where(den > 0)
    # Within rounding: no further from the worked-out value than half a unit of the
    # displayed precision (so 80.0 and 80.1 both agree with 80.05 at one decimal).
    tolerance = 0.5 * np.power(10.0, -o["decimals"].astype(float)) + 1e-9
    disagree = pooled & val.notna() & (derived - val).abs().gt(tolerance).fillna(False)
    problems += problems_at(
        o,
        disagree,
        file,
        "value",
        lambda r: (
            f"the value {number_text(r['value'])} disagrees with numerator / denominator: "
            f"{number_text(r['numerator'])} / {number_text(r['denominator'])} gives "
            f"{_display(r['numerator'] / r['denominator'] * UNIT_SCALE[r['unit']], r['decimals'])}"
        ),
        "Correct the figures, or leave the value blank: it is worked out from them",
    )

    lo = o["unit"].map({u: r[0] for u, r in UNIT_RANGE.items()}).astype("float64")
    hi = o["unit"].map({u: r[1] for u, r in UNIT_RANGE.items()}).astype("float64")
    given_outside = ((val < lo) | (val > hi)).fillna(False)
    problems += problems_at(
        o,
        given_outside,
        file,
        "value",
        lambda r: f"{number_text(r['value'])} is outside the range of a {unit_text(r['unit'])}",
        lambda r: f"Correct the value: {range_help(r['unit'])}",
    )
    # A rate worked out from figures that make no sense (a numerator above the
    # denominator for a percentage is reported above).
    derived_outside = (val.isna() & ~over & ((derived < lo) | (derived > hi))).fillna(False)
    problems += problems_at(
        o,
        derived_outside,
        file,
        "numerator",
        lambda r: (
            f"{number_text(r['numerator'])} / {number_text(r['denominator'])} gives "
            f"{number_text(r['numerator'] / r['denominator'] * UNIT_SCALE[r['unit']])}, outside the range of a {unit_text(r['unit'])}"
        ),
        "Check the numerator and denominator",
    )

    calendar_month = o["m"] % 12 + 1
    quarterly_bad = (o["frequency"] == "quarterly") & (calendar_month % 3 != 0)
    problems += problems_at(
        o,
        quarterly_bad,
        file,
        "month",
        lambda r: (
            f"{r['month']} is not the last month of a quarter, and {r['indicator']} is quarterly"
        ),
        "Record quarterly indicators at the quarter's last month (Jun, Sep, Dec or Mar)",
    )
    year_end = (o["year_type"].map(YEAR_START_MONTH).astype("Int64") + 10) % 12 + 1
    annual_bad = (o["frequency"] == "annual") & (calendar_month != year_end)
    problems += problems_at(
        o,
        annual_bad,
        file,
        "month",
        lambda r: (
            f"{r['month']} is not the last month of a {r['year_type']} year, and {r['indicator']} is annual"
        ),
        lambda r: (
            "Record annual indicators at their year's last month: "
            f"{_YEAR_END_NAME[r['year_type']]} for a {r['year_type']} year"
        ),
    )
    return problems


_YEAR_END_NAME = {"financial": "March", "academic": "August", "calendar": "December"}


def _display(value: float, decimals: int) -> str:
    return f"{float(round_half_up(value, decimals)):.{int(decimals)}f}"
