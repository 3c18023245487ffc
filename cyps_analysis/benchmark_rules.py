"""The rules of benchmarking, on whole matrices: numpy's linear percentile, rank with
ties sharing the best rank, and bands from quartile (or quintile) boundaries as LAIT's
own code bands them. :mod:`cyps_analysis.benchmarking` applies them to every
authority, measure and year at once.
"""

from __future__ import annotations

import numpy as np

QUARTILES: tuple[int, ...] = (25, 50, 75)
QUINTILES: tuple[int, ...] = (20, 40, 60, 80)
BANDS = "ABCDE"
POLARITIES = ("high", "low", "none")


def sort_rows(values: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's order (``argsort``) and its valid values in ascending order, the
    others (as infinity) after them: one sort serves the percentiles and the ranks."""
    key = np.where(valid, values, np.inf)
    order = np.argsort(key, axis=1, kind="stable")
    return order, np.take_along_axis(key, order, axis=1)


def percentile_linear(
    values: np.ndarray, valid: np.ndarray, q: float, *, ordered: np.ndarray | None = None
) -> np.ndarray:
    """Each row's ``q``-th percentile of its valid entries, exactly as numpy's default
    (``linear``) method computes it; NaN for a row with no valid entry. ``ordered``:
    the rows already sorted by :func:`sort_rows`.

    Examples
    --------
    >>> v = np.array([[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, np.nan, np.nan]])
    >>> percentile_linear(v, ~np.isnan(v), 25).tolist()
    [1.75, 12.5]
    """
    if ordered is None:
        ordered = sort_rows(values, valid)[1]
    n = valid.sum(axis=1)
    quantile = np.true_divide(q, 100)
    # numpy's "linear" method: virtual index (n - 1) * q, then its _lerp.
    virtual = (n - 1) * quantile
    below = np.floor(virtual)
    gamma = virtual - below
    last = np.maximum(n - 1, 0)
    lo = np.where(virtual >= n - 1, last, below.astype("int64"))
    hi = np.where(virtual >= n - 1, last, below.astype("int64") + 1)
    a = np.take_along_axis(ordered, lo[:, None], axis=1)[:, 0]
    b = np.take_along_axis(ordered, np.minimum(hi, ordered.shape[1] - 1)[:, None], axis=1)[:, 0]
    with np.errstate(invalid="ignore"):
        diff = b - a
        out = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    return np.where(n > 0, out, np.nan)


def rank_min(
    values: np.ndarray,
    valid: np.ndarray,
    high: np.ndarray | bool = True,
    *,
    sorted_rows: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Each valid entry's rank within its row, 1 = best: the highest value where
    ``high`` (per row) is true, the lowest where false; ties share the best rank (R's
    ``ties.method = "min"``); NaN where not valid. ``sorted_rows``: :func:`sort_rows`'s
    result, if already at hand.

    Examples
    --------
    >>> s = np.array([[3.0, 5.0, 5.0, 1.0], [3.0, 5.0, 5.0, 1.0]])
    >>> rank_min(s, np.ones_like(s, dtype=bool), np.array([True, False])).tolist()
    [[3.0, 1.0, 1.0, 4.0], [2.0, 3.0, 3.0, 1.0]]
    """
    order, ordered = sort_rows(values, valid) if sorted_rows is None else sorted_rows
    width = ordered.shape[1]
    position = np.broadcast_to(np.arange(width), ordered.shape)
    differs = ordered[:, 1:] != ordered[:, :-1]
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = differs
    ends = np.ones(ordered.shape, dtype=bool)
    ends[:, :-1] = differs
    # In ascending order: the first and last place of each run of equal values.
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends, position, width)[:, ::-1], axis=1)[:, ::-1]
    n = valid.sum(axis=1)[:, None]
    high = np.broadcast_to(np.asarray(high)[..., None] if np.ndim(high) else high, ordered.shape)
    ranked = np.where(high, n - last, first + 1).astype("float64")
    ranks = np.empty(ordered.shape, dtype="float64")
    np.put_along_axis(ranks, order, ranked, axis=1)
    return np.where(valid, ranks, np.nan)


def band_index(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Which interval each value lies in, 0 = lowest values: a value equal to a
    boundary belongs to the interval below it (LAIT: ``value <= 25%`` is the first
    quartile). ``bounds`` has one row per boundary, broadcast against ``values``.

    Examples
    --------
    >>> band_index(np.array([10.0, 10.5, 30.0, 31.0]), np.array([[10.0], [20.0], [30.0]])).tolist()
    [0, 1, 2, 3]
    """
    return (values[None, ...] > bounds).sum(axis=0)


def band_codes(index: np.ndarray, high: np.ndarray, k: int) -> np.ndarray:
    """Bands from interval indices (see :func:`band_index`) as codes into ``BANDS``:
    0 (A) is the best of ``k`` bands given polarity (the highest values where ``high``
    is true, the lowest where false); -1 where the index is missing (negative).

    Examples
    --------
    >>> codes = band_codes(np.array([0, 0, 3, -1]), np.array([False, True, True, True]), 4)
    >>> [BANDS[c] if c >= 0 else None for c in codes]
    ['A', 'D', 'A', None]
    """
    return np.where(index >= 0, np.where(high, k - 1 - index, index), -1)
