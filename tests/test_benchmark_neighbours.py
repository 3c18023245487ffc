"""Neighbour comparisons over a whole grid: values, average, best, rank among them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyps_analysis import benchmark_neighbours
from cyps_analysis.benchmark_neighbours import compare_neighbours

NAN = np.nan

# Four authorities (columns 0-3), three neighbours each; column 4 is "no neighbour".
SLOTS = np.array([[1, 2, 3], [2, 0, 4], [3, 1, 0], [4, 4, 4]])
# Two measure-years: higher is better in the first, lower in the second.
MATRIX = np.array([[10.0, 30.0, NAN, 30.0], [5.0, 2.0, 8.0, 2.0]])
SIGN = np.array([1.0, -1.0])


def test_average_skips_neighbours_without_a_value():
    grid = compare_neighbours(MATRIX, SLOTS, SIGN)
    # Authority 0, first row: neighbours 30, (none), 30 -> (30 + 30) / 2 from 2.
    # Authority 2, second row: neighbours 2, 2, 5 -> 9 / 3 = 3 from 3.
    assert grid.used.tolist() == [[2, 1, 3, 0], [3, 2, 3, 0]]
    assert grid.average[0, 0] == 30.0
    assert grid.average[1, 2] == 3.0
    assert grid.average[0, 1] == 10.0  # (none) and 10
    assert np.isnan(grid.average[:, 3]).all()  # no neighbours at all


def test_each_neighbours_value_in_position_order():
    grid = compare_neighbours(MATRIX, SLOTS, SIGN)
    # Authority 1's neighbours are 2, 0 and none.
    assert grid.values[:, 1, 1].tolist()[:2] == [8.0, 5.0]
    assert np.isnan(grid.values[2, 1, 1])
    assert grid.values.shape == (3, 2, 4)


def test_best_neighbour_follows_polarity_and_the_closest_wins_a_tie():
    grid = compare_neighbours(MATRIX, SLOTS, SIGN)
    # First row (high is good), authority 0: neighbours 30 (position 0), none, 30
    # (position 2): a tie, the closest (position 0) wins.
    assert grid.best[0, 0] == 30.0 and grid.best_position[0, 0] == 0
    # Second row (low is good), authority 2: neighbours 2, 2, 5 -> 2 at position 0;
    # authority 0: neighbours 2, 8, 2 -> 2 at position 0.
    assert grid.best[1, 2] == 2.0 and grid.best_position[1, 2] == 0
    # Authority 1, second row: neighbours 8, 5 -> the lower, 5, at position 1.
    assert grid.best[1, 1] == 5.0 and grid.best_position[1, 1] == 1
    assert np.isnan(grid.best[0, 3])


def test_beaten_by_counts_neighbours_strictly_better():
    grid = compare_neighbours(MATRIX, SLOTS, SIGN)
    # First row, authority 0 (10): both neighbours (30, 30) are higher -> 2.
    # Authority 3 (30) has no neighbours -> 0. Authority 1 (30): 10 is lower -> 0.
    assert grid.beaten_by[0].tolist()[:2] == [2, 0]
    # Second row, low is good: authority 2 (8): 2, 2 and 5 are all lower -> 3;
    # authority 1 (2): 8 and 5 are higher -> 0; a tie does not beat.
    assert grid.beaten_by[1, 2] == 3 and grid.beaten_by[1, 1] == 0


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 7),
    st.integers(2, 9),
    st.integers(1, 4),
    st.integers(0, 10_000),
)
def test_blocks_of_rows_give_the_row_by_row_answer(n_rows, n_las, width, seed):
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 4, (n_rows, n_las)).astype(float)
    matrix[rng.random((n_rows, n_las)) < 0.3] = NAN
    slots = rng.integers(0, n_las + 1, (n_las, width))
    sign = rng.choice([-1.0, 1.0], n_rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(benchmark_neighbours, "BLOCK_CELLS", n_las * 2)  # two rows a block
        grid = compare_neighbours(matrix, slots, sign)
    padded = np.append(matrix, np.full((n_rows, 1), NAN), axis=1)
    for g in range(n_rows):
        for a in range(n_las):
            theirs = padded[g, slots[a]]
            kept = theirs[~np.isnan(theirs)]
            assert grid.used[g, a] == len(kept)
            if len(kept):
                assert grid.average[g, a] == pytest.approx(kept.mean())
                best = kept.max() if sign[g] > 0 else kept.min()
                assert grid.best[g, a] == best
                assert grid.best_position[g, a] == np.flatnonzero(theirs == best)[0]
            else:
                assert np.isnan(grid.average[g, a]) and np.isnan(grid.best[g, a])
            own = matrix[g, a]
            assert grid.beaten_by[g, a] == int(((kept - own) * sign[g] > 0).sum())
