"""Neighbour comparisons over a whole grid: values, average, best, rank among them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyps_analysis.benchmarking._neighbours import compare_neighbours

NAN = np.nan

# Four authorities (columns 0-3), three neighbours each; column 4 is "no neighbour".
SLOTS = np.array([[1, 2, 3], [2, 0, 4], [3, 1, 0], [4, 4, 4]])
# Three measure-years: higher is better in the first, lower in the second, neither
# in the third.
MATRIX = np.array([[10.0, 30.0, NAN, 30.0], [5.0, 2.0, 8.0, 2.0], [1.0, 2.0, 3.0, 4.0]])
SIGN = np.array([1.0, -1.0, 0.0])


def test_average_skips_neighbours_without_a_value():
    grid = compare_neighbours(MATRIX, SLOTS, SIGN)
    # Authority 0, first row: neighbours 30, (none), 30 -> (30 + 30) / 2 from 2.
    # Authority 2, second row: neighbours 2, 2, 5 -> 9 / 3 = 3 from 3.
    assert grid.used.tolist() == [[2, 1, 3, 0], [3, 2, 3, 0], [3, 2, 3, 0]]
    assert grid.average[0, 0] == 30.0
    assert grid.average[1, 2] == 3.0
    assert grid.average[0, 1] == 10.0  # (none) and 10
    assert np.isnan(grid.average[:, 3]).all()  # no neighbours at all


def test_each_neighbours_value_in_position_order():
    grid = compare_neighbours(MATRIX, SLOTS, SIGN)
    # Authority 1's neighbours are 2, 0 and none.
    assert grid.values[:, 1, 1].tolist()[:2] == [8.0, 5.0]
    assert np.isnan(grid.values[2, 1, 1])
    assert grid.values.shape == (3, 3, 4)


def test_best_neighbour_follows_polarity_and_the_closest_wins_a_tie():
    grid = compare_neighbours(MATRIX, SLOTS, SIGN)
    # First row (high is good), authority 0: neighbours 30 (column 1), none, 30
    # (column 3): a tie, the closest (column 1) wins.
    assert grid.best[0, 0] == 30.0 and grid.best_column[0, 0] == 1
    # Second row (low is good), authority 2: neighbours 2 (column 3), 2 (column 1),
    # 5 -> 2 from column 3, the closer.
    assert grid.best[1, 2] == 2.0 and grid.best_column[1, 2] == 3
    # Authority 1, second row: neighbours 8 (column 2), 5 (column 0) -> the lower.
    assert grid.best[1, 1] == 5.0 and grid.best_column[1, 1] == 0
    # No neighbours, or no order: no best.
    assert np.isnan(grid.best[0, 3]) and grid.best_column[0, 3] == -1
    assert np.isnan(grid.best[2]).all() and (grid.best_column[2] == -1).all()


def test_rank_among_neighbours_counts_those_strictly_better():
    grid = compare_neighbours(MATRIX, SLOTS, SIGN)
    # First row, authority 0 (10): both neighbours (30, 30) are higher -> 3rd.
    # Authority 1 (30): 10 is lower -> 1st. Authority 3 (30) has no neighbours -> 1st.
    assert grid.rank[0].tolist()[:2] == [3.0, 1.0] and grid.rank[0, 3] == 1.0
    # Authority 2 has no value of its own: no rank.
    assert np.isnan(grid.rank[0, 2])
    # Second row, low is good: authority 0 (5): 2 and 2 lower, 8 higher -> 3rd;
    # authority 1 (2): 8 and 5 are higher -> 1st; authority 2 (8): 2, 2 and 5 are
    # all lower -> 4th; authority 3 (2), no neighbours -> 1st.
    assert grid.rank[1].tolist() == [3.0, 1.0, 4.0, 1.0]
    # Neither higher nor lower is better: no rank.
    assert np.isnan(grid.rank[2]).all()


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 7),
    st.integers(2, 9),
    st.integers(1, 4),
    st.integers(0, 10_000),
)
def test_comparisons_give_the_row_by_row_answer(n_rows, n_las, width, seed):
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 4, (n_rows, n_las)).astype(float)
    matrix[rng.random((n_rows, n_las)) < 0.3] = NAN
    slots = rng.integers(0, n_las + 1, (n_las, width))
    sign = rng.choice([-1.0, 0.0, 1.0], n_rows)
    grid = compare_neighbours(matrix, slots, sign)
    padded = np.append(matrix, np.full((n_rows, 1), NAN), axis=1)
    for g in range(n_rows):
        for a in range(n_las):
            theirs = padded[g, slots[a]]
            kept = theirs[~np.isnan(theirs)]
            assert grid.used[g, a] == len(kept)
            if len(kept):
                assert grid.average[g, a] == pytest.approx(kept.mean())
            else:
                assert np.isnan(grid.average[g, a])
            if len(kept) and sign[g]:
                best = kept.max() if sign[g] > 0 else kept.min()
                assert grid.best[g, a] == best
                first = np.flatnonzero(theirs == best)[0]
                assert grid.best_column[g, a] == slots[a, first]
            else:
                assert np.isnan(grid.best[g, a]) and grid.best_column[g, a] == -1
            own = matrix[g, a]
            if np.isnan(own) or not sign[g]:
                assert np.isnan(grid.rank[g, a])
            else:
                assert grid.rank[g, a] == 1 + int(((kept - own) * sign[g] > 0).sum())
