"""Statistical process control: XmR charts as NHS England's "Making Data Count"
programme sets them out and NHSRplotthedots (nhs-r-community) implements them.

A *series* is one indicator's points in time order (or one part of them, from a
baseline month on). Every series is laid out as a row of a padded (series x point)
array, so that each rule is one array operation over all series at once. See
``docs/method.md#statistical-process-control`` for the rules in words.

- mean of the points; moving ranges |x_i - x_(i-1)| and their mean, the AMR;
- moving ranges of 3.267 x AMR or more are screened out and the AMR worked out again
  once from the rest;
- process limits mean +/- 2.66 x AMR; the outer third lies beyond mean +/- (2/3 x 2.66)
  x AMR, up to the limits;
- special causes: a point outside the limits; a shift (7 or more points in a row on one
  side of the mean); a trend (7 or more points in a row each higher, or each lower,
  than the one before); two of three points in a row in the outer third, all three on
  that side of the mean.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

#: Fewest points a series needs for limits.
MIN_POINTS = 12
#: Moving ranges this many times the AMR or more are left out of the AMR.
SCREEN = 3.267
#: Process limits: this many AMRs either side of the mean.
LIMIT = 2.66
#: Points in a row that make a shift or a trend.
RUN = 7
#: The rules a point can be flagged by, in the order they are listed.
RULES: tuple[str, ...] = ("outside_limits", "shift", "trend", "two_in_three")
#: The latest point's variation, and assurance against a target.
VARIATIONS: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_high",
    "special_cause_low",
)
ASSURANCES: tuple[str, ...] = ("consistent_pass", "hit_and_miss", "consistent_fail")
FEWER_THAN = f"fewer than {MIN_POINTS} points"


def xmr(points: pd.DataFrame, *, by: str = "series", value: str = "value") -> pd.DataFrame:
    """Process limits and special causes of every point of every series.

    Parameters
    ----------
    points
        One row per point, the points of each series in time order; ``by`` names the
        series, ``value`` holds the values (no missing values: leave gaps out).

    Returns
    -------
    pandas.DataFrame
        ``points`` with ``mean``, ``lower``, ``upper`` (NaN for a series of fewer than
        ``MIN_POINTS`` points), ``points_used`` (the series' number of points),
        ``side`` (+1 above the mean, -1 below, 0 on it), ``trend_direction`` (+1 or -1
        for a point in a trend, else 0), a boolean column for each of ``RULES``, and
        ``special_cause`` (any of them).

    Examples
    --------
    Twelve points alternating 9 and 11: mean 10, eleven moving ranges of 2 (AMR 2,
    none screened: 2 < 3.267 x 2), limits 10 - 5.32 = 4.68 and 10 + 5.32 = 15.32:

    >>> out = xmr(pd.DataFrame({"series": "a", "value": [9, 11] * 6}))
    >>> [float(round(v, 2)) for v in out.loc[0, ["mean", "lower", "upper"]]]
    [10.0, 4.68, 15.32]
    >>> bool(out["special_cause"].any())
    False
    """
    codes, keys = pd.factorize(points[by], sort=False)
    n_series = len(keys)
    pos = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    width = int(pos.max()) + 1 if len(pos) else 0
    x = np.full((n_series, width), np.nan)
    x[codes, pos] = points[value].to_numpy(dtype="float64")
    counts = np.bincount(codes, minlength=n_series)
    arrays = _rules(x, counts)
    out = points.copy()
    for name, grid in arrays.items():
        out[name] = grid[codes, pos] if grid.ndim == 2 else grid[codes]
    out["points_used"] = counts[codes]
    return out


def _rules(x: np.ndarray, counts: np.ndarray) -> dict[str, np.ndarray]:
    """The limits and rules over a padded (series x point) array: each series' points
    from the left, NaN after them."""
    width = x.shape[1]
    enough = counts >= MIN_POINTS
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(enough, np.nansum(x, axis=1) / counts, np.nan)
        mr = np.abs(np.diff(x, axis=1))
        n_mr = np.sum(~np.isnan(mr), axis=1)
        amr = np.nansum(mr, axis=1) / n_mr
        kept = ~np.isnan(mr) & (mr < SCREEN * amr[:, None])
        screened = np.where(kept, mr, 0.0).sum(axis=1) / kept.sum(axis=1)
        # A flat series has every moving range 0 = 3.267 x 0: nothing is left to screen
        # with, and its AMR stays 0 (limits on the mean).
        amr = np.where(amr == 0, 0.0, screened)
        amr = np.where(enough, amr, np.nan)
    lower, upper = mean - LIMIT * amr, mean + LIMIT * amr
    near = 2 * LIMIT / 3 * amr
    m, lo, hi = mean[:, None], lower[:, None], upper[:, None]
    valid = ~np.isnan(x) & enough[:, None]
    outside = valid & ((x > hi) | (x < lo))
    side = np.where(valid, np.sign(np.nan_to_num(x - m)), 0).astype("int8")
    outer = valid & ~outside & ((x > m + near[:, None]) | (x < m - near[:, None]))

    # A shift: a run of RUN points on one side ends at a point; each point of it is part.
    same_side = _window_all(side, lambda w: (w == w[..., :1]).all(axis=-1) & (w[..., 0] != 0))
    shift = _part_of(same_side)
    # A trend: RUN - 1 rises (or falls) in a row; an equal pair (difference 0) breaks it.
    step = np.zeros_like(side)
    step[:, 1:] = np.where(valid[:, 1:] & valid[:, :-1], np.sign(np.nan_to_num(np.diff(x))), 0)
    rising = _part_of(_window_all(step[:, 1:], lambda w: (w == 1).all(axis=-1), RUN - 1), pad=1)
    falling = _part_of(_window_all(step[:, 1:], lambda w: (w == -1).all(axis=-1), RUN - 1), pad=1)
    trend = rising | falling
    # Where a point ends one trend and starts the other (a peak or a trough), the later
    # trend's direction, as NHSRplotthedots takes the right-hand side.
    later_rising = np.zeros_like(rising)
    later_rising[:, :-1] = rising[:, 1:] & rising[:, :-1]
    direction = np.select(
        [rising & falling, rising, falling],
        [np.where(later_rising, 1, -1), 1, -1],
        0,
    ).astype("int8")
    # Two of three: a window of three points with two or more in the outer third and all
    # three on one side; the points in the outer third of such a window are flagged.
    if width >= 3:
        o = sliding_window_view(outer, 3, axis=1)
        s = sliding_window_view(side, 3, axis=1)
        window = (o.sum(axis=-1) >= 2) & (np.abs(s.sum(axis=-1)) == 3)
        in_window = np.zeros_like(outer)
        for k in range(3):  # each window marks its three places
            in_window[:, k : k + window.shape[1]] |= window
        two_in_three = outer & in_window
    else:
        two_in_three = np.zeros_like(outer)
    special = outside | shift | trend | two_in_three
    return {
        "mean": mean,
        "lower": lower,
        "upper": upper,
        "side": side,
        "trend_direction": np.where(trend, direction, 0),
        "outside_limits": outside,
        "shift": shift & valid,
        "trend": trend & valid,
        "two_in_three": two_in_three,
        "special_cause": special & valid,
    }


def _window_all(a: np.ndarray, test, size: int = RUN) -> np.ndarray:
    """Whether the window of ``size`` values ending at each place passes ``test``
    (False where fewer than ``size`` values end there)."""
    out = np.zeros(a.shape, dtype=bool)
    if a.shape[1] >= size:
        out[:, size - 1 :] = test(sliding_window_view(a, size, axis=1))
    return out


def _part_of(ends: np.ndarray, *, size: int = RUN, pad: int = 0) -> np.ndarray:
    """Each point of a run of ``size`` points whose last one is marked in ``ends``
    (for runs of differences, ``pad`` = 1 moves back onto the points)."""
    full = np.zeros((ends.shape[0], ends.shape[1] + pad), dtype=bool)
    full[:, pad:] = ends
    out = np.zeros_like(full)
    # The run's points lie up to size - 1 places before its end.
    for back in range(min(size, full.shape[1])):
        out[:, : full.shape[1] - back] |= full[:, back:]
    return out


def point_rules(points: pd.DataFrame) -> list[list[str]]:
    """The names of the rules that flag each point of :func:`xmr`'s result."""
    flags = points[list(RULES)].to_numpy(dtype=bool)
    names = np.array(RULES, dtype=object)
    return [names[row].tolist() for row in flags]


def variation_codes(points: pd.DataFrame, polarity) -> np.ndarray:
    """Each point's variation (positions in ``VARIATIONS``; -1 where there are no
    limits), given the polarity of its indicator (``high``, ``low``, ``none``).

    A point outside the limits, in a shift or in two of three is high or low by its side
    of the mean; a point flagged only by a trend by the trend's direction. High is an
    improvement where high is good.

    Examples
    --------
    >>> p = pd.DataFrame({"lower": [0.0, 0.0, 0.0, np.nan], "side": [1, -1, 1, 1],
    ...     "trend_direction": [0, -1, 0, 0], "outside_limits": [True, False, False, False],
    ...     "shift": False, "trend": [False, True, False, False], "two_in_three": False,
    ...     "special_cause": [True, True, False, False]})
    >>> [VARIATIONS[c] if c >= 0 else None for c in variation_codes(p, ["low"] * 4)]
    ['special_cause_concern', 'special_cause_improvement', 'common_cause', None]
    """
    by_side = points[["outside_limits", "shift", "two_in_three"]].to_numpy(dtype=bool).any(axis=1)
    sense = np.where(
        by_side, points["side"].to_numpy(), points["trend_direction"].to_numpy()
    ).astype("int64")
    special = points["special_cause"].to_numpy(dtype=bool) & (sense != 0)
    pol = np.asarray(polarity, dtype=object)
    good = np.select([pol == "high", pol == "low"], [1, -1], 0)
    code = np.select(
        [~special, good == 0, sense == good],
        [0, np.where(sense > 0, 3, 4), 1],
        2,
    )
    return np.where(points["lower"].notna().to_numpy(), code, -1)


def assurance_codes(target, lower, upper, polarity) -> np.ndarray:
    """Whether the process will meet its target (positions in ``ASSURANCES``; -1 where
    there is no target, no limits or no polarity).

    Where higher is better a target above the upper limit is consistently failed, below
    the lower limit consistently passed, otherwise hit and miss; mirrored where lower is
    better.

    Examples
    --------
    >>> codes = assurance_codes([95, 75, 85, 95, 75, 85, 85], [80] * 7, [90] * 7,
    ...                         ["high"] * 3 + ["low"] * 3 + ["none"])
    >>> [ASSURANCES[c] if c >= 0 else None for c in codes]
    ['consistent_fail', 'consistent_pass', 'hit_and_miss', 'consistent_pass', 'consistent_fail', 'hit_and_miss', None]
    """
    t = np.asarray(target, dtype="float64")
    lo, hi = np.asarray(lower, dtype="float64"), np.asarray(upper, dtype="float64")
    pol = np.asarray(polarity, dtype=object)
    high, low = pol == "high", pol == "low"
    above, below = t > hi, t < lo
    code = np.select(
        [above & high, above & low, below & high, below & low],
        [2, 0, 0, 2],
        1,
    )
    known = ~np.isnan(t) & ~np.isnan(lo) & (high | low)
    return np.where(known, code, -1)
