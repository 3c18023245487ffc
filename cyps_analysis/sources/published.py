"""Published figures in one shape, whichever DfE file they came from.

The readers (:mod:`cyps_analysis.sources.lait`, :mod:`cyps_analysis.sources.ees`) return a
:class:`PublishedData`: a long table of values (one row per measure, year and area) and
a table of the measures' attributes. :mod:`cyps_analysis.benchmarking.compare` compares from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import CypsError

#: Columns of :attr:`PublishedData.values`.
VALUE_COLUMNS: tuple[str, ...] = (
    "measure",
    "year",
    "year_end",
    "year_label",
    "level",
    "la_code",
    "la_name",
    "region",
    "value",
)
#: Columns of :attr:`PublishedData.measures`.
MEASURE_COLUMNS: tuple[str, ...] = ("measure", "polarity", "decimals", "year_type", "no_quartile")
#: Year types whose years are written ``2023/24`` in reports.
SPLIT_YEARS = frozenset({"financial", "academic", "reporting"})


@dataclass(frozen=True)
class PublishedData:
    """Figures read from a published file.

    Attributes
    ----------
    values
        One row per measure, year and area: ``measure``, ``year`` (as the file writes
        it), ``year_end`` (the calendar year the period ends in, for ordering),
        ``year_label`` (as reports write it: ``2023/24``), ``level`` (``national``,
        ``regional`` or ``la``), ``la_code`` (the old LA number, as text), ``la_name``,
        ``region`` (for an authority, its region; for a region, itself), ``value``
        (missing where the file has none or a suppression code).
    measures
        One row per measure: ``polarity`` (``high``, ``low`` or ``none``),
        ``decimals`` (missing if not given), ``year_type``, ``no_quartile``.
    source
        What the figures are, for the scorecard's ``_source`` columns (file name only).
    suppressed
        Per measure, how many values carried a suppression code and were read as missing.
    """

    values: pd.DataFrame
    measures: pd.DataFrame
    source: str
    suppressed: dict[str, int] = field(default_factory=dict)


def year_ends(years: pd.Series) -> np.ndarray:
    """The calendar year each year as written ends in: ``2024`` -> 2024,
    ``2023-24``, ``2023/24``, ``202324`` -> 2024, ``2014-16`` -> 2016; a note after the
    year (``2018 (Rev)``, ``2016-17 (OT)``) is ignored; -1 where no year is found.

    Examples
    --------
    >>> year_ends(pd.Series(["2024", "2023/24", "202324", "2014-16", "2018 (Rev)", "x"])).tolist()
    [2024, 2024, 2024, 2016, 2018, -1]
    """
    parts = years.astype("string").str.extract(r"^\s*(\d{4})(?:\s*[-/]?\s*(\d{2}|\d{4}))?")
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    second = second.where(second >= 100, (first // 100) * 100 + second)
    # A two-digit end that is not after the start (1999-00) rolls into the next century.
    second = second.where(second > first, second + 100)
    end = second.fillna(first)
    return end.fillna(-1).to_numpy(dtype="int64")


def year_labels(years: pd.Series, year_types: pd.Series) -> pd.Series:
    """How reports write each year: ``2023/24`` for a one-year financial, academic or
    reporting year however the file writes it; the file's own text otherwise (calendar
    years, spans of several years).

    Examples
    --------
    >>> year_labels(pd.Series(["2024", "202324", "2014-16", "2024"]),
    ...             pd.Series(["reporting", "academic", "financial", "calendar"])).tolist()
    ['2023/24', '2023/24', '2014-16', '2024']
    """
    text, slash, one_year, _ = year_forms(years)
    split = pd.Series(year_types, index=text.index).isin(list(SPLIT_YEARS)).to_numpy()
    return slash.where(one_year & split, text)


def year_forms(years: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """Each year as the file writes it (trimmed) and as reports write a one-year
    period (``2023/24``); whether it is one year; the calendar year it ends in (see
    :func:`year_ends`). :func:`year_labels` chooses between the two forms.

    Examples
    --------
    >>> text, slash, one, end = year_forms(pd.Series(["2024", "2014-16"]))
    >>> slash.tolist(), one.tolist(), end.tolist()
    (['2023/24', '2015/16'], [True, False], [2024, 2016])
    """
    text = years.astype("string").str.strip()
    end = year_ends(text)
    span = text.str.extract(r"^\s*(\d{4})")[0]
    start = pd.to_numeric(span, errors="coerce").to_numpy(dtype="float64")
    one_year = (end >= 0) & ((start == end) | (start == end - 1))
    ends = pd.Series(end, index=text.index)
    slash = (ends - 1).astype("string") + "/" + (ends % 100).astype("string").str.zfill(2)
    return text, slash, one_year, end


def match_year(values: pd.DataFrame, year: str) -> pd.DataFrame:
    """The rows of ``values`` for a year written as the file writes it (``2024``) or as
    reports do (``2023/24``, also ``2023-24``). Raises :class:`CypsError` listing the
    years there are when none matches."""
    wanted = str(year).strip()
    as_label = wanted.replace("-", "/") if len(wanted) == 7 else wanted
    hit = values["year"].astype(str).eq(wanted) | values["year_label"].astype(str).eq(as_label)
    if not hit.any():
        pairs = values[["year", "year_label"]].astype(str).drop_duplicates().sort_values("year")
        years = sorted(set(pairs["year"]))
        # The hint shows the measure's own year type: 2024/25 for a financial or academic
        # year, nothing more for a calendar year (whose label is the year itself).
        split = pairs[pairs["year"].ne(pairs["year_label"])]
        hint = (
            f", or the same year as reports write it ({split['year_label'].iloc[-1]} for "
            f"{split['year'].iloc[-1]})"
            if len(split)
            else ""
        )
        raise CypsError(
            f"There are no figures for the year {wanted!r}. The years in the file are: "
            f"{', '.join(years)}. Give one of these{hint}."
        )
    return values[hit]


def empty_values() -> pd.DataFrame:
    """A values table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in VALUE_COLUMNS}).astype(
        {"year_end": "int64", "value": "float64"}
    )
