"""The grid of published figures and the way back to the table's rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.benchmarking._grid import lay_out

MODEL = pd.DataFrame({"la_code": ["201", "202"], "position": [1, 1], "neighbour": ["202", "999"]})


def _frame(rows: list[tuple[str, str, str, str | None, float]]) -> pd.DataFrame:
    measure, year, level, la_code, value = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "measure": pd.Categorical(measure),
            "year": pd.Categorical(year),
            "level": pd.Categorical(level, categories=["national", "regional", "la"]),
            "la_code": pd.Categorical(la_code),
            "value": value,
        }
    )


def test_a_full_grid_is_the_table_in_order_without_copies():
    frame = _frame(
        [
            ("A", "2024", "la", "202", 2.0),
            ("A", "2024", "la", "201", 1.0),
            ("A", "2024", "national", None, 9.0),
            ("B", "2024", "la", "201", 3.0),
            ("B", "2024", "la", "202", np.nan),
        ]
    )
    # The model names 999, which has no figures: a column of its own, so the grid
    # (2 groups x 3 authorities) is not full.
    grid = lay_out(frame, MODEL)
    assert list(grid.authorities) == ["201", "202", "999"]
    assert grid.cells.tolist() == [0, 1, 3, 4]
    assert grid.rows(grid.values).tolist()[:3] == [1.0, 2.0, 3.0]
    assert grid.frame_group.tolist() == [0, 0, 0, 1, 1]  # England has a group too
    assert grid.is_la.tolist() == [True, True, False, True, True]

    # Without 999 every authority has every measure and year: the rows are the cells.
    grid = lay_out(frame, MODEL.iloc[:1])
    assert grid.cells is None
    flat = grid.rows(grid.values)
    assert np.shares_memory(flat, grid.values)
    assert flat[:3].tolist() == [1.0, 2.0, 3.0] and np.isnan(flat[3])
    assert grid.per_group(np.array([10, 20])).tolist() == [10, 10, 20, 20]
    assert grid.per_authority(np.array([7, 8])).tolist() == [7, 8, 7, 8]


def test_groups_are_measures_and_years_that_authorities_have():
    frame = _frame(
        [
            ("A", "2023", "national", None, 5.0),  # England only: no group
            ("A", "2024", "la", "201", 1.0),
            ("B", "2023", "la", "202", 2.0),
        ]
    )
    grid = lay_out(frame, MODEL.iloc[:1])
    measures = frame["measure"].cat.categories[grid.measure]
    years = frame["year"].cat.categories[grid.year]
    groups = list(zip(measures, years, strict=True))
    assert groups == [("A", "2024"), ("B", "2023")]
    assert grid.frame_group.tolist() == [-1, 0, 1]
    # Each table row: group 0 has 201, group 1 has 202.
    assert grid.cells.tolist() == [0, 3]
    assert grid.per_group(np.array([10, 20])).tolist() == [10, 20]
    assert grid.per_authority(np.array([7, 8])).tolist() == [7, 8]


def test_where_a_file_repeats_an_authority_the_last_row_counts():
    frame = _frame(
        [
            ("A", "2024", "la", "201", 1.0),
            ("A", "2024", "la", "202", 2.0),
            ("A", "2024", "la", "201", 5.0),  # 201 again: this one counts
        ]
    )
    grid = lay_out(frame, MODEL.iloc[:1])
    assert grid.values.tolist() == [[5.0, 2.0]]
    assert grid.group_row.tolist() == [2]
    assert grid.authority_row.tolist() == [2, 1]
