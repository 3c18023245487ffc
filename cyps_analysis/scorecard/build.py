"""The scorecard: one row per indicator with its values, RAG, direction of travel,
bands and benchmarks for a reporting period.

:func:`build_scorecard` works for one authority; :func:`build_scorecards` for many at
once, as one computation over all their indicators. The rules themselves live in
:mod:`cyps_analysis.rules`; this module lays a dataset's parsed tables out for them and
puts what they give into one table.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.rules.aggregation import GRID_MONTHS, aggregate_windows, build_grid
from cyps_analysis.rules.direction import CHANGES, DIRECTIONS, change_codes, direction_codes
from cyps_analysis.rules.flags import flag_rows
from cyps_analysis.rules.periods import Period, month_key, month_label, parse_period, year_labels
from cyps_analysis.rules.periods import year_start as year_start_of
from cyps_analysis.rules.rag import rate_rows
from cyps_analysis.rules.rounding import round_half_up
from cyps_analysis.scorecard._suppress import hidden_figures, hide_derived
from cyps_analysis.scorecard._tables import benchmark_rows, catalogue_of, record_arrays, target_rows
from cyps_analysis.scorecard._whats_next import attribution_columns, forecast_columns
from cyps_analysis.vocab import BAND_NAMES, BENCHMARKS, FREQUENCY_STEP, RAG_VALUES

__all__ = [
    "BENCHMARKS",
    "INDICATOR_COLUMNS",
    "VALUE_COLUMNS",
    "build_scorecard",
    "build_scorecards",
]

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


def build_scorecard(
    dataset: Dataset, period: str | Period, *, spc: bool = False, publish: bool = False
) -> pd.DataFrame:
    """The scorecard of one authority for a reporting period.

    Parameters
    ----------
    dataset
        A loaded dataset (:func:`~cyps_analysis.load_dataset`).
    period
        A month ``2025-03``, a quarter ``2024-25-Q4`` or a financial year ``2024-25``
        (text or a :class:`~cyps_analysis.Period`).

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in the order of the settings' service areas and then
        of ``indicators.csv``. Columns: the indicator's attributes, ``year`` (the
        indicator's year), one column per month of the period (``YYYY-MM``), the values
        in ``VALUE_COLUMNS``, direction and RAG (``dot_month``, ``dot_month_change``,
        ``rag_month``, ``rag_month_label`` and the same for ``year``), the bands as
        written, each benchmark with ``_year`` and ``_source``, and ``flags``.
        ``attrs`` holds the period, authority, as-at date and the period's months.
        With ``publish=True``, small numbers are hidden as a published pack hides
        them (:mod:`cyps_analysis.rules.disclosure`, the settings' ``publish:
        min_count``): each hidden figure is missing (NaN), its RAG, direction,
        forecast, change and interval too, a ``suppressed`` column lists each row's
        hidden columns, and ``attrs["min_count"]`` holds the threshold.
        With ``spc=True``, also statistical process control and the headline value's
        interval (``SPC_COLUMNS``, ``INTERVAL_COLUMNS``; see docs/method.md).
        Numbers are rounded half up to each indicator's decimals. See
        ``docs/scorecard.md``.

    Examples
    --------
    >>> from pathlib import Path
    >>> import cyps_analysis
    >>> demo = cyps_analysis.load_dataset(
    ...     Path(cyps_analysis.__file__).parents[1] / "data" / "demo")
    >>> card = build_scorecard(demo, "2024-25-Q4")

    Assessments within 45 working days, April 2024 to March 2025: 1,683 of 1,912,
    88.0%, against a target of 83.6% or more:

    >>> row = card.set_index("id").loc["csc_assess45"]
    >>> print(row["outturn"], row["rag_year"])
    88.0 Green
    """
    min_count = dataset.settings.min_count if publish else None
    card = _scorecards(
        {dataset.settings.authority: dataset},
        period,
        with_authority=False,
        spc=spc,
        min_count=min_count,
    )
    card.attrs.update(
        authority=dataset.settings.authority, as_at=dataset.settings.as_at.isoformat()
    )
    return card


def build_scorecards(datasets: Mapping[str, Dataset], period: str | Period) -> pd.DataFrame:
    """Scorecards of many authorities at once: ``datasets`` maps a name to each
    authority's dataset; the result is :func:`build_scorecard`'s, with an ``authority``
    column first."""
    return _scorecards(datasets, period, with_authority=True)


def _scorecards(
    datasets: Mapping[str, Dataset],
    period: str | Period,
    *,
    with_authority: bool,
    spc: bool = False,
    min_count: int | None = None,
) -> pd.DataFrame:
    period = parse_period(period) if isinstance(period, str) else period
    end = period.end
    cat = catalogue_of(datasets)
    n = len(cat)
    agg, unit, kind, polarity = (
        cat[c].to_numpy(dtype=object) for c in ("aggregation", "unit", "kind", "polarity")
    )
    frequency, year_type = (cat[c].to_numpy(dtype=object) for c in ("frequency", "year_type"))
    decimals = cat["decimals"].to_numpy(dtype="int64")
    authority = cat["_authority"].to_numpy()
    keys, months, records = record_arrays(datasets, cat, first=end - GRID_MONTHS + 1, last=end)
    grid = build_grid(keys, months, records, cat, end=end)
    ys = year_start_of(np.full(n, end), year_type) if n else np.zeros(0, dtype="int64")
    bounds = {
        "quarter": (end - end % 3, end),
        "outturn": (ys, end),
        "previous_year_to_date": (ys - 12, end - 12),
        "previous_year": (ys - 12, ys - 1),
    }
    windows = aggregate_windows(grid, agg, unit, bounds)
    step = np.array([FREQUENCY_STEP.get(f, 0) for f in frequency], dtype="int64")
    values = {name: w.value for name, w in windows.items()}
    values["same_month_last_year"] = grid.monthly[:, grid.column(end - 12)]
    values["previous_month"] = grid.monthly[np.arange(n), grid.column(end - step)]
    month_values = {month_key(m): grid.monthly[:, grid.column(m)] for m in period.months}
    rounded = {k: round_half_up(v, decimals) for k, v in {**values, **month_values}.items()}
    hidden: dict[str, np.ndarray] = {}
    if min_count is not None:
        months = {
            "same_month_last_year": np.full(n, end - 12),
            "previous_month": end - step,
            **{month_key(m): np.full(n, m) for m in period.months},
        }
        hidden = hidden_figures(
            grid, agg, unit, bounds, windows, {**values, **month_values}, months, min_count
        )
        # A hidden figure is missing from here on: no RAG or direction from it (what
        # else it would give away is hidden once the row is made: _hide_derived).
        rounded = {k: np.where(hidden[k], np.nan, v) for k, v in rounded.items()}
    latest_month = rounded[month_key(end)]
    year_text = year_labels(ys, year_type)

    out: dict[str, object] = {}
    if with_authority:
        out["authority"] = pd.Categorical.from_codes(authority, categories=list(datasets))
    out |= {c: cat[c].to_numpy(copy=True) for c in INDICATOR_COLUMNS}
    out["year"] = year_text
    out |= {key: rounded[key] for key in month_values}
    out |= {key: rounded[key] for key in VALUE_COLUMNS}

    # The month's direction (latest month against the one before) and the year's (year
    # to date against the same months last year).
    for col, now, before in (
        ("dot_month", latest_month, rounded["previous_month"]),
        ("dot_year", rounded["outturn"], rounded["previous_year_to_date"]),
    ):
        dots = direction_codes(now, before, decimals)
        out[col] = _texts(dots, DIRECTIONS)
        out[f"{col}_change"] = _texts(change_codes(dots, polarity, kind), CHANGES)

    targets = target_rows(datasets, cat, ys)
    is_sum = agg == "sum"
    # Pro rata for sums as (months, 12): compared exactly, not through a rounded fraction.
    twelve = np.where(is_sum, 12.0, 1.0)
    months_elapsed = end - ys + 1
    scales = {
        "rag_month": (np.where(is_sum, step, 1.0), twelve),
        "rag_year": (np.where(is_sum, months_elapsed, 1.0), twelve),
    }
    rated = (kind == "benchmarking") & targets["has_target"]
    # Each row rated by its authority's rule, which may read its direction of travel.
    rule = np.array([d.settings.rag_rule for d in datasets.values()], dtype=object)[authority]
    rags, notes = {}, {}
    for col, value in (("rag_month", latest_month), ("rag_year", rounded["outturn"])):
        codes, why = rate_rows(
            value,
            targets["bands"],
            scale=scales[col],
            change=out[f"{col.replace('rag', 'dot')}_change"],
            rule=rule,
        )
        rags[col] = np.where(rated, codes, -1)
        notes[col] = np.where(rated, why, None)
    # Each authority's own words for Red, Amber and Green (a row of words each).
    words = np.array(
        [[d.settings.label(r) for r in RAG_VALUES] for d in datasets.values()], dtype=object
    ).reshape(-1, len(RAG_VALUES))
    for col, codes in rags.items():
        out[col] = _texts(codes, RAG_VALUES)
    for col, codes in rags.items():
        label = np.full(n, None, dtype=object)
        label[codes >= 0] = words[authority[codes >= 0], codes[codes >= 0]]
        out[f"{col}_label"] = label
    for name in (*BAND_NAMES, "national_standard"):
        out[name] = targets["text"][name]

    for name, found in _benchmarks(datasets, cat, ys, year_type, decimals).items():
        out[name] = found["value"]
        out[f"{name}_year"] = found["year"]
        out[f"{name}_source"] = found["source"]
    small_at = np.array([d.settings.small_denominator for d in datasets.values()], "int64")
    out["flags"] = flag_rows(
        grid,
        {"frequency": frequency, "aggregation": agg, "unit": unit, "kind": kind},
        period,
        ys,
        windows,
        has_target=targets["has_target"],
        small_at=small_at[authority],
        year_text=year_text,
        rag_notes=notes,
        min_count=min_count,
    )
    out |= forecast_columns(
        end=end,
        ys=ys,
        rated=rated,
        aggregation=agg,
        unit=unit,
        polarity=polarity,
        decimals=decimals,
        outturn=windows["outturn"],
        bands=targets["bands"],
    )
    out |= attribution_columns(
        end=end,
        aggregation=agg,
        unit=unit,
        grid=grid,
        outturn=windows["outturn"],
        previous=windows["previous_year_to_date"],
    )
    if spc:
        (dataset,) = datasets.values()
        out |= _spc(dataset, cat, period, grid, windows, targets, rated, scales, step)
    if min_count is not None:
        hide_derived(out, hidden, rated, period)
    card = pd.DataFrame(out)
    if min_count is not None:
        card.attrs["min_count"] = min_count
    card.attrs.update(
        period=period.label,
        period_title=period.title,
        months=[month_key(m) for m in period.months],
        month_labels=[month_label(m) for m in period.months],
    )
    return card


def _spc(dataset, cat, period: Period, grid, windows, targets, rated, scales, step) -> dict:
    """SPC and interval columns (:mod:`cyps_analysis.scorecard.spc`) of one authority."""
    from cyps_analysis.scorecard.spc import interval_columns, spc_columns

    n = len(cat)
    polarity = cat["polarity"].to_numpy(dtype=object)
    green = targets["bands"]["green"]
    threshold = np.where(polarity == "low", green["hi"], green["lo"])
    threshold = np.where(rated & np.isfinite(threshold), threshold, np.nan)
    columns = spc_columns(dataset, cat, end=period.end, threshold=threshold, step=step)
    agg = cat["aggregation"].to_numpy(dtype=object)
    end_col = grid.column(period.end)
    month_den = grid.denominator[np.arange(n), end_col]
    if period.kind == "month":
        value = grid.monthly[:, end_col]
        rolled = grid.rolled_at("denominator", np.arange(n), np.full(n, end_col))
        den = np.where(agg == "rolling12", rolled, month_den)
        scale = scales["rag_month"]
    else:
        value, den = windows["outturn"].value, windows["outturn"].denominator
        scale = scales["rag_year"]
    # A snapshot's figure is its last month's: that month's own denominator.
    den = np.where(agg == "snapshot", month_den, den)
    columns |= interval_columns(cat, value, den, bands=targets["bands"], rated=rated, scale=scale)
    return columns


def _texts(codes: np.ndarray, texts: tuple[str, ...]) -> np.ndarray:
    """Codes into ``texts`` as an object array of them, None for -1."""
    return np.array([*texts, None], dtype=object)[codes]


def _benchmarks(
    datasets: Mapping[str, Dataset],
    cat: pd.DataFrame,
    ys: np.ndarray,
    year_type: np.ndarray,
    decimals: np.ndarray,
) -> dict[str, dict[str, np.ndarray]]:
    """Each benchmark's latest value for a year up to the indicator's year, that year,
    and its source: from the published files the settings point at
    (docs/benchmarking.md), typed-in ``benchmarks.csv`` values filling what they lack.
    With ``benchmarking: year_lag: N``, benchmarks as they stood: of year Y - N at the
    latest."""
    lags = np.array([d.settings.year_lag for d in datasets.values()], dtype="int64")
    if len(lags):
        ys = ys - 12 * lags[cat["_authority"].to_numpy()]
    typed = benchmark_rows(datasets, cat, ys, year_type, decimals)
    if not any(d.settings.benchmarking for d in datasets.values()):
        return typed
    from cyps_analysis.benchmarking.for_scorecard import fill_from_published

    ind = cat.assign(authority=np.asarray(list(datasets), dtype=object)[cat["_authority"]])
    if "national_code" not in ind.columns:
        ind["national_code"] = None
    frames = {name: pd.DataFrame(found) for name, found in typed.items()}
    from cyps_analysis.benchmarking.units import check_units

    for dataset in datasets.values():  # a unit that cannot match its measure is an error
        check_units(dataset)
    filled = fill_from_published(frames, datasets, ind, ys)
    return {
        name: {key: frame[key].to_numpy() for key in ("value", "year", "source")}
        for name, frame in filled.items()
    }
