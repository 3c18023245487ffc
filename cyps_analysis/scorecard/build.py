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

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.rules.aggregation import (
    FREQUENCY_STEP,
    GRID_MONTHS,
    aggregate_windows,
    fill_grid,
)
from cyps_analysis.rules.bands import BAND_NAMES
from cyps_analysis.rules.direction import CHANGES, DIRECTIONS, change_codes, direction_codes
from cyps_analysis.rules.flags import flag_rows
from cyps_analysis.rules.periods import (
    Period,
    month_key,
    month_label,
    parse_period,
    year_label_codes,
    year_start,
)
from cyps_analysis.rules.rag import RAG_VALUES, rag_codes
from cyps_analysis.rules.rounding import round_half_up
from cyps_analysis.scorecard._arrow_text import coded_text, text_column
from cyps_analysis.scorecard._prepared import BENCHMARKS as BENCHMARKS  # the scorecard's benchmarks
from cyps_analysis.scorecard._prepared import Prepared, prepare, prepared
from cyps_analysis.scorecard._stacking import frame_of

VALUE_COLUMNS: tuple[str, ...] = (
    "quarter",
    "outturn",
    "previous_year",
    "previous_year_to_date",
    "same_month_last_year",
    "previous_month",
)
# The words of directions, changes and RAG as Arrow text, made once.
_ARROW = {
    name: pa.array(list(texts), type=pa.large_string())
    for name, texts in (("directions", DIRECTIONS), ("changes", CHANGES), ("rag", RAG_VALUES))
}
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

    What every period reads the same way (ids, months, years, bands) is read at the
    first scorecard of a dataset and kept for the next (:func:`~cyps_analysis.scorecard._prepared.prepared`).
    """
    datasets = {dataset.settings.authority: dataset}
    ready = prepared(dataset, INDICATOR_COLUMNS)
    out = _scorecards(datasets, ready, period, with_authority=False)
    out.attrs.update(authority=dataset.settings.authority, as_at=dataset.settings.as_at.isoformat())
    return out


def build_scorecards(datasets: Mapping[str, Dataset], period: str | Period) -> pd.DataFrame:
    """Scorecards of many authorities at once: ``datasets`` maps a name to each
    authority's dataset; the result is :func:`build_scorecard`'s, with an ``authority``
    column first."""
    period = parse_period(period) if isinstance(period, str) else period
    ready = prepare(datasets, INDICATOR_COLUMNS, end=period.end)
    return _scorecards(datasets, ready, period, with_authority=True)


def _scorecards(
    datasets: Mapping[str, Dataset],
    ready: Prepared,
    period: str | Period,
    *,
    with_authority: bool,
) -> pd.DataFrame:
    period = parse_period(period) if isinstance(period, str) else period
    end = period.end
    catalogue = ready.catalogue
    ind = ready.indicators
    n = len(catalogue.indicators)
    # Fixed-width text: compared in bulk, not one Python string at a time.
    text = ready.text
    agg, unit, year_type, polarity, kind, frequency = (
        text[c] for c in ("aggregation", "unit", "year_type", "polarity", "kind", "frequency")
    )
    first = end - GRID_MONTHS + 1
    grid = fill_grid((r.between(first, end) for r in ready.records), text, end=end)
    decimals = ready.decimals
    ys = year_start(np.full(n, end), year_type)
    quarter_start = end - end % 3

    windows = aggregate_windows(
        grid,
        agg,
        unit,
        {
            "quarter": (quarter_start, end),
            "outturn": (ys, end),
            "previous_year_to_date": (ys - 12, end - 12),
            "previous_year": (ys - 12, ys - 1),
        },
    )
    rows = np.arange(n)
    step = np.select([frequency == f for f in FREQUENCY_STEP], list(FREQUENCY_STEP.values()), 0)
    values = {name: w.value for name, w in windows.items()}
    values["same_month_last_year"] = grid.monthly[:, grid.column(end - 12)]
    values["previous_month"] = grid.monthly[rows, grid.column(end - step)]
    # Every value and each of the period's months, rounded together (rows of a table).
    keys = [*values, *(month_key(m) for m in period.months)]
    table = np.stack([*values.values(), *(grid.monthly[:, grid.column(m)] for m in period.months)])
    rounded = dict(zip(keys, round_half_up(table, decimals), strict=True))
    month_values = {key: rounded[key] for key in keys[len(values) :]}
    latest_month = month_values[month_key(end)]

    year_codes, year_texts = year_label_codes(ys, year_type)
    year_text = np.array(year_texts, dtype=object)[year_codes]
    out: dict[str, object] = {}
    if with_authority:
        out["authority"] = pd.Categorical.from_codes(
            catalogue.authority, categories=catalogue.names
        )
    out |= {
        # The dataset's own columns, copied: changing the scorecard leaves it unchanged.
        **{c: column.copy() for c, column in ind.items()},
        # As a list of text would give: float64 when there are no rows.
        "year": text_column(coded_text(year_codes, year_texts)) if n else [],
        **month_values,
        **{key: rounded[key] for key in VALUE_COLUMNS},
    }

    # Text columns made from codes, each text written once (not once per row).
    # The month's and the year's directions together (rows: month, year).
    dots = direction_codes(
        np.stack([latest_month, rounded["outturn"]]),
        np.stack([rounded["previous_month"], rounded["previous_year_to_date"]]),
        decimals,
    )
    changes = change_codes(dots, polarity, kind)
    for i, col in enumerate(("dot_month", "dot_year")):
        out[col] = text_column(coded_text(dots[i], _ARROW["directions"]))
        out[f"{col}_change"] = text_column(coded_text(changes[i], _ARROW["changes"]))

    targets = _targets_for(ready, ys, kind)
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
    rags = {col: np.where(rated, codes, -1) for col, codes in rags.items()}
    for col, codes in rags.items():
        out[col] = text_column(coded_text(codes, _ARROW["rag"]))
    for col, codes in rags.items():
        at = np.where(codes >= 0, catalogue.authority * len(RAG_VALUES) + codes, -1)
        out[f"{col}_label"] = text_column(coded_text(ready.word_codes[at], ready.distinct_words))
    for name in (*BAND_NAMES, "national_standard"):
        out[name] = text_column(targets["text"][name])

    found_benchmarks = _benchmarks_for(datasets, ready, ys)
    for name, found in found_benchmarks.items():
        out[name] = found["value"]
        # Years and sources stay plain objects (None where there is no benchmark).
        out[f"{name}_year"] = found["year"]
        out[f"{name}_source"] = found["source"]
    out["flags"] = flag_rows(
        grid,
        text,
        period,
        ys,
        windows,
        has_target=targets["has_target"],
        small_at=ready.small_at[catalogue.authority],
        year_text=year_text,
    )
    card = frame_of(out, copy=False)  # every other column made here
    card.attrs.update(
        period=period.label,
        period_title=period.title,
        months=[month_key(m) for m in period.months],
        month_labels=[month_label(m) for m in period.months],
    )
    return card


def _targets_for(ready: Prepared, ys: np.ndarray, kind: np.ndarray) -> dict[str, object]:
    """The bands of each indicator's year, parsed and as written."""
    n = len(ys)
    t = ready.targets
    match = np.flatnonzero(t.start == ys[t.row])
    pos = np.full(n, -1)
    pos[t.row[match]] = match
    has = pos >= 0
    rows = pa.array(pos, type=pa.int64(), mask=pos < 0)
    text = {name: column.take(rows) for name, column in t.text.items()}
    # Only the rated rows' bands (benchmarking indicators with a target) are read; the
    # others' ratings are not used.
    bands = t.bands_at(np.where(has & (kind == "benchmarking"), pos, -1))
    return {"has_target": has, "text": text, "bands": bands}


def _benchmarks_for(
    datasets: Mapping[str, Dataset], ready: Prepared, ys: np.ndarray
) -> dict[str, dict[str, np.ndarray]]:
    """Each benchmark's latest value for a year up to the indicator's year, that year
    as written, and its source: from the published files the settings point at
    (docs/benchmarking.md), typed-in benchmarks.csv values filling what they lack."""
    if any(d.settings.year_lag for d in datasets.values()):
        from cyps_analysis.benchmarking.for_dataset import year_lags

        # benchmarking: year_lag: N: benchmarks as they stood, of year Y - N at the latest.
        catalogue = ready.catalogue
        ys = ys - 12 * year_lags(datasets, catalogue.names, catalogue.authority)
    typed = _typed_benchmarks(ready, ys)
    if not any(d.settings.benchmarking for d in datasets.values()):
        return typed
    from cyps_analysis.benchmarking.for_dataset import fill_from_published

    catalogue = ready.catalogue
    ind = catalogue.indicators.assign(
        authority=np.asarray(catalogue.names, dtype=object)[catalogue.authority],
        national_code=_catalogue_column(datasets, catalogue, "national_code"),
        decimals=ready.decimals,
    )
    frames = {name: pd.DataFrame(found) for name, found in typed.items()}
    filled = fill_from_published(frames, datasets, ind, ys)
    return {
        name: {key: frame[key].to_numpy() for key in ("value", "year", "source")}
        for name, frame in filled.items()
    }


def _catalogue_column(datasets: Mapping[str, Dataset], catalogue, column: str) -> np.ndarray:
    """An optional ``indicators.csv`` column in catalogue order (None where absent)."""
    out = np.full(len(catalogue.indicators), None, dtype=object)
    for rows, d in zip(catalogue.rows, datasets.values(), strict=True):
        if column in d.indicators.columns:
            out[rows] = d.indicators[column].astype(object).to_numpy()
    return out


def _typed_benchmarks(ready: Prepared, ys: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Each benchmark's latest value for a year up to the indicator's year, that year
    as written, and its source; NaN and None where there is none."""
    n = len(ys)
    b = ready.benchmarks
    # The rows are in order of indicator, then year: each indicator's latest year with
    # a value up to its own is its last such row (every benchmark at once).
    given = (b.start <= ys[b.row]) & ~np.isnan(b.values)
    at = np.where(given, np.arange(len(b.row)), -1)
    last = np.maximum.reduceat(at, b.groups, axis=1) if len(b.row) else at
    rows = b.row[b.groups]
    chosen = np.take_along_axis(b.values, np.maximum(last, 0), axis=1)
    rounded = round_half_up(chosen, ready.decimals[rows])
    result = {}
    for i, name in enumerate(BENCHMARKS):
        found = last[i] >= 0
        at, source = rows[found], last[i][found]
        result[name] = {
            "value": np.full(n, np.nan),
            "year": np.full(n, None, dtype=object),
            "source": np.full(n, None, dtype=object),
        }
        result[name]["value"][at] = rounded[i, found]
        result[name]["year"][at] = b.year[source]
        result[name]["source"][at] = "benchmarks.csv"
    return result
