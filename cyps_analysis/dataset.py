"""Reading a dataset: a folder of CSV files with ``settings.yaml``, or one workbook.

See ``docs/dataset.md`` for the format. :func:`load_dataset` reads and checks
everything and raises :class:`~cyps_analysis.exceptions.DatasetError` listing every
problem at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cyps_analysis.exceptions import DatasetError, Problem
from cyps_analysis.narrative_settings import NarrativeSettings, parse_narrative_settings

TABLES: tuple[str, ...] = (
    "indicators",
    "targets",
    "observations",
    "benchmarks",
    "commentary",
    "signoff",
)
OPTIONAL_TABLES: frozenset[str] = frozenset({"benchmarks", "commentary", "signoff"})
DEFAULT_BAND_LABELS: dict[str, str] = {"red": "Red", "amber": "Amber", "green": "Green"}


@dataclass(frozen=True)
class Settings:
    """An authority's settings (``settings.yaml``)."""

    authority: str
    as_at: dt.date
    la_code: str | None = None
    region: str | None = None
    service_areas: tuple[str, ...] = ()
    band_labels: tuple[tuple[str, str], ...] = tuple(DEFAULT_BAND_LABELS.items())
    small_denominator: int = 10
    narrative: NarrativeSettings = field(default_factory=NarrativeSettings)
    #: Published files to benchmark from (``benchmarking:`` in settings.yaml): pairs of
    #: (``lait`` / ``lait_dictionary`` / ``neighbours``, path relative to the dataset).
    benchmarking: tuple[tuple[str, str], ...] = ()

    def label(self, rag: str) -> str:
        """The authority's own word for a RAG rating (e.g. ``Yellow`` for Amber)."""
        return dict(self.band_labels).get(rag.lower(), rag)


@dataclass(frozen=True)
class Dataset:
    """A loaded, checked dataset. Tables carry ``_row``, each row's row number in its
    file, for messages. ``commentary`` and ``signoff`` (optional files) hold analysts'
    own narrative bullets and sign-offs (see docs/narrative.md)."""

    indicators: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    benchmarks: pd.DataFrame
    settings: Settings
    source: str = field(default="")
    commentary: pd.DataFrame = field(default_factory=lambda: _empty("commentary"))
    signoff: pd.DataFrame = field(default_factory=lambda: _empty("signoff"))


def _empty(table: str) -> pd.DataFrame:
    from cyps_analysis.schemas import empty_table

    return empty_table(table)


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
    frame = frame.dropna(how="all", subset=list(keep.values()))
    return frame.reset_index(drop=True), problems


class _SettingsLoader(yaml.SafeLoader):
    """YAML as usual, except that a date that does not exist (``2025-14-01``) stays text,
    so that it is reported as a problem rather than raised."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_SettingsLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _read_settings_yaml(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        data = yaml.load(_decode(path.read_bytes()), Loader=_SettingsLoader) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        return None, [
            Problem(
                path.name,
                None,
                None,
                f"the file is not valid YAML{where}",
                "Write one 'key: value' a line; check the indentation and colons",
            )
        ]
    if not isinstance(data, dict):
        return None, [
            Problem(
                path.name,
                None,
                None,
                "the file is not a list of settings",
                "Write one 'key: value' a line",
            )
        ]
    return data, []


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
        if file.exists():
            cells, more = _csv_cells(file.read_bytes(), name)
            frame, even_more = _table(cells, name)
            problems += more + even_more
            if frame is not None:
                tables[table] = frame
        elif table not in OPTIONAL_TABLES:
            problems.append(
                Problem(name, None, None, "the file is missing", f"Add {name} to {path.name}/")
            )
    names["settings"] = "settings.yaml"
    settings_file = path / "settings.yaml"
    settings: dict[str, Any] | None = None
    if settings_file.exists():
        settings, more = _read_settings_yaml(settings_file)
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
        records = {t: _sheet_records(sheets[t]) for t in (*TABLES, "settings") if t in sheets}
    finally:
        book.close()
    cells = {t: _from_records(r, names[t]) for t, r in records.items()}
    for table in TABLES:
        if table in records:
            frame, more = _table(cells[table][0], names[table])
            problems += cells[table][1] + more
            if frame is not None:
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
            settings[key] = _settings_value(key, value)
            rows[key] = int(row)
    return tables, settings, rows, problems, names


def _read_tables(path: Path) -> _Read:
    return _read_folder(path) if path.is_dir() else _read_workbook(path)


def _settings_value(key: str, value: object) -> object:
    """Settings from a sheet: lists are written one item per line or separated by ';'."""
    if pd.isna(value):
        return None
    text = str(value)
    if key == "service_areas":
        return [s.strip() for s in text.replace(";", "\n").splitlines() if s.strip()]
    return text


_SETTINGS: dict[str, str] = {
    "authority": "the authority's name, e.g. 'authority: Demo Borough'",
    "as_at": "the date the data was extracted, e.g. 'as_at: 2025-04-14'",
    "la_code": "the LA number or E-code, e.g. 'la_code: \"999\"'",
    "region": "e.g. 'region: London'",
    "service_areas": "the service areas in report order",
    "band_labels": "e.g. 'band_labels: {red: Red, amber: Yellow, green: Green}'",
    "small_denominator": "a whole number, e.g. 'small_denominator: 10'",
    "narrative": "how the narrative is written: see docs/narrative.md",
    "benchmarking": "the published files to benchmark from (see docs/benchmarking.md)",
}
REQUIRED_SETTINGS: tuple[str, ...] = ("authority", "as_at")


def _service_areas(raw: dict[str, Any]) -> tuple[str, ...]:
    areas = raw.get("service_areas") or []
    if isinstance(areas, str):
        areas = [areas]
    return tuple(str(a).strip() for a in areas)


def _parse_settings(
    raw: dict[str, Any], file: str, rows: dict[str, int] | None = None
) -> tuple[Settings | None, list[Problem]]:
    """Settings from their raw keys and values; ``rows`` gives each key's row in a
    settings sheet, for messages."""
    raw = dict(raw)
    rows = dict(rows or {})
    problems: list[Problem] = []

    def problem(key: str, message: str, fix: str) -> None:
        problems.append(Problem(file, rows.get(key), key, message, fix))

    for key in [k for k in raw if str(k).startswith("band_labels.")]:
        band = str(key).split(".", 1)[1]
        if isinstance(raw.get("band_labels", {}), dict):
            raw.setdefault("band_labels", {})[band] = raw.pop(key)
            rows.setdefault("band_labels", rows.get(key))
    # A workbook writes the narrative block as rows narrative.max_bullets,
    # narrative.in_line.percent ...
    for key in [k for k in raw if str(k).startswith("narrative.")]:
        *parents, leaf = str(key).split(".")[1:]
        block = raw.setdefault("narrative", {})
        for parent in parents:
            block = block.setdefault(parent, {}) if isinstance(block, dict) else block
        if isinstance(block, dict):
            block[leaf] = raw.pop(key)
    for key in [k for k in raw if str(k).startswith("benchmarking.")]:
        if isinstance(raw.get("benchmarking", {}), dict):
            raw.setdefault("benchmarking", {})[str(key).split(".", 1)[1]] = raw.pop(key)
            rows.setdefault("benchmarking", rows.get(key))
    for key in raw:
        if key not in _SETTINGS:
            problem(
                str(key),
                f"{str(key)!r} is not a setting",
                f"Remove it or correct its name; the settings are: {', '.join(_SETTINGS)}",
            )
    for key in REQUIRED_SETTINGS:
        if raw.get(key) is None or str(raw[key]).strip() == "":
            problem(key, f"the setting {key!r} is missing", f"Add {_SETTINGS[key]}")
    as_at = raw.get("as_at")
    if isinstance(as_at, dt.datetime):
        as_at = as_at.date()
    elif as_at is not None and not isinstance(as_at, dt.date) and str(as_at).strip():
        try:
            as_at = dt.date.fromisoformat(str(as_at).strip())
        except ValueError:
            problem(
                "as_at",
                f"{str(as_at)!r} is not a date",
                "Write the date as YYYY-MM-DD, e.g. 'as_at: 2025-04-14'",
            )
    areas = raw.get("service_areas")
    if areas is not None and not isinstance(areas, str | list):
        problem(
            "service_areas",
            "service_areas is not a list",
            "Write one service area a line, each after '- ', under 'service_areas:'",
        )
    labels = dict(DEFAULT_BAND_LABELS)
    given = raw.get("band_labels") or {}
    unknown = sorted(str(k) for k in given) if isinstance(given, dict) else []
    unknown = [k for k in unknown if k not in labels]
    if not isinstance(given, dict) or unknown:
        problem(
            "band_labels",
            f"{', '.join(map(repr, unknown))} {'is not a band' if len(unknown) == 1 else 'are not bands'}"
            if unknown
            else "band_labels is not a list of labels",
            "Give labels for red, amber and green, e.g. "
            "'band_labels: {red: Red, amber: Yellow, green: Green}'",
        )
    else:
        labels.update({k: str(v).strip() for k, v in given.items() if v is not None})
    small = raw.get("small_denominator")
    if small is None:
        small = 10
    else:
        number = pd.to_numeric(pd.Series([str(small)]), errors="coerce").iloc[0]
        if pd.isna(number) or number != int(number) or number < 0:
            problem(
                "small_denominator",
                f"{str(small)!r} is not a whole number",
                "Write a whole number, e.g. 'small_denominator: 10'",
            )
        else:
            small = int(number)
    narrative, more = parse_narrative_settings(raw.get("narrative"), file, rows)
    problems += more
    benchmarking = _benchmarking_setting(raw.get("benchmarking"), problem)
    if problems:
        return None, problems
    settings = Settings(
        authority=str(raw["authority"]).strip(),
        as_at=as_at,
        la_code=None if raw.get("la_code") is None else str(raw["la_code"]).strip(),
        region=None if raw.get("region") is None else str(raw["region"]).strip(),
        service_areas=_service_areas(raw),
        band_labels=tuple(labels.items()),
        small_denominator=small,
        narrative=narrative,
        benchmarking=benchmarking,
    )
    return settings, []


def _benchmarking_setting(given: object, problem) -> tuple[tuple[str, str], ...]:
    """``benchmarking:`` as (key, path) pairs; unknown keys are problems."""
    from cyps_analysis.dataset_benchmarks import BENCHMARKING_SETTINGS

    if given is None:
        return ()
    if not isinstance(given, dict):
        problem(
            "benchmarking",
            "benchmarking is not a list of files",
            "Write 'lait:', 'lait_dictionary:' and 'neighbours:' under 'benchmarking:', "
            "each with a file path",
        )
        return ()
    unknown = [str(k) for k in given if str(k) not in BENCHMARKING_SETTINGS]
    if unknown:
        problem(
            "benchmarking",
            f"{unknown[0]!r} is not a benchmarking file",
            f"Use {', '.join(BENCHMARKING_SETTINGS)}",
        )
    return tuple(
        (str(k), str(v).strip()) for k, v in given.items() if str(k) in BENCHMARKING_SETTINGS and v
    )


def load_dataset(path: str | Path) -> Dataset:
    """Read and check a dataset (a folder or an ``.xlsx`` workbook).

    Every check runs before anything is raised: the shape of each table, then what the
    values mean together, leaving out of the second only the rows (or tables) that
    failed the first.

    Raises
    ------
    DatasetError
        Listing every problem found, each with its file, row, column and fix.
    """
    from cyps_analysis.schemas import SCHEMAS, check_shape, empty_table
    from cyps_analysis.validate import check_meaning

    path = Path(path)
    if not path.exists():
        raise DatasetError(
            [
                Problem(
                    str(path.name),
                    None,
                    None,
                    "the folder or workbook does not exist",
                    "Give the folder or .xlsx workbook that holds the dataset",
                )
            ]
        )
    if path.is_file() and path.suffix.lower() != ".xlsx":
        raise DatasetError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    "this is not a dataset",
                    "Give a folder of CSV files with settings.yaml, or an .xlsx workbook",
                )
            ]
        )
    tables, raw_settings, setting_rows, problems, names = _read_tables(path)
    read = list(problems)
    settings = None
    if raw_settings is not None:  # else the settings file is missing or unreadable
        settings, more = _parse_settings(raw_settings, names["settings"], setting_rows)
        problems += more
    checked: dict[str, pd.DataFrame] = {}
    shape_failed: dict[str, set[int]] = {}
    for table, frame in tables.items():
        out, more = check_shape(table, frame, names[table])
        problems += more
        if any(col.required and c not in frame for c, col in SCHEMAS[table].items()):
            continue  # a required column is missing: no row of the table can be checked
        checked[table] = out
        shape_failed[table] = {p.row for p in problems if p.file == names[table] and p.row}
    for table in OPTIONAL_TABLES - set(tables):
        checked[table] = empty_table(table)
        shape_failed[table] = set()
    problems += check_meaning(
        checked,
        names,
        shape_failed=shape_failed,
        service_areas=settings.service_areas if settings else _service_areas(raw_settings or {}),
    )
    if problems:
        # A row that could not be read (too many values) is reported once, not once for
        # each value its extra comma moved into the wrong column.
        unreadable = {(p.file, p.row) for p in read if p.row and p.row > 1}
        problems = [p for p in problems if p in read or (p.file, p.row) not in unreadable]
        raise DatasetError(_in_file_order(problems, names))
    return Dataset(settings=settings, source=str(path), **checked)


def _in_file_order(problems: list[Problem], names: dict[str, str]) -> list[Problem]:
    """Problems file by file (settings first, then the tables in the order of the docs),
    row by row; problems on one row keep the order they were found in."""
    rank = {name: i for i, name in enumerate([names["settings"], *(names[t] for t in TABLES)])}
    return sorted(problems, key=lambda p: (rank.get(p.file, -1), p.row or 0))
