"""The scorecard: one row per indicator with its values, RAG, direction of travel,
bands and benchmarks for a reporting period.

:func:`build_scorecard` works for one authority; :func:`build_scorecards` for many at
once, as one vectorised computation.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from cyps_analysis.aggregate import FREQUENCY_STEP, GRID_MONTHS, aggregate_window, fill_grid
from cyps_analysis.arrow_text import coded_text, text_codes, text_column
from cyps_analysis.dataset import Dataset
from cyps_analysis.direction import CHANGES, DIRECTIONS, change_codes, direction_codes
from cyps_analysis.flags import flag_rows
from cyps_analysis.periods import (
    Period,
    month_key,
    month_label,
    parse_period,
    year_label_codes,
    year_labels,
    year_start,
)
from cyps_analysis.rag import RAG_VALUES, rag_codes
from cyps_analysis.rounding import round_half_up
from cyps_analysis.stacking import (
    Catalogue,
    coded_year_starts,
    column_of,
    fixed_text,
    floats,
    frame_of,
    records_by_authority,
    stack_catalogues,
    stacked_codes,
    table_rows,
    texts_at,
    year_start_table,
)
from cyps_analysis.thresholds import BAND_NAMES, parse_coded_bands

BENCHMARKS: tuple[str, ...] = (
    "stat_neighbour_avg",
    "best_stat_neighbour",
    "national_avg",
    "top_quartile",
    "regional_avg",
)
VALUE_COLUMNS: tuple[str, ...] = (
    "quarter",
    "outturn",
    "previous_year",
    "previous_year_to_date",
    "same_month_last_year",
    "previous_month",
)
INDICATOR_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "service_area",
    "kind",
    "polarity",
    "unit",
    "decimals",
    "aggregation",
    "frequency",
    "year_type",
)


def build_scorecard(dataset: Dataset, period: str | Period) -> pd.DataFrame:
    """The scorecard of one authority for a period (``2025-03``, ``2024-25-Q4``,
    ``2024-25``).

    Returns one row per indicator, in the order of the settings' service areas and then
    of ``indicators.csv``. Columns: the indicator's attributes, ``year`` (the
    indicator's year), one column per month of the period (``YYYY-MM``), the values in
    ``VALUE_COLUMNS``, direction and RAG (``dot_month``, ``dot_month_change``,
    ``rag_month``, ``rag_month_label`` and the same for ``year``), the bands as written,
    each benchmark with ``_year`` and ``_source``, and ``flags``. ``attrs`` holds the
    period, authority, as-at date and the period's months. Numbers are rounded half up
    to each indicator's decimals. See ``docs/scorecard.md``.
    """
    out = _scorecards({dataset.settings.authority: dataset}, period, with_authority=False)
    out.attrs.update(authority=dataset.settings.authority, as_at=dataset.settings.as_at.isoformat())
    return out


def build_scorecards(datasets: Mapping[str, Dataset], period: str | Period) -> pd.DataFrame:
    """Scorecards of many authorities at once: ``datasets`` maps a name to each
    authority's dataset; the result is :func:`build_scorecard`'s, with an ``authority``
    column first."""
    return _scorecards(datasets, period, with_authority=True)


def _scorecards(
    datasets: Mapping[str, Dataset], period: str | Period, *, with_authority: bool
) -> pd.DataFrame:
    period = parse_period(period) if isinstance(period, str) else period
    end = period.end
    catalogue = stack_catalogues(datasets)
    ind = {c: column_of(catalogue.indicators, c) for c in INDICATOR_COLUMNS}
    n = len(catalogue.indicators)
    # Fixed-width text: compared in bulk, not one Python string at a time.
    text = {
        c: fixed_text(ind[c])
        for c in ("aggregation", "unit", "year_type", "polarity", "kind", "frequency")
    }
    agg, unit, year_type, polarity, kind, frequency = text.values()
    records = records_by_authority(datasets, catalogue, end - GRID_MONTHS + 1, end)
    grid = fill_grid(((r.keys, r.months, r.values) for r in records), text, end=end)
    decimals = np.asarray(ind["decimals"], dtype="int64")
    ys = year_start(np.full(n, end), year_type)
    quarter_start = end - end % 3

    windows = {
        "quarter": aggregate_window(grid, agg, unit, quarter_start, end),
        "outturn": aggregate_window(grid, agg, unit, ys, end),
        "previous_year_to_date": aggregate_window(grid, agg, unit, ys - 12, end - 12),
        "previous_year": aggregate_window(grid, agg, unit, ys - 12, ys - 1),
    }
    rows = np.arange(n)
    step = np.select([frequency == f for f in FREQUENCY_STEP], list(FREQUENCY_STEP.values()), 0)
    values = {name: w.value for name, w in windows.items()}
    values["same_month_last_year"] = grid.monthly[:, grid.column(end - 12)]
    values["previous_month"] = grid.monthly[rows, grid.column(end - step)]
    rounded = {k: round_half_up(v, decimals) for k, v in values.items()}
    month_values = {
        month_key(m): round_half_up(grid.monthly[:, grid.column(m)], decimals)
        for m in period.months
    }
    latest_month = month_values[month_key(end)]

    year_codes, year_texts = year_label_codes(ys, year_type)
    year_text = np.array(year_texts, dtype=object)[year_codes]
    out: dict[str, object] = {}
    if with_authority:
        out["authority"] = pd.Categorical.from_codes(
            catalogue.authority, categories=catalogue.names
        )
    out |= {
        **ind,
        # As a list of text would give: float64 when there are no rows.
        "year": text_column(coded_text(year_codes, year_texts)) if n else [],
        **month_values,
        **{key: rounded[key] for key in VALUE_COLUMNS},
    }

    # Text columns made from codes, each text written once (not once per row).
    dot_month = direction_codes(latest_month, rounded["previous_month"], decimals)
    dot_year = direction_codes(rounded["outturn"], rounded["previous_year_to_date"], decimals)
    for col, codes in (("dot_month", dot_month), ("dot_year", dot_year)):
        out[col] = text_column(coded_text(codes, DIRECTIONS))
        out[f"{col}_change"] = text_column(coded_text(change_codes(codes, polarity, kind), CHANGES))

    # Year types as codes, read once for the targets' and the benchmarks' years.
    year_types = pd.factorize(year_type)
    targets = _targets_for(datasets, catalogue, ys, kind, year_types)
    months_elapsed = end - ys + 1
    is_sum = agg == "sum"
    # Pro rata as (months, 12): compared exactly, not through a rounded fraction.
    twelve = np.where(is_sum, 12.0, 1.0)
    month_scale = (np.where(is_sum, step, 1.0), twelve)
    year_scale = (np.where(is_sum, months_elapsed, 1.0), twelve)
    rated = (kind == "benchmarking") & targets["has_target"]
    rags = {
        "rag_month": rag_codes(latest_month, targets["bands"], scale=month_scale),
        "rag_year": rag_codes(rounded["outturn"], targets["bands"], scale=year_scale),
    }
    # Each authority's own words for Red, Amber and Green, as codes into the distinct words.
    words = [d.settings.label(r) for d in datasets.values() for r in RAG_VALUES]
    word_codes, distinct_words = pd.factorize(np.array(words, dtype=object))
    word_codes = np.append(word_codes.reshape(-1, len(RAG_VALUES)), -1)
    rags = {col: np.where(rated, codes, -1) for col, codes in rags.items()}
    for col, codes in rags.items():
        out[col] = text_column(coded_text(codes, RAG_VALUES))
    for col, codes in rags.items():
        at = np.where(codes >= 0, catalogue.authority * len(RAG_VALUES) + codes, -1)
        out[f"{col}_label"] = text_column(coded_text(word_codes[at], distinct_words))
    for name in (*BAND_NAMES, "national_standard"):
        out[name] = text_column(targets["text"][name])

    found_benchmarks = _benchmarks_for(datasets, catalogue, ys, decimals, year_type, year_types)
    for name, found in found_benchmarks.items():
        out[name] = found["value"]
        # Years and sources stay plain objects (None where there is no benchmark).
        out[f"{name}_year"] = found["year"]
        out[f"{name}_source"] = found["source"]
    small_at = np.array([d.settings.small_denominator for d in datasets.values()], dtype="int64")
    out["flags"] = flag_rows(
        grid,
        text,
        period,
        ys,
        windows,
        has_target=targets["has_target"],
        small_at=small_at[catalogue.authority],
        year_text=year_text,
    )
    card = frame_of(out)
    card.attrs.update(
        period=period.label,
        period_title=period.title,
        months=[month_key(m) for m in period.months],
        month_labels=[month_label(m) for m in period.months],
    )
    return card


YearTypes = tuple[np.ndarray, np.ndarray]  # each catalogue row's year type: codes, types


def _targets_for(
    datasets: Mapping[str, Dataset],
    catalogue: Catalogue,
    ys: np.ndarray,
    kind: np.ndarray,
    year_types: YearTypes,
) -> dict[str, object]:
    """The bands of each indicator's year, parsed and as written."""
    n = len(ys)
    codes, texts = stacked_codes(datasets, "targets", "year")
    type_codes, types = year_types
    years = year_start_table(texts, types)
    # A target row can only be for an indicator's year if its text is that year for
    # some year type: only those rows' indicators are looked up.
    wanted = np.full(len(types), -2)
    wanted[type_codes[type_codes >= 0]] = ys[type_codes >= 0]
    only = np.append((years == wanted).any(axis=1), False)[codes]
    row = table_rows(datasets, catalogue, "targets", only=only)
    kept = np.flatnonzero(row >= 0)
    starts = np.full(len(row), -1)
    kind_of_year = type_codes[row[kept]]
    starts[kept] = np.where(kind_of_year >= 0, years[codes[kept], kind_of_year], -1)
    match = np.flatnonzero((starts >= 0) & (starts == np.append(ys, -2)[row]))
    pos = np.full(n, -1)
    pos[row[match]] = match
    has = pos >= 0
    text = texts_at(datasets, "targets", (*BAND_NAMES, "national_standard"), pos)
    # One parse of all three bands, each distinct text once, of the rows that are
    # rated (benchmarking indicators with a target); the others' ratings are not used.
    rated = np.flatnonzero(has & (kind == "benchmarking"))
    written = pa.chunked_array(
        [chunk for name in BAND_NAMES for chunk in text[name].take(rated).chunks],
        type=pa.large_string(),
    )
    found, distinct = text_codes(written)
    codes = np.full((len(BAND_NAMES), n), -1)
    codes[:, rated] = found.reshape(len(BAND_NAMES), -1)
    parsed = parse_coded_bands(codes.reshape(-1), distinct.tolist())
    bands = {
        name: {key: column[i * n : (i + 1) * n] for key, column in parsed.items()}
        for i, name in enumerate(BAND_NAMES)
    }
    return {"has_target": has, "text": text, "bands": bands}


def _table_years(
    datasets: Mapping[str, Dataset], table: str, row: np.ndarray, year_types: YearTypes
) -> np.ndarray:
    """The first month of the year in each row of ``table``, read by the year type of
    the row's indicator (``row``: its catalogue row); -1 where not a year of that type
    or the indicator is unknown."""
    codes, texts = stacked_codes(datasets, table, "year")
    type_codes, types = year_types
    return coded_year_starts(codes, texts, np.append(type_codes, -1)[row], types)


def _benchmarks_for(
    datasets: Mapping[str, Dataset],
    catalogue: Catalogue,
    ys: np.ndarray,
    decimals: np.ndarray,
    year_type: np.ndarray,
    year_types: YearTypes,
) -> dict[str, dict[str, np.ndarray]]:
    """Each benchmark's latest value for a year up to the indicator's year, that year
    as written, and its source: from the published files the settings point at
    (docs/benchmarking.md), typed-in benchmarks.csv values filling what they lack."""
    typed = _typed_benchmarks(datasets, catalogue, ys, decimals, year_type, year_types)
    if not any(d.settings.benchmarking for d in datasets.values()):
        return typed
    from cyps_analysis.dataset_benchmarks import fill_from_published

    ind = catalogue.indicators.assign(
        authority=np.asarray(catalogue.names, dtype=object)[catalogue.authority],
        national_code=_catalogue_column(datasets, catalogue, "national_code"),
        decimals=decimals,
    )
    frames = {name: pd.DataFrame(found) for name, found in typed.items()}
    filled = fill_from_published(frames, datasets, ind, ys)
    return {
        name: {key: frame[key].to_numpy() for key in ("value", "year", "source")}
        for name, frame in filled.items()
    }


def _catalogue_column(
    datasets: Mapping[str, Dataset], catalogue: Catalogue, column: str
) -> np.ndarray:
    """An optional ``indicators.csv`` column in catalogue order (None where absent)."""
    out = np.full(len(catalogue.indicators), None, dtype=object)
    for rows, d in zip(catalogue.rows, datasets.values(), strict=True):
        if column in d.indicators.columns:
            out[rows] = d.indicators[column].astype(object).to_numpy()
    return out


def _typed_benchmarks(
    datasets: Mapping[str, Dataset],
    catalogue: Catalogue,
    ys: np.ndarray,
    decimals: np.ndarray,
    year_type: np.ndarray,
    year_types: YearTypes,
) -> dict[str, dict[str, np.ndarray]]:
    """Each benchmark's latest value for a year up to the indicator's year, that year
    as written, and its source; NaN and None where there is none."""
    n = len(ys)
    row = table_rows(datasets, catalogue, "benchmarks")
    starts = _table_years(datasets, "benchmarks", row, year_types)
    keep = np.flatnonzero((starts >= 0) & (starts <= np.append(ys, -1)[row]))
    # In order of indicator, then year (of equal years, as in the file): each
    # indicator's latest year with a value is its last row with one.
    keep = keep[np.lexsort((starts[keep], row[keep]))]
    starts, row = starts[keep], row[keep]
    result = {}
    for name in BENCHMARKS:
        value = np.concatenate(
            [
                floats(column_of(d.benchmarks, name))
                if name in d.benchmarks.columns
                else np.full(len(d.benchmarks), np.nan)
                for d in datasets.values()
            ]
            or [np.zeros(0)]
        )[keep]
        given = ~np.isnan(value)
        r, s, v = row[given], starts[given], value[given]
        last = np.flatnonzero(np.append(r[1:] != r[:-1], True)) if len(r) else r
        found = {
            "value": np.full(n, np.nan),
            "year": np.full(n, None, dtype=object),
            "source": np.full(n, None, dtype=object),
        }
        at = r[last]
        found["value"][at] = round_half_up(v[last], decimals[at])
        found["year"][at] = year_labels(s[last], year_type[at])
        found["source"][at] = "benchmarks.csv"
        result[name] = found
    return result
