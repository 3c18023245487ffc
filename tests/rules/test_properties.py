"""Rules that must always hold, tested on many generated cases (hypothesis)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cyps_analysis import Bands, change_given_polarity, direction_of_travel, rate_rag
from cyps_analysis.rules.aggregation import aggregate_window, build_grid
from cyps_analysis.rules.bands import check_bands, parse_bands
from cyps_analysis.rules.periods import month_index
from cyps_analysis.rules.rounding import round_half_up

RANK = {"Red": 0, "Amber": 1, "Green": 2}

# --- RAG: a better value never gets a worse rating -------------------------------------


@st.composite
def valid_bands(draw):
    """A band set for a percentage that passes the load-time checks: (bands, polarity,
    decimals). Built from two thresholds A <= B in the notations analysts write."""
    decimals = draw(st.integers(0, 2))
    # Thresholds are sometimes written one decimal finer than the value is shown.
    written = decimals + draw(st.integers(0, 1))
    step = 10.0**-written
    top = round(100 / step)
    a_ticks = draw(st.integers(1, top - 1))
    b_ticks = draw(st.integers(a_ticks, top))
    a, b = (f"{t * step:.{written}f}" for t in (a_ticks, b_ticks))
    below_b = f"{(b_ticks - 1) * step:.{written}f}"
    lower = draw(st.sampled_from([f"<{a}", f"<={a}", f"0-{a}", f"< {a} %"]))
    upper = draw(st.sampled_from([f"{b}+", f">={b}", f">{b}", f"{b}-100", f"≥{b}%"]))
    middle = draw(st.sampled_from(["-", f"{a}+", f">={a}", f">{a}", f"{a}-{b}", f"{a}-{below_b}"]))
    polarity = draw(st.sampled_from(["high", "low"]))
    red, green = (lower, upper) if polarity == "high" else (upper, lower)
    bands = Bands(red=red, amber=middle, green=green)
    checked = check_bands(
        *(parse_bands(pd.Series([getattr(bands, n)])) for n in ("red", "amber", "green")),
        polarity=pd.Series([polarity]),
        unit=pd.Series(["percent"]),
        decimals=pd.Series([decimals]),
    ).iloc[0]
    assume(not (checked["no_green"] or checked["wrong_way"] or checked["gap"]))
    return bands, polarity, decimals


percent = st.floats(0, 100, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(valid_bands(), percent, percent)
def test_a_better_value_never_gets_a_worse_rag(case, x, y):
    bands, polarity, decimals = case
    worse, better = sorted((x, y)) if polarity == "high" else sorted((x, y), reverse=True)
    rag_worse = rate_rag(worse, bands, decimals=decimals)
    rag_better = rate_rag(better, bands, decimals=decimals)
    # Bands that pass the checks leave no value in the unit's range without a band.
    assert rag_worse is not None and rag_better is not None, (bands, worse, better)
    assert RANK[rag_better] >= RANK[rag_worse], (bands, worse, rag_worse, better, rag_better)


# --- aggregation: pooled ratios lie between the months' own ratios ---------------------

END = month_index(2025, 3)
cases = st.tuples(st.integers(0, 60), st.integers(0, 60)).map(lambda nd: (min(nd), max(nd)))


def grid_for(num_den: list[tuple[int, int]], aggregation: str):
    """One percentage indicator with the given (numerator, denominator) in the months
    ending at Mar-25."""
    n = len(num_den)
    records = pd.DataFrame(
        {
            "value": np.full(n, np.nan),
            "numerator": [float(x) for x, _ in num_den],
            "denominator": [float(d) for _, d in num_den],
        }
    )
    months = np.arange(END - n + 1, END + 1)
    ind = pd.DataFrame({"unit": ["percent"], "aggregation": [aggregation]})
    return build_grid(np.zeros(n, dtype=int), months, records, ind, end=END)


def own_ratios(num_den):
    return [100 * x / d for x, d in num_den if d > 0]


@settings(max_examples=300, deadline=None)
@given(st.lists(cases, min_size=1, max_size=24), st.integers(1, 24))
def test_pooled_ratio_lies_between_the_monthly_minimum_and_maximum(num_den, length):
    length = min(length, len(num_den))
    grid = grid_for(num_den, "ratio")
    window = aggregate_window(
        grid, np.array(["ratio"]), np.array(["percent"]), END - length + 1, END
    )
    pooled = window.value[0]
    inside = own_ratios(num_den[-length:])
    if not inside:  # every month 0 of 0: no value
        assert math.isnan(pooled)
        return
    assert min(inside) - 1e-9 <= pooled <= max(inside) + 1e-9
    # ... and is the pooled counts, not the mean of the months' percentages.
    nums, dens = zip(*num_den[-length:], strict=True)
    assert math.isclose(pooled, 100 * sum(nums) / sum(dens))


@settings(max_examples=200, deadline=None)
@given(st.lists(cases, min_size=12, max_size=12))
def test_rolling12_percent_lies_between_its_months(num_den):
    grid = grid_for(num_den, "rolling12")
    value = aggregate_window(grid, np.array(["rolling12"]), np.array(["percent"]), END, END).value[
        0
    ]
    inside = own_ratios(num_den)
    if not inside:
        assert math.isnan(value)
        return
    assert min(inside) - 1e-9 <= value <= max(inside) + 1e-9


# --- direction: polarity swaps improving and declining ---------------------------------

directions = st.lists(st.sampled_from(["up", "down", "same", None]), min_size=1, max_size=20)


@given(directions)
def test_swapping_polarity_swaps_improving_and_declining(d):
    swap = {"improving": "declining", "declining": "improving"}
    high = change_given_polarity(d, ["high"] * len(d)).tolist()
    low = change_given_polarity(d, ["low"] * len(d)).tolist()
    assert low == [swap.get(c, c) for c in high]
    none = change_given_polarity(d, ["none"] * len(d)).tolist()
    assert not {"improving", "declining"} & set(none)


values = st.floats(-1e6, 1e6, allow_nan=False)


@given(values, values, st.integers(0, 4))
def test_direction_reverses_when_the_values_swap(x, y, decimals):
    forward = direction_of_travel([x], [y], decimals)[0]
    back = direction_of_travel([y], [x], decimals)[0]
    assert {"up": "down", "down": "up", "same": "same"}[forward] == back


# --- rounding --------------------------------------------------------------------------


@given(values, st.integers(0, 4))
def test_round_half_up_is_idempotent_and_within_half_a_unit(x, decimals):
    once = float(round_half_up(x, decimals))
    assert float(round_half_up(once, decimals)) == once
    unit = 10.0**-decimals
    # Half a unit, plus the nine-decimal pre-rounding and floating point slack.
    assert abs(once - x) <= unit * (0.5 + 1e-8) + 1e-9 * abs(x)


@given(st.integers(-(10**8), 10**8), st.integers(0, 3))
def test_round_half_up_matches_decimal_arithmetic_on_written_values(n, decimals):
    # A value as written in a file, with one more decimal than shown (e.g. 81.95 at 1dp).
    written = Decimal(n).scaleb(-(decimals + 1))
    expected = written.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert float(round_half_up(float(written), decimals)) == float(expected)
