"""The narrative's words on what next and why: where an in-year figure is heading when
that differs from its rating now, and a rate that moved mainly because of its
denominator (docs/narrative.md). From the scorecard's ``forecast_*`` and
``attribution_*`` columns (docs/method.md#year-end-forecast)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.narrative.wording import format_numbers
from cyps_analysis.rules.periods import Period


def whats_next_sentences(card: pd.DataFrame, facts: pd.DataFrame, period: Period) -> pd.Series:
    """For each row, sentences to add after its bullet ("" where none):

    - in a period with months of the year to come, where the projected RAG differs from
      the rating now: "At this pace the year ends at 84.1% (Amber); the remaining 5
      months need 93.0% to reach 90.0%.";
    - for a quarter or a year, where the denominator's effect is more than half of a
      rate's change: "The rate fell mainly because what it is measured against grew
      (+5.0%); the number counted rose by 1.6%."
    """
    c = card.reset_index(drop=True)
    unit, dec = c["unit"], c["decimals"]
    projected = format_numbers(c["forecast_projected_outturn"], unit, dec)
    needed = format_numbers(c["forecast_needed"], unit, dec)
    threshold = format_numbers(_threshold(c), unit, dec)
    left = c["forecast_months_left"].astype("Float64")
    differs = (
        c["forecast_projected_rag"].notna()
        & (
            c["forecast_projected_rag"].astype(object)
            != facts["rag"].reset_index(drop=True).astype(object)
        )
    ).to_numpy(dtype=bool)
    out = np.full(len(c), "", dtype=object)
    for i in np.flatnonzero(differs):
        months = int(left[i])
        out_of_reach = c["forecast_possible"][i] is False
        reach = ", which is out of reach" if out_of_reach else f" to reach {threshold[i]}"
        need = (
            f"; the remaining {months} month{'s' if months > 1 else ''} need {needed[i]}{reach}"
            if needed[i]
            else ""
        )
        out[i] = (
            f" At this pace the year ends at {projected[i]} ({c['forecast_projected_rag'][i]}){need}."
        )
    if period.kind != "month":
        out = out + _attribution_sentences(c)
    return pd.Series(out, dtype=object)


def _threshold(c: pd.DataFrame) -> np.ndarray:
    """The Green threshold the forecast's ``needed`` aims at, back from it: for a
    snapshot it is the threshold itself; otherwise it is read from the band text."""
    from cyps_analysis.rules.bands import parse_bands
    from cyps_analysis.rules.forecast import green_threshold

    parsed = parse_bands(c["green"].astype(object).where(c["green"].notna(), "").astype(str))
    return green_threshold(c["polarity"], parsed["lo"], parsed["hi"])


def _attribution_sentences(c: pd.DataFrame) -> np.ndarray:
    change = c["attribution_change"].to_numpy(dtype="float64")
    den = c["attribution_denominator_effect"].to_numpy(dtype="float64")
    r1 = c["outturn"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        mainly = (np.abs(den) > np.abs(change) / 2) & (np.sign(den) == np.sign(change))
        d_growth = -den / r1  # D1 / D0 - 1, as r1 x (1 - D1/D0) is the denominator effect
        r0 = r1 - change
        n_growth = (r1 / r0) * (1 + d_growth) - 1
    out = np.full(len(c), "", dtype=object)
    for i in np.flatnonzero(mainly & np.isfinite(d_growth) & np.isfinite(n_growth)):
        what = "percentage" if c["unit"][i] == "percent" else "rate"
        moved = "rose" if change[i] > 0 else "fell"
        base = "grew" if d_growth[i] > 0 else "shrank"
        counted = (
            "was almost unchanged"
            if abs(n_growth[i]) < 0.01
            else f"{'rose' if n_growth[i] > 0 else 'fell'} by {abs(n_growth[i]) * 100:.1f}%"
        )
        out[i] = (
            f" The {what} {moved} mainly because what it is measured against {base} "
            f"({d_growth[i] * 100:+.1f}%); the number counted {counted}."
        )
    return out
