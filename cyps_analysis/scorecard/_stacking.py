"""Many authorities' tables as one, keyed by whole numbers.

A scorecard of 150 authorities reads a few million monthly records. Rather than stack
the text tables and index them by (authority, indicator) text, each authority's keys are
turned into whole numbers on their own (its indicator ids into rows of the stacked
catalogue, its months into month numbers), only the records the period needs are kept,
and what remains is numeric arrays, concatenated once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.rules.periods import YEAR_START_MONTH
from cyps_analysis.scorecard._arrow_text import (
    arrow_text,
    id_array,
    month_numbers_array,
    positions,
    text_codes,
)

RECORD_COLUMNS: tuple[str, ...] = ("value", "numerator", "denominator")
_YEAR = re.compile(r"^(\d{4})(?:[/-](\d{2}))?$")  # as checks.year_starts reads years


@dataclass(frozen=True)
class Catalogue:
    """Every authority's indicators, in scorecard order.

    Attributes
    ----------
    indicators
        The indicators of all authorities, one row each, in the order of the
        authorities, then of each one's service areas, then of its ``indicators.csv``
        (one authority's own frame where it is in that order already).
    authority
        Each row's authority, as its position in ``names``.
    names
        The authorities' names.
    rows
        For each authority, the row here of each row of its ``indicators.csv``.
    ids
        For each authority, its indicator ids as an Arrow array (to look ids up in).
    """

    indicators: pd.DataFrame
    authority: np.ndarray
    names: tuple[str, ...]
    rows: tuple[np.ndarray, ...]
    ids: tuple[pa.Array, ...]


@dataclass(frozen=True)
class Records:
    """Monthly records as arrays: each one's catalogue row (``keys``), month number, and
    ``values`` by column (value, numerator, denominator). ``by_month``: in order of
    month (of one month, as in the file), else as in the file."""

    keys: np.ndarray
    months: np.ndarray
    values: dict[str, np.ndarray]
    by_month: bool = False

    def between(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray, dict]:
        """The records of months ``first`` .. ``last`` as views of these (no copies);
        all of them if they are not in order of month."""
        if not self.by_month:
            return self.keys, self.months, self.values
        lo, hi = np.searchsorted(self.months, [first, last + 1]).tolist()
        return (
            self.keys[lo:hi],
            self.months[lo:hi],
            {c: v[lo:hi] for c, v in self.values.items()},
        )


def column_of(frame: pd.DataFrame, name: str):
    """A frame's column as the array it holds (numpy, or pandas' text array), without
    the Series ``frame[name]`` wraps it in: a scorecard of many authorities reads
    thousands of columns, and the wrapping costs more than what is done with most.

    Examples
    --------
    >>> column_of(pd.DataFrame({"a": [1.5, 2.0]}), "a").tolist()
    [1.5, 2.0]
    """
    direct = getattr(frame, "_get_column_array", None)
    if direct is None or not frame.columns.is_unique:
        return frame[name].array
    return direct(frame.columns.get_loc(name))


def floats(column) -> np.ndarray:
    """A column (a Series or the array it holds) as float64, NaN where missing (its own
    array if it is one already)."""
    values = column if isinstance(column, np.ndarray) else column.to_numpy()
    if values.dtype == np.float64:
        return values
    return pd.Series(column).to_numpy(dtype="float64", na_value=np.nan)


def frame_of(columns: Mapping[str, object], *, copy: bool = True) -> pd.DataFrame:
    """A frame of whole columns, each kept as it is (a copy of it; with ``copy=False``,
    itself, for columns made for this frame and held nowhere else): a 1-D numpy array
    (an object array stays objects, where ``pd.DataFrame`` would read text in it as
    text) or a pandas array (text, categorical), all of one length.

    pandas' general constructor checks and converts every column in turn, which for a
    scorecard's fifty short columns costs more than the scorecard's arithmetic: these
    columns need neither, and go straight in. Anything else (a list, columns of
    different lengths), or a pandas without that route, takes the general one.

    Examples
    --------
    >>> frame_of({"a": np.array([1.0, 2.0]), "b": np.array([None, "x"], dtype=object)}).dtypes.tolist()
    [dtype('float64'), dtype('O')]
    """
    arrays = []
    for column in columns.values():
        if isinstance(column, pd.arrays.NumpyExtensionArray):
            column = column.to_numpy()
        # Each column the frame's own, as pd.DataFrame copies them: changing the frame
        # must not change a dataset it was read from (Arrow text is not copied: the
        # copy only wraps what cannot change).
        arrays.append(column.copy() if copy and hasattr(column, "copy") else column)
    lengths = {len(a) for a in arrays}
    direct = getattr(pd.DataFrame, "_from_arrays", None)
    plain = all(
        (isinstance(a, np.ndarray) and a.ndim == 1)
        or isinstance(a, pd.api.extensions.ExtensionArray)
        for a in arrays
    )
    if direct is None or not plain or len(lengths) > 1:
        return pd.DataFrame(
            {
                name: pd.Series(a, dtype=object)
                if isinstance(a, np.ndarray) and a.dtype == object
                else a
                for name, a in zip(columns, arrays, strict=True)
            }
        )
    n = lengths.pop() if lengths else 0
    return direct(
        arrays, columns=pd.Index(list(columns)), index=pd.RangeIndex(n), verify_integrity=False
    )


def fixed_text(column: pd.Series) -> np.ndarray:
    """A text column with few distinct values as a fixed-width numpy array ("nan" where
    missing), which compares with a text in bulk rather than one value at a time; each
    distinct value is converted once.

    Examples
    --------
    >>> fixed_text(pd.Series(["ratio", None, "sum", "ratio"])).tolist()
    ['ratio', 'nan', 'sum', 'ratio']
    """
    codes, distinct = pd.factorize(column)
    return np.append(np.asarray(distinct, dtype=str), "nan")[codes]


def stack_catalogues(datasets: Mapping[str, Dataset]) -> Catalogue:
    """Every authority's indicators, stacked in scorecard order: by
    authority, then by the position of the indicator's service area in the settings
    (areas not listed last), then as in ``indicators.csv``."""
    frames = [d.indicators for d in datasets.values()]
    stacked = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    sizes = [len(f) for f in frames]
    authority = np.repeat(np.arange(len(sizes)), sizes)
    # Each authority's rank of each service area found in any catalogue (the last
    # column for no area), looked up for all rows at once.
    area_codes, areas = pd.factorize(stacked["service_area"])
    code_of = {area: i for i, area in enumerate(areas)}
    rank = np.zeros((len(sizes), len(areas) + 1), dtype="int64")
    for j, d in enumerate(datasets.values()):
        listed = d.settings.service_areas
        rank[j] = len(listed)
        for i, area in enumerate(listed):
            if area in code_of:
                rank[j, code_of[area]] = i
    order = np.lexsort((rank[authority, area_codes], authority))  # stable: file order
    ids = arrow_text(stacked["id"])
    starts = np.cumsum([0, *sizes[:-1]]).tolist()
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    indicators = stacked
    plain = isinstance(stacked.index, pd.RangeIndex) and stacked.index.start == 0
    # One authority whose indicators are in order already: its own frame, not a copy.
    if not (plain and (order == np.arange(len(order))).all()):
        indicators = stacked.take(order)
        indicators.index = pd.RangeIndex(len(order))
    return Catalogue(
        indicators=indicators,
        authority=authority,
        names=tuple(datasets),
        rows=tuple(np.split(position, np.cumsum(sizes)[:-1])),
        # Each authority's ids, sliced from the stacked column (read once).
        ids=tuple(
            id_array(ids.slice(start, size)) for start, size in zip(starts, sizes, strict=True)
        ),
    )


def table_rows(
    datasets: Mapping[str, Dataset],
    catalogue: Catalogue,
    table: str,
    only: np.ndarray | None = None,
) -> np.ndarray:
    """The catalogue row of each row of ``table`` (stacked in authority order) by its
    ``indicator``; -1 for an indicator not in its authority's catalogue, and for rows
    left out of ``only`` (a mask of the stacked rows to look up; all if not given)."""
    found, first = [], 0
    for d, rows, ids in zip(datasets.values(), catalogue.rows, catalogue.ids, strict=True):
        indicator = column_of(getattr(d, table), "indicator")
        if only is None:
            found.append(np.append(rows, -1)[positions(indicator, ids)])
        else:
            part = np.full(len(indicator), -1)
            chosen = np.flatnonzero(only[first : first + len(indicator)])
            part[chosen] = np.append(rows, -1)[positions(indicator, ids, at=chosen)]
            found.append(part)
        first += len(indicator)
    return np.concatenate(found) if found else np.zeros(0, dtype="int64")


def stacked_text(datasets: Mapping[str, Dataset], table: str, column: str) -> pa.ChunkedArray:
    """A text column of every authority's ``table``, one after another, as Arrow text
    (null where a table lacks the column): each authority's column read where it is."""
    chunks = []
    for d in datasets.values():
        frame = getattr(d, table)
        if column in frame.columns:
            chunks.extend(arrow_text(column_of(frame, column)).chunks)
        else:
            chunks.append(pa.nulls(len(frame), pa.large_string()))
    return pa.chunked_array(chunks, type=pa.large_string())


def stacked_codes(
    datasets: Mapping[str, Dataset], table: str, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """A text column of ``table``, stacked in authority order, as codes into its
    distinct texts (-1 where missing). Each authority's column is read where it is; only
    the distinct texts are made Python strings."""
    return text_codes(stacked_text(datasets, table, column))


def texts_at(
    datasets: Mapping[str, Dataset], table: str, columns: tuple[str, ...], at: np.ndarray
) -> dict[str, pa.ChunkedArray]:
    """The text of ``columns`` in rows ``at`` of ``table`` stacked in authority order, as
    Arrow text: null where ``at`` is -1, where the text is missing, or where a table
    lacks the column. Only those rows are read."""
    rows = pa.array(at, type=pa.int64(), mask=at < 0)
    return {c: stacked_text(datasets, table, c).take(rows) for c in columns}


def records_by_authority(
    datasets: Mapping[str, Dataset],
    catalogue: Catalogue,
    first: int | None = None,
    last: int | None = None,
) -> Iterator[Records]:
    """Each authority's monthly records whose indicator is in the catalogue: of months
    ``first`` .. ``last``, in the order of its file; or, without them, of every month,
    in order of month. One authority at a time, so that what is made of them (a grid)
    is written a part at a time, never gathering millions of records into one table."""
    for d, rows, ids in zip(datasets.values(), catalogue.rows, catalogue.ids, strict=True):
        obs = d.observations
        m = month_numbers_array(column_of(obs, "month"))
        inside = m >= 0
        if first is not None:
            inside &= (m >= first) & (m <= last)
        inside = np.flatnonzero(inside)
        k = np.append(rows, -1)[positions(column_of(obs, "indicator"), ids, at=inside)]
        known, k = inside[k >= 0], k[k >= 0]
        if first is None:
            # In order of month (stable: of one month, in file order), so that any
            # period's months are a slice.
            order = _month_order(m[known])
            known, k = known[order], k[order]
        yield Records(
            keys=k,
            months=m[known],
            values={c: floats(column_of(obs, c))[known] for c in RECORD_COLUMNS},
            by_month=first is None,
        )


def _month_order(months: np.ndarray) -> np.ndarray:
    """The order that sorts month numbers, stable; as 16-bit whole numbers from the first
    month where they span few enough (numpy sorts those by radix, many times faster).

    Examples
    --------
    >>> _month_order(np.array([24290, 24289, 24290, 24288])).tolist()
    [3, 1, 0, 2]
    """
    if len(months) and int(months.max()) - int(months.min()) < 2**16:
        months = (months - months.min()).astype(np.uint16)
    return np.argsort(months, kind="stable")


def coded_year_starts(
    codes: np.ndarray, texts: np.ndarray, type_codes: np.ndarray, types: np.ndarray
) -> np.ndarray:
    """Years as written (``2024/25``, ``2024-25``, ``2025``) as the month each starts,
    given each row's year type; -1 where not a year of that type. As
    :func:`~cyps_analysis.dataset._checks.year_starts`, for years given as ``codes`` into
    distinct ``texts`` and year types as ``type_codes`` into ``types`` (-1 where
    missing), reading each distinct (year, year type) once, by :func:`_year_start`.

    Examples
    --------
    >>> texts = np.array(["2024/25", "2025"], dtype=object)
    >>> types = np.array(["financial", "calendar", "academic"], dtype=object)
    >>> coded_year_starts(np.array([0, 1, 1, -1]), texts, np.array([0, 1, 2, 1]),
    ...                   types).tolist()
    [24291, 24300, -1, -1]
    """
    table = year_start_table(texts, types)
    known = (codes >= 0) & (type_codes >= 0)
    out = np.full(len(codes), -1, dtype="int64")
    out[known] = table[codes[known], type_codes[known]]
    return out


def year_start_table(texts: np.ndarray, types: np.ndarray) -> np.ndarray:
    """The first month of each year text (rows) read as each year type (columns); -1
    where it is not a year of that type. Each text is read once, as its first year and
    the two digits after it (-1 for none)."""
    parts = np.array([_year_parts(text) for text in texts], dtype="int64").reshape(-1, 2)
    first, second = parts[:, 0], parts[:, 1]
    read = first >= 0
    one_year = read & (second < 0)
    two_years = read & (second == (first + 1) % 100)
    table = np.full((len(texts), len(types)), -1, dtype="int64")
    for j, year_type in enumerate(types):
        if year_type == "calendar":
            table[:, j] = np.where(one_year, first * 12, -1)
        elif year_type in YEAR_START_MONTH:
            table[:, j] = np.where(two_years, first * 12 + YEAR_START_MONTH[year_type] - 1, -1)
    return table


def _year_parts(text: object) -> tuple[int, int]:
    """A year as :func:`~cyps_analysis.dataset._checks.year_starts` reads it: its first year and
    the two digits after it (-1 for none); (-1, -1) if it is not a year."""
    m = _YEAR.search(text.strip()) if isinstance(text, str) else None
    if m is None:
        return -1, -1
    return int(m[1]), -1 if m[2] is None else int(m[2])
