"""The shape of each table in a dataset, as pandera models, and plain-English reports of
what fails them.

Shape only (columns, types, allowed values, ranges); what the values mean together is
checked in :mod:`cyps_analysis.validate`.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from cyps_analysis.exceptions import Problem

KINDS = ["benchmarking", "activity"]
POLARITIES = ["high", "low", "none"]
UNITS = ["percent", "rate_per_10k", "days", "count", "score"]
AGGREGATIONS = ["ratio", "snapshot", "sum", "mean", "rolling12", "annual"]
FREQUENCIES = ["monthly", "quarterly", "annual"]
YEAR_TYPES = ["financial", "academic", "calendar"]


class _Config:
    strict = True
    coerce = True


class IndicatorsSchema(pa.DataFrameModel):
    """``indicators.csv``: one row per indicator."""

    id: Series[str] = pa.Field(str_matches=r"^[A-Za-z0-9_\-]+$")
    title: Series[str]
    service_area: Series[str]
    kind: Series[str] = pa.Field(isin=KINDS)
    polarity: Series[str] = pa.Field(isin=POLARITIES)
    unit: Series[str] = pa.Field(isin=UNITS)
    decimals: Series[int] = pa.Field(ge=0, le=4)
    aggregation: Series[str] = pa.Field(isin=AGGREGATIONS)
    frequency: Series[str] = pa.Field(isin=FREQUENCIES)
    year_type: Series[str] = pa.Field(isin=YEAR_TYPES)
    national_code: Series[str] | None = pa.Field(nullable=True)
    definition: Series[str] | None = pa.Field(nullable=True)
    source: Series[str] | None = pa.Field(nullable=True)

    Config = _Config


class TargetsSchema(pa.DataFrameModel):
    """``targets.csv``: one row per indicator and year, bands as written."""

    indicator: Series[str]
    year: Series[str]
    red: Series[str] = pa.Field(nullable=True)
    amber: Series[str] = pa.Field(nullable=True)
    green: Series[str] = pa.Field(nullable=True)
    national_standard: Series[str] | None = pa.Field(nullable=True)

    Config = _Config


class ObservationsSchema(pa.DataFrameModel):
    """``observations.csv``: one row per indicator and month."""

    indicator: Series[str]
    month: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    numerator: Series[float] = pa.Field(nullable=True, ge=0)
    denominator: Series[float] = pa.Field(nullable=True, ge=0)

    Config = _Config


class BenchmarksSchema(pa.DataFrameModel):
    """``benchmarks.csv``: typed-in benchmarks, one row per indicator and year."""

    indicator: Series[str]
    year: Series[str]
    stat_neighbour_avg: Series[float] = pa.Field(nullable=True)
    best_stat_neighbour: Series[float] = pa.Field(nullable=True)
    national_avg: Series[float] = pa.Field(nullable=True)
    top_quartile: Series[float] = pa.Field(nullable=True)
    regional_avg: Series[float] = pa.Field(nullable=True)

    Config = _Config


SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "indicators": IndicatorsSchema,
    "targets": TargetsSchema,
    "observations": ObservationsSchema,
    "benchmarks": BenchmarksSchema,
}
#: Optional columns and the value a blank takes.
DEFAULTS: dict[str, dict[str, str]] = {
    "indicators": {"frequency": "monthly", "year_type": "financial"},
}


def _describe(check: str, case: object, columns: list[str]) -> tuple[str, str]:
    """What a pandera check failure means, and how to fix it."""
    if check == "column_in_schema":
        return (
            f"unexpected column {case!r}",
            f"Remove it or correct its name; the columns are: {', '.join(columns)}",
        )
    if check == "column_in_dataframe":
        return f"required column {case!r} is missing", f"Add a {case!r} column"
    if check == "not_nullable":
        return "a value is required here", "Fill it in"
    if check.startswith("coerce_dtype('int"):
        return f"{case!r} is not a whole number", "Write a whole number, e.g. 1"
    if check.startswith("coerce_dtype('float"):
        return f"{case!r} is not a number", "Write a plain number, e.g. 87.5 (no % or text)"
    if check.startswith("isin("):
        allowed = re.findall(r"'([^']*)'", check)
        return f"{case!r} is not allowed", f"Use one of: {', '.join(allowed)}"
    if check.startswith("greater_than_or_equal_to("):
        return f"{case} is below {check[25:-1]}", f"Use a value of at least {check[25:-1]}"
    if check.startswith("less_than_or_equal_to("):
        return f"{case} is above {check[22:-1]}", f"Use a value of at most {check[22:-1]}"
    if check.startswith("str_matches("):
        return (
            f"{case!r} is not a valid identifier",
            "Use only letters, digits, _ and - (no spaces)",
        )
    return f"{case!r} fails the check {check}", "Correct the value"


def check_shape(table: str, frame: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate one table's shape; returns the coerced table and every problem found.

    ``frame`` holds text as read, with a ``_row`` column of Excel row numbers.
    """
    model = SCHEMAS[table]
    body = frame.drop(columns="_row")
    for column, default in DEFAULTS.get(table, {}).items():
        body[column] = body[column].fillna(default) if column in body else default
    try:
        out = model.validate(body, lazy=True)
    except pa.errors.SchemaErrors as err:
        return body, _problems(err.failure_cases, frame["_row"], file, table)
    out["_row"] = frame["_row"]
    return out, []


def _problems(cases: pd.DataFrame, rows: pd.Series, file: str, table: str) -> list[Problem]:
    columns = list(SCHEMAS[table].to_schema().columns)
    cases = cases[~cases["failure_case"].astype(str).str.startswith("TypeError")]
    cases = cases[~cases["check"].astype(str).str.startswith("dtype(")]
    # One problem per cell: a value that fails to convert fails later checks too.
    cases = cases.drop_duplicates(subset=["column", "index"], keep="first")
    problems = []
    for case in cases.itertuples(index=False):
        message, fix = _describe(str(case.check), case.failure_case, columns)
        index = case.index
        row = None if index is None or pd.isna(index) else int(rows.loc[index])
        column = None if case.schema_context == "DataFrameSchema" else str(case.column)
        problems.append(Problem(file, row, column, message, fix))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
