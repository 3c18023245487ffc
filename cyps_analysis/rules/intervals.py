"""Intervals for figures from small numbers: the Wilson score interval for a
proportion and the exact (Garwood) Poisson interval for a count, and whether an
interval crosses a boundary of the bands a figure is rated against.

See ``docs/method.md#small-numbers``.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

#: The confidence level of every interval the kit gives.
LEVEL = 0.95
METHODS: tuple[str, ...] = ("wilson", "poisson_exact")


def _z(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


def wilson_interval(numerator, denominator, *, level: float = LEVEL):
    """The Wilson score interval of each proportion ``numerator / denominator``, as
    proportions (0 to 1); NaN where the denominator is 0 or missing.

    (p + z^2/2n +/- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), z = 1.96 for 95%
    (Wilson 1927; Newcombe 1998, method 3).

    Examples
    --------
    >>> lo, hi = wilson_interval([0, 45], [5, 50])
    >>> [round(float(v), 4) for v in lo], [round(float(v), 4) for v in hi]
    ([0.0, 0.7864], [0.4345, 0.9565])
    """
    x = np.asarray(numerator, dtype="float64")
    n = np.asarray(denominator, dtype="float64")
    z2 = _z(level) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        n = np.where(n > 0, n, np.nan)
        p = x / n
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = np.sqrt(z2) / (1 + z2 / n) * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def poisson_interval(count, *, level: float = LEVEL):
    """The exact (Garwood) interval of each Poisson count: the lower limit is half the
    chi-square quantile at (1 - level) / 2 with 2k degrees of freedom (0 for k = 0),
    the upper half the quantile at (1 + level) / 2 with 2k + 2; NaN where the count is
    missing. SciPy's inverse regularised incomplete gamma function gives the quantiles
    (chi2.ppf(q, 2k) / 2 = gammaincinv(k, q)).

    Examples
    --------
    >>> lo, hi = poisson_interval([0, 5])
    >>> [round(float(v), 3) for v in lo], [round(float(v), 3) for v in hi]
    ([0.0, 1.623], [3.689, 11.668])
    """
    from scipy.special import gammaincinv  # only when a rate has a numerator

    k = np.asarray(count, dtype="float64")
    alpha = 1 - level
    known = ~np.isnan(k)
    kk = np.where(known, k, 0.0)
    with np.errstate(invalid="ignore"):
        lower = np.where(kk > 0, gammaincinv(np.maximum(kk, 1e-300), alpha / 2), 0.0)
        upper = gammaincinv(kk + 1, 1 - alpha / 2)
    return np.where(known, lower, np.nan), np.where(known, upper, np.nan)


def crosses_bands(lower_codes, upper_codes) -> np.ndarray:
    """Whether each interval is uncertain for its RAG: its two ends rated differently
    (``lower_codes`` and ``upper_codes`` are the RAG codes of the interval's ends, -1
    not rated); None where either end is not rated.

    >>> crosses_bands([2, 1, -1], [2, 2, 2]).tolist()
    [False, True, None]
    """
    lo = np.asarray(lower_codes)
    hi = np.asarray(upper_codes)
    out = (lo != hi).astype(object)
    out[(lo < 0) | (hi < 0)] = None
    return out
