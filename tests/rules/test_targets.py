"""Proposed targets, worked by hand for each rule and fallback, both polarities."""

from __future__ import annotations

import math

from cyps_analysis.rules.targets import Evidence, propose


def bands(p):
    return (p.red, p.amber, p.green)


def test_high_is_good_from_benchmarks():
    # Last year 86.9%, neighbours 87.8%, England 89.6%: Green at the more challenging of
    # neighbours and outturn (87.8), Red below the less challenging of England and
    # outturn (86.9).
    p = propose(Evidence("high", "percent", 1, 86.9, "2024/25", 87.8, 89.6))
    assert bands(p) == ("<86.9%", "86.9%+", "87.8%+")
    assert p.rule == "benchmarks"
    assert "the statistical neighbour average" in p.reasoning
    assert "2024/25's outturn of 86.9%, less challenging than England's 89.6%" in p.reasoning


def test_low_is_good_from_benchmarks():
    # Lower is better: Green at min(neighbours 21.5, outturn 23.0) = 21.5; Red above
    # max(England 22.4, outturn 23.0) = 23.0.
    p = propose(Evidence("low", "percent", 1, 23.0, "2024/25", 21.5, 22.4))
    assert bands(p) == (">23.0%", "<=23.0%", "<=21.5%")


def test_one_value_both_ways_takes_this_years_width():
    # Outturn 90 beats the neighbours (85) and trails England (95): Green and Red both
    # at 90. This year's bands were 82 to 90 (width 8): Red below 82.
    p = propose(Evidence("high", "percent", 1, 90.0, "2024/25", 85.0, 95.0, width=8.0))
    assert bands(p) == ("<82.0%", "82.0%+", "90.0%+")
    assert "this year's width of 8.0%" in p.reasoning
    # Without a width this year: no Amber band.
    p = propose(Evidence("high", "percent", 1, 90.0, "2024/25", 85.0, 95.0))
    assert bands(p) == ("<90.0%", "-", "90.0%+")
    assert p.reasoning.endswith("No Amber band.")


def test_top_quartile_rule():
    # Green at max(top quartile 92.0, outturn 86.9); Red as the default rule.
    evidence = Evidence("high", "percent", 1, 86.9, "2024/25", 87.8, 89.6, top_quartile=92.0)
    p = propose(evidence, rule="top_quartile")
    assert bands(p) == ("<86.9%", "86.9%+", "92.0%+")
    assert "the top quartile" in p.reasoning


def test_hold_keeps_this_years_bands():
    evidence = Evidence("high", "percent", 1, 86.9, "2024/25", bands=("<82%", "82%+", "90%+"))
    p = propose(evidence, rule="hold")
    assert bands(p) == ("<82%", "82%+", "90%+")
    assert p.rule == "hold"


def test_trajectory_without_benchmarks_high():
    # 80, 82, 84 then 86: +2 a year over the last three years, an improvement: Green at
    # 88, Red below the outturn 86.
    p = propose(Evidence("high", "percent", 1, 86.0, "2024/25", history=(80.0, 82.0, 84.0)))
    assert bands(p) == ("<86.0%", "86.0%+", "88.0%+")
    assert p.rule == "trajectory"


def test_trajectory_without_benchmarks_low():
    # Days, lower is better: 30, 28, 29 then 27: changes -2, +1, -2, average -1 a year,
    # an improvement: Green at 26 or less, Red above 27.
    p = propose(Evidence("low", "days", 0, 27.0, "2024/25", history=(30.0, 28.0, 29.0)))
    assert bands(p) == (">27", "<=27", "<=26")


def test_trajectory_that_is_not_improving_holds_the_outturn():
    # 80, 79, 78 then 77 (higher is better): falling, so Green holds at 77.
    p = propose(Evidence("high", "percent", 1, 77.0, "2024/25", history=(80.0, 79.0, 78.0)))
    assert bands(p) == ("<77.0%", "-", "77.0%+")
    assert "did not improve" in p.reasoning


def test_no_benchmarks_and_no_history_gives_no_proposal():
    p = propose(Evidence("high", "percent", 1, 77.0, "2024/25"))
    assert bands(p) == (None, None, None)
    assert "no proposal" in p.reasoning


def test_no_outturn_gives_no_proposal():
    p = propose(Evidence("high", "percent", 1, math.nan, "2024/25", 80.0, 85.0))
    assert bands(p) == (None, None, None)
    assert p.reasoning == "No outturn for 2024/25: no proposal."
