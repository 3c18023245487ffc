"""Statistical neighbours on a whole grid of published figures: each neighbour's value,
their average and how many had a value, the best of them (given polarity) and the
authority's rank among them, for every measure, year and authority at once.

The grid has a row per measure and year and a column per authority. A neighbour
position's values are one ``take`` of the grid's columns through each authority's
neighbours; the comparisons are whole-array operations over all positions at once.
They are worked out a block of grid rows at a time (about :data:`BLOCK_CELLS` cells,
each block's values still in the processor's cache when they are compared): for LAIT's
whole table the neighbour values alone are 48 MB, and comparing them in one piece
would read them from memory several times over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Grid cells (rows x authorities) compared per block: ten neighbours' values of a
#: block, about 1.3 MB, stay in the processor's cache while they are compared.
BLOCK_CELLS = 16_384


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
    work = NeighbourWork(matrix, slots, sign)
    work.run()
    return work.result()


class NeighbourWork:
    """:func:`compare_neighbours`, block by block, for any number of threads: each
    thread that calls :meth:`run` takes the next block left until there is none (the
    blocks write to separate parts of the results)."""

    def __init__(self, matrix: np.ndarray, slots: np.ndarray, sign: np.ndarray) -> None:
        n_groups, n_las = matrix.shape
        self.slots = slots
        self.padded = np.empty((n_groups, n_las + 1))
        self.padded[:, :n_las] = matrix
        self.padded[:, n_las] = np.nan
        self.sign = np.asarray(sign, dtype="float64")[:, None]
        self.score = matrix * self.sign
        self.values = np.empty((slots.shape[1], n_groups, n_las))
        # Each position's neighbour columns, one row per position, -1 for none.
        self.columns = np.ascontiguousarray(np.where(slots == n_las, -1, slots).T)
        self.out = {
            "average": np.empty((n_groups, n_las)),
            "used": np.empty((n_groups, n_las), dtype=np.uint8),
            "best": np.empty((n_groups, n_las)),
            "best_column": np.empty((n_groups, n_las), dtype=self.columns.dtype),
            "rank": np.empty((n_groups, n_las)),
        }
        step = max(1, BLOCK_CELLS // max(n_las, 1))
        # One iterator for all threads: taking the next block is atomic in Python.
        self._starts = iter(range(0, n_groups, step))
        self._step = step

    def run(self) -> None:
        """Compare blocks until none is left."""
        slots = self.slots
        for start in self._starts:
            part = slice(start, start + self._step)
            block = self.values[:, part]
            for i in range(slots.shape[1]):
                np.take(self.padded[part], slots[:, i], axis=1, out=block[i])
            out = {k: v[part] for k, v in self.out.items()}
            _compare_block(block, self.sign[part], self.score[part], self.columns, out)

    def result(self) -> NeighbourGrid:
        """The comparisons, once every block is done."""
        out = self.out
        return NeighbourGrid(
            self.values, out["average"], out["used"], out["best"], out["best_column"], out["rank"]
        )


def _compare_block(
    block: np.ndarray,
    sign: np.ndarray,
    score: np.ndarray,
    columns: np.ndarray,
    out: dict[str, np.ndarray],
) -> None:
    """One block's comparisons, written into ``out``'s arrays: ``block`` holds its
    neighbours' values (positions x rows x authorities), ``sign`` each row's sign,
    ``score`` the authorities' own values times their sign and ``columns`` each
    position's neighbour columns."""
    width, _, n_las = block.shape
    flat = block.reshape(width, -1)
    has = block == block
    used = np.add.reduce(has.view(np.uint8), axis=0, dtype=np.uint8, out=out["used"])
    # Totals, position by position (as a hand sum runs); cells with a neighbour
    # missing are summed again without it.
    total = _sum_in_order(flat, np.empty(flat.shape[1]))
    gaps = np.flatnonzero((used < width) & (used > 0))
    if len(gaps):
        some = flat[:, gaps]
        total[gaps] = _sum_in_order(np.where(some == some, some, 0.0), np.empty(len(gaps)))
    with np.errstate(invalid="ignore", divide="ignore"):  # none: 0 / 0
        np.divide(total, used.reshape(-1), out=out["average"].reshape(-1))
    scored = block * sign
    top = np.fmax.reduce(scored, axis=0)  # NaN only where no neighbour has a value
    # The best's position: position i weighs width - i, so the closest weighs most.
    weight = np.arange(width, 0, -1, dtype=np.uint8)[:, None, None]
    closest = np.maximum.reduce((scored == top).view(np.uint8) * weight, axis=0)
    position = width - np.maximum(closest, 1).astype(np.intp)  # the last if none
    best = np.multiply(top, sign, out=out["best"])
    # A best of zero: the closest's own zero (0.0 and -0.0 tie, and either may be top).
    zero = np.flatnonzero(top == 0)
    best.reshape(-1)[zero] = flat[position.reshape(-1)[zero], zero]
    ordered = np.broadcast_to(sign != 0, best.shape)
    best[~ordered] = np.nan
    found = columns.reshape(-1)[position * n_las + np.arange(n_las)]
    np.copyto(out["best_column"], np.where((used > 0) & ordered, found, -1))
    beaten = np.add.reduce((scored > score).view(np.uint8), axis=0, dtype=np.uint8)
    with np.errstate(invalid="ignore"):
        np.copyto(out["rank"], np.where(ordered & (score == score), beaten + 1.0, np.nan))


def _sum_in_order(rows: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``0 + rows[0] + rows[1] + ...``, in that order (numpy's own reductions may
    sum in another order and differ in the last digit)."""
    np.add(rows[0], 0.0, out=out)
    for row in rows[1:]:
        np.add(out, row, out=out)
    return out
