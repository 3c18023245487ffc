"""An indicator's whole history: every month's value under its rule, and each year's
outturn, for trend charts, deep dives and "the lowest since" comparisons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.rules.aggregation import GRID_MONTHS, build_grid
from cyps_analysis.rules.periods import (
    Period,
    month_key,
    month_label,
    year_labels,
    year_start,
)


def monthly_history(dataset: Dataset, *, end: int, start: int | None = None) -> pd.DataFrame:
    """Every recorded month of every indicator up to month ``end`` (a month number).

    Returns a tidy frame: ``indicator``, ``month`` (``YYYY-MM``), ``month_number``,
    ``label`` (``Jan-25``), ``year`` (the indicator's year, e.g. ``2024/25``), ``value``
    (the month's value under the indicator's rule: its own ratio, the rolling twelve
    months, or the value recorded), ``numerator`` and ``denominator``. Months with no
    record are left out.
    """
    ind = dataset.indicators.reset_index(drop=True)
    obs = dataset.observations
    months = obs["month_number"].to_numpy(dtype="float64", na_value=-1).astype("int64")
    keys = pd.Index(ind["id"]).get_indexer(obs["indicator"])
    keys[months < 0] = -1  # a month that is not one (in a dataset not checked)
    known = months[keys >= 0]
    if start is None and not len(known):
        start = end
    first = int(known.min()) if start is None else start
    frames = []
    # The grid holds GRID_MONTHS months; rolling twelve-month values need the eleven
    # months before each block, so blocks overlap by a year and keep their last part.
    block_end = end
    while block_end >= first:
        grid = build_grid(keys, months, obs, ind, end=block_end)
        keep = slice(12, GRID_MONTHS)
        cols = np.arange(grid.start, grid.end + 1)[keep]
        present = grid.present[:, keep]
        rows, c = np.nonzero(present)
        frames.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "month_number": cols[c],
                    "value": grid.monthly[:, keep][rows, c],
                    "numerator": grid.numerator[:, keep][rows, c],
                    "denominator": grid.denominator[:, keep][rows, c],
                }
            )
        )
        block_end -= GRID_MONTHS - 12
    out = pd.concat(frames, ignore_index=True)
    out = out[(out["month_number"] >= first) & (out["month_number"] <= end)]
    out = out.sort_values(["row", "month_number"], kind="stable").reset_index(drop=True)
    year_types = ind["year_type"].to_numpy()[out["row"]]
    starts = year_start(out["month_number"].to_numpy(), year_types)
    # Each distinct month and year written once, then carried to the rows.
    distinct, month_codes = np.unique(out["month_number"].to_numpy(), return_inverse=True)
    keys = np.array([month_key(m) for m in distinct], dtype=object)
    labels = np.array([month_label(m) for m in distinct], dtype=object)
    return pd.DataFrame(
        {
            "indicator": ind["id"].to_numpy()[out["row"]],
            "month": keys[month_codes],
            "month_number": out["month_number"].to_numpy(),
            "label": labels[month_codes],
            "year": year_labels(starts, year_types),
            "value": out["value"].to_numpy(),
            "numerator": out["numerator"].to_numpy(),
            "denominator": out["denominator"].to_numpy(),
        }
    )


def same_month_earlier_years(history: pd.DataFrame, month: str) -> pd.DataFrame:
    """The value of the calendar month of ``month`` (``YYYY-MM``) in each year of
    ``history`` (one indicator's rows of :func:`monthly_history`), latest first."""
    same = history[history["month"].str[5:] == month[5:]]
    same = same[same["month"] <= month]
    return same.sort_values("month", ascending=False).reset_index(drop=True)


def year_outturns(dataset: Dataset, card: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Each indicator's full-year outturn of every earlier year in the data, as the
    scorecard of that year's last month gives it (rows: the card's rows; columns: each
    year's first month, oldest first). A sum with a missing month in a year has no
    outturn that year (a part-year total is not a year's)."""
    from cyps_analysis.scorecard.build import build_scorecard

    first = int(dataset.observations["month_number"].min())
    year_type = card["year_type"].to_numpy(dtype=object)
    ys = year_start(np.full(len(card), period.end), year_type)
    # Every earlier year's last month, for each kind of year, back to the first data.
    ends = sorted({int(e) for s in set(ys.tolist()) for e in range(s - 1, first - 1, -12)})
    columns = {}
    index = pd.Index(card["id"])
    for end in ends:  # one scorecard per year end: a handful, not one per row
        earlier = build_scorecard(dataset, month_key(end)).set_index("id").reindex(index)
        value = earlier["outturn"].to_numpy(dtype="float64")
        missing = earlier["flags"].map(
            lambda flags: any(f["code"] == "missing_months" for f in flags or [])
        )
        keep = (year_start(np.full(len(card), end), year_type) + 11 == end) & (end < ys)
        keep &= ~((card["aggregation"].to_numpy() == "sum") & missing.to_numpy(dtype=bool))
        columns[end - 11] = np.where(keep, value, np.nan)
    return pd.DataFrame(columns, index=card.index).sort_index(axis=1)


def suppress_history(
    history: pd.DataFrame, indicators: pd.DataFrame, min_count: int
) -> pd.DataFrame:
    """``history`` (:func:`monthly_history`) as a published pack shows it: each month
    whose value is hidden (:func:`cyps_analysis.rules.disclosure.suppressed`; a
    rolling twelve months' by its twelve months' sums) has no value, numerator or
    denominator, and ``suppressed`` marks it."""
    from cyps_analysis.rules.disclosure import suppressed

    ind = indicators.set_index("id").reindex(history["indicator"])
    aggregation = ind["aggregation"].to_numpy(dtype=object)
    unit = ind["unit"].to_numpy(dtype=object)
    num = history["numerator"].to_numpy(dtype="float64").copy()
    den = history["denominator"].to_numpy(dtype="float64").copy()
    for indicator in set(history.loc[aggregation == "rolling12", "indicator"]):
        rows = np.flatnonzero(history["indicator"].to_numpy() == indicator)
        months = history["month_number"].to_numpy()[rows]
        for parts in (num, den):
            by_month = pd.Series(parts[rows], index=months)
            every = by_month.reindex(range(months.min() - 11, months.max() + 1))
            rolled = every.rolling(12, min_periods=1).sum()
            parts[rows] = rolled.reindex(months).to_numpy()
    hidden = suppressed(
        history["value"].to_numpy(dtype="float64"),
        num,
        den,
        unit=unit,
        aggregation=aggregation,
        min_count=min_count,
    )
    out = history.copy()
    for column in ("value", "numerator", "denominator"):
        out[column] = out[column].where(~hidden)
    out["suppressed"] = hidden
    return out
