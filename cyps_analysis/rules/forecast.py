"""What the rest of the year holds: the year-end outturn the year to date points to,
and what the months to come must average for the outturn to reach the Green threshold.
See docs/method.md#year-end-forecast.

All rows at once; every value here is unrounded unless said otherwise.
"""

from __future__ import annotations

import numpy as np

from cyps_analysis.vocab import UNIT_RANGE, UNIT_SCALE


def green_threshold(polarity, green_lo, green_hi) -> np.ndarray:
    """The value an outturn must reach for Green: the lower end of the Green band where
    higher is better, the upper end where lower is better; NaN for polarity ``none`` or
    no band.

    Examples
    --------
    >>> green_threshold(["high", "low", "none"], [90.0, -np.inf, 1.0], [np.inf, 227.1, 2.0]).tolist()
    [90.0, 227.1, nan]
    """
    polarity = np.asarray(polarity, dtype=object)
    lo, hi = np.asarray(green_lo, dtype="float64"), np.asarray(green_hi, dtype="float64")
    found = np.select([polarity == "high", polarity == "low"], [lo, hi], np.nan)
    return np.where(np.isfinite(found), found, np.nan)


def project_outturn(aggregation, ytd, latest, months_elapsed) -> np.ndarray:
    """The year-end outturn at this pace, by the indicator's aggregation: ``sum`` the
    year to date x 12 / months elapsed; ``ratio`` the pooled year to date; ``mean`` the
    year-to-date mean; ``snapshot`` and ``rolling12`` the latest value. NaN for
    ``annual`` (published once a year: there is no pace).

    Examples
    --------
    >>> project_outturn(["sum", "ratio", "snapshot", "annual"], [300, 88.0, 5.0, 1.0],
    ...                 [40, 90.0, 6.0, 1.0], [9, 9, 9, 9]).tolist()
    [400.0, 88.0, 6.0, nan]
    """
    agg = np.asarray(aggregation, dtype=object)
    ytd = np.asarray(ytd, dtype="float64")
    latest = np.asarray(latest, dtype="float64")
    elapsed = np.asarray(months_elapsed, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.select(
            [
                agg == "sum",
                (agg == "ratio") | (agg == "mean"),
                np.isin(agg, ["snapshot", "rolling12"]),
            ],
            [ytd * 12 / elapsed, ytd, latest],
            np.nan,
        )


def needed_to_reach(
    aggregation,
    unit,
    threshold,
    *,
    ytd,
    months_left,
    months_recorded,
    numerator,
    denominator,
) -> np.ndarray:
    """What the months left must average for the year's outturn to reach ``threshold``
    (the Green threshold: a whole year's total for ``sum``):

    - ``sum``: (threshold - year to date) / months left;
    - ``ratio``: with the months left's denominators taken as the year to date's monthly
      average D = D_ytd / months recorded, and s the unit's scale (100 for a
      percentage): s x (T/s x (D_ytd + D x m) - N_ytd) / (D x m);
    - ``mean``: (threshold x 12 - the year to date's values added up) / months left,
      the values added up being the mean x months recorded;
    - ``snapshot`` and ``rolling12``: the threshold itself.

    NaN where there are no months left, no threshold, or (``annual``) no rule.

    Examples
    --------
    Nine months of a year give 1,683 of 1,912 (88.0%). The three left, at the same
    1,912 / 9 = 212.4 cases a month (637.3 in all), must give 0.893 x (1,912 + 637.3)
    - 1,683 = 593.6 in time, 93.1%, for the year to reach 89.3%:

    >>> needed_to_reach(["ratio"], ["percent"], [89.3], ytd=[88.02], months_left=[3],
    ...                 months_recorded=[9], numerator=[1683], denominator=[1912]).round(2)
    array([93.13])
    """
    agg = np.asarray(aggregation, dtype=object)
    t = np.asarray(threshold, dtype="float64")
    m = np.asarray(months_left, dtype="float64")
    ytd = np.asarray(ytd, dtype="float64")
    recorded = np.asarray(months_recorded, dtype="float64")
    n = np.asarray(numerator, dtype="float64")
    d = np.asarray(denominator, dtype="float64")
    scale = np.array([UNIT_SCALE.get(u, 1.0) for u in np.asarray(unit, dtype=object)])
    with np.errstate(invalid="ignore", divide="ignore"):
        per_month = d / recorded
        ratio = scale * (t / scale * (d + per_month * m) - n) / (per_month * m)
        needed = np.select(
            [
                agg == "sum",
                agg == "ratio",
                agg == "mean",
                np.isin(agg, ["snapshot", "rolling12"]),
            ],
            [(t - ytd) / m, ratio, (t * 12 - ytd * recorded) / m, t],
            np.nan,
        )
    return np.where(m > 0, needed, np.nan)


def still_possible(needed, polarity, unit) -> np.ndarray:
    """False only where the threshold can no longer be reached: higher is better and
    the months left must average more than the unit allows (over 100% for a
    percentage), or lower is better and they must average below 0. A threshold already
    secured (higher is better and needed below 0) is possible. None where there is
    nothing needed (NaN).

    Examples
    --------
    >>> still_possible([104.0, -3.0, -1.0, 50.0, np.nan], ["high", "high", "low", "low", "high"],
    ...                ["percent"] * 5).tolist()
    [False, True, False, True, None]
    """
    needed = np.asarray(needed, dtype="float64")
    polarity = np.asarray(polarity, dtype=object)
    top = np.array(
        [UNIT_RANGE.get(u, (-np.inf, np.inf))[1] for u in np.asarray(unit, dtype=object)]
    )
    impossible = ((polarity == "high") & (needed > top)) | ((polarity == "low") & (needed < 0))
    out = np.where(impossible, False, True).astype(object)
    out[np.isnan(needed)] = None
    return out
