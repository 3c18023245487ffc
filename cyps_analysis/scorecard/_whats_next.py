"""The scorecard's forecast and attribution columns: the rules of
:mod:`cyps_analysis.rules.forecast` and :mod:`cyps_analysis.rules.attribution` applied
to a scorecard's grid and windows (docs/method.md#year-end-forecast)."""

from __future__ import annotations

import numpy as np

from cyps_analysis.rules.aggregation import MonthGrid, WindowValues, unit_scale
from cyps_analysis.rules.attribution import split_change
from cyps_analysis.rules.forecast import (
    green_threshold,
    needed_to_reach,
    project_outturn,
    still_possible,
)
from cyps_analysis.rules.rag import rag_codes
from cyps_analysis.rules.rounding import round_half_up
from cyps_analysis.vocab import RAG_VALUES

#: The scorecard's columns for the JSON keys ``forecast`` and ``attribution``.
FORECAST_KEYS: tuple[str, ...] = (
    "projected_outturn",
    "projected_rag",
    "needed",
    "possible",
    "months_left",
)
ATTRIBUTION_KEYS: tuple[str, ...] = ("change", "numerator_effect", "denominator_effect")


def forecast_columns(
    *,
    end: int,
    ys: np.ndarray,
    rated: np.ndarray,
    aggregation: np.ndarray,
    unit: np.ndarray,
    polarity: np.ndarray,
    decimals: np.ndarray,
    outturn: WindowValues,
    bands: dict,
) -> dict[str, np.ndarray]:
    """``forecast_<key>`` columns: for rows with a target (``rated``) in a period that
    leaves months of their year to come; None or NaN elsewhere. The projection is
    rounded like the outturn and rated against the whole year's bands (no pro rata);
    ``needed`` is rounded to the indicator's decimals, ``possible`` read unrounded."""
    n = len(ys)
    months_left = ys + 11 - end
    on = rated & (months_left > 0)
    elapsed = end - ys + 1
    projected = round_half_up(
        project_outturn(aggregation, outturn.value, outturn.value, elapsed), decimals
    )
    projected = np.where(on, projected, np.nan)
    codes = rag_codes(projected, bands)
    needed = needed_to_reach(
        aggregation,
        unit,
        green_threshold(polarity, bands["green"]["lo"], bands["green"]["hi"]),
        ytd=outturn.value,
        months_left=months_left,
        months_recorded=outturn.records,
        numerator=outturn.numerator,
        denominator=outturn.denominator,
    )
    needed = np.where(on, needed, np.nan)
    rag = np.array([*RAG_VALUES, None], dtype=object)[codes]
    left = np.full(n, None, dtype=object)
    left[on] = months_left[on]
    return {
        "forecast_projected_outturn": projected,
        "forecast_projected_rag": np.where(on, rag, None),
        "forecast_needed": round_half_up(needed, decimals),
        "forecast_possible": still_possible(needed, polarity, unit),
        "forecast_months_left": left,
    }


def attribution_columns(
    *,
    end: int,
    aggregation: np.ndarray,
    unit: np.ndarray,
    grid: MonthGrid,
    outturn: WindowValues,
    previous: WindowValues,
) -> dict[str, np.ndarray]:
    """``attribution_<key>`` columns: the year-on-year change of a rate or percentage
    with numerators and denominators, split into its numerator's and denominator's
    effects (unrounded): pooled sums of the year to date against the same months last
    year for ``ratio``; the outturn month against the same month last year for
    ``snapshot``. NaN for other rules and units."""
    scale = unit_scale(unit)
    agg = np.asarray(aggregation, dtype=object)
    ratio = agg == "ratio"
    now, then = grid.column(end), grid.column(end - 12)
    n1 = np.where(ratio, outturn.numerator, grid.numerator[:, now])
    d1 = np.where(ratio, outturn.denominator, grid.denominator[:, now])
    n0 = np.where(ratio, previous.numerator, grid.numerator[:, then])
    d0 = np.where(ratio, previous.denominator, grid.denominator[:, then])
    parts = split_change(n1, d1, n0, d0, scale)
    applies = (ratio | (agg == "snapshot")) & (scale != 1.0)
    return {f"attribution_{k}": np.where(applies, v, np.nan) for k, v in parts.items()}
