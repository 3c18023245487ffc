"""Statistical process control and small-number intervals for a scorecard: each
indicator's XmR chart over its whole history (or from its last baseline month in
``spc_baseline.csv``), the latest point's variation, assurance against the target, and
the interval of the headline value. The rules are in :mod:`cyps_analysis.rules.spc`
and :mod:`cyps_analysis.rules.intervals`; see ``docs/method.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.rules.aggregation import unit_scale
from cyps_analysis.rules.intervals import (
    LEVEL,
    crosses_bands,
    poisson_interval,
    wilson_interval,
)
from cyps_analysis.rules.rag import rag_codes
from cyps_analysis.rules.rounding import round_half_up
from cyps_analysis.rules.spc import (
    ASSURANCES,
    FEWER_THAN,
    VARIATIONS,
    assurance_codes,
    point_rules,
    variation_codes,
    xmr,
)

#: The scorecard's SPC columns (``spc`` in JSON, without the prefix) and interval columns.
SPC_COLUMNS: tuple[str, ...] = (
    "spc_mean",
    "spc_lower",
    "spc_upper",
    "spc_variation",
    "spc_assurance",
    "spc_points_used",
    "spc_reason",
)
INTERVAL_COLUMNS: tuple[str, ...] = (
    "interval_lower",
    "interval_upper",
    "interval_method",
    "interval_level",
    "interval_uncertain_rag",
)
#: Rates per 10,000 get an exact Poisson interval when their numerator is below this:
#: from 100 events on, the interval is within about 20% of the rate either side.
SMALL_COUNT = 100


def spc_points(dataset: Dataset, *, end: int, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every indicator's points up to month ``end`` with their limits and special
    causes (:func:`cyps_analysis.rules.spc.xmr`).

    Each indicator's recorded values (its rule's monthly value, quarterly and annual
    ones as their own points) form one series, split at each baseline month of
    ``spc_baseline.csv``: ``segment`` counts the baselines at or before a point, and
    each segment has its own limits. ``rules`` lists the rules that flag each point.
    """
    from cyps_analysis.scorecard.history import monthly_history

    h = monthly_history(dataset, end=end) if history is None else history
    h = h[h["month_number"] <= end]
    h = h[h["value"].notna()].reset_index(drop=True)
    base = dataset.spc_baseline
    ids = pd.Index(dataset.indicators["id"])
    code = ids.get_indexer(h["indicator"]).astype("int64")
    month = h["month_number"].to_numpy(dtype="int64")
    span = 1 << 32  # month numbers are far smaller: one key per (indicator, month)
    if len(base):
        b_code = ids.get_indexer(base["indicator"]).astype("int64")
        b_month = base["month_number"].to_numpy(dtype="float64", na_value=-1).astype("int64")
        keys = np.sort((b_code * span + b_month)[(b_code >= 0) & (b_month >= 0)])
        segment = np.searchsorted(keys, code * span + month, side="right") - np.searchsorted(
            keys, code * span, side="left"
        )
    else:
        segment = np.zeros(len(h), dtype="int64")
    points = h.assign(segment=segment, _series=code * 1000 + segment)
    out = xmr(points, by="_series").drop(columns="_series")
    out["rules"] = point_rules(out)
    return out


def spc_columns(
    dataset: Dataset,
    card: pd.DataFrame,
    *,
    end: int,
    threshold: np.ndarray,
    step: np.ndarray,
) -> dict[str, np.ndarray]:
    """The SPC columns of a scorecard (``card``, one authority's, in catalogue order):
    the latest segment's mean and limits, the latest point's variation, assurance
    against ``threshold`` (the Green threshold; a sum's, scaled to one point of
    ``step`` months: threshold x step / 12), the points used and the reason there is no
    SPC; ``spc_latest_rules`` and ``spc_run`` (the rules flagging the latest point and
    how many points in a row end there on its side of the mean, or in its trend) for
    the narrative."""
    n = len(card)
    points = spc_points(dataset, end=end)
    ids = pd.Index(card["id"])
    row = ids.get_indexer(points["indicator"])
    last = np.append(row[1:] != row[:-1], True) if len(row) else np.zeros(0, dtype=bool)
    latest = points[last]
    at = ids.get_indexer(latest["indicator"])
    mean, lower, upper = (np.full(n, np.nan) for _ in range(3))
    used = np.zeros(n, dtype="int64")
    variation = np.full(n, -1)
    mean[at], lower[at], upper[at] = (latest[c].to_numpy() for c in ("mean", "lower", "upper"))
    used[at] = latest["points_used"].to_numpy()
    polarity = card["polarity"].to_numpy(dtype=object)
    variation[at] = variation_codes(latest, polarity[at])
    rules = np.empty(n, dtype=object)
    rules[:] = [[] for _ in range(n)]
    rules[at] = latest["rules"].to_list()
    side_run, trend_run = _runs(points)
    only_trend = (
        latest["trend"] & ~latest[["outside_limits", "shift", "two_in_three"]].any(axis=1)
    ).to_numpy()
    run = np.zeros(n, dtype="int64")
    run[at] = np.where(only_trend, trend_run[last], side_run[last])
    scaled = np.where(card["aggregation"].to_numpy(dtype=object) == "sum", step / 12, 1.0)
    assurance = assurance_codes(threshold * scaled, lower, upper, polarity)
    enough = ~np.isnan(lower)
    return {
        "spc_mean": mean,
        "spc_lower": lower,
        "spc_upper": upper,
        "spc_variation": _texts(variation, VARIATIONS),
        "spc_assurance": _texts(assurance, ASSURANCES),
        "spc_points_used": used,
        "spc_reason": np.where(enough, None, FEWER_THAN).astype(object),
        "spc_latest_rules": rules,
        "spc_run": run,
    }


def _runs(points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each point: how many points in a row end there on its side of the mean, and
    how many in a row end there each higher (or each lower) than the one before, within
    its series (1 for a point on the mean or level with the one before)."""
    key = points["indicator"].astype(str) + "/" + points["segment"].astype(str)
    first = key != key.shift()
    step = np.sign(points["value"].diff()).where(~first, 0).fillna(0)
    out = []
    for mark, extra in ((points["side"], 0), (step, 1)):
        new = first | (mark != mark.shift()) | (mark == 0)
        group = new.cumsum()
        run = group.groupby(group).cumcount().to_numpy() + 1
        out.append(np.where(mark.to_numpy() != 0, run + extra, 1))
    return out[0], out[1]


def interval_columns(
    card: pd.DataFrame,
    value: np.ndarray,
    denominator: np.ndarray,
    *,
    bands: dict,
    rated: np.ndarray,
    scale,
) -> dict[str, np.ndarray]:
    """The 95% interval of each headline ``value`` (the month's for a month, the year to
    date's otherwise) from its pooled ``denominator``, in the indicator's unit: Wilson for a percentage with a numerator
    and denominator, exact Poisson for a rate per 10,000 whose numerator is below
    ``SMALL_COUNT``; and whether its ends fall in different RAG bands."""
    n = len(card)
    unit = card["unit"].to_numpy(dtype=object)
    agg = card["aggregation"].to_numpy(dtype=object)
    decimals = card["decimals"].to_numpy(dtype="int64")
    den = np.asarray(denominator, dtype="float64")
    per = unit_scale(unit)
    pooled = np.isin(agg, ["ratio", "rolling12", "snapshot"])
    usable = pooled & (per != 1.0) & (den > 0) & ~np.isnan(value)
    num = np.round(np.where(usable, value * den / per, np.nan), 6)
    lower, upper = np.full(n, np.nan), np.full(n, np.nan)
    method = np.full(n, None, dtype=object)
    wilson = usable & (unit == "percent")
    if wilson.any():
        lo, hi = wilson_interval(num[wilson], den[wilson])
        lower[wilson], upper[wilson], method[wilson] = lo * 100, hi * 100, "wilson"
    poisson = usable & (unit == "rate_per_10k") & (num < SMALL_COUNT)
    if poisson.any():
        lo, hi = poisson_interval(num[poisson])
        rate = 10_000 / den[poisson]
        lower[poisson], upper[poisson], method[poisson] = lo * rate, hi * rate, "poisson_exact"
    has = method != None  # noqa: E711 (an object array compared element by element)
    ends = [rag_codes(round_half_up(v, decimals), bands, scale=scale) for v in (lower, upper)]
    uncertain = crosses_bands(*ends)
    uncertain[~(has & rated)] = None
    return {
        "interval_lower": lower,
        "interval_upper": upper,
        "interval_method": method,
        "interval_level": np.where(has, LEVEL, np.nan),
        "interval_uncertain_rag": uncertain,
        # The cases a reader is told the figure comes from: a percentage's denominator,
        # a rate's events.
        "interval_cases": np.select([wilson, poisson], [den, num], np.nan),
    }


def _texts(codes: np.ndarray, texts: tuple[str, ...]) -> np.ndarray:
    return np.array([*texts, None], dtype=object)[codes]
