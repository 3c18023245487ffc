"""Small numbers in a published pack (``cyps-analysis run --publish``): which figures
are hidden, shown as ``[c]`` (the GSS and DfE symbol for a figure withheld to protect
confidentiality). See ``docs/reports.md#publishing``.

The rule: a count from 1 to ``min_count - 1`` is hidden, and so is a percentage or
rate whose numerator or denominator is from 1 to ``min_count - 1``. Zero is shown (as
the DfE shows it: a zero is a zero submitted). An average (the ``mean`` rule, or
days, scores and caseloads) counts no one and is shown, and so is a percentage or rate
recorded without its numerator and denominator: there is nothing to check it by.
Secondary suppression (a total, or a difference, that would reveal a hidden figure)
is not done here: docs/reports.md says what to check by hand.
"""

from __future__ import annotations

import numpy as np

from cyps_analysis.rules.aggregation import GRID_MONTHS, MonthGrid, WindowValues, unit_scale

#: How a hidden figure is shown in tables, the CSV and the workbook.
MARKER = "[c]"


def is_count(unit, aggregation) -> np.ndarray:
    """Whether each indicator's value is itself a count of people or events: unit
    ``count`` under any rule but ``mean`` (an average caseload counts no one)."""
    unit = np.asarray(unit, dtype=object)
    aggregation = np.asarray(aggregation, dtype=object)
    return (unit == "count") & (aggregation != "mean")


def small(counts, min_count: int) -> np.ndarray:
    """Counts from 1 to ``min_count - 1`` (zero and missing are not small).

    Examples
    --------
    >>> small([0, 1, 4, 5, float("nan")], 5).tolist()
    [False, True, True, False, False]
    """
    c = np.asarray(counts, dtype="float64")
    with np.errstate(invalid="ignore"):
        return (c > 0) & (c < min_count)


def suppressed(value, numerator, denominator, *, unit, aggregation, min_count: int) -> np.ndarray:
    """Which figures a published pack hides: a count's ``value`` when small; a
    percentage's or rate's when its ``numerator`` or ``denominator`` is small
    (:func:`small`). Arrays broadcast together (one row per figure).

    Examples
    --------
    2 of 3 assessments on time (66.7%), 3 contacts, 0 of 40, 120 of 150, a mean of 3.5:

    >>> suppressed([66.7, 3, 0.0, 80.0, 3.5], [2, None, 0, 120, None],
    ...            [3, None, 40, 150, None],
    ...            unit=["percent", "count", "percent", "percent", "count"],
    ...            aggregation=["ratio", "sum", "ratio", "ratio", "mean"],
    ...            min_count=5).tolist()
    [True, True, False, False, False]
    """
    count = is_count(unit, aggregation)
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    return np.where(count, small(value, min_count), small(num, min_count) | small(den, min_count))


def month_cases(grid: MonthGrid, aggregation, unit, column) -> tuple[np.ndarray, np.ndarray]:
    """The numerator and denominator behind each row's value at grid ``column`` (one per
    row, -1 for none): the month's own, or a rolling twelve months' sums."""
    aggregation = np.asarray(aggregation, dtype=object)
    rows = np.arange(len(aggregation))
    column = np.broadcast_to(np.asarray(column), rows.shape)
    at = np.clip(column, 0, GRID_MONTHS - 1)
    num = grid.numerator[rows, at]
    den = grid.denominator[rows, at]
    rolling = aggregation == "rolling12"
    rolled = grid.rolled_at("denominator", rows, at)
    with np.errstate(invalid="ignore"):
        rolled_num = grid.monthly[rows, at] / unit_scale(unit) * rolled
    num = np.where(rolling, np.round(rolled_num, 6), num)
    den = np.where(rolling, rolled, den)
    inside = column >= 0
    return np.where(inside, num, np.nan), np.where(inside, den, np.nan)


def window_cases(
    grid: MonthGrid, aggregation, unit, window: WindowValues, first, last
) -> tuple[np.ndarray, np.ndarray]:
    """The numerator and denominator behind each row's value of the window of months
    ``first`` .. ``last`` (:func:`~cyps_analysis.rules.aggregation.aggregate_windows`):
    the window's sums for the ratio rule; for the rules that take one month's value
    (snapshot and rolling twelve months: the last; annual: the last recorded), that
    month's (:func:`month_cases`)."""
    aggregation = np.asarray(aggregation, dtype=object)
    n = len(aggregation)
    lo = np.broadcast_to(grid.column(first), (n,))
    hi = np.broadcast_to(grid.column(last), (n,))
    cols = np.arange(GRID_MONTHS)
    inside = (cols >= lo[:, None]) & (cols <= hi[:, None]) & grid.present
    last_recorded = np.where(inside, cols, -1).max(axis=1)
    source = np.where(aggregation == "annual", last_recorded, np.where(hi >= 0, hi, -1))
    num, den = month_cases(grid, aggregation, unit, source)
    ratio = aggregation == "ratio"
    window_num = window.numerator if window.numerator is not None else np.full(n, np.nan)
    return np.where(ratio, window_num, num), np.where(ratio, window.denominator, den)
