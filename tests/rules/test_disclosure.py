"""The small-numbers rule of a published pack (cyps_analysis.rules.disclosure)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cyps_analysis.rules.disclosure import is_count, small, suppressed


def test_counts_from_one_to_below_the_threshold_are_small():
    # With 5: 1, 2, 3 and 4 are hidden; 0 is shown (a zero is a zero, as the DfE shows
    # it); 5 and more are shown; a missing count is not a count.
    assert small([0, 1, 2, 3, 4, 5, 6, math.nan], 5).tolist() == [
        False, True, True, True, True, False, False, False,
    ]  # fmt: skip
    assert small([1, 9, 10], 10).tolist() == [True, True, False]
    assert small([1], 1).tolist() == [False]  # min_count 1: nothing is hidden


def test_which_units_are_counts():
    # An average (mean rule: a caseload of 3.5) counts no one; a rolling twelve months'
    # count of first-time entrants does.
    assert is_count(
        ["count", "count", "count", "percent", "days"],
        ["sum", "mean", "rolling12", "ratio", "mean"],
    ).tolist() == [True, False, True, False, False]


def test_percentages_hide_on_numerator_or_denominator():
    # 2 of 3 (66.7%): both small. 4 of 200 (2.0%): numerator small. 40 of 40 (100%):
    # neither. 0 of 40 (0%): zero is shown. 3 of 41,210 pupils (a rate of 0.73 per
    # 10,000): numerator small. A percentage recorded without its counts: shown.
    hidden = suppressed(
        [66.7, 2.0, 100.0, 0.0, 0.73, 45.0],
        [2, 4, 40, 0, 3, math.nan],
        [3, 200, 40, 40, 41210, math.nan],
        unit=["percent"] * 4 + ["rate_per_10k", "percent"],
        aggregation=["ratio"] * 5 + ["mean"],
        min_count=5,
    )
    assert hidden.tolist() == [True, True, False, False, True, False]


def test_counts_hide_on_their_value_alone():
    # 3 contacts in a month: hidden; 954 in the quarter: shown, whatever the counts
    # columns say (a count has none).
    hidden = suppressed(
        [3, 954, 0],
        [math.nan, 1, math.nan],
        [math.nan, 2, math.nan],
        unit=["count"] * 3,
        aggregation=["sum"] * 3,
        min_count=5,
    )
    assert hidden.tolist() == [True, False, False]


counts = st.one_of(st.integers(0, 60).map(float), st.just(math.nan))


@given(
    value=counts,
    numerator=counts,
    denominator=counts,
    unit=st.sampled_from(["count", "percent", "rate_per_10k", "days"]),
    aggregation=st.sampled_from(["sum", "ratio", "mean", "snapshot", "rolling12"]),
    min_count=st.integers(1, 20),
)
def test_the_rule_as_written(value, numerator, denominator, unit, aggregation, min_count):
    def few(x):
        return not math.isnan(x) and 0 < x < min_count

    counted = unit == "count" and aggregation != "mean"
    expected = few(value) if counted else few(numerator) or few(denominator)
    got = suppressed(
        [value], [numerator], [denominator], unit=[unit], aggregation=[aggregation],
        min_count=min_count,
    )  # fmt: skip
    assert bool(got[0]) is expected


@given(st.lists(st.integers(0, 100), min_size=1, max_size=20), st.integers(1, 30))
def test_a_higher_threshold_never_shows_more(values, min_count):
    low = small(np.array(values, dtype=float), min_count)
    high = small(np.array(values, dtype=float), min_count + 1)
    assert not (low & ~high).any()
