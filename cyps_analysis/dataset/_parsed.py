"""What a dataset's text means, read once when it is loaded: each observation's month as
a month number, each target's and benchmark's year as its first month (by its
indicator's year type), and each target's bands as intervals.

The text stays as written beside these columns, so that an analyst looking at a table
in JupyterLab reads the months and years the files hold. Everything after loading (the
checks, the scorecard, the history) reads the parsed columns.
"""

from __future__ import annotations

import pandas as pd

from cyps_analysis.rules.bands import parse_bands
from cyps_analysis.rules.periods import month_numbers, year_starts
from cyps_analysis.vocab import BAND_NAMES

#: The parts of a parsed band, as columns ``<band>_<part>`` of the targets (``valid``:
#: False where the text is not band notation, which the checks report).
BAND_PARTS: tuple[str, ...] = ("lo", "lo_inclusive", "hi", "hi_inclusive", "valid")
#: The columns loading adds to each table.
PARSED_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": ("month_number",),
    "spc_baseline": ("month_number",),
    "targets": ("year_start", *(f"{b}_{part}" for b in BAND_NAMES for part in BAND_PARTS)),
    "benchmarks": ("year_start",),
}


def with_parsed_columns(table: str, frame: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (one of the dataset's tables) with its parsed columns added, as a new
    frame; unchanged if it has them already or the table has none. Where a text does
    not parse (a row the checks report), its month or year is ``<NA>`` and its bands
    are empty.

    Examples
    --------
    >>> ind = pd.DataFrame({"id": ["a"], "year_type": ["financial"]})
    >>> t = pd.DataFrame({"indicator": ["a"], "year": ["2024/25"], "red": ["<82%"],
    ...                   "amber": ["82%+"], "green": ["90%+"]})
    >>> out = with_parsed_columns("targets", t, ind)
    >>> print(out.loc[0, "year_start"], out.loc[0, "green_lo"], out.loc[0, "red_hi"])
    24291 90.0 82.0
    """
    wanted = PARSED_COLUMNS.get(table, ())
    if not wanted or set(wanted) <= set(frame.columns):
        return frame
    if table in ("observations", "spc_baseline"):
        return frame.assign(month_number=month_numbers(frame["month"]))
    year_type = frame["indicator"].map(_year_types(indicators))
    out = frame.assign(year_start=year_starts(frame["year"], year_type))
    if table == "targets":
        for band in BAND_NAMES:
            text = frame[band] if band in frame.columns else pd.Series(pd.NA, index=frame.index)
            parsed = parse_bands(text.astype("string"))
            for part in BAND_PARTS:
                out[f"{band}_{part}"] = parsed[part].to_numpy()
    return out


def without_parsed_columns(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with only the columns its file holds (for writing it out again)."""
    return frame.drop(columns=[c for c in PARSED_COLUMNS.get(table, ()) if c in frame.columns])


def _year_types(indicators: pd.DataFrame) -> pd.Series:
    """Each indicator id's year type (financial where the catalogue does not say)."""
    if "year_type" not in indicators.columns:
        return pd.Series("financial", index=pd.Index(indicators["id"]).drop_duplicates())
    found = indicators.drop_duplicates("id").set_index("id")["year_type"]
    return found.astype(object).where(found.notna(), "financial")
