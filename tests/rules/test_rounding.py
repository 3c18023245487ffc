"""Half-up rounding (cyps_analysis/rounding.py), against docs/method.md#rounding."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cyps_analysis import round_half_up


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        # Binary floating point stores 81.95 as 81.9499...; Excel shows 82.0.
        (81.95, 1, 82.0),
        (81.94, 1, 81.9),
        (89.95, 1, 90.0),
        (89.949, 1, 89.9),
        # 0.125 is exact in binary: half up gives 0.13 (banker's rounding would give 0.12).
        (0.125, 2, 0.13),
        (0.135, 2, 0.14),
        (1.005, 2, 1.01),  # stored as 1.00499999999999989...
        (2.5, 0, 3.0),  # not 2, as round() gives
        (3.5, 0, 4.0),
        (0.5, 0, 1.0),
        (0.49, 0, 0.0),
        (227.15, 1, 227.2),
        (100.0, 1, 100.0),
        (0.0, 2, 0.0),
        # Negative values round away from zero: -2.25 -> -2.3.
        (-2.25, 1, -2.3),
        (-2.5, 0, -3.0),
        (-0.125, 2, -0.13),
        (-2.24, 1, -2.2),
        (1234.5, 0, 1235.0),
        (12.3456, 4, 12.3456),
        (12.34565, 4, 12.3457),
    ],
)
def test_half_up(value, decimals, expected):
    assert float(round_half_up(value, decimals)) == expected


def test_missing_stays_missing():
    assert math.isnan(float(round_half_up(float("nan"), 1)))
    out = round_half_up([1.25, np.nan, None], 1)
    assert out[0] == 1.3
    assert np.isnan(out[1]) and np.isnan(out[2])


def test_arrays_with_a_number_of_decimals_per_value():
    # 1.25 at 0, 1 and 2 decimals: 1, 1.3, 1.25; 81.95 at 1: 82.0; 0.125 at 2: 0.13.
    out = round_half_up([1.25, 1.25, 1.25, 81.95, 0.125], [0, 1, 2, 1, 2])
    assert out.tolist() == [1.0, 1.3, 1.25, 82.0, 0.13]


def test_two_dimensional_arrays_with_decimals_per_row():
    # Rows of a (indicator x month) grid, each row at its indicator's decimals.
    grid = np.array([[2.5, 3.45], [2.5, 3.45]])
    out = round_half_up(grid, np.array([[0], [1]]))
    assert out.tolist() == [[3.0, 3.0], [2.5, 3.5]]


def test_input_is_not_changed():
    values = np.array([81.95, 2.5])
    round_half_up(values, 0)
    assert values.tolist() == [81.95, 2.5]
