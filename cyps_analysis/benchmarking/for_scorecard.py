"""What a scorecard takes from the published files a dataset's settings point at: each
benchmark column's latest published value for a year up to the indicator's, with that
year and its source (typed-in ``benchmarks.csv`` values only where the published data
has none)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cyps_analysis.benchmarking.for_dataset import dataset_table, published_year_ends

#: Scorecard benchmark column -> comparison column.
SCORECARD_COLUMNS: dict[str, str] = {
    "stat_neighbour_avg": "stat_neighbour_avg",
    "best_stat_neighbour": "best_stat_neighbour",
    "national_avg": "national",
    "top_quartile": "top_quartile_threshold",
    "regional_avg": "regional",
}


def fill_from_published(
    typed: dict[str, pd.DataFrame], datasets: Mapping, ind: pd.DataFrame, ys: np.ndarray
) -> dict[str, pd.DataFrame]:
    """The scorecard's benchmark columns: published figures where the authority's
    settings point at published files and the indicator has a ``national_code``;
    ``typed`` (from benchmarks.csv) where they have none. Values are rounded half up
    to each indicator's decimals."""
    from cyps_analysis.rules.rounding import round_half_up

    out = {name: frame.copy() for name, frame in typed.items()}
    authority = ind["authority"].astype(str).to_numpy()
    for name, dataset in datasets.items():
        rows = np.flatnonzero(authority == str(name))
        if not dataset.settings.benchmarking or not len(rows):
            continue
        sub = ind.iloc[rows].reset_index(drop=True)
        if "national_code" not in sub:
            continue
        published = scorecard_benchmarks(dataset, sub, (np.asarray(ys)[rows] + 11) // 12)
        if published is None:
            continue
        decimals = sub["decimals"].to_numpy()
        for column, frame in published.items():
            has = frame["value"].notna().to_numpy()
            target = rows[has]
            out[column].loc[target, "value"] = round_half_up(
                frame["value"].to_numpy(dtype="float64")[has], decimals[has]
            )
            out[column].loc[target, "year"] = frame["year"].to_numpy()[has]
            out[column].loc[target, "source"] = frame["source"].to_numpy()[has]
    return out


def scorecard_benchmarks(
    dataset, indicators: pd.DataFrame, year_end: np.ndarray
) -> dict[str, pd.DataFrame] | None:
    """For each scorecard benchmark column, each indicator's latest published value for
    a year ending no later than ``year_end`` (the calendar year the indicator's
    reporting year ends in, less any ``year_lag``: the caller's ``ys`` carry it), with
    that year and the source; None if the dataset points at no published files."""
    found = dataset_table(dataset)
    if found is None:
        return None
    table, _ = found
    n = len(indicators)
    codes = indicators["national_code"].astype("string").str.strip().fillna("")
    result = {}
    ends = published_year_ends(table).to_numpy()
    for column, comparison in SCORECARD_COLUMNS.items():
        have = table[comparison].notna().to_numpy()
        candidates = pd.DataFrame(
            {
                "measure": table["measure"].to_numpy()[have],
                "polarity": table["polarity"].to_numpy()[have],
                "end": ends[have],
                "value": table[comparison].to_numpy(dtype="float64")[have],
                "year": table["year"].astype(str).to_numpy()[have],
                "label": table["year_label"].astype(str).to_numpy()[have],
                "source": table["source"].astype(str).to_numpy()[have],
            }
        )
        wanted = pd.DataFrame(
            {
                "measure": codes.to_numpy(),
                "polarity": indicators["polarity"].astype(str).to_numpy(),
                "year_type": indicators["year_type"].astype(str).to_numpy(),
                "limit": year_end,
                "row": np.arange(n),
            }
        )
        merged = wanted.merge(candidates, on=["measure", "polarity"])
        merged = merged[merged["end"] <= merged["limit"]]
        latest = merged.sort_values(["row", "end"]).drop_duplicates("row", keep="last")
        frame = pd.DataFrame({"value": np.full(n, np.nan), "year": None, "source": None})
        rows = latest["row"].to_numpy()
        frame.loc[rows, "value"] = latest["value"].to_numpy()
        frame.loc[rows, "year"] = _as_indicator_year(latest).to_numpy()
        frame.loc[rows, "source"] = latest["source"].to_numpy()
        result[column] = frame
    return result


def _as_indicator_year(rows: pd.DataFrame) -> pd.Series:
    """A published year written as the indicator's years are (``2023/24`` for a
    financial indicator, even where LAIT writes ``2024``); spans of several years
    (``2014-16``) as published."""
    from cyps_analysis.sources.published import year_labels

    single = rows["year"].str.fullmatch(r"\d{4}|\d{4}[-/]\d{2}|\d{6}").fillna(False).to_numpy()
    own = year_labels(rows["end"].astype(str), rows["year_type"]).to_numpy(dtype=object)
    return pd.Series(np.where(single, own, rows["label"].to_numpy(dtype=object)), index=rows.index)


def indicator_year_end(month: int | np.ndarray, year_type) -> np.ndarray:
    """The calendar year in which the indicator's year containing ``month`` ends: a
    financial year 2024/25 ends in 2025, as LAIT's "2025" for a financial measure.

    Examples
    --------
    >>> from cyps_analysis.rules.periods import parse_month
    >>> indicator_year_end(parse_month("2025-03"), np.array(["financial", "calendar"])).tolist()
    [2025, 2025]
    """
    from cyps_analysis.rules.periods import year_start

    return (np.asarray(year_start(month, year_type)) + 11) // 12
