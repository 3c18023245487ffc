"""Reading a dataset's files as text cells with their row numbers: CSV files in any of
the encodings Excel writes, or the sheets of one workbook.

Every cell is kept as text (months as ``YYYY-MM``, whatever Excel made of them) so
that the checks can name the row, column and value of each problem.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from cyps_analysis.dataset._yaml import read_settings_yaml
from cyps_analysis.exceptions import Problem

TABLES: tuple[str, ...] = (
    "indicators",
    "targets",
    "observations",
    "benchmarks",
    "commentary",
    "signoff",
    "spc_baseline",
)
OPTIONAL_TABLES: frozenset[str] = frozenset({"benchmarks", "commentary", "signoff", "spc_baseline"})


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" (not "CSV UTF-8") saves in Windows-1252; the five bytes it leaves
        # undefined are replaced rather than refused.
        return raw.decode("cp1252", errors="replace")


def _csv_cells(raw: bytes, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """A CSV file's cells as text, header included, one row per Excel row (a quoted cell
    may span lines)."""
    text = _decode(raw)
    try:
        cells = pd.read_csv(
            io.StringIO(text), header=None, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame(), []
    except pd.errors.ParserError:
        # A row longer than the header: read it again, slowly, to say which rows.
        return _from_records(list(csv.reader(io.StringIO(text, newline=""))), file)
    return cells, []


def _from_records(records: list[list[str]], file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of cells as a frame as wide as the first (the header). A row longer than the
    header is a problem (usually an unquoted comma in a text), unless what lies beyond is
    blank and every row is as long (a system that ends each row with a comma)."""
    width = len(records[0]) if records else 0
    lengths = Counter(len(r) for r in records[1:] if any(str(c).strip() for c in r))
    usual = lengths.most_common(1)[0][0] if lengths else width
    problems = [
        Problem(
            file,
            number,
            None,
            f"the row has {len(record)} values but the header has {width} columns",
            "Put text that contains a comma in double quotes, or remove the extra values",
        )
        for number, record in enumerate(records, start=1)
        if len(record) > width
        and (len(record) > usual or any(str(c).strip() for c in record[width:]))
    ]
    rows = [r if len(r) == width else (list(r) + [""] * width)[:width] for r in records]
    return pd.DataFrame(rows, columns=range(width), dtype="string"), problems


def _cell_text(value: object, *, month: bool) -> str:
    """A workbook cell as the text a CSV file would hold. Excel turns ``2025-03`` typed
    into a cell into the date 1 March 2025, so in the month column a first-of-month
    date reads as that month."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return value.isoformat(sep=" ")
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}" if month and value.day == 1 else value.isoformat()
    return str(value)


def _sheet_records(sheet) -> list[list[str]]:
    """A worksheet's rows as text, one record per Excel row from row 1."""
    records: list[list[str]] = []
    month_at: set[int] = set()
    for i, row in enumerate(sheet.iter_rows(values_only=True)):
        if i == 0:
            # A reporting period typed as a month (commentary, signoff) is a month too.
            names = [_column_name(v) for v in row]
            month_at = {j for j, name in enumerate(names) if name in ("month", "period")}
        records.append([_cell_text(v, month=j in month_at) for j, v in enumerate(row)])
    return records


def _column_letter(index: int) -> str:
    """Excel's letter for the column at a 0-based index: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_name(value: object) -> str:
    return "" if value is None else str(value).strip().lower()


def _table(cells: pd.DataFrame, file: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A table from its cells (row 1 the header) as text with blanks as NA, with ``_row``
    (the row as Excel numbers it); blank rows are dropped. ``None`` if it has no header."""
    header = [_column_name(c) for c in cells.iloc[0]] if len(cells) else []
    if not any(header):
        return None, [
            Problem(
                file,
                1 if len(cells) else None,
                None,
                "there are no column names in row 1",
                "Put the column names in row 1, then the data",
            )
        ]
    frame = cells.iloc[1:].astype("string").apply(lambda col: col.str.strip()).replace("", pd.NA)
    frame["_row"] = range(2, len(frame) + 2)
    problems: list[Problem] = []
    keep: dict[object, str] = {}
    for i, (position, name) in enumerate(zip(cells.columns, header, strict=True)):
        letter = _column_letter(i)
        if not name:
            if frame[position].notna().any():
                problems.append(
                    Problem(
                        file,
                        1,
                        None,
                        f"column {letter} holds values but has no name",
                        "Give the column its name in row 1, or delete the column",
                    )
                )
        elif name in keep.values():
            problems.append(
                Problem(
                    file,
                    1,
                    name,
                    f"the column appears twice (again in column {letter})",
                    "Keep one column of each name",
                )
            )
        else:
            keep[position] = name
    frame = frame[[*keep, "_row"]].set_axis([*keep.values(), "_row"], axis=1)
    frame = frame.dropna(how="all", subset=list(keep.values())).reset_index(drop=True)
    # Each column's letter, for messages that name a workbook's cell (observations!C14).
    frame.attrs["letters"] = {
        name: _column_letter(list(cells.columns).index(position)) for position, name in keep.items()
    }
    return frame, problems


#: What reading gives: the tables that could be read, the raw settings (``None`` if they
#: could not be read) and, from a workbook, each setting's row; the problems found in
#: reading; and each table's name for messages.
_Read = tuple[
    dict[str, pd.DataFrame], dict[str, Any] | None, dict[str, int], list[Problem], dict[str, str]
]


def _read_folder(path: Path) -> _Read:
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    names = {t: f"{t}.csv" for t in TABLES}
    for table, name in names.items():
        file = path / name
        optional = table in OPTIONAL_TABLES
        if file.is_dir():
            problems.append(_folder_problem(name, path))
        elif file.exists():
            raw = file.read_bytes()
            if optional and not _decode(raw).strip():
                continue  # an empty optional file (e.g. commentary.csv): none given
            cells, more = _csv_cells(raw, name)
            frame, even_more = _table(cells, name)
            problems += more + even_more
            empty = _no_rows(frame, name, table)
            problems += empty
            if frame is not None and not empty:
                tables[table] = frame
        elif not optional:
            problems.append(
                Problem(name, None, None, "the file is missing", f"Add {name} to {path.name}/")
            )
    names["settings"] = "settings.yaml"
    settings_file = path / "settings.yaml"
    settings: dict[str, Any] | None = None
    if settings_file.exists():
        if settings_file.is_dir():
            problems.append(_folder_problem("settings.yaml", path))
        else:
            settings, more = read_settings_yaml(settings_file, _decode(settings_file.read_bytes()))
            problems += more
    else:
        problems.append(
            Problem(
                "settings.yaml",
                None,
                None,
                "the file is missing",
                f"Add settings.yaml to {path.name}/",
            )
        )
    return tables, settings, {}, problems, names


def _read_workbook(path: Path) -> _Read:
    from openpyxl import load_workbook

    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    names = {t: f"{path.name} [{t}]" for t in (*TABLES, "settings")}
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a file it cannot read
        return (
            {},
            None,
            {},
            [
                Problem(
                    path.name,
                    None,
                    None,
                    f"the file cannot be read as an Excel workbook ({err})",
                    "Save it from Excel as an .xlsx workbook, and close it in Excel first",
                )
            ],
            names,
        )
    try:
        sheets = {name.strip().lower(): book[name] for name in book.sheetnames}
        titles = {table: sheet.title for table, sheet in sheets.items()}
        records = {t: _sheet_records(sheets[t]) for t in (*TABLES, "settings") if t in sheets}
    finally:
        book.close()
    cells = {t: _from_records(r, names[t]) for t, r in records.items()}
    for table in TABLES:
        if table in records:
            frame, more = _table(cells[table][0], names[table])
            problems += cells[table][1] + more
            empty = _no_rows(frame, names[table], table)
            problems += empty
            if frame is not None and not empty:
                frame.attrs["sheet"] = titles[table]
                tables[table] = frame
        elif table not in OPTIONAL_TABLES:
            problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    f"the workbook has no {table!r} sheet",
                    f"Add a sheet named {table}",
                )
            )
    rows: dict[str, int] = {}
    if "settings" not in records:
        problems.append(
            Problem(
                path.name,
                None,
                None,
                "the workbook has no 'settings' sheet",
                "Add a sheet named settings with columns key and value",
            )
        )
        return tables, None, rows, problems, names
    raw, more = _table(cells["settings"][0], names["settings"])
    problems += cells["settings"][1] + more
    if raw is None:
        return tables, None, rows, problems, names
    if not {"key", "value"} <= set(raw.columns):
        problems.append(
            Problem(
                names["settings"],
                1,
                None,
                "the sheet needs columns 'key' and 'value'",
                "Put the setting names in 'key' and their values in 'value', one setting a row",
            )
        )
        return tables, None, rows, problems, names
    settings = {}
    for key, value, row in zip(raw["key"], raw["value"], raw["_row"], strict=True):
        if pd.notna(key):
            key = str(key).lower()
            if key in settings:
                problems.append(
                    Problem(
                        names["settings"],
                        int(row),
                        key,
                        f"the setting is given twice (first in row {rows[key]})",
                        "Keep one row for each setting",
                    )
                )
            settings[key] = _settings_value(key, value)
            rows[key] = int(row)
    return tables, settings, rows, problems, names


def _folder_problem(name: str, path: Path) -> Problem:
    return Problem(
        name, None, None, "this is a folder, not a file", f"Put the file {name} in {path.name}/"
    )


#: Tables that must have rows (a dataset of activity indicators only has no targets).
TABLES_WITH_ROWS: frozenset[str] = frozenset({"indicators", "observations"})


def _no_rows(frame: pd.DataFrame | None, name: str, table: str) -> list[Problem]:
    """Indicators or observations with column names but no data (only blank rows, as
    Excel leaves them): a problem with the whole file."""
    if frame is None or len(frame) or table not in TABLES_WITH_ROWS:
        return []
    return [
        Problem(
            name,
            None,
            None,
            "the table has column names but no rows of data",
            "Add the data below the column names (rows of empty cells do not count)",
        )
    ]


def read_tables(path: Path) -> _Read:
    """A folder's or workbook's tables as text; a workbook's tables know their sheet
    and their columns' letters (``attrs["sheet"]``, ``attrs["letters"]``)."""
    return _read_folder(path) if path.is_dir() else _read_workbook(path)


def cell_of(problem: Problem, tables: dict[str, pd.DataFrame], names: dict[str, str]) -> Problem:
    """The problem with the workbook cell it is in (``observations!C14``), when it names
    a row and a column of a table read from a workbook; otherwise as it is."""
    for table, frame in tables.items():
        sheet, letters = frame.attrs.get("sheet"), frame.attrs.get("letters", {})
        if names.get(table) == problem.file and sheet and problem.row and problem.column in letters:
            quoted = (
                sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
            )
            return dataclasses.replace(
                problem, cell=f"{quoted}!{letters[problem.column]}{problem.row}"
            )
    return problem


def _settings_value(key: str, value: object) -> object:
    """Settings from a sheet: lists are written one item per line or separated by ';'."""
    if pd.isna(value):
        return None
    text = str(value)
    if key == "service_areas":
        return [s.strip() for s in text.replace(";", "\n").splitlines() if s.strip()]
    return text
