"""Reading a dataset: a folder of CSV files with ``settings.yaml``, or one workbook.

See ``docs/dataset.md`` for the format. :func:`load_dataset` reads and checks
everything and raises :class:`~cyps_analysis.exceptions.DatasetError` listing every
problem at once.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cyps_analysis.exceptions import DatasetError, Problem

TABLES: tuple[str, ...] = ("indicators", "targets", "observations", "benchmarks")
OPTIONAL_TABLES: frozenset[str] = frozenset({"benchmarks"})
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

    def label(self, rag: str) -> str:
        """The authority's own word for a RAG rating (e.g. ``Yellow`` for Amber)."""
        return dict(self.band_labels).get(rag.lower(), rag)


@dataclass(frozen=True)
class Dataset:
    """A loaded, checked dataset. Tables carry ``_row``, each row's row number in its
    file, for messages."""

    indicators: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    benchmarks: pd.DataFrame
    settings: Settings
    source: str = field(default="")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _read_csv_text(text: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    return frame


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalise column names and blanks; number rows as Excel does; drop blank rows."""
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    frame = frame.loc[:, [c for c in frame.columns if c and not c.startswith("unnamed:")]]
    frame = frame.astype("string").apply(lambda col: col.str.strip()).replace("", pd.NA)
    frame["_row"] = range(2, len(frame) + 2)
    return frame.dropna(how="all", subset=[c for c in frame.columns if c != "_row"])


def _read_settings_yaml(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    try:
        data = yaml.safe_load(_decode(path.read_bytes())) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark else None
        return {}, [
            Problem(path.name, row, None, "is not valid YAML", "Check the indentation and colons")
        ]
    if not isinstance(data, dict):
        return {}, [
            Problem(
                path.name, None, None, "is not a list of settings", "Write one 'key: value' a line"
            )
        ]
    return data, []


def _read_tables(
    path: Path,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any], list[Problem], dict[str, str]]:
    """The raw tables, the settings, problems in reading them, and each table's file name."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    if path.is_dir():
        names = {t: f"{t}.csv" for t in TABLES}
        for table, name in names.items():
            file = path / name
            if file.exists():
                tables[table] = _tidy(_read_csv_text(_decode(file.read_bytes())))
            elif table not in OPTIONAL_TABLES:
                problems.append(
                    Problem(name, None, None, "is missing", f"Add {name} to {path.name}/")
                )
        settings_file = path / "settings.yaml"
        if settings_file.exists():
            settings, more = _read_settings_yaml(settings_file)
            problems += more
        else:
            settings = {}
            problems.append(
                Problem(
                    "settings.yaml", None, None, "is missing", f"Add settings.yaml to {path.name}/"
                )
            )
        return tables, settings, problems, names
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, header=0)
    sheets = {str(k).strip().lower(): v for k, v in sheets.items()}
    names = {t: f"{path.name} [{t}]" for t in (*TABLES, "settings")}
    for table in TABLES:
        if table in sheets:
            tables[table] = _tidy(sheets[table].fillna(""))
        elif table not in OPTIONAL_TABLES:
            problems.append(
                Problem(
                    path.name, None, None, f"has no {table!r} sheet", f"Add a sheet named {table}"
                )
            )
    settings = {}
    if "settings" in sheets:
        raw = _tidy(sheets["settings"].fillna(""))
        if {"key", "value"} <= set(raw.columns):
            for key, value in zip(raw["key"], raw["value"], strict=True):
                if pd.notna(key):
                    settings[str(key)] = _settings_value(str(key), value)
        else:
            problems.append(
                Problem(
                    names["settings"],
                    1,
                    None,
                    "needs columns 'key' and 'value'",
                    "Put the setting names in 'key' and their values in 'value'",
                )
            )
    else:
        problems.append(
            Problem(
                path.name,
                None,
                None,
                "has no 'settings' sheet",
                "Add a sheet named settings with columns key and value",
            )
        )
    return tables, settings, problems, names


def _settings_value(key: str, value: object) -> object:
    """Settings from a sheet: lists are written one item per line or separated by ';'."""
    if pd.isna(value):
        return None
    text = str(value)
    if key == "service_areas":
        return [s.strip() for s in text.replace(";", "\n").splitlines() if s.strip()]
    if key.startswith("band_labels."):
        return text
    return text


def _parse_settings(raw: dict[str, Any], file: str) -> tuple[Settings | None, list[Problem]]:
    problems = []
    for key in [k for k in list(raw) if str(k).startswith("band_labels.")]:
        raw.setdefault("band_labels", {})[str(key).split(".", 1)[1]] = raw.pop(key)
    known = {
        "authority",
        "as_at",
        "la_code",
        "region",
        "service_areas",
        "band_labels",
        "small_denominator",
    }
    for key in raw:
        if key not in known:
            problems.append(
                Problem(
                    file,
                    None,
                    str(key),
                    "is not a setting",
                    f"Remove it; the settings are: {', '.join(sorted(known))}",
                )
            )
    for key in ("authority", "as_at"):
        if not raw.get(key):
            problems.append(
                Problem(
                    file,
                    None,
                    key,
                    "is missing",
                    f"Add '{key}:'"
                    + (
                        " with the date the data was extracted, e.g. 2025-04-14"
                        if key == "as_at"
                        else " with the authority's name"
                    ),
                )
            )
    as_at = raw.get("as_at")
    if as_at and not isinstance(as_at, dt.date):
        try:
            as_at = dt.date.fromisoformat(str(as_at).strip()[:10])
        except ValueError:
            problems.append(
                Problem(
                    file,
                    None,
                    "as_at",
                    f"{as_at!r} is not a date",
                    "Write it as YYYY-MM-DD, e.g. 2025-04-14",
                )
            )
    if isinstance(as_at, dt.datetime):
        as_at = as_at.date()
    areas = raw.get("service_areas") or []
    if isinstance(areas, str):
        areas = [areas]
    labels = dict(DEFAULT_BAND_LABELS)
    given = raw.get("band_labels") or {}
    if not isinstance(given, dict) or set(given) - set(labels):
        problems.append(
            Problem(
                file,
                None,
                "band_labels",
                "must give labels for red, amber and green",
                "Write e.g. 'band_labels: {red: Red, amber: Yellow, green: Green}'",
            )
        )
    else:
        labels.update({k: str(v) for k, v in given.items()})
    small = raw.get("small_denominator", 10)
    try:
        small = int(small)
    except (TypeError, ValueError):
        problems.append(
            Problem(
                file,
                None,
                "small_denominator",
                f"{small!r} is not a whole number",
                "Write a whole number, e.g. 10",
            )
        )
    if problems:
        return None, problems
    settings = Settings(
        authority=str(raw["authority"]),
        as_at=as_at,
        la_code=None if raw.get("la_code") is None else str(raw["la_code"]),
        region=raw.get("region"),
        service_areas=tuple(str(a) for a in areas),
        band_labels=tuple(labels.items()),
        small_denominator=small,
    )
    return settings, []


def load_dataset(path: str | Path) -> Dataset:
    """Read and check a dataset (a folder or an ``.xlsx`` workbook).

    Raises
    ------
    DatasetError
        Listing every problem found, each with its file, row, column and fix.
    """
    from cyps_analysis.schemas import check_shape, empty_table
    from cyps_analysis.validate import check_meaning

    path = Path(path)
    if not path.exists():
        raise DatasetError(
            [
                Problem(
                    str(path.name),
                    None,
                    None,
                    "does not exist",
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
                    "is not a dataset",
                    "Give a folder of CSV files with settings.yaml, or an .xlsx workbook",
                )
            ]
        )
    tables, raw_settings, problems, names = _read_tables(path)
    settings_file = names.get("settings", "settings.yaml")
    settings, more = _parse_settings(dict(raw_settings), settings_file)
    problems += more
    checked: dict[str, pd.DataFrame] = {}
    for table, frame in tables.items():
        out, more = check_shape(table, frame, names[table])
        checked[table] = out
        problems += more
    if problems:
        raise DatasetError(problems)
    if "benchmarks" not in checked:
        checked["benchmarks"] = empty_table("benchmarks")
    dataset = Dataset(settings=settings, source=str(path), **checked)
    problems = check_meaning(dataset, names)
    if problems:
        raise DatasetError(problems)
    return dataset
