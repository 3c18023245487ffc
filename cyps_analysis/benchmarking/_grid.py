"""Published figures laid out as one grid for :mod:`cyps_analysis.benchmarking.compare`: a row
per measure and year (a *group*), a column per authority, and the way back from the
grid to the benchmarking table's rows (one per authority, measure and year with a
row in the file).

Where every authority has a row for every measure and year, as in LAIT's long data,
the table's rows are the grid's cells in order: a grid becomes a column without being
copied, and a group's or an authority's codes are repeated rather than looked up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cyps_analysis.benchmarking._inputs import dense_unique


@dataclass(frozen=True)
class Grid:
    """The authorities' figures as a grid, and where the table's rows are in it.

    Attributes
    ----------
    values
        ``(groups, authorities)``: the authorities' figures, NaN where there is none.
    measure, year
        Each group's measure and year, as codes of the values table's categories.
    authorities
        The grid's columns: the authorities with figures (the values table's
        ``la_code`` categories, in order), then those named only in the neighbour model.
    cells
        Each table row's place in the flattened grid (``None`` where every cell is a
        row, in order).
    frame_group
        Each row of the values table: its group (-1 for a measure and year that no
        authority has).
    is_la
        Each row of the values table: whether it is an authority's.
    group_row, authority_row
        Each group's and each authority's last row in the values table (-1 for an
        authority without one): where a file has a measure and year twice for an
        authority, the last row is the one that counts.
    """

    values: np.ndarray
    measure: np.ndarray
    year: np.ndarray
    authorities: pd.Index
    cells: np.ndarray | None
    frame_group: np.ndarray
    is_la: np.ndarray
    group_row: np.ndarray
    authority_row: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    def rows(self, grid: np.ndarray) -> np.ndarray:
        """A grid's values in the table's rows (the grid itself, flattened and not
        copied, where every cell is a row)."""
        flat = grid.reshape(-1)
        return flat if self.cells is None else flat[self.cells]

    def per_group(self, values: np.ndarray) -> np.ndarray:
        """One value per group, repeated for each of its table rows."""
        if self.cells is None:
            return np.repeat(values, self.shape[1])
        return values[self.cells // self.shape[1]]

    def per_authority(self, values: np.ndarray) -> np.ndarray:
        """One value per authority (grid column), for each of its table rows."""
        if self.cells is None:
            return np.tile(values, self.shape[0])
        return values[self.cells % self.shape[1]]


def lay_out(frame: pd.DataFrame, neighbours: pd.DataFrame) -> Grid:
    """The grid of a values table whose text columns are categories.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "measure": pd.Categorical(["A", "A", "B", "A"]),
    ...     "year": pd.Categorical(["2024", "2024", "2024", "2023"]),
    ...     "level": pd.Categorical(["la", "la", "la", "national"]),
    ...     "la_code": pd.Categorical(["201", "202", "201", None]),
    ...     "value": [1.0, 2.0, 3.0, 4.0],
    ... })
    >>> model = pd.DataFrame({"la_code": ["201"], "neighbour": ["203"], "position": [1]})
    >>> grid = lay_out(frame, model)
    >>> grid.values.tolist(), list(grid.authorities), grid.cells.tolist()
    ([[1.0, 2.0, nan], [3.0, nan, nan]], ['201', '202', '203'], [0, 1, 3])
    >>> grid.per_authority(np.array([7, 8, 9])).tolist(), grid.frame_group.tolist()
    ([7, 8, 7], [0, 0, 1, -1])
    >>> grid.group_row.tolist(), grid.authority_row.tolist()
    ([1, 2], [2, 1, -1])
    """
    level = frame["level"].cat
    la_level = list(level.categories).index("la") if "la" in level.categories else -2
    la_codes = frame["la_code"].cat.codes.to_numpy()
    is_la = (level.codes.to_numpy() == la_level) & (la_codes >= 0)

    # Groups: one per (measure, year) of the authorities' rows.
    n_years = len(frame["year"].cat.categories)
    key = frame["measure"].cat.codes.to_numpy().astype("int64") * n_years
    key += frame["year"].cat.codes.to_numpy()
    n_keys = len(frame["measure"].cat.categories) * n_years + 1
    la_rows = np.flatnonzero(is_la)
    group_keys, group = dense_unique(key[la_rows], n_keys)
    group_of_key = np.full(n_keys, -1)
    group_of_key[group_keys] = np.arange(len(group_keys))

    # Authorities: those with figures and those named in the neighbour model.
    la_categories = pd.Index(np.asarray(frame["la_code"].cat.categories, dtype=object))
    named = pd.unique(neighbours[["la_code", "neighbour"]].to_numpy().reshape(-1))
    authorities = la_categories.append(pd.Index(named).difference(la_categories))

    n_groups, n_las = len(group_keys), len(authorities)
    column = la_codes[la_rows]
    place = group * n_las + column
    values = np.full(n_groups * n_las, np.nan)
    values[place] = frame["value"].to_numpy(dtype="float64")[la_rows]
    present = np.zeros(n_groups * n_las, dtype=bool)
    present[place] = True
    group_row = np.empty(n_groups, dtype=np.intp)
    group_row[group] = la_rows
    authority_row = np.full(n_las, -1, dtype=np.intp)
    authority_row[column] = la_rows
    return Grid(
        values=values.reshape(n_groups, n_las),
        measure=group_keys // n_years,
        year=group_keys % n_years,
        authorities=authorities,
        cells=None if present.all() else np.flatnonzero(present),
        frame_group=group_of_key[key],
        is_la=is_la,
        group_row=group_row,
        authority_row=authority_row,
    )
