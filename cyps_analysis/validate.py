"""What a dataset's values mean together: the checks beyond shape.

Unknown or duplicate ids, duplicate indicator-months, months that are not months,
numerators above denominators, zero denominators, values outside the unit's range,
band notation that does not parse, bands that cannot work, and targets for unknown
indicators or years. Every check runs over whole tables at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cyps_analysis.exceptions import Problem
from cyps_analysis.periods import YEAR_START_MONTH
from cyps_analysis.rounding import round_half_up
from cyps_analysis.thresholds import BAND_NAMES, NOTATION_HELP, UNIT_RANGE, check_bands, parse_bands

SCALE: dict[str, float] = {"percent": 100.0, "rate_per_10k": 10_000.0}
_YEAR_FORMS = {"financial": "e.g. 2024/25", "academic": "e.g. 2024/25", "calendar": "e.g. 2025"}


def _problems(
    frame: pd.DataFrame, mask, file: str, column: str | None, message, fix
) -> list[Problem]:
    """One problem per masked row; ``message`` and ``fix`` may be callables of the row."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    hit = frame[mask]
    return [
        Problem(
            file,
            int(row["_row"]),
            column,
            message(row) if callable(message) else message,
            fix(row) if callable(fix) else fix,
        )
        for _, row in hit.iterrows()
    ]


def month_numbers(months: pd.Series) -> pd.Series:
    """``YYYY-MM`` text as month numbers (``year * 12 + month - 1``); NA where the text
    is not a month."""
    parts = months.astype("string").str.extract(r"^(\d{4})-(\d{2})$").astype("Float64")
    m = parts[0] * 12 + parts[1] - 1
    return m.where((parts[1] >= 1) & (parts[1] <= 12)).astype("Int64")


def year_starts(years: pd.Series, year_types: pd.Series) -> pd.Series:
    """Years as written (``2024/25``, ``2024-25``, ``2025``) as the month each starts,
    given each row's year type; NA where the text is not a year of that type."""
    parts = years.astype("string").str.strip().str.extract(r"^(\d{4})(?:[/-](\d{2}))?$")
    first = parts[0].astype("Float64")
    second = parts[1].astype("Float64")
    calendar = (year_types == "calendar").to_numpy()
    ok_two = second.notna() & (second == (first + 1) % 100)
    ok = np.where(calendar, parts[1].isna() & first.notna(), ok_two.fillna(False))
    start_month = year_types.map(YEAR_START_MONTH).astype("Float64")
    return (first * 12 + start_month - 1).where(ok).astype("Int64")


def check_meaning(dataset, names: dict[str, str]) -> list[Problem]:
    """Every meaning problem in a dataset whose tables have the right shape."""
    ind = dataset.indicators
    problems: list[Problem] = []
    f_ind, f_obs, f_tgt, f_bm = (
        names[t] for t in ("indicators", "observations", "targets", "benchmarks")
    )

    dup = ind["id"].duplicated(keep="first")
    first_row = ind.drop_duplicates("id").set_index("id")["_row"]
    problems += _problems(
        ind,
        dup,
        f_ind,
        "id",
        lambda r: f"id {r['id']!r} is used twice (first on row {first_row[r['id']]})",
        "Give each indicator its own id",
    )
    bad_ratio = (ind["aggregation"] == "ratio") & ~ind["unit"].isin(list(SCALE))
    problems += _problems(
        ind,
        bad_ratio,
        f_ind,
        "unit",
        lambda r: f"a ratio indicator has unit {r['unit']!r}",
        "Ratio indicators are percentages or rates: use unit percent or rate_per_10k, or another aggregation",
    )
    areas = dataset.settings.service_areas
    if areas:
        unknown_area = ~ind["service_area"].isin(list(areas))
        problems += _problems(
            ind,
            unknown_area,
            f_ind,
            "service_area",
            lambda r: f"service area {r['service_area']!r} is not in settings' service_areas",
            f"Use one of: {', '.join(areas)}; or add it to service_areas in the settings",
        )

    meta = ind.drop_duplicates("id").set_index("id")
    problems += _check_observations(dataset.observations, meta, f_obs)
    problems += _check_targets(dataset.targets, meta, f_tgt)
    problems += _check_benchmarks(dataset.benchmarks, meta, f_bm)
    return sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))


def _known(frame: pd.DataFrame, meta: pd.DataFrame, file: str) -> tuple[pd.Series, list[Problem]]:
    known = frame["indicator"].isin(meta.index)
    return known, _problems(
        frame,
        ~known,
        file,
        "indicator",
        lambda r: f"{r['indicator']!r} is not an indicator id",
        "Use an id from indicators.csv, or add the indicator there",
    )


def _check_observations(obs: pd.DataFrame, meta: pd.DataFrame, file: str) -> list[Problem]:
    known, problems = _known(obs, meta, file)
    m = month_numbers(obs["month"])
    problems += _problems(
        obs,
        m.isna(),
        file,
        "month",
        lambda r: f"{r['month']!r} is not a month",
        "Write months as YYYY-MM, e.g. 2025-03",
    )
    ok = known & m.notna()
    o = obs[ok].assign(m=m[ok])
    o = o.join(meta[["unit", "aggregation", "frequency", "year_type", "decimals"]], on="indicator")

    dup = o.duplicated(["indicator", "m"], keep="first")
    first = o[~dup].set_index(["indicator", "m"])["_row"]
    problems += _problems(
        o,
        dup,
        file,
        "month",
        lambda r: (
            f"{r['indicator']} {r['month']} appears twice (first on row {first[(r['indicator'], r['m'])]})"
        ),
        "Keep one row per indicator and month",
    )

    num, den, val = o["numerator"], o["denominator"], o["value"]
    percent = o["unit"] == "percent"
    rate = o["unit"] == "rate_per_10k"
    pooled = (o["aggregation"] == "ratio") | ((o["aggregation"] == "rolling12") & (percent | rate))
    need_both = pooled & (num.isna() | den.isna())
    problems += _problems(
        o,
        need_both,
        file,
        "numerator",
        "a ratio indicator needs both a numerator and a denominator",
        "Give both (the value is worked out from them), or remove the row so that the month shows as missing",
    )
    need_value = ~pooled & val.isna()
    problems += _problems(
        o,
        need_value,
        file,
        "value",
        "the value is missing",
        "Give the value, or remove the row so that the month shows as missing",
    )
    over = percent & (num > den) & (den > 0)
    problems += _problems(
        o,
        over,
        file,
        "numerator",
        lambda r: f"numerator {r['numerator']:g} is above denominator {r['denominator']:g}",
        "A percentage's numerator is part of its denominator: check both",
    )
    zero = (den == 0) & ((num > 0) | val.notna())
    problems += _problems(
        o,
        zero,
        file,
        "denominator",
        "the denominator is zero but a numerator or value is given",
        "If there were no cases, give numerator 0, denominator 0 and no value; otherwise correct the denominator",
    )

    scale = o["unit"].map(SCALE)
    derived = num / den * scale
    with np.errstate(invalid="ignore", divide="ignore"):
        tolerance = 0.5 * np.power(10.0, -o["decimals"].astype(float)) + 1e-9
        disagree = (
            pooled
            & val.notna()
            & (den > 0)
            & (round_half_up(derived.astype(float), o["decimals"]) - val).abs().gt(tolerance)
        )
    problems += _problems(
        o,
        disagree,
        file,
        "value",
        lambda r: (
            f"value {r['value']:g} disagrees with numerator / denominator ({r['numerator']:g} / {r['denominator']:g})"
        ),
        "Correct the figures, or leave the value blank: it is worked out from them",
    )

    lo = o["unit"].map({u: r[0] for u, r in UNIT_RANGE.items()})
    hi = o["unit"].map({u: r[1] for u, r in UNIT_RANGE.items()})
    effective = val.where(val.notna(), derived)
    outside = (effective < lo) | (effective > hi)
    problems += _problems(
        o,
        outside.fillna(False),
        file,
        "value",
        lambda r: (
            f"{r['value']:g} is outside the range of a {r['unit']} ({_range_text(r['unit'])})"
        ),
        "Correct the value (percentages are 0-100)",
    )

    calendar_month = o["m"] % 12 + 1
    quarterly_bad = (o["frequency"] == "quarterly") & (calendar_month % 3 != 0)
    problems += _problems(
        o,
        quarterly_bad,
        file,
        "month",
        lambda r: f"{r['month']} is not the last month of a quarter",
        "Record quarterly indicators at the quarter's last month (Jun, Sep, Dec or Mar)",
    )
    year_end = (o["year_type"].map(YEAR_START_MONTH) + 10) % 12 + 1
    annual_bad = (o["frequency"] == "annual") & (calendar_month != year_end)
    problems += _problems(
        o,
        annual_bad,
        file,
        "month",
        lambda r: f"{r['month']} is not the last month of a {r['year_type']} year",
        "Record annual indicators at their year's last month (Mar financial, Aug academic, Dec calendar)",
    )
    return problems


def _range_text(unit: str) -> str:
    lo, hi = UNIT_RANGE[unit]
    return f"{lo:g} or more" if np.isinf(hi) else f"{lo:g} to {hi:g}"


def _check_years(frame: pd.DataFrame, meta: pd.DataFrame, file: str):
    known, problems = _known(frame, meta, file)
    f = frame[known].join(
        meta[["year_type", "kind", "polarity", "unit", "decimals"]], on="indicator"
    )
    ys = year_starts(f["year"], f["year_type"])
    problems += _problems(
        f,
        ys.isna(),
        file,
        "year",
        lambda r: f"{r['year']!r} is not a {r['year_type']} year",
        f"Write the indicator's year, {_YEAR_FORMS['financial']} (financial or academic) or {_YEAR_FORMS['calendar']} (calendar)",
    )
    f = f[ys.notna()].assign(ys=ys[ys.notna()])
    dup = f.duplicated(["indicator", "ys"], keep="first")
    problems += _problems(
        f,
        dup,
        file,
        "year",
        lambda r: f"{r['indicator']} {r['year']} appears twice",
        "Keep one row per indicator and year",
    )
    return f[~dup], problems


def _check_targets(targets: pd.DataFrame, meta: pd.DataFrame, file: str) -> list[Problem]:
    f, problems = _check_years(targets, meta, file)
    activity = f["kind"] == "activity"
    problems += _problems(
        f,
        activity,
        file,
        "indicator",
        lambda r: f"{r['indicator']} is an activity indicator, which is not rated",
        "Remove the target, or make the indicator's kind benchmarking",
    )
    f = f[~activity]
    parsed = {}
    valid = pd.Series(True, index=f.index)
    columns = [*BAND_NAMES, "national_standard"] if "national_standard" in f else list(BAND_NAMES)
    for name in columns:
        parsed[name] = parse_bands(f[name])
        bad = ~parsed[name]["valid"]
        problems += _problems(
            f, bad, file, name, lambda r, n=name: f"{r[n]!r} is not band notation", NOTATION_HELP
        )
        if name in BAND_NAMES:
            valid &= ~bad
    f = f[valid]
    if f.empty:
        return problems
    checks = check_bands(
        *(parsed[n].loc[f.index] for n in BAND_NAMES),
        polarity=f["polarity"],
        unit=f["unit"],
        decimals=f["decimals"],
    )
    f = f.join(checks)
    problems += _problems(
        f,
        f["no_green"],
        file,
        "green",
        lambda r: f"the bands ({band_text(r)}) can never give Green",
        "Give a Green band (the target) inside the unit's range",
    )
    wrong = f["wrong_way"] & ~f["no_green"]
    problems += _problems(
        f,
        wrong,
        file,
        "green",
        lambda r: f"the bands ({band_text(r)}) run the wrong way for polarity {r['polarity']}",
        "For high polarity Green lies above Red (e.g. red <82, green 90+); for low polarity below (e.g. red 227.1+, green <227.1)",
    )
    gap = f["gap"] & ~f["no_green"] & ~wrong
    problems += _problems(
        f,
        gap,
        file,
        "amber",
        lambda r: (
            f"the bands ({band_text(r)}) leave {_value_text(r['gap_at'], r['decimals'])} in no band"
        ),
        "Close the gap: every value at the indicator's displayed precision must fall in a band (e.g. amber 82-89.9 between <82 and 90+)",
    )
    return problems


def band_text(row) -> str:
    """A row's bands as written, blanks shown as '-'."""
    return ", ".join(f"{n} {'-' if pd.isna(row[n]) else row[n]}" for n in BAND_NAMES)


def _value_text(value: float, decimals: int) -> str:
    if np.isinf(value):
        return "values below the lowest band"
    return f"a value of {value:.{int(decimals)}f}"


def _check_benchmarks(bench: pd.DataFrame, meta: pd.DataFrame, file: str) -> list[Problem]:
    f, problems = _check_years(bench, meta, file)
    lo = f["unit"].map({u: r[0] for u, r in UNIT_RANGE.items()})
    hi = f["unit"].map({u: r[1] for u, r in UNIT_RANGE.items()})
    for column in (
        "stat_neighbour_avg",
        "best_stat_neighbour",
        "national_avg",
        "top_quartile",
        "regional_avg",
    ):
        outside = ((f[column] < lo) | (f[column] > hi)).fillna(False)
        problems += _problems(
            f,
            outside,
            file,
            column,
            lambda r, c=column: (
                f"{r[c]:g} is outside the range of a {r['unit']} ({_range_text(r['unit'])})"
            ),
            "Correct the value",
        )
    return problems
