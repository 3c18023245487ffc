"""The scorecard: one row per indicator with its values, RAG, direction of travel,
bands and benchmarks for a reporting period.

:func:`build_scorecard` works for one authority; :func:`build_scorecards` for many at
once, as one vectorised computation.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cyps_analysis.aggregate import FREQUENCY_STEP, MonthGrid, aggregate_window, build_grid
from cyps_analysis.dataset import Dataset
from cyps_analysis.direction import change_given_polarity, direction_of_travel
from cyps_analysis.periods import (
    Period,
    month_key,
    month_label,
    parse_period,
    year_label,
    year_start,
)
from cyps_analysis.rag import rag_ratings
from cyps_analysis.rounding import round_half_up
from cyps_analysis.thresholds import BAND_NAMES, parse_bands
from cyps_analysis.validate import month_numbers, year_starts

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
    out = build_scorecards({dataset.settings.authority: dataset}, period)
    out = out.drop(columns="authority")
    out.attrs.update(authority=dataset.settings.authority, as_at=dataset.settings.as_at.isoformat())
    return out


def _stack(datasets: Mapping[str, Dataset], table: str) -> pd.DataFrame:
    """One table of every authority, with an ``authority`` column (categorical: many
    rows, few names, cheap to index)."""
    names = list(datasets)
    frames = [
        getattr(d, table).assign(
            authority=pd.Categorical.from_codes(
                np.full(len(getattr(d, table)), i), categories=names
            )
        )
        for i, d in enumerate(datasets.values())
    ]
    return (
        pd.concat(frames, ignore_index=True)
        if len(frames) > 1
        else frames[0].reset_index(drop=True)
    )


def _order(ind: pd.DataFrame, datasets: Mapping[str, Dataset]) -> pd.DataFrame:
    """Rows in the order of each authority's service areas, then of its catalogue."""
    rank = {
        (name, area): i
        for name, d in datasets.items()
        for i, area in enumerate(d.settings.service_areas)
    }
    keys = pd.MultiIndex.from_arrays([ind["authority"], ind["service_area"]])
    area_rank = pd.Series(rank, dtype="int64").reindex(keys).fillna(len(rank)).to_numpy()
    ind = ind.assign(_area=area_rank, _pos=np.arange(len(ind)))
    ind = ind.sort_values(["authority", "_area", "_pos"], kind="stable")
    return ind.drop(columns=["_area", "_pos"]).reset_index(drop=True)


def _key_index(frame: pd.DataFrame, ind: pd.DataFrame) -> np.ndarray:
    """Each row of ``frame``'s position in ``ind`` by (authority, indicator); -1 if none."""
    index = pd.MultiIndex.from_arrays([ind["authority"], ind["id"]])
    return index.get_indexer(pd.MultiIndex.from_arrays([frame["authority"], frame["indicator"]]))


def _month_numbers(months: pd.Series) -> np.ndarray:
    """:func:`month_numbers` as an array (-1 where not a month), reading each distinct
    month once: ten years of months, but hundreds of thousands of rows."""
    codes, distinct = pd.factorize(months)
    numbers = month_numbers(pd.Series(distinct, dtype="string"))
    return np.append(numbers.to_numpy(dtype="int64", na_value=-1), -1)[codes]


def _year_starts(years: pd.Series, year_types) -> np.ndarray:
    """:func:`year_starts` as an array (-1 where not a year of its type), reading each
    distinct (year, year type) once."""
    y_codes, y_distinct = pd.factorize(years)
    t_codes, t_distinct = pd.factorize(pd.Series(year_types, dtype=object))
    width = len(t_distinct) + 1
    pairs, inverse = np.unique((y_codes + 1) * width + t_codes + 1, return_inverse=True)
    y_text = np.append(None, np.asarray(y_distinct, dtype=object))[pairs // width]
    t_text = np.append(None, np.asarray(t_distinct, dtype=object))[pairs % width]
    starts = year_starts(pd.Series(y_text, dtype="string"), pd.Series(t_text, dtype=object))
    return starts.to_numpy(dtype="int64", na_value=-1)[inverse.reshape(-1)]


def build_scorecards(datasets: Mapping[str, Dataset], period: str | Period) -> pd.DataFrame:
    """Scorecards of many authorities at once: ``datasets`` maps a name to each
    authority's dataset; the result is :func:`build_scorecard`'s, with an ``authority``
    column first."""
    period = parse_period(period) if isinstance(period, str) else period
    end = period.end
    ind = _order(_stack(datasets, "indicators"), datasets)
    n = len(ind)
    obs = _stack(datasets, "observations")
    obs_keys = _key_index(obs, ind)
    obs_months = _month_numbers(obs["month"])
    grid = build_grid(obs_keys, obs_months, obs, ind, end=end)

    agg = ind["aggregation"].to_numpy()
    unit = ind["unit"].to_numpy()
    decimals = ind["decimals"].to_numpy(dtype="int64")
    ys = year_start(np.full(n, end), ind["year_type"].to_numpy())
    quarter_start = end - end % 3

    windows = {
        "quarter": aggregate_window(grid, agg, unit, quarter_start, end),
        "outturn": aggregate_window(grid, agg, unit, ys, end),
        "previous_year_to_date": aggregate_window(grid, agg, unit, ys - 12, end - 12),
        "previous_year": aggregate_window(grid, agg, unit, ys - 12, ys - 1),
    }
    rows = np.arange(n)
    step = ind["frequency"].map(FREQUENCY_STEP).to_numpy(dtype="int64")
    values = {name: w.value for name, w in windows.items()}
    values["same_month_last_year"] = grid.monthly[:, grid.column(end - 12)]
    values["previous_month"] = grid.monthly[rows, grid.column(end - step)]
    latest_month = grid.monthly[:, grid.column(end)]
    rounded = {k: round_half_up(v, decimals) for k, v in values.items()}
    month_values = {
        month_key(m): round_half_up(grid.monthly[:, grid.column(m)], decimals)
        for m in period.months
    }
    latest_month = round_half_up(latest_month, decimals)

    out = ind[["authority", *INDICATOR_COLUMNS]].copy()
    out["year"] = [year_label(s, t) for s, t in zip(ys, ind["year_type"], strict=True)]
    for key, v in month_values.items():
        out[key] = v
    for key in VALUE_COLUMNS:
        out[key] = rounded[key]

    polarity = ind["polarity"].to_numpy()
    kind = ind["kind"].to_numpy()
    out["dot_month"] = direction_of_travel(latest_month, rounded["previous_month"], decimals)
    out["dot_month_change"] = change_given_polarity(out["dot_month"], polarity, kind)
    out["dot_year"] = direction_of_travel(
        rounded["outturn"], rounded["previous_year_to_date"], decimals
    )
    out["dot_year_change"] = change_given_polarity(out["dot_year"], polarity, kind)

    targets = _targets_for(datasets, ind, ys)
    months_elapsed = end - ys + 1
    is_sum = agg == "sum"
    month_scale = np.where(is_sum, step / 12, 1.0)
    year_scale = np.where(is_sum, months_elapsed / 12, 1.0)
    rated = (kind == "benchmarking") & targets["has_target"]
    out["rag_month"] = np.where(
        rated, rag_ratings(latest_month, targets["bands"], scale=month_scale), None
    )
    out["rag_year"] = np.where(
        rated, rag_ratings(rounded["outturn"], targets["bands"], scale=year_scale), None
    )
    labels = {
        rag: ind["authority"]
        .map({a: d.settings.label(rag) for a, d in datasets.items()})
        .to_numpy()
        for rag in ("Red", "Amber", "Green")
    }
    for col in ("rag_month", "rag_year"):
        rag = out[col].to_numpy(dtype=object)
        out[f"{col}_label"] = np.select([rag == r for r in labels], list(labels.values()), None)
    for name in (*BAND_NAMES, "national_standard"):
        out[name] = targets["text"][name]

    for name, frame in _benchmarks_for(datasets, ind, ys).items():
        out[name] = frame["value"]
        out[f"{name}_year"] = frame["year"]
        out[f"{name}_source"] = frame["source"]
    out["flags"] = _flags(grid, ind, period, ys, windows, targets["has_target"], datasets)
    out.attrs.update(
        period=period.label,
        period_title=period.title,
        months=[month_key(m) for m in period.months],
        month_labels=[month_label(m) for m in period.months],
    )
    return out


def _targets_for(datasets: Mapping[str, Dataset], ind: pd.DataFrame, ys: np.ndarray) -> dict:
    """The bands of each indicator's year, parsed and as written."""
    tgt = _stack(datasets, "targets")
    n = len(ind)
    pos = np.full(n, -1)
    if len(tgt):
        meta = ind.set_index(["authority", "id"])["year_type"]
        tgt_type = meta.reindex(
            pd.MultiIndex.from_arrays([tgt["authority"], tgt["indicator"]])
        ).to_numpy()
        tgt_ys = _year_starts(tgt["year"], tgt_type)
        index = pd.MultiIndex.from_arrays([tgt["authority"], tgt["indicator"], tgt_ys])
        pos = index.get_indexer(pd.MultiIndex.from_arrays([ind["authority"], ind["id"], ys]))
    has = pos >= 0
    text, bands = {}, {}
    for name in (*BAND_NAMES, "national_standard"):
        column = tgt[name] if name in tgt else pd.Series(pd.NA, index=tgt.index, dtype="string")
        written = (
            column.reindex(pos).to_numpy(dtype=object, na_value=None)
            if len(tgt)
            else np.full(n, None)
        )
        written = np.where(has, written, None)
        text[name] = written
        if name in BAND_NAMES:
            bands[name] = parse_bands(pd.Series(written, dtype="string"))
    return {"has_target": has, "text": text, "bands": bands}


def _benchmarks_for(
    datasets: Mapping[str, Dataset], ind: pd.DataFrame, ys: np.ndarray
) -> dict[str, pd.DataFrame]:
    """Each benchmark's latest value for a year up to the indicator's year: from the
    published files the settings point at, typed-in benchmarks.csv values filling what
    they lack (see docs/benchmarking.md)."""
    from cyps_analysis.dataset_benchmarks import fill_from_published

    return fill_from_published(_typed_benchmarks(datasets, ind, ys), datasets, ind, ys)


def _typed_benchmarks(
    datasets: Mapping[str, Dataset], ind: pd.DataFrame, ys: np.ndarray
) -> dict[str, pd.DataFrame]:
    """Each benchmark's latest value in benchmarks.csv for a year up to the indicator's year."""
    bench = _stack(datasets, "benchmarks")
    n = len(ind)
    key = pd.MultiIndex.from_arrays([ind["authority"], ind["id"]])
    result = {}
    empty = pd.DataFrame({"value": np.full(n, np.nan), "year": None, "source": None})
    if bench.empty:
        return {name: empty.copy() for name in BENCHMARKS}
    k = key.get_indexer(pd.MultiIndex.from_arrays([bench["authority"], bench["indicator"]]))
    bench = bench.assign(_k=k)[k >= 0]
    year_type = ind["year_type"].to_numpy()[bench["_k"]]
    bench = bench.assign(_ys=_year_starts(bench["year"], year_type))
    bench = bench[(bench["_ys"] >= 0) & (bench["_ys"] <= ys[bench["_k"]])]
    for name in BENCHMARKS:
        b = bench[bench[name].notna()].sort_values(["_k", "_ys"]).drop_duplicates("_k", keep="last")
        frame = empty.copy()
        rows = b["_k"].to_numpy()
        frame.loc[rows, "value"] = round_half_up(
            b[name].to_numpy(dtype="float64"), ind["decimals"].to_numpy()[rows]
        )
        frame.loc[rows, "year"] = [
            year_label(s, t)
            for s, t in zip(b["_ys"], ind["year_type"].to_numpy()[rows], strict=True)
        ]
        frame.loc[rows, "source"] = "benchmarks.csv"
        result[name] = frame
    return result


def _flags(
    grid: MonthGrid,
    ind: pd.DataFrame,
    period: Period,
    ys: np.ndarray,
    windows,
    has_target,
    datasets,
) -> list[list[dict]]:
    """What a reader must know about each row's figures: see docs/method.md#flags."""
    n = len(ind)
    end = period.end
    cols = np.arange(grid.value.shape[1])
    months = grid.start + cols
    freq = ind["frequency"].to_numpy()[:, None]
    year_end_month = (ys % 12 + 11) % 12
    expected_at = np.select(
        [freq == "quarterly", freq == "annual"],
        [(months % 3 == 2)[None, :], (months % 12)[None, :] == year_end_month[:, None]],
        True,
    )
    in_scope = (months[None, :] >= ys[:, None]) | ((months >= period.start) & (months <= end))[
        None, :
    ]
    missing = expected_at & in_scope & ~grid.present
    flags: list[list[dict]] = [[] for _ in range(n)]

    def add(mask, code, messages):
        for i in np.flatnonzero(mask):
            flags[i].append(
                {
                    "code": code,
                    "message": messages[i] if not isinstance(messages, str) else messages,
                }
            )

    labels = np.array([month_label(m) for m in months])
    missing_text = np.array([", ".join(labels[row]) for row in missing])
    add(
        missing.any(axis=1),
        "missing_months",
        np.char.add("No value for ", missing_text.astype(str)),
    )

    pooled = (
        ind["aggregation"].isin(["ratio"])
        | (ind["aggregation"].eq("rolling12") & ind["unit"].isin(["percent", "rate_per_10k"]))
    ).to_numpy()
    # A window of the period (each of its months, the quarter, the year to date) whose
    # denominators sum to zero, so that it has no value; a month of 0 cases inside a
    # window with cases leaves that window's value standing (docs/method.md#flags).
    own = grid.column(list(period.months))
    rolling_pooled = pooled & ind["aggregation"].eq("rolling12").to_numpy()
    month_zero = np.where(
        rolling_pooled[:, None],
        (grid.rolled_count[:, own] > 0) & (grid.rolled_denominator[:, own] == 0),
        pooled[:, None] & grid.present[:, own] & (grid.denominator[:, own] == 0),
    )
    ratio = pooled & ~rolling_pooled
    zero_den = np.concatenate(
        [
            month_zero,
            (ratio & (windows["quarter"].denominator == 0))[:, None],
            (ratio & (windows["outturn"].denominator == 0))[:, None],
        ],
        axis=1,
    )
    zero_labels = np.array([*labels[own], "the quarter", "the year to date"])
    zero_text = np.array([", ".join(zero_labels[row]) for row in zero_den])
    add(
        zero_den.any(axis=1),
        "zero_denominator",
        np.char.add("No cases (denominator 0) in ", zero_text.astype(str)),
    )

    small_at = np.array([datasets[a].settings.small_denominator for a in ind["authority"]])
    den_month = np.where(
        ind["aggregation"].eq("rolling12").to_numpy(),
        grid.rolled_denominator[:, -1],
        grid.denominator[:, -1],
    )
    parts = {
        "the month": den_month,
        "the quarter": windows["quarter"].denominator,
        "the year to date": windows["outturn"].denominator,
    }
    small = np.zeros(n, dtype=bool)
    pieces = []
    for label, den in parts.items():
        is_small = pooled & (den > 0) & (den < small_at)
        small |= is_small
        pieces.append(
            np.where(is_small, [f"{label}: {d:g} cases" if d == d else "" for d in den], "")
        )
    small_text = ["; ".join(p for p in row if p) for row in zip(*pieces, strict=True)]
    add(
        small,
        "small_denominator",
        [
            f"Small numbers ({t}; fewer than {s}): treat percentages with caution"
            for t, s in zip(small_text, small_at, strict=True)
        ],
    )

    if period.kind == "month" and end % 3 != 2:
        add(
            np.ones(n, dtype=bool),
            "partial_quarter",
            f"The quarter is to date: {end % 3 + 1} of its 3 months",
        )
    rolling = ind["aggregation"].eq("rolling12").to_numpy()
    # Any of the period's months, not just the last: each is shown, blank if incomplete.
    incomplete = rolling & (grid.present[:, own] & (grid.rolled_count[:, own] < 12)).any(axis=1)
    add(
        incomplete,
        "incomplete_rolling12",
        "Fewer than 12 months recorded: no rolling twelve-month value",
    )
    kind = ind["kind"].to_numpy()
    year_text = [year_label(s, t) for s, t in zip(ys, ind["year_type"], strict=True)]
    add(
        (kind == "benchmarking") & ~has_target,
        "no_target",
        [f"No target for {y}: not rated" for y in year_text],
    )
    unpublished = (ind["aggregation"].eq("annual").to_numpy()) & np.isnan(windows["outturn"].value)
    add(unpublished, "not_yet_published", [f"No value yet for {y}" for y in year_text])
    return flags
