"""Direction of travel (cyps_analysis/direction.py), against
docs/method.md#direction-of-travel."""

from __future__ import annotations

import numpy as np
import pytest

from cyps_analysis import change_given_polarity, direction_of_travel
from cyps_analysis.rules.direction import ARROWS


@pytest.mark.parametrize(
    ("current", "previous", "decimals", "expected"),
    [
        (221.2, 220.0, 1, "up"),
        (220.0, 221.2, 1, "down"),
        (90.0, 90.0, 1, "same"),
        # Equal at displayed precision: 89.96 shows as 90.0.
        (89.96, 90.0, 1, "same"),
        (90.04, 89.95, 1, "same"),  # 90.0 and 90.0
        (90.05, 90.0, 1, "up"),  # 90.1 against 90.0
        (81.95, 81.9, 1, "up"),  # 82.0 against 81.9
        (0.125, 0.12, 2, "up"),  # 0.13 against 0.12
        (102.4, 101.6, 0, "same"),  # 102 and 102
        (102.5, 101.6, 0, "up"),  # 103 against 102
        (-2.25, -2.2, 1, "down"),  # -2.3 against -2.2
    ],
)
def test_raw_direction_at_displayed_precision(current, previous, decimals, expected):
    assert direction_of_travel([current], [previous], decimals).tolist() == [expected]


@pytest.mark.parametrize(
    ("current", "previous"), [(None, 90.0), (90.0, None), (np.nan, 90.0), (None, None)]
)
def test_missing_either_value_gives_no_direction(current, previous):
    assert direction_of_travel([current], [previous], 1).tolist() == [None]


def test_directions_with_decimals_per_value():
    # 1.04 and 1.0: the same at one decimal, up at two (1.04 against 1.00).
    out = direction_of_travel([1.04, 1.04], [1.0, 1.0], np.array([1, 2]))
    assert out.tolist() == ["same", "up"]


@pytest.mark.parametrize(
    ("direction", "polarity", "expected"),
    [
        ("up", "high", "improving"),
        ("down", "high", "declining"),
        ("same", "high", "no change"),
        # A low-is-good rate going 220.0 -> 221.2 is up and declining.
        ("up", "low", "declining"),
        ("down", "low", "improving"),
        ("same", "low", "no change"),
        ("up", "none", "not applicable"),
        ("down", "none", "not applicable"),
        ("same", "none", "no change"),
        (None, "high", None),
        (None, "none", None),
    ],
)
def test_change_given_polarity(direction, polarity, expected):
    assert change_given_polarity([direction], [polarity]).tolist() == [expected]


@pytest.mark.parametrize(
    ("direction", "expected"),
    [("up", "not applicable"), ("down", "not applicable"), ("same", "no change"), (None, None)],
)
@pytest.mark.parametrize("polarity", ["high", "low", "none"])
def test_activity_indicators_are_neutral_whatever_their_polarity(direction, polarity, expected):
    assert change_given_polarity([direction], [polarity], ["activity"]).tolist() == [expected]


def test_benchmarking_kind_keeps_its_polarity():
    out = change_given_polarity(["up", "up"], ["high", "low"], ["benchmarking", "benchmarking"])
    assert out.tolist() == ["improving", "declining"]


def test_direction_then_change_end_to_end():
    # The scorecard's example: low polarity 220.0 -> 221.2.
    direction = direction_of_travel([221.2, 89.96], [220.0, 90.0], 1)
    assert change_given_polarity(direction, ["low", "high"]).tolist() == ["declining", "no change"]


def test_arrows():
    assert ARROWS == {"up": "↑", "down": "↓", "same": "→"}
