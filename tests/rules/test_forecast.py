"""Year-end forecasts and what the months left need, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cyps_analysis.rules.forecast import (
    green_threshold,
    needed_to_reach,
    project_outturn,
    still_possible,
)


def test_projection_by_aggregation():
    # sum: 2,400 contacts in 8 months -> 2,400 x 12 / 8 = 3,600 for the year.
    # ratio: the pooled year to date stands (86.5). mean: the mean so far (12.25).
    # snapshot and rolling12: the latest value (221.2, 17.0). annual: no pace (NaN).
    got = project_outturn(
        ["sum", "ratio", "mean", "snapshot", "rolling12", "annual"],
        [2400, 86.5, 12.25, 220.0, 16.0, 5.0],
        [310, 90.0, 13.0, 221.2, 17.0, 5.0],
        [8] * 6,
    )
    assert got[:5].tolist() == [3600.0, 86.5, 12.25, 221.2, 17.0]
    assert np.isnan(got[5])


def test_needed_for_a_sum():
    # 2,400 contacts in 8 months, target 3,372 a year: the 4 months left need
    # (3,372 - 2,400) / 4 = 243 a month.
    got = needed_to_reach(
        ["sum"], ["count"], [3372], ytd=[2400], months_left=[4], months_recorded=[8],
        numerator=[np.nan], denominator=[np.nan],
    )  # fmt: skip
    assert got.tolist() == [243.0]


def test_needed_for_a_ratio():
    # 7 months: 560 of 700 in time (80.0%), 100 cases a month. For 90% over the year the
    # 5 months left (500 cases) must give 0.9 x 1,200 - 560 = 520 of 500: 104%, beyond
    # what a percentage can be: impossible.
    got = needed_to_reach(
        ["ratio"], ["percent"], [90.0], ytd=[80.0], months_left=[5], months_recorded=[7],
        numerator=[560], denominator=[700],
    )  # fmt: skip
    assert got[0] == pytest.approx(104.0)
    assert still_possible(got, ["high"], ["percent"]).tolist() == [False]


def test_needed_for_a_rate_per_10k_ratio():
    # 9 months: 45 of 30,000 (15.0 per 10,000), 3,333.3 a month. For a year at 14.0 the
    # 3 months left (10,000) need 14.0 / 10,000 x 40,000 - 45 = 11 of 10,000: 11.0.
    got = needed_to_reach(
        ["ratio"], ["rate_per_10k"], [14.0], ytd=[15.0], months_left=[3], months_recorded=[9],
        numerator=[45], denominator=[30000],
    )  # fmt: skip
    assert got[0] == pytest.approx(11.0)


def test_needed_for_a_mean():
    # 6 months averaging 20 days (120 in all); a year averaging 18 needs
    # (18 x 12 - 120) / 6 = 16 a month.
    got = needed_to_reach(
        ["mean"], ["days"], [18], ytd=[20], months_left=[6], months_recorded=[6],
        numerator=[np.nan], denominator=[np.nan],
    )  # fmt: skip
    assert got.tolist() == [16.0]


def test_needed_for_snapshots_is_the_threshold():
    got = needed_to_reach(
        ["snapshot", "rolling12"], ["rate_per_10k", "percent"], [227.1, 10.0],
        ytd=[230.0, 12.0], months_left=[2, 2], months_recorded=[10, 10],
        numerator=[np.nan, np.nan], denominator=[np.nan, np.nan],
    )  # fmt: skip
    assert got.tolist() == [227.1, 10.0]


def test_a_target_already_secured_is_possible():
    # 3,500 contacts in 9 months against 3,372 a year: the 3 months left need
    # (3,372 - 3,500) / 3 = -42.7: already reached, so possible.
    got = needed_to_reach(
        ["sum"], ["count"], [3372], ytd=[3500], months_left=[3], months_recorded=[9],
        numerator=[np.nan], denominator=[np.nan],
    )  # fmt: skip
    assert got[0] == pytest.approx(-128 / 3)
    assert still_possible(got, ["high"], ["count"]).tolist() == [True]


def test_lower_is_better_below_zero_is_impossible():
    # Re-referrals, lower is better: 9 months of 30 days mean; a year mean of 5 days
    # needs (5 x 12 - 270) / 3 = -70 days a month: impossible.
    got = needed_to_reach(
        ["mean"], ["days"], [5], ytd=[30], months_left=[3], months_recorded=[9],
        numerator=[np.nan], denominator=[np.nan],
    )  # fmt: skip
    assert got.tolist() == [-70.0]
    assert still_possible(got, ["low"], ["days"]).tolist() == [False]


def test_no_months_left_gives_nothing():
    got = needed_to_reach(
        ["sum"], ["count"], [100], ytd=[90], months_left=[0], months_recorded=[12],
        numerator=[np.nan], denominator=[np.nan],
    )  # fmt: skip
    assert np.isnan(got[0])
    assert still_possible(got, ["high"], ["count"]).tolist() == [None]


def test_green_threshold_by_polarity():
    # 90%+ (high): 90; <227.1 (low): 227.1; polarity none or no band: none.
    got = green_threshold(["high", "low", "none", "high"], [90, -np.inf, 1, np.nan],
                          [np.inf, 227.1, 2, np.nan])  # fmt: skip
    assert got[:2].tolist() == [90.0, 227.1]
    assert np.isnan(got[2:]).all()


@given(ytd=st.floats(0, 1e6, allow_nan=False))
def test_with_one_month_left_a_sum_projects_the_year_to_date_times_12_over_11(ytd):
    got = project_outturn(["sum"], [ytd], [0.0], [11])[0]
    assert got == pytest.approx(ytd * 12 / 11)
