"""A set of authorities' tables laid out for the scorecard: their indicators stacked in
scorecard order (the *catalogue*), and each record, target and benchmark keyed by its
row there. Reads the columns that loading parsed (month numbers, first months of years,
bands), never the text again."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cyps_analysis.dataset._parsed import BAND_PARTS
from cyps_analysis.dataset.load import Dataset
from cyps_analysis.rules.aggregation import RECORD_COLUMNS
from cyps_analysis.rules.periods import year_labels
from cyps_analysis.rules.rounding import round_half_up
from cyps_analysis.vocab import BAND_NAMES, BENCHMARKS


def catalogue_of(datasets: Mapping[str, Dataset]) -> pd.DataFrame:
    """Every authority's indicators stacked in scorecard order: by authority, then by
    the position of the indicator's service area in its settings (areas not listed
    last), then as in ``indicators.csv``. ``_authority`` holds each row's authority
    as its position in ``datasets``."""
    frames = []
    for a, d in enumerate(datasets.values()):
        rank = {area: i for i, area in enumerate(d.settings.service_areas)}
        area_rank = d.indicators["service_area"].map(rank).fillna(len(rank))
        order = np.argsort(area_rank.to_numpy(dtype="float64"), kind="stable")
        frames.append(d.indicators.iloc[order].assign(_authority=a))
    if not frames:
        return pd.DataFrame({"_authority": pd.Series(dtype="int64")})
    return pd.concat(frames, ignore_index=True)


def _lookups(cat: pd.DataFrame, n_authorities: int) -> list[tuple[pd.Index, np.ndarray]]:
    """For each authority, its indicator ids (the first row of an id given twice) and
    their rows in the catalogue."""
    authority = cat["_authority"].to_numpy()
    ids = cat["id"].to_numpy(dtype=object)
    out = []
    for a in range(n_authorities):
        rows = np.flatnonzero(authority == a)
        first = ~pd.Index(ids[rows]).duplicated()
        out.append((pd.Index(ids[rows][first]), rows[first]))
    return out


def _rows_of(lookup: tuple[pd.Index, np.ndarray], indicator) -> np.ndarray:
    """The catalogue row of each indicator id (-1 for one not in the catalogue)."""
    index, rows = lookup
    pos = index.get_indexer(indicator)
    return np.where(pos >= 0, rows[np.maximum(pos, 0)], -1)


def _keys(datasets: Mapping[str, Dataset], cat: pd.DataFrame, table: str) -> np.ndarray:
    """The catalogue row of each row of every authority's ``table``, one after another,
    by its ``indicator`` (-1 for an id not in its authority's catalogue)."""
    lookups = _lookups(cat, len(datasets))
    keys = [
        _rows_of(lookup, getattr(d, table)["indicator"])
        for lookup, d in zip(lookups, datasets.values(), strict=True)
    ]
    return np.concatenate(keys) if keys else np.zeros(0, dtype="int64")


def _stacked(datasets: Mapping[str, Dataset], table: str) -> pd.DataFrame:
    """Every authority's ``table``, one after another (one authority's own frame)."""
    frames = [getattr(d, table) for d in datasets.values()]
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _floats(frame: pd.DataFrame, column: str, rows: np.ndarray | None = None) -> np.ndarray:
    """A column as float64 (NaN where missing, or where the table lacks it), of
    ``rows`` only if given."""
    n = len(frame) if rows is None else len(rows)
    if column not in frame.columns:
        return np.full(n, np.nan)
    values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    return values if rows is None else values[rows]


def record_arrays(
    datasets: Mapping[str, Dataset], cat: pd.DataFrame, *, first: int, last: int
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The monthly records of months ``first`` .. ``last`` of every authority: each
    one's catalogue row, month number, and values by column."""
    keys, months, values = [], [], {c: [] for c in RECORD_COLUMNS}
    lookups = _lookups(cat, len(datasets))
    for lookup, d in zip(lookups, datasets.values(), strict=True):
        obs = d.observations
        m = obs["month_number"].to_numpy(dtype="float64", na_value=-1).astype("int64")
        inside = np.flatnonzero((m >= first) & (m <= last))
        k = _rows_of(lookup, obs["indicator"].iloc[inside])
        keep = inside[k >= 0]
        keys.append(k[k >= 0])
        months.append(m[keep])
        for c in RECORD_COLUMNS:
            values[c].append(obs[c].to_numpy(dtype="float64", na_value=np.nan)[keep])
    if not keys:
        empty = np.zeros(0, dtype="int64")
        return empty, empty, {c: np.zeros(0) for c in RECORD_COLUMNS}
    return (
        np.concatenate(keys),
        np.concatenate(months),
        {c: np.concatenate(v) for c, v in values.items()},
    )


def target_rows(datasets: Mapping[str, Dataset], cat: pd.DataFrame, ys: np.ndarray) -> dict:
    """The targets of each catalogue row's year (its first month in ``ys``): whether
    there is a row (``has_target``), the bands as written (``text``: None where none)
    and as intervals (``bands``, as :func:`~cyps_analysis.rules.rag.rag_codes` reads
    them: NaN where none, which no value is in)."""
    n = len(cat)
    targets = _stacked(datasets, "targets")
    keys = _keys(datasets, cat, "targets")
    start = _floats(targets, "year_start")
    match = np.flatnonzero((keys >= 0) & (start == ys[np.maximum(keys, 0)]))
    pos = np.full(n, -1)
    pos[keys[match]] = match
    has = pos >= 0
    chosen = pos[has]
    text, bands = {}, {}
    for name in (*BAND_NAMES, "national_standard"):
        text[name] = np.full(n, None, dtype=object)
        if name in targets.columns:
            written = targets[name].iloc[chosen]
            text[name][has] = written.astype(object).where(written.notna(), None).to_numpy()
    for name in BAND_NAMES:
        bands[name] = {}
        for part in BAND_PARTS:
            column = np.full(n, np.nan)
            column[has] = _floats(targets, f"{name}_{part}", chosen)
            bands[name][part] = column if part in ("lo", "hi") else column == 1.0
    return {"has_target": has, "text": text, "bands": bands}


def benchmark_rows(
    datasets: Mapping[str, Dataset],
    cat: pd.DataFrame,
    ys: np.ndarray,
    year_type: np.ndarray,
    decimals: np.ndarray,
) -> dict[str, dict[str, np.ndarray]]:
    """From ``benchmarks.csv``: each benchmark's latest value for a year up to each
    catalogue row's year (``ys``), rounded to its decimals, that year (``2023/24``) and
    its source; NaN and None where there is none. Of rows for the same year, the last
    in the file."""
    n = len(cat)
    bench = _stacked(datasets, "benchmarks")
    keys = _keys(datasets, cat, "benchmarks")
    start = np.nan_to_num(_floats(bench, "year_start"), nan=-1).astype("int64")
    usable = np.flatnonzero((keys >= 0) & (start >= 0))
    # By catalogue row, then year; rows of one year in file order.
    usable = usable[np.lexsort((start[usable], keys[usable]))]
    keys, start = keys[usable], start[usable]
    in_time = start <= ys[keys]
    result = {}
    for name in BENCHMARKS:
        value = _floats(bench, name, usable)
        ok = np.flatnonzero(in_time & ~np.isnan(value))
        # The last usable row of each catalogue row.
        last = ok[np.append(keys[ok][1:] != keys[ok][:-1], True)] if len(ok) else ok
        rows = keys[last]
        found = {
            "value": np.full(n, np.nan),
            "year": np.full(n, None, dtype=object),
            "source": np.full(n, None, dtype=object),
        }
        found["value"][rows] = round_half_up(value[last], decimals[rows])
        found["year"][rows] = year_labels(start[last], year_type[rows])
        found["source"][rows] = "benchmarks.csv"
        result[name] = found
    return result
