"""Monthly records into month, quarter, year-to-date and last-year values.

Records are laid out as a dense grid, one row per indicator (per authority) and one
column per month of the three years to the period's end, so that every window (the
quarter, the year to date, last year) is a column mask and every aggregation rule a
sum over the grid: no loop over indicators or months.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cyps_analysis.vocab import UNIT_SCALE

#: Months of history the grid holds, ending at the period's end month: the year to
#: date, last year and the twelve months before that (for rolling twelve-month values).
GRID_MONTHS = 36
#: The columns of a monthly record.
RECORD_COLUMNS: tuple[str, ...] = ("value", "numerator", "denominator")


@dataclass(frozen=True)
class MonthGrid:
    """Monthly records as (indicator x month) arrays ending at month ``end``.

    ``numerator`` and ``denominator`` are NaN where not recorded; ``present`` marks
    months with a record; ``monthly`` is each month's value under the indicator's rule
    (own ratio, rolling twelve months, or the recorded value). ``rolling`` lists the
    rows of rolling twelve-month indicators and ``rolled_denominator`` and
    ``rolled_count`` hold their rolling sums, one row each (see :meth:`rolled_at`);
    ``rolling_place`` holds each grid row's place in ``rolling`` (-1 for none).
    """

    end: int
    numerator: np.ndarray
    denominator: np.ndarray
    present: np.ndarray
    monthly: np.ndarray
    rolling: np.ndarray
    rolled_denominator: np.ndarray
    rolled_count: np.ndarray
    rolling_place: np.ndarray

    @property
    def start(self) -> int:
        return self.end - GRID_MONTHS + 1

    def column(self, month) -> np.ndarray:
        return np.asarray(month) - self.start

    def rolled_at(self, name: str, rows, columns) -> np.ndarray:
        """The rolling twelve-month ``denominator`` or ``count`` at grid ``rows`` and
        ``columns`` (broadcast together); 0 in the rows of indicators with another rule."""
        rows, columns = np.broadcast_arrays(rows, columns)
        if not len(self.rolling):
            return np.zeros(rows.shape)
        at = self.rolling_place[rows]
        values = getattr(self, f"rolled_{name}")[np.maximum(at, 0), columns]
        return np.where(at >= 0, values, 0.0)


def build_grid(
    keys: np.ndarray,
    months: np.ndarray,
    records: pd.DataFrame | Mapping[str, np.ndarray],
    indicators: pd.DataFrame | Mapping[str, np.ndarray],
    *,
    end: int,
) -> MonthGrid:
    """Lay records out on the grid.

    ``keys`` gives each record's row in ``indicators`` (which has ``unit`` and
    ``aggregation``: a frame, or arrays by name; -1 for none), ``months`` its month
    number; ``records`` holds their ``value``, ``numerator`` and ``denominator`` (a
    frame, or arrays by name); records outside the grid's months are left out.
    """
    unit = np.asarray(indicators["unit"], dtype=object)
    aggregation = np.asarray(indicators["aggregation"], dtype=object)
    n = len(unit)
    keys, months = np.asarray(keys), np.asarray(months)
    inside = (months > end - GRID_MONTHS) & (months <= end) & (keys >= 0)
    # Each record's place in the grid, as a position in the flattened grid.
    cell = keys[inside] * GRID_MONTHS + (months[inside] - (end - GRID_MONTHS + 1))
    grid = {}
    for name in RECORD_COLUMNS:
        column = pd.Series(records[name]).to_numpy(dtype="float64", na_value=np.nan)
        grid[name] = np.full((n, GRID_MONTHS), np.nan)
        grid[name].reshape(-1)[cell] = column[inside]
    present = np.zeros((n, GRID_MONTHS), dtype=bool)
    present.reshape(-1)[cell] = True

    scale = unit_scale(unit)[:, None]
    num, den = grid["numerator"], grid["denominator"]
    # Each month's value: as recorded (NaN where not), then the rows of the ratio and
    # rolling rules worked out on their own. The recorded values are not kept apart:
    # no rule reads them again.
    monthly = grid["value"]
    ratio = np.flatnonzero(aggregation == "ratio")
    k = np.flatnonzero(aggregation == "rolling12")
    with np.errstate(invalid="ignore", divide="ignore"):
        own = num[ratio] / den[ratio] * scale[ratio]
        monthly[ratio] = np.where(present[ratio] & (den[ratio] > 0), own, np.nan)
        r_den = _rolling_sum(den[k])
        r_count = _rolling_sum(present[k])
        # Percentages and rates pool numerators and denominators; other units add values.
        pooled = scale[k, 0] != 1.0
        p, other = np.flatnonzero(pooled), np.flatnonzero(~pooled)
        rolled = np.empty((len(k), GRID_MONTHS))
        r_num = _rolling_sum(num[k[p]])
        rolled[p] = np.where(r_den[p] > 0, r_num / r_den[p] * scale[k[p]], np.nan)
        rolled[other] = _rolling_sum(monthly[k[other]])
    monthly[k] = np.where(present[k] & (r_count == 12), rolled, np.nan)
    place = np.full(n, -1)
    place[k] = np.arange(len(k))
    return MonthGrid(end, num, den, present, monthly, k, r_den, r_count, place)


def unit_scale(unit: np.ndarray) -> np.ndarray:
    """What a ratio is multiplied by for each unit: 100, 10,000 or 1."""
    unit = np.asarray(unit, dtype=object)
    out = np.ones(len(unit))
    for name, factor in UNIT_SCALE.items():
        out[unit == name] = factor
    return out


def _rolling_sum(a: np.ndarray) -> np.ndarray:
    """Sum of each month and the eleven before it (NaN counted as 0; for marks of
    presence, how many of the twelve months have one)."""
    cs = np.nancumsum(a, axis=1) if a.dtype.kind == "f" else np.cumsum(a, axis=1, dtype="int16")
    cs[:, 12:] -= cs[:, :-12].copy()
    return cs


@dataclass(frozen=True)
class WindowValues:
    """One window's value per indicator, and what went into it: the sum of the
    window's denominators (ratio and rolling twelve months) and numerators (ratio),
    NaN for other rules, and how many months have a record."""

    value: np.ndarray
    denominator: np.ndarray
    records: np.ndarray
    numerator: np.ndarray | None = None


def aggregate_window(
    grid: MonthGrid, aggregation: np.ndarray, unit: np.ndarray, first, last
) -> WindowValues:
    """Each indicator's value over months ``first`` .. ``last`` (scalars or one per
    indicator) by its aggregation rule; see ``docs/method.md#aggregation``."""
    return aggregate_windows(grid, aggregation, unit, {"window": (first, last)})["window"]


def aggregate_windows(
    grid: MonthGrid,
    aggregation: np.ndarray,
    unit: np.ndarray,
    bounds: Mapping[str, tuple[object, object]],
) -> dict[str, WindowValues]:
    """:func:`aggregate_window` of several windows at once, by name: ``bounds`` maps
    each name to its ``(first, last)`` months (scalars or one per indicator). Each step
    works on every window together (arrays of window x indicator x month)."""
    aggregation = np.asarray(aggregation, dtype=object)
    n = grid.present.shape[0]
    names = list(bounds)
    start = grid.start
    lo = np.stack([np.broadcast_to(first, (n,)) for first, _ in bounds.values()]) - start
    hi = np.stack([np.broadcast_to(last, (n,)) for _, last in bounds.values()]) - start
    # Only the grid's columns that some row's window covers (at least one).
    c0 = min(max(int(lo.min()), 0), GRID_MONTHS - 1) if n else 0
    c1 = min(max(int(hi.max()), c0), GRID_MONTHS - 1) if n else 0
    cols = np.arange(c0, c1 + 1)
    span = slice(c0, c1 + 1)
    mask = (cols >= lo[..., None]) & (cols <= hi[..., None])
    present = grid.present[:, span] & mask
    records = present.sum(axis=2)
    hi_col = np.minimum(np.maximum(hi, 0), GRID_MONTHS - 1)
    # The value at the window's last month (snapshot and rolling twelve months); then
    # each other rule on its own rows only.
    value = np.where(hi >= 0, grid.monthly[np.arange(n), hi_col], np.nan)
    denominator = np.full(value.shape, np.nan)
    numerator = np.full(value.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.flatnonzero(aggregation == "ratio")
        num, den = grid.numerator[r, span], grid.denominator[r, span]
        # NaN (a month not recorded) is not equal to itself: counted as 0.
        sum_num = np.where(mask[:, r] & (num == num), num, 0).sum(axis=2)
        sum_den = np.where(mask[:, r] & (den == den), den, 0).sum(axis=2)
        scale = unit_scale(np.asarray(unit, dtype=object)[r])
        value[:, r] = np.where(sum_den > 0, sum_num / sum_den * scale, np.nan)
        denominator[:, r] = np.where(records[:, r] > 0, sum_den, np.nan)
        numerator[:, r] = np.where(records[:, r] > 0, sum_num, np.nan)

        r = np.flatnonzero((aggregation == "sum") | (aggregation == "mean"))
        values = grid.monthly[r, span]  # for these rules, the values recorded
        has_value = ~np.isnan(values) & mask[:, r]
        n_values = has_value.sum(axis=2)
        sum_val = np.where(has_value, values, 0).sum(axis=2)
        mean = np.where(n_values > 0, sum_val / n_values, np.nan)
        total = np.where(n_values > 0, sum_val, np.nan)
        value[:, r] = np.where(aggregation[r] == "sum", total, mean)

    r = np.flatnonzero(aggregation == "annual")
    last_present = np.where(present[:, r], cols, -1).max(axis=2, initial=-1)
    latest = grid.monthly[r, np.maximum(last_present, 0)]
    value[:, r] = np.where(last_present >= 0, latest, np.nan)

    r = np.flatnonzero(aggregation == "rolling12")
    rolled = grid.rolled_at("denominator", r, hi_col[:, r])
    denominator[:, r] = np.where(hi[:, r] >= 0, rolled, np.nan)
    value = np.where(records > 0, value, np.nan)
    return {
        name: WindowValues(value[i], denominator[i], records[i], numerator[i])
        for i, name in enumerate(names)
    }
