"""What a dataset's values mean together: the checks beyond shape.

Unknown or duplicate ids, duplicate indicator-months, months that are not months,
numerators above denominators, zero denominators, values outside the unit's range,
band notation that does not parse, bands that cannot work, and targets for unknown
indicators or years. Every check runs over whole tables at once.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cyps_analysis.dataset._checks import (
    number_text,
    problems_at,
    range_help,
    unit_text,
    unknown_indicators,
)
from cyps_analysis.dataset._observations import check_observations
from cyps_analysis.dataset._parsed import BAND_PARTS
from cyps_analysis.dataset.names import check_months_to, check_unique_slugs
from cyps_analysis.exceptions import Problem
from cyps_analysis.rules.bands import (
    BAND_NAMES,
    NOTATION_HELP,
    check_bands,
    parse_bands,
)
from cyps_analysis.vocab import UNIT_RANGE, UNIT_SCALE

_YEAR_FORMS = {"financial": "2024/25", "academic": "2024/25", "calendar": "2025"}


def check_meaning(
    tables: dict[str, pd.DataFrame],
    names: dict[str, str],
    *,
    shape_failed: dict[str, set[int]] | None = None,
    service_areas: tuple[str, ...] = (),
    as_at: dt.date | None = None,
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
    problems += problems_at(
        ind,
        dup,
        f_ind,
        "id",
        lambda r: f"the id {r['id']!r} is already used on row {first_row[r['id']]}",
        "Give each indicator its own id",
    )
    good = usable("indicators")
    bad_ratio = good & (ind["aggregation"] == "ratio") & ~ind["unit"].isin(list(UNIT_SCALE))
    problems += problems_at(
        ind,
        bad_ratio,
        f_ind,
        "unit",
        lambda r: f"a ratio indicator has unit {r['unit']!r}",
        "Ratio indicators are percentages or rates: use unit percent or rate_per_10k, or another aggregation",
    )
    if service_areas:
        unknown_area = ind["service_area"].notna() & ~ind["service_area"].isin(list(service_areas))
        problems += problems_at(
            ind,
            unknown_area,
            f_ind,
            "service_area",
            lambda r: (
                f"the service area {r['service_area']!r} is not in the settings' service_areas"
            ),
            f"Use one of: {', '.join(service_areas)}; or add it to service_areas in the settings",
        )

    problems += check_unique_slugs(ind, f_ind, service_areas, names.get("settings", "settings"))
    if as_at is not None and "observations" in tables:
        obs = tables["observations"]
        problems += check_months_to(obs[usable("observations")], as_at, names["observations"])
    ids = set(ind.loc[has_id, "id"])
    meta = ind[good & has_id].drop_duplicates("id").set_index("id")
    checks = {
        "observations": check_observations,
        "targets": _check_targets,
        "benchmarks": _check_benchmarks,
    }
    for table, check in checks.items():
        if table in tables:
            problems += check(tables[table], usable(table), ids, meta, names[table])
    problems += _check_narrative_files(tables, names, usable, ids, ind, service_areas)
    if "spc_baseline" in tables:
        from cyps_analysis.dataset.spc_baseline import check_spc_baseline

        problems += check_spc_baseline(
            tables["spc_baseline"], usable("spc_baseline"), ids, names["spc_baseline"]
        )
    return problems


def _check_narrative_files(tables, names, usable, ids, ind, service_areas) -> list[Problem]:
    """``commentary.csv`` and ``signoff.csv``: see :mod:`cyps_analysis.dataset.commentary`."""
    from cyps_analysis.dataset.commentary import check_commentary, check_signoff

    problems: list[Problem] = []
    if "commentary" in tables:
        problems += check_commentary(
            tables["commentary"], usable("commentary"), ids, names["commentary"]
        )
    if "signoff" in tables:
        areas = service_areas or tuple(ind["service_area"].dropna().unique())
        problems += check_signoff(tables["signoff"], usable("signoff"), areas, names["signoff"])
    return problems


def _check_years(
    frame: pd.DataFrame,
    usable: pd.Series,
    ids: set[str],
    meta: pd.DataFrame,
    file: str,
    what: str,
):
    problems = unknown_indicators(frame, ids, file)
    f = frame[usable & frame["indicator"].isin(meta.index)]
    f = f.join(meta[["year_type", "kind", "polarity", "unit", "decimals"]], on="indicator")
    ys = f["year_start"]  # read at load (cyps_analysis.dataset._parsed)
    problems += problems_at(
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
    problems += problems_at(
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
    problems += problems_at(
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
        # Red, Amber and Green were read at load (cyps_analysis.dataset._parsed); the
        # national standard, which nothing rates by, is read here only.
        parsed[name] = (
            f[[f"{name}_{part}" for part in BAND_PARTS]].set_axis(list(BAND_PARTS), axis=1)
            if name in BAND_NAMES
            else parse_bands(f[name])
        )
        bad = ~parsed[name]["valid"]
        problems += problems_at(
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
    problems += problems_at(
        f,
        f["no_green"],
        file,
        "green",
        lambda r: f"the bands ({band_text(r)}) can never give Green",
        "Give a Green band (the target) inside the unit's range",
    )
    wrong = f["wrong_way"] & ~f["no_green"]
    problems += problems_at(
        f,
        wrong,
        file,
        "green",
        lambda r: f"the bands ({band_text(r)}) run the wrong way for polarity {r['polarity']}",
        lambda r: _WAY_HELP[r["polarity"]],
    )
    gap = f["gap"] & ~f["no_green"] & ~wrong
    problems += problems_at(
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
        problems += problems_at(
            f,
            outside,
            file,
            column,
            lambda r, c=column: (
                f"{number_text(r[c])} is outside the range of a {unit_text(r['unit'])}"
            ),
            lambda r: f"Correct the value: {range_help(r['unit'])}",
        )
    return problems
