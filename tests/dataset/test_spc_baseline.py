"""``spc_baseline.csv`` is checked like the other files: every problem at once, each
naming the file, row, column and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from cyps_analysis import load_dataset
from cyps_analysis.exceptions import DatasetError
from tests.conftest import write_dataset


def test_a_good_baseline_file_loads(tmp_path: Path):
    data = load_dataset(
        write_dataset(
            tmp_path / "d", spc_baseline="indicator,month,reason\nassess45,2024-01,Redesign\n"
        )
    )
    assert data.spc_baseline["month_number"].tolist() == [2024 * 12]


def test_every_problem_in_the_baseline_file_is_reported(tmp_path: Path):
    text = (
        "indicator,month,reason\n"
        "assess45,2024-01,Redesign\n"  # row 2: fine
        "nosuch,2024-01,Typo\n"  # row 3: unknown indicator
        "assess45,Jan 2024,Redesign\n"  # row 4: not a month
        "assess45,2024-01,Again\n"  # row 5: the same month twice
        "cin_rate,2024-02,\n"  # row 6: no reason
    )
    with pytest.raises(DatasetError) as err:
        load_dataset(write_dataset(tmp_path / "d", spc_baseline=text))
    found = {(p.file, p.row, p.column) for p in err.value.problems}
    assert found == {
        ("spc_baseline.csv", 3, "indicator"),
        ("spc_baseline.csv", 4, "month"),
        ("spc_baseline.csv", 5, "month"),
        ("spc_baseline.csv", 6, "reason"),
    }
    messages = {p.row: p.message for p in err.value.problems}
    assert messages[5] == "assess45 already starts new limits in 2024-01 (row 2)"
