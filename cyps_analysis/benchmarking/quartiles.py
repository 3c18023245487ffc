"""The rules of benchmarking, on whole matrices: numpy's linear percentile, rank with
ties sharing the best rank, and bands from quartile (or quintile) boundaries as LAIT's
own code bands them. :mod:`cyps_analysis.benchmarking.compare` applies them to every
authority, measure and year at once.
"""

from __future__ import annotations

import numpy as np

QUARTILES: tuple[int, ...] = (25, 50, 75)
QUINTILES: tuple[int, ...] = (20, 40, 60, 80)
BANDS = "ABCDE"


def ascending(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Each row's valid values in ascending order, NaN after them."""
    return np.sort(np.where(valid, values, np.nan), axis=1)


def percentile_linear(
    values: np.ndarray, valid: np.ndarray, q: float, *, ordered: np.ndarray | None = None
) -> np.ndarray:
    """Each row's ``q``-th percentile of its valid entries, exactly as numpy's default
    (``linear``) method computes it; NaN for a row with no valid entry. ``ordered``:
    the rows already sorted by :func:`ascending`.

    Examples
    --------
    >>> v = np.array([[1.0, 2.0, 3.0, 4.0], [10.0, 20.0, np.nan, np.nan]])
    >>> percentile_linear(v, ~np.isnan(v), 25).tolist()
    [1.75, 12.5]
    """
    if ordered is None:
        ordered = ascending(values, valid)
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


def rank_min(values: np.ndarray, valid: np.ndarray, high: np.ndarray | bool = True) -> np.ndarray:
    """Each valid entry's rank within its row, 1 = best: the highest value where
    ``high`` (per row) is true, the lowest where false; ties share the best rank (R's
    ``ties.method = "min"``); NaN where not valid.

    Each row is sorted once, best first; an entry's rank is one more than the place
    where its run of equal values starts.

    Examples
    --------
    >>> s = np.array([[3.0, 5.0, 5.0, 1.0], [3.0, 5.0, 5.0, 1.0]])
    >>> rank_min(s, np.ones_like(s, dtype=bool), np.array([True, False])).tolist()
    [[3.0, 1.0, 1.0, 4.0], [2.0, 3.0, 3.0, 1.0]]
    """
    high = np.asarray(high, dtype=bool)
    sign = np.where(high, -1.0, 1.0)[:, None] if high.ndim else (-1.0 if high else 1.0)
    # Ascending key, best first, the invalid last (infinity: numpy sorts it much faster
    # than NaN; a valid infinite value ties with them and still ranks right).
    key = np.where(valid, values * sign, np.inf)
    order = np.argsort(key, axis=1)
    ordered = np.take_along_axis(key, order, axis=1)
    first = np.zeros(key.shape, dtype=np.int64)
    place = np.broadcast_to(np.arange(key.shape[1]), key.shape)
    np.copyto(first[:, 1:], place[:, 1:], where=ordered[:, 1:] != ordered[:, :-1])
    np.maximum.accumulate(first, axis=1, out=first)
    ranks = np.empty(key.shape)
    np.put_along_axis(ranks, order, first + 1.0, axis=1)
    ranks[~valid] = np.nan
    return ranks


def band_index(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Which interval each value lies in, 0 = lowest values: a value equal to a
    boundary belongs to the interval below it (LAIT: ``value <= 25%`` is the first
    quartile). ``bounds`` has one row per boundary, broadcast against ``values``.

    Examples
    --------
    >>> band_index(np.array([10.0, 10.5, 30.0, 31.0]), np.array([[10.0], [20.0], [30.0]])).tolist()
    [0, 1, 2, 3]
    """
    return np.add.reduce(values[None, ...] > bounds, axis=0, dtype=np.int8)


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
