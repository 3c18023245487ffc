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
    """The exact (Garwood) interval of each Poisson count k: the lower limit L solves
    P(X >= k; L) = (1 - level) / 2 (0 for k = 0) and the upper U solves
    P(X <= k; U) = (1 - level) / 2; equivalently chi2((1 - level) / 2, 2k) / 2 and
    chi2((1 + level) / 2, 2k + 2) / 2. NaN where the count is missing.

    Each limit is found by halving an interval sixty times on the Poisson distribution
    function (a finite sum for a whole count): SciPy's inverse incomplete gamma function
    gives the same (tests/rules/test_intervals.py checks it does), but importing SciPy
    takes longer than the whole scorecard command.

    Examples
    --------
    >>> lo, hi = poisson_interval([0, 5])
    >>> [round(float(v), 3) for v in lo], [round(float(v), 3) for v in hi]
    ([0.0, 1.623], [3.689, 11.668])
    """
    k = np.asarray(count, dtype="float64")
    alpha = 1 - level
    known = ~np.isnan(k)
    kk = np.round(np.where(known, k, 0.0))
    upper = _solve_cdf(kk, alpha / 2)
    lower = np.where(kk > 0, _solve_cdf(np.maximum(kk - 1, 0), 1 - alpha / 2), 0.0)
    return np.where(known, lower, np.nan), np.where(known, upper, np.nan)


def _poisson_cdf(k: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """P(X <= k) for X ~ Poisson(mean), element by element: the sum of
    exp(j log(mean) - mean - log(j!)) for j = 0 .. k."""
    j = np.arange(int(k.max()) + 1 if k.size else 1)
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(j[1:]))])
    with np.errstate(divide="ignore"):
        terms = np.exp(j * np.log(mean[:, None]) - mean[:, None] - log_factorial)
    terms = np.where(j <= k[:, None], terms, 0.0)
    terms[:, 0] = np.exp(-mean)  # 0 ** 0 = 1, also where the mean is 0
    return terms.sum(axis=1)


def _solve_cdf(k: np.ndarray, p: float) -> np.ndarray:
    """The mean at which P(X <= k) = p (the distribution function falls as the mean
    rises), by bisection."""
    lo = np.zeros(k.shape)
    hi = k + 10 * np.sqrt(k + 1) + 10  # far beyond any 95% limit
    for _ in range(60):
        mid = (lo + hi) / 2
        above = _poisson_cdf(k, mid) > p
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return (lo + hi) / 2


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
