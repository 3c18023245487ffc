"""A workbook for analysts to fill in: one sheet per table of the dataset with its
columns, an Instructions sheet, drop-down lists for the words the kit knows, and either
the demo's indicators as examples or an existing dataset's catalogue, targets,
benchmarks and settings ready for new months (``cyps-analysis template``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from cyps_analysis.dataset._files import TABLES, read_tables
from cyps_analysis.dataset._schemas import SCHEMAS
from cyps_analysis.dataset._template_help import (
    COLUMN_HELP,
    INTRODUCTION,
    SETTINGS_HELP,
)
from cyps_analysis.dataset.load import load_dataset
from cyps_analysis.vocab import AGGREGATIONS, FREQUENCIES, KINDS, POLARITIES, UNITS, YEAR_TYPES

#: The demo dataset, whose indicators are the template's examples.
DEMO = Path(__file__).parents[2] / "data" / "demo"
#: Rows of each table sheet that get drop-downs (far more than any catalogue has).
ROWS = 2000
#: The columns of the indicators sheet that take a value from a list.
_LISTS: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "polarity": POLARITIES,
    "unit": UNITS,
    "aggregation": AGGREGATIONS,
    "frequency": FREQUENCIES,
    "year_type": YEAR_TYPES,
}


def _cell(value: object) -> object:
    """A table's value as a workbook cell: blanks empty, numpy numbers plain."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _flat_settings(raw: dict, folder: Path, prefix: str = "") -> list[tuple[str, object]]:
    """Settings as the settings sheet's rows: nested keys joined by dots, lists one
    item a line, dates as YYYY-MM-DD, the benchmarking files' paths made absolute (they
    are relative to the dataset's folder, which the template is not in)."""
    rows: list[tuple[str, object]] = []
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += _flat_settings(value, folder, f"{name}.")
        elif isinstance(value, list):
            rows.append((name, "\n".join(str(v) for v in value)))
        elif isinstance(value, dt.date):
            rows.append((name, value.isoformat()))
        elif name.startswith("benchmarking.") and value is not None:
            rows.append((name, str((folder / str(value)).resolve())))
        else:
            rows.append((name, None if value is None else str(value)))
    return rows


def write_template(path: str | Path, *, source: str | Path | None = None) -> Path:
    """Write the template workbook to ``path`` (the ``template`` command writes it
    whole or not at all, through a temporary file).

    Parameters
    ----------
    path
        The ``.xlsx`` file to write.
    source
        A dataset (folder or workbook) whose indicators, targets, benchmarks and
        settings fill the sheets; by default the demo's indicators and settings, as
        examples. It is checked first (``DatasetError`` if it fails).
    """
    given = Path(source) if source is not None else DEMO
    dataset = load_dataset(given)
    raw = read_tables(given)[1] or {}
    folder = given if given.is_dir() else given.parent
    tables = {"indicators": dataset.indicators}
    if source is not None:
        tables |= {"targets": dataset.targets, "benchmarks": dataset.benchmarks}
    path = Path(path)
    areas = list(dataset.settings.service_areas)
    _write(path, tables, _flat_settings(raw, folder), areas)
    return path


def _write(path: Path, tables: dict[str, pd.DataFrame], settings: list, areas: list[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    guide = book.active
    guide.title = "Instructions"
    for line in INTRODUCTION:
        guide.append([line])
        # Across the sheet and wrapped, so that it reads (and prints) in one piece.
        guide.merge_cells(
            start_row=guide.max_row, start_column=1, end_row=guide.max_row, end_column=6
        )
        guide.cell(guide.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        guide.row_dimensions[guide.max_row].height = 15 * (1 + len(line) // 170)
    guide["A1"].font = Font(bold=True, size=14)
    guide.row_dimensions[1].height = 20
    guide.append([])
    guide.append(["sheet", "column", "required", "values", "meaning", "example"])
    heading_row = guide.max_row
    for table in TABLES:
        for column, spec in SCHEMAS[table].items():
            meaning, example = COLUMN_HELP[table][column]
            values = ", ".join(spec.allowed) if spec.allowed else ""
            required = (
                "no" if not spec.required else "yes, may be blank" if spec.nullable else "yes"
            )
            guide.append([table, column, required, values, meaning, example])
    for key, (meaning, example) in SETTINGS_HELP.items():
        guide.append(["settings", key, "yes" if key in ("authority", "as_at") else "no", "", meaning, example])  # fmt: skip
    for cell in guide[heading_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (14, 20, 17, 40, 80, 40), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=heading_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=cell.column == 5, vertical="top")
        guide.row_dimensions[row[0].row].height = 15 * (1 + len(str(row[4].value)) // 95)
    guide.page_setup.orientation = "landscape"
    guide.page_setup.paperSize = guide.PAPERSIZE_A4
    guide.page_setup.fitToWidth, guide.page_setup.fitToHeight = 1, 0
    guide.sheet_properties.pageSetUpPr.fitToPage = True
    guide.print_title_rows = f"{heading_row}:{heading_row}"

    ws = book.create_sheet("settings")
    ws.append(["key", "value"])
    for row in settings:
        ws.append(list(row))
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 24, 50

    lists = book.create_sheet("Lists")
    lists.append([*_LISTS, "service_area"])
    for i, words in enumerate([*_LISTS.values(), tuple(areas)], start=1):
        for j, word in enumerate(words, start=2):
            lists.cell(j, i, word)
    for table in TABLES:
        columns = list(SCHEMAS[table])
        ws = book.create_sheet(table)
        ws.append(columns)
        frame = tables.get(table)
        if frame is not None:
            for row in frame[columns].itertuples(index=False):
                ws.append([_cell(v) for v in row])
        for i, column in enumerate(columns, start=1):
            ws.cell(1, i).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(i)].width = max(12, len(column) + 4)
        ws.freeze_panes = "A2"
        _validations(ws, table, columns, len(areas), DataValidation, get_column_letter)
    for sheet in book.worksheets:  # text starting with "=" stays text, never a formula
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.move_sheet("Lists", offset=len(book.sheetnames))
    book.save(path)


def _validations(ws, table: str, columns: list[str], areas: int, DataValidation, letter) -> None:
    """Drop-downs from the Lists sheet; the indicator columns of the other tables take
    an id from the indicators sheet; ``areas`` is how many service areas the list has."""
    names = [*_LISTS, "service_area"]
    lengths = [*(len(words) for words in _LISTS.values()), areas]
    sources = {
        name: f"Lists!${letter(i)}$2:${letter(i)}${n + 1}"
        for i, (name, n) in enumerate(zip(names, lengths, strict=True), start=1)
    }
    wanted = names if table == "indicators" else ["indicator"]
    if table == "signoff":
        wanted = ["service_area"]
    for i, column in enumerate(columns, start=1):
        if column not in wanted:
            continue
        formula = f"indicators!$A$2:$A${ROWS}" if column == "indicator" else sources[column]
        rule = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            # A new service area is allowed after a warning (it must be in settings too).
            errorStyle="warning" if column == "service_area" else "stop",
            errorTitle=f"Not a {column}",
            error=f"Pick a {column} from the list (see the Instructions sheet).",
        )
        rule.add(f"{letter(i)}2:{letter(i)}{ROWS}")
        ws.add_data_validation(rule)
