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
_YEAR_FORMS = {"financial": "2024/25", "academic": "2024/25", "calendar": "2025"}


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


def check_meaning(
    tables: dict[str, pd.DataFrame],
    names: dict[str, str],
    *,
    shape_failed: dict[str, set[int]] | None = None,
    service_areas: tuple[str, ...] = (),
) -> list[Problem]:
    """Every meaning problem in a dataset's tables.

    ``tables`` holds the tables whose columns are all there (a table left out is not
    checked); ``shape_failed`` gives, per table, the rows that failed the shape checks.
    A check of one column runs on every row with a value there; a check that needs
    several columns (or the indicator's unit, aggregation ...) leaves those rows out, so
    that one mistake is reported once.
    """
    if "indicators" not in tables:
        return []
    failed = shape_failed or {}

    def usable(table: str) -> pd.Series:
        frame = tables[table]
        return ~frame["_row"].isin(failed.get(table, set()))

    ind = tables["indicators"]
    problems: list[Problem] = []
    f_ind = names["indicators"]
    has_id = ind["id"].notna()
    dup = has_id & ind["id"].duplicated(keep="first")
    first_row = ind[has_id].drop_duplicates("id").set_index("id")["_row"]
    problems += _problems(
        ind,
        dup,
        f_ind,
        "id",
        lambda r: f"the id {r['id']!r} is already used on row {first_row[r['id']]}",
        "Give each indicator its own id",
    )
    good = usable("indicators")
    bad_ratio = good & (ind["aggregation"] == "ratio") & ~ind["unit"].isin(list(SCALE))
    problems += _problems(
        ind,
        bad_ratio,
        f_ind,
        "unit",
        lambda r: f"a ratio indicator has unit {r['unit']!r}",
        "Ratio indicators are percentages or rates: use unit percent or rate_per_10k, or another aggregation",
    )
    if service_areas:
        unknown_area = ind["service_area"].notna() & ~ind["service_area"].isin(list(service_areas))
        problems += _problems(
            ind,
            unknown_area,
            f_ind,
            "service_area",
            lambda r: (
                f"the service area {r['service_area']!r} is not in the settings' service_areas"
            ),
            f"Use one of: {', '.join(service_areas)}; or add it to service_areas in the settings",
        )

    ids = set(ind.loc[has_id, "id"])
    meta = ind[good & has_id].drop_duplicates("id").set_index("id")
    checks = {
        "observations": _check_observations,
        "targets": _check_targets,
        "benchmarks": _check_benchmarks,
    }
    for table, check in checks.items():
        if table in tables:
            problems += check(tables[table], usable(table), ids, meta, names[table])
    problems += _check_narrative_files(tables, names, usable, ids, ind, service_areas)
    return problems


def _check_narrative_files(tables, names, usable, ids, ind, service_areas) -> list[Problem]:
    """``commentary.csv`` and ``signoff.csv``: see :mod:`cyps_analysis.commentary`."""
    from cyps_analysis.commentary import check_commentary, check_signoff

    problems: list[Problem] = []
    if "commentary" in tables:
        problems += check_commentary(
            tables["commentary"], usable("commentary"), ids, names["commentary"]
        )
    if "signoff" in tables:
        areas = service_areas or tuple(ind["service_area"].dropna().unique())
        problems += check_signoff(tables["signoff"], usable("signoff"), areas, names["signoff"])
    return problems


def _known(frame: pd.DataFrame, ids: set[str], file: str) -> list[Problem]:
    unknown = frame["indicator"].notna() & ~frame["indicator"].isin(ids)
    return _problems(
        frame,
        unknown,
        file,
        "indicator",
        lambda r: f"{r['indicator']!r} is not an indicator id",
        "Use an id from indicators.csv, or add the indicator there",
    )


def _num(x: float) -> str:
    """A number as an analyst would write it: 81, 80.05, 1234567."""
    return f"{x:.10g}"


def _check_observations(
    obs: pd.DataFrame, usable: pd.Series, ids: set[str], meta: pd.DataFrame, file: str
) -> list[Problem]:
    problems = _known(obs, ids, file)
    m = month_numbers(obs["month"])
    problems += _problems(
        obs,
        obs["month"].notna() & m.isna(),
        file,
        "month",
        lambda r: f"{r['month']!r} is not a month",
        "Write months as YYYY-MM, e.g. 2025-03",
    )
    ok = usable & obs["indicator"].isin(meta.index) & m.notna()
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
            f"{r['indicator']} already has a row for {r['month']} (row {first[(r['indicator'], r['m'])]})"
        ),
        "Keep one row per indicator and month",
    )

    num, den, val = o["numerator"], o["denominator"], o["value"]
    percent = o["unit"] == "percent"
    rate = o["unit"] == "rate_per_10k"
    pooled = (o["aggregation"] == "ratio") | ((o["aggregation"] == "rolling12") & (percent | rate))
    for column, missing in (("numerator", num.isna()), ("denominator", num.notna() & den.isna())):
        problems += _problems(
            o,
            pooled & missing,
            file,
            column,
            lambda r, c=column: (
                f"the {c} is missing: {r['indicator']} is worked out from its numerator and denominator"
            ),
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
        lambda r: (
            f"the numerator {_num(r['numerator'])} is above the denominator {_num(r['denominator'])}"
        ),
        "A percentage's numerator counts part of its denominator: check both",
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
    with np.errstate(invalid="ignore", divide="ignore"):
        derived = (num / den * scale).where(den > 0)
    # Within rounding: no further from the worked-out value than half a unit of the
    # displayed precision (so 80.0 and 80.1 both agree with 80.05 at one decimal).
    tolerance = 0.5 * np.power(10.0, -o["decimals"].astype(float)) + 1e-9
    disagree = pooled & val.notna() & (derived - val).abs().gt(tolerance).fillna(False)
    problems += _problems(
        o,
        disagree,
        file,
        "value",
        lambda r: (
            f"the value {_num(r['value'])} disagrees with numerator / denominator: "
            f"{_num(r['numerator'])} / {_num(r['denominator'])} gives "
            f"{_display(r['numerator'] / r['denominator'] * SCALE[r['unit']], r['decimals'])}"
        ),
        "Correct the figures, or leave the value blank: it is worked out from them",
    )

    lo = o["unit"].map({u: r[0] for u, r in UNIT_RANGE.items()})
    hi = o["unit"].map({u: r[1] for u, r in UNIT_RANGE.items()})
    given_outside = ((val < lo) | (val > hi)).fillna(False)
    problems += _problems(
        o,
        given_outside,
        file,
        "value",
        lambda r: f"{_num(r['value'])} is outside the range of a {_unit_text(r['unit'])}",
        lambda r: f"Correct the value: {_range_help(r['unit'])}",
    )
    # A rate worked out from figures that make no sense (a numerator above the
    # denominator for a percentage is reported above).
    derived_outside = (val.isna() & ~over & ((derived < lo) | (derived > hi))).fillna(False)
    problems += _problems(
        o,
        derived_outside,
        file,
        "numerator",
        lambda r: (
            f"{_num(r['numerator'])} / {_num(r['denominator'])} gives "
            f"{_num(r['numerator'] / r['denominator'] * SCALE[r['unit']])}, outside the range of a {_unit_text(r['unit'])}"
        ),
        "Check the numerator and denominator",
    )

    calendar_month = o["m"] % 12 + 1
    quarterly_bad = (o["frequency"] == "quarterly") & (calendar_month % 3 != 0)
    problems += _problems(
        o,
        quarterly_bad,
        file,
        "month",
        lambda r: (
            f"{r['month']} is not the last month of a quarter, and {r['indicator']} is quarterly"
        ),
        "Record quarterly indicators at the quarter's last month (Jun, Sep, Dec or Mar)",
    )
    year_end = (o["year_type"].map(YEAR_START_MONTH).astype("Int64") + 10) % 12 + 1
    annual_bad = (o["frequency"] == "annual") & (calendar_month != year_end)
    problems += _problems(
        o,
        annual_bad,
        file,
        "month",
        lambda r: (
            f"{r['month']} is not the last month of a {r['year_type']} year, and {r['indicator']} is annual"
        ),
        lambda r: (
            "Record annual indicators at their year's last month: "
            f"{_YEAR_END_NAME[r['year_type']]} for a {r['year_type']} year"
        ),
    )
    return problems


_YEAR_END_NAME = {"financial": "March", "academic": "August", "calendar": "December"}


def _display(value: float, decimals: int) -> str:
    return f"{float(round_half_up(value, decimals)):.{int(decimals)}f}"


def _unit_text(unit: str) -> str:
    return {"rate_per_10k": "rate per 10,000"}.get(unit, unit)


def _range_help(unit: str) -> str:
    return {
        "percent": "percentages are 0 to 100 (write 85.2 for 85.2%)",
        "rate_per_10k": "rates per 10,000 are 0 to 10,000",
        "days": "a number of days is 0 or more",
        "count": "a count is 0 or more",
    }.get(unit, "check it")


def _check_years(
    frame: pd.DataFrame,
    usable: pd.Series,
    ids: set[str],
    meta: pd.DataFrame,
    file: str,
    what: str,
):
    problems = _known(frame, ids, file)
    f = frame[usable & frame["indicator"].isin(meta.index)]
    f = f.join(meta[["year_type", "kind", "polarity", "unit", "decimals"]], on="indicator")
    ys = year_starts(f["year"], f["year_type"])
    problems += _problems(
        f,
        ys.isna(),
        file,
        "year",
        lambda r: (
            f"{r['year']!r} is not a {r['year_type']} year, and {r['indicator']} is reported on {r['year_type']} years"
        ),
        lambda r: f"Write {r['year_type']} years as {_YEAR_FORMS[r['year_type']]}",
    )
    f = f[ys.notna()].assign(ys=ys[ys.notna()])
    dup = f.duplicated(["indicator", "ys"], keep="first")
    first = f[~dup].set_index(["indicator", "ys"])["_row"]
    problems += _problems(
        f,
        dup,
        file,
        "year",
        lambda r: (
            f"{r['indicator']} already has {what} for {r['year']} (row {first[(r['indicator'], r['ys'])]})"
        ),
        f"Keep one row of {what} per indicator and year",
    )
    return f[~dup], problems


def _check_targets(
    targets: pd.DataFrame, usable: pd.Series, ids: set[str], meta: pd.DataFrame, file: str
) -> list[Problem]:
    f, problems = _check_years(targets, usable, ids, meta, file, "targets")
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
        lambda r: _WAY_HELP[r["polarity"]],
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


_WAY_HELP = {
    "high": "Good performance is high, so Green must lie above Red and reach the top of the "
    "range, e.g. red <82, amber 82-89.9, green 90+",
    "low": "Good performance is low, so Green must lie below Red and reach the bottom of the "
    "range, e.g. red 227.1+, green <227.1",
}


def band_text(row) -> str:
    """A row's bands as written, blanks shown as '-'."""
    return ", ".join(f"{n} {'-' if pd.isna(row[n]) else row[n]}" for n in BAND_NAMES)


def _value_text(value: float, decimals: int) -> str:
    if np.isinf(value):
        return "values below the lowest band"
    return f"a value of {value:.{int(decimals)}f}"


def _check_benchmarks(
    bench: pd.DataFrame, usable: pd.Series, ids: set[str], meta: pd.DataFrame, file: str
) -> list[Problem]:
    f, problems = _check_years(bench, usable, ids, meta, file, "benchmarks")
    # As numbers: mapping an empty text column gives text, which pyarrow will not compare.
    lo = pd.to_numeric(f["unit"].map({u: r[0] for u, r in UNIT_RANGE.items()}), errors="coerce")
    hi = pd.to_numeric(f["unit"].map({u: r[1] for u, r in UNIT_RANGE.items()}), errors="coerce")
    for column in (
        "stat_neighbour_avg",
        "best_stat_neighbour",
        "national_avg",
        "top_quartile",
        "regional_avg",
    ):
        number = pd.to_numeric(f[column], errors="coerce")
        outside = ((number < lo) | (number > hi)).fillna(False)
        problems += _problems(
            f,
            outside,
            file,
            column,
            lambda r, c=column: f"{_num(r[c])} is outside the range of a {_unit_text(r['unit'])}",
            lambda r: f"Correct the value: {_range_help(r['unit'])}",
        )
    return problems
