"""The narrative's words: numbers formatted by unit, verbs that follow polarity and
direction, and the comparisons with last year, the target, the benchmarks and the
history, in the register of a council performance report.

Works on the facts table of :func:`cyps_analysis.narrative.facts.indicator_facts`, all
rows at once. See ``docs/narrative.md`` for the rules, with examples.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from cyps_analysis.narrative.variation import (
    special_cause_phrases,
    uncertainty_phrases,
    within_normal_variation,
)
from cyps_analysis.rules.periods import Period, month_key
from cyps_analysis.rules.rounding import round_half_up

#: The verb for each (polarity, direction): never "improved" for a change for the worse.
VERBS: dict[tuple[str, str], str] = {
    ("high", "up"): "improved to",
    ("high", "down"): "fell to",
    ("low", "down"): "reduced to",
    ("low", "up"): "increased to",
    ("none", "up"): "increased to",
    ("none", "down"): "decreased to",
}
RELATION_WORDS: dict[str, str] = {"above": "above", "below": "below", "in_line": "in line with"}


def format_numbers(values, unit, decimals) -> pd.Series:
    """Numbers as the report writes them: ``92.5%``, ``310.7``, ``345 days``, ``1,147``;
    empty where missing.

    Examples
    --------
    >>> format_numbers([92.5, 310.66, 345.0, 1147.0, None],
    ...                ["percent", "rate_per_10k", "days", "count", "count"],
    ...                [1, 1, 0, 0, 0]).tolist()
    ['92.5%', '310.7', '345 days', '1,147', '']
    """
    v = round_half_up(np.asarray(values, dtype="float64"), np.asarray(decimals))
    d = pd.Series(np.broadcast_to(np.asarray(decimals), v.shape)).astype(int)
    text = pd.Series([f"{x:,.{k}f}" for x, k in zip(v, d, strict=True)], dtype=object)
    return _with_unit(text, v, unit)


def format_targets(values, unit) -> pd.Series:
    """Targets as analysts write them, without trailing zeros: ``90%``, ``82.5%``,
    ``227.1``, ``365 days``.

    Examples
    --------
    >>> format_targets([90.0, 82.5, 365.0], ["percent", "percent", "days"]).tolist()
    ['90%', '82.5%', '365 days']
    """
    v = np.asarray(values, dtype="float64")
    text = pd.Series([f"{x:,.6f}".rstrip("0").rstrip(".") for x in v], dtype=object)
    return _with_unit(text, v, unit)


def _with_unit(text: pd.Series, values: np.ndarray, unit) -> pd.Series:
    unit = pd.Series(np.broadcast_to(np.asarray(unit, dtype=object), values.shape))
    suffix = unit.map({"percent": "%", "days": " days"}).fillna("")
    return (text + suffix).where(~np.isnan(values), "")


def month_words(key: str) -> str:
    """``2024-03`` as prose writes it: ``March 2024``."""
    return f"{calendar.month_name[int(key[5:])]} {key[:4]}"


def bullet_texts(facts: pd.DataFrame) -> pd.Series:
    """One sentence per row of ``facts``: the value with its verb, the target, a record,
    last year, and the benchmarks.

    A challenge that is nevertheless improving says so ("was 19.4% (target is 17%), an
    improvement on 21.6% in 2023/24").
    """
    f = facts.reset_index(drop=True)
    value = format_numbers(f["value"], f["unit"], f["decimals"])
    previous = format_numbers(f["comparator_value"], f["unit"], f["decimals"])
    polarity = np.where(f["neutral"], "none", f["polarity"].to_numpy(dtype=object))
    direction = f["direction"].to_numpy(dtype=object)
    keys = pd.MultiIndex.from_arrays([polarity, direction])
    verb = pd.Series(VERBS).reindex(keys).fillna("was").reset_index(drop=True).astype(object)
    nevertheless = (f["section"] == "challenges") & (f["change"] == "improving")
    verb = verb.where(~nevertheless, "was")

    target = format_targets(f["target"], f["unit"])
    target_words = np.where(f["target_for_year"], " (target for the year is ", " (target is ")
    target = (target_words + target + ")").where(target != "", "")

    caution = (" (" + f["caution"].astype(str) + ")").where(f["caution"] != "", "")
    if "interval_lower" in f:
        sure = uncertainty_phrases(
            f,
            format_numbers(f["interval_lower"], f["unit"], f["decimals"]),
            format_numbers(f["interval_upper"], f["unit"], f["decimals"]),
        )
        caution = caution + (" (" + sure + ")").where(sure != "", "")
    if "record_years" in f:
        recorded = (
            "in the "
            + f["record_years"].astype("string").fillna("")
            + " years recorded (since "
            + f["record_first"].astype("string").fillna("")
            + ")"
        ).to_numpy(dtype=object)
        short = f["record_years"].notna().to_numpy()
    else:
        recorded, short = "", np.zeros(len(f), dtype=bool)
    since = np.select(
        [f["record_since"].notna().to_numpy(), short],
        ["since " + f["record_since"].fillna("").astype(str), recorded],
        "on record",
    )
    record = (", the " + f["record"].fillna("").astype(str) + " " + since).where(
        f["record"].notna(), ""
    )
    when = pd.Series(
        np.select(
            [f["comparator_when"] == "year", f["comparator_when"] == "month"],
            [
                "in " + f["comparator_year"].astype(str),
                "in " + f["comparator_month"].map(month_words),
            ],
            "at the same time last year",
        ),
        dtype=object,
    )
    lead = np.select(
        [direction == "same", nevertheless],
        [", the same as ", ", an improvement on "],
        ", compared to ",
    )
    last_year = (lead + previous + " " + when).where(previous != "", "")
    # A movement between the limits is not called a change without saying so.
    last_year = last_year + np.where(within_normal_variation(f), " (within normal variation)", "")
    special = special_cause_phrases(f)
    special = ("; " + special).where(special != "", "")
    bench = benchmark_phrases(f)
    bench = (", " + bench).where(bench != "", "")
    return (
        f["title"].astype(str)
        + " "
        + verb
        + " "
        + value
        + caution
        + target
        + record
        + last_year
        + bench
        + special
        + "."
    )


def benchmark_phrases(facts: pd.DataFrame) -> pd.Series:
    """How the value compares with the statistical neighbour and national averages:
    "below statistical neighbour and national averages", "in line with statistical
    neighbours but above the national average"; a benchmark's year is given where it is
    older than last year."""
    f = facts.reset_index(drop=True)
    sn = f["stat_neighbour_avg_relation"].map(RELATION_WORDS)
    nat = f["national_avg_relation"].map(RELATION_WORDS)
    sn_year = (" (" + f["stat_neighbour_avg_year"].astype(str) + ")").where(
        f["stat_neighbour_avg_year_stated"], ""
    )
    nat_year = (" (" + f["national_avg_year"].astype(str) + ")").where(
        f["national_avg_year_stated"], ""
    )
    both = sn.notna() & nat.notna()
    same = both & (sn == nat)
    plain = (sn_year == "") & (nat_year == "")
    joint = sn.fillna("") + " statistical neighbour and national averages"
    differ = (
        sn.fillna("") + " statistical neighbours but " + nat.fillna("") + " the national average"
    )
    one_sn = sn.fillna("") + " the statistical neighbour average" + sn_year
    one_nat = nat.fillna("") + " the national average" + nat_year
    # With a year to give, each benchmark is named on its own; a shared relation is said once.
    second = np.where(same, " and the national average" + nat_year, " but " + one_nat)
    with_years = one_sn + second
    out = np.select(
        [same & plain, both & plain, both, sn.notna(), nat.notna()],
        [joint, differ, with_years, one_sn, one_nat],
        "",
    )
    return pd.Series(out, dtype=object)


def hidden_sentences(facts: pd.DataFrame, period: Period, min_count: int) -> pd.Series:
    """The bullet of each headline figure a published pack hides (``facts["hidden"]``),
    which states no figure: a count is "fewer than N"; a percentage or rate is not
    published, as it rests on fewer than N children or cases. Empty for the others."""
    when = (
        f"in {month_words(month_key(period.end))}"
        if period.kind == "month"
        else "in the year to date"
    )
    f = facts.reset_index(drop=True)
    text = np.where(
        f["hidden_count"],
        f["title"] + f" was fewer than {min_count} {when} (not published: small numbers).",
        f["title"]
        + f" is not published {when}: it rests on fewer than {min_count} children or cases.",
    )
    return pd.Series(np.where(f["hidden"], text, ""), dtype=object)
