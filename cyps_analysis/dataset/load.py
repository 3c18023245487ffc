"""Reading a dataset: a folder of CSV files with ``settings.yaml``, or one workbook.

See ``docs/dataset.md`` for the format. :func:`load_dataset` reads and checks
everything and raises :class:`~cyps_analysis.exceptions.DatasetError` listing every
problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cyps_analysis.dataset._files import OPTIONAL_TABLES, TABLES, cell_of, read_tables
from cyps_analysis.dataset._parsed import PARSED_COLUMNS, with_parsed_columns
from cyps_analysis.dataset.settings import (
    DEFAULT_BAND_LABELS,
    Settings,
    parse_settings,
    service_area_order,
)
from cyps_analysis.exceptions import DatasetError, Problem

__all__ = [
    "DEFAULT_BAND_LABELS",
    "OPTIONAL_TABLES",
    "TABLES",
    "Dataset",
    "Settings",
    "load_dataset",
]


@dataclass(frozen=True)
class Dataset:
    """A loaded, checked dataset. Tables carry ``_row``, each row's row number in its
    file, for messages, and the columns that loading reads from their text
    (``month_number`` of observations, ``year_start`` of targets and benchmarks, the
    targets' bands as intervals: see docs/dataset.md). ``commentary`` and ``signoff``
    (optional files) hold analysts' own narrative bullets and sign-offs (see
    docs/narrative.md); ``spc_baseline`` (optional) the months from which an
    indicator's SPC limits start again (docs/dataset.md)."""

    indicators: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    benchmarks: pd.DataFrame
    settings: Settings
    source: str = field(default="")
    commentary: pd.DataFrame = field(default_factory=lambda: _empty("commentary"))
    signoff: pd.DataFrame = field(default_factory=lambda: _empty("signoff"))
    spc_baseline: pd.DataFrame = field(default_factory=lambda: _empty("spc_baseline"))

    def __post_init__(self) -> None:
        # What the text means is read here, once (months, years, bands): see
        # cyps_analysis.dataset._parsed. A frozen dataclass sets its own fields this way.
        for table in PARSED_COLUMNS:
            frame = with_parsed_columns(table, getattr(self, table), self.indicators)
            object.__setattr__(self, table, frame)


def _empty(table: str) -> pd.DataFrame:
    from cyps_analysis.dataset._schemas import empty_table

    return empty_table(table)


def load_dataset(path: str | Path) -> Dataset:
    """Read and check a dataset (a folder or an ``.xlsx`` workbook).

    Every check runs before anything is raised: the shape of each table, then what the
    values mean together, leaving out of the second only the rows (or tables) that
    failed the first. What the text means (months, years, bands) is read once, here,
    into columns beside it (see docs/dataset.md).

    Parameters
    ----------
    path
        A folder of CSV files with ``settings.yaml``, or one workbook
        (docs/dataset.md).

    Returns
    -------
    Dataset
        The checked tables and settings.

    Raises
    ------
    DatasetError
        Listing every problem found, each with its file, row, column and fix.

    Examples
    --------
    >>> from pathlib import Path
    >>> import cyps_analysis
    >>> demo = load_dataset(Path(cyps_analysis.__file__).parents[1] / "data" / "demo")
    >>> demo.settings.authority, len(demo.indicators)
    ('Demo Borough', 39)
    >>> first = demo.observations.iloc[0]
    >>> print(first["indicator"], first["month"], first["month_number"])
    csc_assess45 2021-04 24255
    """
    from cyps_analysis.dataset._schemas import SCHEMAS, check_shape, empty_table
    from cyps_analysis.dataset.validate import check_meaning

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
    tables, raw_settings, setting_rows, problems, names = read_tables(path)
    read = list(problems)
    settings = None
    if raw_settings is not None:  # else the settings file is missing or unreadable
        settings, more = parse_settings(raw_settings, names["settings"], setting_rows)
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
    # What the text means (months, years, bands) is read once, here; the checks and
    # everything after them read it.
    catalogue = checked.get("indicators", empty_table("indicators"))
    checked = {t: with_parsed_columns(t, frame, catalogue) for t, frame in checked.items()}
    problems += check_meaning(
        checked,
        names,
        shape_failed=shape_failed,
        service_areas=settings.service_areas
        if settings
        else service_area_order(raw_settings or {}),
        as_at=settings.as_at if settings else None,
    )
    if problems:
        # A row that could not be read (too many values) is reported once, not once for
        # each value its extra comma moved into the wrong column.
        unreadable = {(p.file, p.row) for p in read if p.row and p.row > 1}
        problems = [p for p in problems if p in read or (p.file, p.row) not in unreadable]
        problems = [cell_of(p, tables, names) for p in problems]
        raise DatasetError(_in_file_order(problems, names))
    return Dataset(settings=settings, source=str(path), **checked)


def _in_file_order(problems: list[Problem], names: dict[str, str]) -> list[Problem]:
    """Problems file by file (settings first, then the tables in the order of the docs),
    row by row; problems on one row keep the order they were found in."""
    rank = {name: i for i, name in enumerate([names["settings"], *(names[t] for t in TABLES)])}
    return sorted(problems, key=lambda p: (rank.get(p.file, -1), p.row or 0))
