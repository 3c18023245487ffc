"""Statistical neighbours on a whole grid of published figures: each neighbour's value,
their average and how many had a value, the best of them (given polarity) and the
authority's rank among them, for every measure, year and authority at once.

The grid has a row per measure and year and a column per authority. A neighbour
position's values are one ``take`` of the grid's columns through each authority's
neighbours; the comparisons are whole-array operations over all positions at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class NeighbourGrid:
    """The neighbour comparisons of every cell of a grid (groups x authorities).

    Attributes
    ----------
    values
        ``(positions, groups, authorities)``: each neighbour's value, closest first
        (NaN where it has none or the authority has fewer neighbours).
    average
        Plain mean of the neighbours that have a value (NaN where none has).
    used
        How many neighbours have a value.
    best
        The best neighbour's value given the sign (NaN where none has a value, or
        where the sign is 0: no value is better than another).
    best_column
        The best neighbour's column (the closest wins a tie; -1 where there is no best).
    rank
        The authority's rank among itself and its neighbours with a value: one more
        than how many of them have a better value (NaN where it has no value of its
        own, or where the sign is 0).
    """

    values: np.ndarray
    average: np.ndarray
    used: np.ndarray
    best: np.ndarray
    best_column: np.ndarray
    rank: np.ndarray


def compare_neighbours(matrix: np.ndarray, slots: np.ndarray, sign: np.ndarray) -> NeighbourGrid:
    """Neighbour comparisons for every cell of ``matrix``.

    Parameters
    ----------
    matrix
        ``(groups, authorities)`` values, NaN where there is none.
    slots
        ``(authorities, positions)``: each authority's neighbours as columns of
        ``matrix``, closest first; ``authorities`` (one past the last column) where it
        has fewer.
    sign
        ``(groups,)``: 1 where higher values are better, -1 where lower are, 0 where
        neither is.

    Examples
    --------
    >>> m = np.array([[1.0, 2.0, np.nan, 4.0]])
    >>> slots = np.array([[1, 2, 3], [0, 3, 4], [0, 1, 3], [1, 0, 4]])
    >>> grid = compare_neighbours(m, slots, np.array([-1.0]))
    >>> grid.average.tolist(), grid.used.tolist()
    ([[3.0, 2.5, 2.3333333333333335, 1.5]], [[2, 2, 3, 2]])
    >>> grid.best.tolist(), grid.best_column.tolist(), grid.rank.tolist()
    ([[2.0, 1.0, 1.0, 1.0]], [[1, 0, 0, 0]], [[1.0, 2.0, nan, 3.0]])
    """
    n_groups, n_las = matrix.shape
    width = slots.shape[1]
    padded = np.append(matrix, np.full((n_groups, 1), np.nan), axis=1)
    values = np.stack([padded[:, slots[:, i]] for i in range(width)])
    has = ~np.isnan(values)
    used = has.sum(axis=0).astype(np.uint8)
    # Totals position by position, as a hand sum runs (numpy's own reductions may sum
    # in another order and differ in the last digit).
    total = np.zeros((n_groups, n_las))
    for i in range(width):
        total = total + np.where(has[i], values[i], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):  # none: 0 / 0
        average = total / used
    sign = np.asarray(sign, dtype="float64")[:, None]
    scored = values * sign
    top = np.fmax.reduce(scored, axis=0)  # NaN only where no neighbour has a value
    position = np.argmax(scored == top, axis=0)  # the closest of equal bests
    best = top * sign
    # A best of zero: the closest's own zero (0.0 and -0.0 tie, and either may be top).
    zero = top == 0
    best[zero] = np.take_along_axis(values, position[None], axis=0)[0][zero]
    ordered = np.broadcast_to(sign != 0, best.shape)
    best[~ordered] = np.nan
    columns = np.where(slots == n_las, -1, slots).T  # each position's neighbour columns
    found = columns[position, np.arange(n_las)]
    best_column = np.where((used > 0) & ordered, found, -1)
    score = matrix * sign
    beaten = (scored > score).sum(axis=0)
    with np.errstate(invalid="ignore"):
        rank = np.where(ordered & ~np.isnan(score), beaten + 1.0, np.nan)
    return NeighbourGrid(values, average, used, best, best_column, rank)
