"""Intervals for small numbers, against values worked out by hand from the formulas.

Wilson (z = 1.959964, z^2 = 3.841459):
  centre = (p + z^2 / 2n) / (1 + z^2 / n);
  half = z / (1 + z^2 / n) x sqrt(p (1 - p) / n + z^2 / 4n^2).
"""

from __future__ import annotations

import numpy as np
import pytest

from cyps_analysis.rules.intervals import crosses_bands, poisson_interval, wilson_interval


@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [
        # 2 of 3: p = 0.6667; 1 + z^2/n = 2.280486; centre (0.6667 + 0.640243) / 2.280486
        # = 0.573087; half 0.859450 x sqrt(0.074074 + 0.106709) = 0.365384:
        # 0.2077 to 0.9385.
        (2, 3, 0.2077, 0.9385),
        # 0 of 5: p = 0, centre = half = (z^2 / 10) / (1 + z^2 / 5) = 0.217267:
        # 0 to z^2 / (n + z^2) = 3.841459 / 8.841459 = 0.4345.
        (0, 5, 0.0, 0.4345),
        # 45 of 50: p = 0.9; 1 + z^2/n = 1.076829; centre (0.9 + 0.038415) / 1.076829
        # = 0.871463; half 1.820130 x sqrt(0.0018 + 0.000384146) = 0.085064:
        # 0.7864 to 0.9565.
        (45, 50, 0.7864, 0.9565),
    ],
)
def test_wilson_worked_examples(x, n, lower, upper):
    lo, hi = wilson_interval([x], [n])
    assert lo[0] == pytest.approx(lower, abs=5e-5)
    assert hi[0] == pytest.approx(upper, abs=5e-5)


def test_wilson_of_no_cases_is_missing():
    lo, hi = wilson_interval([0, np.nan], [0, 10])
    assert np.isnan(lo).all() and np.isnan(hi).all()


@pytest.mark.parametrize(
    ("k", "lower", "upper"),
    [
        # Garwood: chi2(0.025, 2k) / 2 and chi2(0.975, 2k + 2) / 2. For k = 0 the lower
        # limit is 0 and the upper -ln(0.025) = 3.6889 (chi-square with 2 degrees of
        # freedom is exponential). For k = 1: the lower solves 1 - e^-m = 0.025,
        # m = -ln(0.975) = 0.0253; the upper solves e^-m (1 + m) = 0.025, m = 5.5716.
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        # k = 5: half the chi-square table's quantiles chi2(0.025, 10 df) = 3.247 and
        # chi2(0.975, 12 df) = 23.337: 1.6235 to 11.668.
        (5, 1.6235, 11.6683),
    ],
)
def test_exact_poisson_interval(k, lower, upper):
    lo, hi = poisson_interval([k])
    assert lo[0] == pytest.approx(lower, abs=5e-4)
    assert hi[0] == pytest.approx(upper, abs=5e-4)


def test_an_interval_crossing_a_band_is_uncertain():
    # RAG codes of the two ends: Red 0, Amber 1, Green 2, -1 not rated.
    assert crosses_bands([0, 1, 2, -1], [0, 2, 2, 2]).tolist() == [False, True, False, None]


def test_exact_poisson_agrees_with_scipy_for_every_small_count():
    # The reference: chi-square quantiles through SciPy's inverse incomplete gamma
    # function (chi2.ppf(q, 2k) / 2 = gammaincinv(k, q)), for k = 0 .. 150.
    gammaincinv = pytest.importorskip(
        "scipy.special", reason="SciPy (a dev dependency)"
    ).gammaincinv

    k = np.arange(151)
    lo, hi = poisson_interval(k)
    assert lo[0] == 0
    assert lo[1:] == pytest.approx(gammaincinv(k[1:], 0.025), rel=1e-9)
    assert hi == pytest.approx(gammaincinv(k + 1, 0.975), rel=1e-9)
