"""A workbook is read as strictly as a folder of CSV files: the same mistakes give the
same problems, and a workbook's problems name the sheet and cell (observations!C14)."""

from __future__ import annotations

from pathlib import Path

from tests.dataset.test_load import (
    INDICATORS,
    OBSERVATIONS,
    TARGETS,
    problems_of,
    write_folder,
    write_workbook,
)

# Five mistakes, each in a known cell (the header is row 1):
# - indicators row 4 (ehcp20), column D (kind): "benchmark" is not a kind;
# - targets row 2 (assess45), column E (green): "90%++" is not band notation;
# - observations row 3 (contacts 2025-02), column C (value): a count below zero;
# - observations row 4 (contacts 2025-03), column B (month): month 13;
# - observations row 5 (assess45 2025-01), column D (numerator): 179 of 100.
MISTAKES = {
    "indicators": INDICATORS.replace(
        "ehcp20,EHC plans within 20 weeks (café £),Inclusion,benchmarking",
        "ehcp20,EHC plans within 20 weeks (café £),Inclusion,benchmark",
    ),
    "targets": TARGETS.replace(
        "assess45,2024/25,<82%,82%+,90%+", "assess45,2024/25,<82%,82%+,90%++"
    ),
    "observations": OBSERVATIONS.replace("contacts,2025-02,131", "contacts,2025-02,-5")
    .replace("contacts,2025-03,118", "contacts,2025-13,118")
    .replace("assess45,2025-01,,79,100", "assess45,2025-01,,179,100"),
}
EXPECTED_CELLS = {
    ("indicators", 4, "kind"): "indicators!D4",
    ("targets", 2, "green"): "targets!E2",
    ("observations", 3, "value"): "observations!C3",
    ("observations", 4, "month"): "observations!B4",
    ("observations", 5, "numerator"): "observations!D5",
}


def test_the_same_mistakes_give_the_same_problems_with_cells(tmp_path: Path) -> None:
    folder = problems_of(write_folder(tmp_path / "d", **MISTAKES))
    book = problems_of(write_workbook(tmp_path / "data.xlsx", **MISTAKES))
    table = {f"{t}.csv": t for t in MISTAKES} | {f"data.xlsx [{t}]": t for t in MISTAKES}

    def what(problems):
        return [(table[p.file], p.row, p.column, p.message, p.fix) for p in problems]

    assert what(book) == what(folder)
    # Every one of the five mistakes is found, in its cell.
    cells = {(table[p.file], p.row, p.column): p.cell for p in book}
    assert {k: cells.get(k) for k in EXPECTED_CELLS} == EXPECTED_CELLS
    assert all(p.cell is None for p in folder)
    numerator = next(p for p in book if p.cell == "observations!D5")
    assert str(numerator).startswith("data.xlsx, observations!D5 (column 'numerator'): ")


def test_the_cell_follows_the_sheet_s_own_column_order(tmp_path: Path) -> None:
    # The same observations with value and month swapped round: month is now column C.
    lines = MISTAKES["observations"].splitlines()
    swapped = []
    for line in lines:
        indicator, month, value, *rest = line.split(",")
        swapped.append(",".join([indicator, value, month, *rest]))
    book = problems_of(
        write_workbook(tmp_path / "data.xlsx", observations="\n".join(swapped) + "\n")
    )
    month = next(p for p in book if p.column == "month")
    assert (month.row, month.cell) == (4, "observations!C4")
