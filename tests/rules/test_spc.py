"""SPC rules (Making Data Count, as NHSRplotthedots implements them) on hand-worked
series, each rule at its exact threshold, triggered and not.

For each series the comments give the mean, the AMR (after screening) and the limits
worked out by hand: mean = sum / n, AMR = sum of |x_i - x_(i-1)| / (n - 1), limits mean
+/- 2.66 AMR, outer third beyond mean +/- 1.7733 AMR (2/3 x 2.66).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cyps_analysis.rules.spc import (
    ASSURANCES,
    RULES,
    VARIATIONS,
    assurance_codes,
    point_rules,
    variation_codes,
    xmr,
)


def chart(values, series="a") -> pd.DataFrame:
    return xmr(pd.DataFrame({"series": series, "value": values}))


def flagged(out: pd.DataFrame, rule: str) -> list[int]:
    return np.flatnonzero(out[rule].to_numpy()).tolist()


def test_fewer_than_twelve_points_give_no_limits_and_no_flags():
    out = chart([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])  # 11 points, a clear rise
    assert out["mean"].isna().all() and out["upper"].isna().all()
    assert not out["special_cause"].any()
    assert (out["points_used"] == 11).all()


def test_shift_six_points_on_one_side_is_not_a_shift():
    # 9 11 9 11 9 11 9, then 11 x 6, then 9: sum 144, n 14, mean 10.2857 (11 above,
    # 9 below). Moving ranges: 7 of 2, 5 of 0, 1 of 2: AMR 16/13 = 1.2308; limits
    # 7.01 to 13.56; outer third beyond 8.10 and 12.47: no point there.
    # The run above the mean is points 7-12: six points.
    out = chart([9, 11, 9, 11, 9, 11, 9] + [11] * 6 + [9])
    assert out["mean"].iloc[0] == pytest.approx(144 / 14)
    assert out["upper"].iloc[0] == pytest.approx(144 / 14 + 2.66 * 16 / 13)
    assert not out["special_cause"].any()


def test_shift_seven_points_on_one_side_flags_all_seven():
    # As above with 11 x 7: sum 155, n 15, mean 10.3333; AMR 16/14 = 1.1429; limits
    # 7.29 to 13.37; outer third beyond 8.31 and 12.36: none. Points 7-13 above: seven.
    out = chart([9, 11, 9, 11, 9, 11, 9] + [11] * 7 + [9])
    assert flagged(out, "shift") == list(range(7, 14))
    assert flagged(out, "special_cause") == list(range(7, 14))
    assert point_rules(out)[7] == ["shift"]


def test_point_exactly_on_the_mean_breaks_a_shift():
    # 9 11 9 11, 12 12 12 10 12 12 12, 8 x 6, 10 10: sum 40 + 82 + 48 + 20 = 190 over 19
    # points, mean 10 exactly. Above the mean: the 11 at point 3 and the 12s at 4-6 (four
    # points), then the 10 at point 7 on the mean, then 12s at 8-10 (three). Without the
    # break that would be eight in a row. Below: the 8s at 11-16, six. No shift.
    values = [9, 11, 9, 11] + [12, 12, 12, 10, 12, 12, 12] + [8] * 6 + [10, 10]
    out = chart(values)
    assert out["mean"].iloc[0] == 10
    assert out["side"].iloc[7] == 0
    assert not out["shift"].any()
    # The same with 12 in place of the 10: the mean is 192 / 19 = 10.1, so points 3-10
    # are eight above it in a row, and points 11-18 (the 8s and the two 10s) eight below:
    # two shifts.
    out = chart([*values[:7], 12, *values[8:]])
    assert flagged(out, "shift") == list(range(3, 19))


def test_trend_six_rising_points_is_not_a_trend():
    # 10 12 x 4, then 8 9 10 11 12 13, then 10 12: sum 173, n 16, mean 10.8125.
    # Moving ranges: 7 of 2, 4 (12 to 8), 5 of 1, 3, 2: 28 / 15 = 1.8667; limits 5.85 to
    # 15.78; outer third beyond 7.50 and 14.12: none (8 and 13 are inside).
    out = chart([10, 12] * 4 + [8, 9, 10, 11, 12, 13] + [10, 12])
    assert out["mean"].iloc[0] == pytest.approx(173 / 16)
    assert not out["special_cause"].any()


def test_trend_seven_rising_points_flags_all_seven():
    # 10 12 x 4, then 8 .. 14, then 10 12: sum 187, n 17, mean 11; AMR 30 / 16 = 1.875;
    # limits 6.01 to 15.99; outer third beyond 7.675 and 14.325: none. Above the mean:
    # 12 13 14 (three). Points 8-14 rise six times: a trend.
    out = chart([10, 12] * 4 + [8, 9, 10, 11, 12, 13, 14] + [10, 12])
    assert out["mean"].iloc[0] == 11
    assert flagged(out, "trend") == list(range(8, 15))
    assert flagged(out, "special_cause") == list(range(8, 15))
    assert set(out.loc[8:14, "trend_direction"]) == {1}


def test_equal_pair_breaks_a_trend():
    # 8 9 10 10 11 12 13 14: eight points but 10 10 is no rise: runs of three and five.
    # Sum 197, n 18, mean 10.94; AMR 30 / 17 = 1.7647; limits 6.25 to 15.64; outer third
    # beyond 7.82 and 14.07: none (14 is inside). Above the mean: 11 12 13 14 (four).
    out = chart([10, 12] * 4 + [8, 9, 10, 10, 11, 12, 13, 14] + [10, 12])
    assert not out["special_cause"].any()


def test_two_of_three_with_the_third_on_the_other_side_is_not_flagged():
    # 9 11 x 6, then 9 16 16 9 11: sum 181, n 17, mean 10.65; moving ranges 12 of 2,
    # 7, 0, 7, 2: 40 / 16 = 2.5; limits 4.00 to 17.30; outer third beyond 15.08: both
    # 16s are in it, not outside. Every window of three holding both also holds a 9,
    # below the mean.
    out = chart([9, 11] * 6 + [9, 16, 16, 9, 11])
    assert out["upper"].iloc[0] == pytest.approx(181 / 17 + 2.66 * 2.5)
    assert not out["special_cause"].any()


def test_two_of_three_all_on_one_side_flags_the_two():
    # 9 11 x 6, then 9 16 11 16 9: sum 181, mean 10.65; moving ranges 12 of 2, 7, 5, 5,
    # 7: 48 / 16 = 3; limits 2.67 to 18.63; outer third beyond 15.97: both 16s. The
    # window 16 11 16 is all above the mean (11 > 10.65): the two 16s are flagged, the 11
    # (not in the outer third) is not.
    out = chart([9, 11] * 6 + [9, 16, 11, 16, 9])
    assert flagged(out, "two_in_three") == [13, 15]
    assert flagged(out, "special_cause") == [13, 15]


def test_point_exactly_on_a_limit_is_not_outside():
    # Sum 12,000 over 12: mean 1000. Moving ranges 118 100 66 100 100 132 100 100 66 100
    # 118: 1100 / 11 = AMR 100 (none screened: all < 326.7). Limits 1000 +/- 266: 734
    # and 1266, both points of the series. Neither is outside: each is in the outer
    # third instead (beyond 1177.3 and 822.7), 1266 with 1200 in the window 1100 1200
    # 1266, and 734 with 800 in the window 834 734 800: two of three, twice.
    values = [982, 1100, 1200, 1266, 1166, 1066, 934, 834, 734, 800, 900, 1018]
    out = chart(values)
    assert out["lower"].iloc[0] == 734 and out["upper"].iloc[0] == 1266
    assert not out["outside_limits"].any()
    assert flagged(out, "two_in_three") == [2, 3, 8, 9]


def test_screening_leaves_out_a_large_moving_range():
    # 9 11 x 6, then 20: moving ranges 11 of 2 and one of 9; AMR 31 / 12 = 2.583;
    # 3.267 x 2.583 = 8.44, and 9 >= 8.44: screened out, AMR again 22 / 11 = 2.
    # Mean 140 / 13 = 10.77; limits 5.45 to 16.09: 20 is outside.
    out = chart([9, 11] * 6 + [20])
    assert out["upper"].iloc[0] - out["mean"].iloc[0] == pytest.approx(2.66 * 2)
    assert flagged(out, "outside_limits") == [12]


def test_a_smaller_moving_range_is_kept():
    # 9 11 x 6, then 17: moving ranges 11 of 2 and one of 6; AMR 28 / 12 = 2.333;
    # 6 < 3.267 x 2.333 = 7.62: kept. Limits 10.54 +/- 6.21: 4.33 to 16.75.
    out = chart([9, 11] * 6 + [17])
    assert out["upper"].iloc[0] - out["mean"].iloc[0] == pytest.approx(2.66 * 28 / 12)
    assert flagged(out, "outside_limits") == [12]


def test_series_are_charted_apart():
    a = chart([9, 11] * 6 + [20], series="a")
    both = xmr(
        pd.DataFrame(
            {"series": ["b"] * 5 + ["a"] * 13, "value": [1, 2, 3, 4, 5] + [9, 11] * 6 + [20]}
        )
    )
    assert both.loc[5:, "upper"].to_numpy() == pytest.approx(a["upper"].to_numpy())
    assert both.loc[:4, "mean"].isna().all()


def variations(points, polarity):
    return [VARIATIONS[c] if c >= 0 else None for c in variation_codes(points, polarity)]


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("high", "special_cause_improvement"),
        ("low", "special_cause_concern"),
        ("none", "special_cause_high"),
    ],
)
def test_latest_point_above_the_mean_in_a_shift(polarity, expected):
    out = chart([9, 11, 9, 11, 9, 11, 9] + [11] * 7)
    assert variations(out.tail(1), [polarity]) == [expected]


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [("high", "special_cause_concern"), ("low", "special_cause_improvement")],
)
def test_a_falling_trend_is_classified_by_its_direction(polarity, expected):
    # 12 10 x 4, then 16 15 14 13 12 11 10: the last point (10) is below the mean
    # (176 / 15 = 11.73) but flagged only by the falling trend: it is high or low by the
    # trend's direction (down), not its side.
    out = chart([12, 10] * 4 + [16, 15, 14, 13, 12, 11, 10])
    last = out.tail(1)
    assert point_rules(last) == [["trend"]]
    assert variations(last, [polarity]) == [expected]


def test_common_cause_and_too_few_points():
    assert variations(chart([9, 11] * 6).tail(1), ["high"]) == ["common_cause"]
    assert variations(chart([9, 11] * 3).tail(1), ["high"]) == [None]


@pytest.mark.parametrize(
    ("target", "polarity", "expected"),
    [
        # Limits 80 to 90.
        (95, "high", "consistent_fail"),  # the target is above what the process gives
        (75, "high", "consistent_pass"),
        (85, "high", "hit_and_miss"),
        (90, "high", "hit_and_miss"),  # on the upper limit: not above it
        (95, "low", "consistent_pass"),  # lower is better: a target above the process
        (75, "low", "consistent_fail"),
        (85, "low", "hit_and_miss"),
        (80, "low", "hit_and_miss"),  # on the lower limit
    ],
)
def test_assurance(target, polarity, expected):
    (code,) = assurance_codes([target], [80.0], [90.0], [polarity])
    assert ASSURANCES[code] == expected


def test_no_assurance_without_target_polarity_or_limits():
    codes = assurance_codes(
        [np.nan, 85, 85], [80, 80, np.nan], [90, 90, np.nan], ["high", "none", "high"]
    )
    assert codes.tolist() == [-1, -1, -1]


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(-500, 500), min_size=12, max_size=40),
    shift=st.integers(-10_000, 10_000),
)
def test_shifting_every_value_shifts_mean_and_limits_and_keeps_the_flags(values, shift):
    before = chart(values)
    after = chart([v + shift for v in values])
    m, lo, hi = before[["mean", "lower", "upper"]].iloc[0]
    # Away from knife edges (a point within a rounding error of a limit, the outer
    # third's boundary or the mean), where floating point may fall either way.
    amr = (hi - m) / 2.66
    edges = [m, lo, hi, m + 2 * amr * 2.66 / 3, m - 2 * amr * 2.66 / 3]
    assume(all(abs(v - e) > 1e-6 for v in values for e in edges))
    for column in ("mean", "lower", "upper"):
        assert after[column].iloc[0] == pytest.approx(before[column].iloc[0] + shift)
    for rule in (*RULES, "special_cause"):
        assert after[rule].tolist() == before[rule].tolist()
