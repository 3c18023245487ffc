"""Reading the DfE's children's services statistical neighbour model.

Each authority has ten statistical neighbours (SN1..SN10, closest first). The model is
published as a workbook (sheet ``LA SN Groups``, header on the third row: ``LA num``,
``LA Name``, ..., ``SN1``, ``SNP``, ...) and as CSV (April 2021: the same columns;
May 2025: ``old_la_code``, ``la_name``, ``SN_1``, ``SN_1P``, ...). Authorities are named
by old LA number. The April 2021 release predates the 2023 Cumbria reorganisation:
Cumberland and Westmorland & Furness have no neighbours in it, and eight authorities
list Cumbria (909), which has no figures after 2022.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import CypsError

NEIGHBOURS = 10
_CODE_COLUMNS = ("la num", "old_la_code", "la number", "la_code")
_SN = re.compile(r"^SN_?(\d+)$", re.IGNORECASE)


def read_neighbours(path: str | Path) -> pd.DataFrame:
    """The neighbour model as a long table: ``la_code``, ``position`` (1 = closest)
    and ``neighbour`` (old LA numbers, as text); authorities without neighbours have
    no rows.

    Raises
    ------
    CypsError
        When the file cannot be read or has no LA number or SN columns.
    """
    path = Path(path)
    raw = _read(path)
    names = [str(c).strip() for c in raw.columns]
    code_column = next((c for c in names if c.lower() in _CODE_COLUMNS), None)
    sn_columns = {c: int(m.group(1)) for c in names if (m := _SN.match(c))}
    if code_column is None or not sn_columns:
        raise CypsError(
            f"{path.name}: no LA number column ('LA num' or 'old_la_code') or no "
            "neighbour columns (SN1..SN10). Give the DfE statistical neighbour model "
            "(the .xlsx as published, or its CSV)."
        )
    raw.columns = names
    codes = _code_text(raw[code_column])
    raw = raw[codes.notna()]
    codes = codes[codes.notna()]
    long = pd.DataFrame(
        {
            "la_code": np.repeat(codes.to_numpy(dtype=object), len(sn_columns)),
            "position": np.tile(np.array(list(sn_columns.values())), len(raw)),
            "neighbour": _code_text(
                pd.Series(raw[list(sn_columns)].to_numpy().reshape(-1))
            ).to_numpy(dtype=object),
        }
    )
    long = long[long["neighbour"].notna()]
    if long.duplicated(["la_code", "position"]).any():
        raise CypsError(
            f"{path.name}: an authority appears twice. Give the model as published, "
            "one row per authority."
        )
    return long.sort_values(["la_code", "position"]).reset_index(drop=True)


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise CypsError(
            f"{path.name}: the file does not exist. Give the statistical neighbour model "
            "(e.g. sn_may_2025.xlsx)."
        )
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            head = pd.read_excel(path, header=None, nrows=10, dtype=object)
            header = _header_row(head)
            return pd.read_excel(path, header=header, dtype=object)
        head = pd.read_csv(path, header=None, nrows=10, dtype=str, encoding="utf-8-sig")
        return pd.read_csv(path, header=_header_row(head), dtype=str, encoding="utf-8-sig")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, pd.errors.ParserError) as err:
        raise CypsError(
            f"{path.name}: the file cannot be read ({str(err).splitlines()[0][:100]}). "
            "Give the statistical neighbour model as an .xlsx workbook or CSV."
        ) from None


def _header_row(head: pd.DataFrame) -> int:
    """The row that names the columns (the workbook has two rows of letters and
    numbers above it)."""
    for i, row in head.iterrows():
        cells = {str(c).strip().lower() for c in row if pd.notna(c)}
        if cells & set(_CODE_COLUMNS):
            return int(i)
    return 0


def _code_text(column: pd.Series) -> pd.Series:
    """LA numbers as text (``372``), whether read as 372, 372.0 or ' 372 '."""
    number = pd.to_numeric(column.astype("string").str.strip(), errors="coerce")
    number = number.where(number == number.round())
    return number.astype("Int64").astype("string").astype(object).where(number.notna(), None)
