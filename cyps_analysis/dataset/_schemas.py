"""The shape of each table in a dataset, declared column by column, and plain-English
reports of what fails it.

Shape only (columns, types, allowed values, ranges); what the values mean together is
checked in :mod:`cyps_analysis.dataset.validate`. The checks are a small declarative table
rather than a validation library so that loading stays quick enough for the scorecard
command (see docs/method.md and benchmarks/scorecard.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import Problem
from cyps_analysis.vocab import (
    AGGREGATIONS,
    BENCHMARKS,
    FREQUENCIES,
    KINDS,
    POLARITIES,
    UNITS,
    YEAR_TYPES,
)
from cyps_analysis.vocab import COMMENTARY_MODES as MODES
from cyps_analysis.vocab import COMMENTARY_SECTIONS as SECTIONS


@dataclass(frozen=True)
class Column:
    """One column of a table: its type, whether it must be present and filled in, and
    the values it may take. ``default`` fills blanks (and the column if absent)."""

    dtype: str = "text"  # text, number or whole
    required: bool = True
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    default: str | None = None


_NUMBER = Column("number", nullable=True)
#: Every number in a dataset is smaller than this in size.
LARGEST = 1e12
SCHEMAS: dict[str, dict[str, Column]] = {
    "indicators": {
        "id": Column(pattern=r"^[A-Za-z0-9_\-]+$"),
        "title": Column(),
        "service_area": Column(),
        "kind": Column(allowed=KINDS),
        "polarity": Column(allowed=POLARITIES),
        "unit": Column(allowed=UNITS),
        "decimals": Column("whole", minimum=0, maximum=4),
        "aggregation": Column(allowed=AGGREGATIONS),
        "frequency": Column(required=False, allowed=FREQUENCIES, default="monthly"),
        "year_type": Column(required=False, allowed=YEAR_TYPES, default="financial"),
        "national_code": Column(required=False, nullable=True),
        "definition": Column(required=False, nullable=True),
        "source": Column(required=False, nullable=True),
    },
    "targets": {
        "indicator": Column(),
        "year": Column(),
        "red": Column(nullable=True),
        "amber": Column(nullable=True),
        "green": Column(nullable=True),
        "national_standard": Column(required=False, nullable=True),
    },
    "observations": {
        "indicator": Column(),
        "month": Column(),
        "value": _NUMBER,
        "numerator": Column("number", nullable=True, minimum=0),
        "denominator": Column("number", nullable=True, minimum=0),
    },
    "benchmarks": {
        "indicator": Column(),
        "year": Column(),
        **{name: _NUMBER for name in BENCHMARKS},
    },
    # Analysts' own narrative bullets and sign-offs (docs/narrative.md).
    "commentary": {
        "indicator": Column(nullable=True),  # blank only for a summary line
        "period": Column(),
        "section": Column(allowed=SECTIONS),
        "text": Column(),
        "mode": Column(allowed=MODES),
    },
    "signoff": {
        "period": Column(),
        "service_area": Column(),
        "signed_off_by": Column(),
        "date": Column(),
    },
    # Months from which an indicator's SPC limits start again (docs/dataset.md).
    "spc_baseline": {
        "indicator": Column(),
        "month": Column(),
        "reason": Column(),
    },
}


def empty_table(table: str) -> pd.DataFrame:
    """A table with its columns and no rows (for optional files left out)."""
    spec = SCHEMAS[table]
    columns = {
        name: pd.Series(dtype="float64" if col.dtype == "number" else "string")
        for name, col in spec.items()
    }
    return pd.DataFrame({**columns, "_row": pd.Series(dtype="int64")})


def check_shape(table: str, frame: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check one table's shape; returns the typed table and every problem found.

    ``frame`` holds text as read (blanks as NA), with a ``_row`` column of Excel row
    numbers. Each cell gets at most one problem: the first check it fails.
    """
    spec = SCHEMAS[table]
    names = ", ".join(spec)
    problems = [
        Problem(
            file,
            None,
            c,
            "there is no such column" + _did_you_mean(c, [s for s in spec if s not in frame]),
            f"Remove it or correct its name; the columns are: {names}",
        )
        for c in frame.columns
        if c != "_row" and c not in spec
    ]
    problems += [
        Problem(file, None, c, "this required column is missing", f"Add a {c!r} column")
        for c, col in spec.items()
        if col.required and c not in frame.columns
    ]
    rows = frame["_row"].to_numpy()
    out = pd.DataFrame({"_row": frame["_row"]}, index=frame.index)
    for name, col in spec.items():
        text = frame[name] if name in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        if col.default is not None:
            text = text.fillna(col.default)
        # A missing required column is one problem, reported above, not one per row.
        values, failures = _check_column(text, col)
        if col.required and name not in frame:
            failures = []
        out[name] = values
        for message, fix, mask in failures:
            problems += [
                Problem(file, int(r), name, m, fix)
                for r, m in zip(rows[mask], message[mask], strict=True)
            ]
    out = out[[*spec, "_row"]]
    return out, sorted(
        problems, key=lambda p: (p.row or 0, list(spec).index(p.column) if p.column in spec else -1)
    )


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_column(text: pd.Series, col: Column):
    """The column's typed values and its failures as (messages, fix, mask) triples."""
    blank = text.isna().to_numpy()
    failed = np.zeros(len(text), dtype=bool)
    failures = []
    quoted = ("'" + text.fillna("").astype(str) + "'").to_numpy(dtype=object)

    def fail(mask, message, fix):
        mask = mask & ~failed
        if mask.any():
            failures.append((np.asarray(message, dtype=object), fix, mask))
        failed[:] |= mask

    if not col.nullable:
        fail(blank, np.full(len(text), "a value is required here", dtype=object), "Fill it in")
    if col.dtype in ("number", "whole"):
        values = pd.to_numeric(text, errors="coerce").astype("float64")
        number = values.to_numpy()
        bad = ~blank & np.isnan(number)
        fail(
            np.isinf(number),
            quoted + " is not a finite number",
            "Write a plain number, e.g. 87.5 (no inf or nan)",
        )
        # No figure the kit reads comes near 10^12 (counts, days, numerators): sums of
        # such figures could overflow, and a JSON file cannot hold an infinity.
        fail(
            np.abs(np.nan_to_num(number)) >= LARGEST,
            quoted + " is too large",
            "Figures must be below 1,000,000,000,000 (10^12): check the value",
        )
        if col.dtype == "whole":
            bad |= ~np.isnan(number) & (number != np.round(number))
            fail(bad, quoted + " is not a whole number", "Write a whole number, e.g. 1")
        else:
            fail(bad, quoted + " is not a number", "Write a plain number, e.g. 87.5 (no % or text)")
        shown = np.array([f"{v:g}" for v in number], dtype=object) if len(number) else number
        if col.minimum is not None:
            fail(
                number < col.minimum,
                shown + f" is below {col.minimum:g}",
                f"Use a value of at least {col.minimum:g}",
            )
        if col.maximum is not None:
            fail(
                number > col.maximum,
                shown + f" is above {col.maximum:g}",
                f"Use a value of at most {col.maximum:g}",
            )
        if col.dtype == "whole":
            values = values.where(values == np.round(values)).astype("Int64")
        return values, failures
    if col.allowed is not None:
        fail(
            ~blank & ~text.isin(col.allowed).to_numpy(),
            quoted + " is not allowed",
            f"Use one of: {', '.join(col.allowed)}",
        )
    if col.pattern is not None:
        ok = text.str.fullmatch(col.pattern).fillna(True).to_numpy(dtype=bool)
        fail(
            ~ok,
            quoted + " is not a valid identifier",
            "Use only letters, digits, _ and - (no spaces)",
        )
    return text.astype("string"), failures
