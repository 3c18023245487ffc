"""The rules: numpy's linear percentile, rank with ties, bands on boundaries."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cyps_analysis.benchmarking.quartiles import (
    BANDS,
    band_codes,
    band_index,
    percentile_linear,
    rank_min,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)), min_size=1, max_size=12
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([20, 25, 40, 50, 60, 75, 80]),
)
def test_percentile_is_numpys_default_linear_percentile(rows, q):
    width = max(len(r) for r in rows)
    matrix = np.array(
        [[np.nan if v is None else v for v in r] + [np.nan] * (width - len(r)) for r in rows]
    )
    valid = ~np.isnan(matrix)
    got = percentile_linear(matrix, valid, q)
    for i, row in enumerate(matrix):
        kept = row[~np.isnan(row)]
        expected = np.percentile(kept, q) if len(kept) else np.nan
        assert got[i] == expected or (np.isnan(got[i]) and np.isnan(expected))


def test_percentile_by_hand():
    # 1, 2, 3, 4: virtual index (4 - 1) * 0.25 = 0.75 -> 1 + 0.75 * (2 - 1) = 1.75;
    # median index 1.5 -> 2.5; 75th index 2.25 -> 3.25.
    m = np.array([[4.0, 1.0, 3.0, 2.0]])
    valid = np.ones_like(m, dtype=bool)
    assert [percentile_linear(m, valid, q)[0] for q in (25, 50, 75)] == [1.75, 2.5, 3.25]


def test_rank_ties_share_the_best_rank_like_r_min():
    # Scores 7, 9, 9, 5, 9 (higher is better): the three 9s share rank 1, then 7 is 4th
    # (R: rank(-x, ties.method = "min") = 4 1 1 5 1); the missing one has no rank.
    score = np.array([[7.0, 9.0, 9.0, 5.0, 9.0, np.nan]])
    ranks = rank_min(score, ~np.isnan(score))
    assert ranks[0, :5].tolist() == [4.0, 1.0, 1.0, 5.0, 1.0]
    assert np.isnan(ranks[0, 5])
    # Low is good: 5 first, 7 second, the three 9s share third (R: 2 3 3 1 3).
    low = rank_min(score, ~np.isnan(score), np.array([False]))
    assert low[0, :5].tolist() == [2.0, 3.0, 3.0, 1.0, 3.0]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 5).map(float)), min_size=1, max_size=10),
    st.booleans(),
)
def test_rank_is_one_plus_the_number_strictly_better(row, high):
    values = np.array([[np.nan if v is None else v for v in row]])
    valid = ~np.isnan(values)
    ranks = rank_min(values, valid, np.array([high]))[0]
    kept = values[0][valid[0]]
    for v, r in zip(values[0], ranks, strict=True):
        if np.isnan(v):
            assert np.isnan(r)
        else:
            better = (kept > v).sum() if high else (kept < v).sum()
            assert r == 1 + better


def test_a_value_on_a_boundary_belongs_to_the_interval_below_it():
    # LAIT: [min, 25%] -> first, (25%, 50%] -> second, (50%, 75%] -> third, above -> fourth.
    bounds = np.array([[10.0], [20.0], [30.0]])
    assert band_index(np.array([5.0, 10.0, 10.01, 20.0, 30.0, 30.01]), bounds).tolist() == [
        0,
        0,
        1,
        1,
        2,
        3,
    ]


def test_band_letters_follow_polarity():
    # Interval 0 (lowest values) is A when low is good and D when high is good.
    index = np.array([0, 1, 2, 3, 0, 1, 2, 3, -1])
    high = np.array([False] * 4 + [True] * 5)
    codes = band_codes(index, high, 4)
    assert [BANDS[c] if c >= 0 else None for c in codes] == [*"ABCD", *"DCBA", None]
    # Quintiles: five bands, A-E.
    assert [BANDS[c] for c in band_codes(np.array([0, 4]), np.array([True, True]), 5)] == ["E", "A"]
