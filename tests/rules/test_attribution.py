"""A change of a rate split into its numerator's and its denominator's parts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cyps_analysis.rules.attribution import split_change


def test_a_growing_population():
    # CIN 640 of 20,000 (320.0 per 10,000) -> 650 of 21,000 (309.52): change -10.48.
    # Numerator: (650 - 640) / 20,000 x 10,000 = +5.0.
    # Denominator: 650 x (1/21,000 - 1/20,000) x 10,000 = -15.48.
    got = split_change([650], [21000], [640], [20000], 10_000)
    assert got["change"][0] == pytest.approx(-10.476190, abs=1e-6)
    assert got["numerator_effect"][0] == pytest.approx(5.0)
    assert got["denominator_effect"][0] == pytest.approx(-15.476190, abs=1e-6)


def test_a_shrinking_population():
    # 300 of 10,000 (300.0) -> 300 of 9,000 (333.33): all from the denominator.
    # Numerator: 0. Denominator: 300 x (1/9,000 - 1/10,000) x 10,000 = +33.33.
    got = split_change([300], [9000], [300], [10000], 10_000)
    assert got["numerator_effect"][0] == 0.0
    assert got["denominator_effect"][0] == pytest.approx(33.333333, abs=1e-6)
    assert got["change"][0] == pytest.approx(33.333333, abs=1e-6)


def test_a_percentage_from_pooled_counts():
    # 80 of 100 (80%) -> 90 of 120 (75%): change -5. Numerator (90-80)/100 x 100 = +10;
    # denominator 90 x (1/120 - 1/100) x 100 = -15.
    got = split_change([90], [120], [80], [100], 100)
    assert [round(float(got[k][0]), 6) for k in got] == [-5.0, 10.0, -15.0]


def test_missing_or_zero_denominators_give_nothing():
    got = split_change([1, np.nan], [0, 5], [1, 1], [2, 5], 100)
    assert np.isnan(got["change"]).all()


@given(
    n0=st.integers(0, 10_000), n1=st.integers(0, 10_000),
    d0=st.integers(1, 100_000), d1=st.integers(1, 100_000),
    scale=st.sampled_from([100.0, 10_000.0]),
)  # fmt: skip
def test_the_effects_add_up_to_the_change(n0, n1, d0, d1, scale):
    got = split_change([n1], [d1], [n0], [d0], scale)
    total = got["numerator_effect"][0] + got["denominator_effect"][0]
    assert total == pytest.approx(got["change"][0], rel=1e-9, abs=1e-9)
