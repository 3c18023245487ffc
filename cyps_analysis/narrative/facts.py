"""What the narrative says about each indicator, before it is put into words: the
headline value and rating, what it is compared with (last year, the target, the
benchmarks, the history), which section it belongs in and how it ranks there.

Everything is worked out over the whole scorecard at once; :mod:`cyps_analysis.narrative.wording`
turns the result into sentences and :mod:`cyps_analysis.narrative.build` chooses the bullets.
See ``docs/narrative.md`` for the rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.dataset.load import Dataset
from cyps_analysis.dataset.narrative_settings import POINTS_UNITS, NarrativeSettings
from cyps_analysis.narrative.variation import spc_facts
from cyps_analysis.rules.bands import parse_bands
from cyps_analysis.rules.direction import change_given_polarity, direction_of_travel
from cyps_analysis.rules.disclosure import is_count
from cyps_analysis.rules.periods import Period, month_key, year_label, year_start, year_starts
from cyps_analysis.scorecard.history import year_outturns

#: The benchmarks the narrative compares with, and how it names them.
NARRATIVE_BENCHMARKS: tuple[str, ...] = ("stat_neighbour_avg", "national_avg")
#: Fewest earlier years a value must beat to be called a record ("the lowest since").
RECORD_MIN_YEARS = 2
#: Fewest earlier years of an indicator's history for "the lowest on record"; with
#: fewer, the sentence says how many years it covers ("the lowest in the 4 years
#: recorded (since 2021/22)").
ON_RECORD_MIN_YEARS = 5


def indicator_facts(
    dataset: Dataset, card: pd.DataFrame, period: Period, settings: NarrativeSettings
) -> pd.DataFrame:
    """One row per scorecard row: the facts a bullet about it would state.

    Columns: the indicator's ``id, title, service_area, kind, polarity, unit,
    decimals``; ``value`` (the year to date, or the month's value for a month period)
    and ``rag``; ``comparator_value`` (the same point last year), ``comparator_when``
    (``year``, ``same_time`` or ``month``) and ``comparator_year``; ``direction`` and
    ``change``; ``target`` and ``target_relation``; for each benchmark in
    ``NARRATIVE_BENCHMARKS`` its value, ``_year``, ``_year_stated`` and ``_relation``
    (``above``, ``below``, ``in_line``); ``record`` (``lowest``, ``highest``) and
    ``record_since`` (a year, or NA for "on record" / "in the N years recorded");
    ``record_years`` and ``record_first`` (with no ``record_since``: the years the
    history covers, this one included, and the first, where there are fewer than
    ``ON_RECORD_MIN_YEARS`` earlier ones; NA for "on record"); ``section`` (``working_well``,
    ``challenges``, or NA when there is nothing to say) and ``order`` within it.
    """
    c = card.reset_index(drop=True)
    n = len(c)
    decimals = c["decimals"].to_numpy(dtype="int64")
    unit = c["unit"].to_numpy(dtype=object)
    polarity = c["polarity"].to_numpy(dtype=object)
    kind = c["kind"].to_numpy(dtype=object)
    aggregation = c["aggregation"].to_numpy(dtype=object)
    year_type = c["year_type"].to_numpy(dtype=object)
    ys = year_start(np.full(n, period.end), year_type)
    monthly = period.kind == "month"
    annual = aggregation == "annual"
    full_year = annual | ((not monthly) & (period.end == ys + 11))

    out = c[["id", "title", "service_area", "kind", "polarity", "unit", "decimals"]].copy()
    value_column = month_key(period.end) if monthly else "outturn"
    value = c[value_column].to_numpy(dtype="float64")
    comparator = c["same_month_last_year" if monthly else "previous_year_to_date"].to_numpy(
        dtype="float64"
    )
    out["value"] = value
    out["rag"] = c["rag_month" if monthly else "rag_year"].to_numpy(dtype=object)
    out["rag_label"] = c["rag_month_label" if monthly else "rag_year_label"].to_numpy(dtype=object)
    out["comparator_value"] = comparator
    out["comparator_when"] = np.where(
        monthly & ~annual, "month", np.where(full_year, "year", "same_time")
    )
    out["comparator_year"] = [year_label(s - 12, t) for s, t in zip(ys, year_type, strict=True)]
    out["comparator_month"] = month_key(period.end - 12)
    direction = direction_of_travel(value, comparator, decimals)
    out["direction"] = direction
    out["change"] = change_given_polarity(direction, polarity, kind)
    neutral = (kind == "activity") | (polarity == "none")
    out["neutral"] = neutral

    _target_facts(out, c, period, ys, aggregation, full_year)
    comparable = (kind == "benchmarking") & ((aggregation != "sum") | full_year)
    for name in NARRATIVE_BENCHMARKS:
        bench = np.where(comparable, c[name].to_numpy(dtype="float64"), np.nan)
        out[name] = bench
        out[f"{name}_year"] = c[f"{name}_year"].where(comparable).to_numpy(dtype=object)
        starts = year_starts(pd.Series(out[f"{name}_year"], dtype="string"), c["year_type"])
        out[f"{name}_year_stated"] = (starts < ys - 12).fillna(False).to_numpy(dtype=bool)
        out[f"{name}_relation"] = relation(value, bench, unit, settings)

    _cautions(out, c, period)
    # A total with a month missing is no record.
    incomplete = out["caution_codes"].map(lambda codes: "missing_months" in codes)
    partial_sum = incomplete.to_numpy(dtype=bool) & (aggregation == "sum")
    record, since, years, first = _records(
        dataset, c, period, ys, value, direction, full_year & ~partial_sum
    )
    out["record"] = record
    out["record_since"] = since
    out["record_years"] = years
    out["record_first"] = first
    _sections(out, settings)
    _hidden(out, c, value_column)
    spc_facts(out, c)
    return out


def _hidden(out: pd.DataFrame, c: pd.DataFrame, value_column: str) -> None:
    """``hidden``: a headline figure a published pack hides (small numbers, the
    scorecard's ``suppressed`` column). Its bullet says only that, among the areas of
    challenge and focus, after the others: a figure too small to publish is worth a
    question, and no claim of success can be made from it."""
    hidden = np.array(
        [value_column in keys for keys in c.get("suppressed", [()] * len(c))], dtype=bool
    )
    out["hidden"] = hidden
    out["hidden_count"] = hidden & is_count(c["unit"], c["aggregation"])
    out.loc[hidden, "section"] = "challenges"
    out.loc[hidden, "order"] = out["order"].max() + 1 + np.arange(int(hidden.sum()))


def relation(value, benchmark, unit, settings: NarrativeSettings) -> np.ndarray:
    """``above``, ``below`` or ``in_line`` (within the unit's tolerance) of each value
    against a benchmark; ``None`` where either is missing.

    Examples
    --------
    >>> relation([86.5, 86.6, 300.0], [85.5, 85.5, 306.0], ["percent", "percent",
    ...          "rate_per_10k"], NarrativeSettings()).tolist()
    ['in_line', 'above', 'in_line']
    """
    v = np.asarray(value, dtype="float64")
    b = np.asarray(benchmark, dtype="float64")
    units = np.asarray(unit, dtype=object)
    tolerance = pd.Series(units).map(dict(settings.in_line)).to_numpy(dtype="float64")
    points = np.isin(units, list(POINTS_UNITS))
    allowed = np.where(points, tolerance, tolerance * np.abs(b))
    # The difference is compared at nine decimals so that 86.5 - 85.5 is 1, not 1.0000001.
    diff = np.round(v - b, 9)
    with np.errstate(invalid="ignore"):
        return np.select(
            [np.isnan(diff), np.abs(diff) <= np.round(allowed, 9), diff > 0],
            [None, "in_line", "above"],
            "below",
        ).astype(object)


def _target_facts(out, c, period: Period, ys, aggregation, full_year) -> None:
    """The target (the Green band's threshold as written), the year-to-date target a sum
    is rated against (pro rata), and the value's relative gap to it."""
    green = parse_bands(c["green"].astype("string"))
    high = c["polarity"].to_numpy(dtype=object) == "high"
    threshold = np.where(high, green["lo"].to_numpy(), green["hi"].to_numpy())
    rated = out["rag"].notna().to_numpy()
    threshold = np.where(rated & np.isfinite(threshold), threshold, np.nan)
    # Sums are rated against the bands scaled by the share of the year elapsed.
    months = np.where(period.kind == "month", 1, period.end - ys + 1)
    scale = np.where((aggregation == "sum") & ~full_year, months / 12, 1.0)
    out["target"] = threshold
    out["target_for_year"] = (aggregation == "sum") & ~full_year & rated
    scaled = threshold * scale
    value = out["value"].to_numpy(dtype="float64")
    out["target_relation"] = np.select(
        [np.isnan(scaled), value > scaled, value < scaled], [None, "above", "below"], "equal"
    ).astype(object)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["target_gap"] = np.abs(value - scaled) / np.abs(scaled)


def _cautions(out: pd.DataFrame, c: pd.DataFrame, period: Period) -> None:
    """What the reader must know to trust the value, from the scorecard's flags: months
    missing from a year-to-date total, average or ratio; small numbers."""
    windowed = (
        c["aggregation"].isin(["sum", "mean", "ratio"]) & (period.kind != "month")
    ).to_numpy()
    messages = c["flags"].map(lambda flags: {f["code"]: f["message"] for f in flags or []})
    missing = messages.map(lambda m: m.get("missing_months", "")).where(windowed, "")
    small = messages.map(lambda m: "small_denominator" in m).to_numpy(dtype=bool)
    missing_text = missing.str[:1].str.lower() + missing.str[1:]
    small_text = np.where(small, "small numbers: treat with caution", "")
    joiner = np.where((missing_text != "") & small, "; ", "")
    out["caution"] = (missing_text + joiner + small_text).to_numpy(dtype=object)
    out["caution_codes"] = [
        [code for code, on in (("missing_months", m != ""), ("small_denominator", s)) if on]
        for m, s in zip(missing, small, strict=True)
    ]


def _records(dataset, c, period, ys, value, direction, whole_year):
    """``lowest`` / ``highest`` where the value beats at least RECORD_MIN_YEARS earlier
    years' outturns in a row, and the year that last was as low (high), or NA: "on
    record". Only for values comparable with a year's outturn (a whole year's, or a
    value at a point in time) and only in the direction the value moved."""
    n = len(c)
    record = np.full(n, None, dtype=object)
    since = np.full(n, None, dtype=object)
    years = np.full(n, None, dtype=object)
    first = np.full(n, None, dtype=object)
    point_in_time = c["aggregation"].isin(["snapshot", "rolling12", "annual"]).to_numpy()
    comparable = (point_in_time | whole_year) & np.isin(direction, ["up", "down"])
    if not comparable.any() or dataset.observations.empty:
        return record, since, years, first
    history = year_outturns(dataset, c, period)
    h = history.to_numpy(dtype="float64")[:, ::-1]  # latest year first
    starts = history.columns.to_numpy()[::-1]
    v = value[:, None]
    low = (direction == "down")[:, None]
    with np.errstate(invalid="ignore"):
        as_good = np.where(low, h <= v, h >= v)  # "at least as low" (or high)
    has = ~np.isnan(h)
    holder = np.where(as_good.any(axis=1), as_good.argmax(axis=1), h.shape[1])
    before = np.arange(h.shape[1])[None, :] < holder[:, None]
    beaten = (has & before).sum(axis=1)
    found = comparable & (beaten >= RECORD_MIN_YEARS)
    record[found] = np.where(direction[found] == "down", "lowest", "highest")
    year_type = c["year_type"].to_numpy(dtype=object)
    on_record = holder >= h.shape[1]
    for i in np.flatnonzero(found & ~on_record):
        since[i] = year_label(int(starts[holder[i]]), year_type[i])
    # "On record" needs a history of ON_RECORD_MIN_YEARS earlier years; a shorter one
    # is named: "the highest in the 4 years recorded (since 2021/22)".
    earlier = has.sum(axis=1)
    short = found & on_record & (earlier < ON_RECORD_MIN_YEARS)
    oldest = h.shape[1] - 1 - np.argmax(has[:, ::-1], axis=1)  # h is latest first
    for i in np.flatnonzero(short):
        years[i] = int(earlier[i]) + 1
        first[i] = year_label(int(starts[oldest[i]]), year_type[i])
    return record, since, years, first


def _sections(out: pd.DataFrame, settings: NarrativeSettings) -> None:
    """The section each indicator's bullet belongs in, and its order there."""
    rag = out["rag"].to_numpy(dtype=object)
    change = out["change"].to_numpy(dtype=object)
    neutral = out["neutral"].to_numpy(dtype=bool)
    has_value = out["value"].notna().to_numpy()
    # Benchmarks decide an unrated indicator whose direction does not.
    better = np.zeros(len(out), dtype=int)
    worse = np.zeros(len(out), dtype=int)
    high = (out["polarity"] == "high").to_numpy()
    for name in NARRATIVE_BENCHMARKS:
        rel = out[f"{name}_relation"].to_numpy(dtype=object)
        better += np.where(high, rel == "above", rel == "below")
        worse += np.where(high, rel == "below", rel == "above")
    # Activity moves section only when it moved by more than the in-line tolerance.
    moved = relation(out["value"], out["comparator_value"], out["unit"], settings)
    moved_out = np.isin(moved, ["above", "below"])
    rated = np.isin(rag, ["Red", "Amber", "Green"])
    mixed = ~np.isin(change, ["improving", "declining"])
    unrated_good = (change == "improving") | (mixed & (better > 0) & (worse == 0))
    unrated_bad = (change == "declining") | (mixed & (worse > 0) & (better == 0))
    section = np.select(
        [
            ~has_value,
            rated & (rag == "Green"),
            rated,
            neutral & moved_out,
            neutral,
            unrated_good,
            unrated_bad,
        ],
        [None, "working_well", "challenges", "challenges", None, "working_well", "challenges"],
        None,
    ).astype(object)
    group = np.where(rated, rag, np.where(neutral, "neutral", "unrated"))
    rank = np.select(
        [
            np.isin(group, ["Red", "Green"]),
            group == "Amber",
            (group == "unrated") & (section == "challenges"),
            group == "unrated",
            group == "neutral",
        ],
        [0, 1, 2, 1, 3],
        9,
    )
    value = out["value"].to_numpy(dtype="float64")
    previous = out["comparator_value"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        change_size = np.abs(value - previous) / np.abs(previous)
    out["section"] = section
    out["change_size"] = change_size
    keys = pd.DataFrame(
        {
            "rank": rank,
            "gap": -np.nan_to_num(out["target_gap"].to_numpy(dtype="float64"), nan=-1.0),
            "size": -np.nan_to_num(change_size, nan=-1.0, posinf=np.inf),
            "pos": np.arange(len(out)),
        }
    )
    order = keys.sort_values(["rank", "gap", "size", "pos"], kind="stable").index.to_numpy()
    out["order"] = np.argsort(order)
