"""Revisions: which earlier months' figures changed between the last pack and this one
(docs/reports.md#revisions)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.rules.rounding import round_half_up


def revised_months(old: pd.DataFrame, new: pd.DataFrame, decimals: pd.Series, *, last: int):
    """The months whose figure changed from ``old`` (the last pack's figures) to ``new``
    (this pack's): each table has ``indicator``, ``month_number`` and ``value``.

    Compared: the indicators ``decimals`` names (indexed by indicator id, in report
    order) that both tables hold, in the months up to ``last`` (the last pack's final
    month: months after it are new, not revised). A month is revised when its value
    shown (rounded half up to the indicator's decimals) differs, or when it is in one
    table only (recorded late, or taken out). Returns ``indicator``, ``month_number``,
    ``old`` and ``new`` (unrounded; missing where the month is in one table only), in
    ``decimals``' order of indicators and then by month.

    Examples
    --------
    >>> old = pd.DataFrame({"indicator": ["a", "a", "b"], "month_number": [1, 2, 1],
    ...                     "value": [91.14, 50.0, 7.0]})
    >>> new = pd.DataFrame({"indicator": ["a", "a", "a", "b"], "month_number": [1, 2, 3, 1],
    ...                     "value": [25.32, 50.04, 60.0, 7.0]})
    >>> revised_months(old, new, pd.Series({"a": 1, "b": 0}), last=2).to_dict("records")
    [{'indicator': 'a', 'month_number': 1, 'old': 91.14, 'new': 25.32}]
    """
    keys = ["indicator", "month_number"]
    both = set(old["indicator"]) & set(new["indicator"]) & set(decimals.index)
    sides = [
        t.loc[t["indicator"].isin(both) & (t["month_number"] <= last), [*keys, "value"]]
        for t in (old, new)
    ]
    merged = sides[0].merge(sides[1], on=keys, how="outer", suffixes=("_old", "_new"))
    places = decimals.reindex(merged["indicator"]).to_numpy(dtype="int64")
    shown = [
        round_half_up(merged[f"value_{side}"].to_numpy(dtype="float64"), places)
        for side in ("old", "new")
    ]
    same = (shown[0] == shown[1]) | (np.isnan(shown[0]) & np.isnan(shown[1]))
    out = merged.loc[~same].rename(columns={"value_old": "old", "value_new": "new"})
    order = pd.Series(range(len(decimals)), index=decimals.index)
    out = out.assign(_order=order.reindex(out["indicator"]).to_numpy())
    out = out.sort_values(["_order", "month_number"], kind="stable").drop(columns="_order")
    out["month_number"] = out["month_number"].astype("int64")
    return out.reset_index(drop=True)
