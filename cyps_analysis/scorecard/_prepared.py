"""What every scorecard of a dataset reads the same way, whatever its period, read once.

A scorecard needs its datasets' text as numbers: indicator ids as rows of the stacked
catalogue, months as month numbers, years as their first months, band texts as bounds.
:func:`prepare` reads all of that for a set of authorities; :func:`prepared` does it for
one dataset and keeps the result with the dataset, so that the scorecards a report
makes of it (its period's, and a narrative's one per earlier year end) read it once.

A kept result is used only while the dataset's tables are the ones it was read from:
pandas copies a table's columns before changing them in place once a second view of
them exists (copy-on-write), and the kept result holds such a view; so an edited table
holds new columns, and the dataset is read again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.rules.aggregation import GRID_MONTHS
from cyps_analysis.rules.bands import BAND_NAMES, parse_band_texts
from cyps_analysis.rules.periods import year_labels
from cyps_analysis.scorecard._arrow_text import text_codes
from cyps_analysis.scorecard._stacking import (
    Catalogue,
    Records,
    coded_year_starts,
    column_of,
    fixed_text,
    floats,
    records_by_authority,
    stack_catalogues,
    stacked_codes,
    table_rows,
    texts_at,
)

#: The tables a scorecard reads.
TABLES: tuple[str, ...] = ("indicators", "observations", "targets", "benchmarks")
#: The indicators' text columns with few distinct values, compared in bulk.
FIXED_TEXT: tuple[str, ...] = ("aggregation", "unit", "year_type", "polarity", "kind", "frequency")
BENCHMARKS: tuple[str, ...] = (
    "stat_neighbour_avg",
    "best_stat_neighbour",
    "national_avg",
    "top_quartile",
    "regional_avg",
)


@dataclass(frozen=True)
class TargetRows:
    """``targets.csv`` of every authority, stacked, the rows of known indicators and
    years only: each row's catalogue row and first month of its year read by its
    indicator's year type; the bands as codes into their distinct texts (one row of
    codes per band, -1 where empty, and a last column of -1 for no row), and the texts
    as written.

    Each distinct band text is parsed when a scorecard first rates by it
    (:meth:`bands_at`): a dataset holds many years of targets, a period uses one.
    """

    row: np.ndarray
    start: np.ndarray
    codes: np.ndarray
    distinct: list[str]
    text: dict[str, pa.ChunkedArray]
    parsed: dict[str, np.ndarray]
    done: np.ndarray

    def bands_at(self, at: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
        """The parsed bands of target rows ``at`` (-1: none), by band name."""
        codes = self.codes[:, at]
        # Only the distinct texts not parsed yet; -1 (none) is the last, an empty text.
        todo = np.unique(codes)
        todo = todo[~self.done[todo]]
        if len(todo):
            texts = [self.distinct[i] if i >= 0 else "" for i in todo.tolist()]
            for key, column in parse_band_texts(texts).items():
                self.parsed[key][todo] = column
            self.done[todo] = True
        return {
            name: {key: column[codes[i]] for key, column in self.parsed.items()}
            for i, name in enumerate(BAND_NAMES)
        }


@dataclass(frozen=True)
class BenchmarkRows:
    """``benchmarks.csv`` of every authority, stacked, the rows of known indicators and
    years only, in order of catalogue row, then year (of equal years, as in the file):
    each row's catalogue row, first month of its year and that year as the scorecard
    writes it; ``values`` holds the value of each of ``BENCHMARKS`` (a row each), and
    ``groups`` where each catalogue row's rows begin."""

    row: np.ndarray
    start: np.ndarray
    year: np.ndarray
    values: np.ndarray
    groups: np.ndarray


@dataclass(frozen=True)
class Prepared:
    """A set of authorities' datasets, read for scorecards.

    ``indicators`` holds the catalogue's columns as arrays; ``text`` the few-valued
    ones as fixed-width text; ``year_types`` each row's year type as codes into the
    distinct types; ``records`` each authority's monthly records; ``word_codes`` each
    authority's labels of Red, Amber and Green as codes into ``distinct_words`` (three
    per authority, then -1 for none).
    """

    catalogue: Catalogue
    indicators: dict[str, object]
    text: dict[str, np.ndarray]
    decimals: np.ndarray
    year_types: tuple[np.ndarray, np.ndarray]
    records: tuple[Records, ...]
    targets: TargetRows
    benchmarks: BenchmarkRows
    word_codes: np.ndarray
    distinct_words: np.ndarray
    small_at: np.ndarray


def prepare(
    datasets: Mapping[str, Dataset], columns: tuple[str, ...], end: int | None = None
) -> Prepared:
    """Read ``datasets`` (by authority name) for scorecards; ``columns``: the
    catalogue's columns to hold as arrays. Given ``end``, only what a scorecard of a
    period ending that month reads (its grid's months, targets of a year starting in
    the twelve months to it) is read: for a scorecard of many authorities, made once."""
    from cyps_analysis.rules.rag import RAG_VALUES

    catalogue = stack_catalogues(datasets)
    ind = {c: column_of(catalogue.indicators, c) for c in columns}
    text = {c: fixed_text(ind[c]) for c in FIXED_TEXT}
    year_types = pd.factorize(text["year_type"])
    words = [d.settings.label(r) for d in datasets.values() for r in RAG_VALUES]
    word_codes, distinct_words = pd.factorize(np.array(words, dtype=object))
    return Prepared(
        catalogue=catalogue,
        indicators=ind,
        text=text,
        decimals=np.asarray(ind["decimals"], dtype="int64"),
        year_types=year_types,
        # Given the period's end, only its grid's months (three years to it).
        records=tuple(
            records_by_authority(datasets, catalogue)
            if end is None
            else records_by_authority(datasets, catalogue, end - GRID_MONTHS + 1, end)
        ),
        targets=_targets(datasets, catalogue, year_types, end),
        benchmarks=_benchmarks(datasets, catalogue, year_types, text["year_type"]),
        word_codes=np.append(word_codes.reshape(-1, len(RAG_VALUES)), -1),
        distinct_words=distinct_words,
        small_at=np.array([d.settings.small_denominator for d in datasets.values()], "int64"),
    )


class _Kept(NamedTuple):
    """A dataset's reading, kept with it: for which columns, what its tables and
    settings were, views of its tables (see the module's notes), and the reading."""

    columns: tuple[str, ...]
    identity: tuple
    views: tuple[pd.DataFrame, ...]
    result: Prepared


def prepared(dataset: Dataset, columns: tuple[str, ...]) -> Prepared:
    """:func:`prepare` of one dataset, kept with it for its next scorecards while its
    tables are unchanged (see the module's notes)."""
    tables = [getattr(dataset, t) for t in TABLES]
    now = _identity(tables, dataset.settings)
    kept = dataset.__dict__.get("_prepared")
    if kept is not None and kept.columns == columns and _same(kept.identity, now):
        return kept.result
    result = prepare({dataset.settings.authority: dataset}, columns)
    # Views of the tables, so that changing one in place first copies what it changes.
    views = tuple(t.copy(deep=False) for t in tables)
    object.__setattr__(dataset, "_prepared", _Kept(columns, now, views, result))
    return result


def _identity(tables: list[pd.DataFrame], settings) -> tuple:
    """What a set of tables is made of: the settings, then each table's columns (their
    names) and the arrays that hold its values."""
    return (
        settings,
        *(x for t in tables for x in (t.columns, *(b.values for b in _blocks(t)))),
    )


def _same(identity: tuple, now: tuple) -> bool:
    """Whether two identities hold the very same objects."""
    return len(now) == len(identity) and all(x is y for x, y in zip(now, identity, strict=True))


def _blocks(table: pd.DataFrame) -> tuple:
    """The blocks that hold a table's values (pandas' own). Where there is no such
    thing, a new object each time, so that every check sees a new table."""
    manager = getattr(table, "_mgr", None)
    blocks = getattr(manager, "blocks", None)
    return tuple(blocks) if blocks is not None else (object(),)


def _targets(
    datasets: Mapping[str, Dataset], catalogue: Catalogue, year_types: tuple, end: int | None
) -> TargetRows:
    """The targets of known indicators and years (of a year starting in the twelve
    months to ``end``, if given)."""
    row = table_rows(datasets, catalogue, "targets")
    start = _table_years(datasets, "targets", row, year_types)
    keep = start >= 0
    if end is not None:
        keep &= (start > end - 12) & (start <= end)
    keep = np.flatnonzero(keep)
    text = texts_at(datasets, "targets", (*BAND_NAMES, "national_standard"), keep)
    written = pa.chunked_array(
        [c for name in BAND_NAMES for c in text[name].chunks], type=pa.large_string()
    )
    codes, distinct = text_codes(written)
    # One more than the distinct texts: the last stands for none (-1), an empty text.
    k = len(distinct) + 1
    return TargetRows(
        row=row[keep],
        start=start[keep],
        # A last column of none, for rows with no target (-1).
        codes=np.append(codes.reshape(len(BAND_NAMES), -1), np.full((len(BAND_NAMES), 1), -1), 1),
        distinct=distinct.tolist(),
        text=text,
        parsed={
            "lo": np.full(k, np.nan),
            "lo_inclusive": np.zeros(k, dtype=bool),
            "hi": np.full(k, np.nan),
            "hi_inclusive": np.zeros(k, dtype=bool),
            "empty": np.zeros(k, dtype=bool),
            "valid": np.zeros(k, dtype=bool),
        },
        done=np.zeros(k, dtype=bool),
    )


def _benchmarks(
    datasets: Mapping[str, Dataset],
    catalogue: Catalogue,
    year_types: tuple,
    year_type: np.ndarray,
) -> BenchmarkRows:
    row = table_rows(datasets, catalogue, "benchmarks")
    start = _table_years(datasets, "benchmarks", row, year_types)
    keep = np.flatnonzero((start >= 0) & (row >= 0))
    keep = keep[np.lexsort((start[keep], row[keep]))]  # stable: file order
    values = np.stack(
        [
            np.concatenate(
                [
                    floats(column_of(d.benchmarks, name))
                    if name in d.benchmarks.columns
                    else np.full(len(d.benchmarks), np.nan)
                    for d in datasets.values()
                ]
                or [np.zeros(0)]
            )[keep]
            for name in BENCHMARKS
        ]
    )
    row, start = row[keep], start[keep]
    return BenchmarkRows(
        row=row,
        start=start,
        year=year_labels(start, year_type[row]),
        values=values,
        groups=np.flatnonzero(np.diff(row, prepend=-1)),
    )


def _table_years(
    datasets: Mapping[str, Dataset], table: str, row: np.ndarray, year_types: tuple
) -> np.ndarray:
    """The first month of the year in each row of ``table``, read by the year type of
    the row's indicator (``row``: its catalogue row); -1 where not a year of that type
    or the indicator is unknown."""
    codes, texts = stacked_codes(datasets, table, "year")
    type_codes, types = year_types
    return coded_year_starts(codes, texts, np.append(type_codes, -1)[row], types)
