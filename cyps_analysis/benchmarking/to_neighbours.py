"""Each of a dataset's mapped indicators against its statistical neighbours, England,
the region and the quartiles, for a period: one tidy table for the benchmarking report
and for analysts (:func:`compare_to_neighbours`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.benchmarking.for_dataset import dataset_table, published_year_ends
from cyps_analysis.benchmarking.for_scorecard import indicator_year_end


def compare_to_neighbours(dataset, period) -> pd.DataFrame:
    """Every mapped indicator's published comparisons for a period, as one tidy table
    for charts: one row per indicator and authority shown (the dataset's authority,
    then its neighbours in order).

    Each indicator uses the latest published year ending no later than the period's
    reporting year. Columns: ``indicator``, ``title``, ``measure``, ``year``,
    ``year_label``, ``polarity``, ``role`` (``authority`` or ``neighbour``),
    ``position`` (0 for the authority, 1-10 for neighbours), ``la_code``, ``la_name``,
    ``value``; and, the same on every row of an indicator, ``stat_neighbour_avg``,
    ``stat_neighbours_used``, ``best_stat_neighbour``, ``best_stat_neighbour_la``,
    ``rank_among_neighbours``, ``national``, ``regional``, ``quartile_25``,
    ``quartile_50``, ``quartile_75``, ``band``, ``rank``, ``rank_of``,
    ``top_quartile_threshold``, ``source``. Empty if the dataset maps no indicator.

    Parameters
    ----------
    dataset
        A loaded dataset whose settings name published files (``benchmarking:``) and
        whose indicators name published measures (``national_code``).
    period
        The reporting period (``2024-25-Q4``, a :class:`~cyps_analysis.Period`).

    Examples
    --------
    With a dataset made by ``cyps-analysis dataset from-dfe`` (docs/benchmarking.md):

    >>> table = compare_to_neighbours(load_dataset("rotherham"), "2024-25")  # doctest: +SKIP
    >>> table[table["role"] == "authority"][["title", "value", "stat_neighbour_avg"]]  # doctest: +SKIP
    """
    from cyps_analysis.rules.periods import Period, parse_period
    from cyps_analysis.sources.authorities import authority_names

    period = parse_period(period) if not isinstance(period, Period) else period
    found = dataset_table(dataset)
    if found is None:
        return pd.DataFrame()
    table, _ = found
    ind = dataset.indicators
    mapped = ind[ind["national_code"].notna()]
    ends = published_year_ends(table)
    # benchmarking: year_lag: N shows, for year Y, the benchmarks of Y - N at the latest.
    limit = (
        indicator_year_end(period.end, mapped["year_type"].to_numpy(dtype=object))
        - dataset.settings.year_lag
    )
    choose = pd.DataFrame(
        {
            "indicator": mapped["id"].to_numpy(),
            "title": mapped["title"].to_numpy(),
            "measure": mapped["national_code"].astype(str).str.strip().to_numpy(),
            "polarity": mapped["polarity"].astype(str).to_numpy(),
            "limit": limit,
        }
    )
    rows = table.assign(end=ends.to_numpy())
    rows = rows[rows["value"].notna().to_numpy()]
    both = choose.merge(rows, on=["measure", "polarity"])
    both = both[both["end"] <= both["limit"]]
    latest = both.sort_values(["indicator", "end"]).drop_duplicates("indicator", keep="last")
    summary = [
        "indicator", "title", "measure", "year", "year_label", "polarity",
        "stat_neighbour_avg", "stat_neighbours_used", "best_stat_neighbour",
        "best_stat_neighbour_la", "rank_among_neighbours", "national", "regional",
        "quartile_25", "quartile_50", "quartile_75", "band", "rank", "rank_of",
        "top_quartile_threshold", "source",
    ]  # fmt: skip
    width = sum(1 for c in table.columns if c.startswith("neighbour_") and c.endswith("_value"))
    own = latest[summary].assign(
        role="authority",
        position=0,
        la_code=latest["la_code"].astype(str).to_numpy(),
        la_name=latest["la_name"].astype(str).to_numpy(),
        value=latest["value"].to_numpy(),
    )
    codes = latest[[f"neighbour_{i}" for i in range(1, width + 1)]].astype(object)
    values = latest[[f"neighbour_{i}_value" for i in range(1, width + 1)]]
    neighbours = (
        latest[summary]
        .loc[latest.index.repeat(width)]
        .assign(
            role="neighbour",
            position=np.tile(np.arange(1, width + 1), len(latest)),
            la_code=codes.to_numpy().reshape(-1),
            value=values.to_numpy().reshape(-1),
        )
    )
    neighbours = neighbours[neighbours["la_code"].notna().to_numpy()]
    neighbours["la_name"] = neighbours["la_code"].map(authority_names())
    order = ["indicator", "title", "measure", "year", "year_label", "polarity", "role",
             "position", "la_code", "la_name", "value", *summary[6:]]  # fmt: skip
    out = pd.concat([own, neighbours], ignore_index=True)[order]
    rank = {i: k for k, i in enumerate(mapped["id"])}
    out = out.sort_values(
        ["indicator", "position"], key=lambda s: s.map(rank) if s.name == "indicator" else s
    )
    return out.reset_index(drop=True)


#: The name this table had first (kept working for scripts that use it).
benchmark_indicators = compare_to_neighbours
