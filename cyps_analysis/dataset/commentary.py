"""Analysts' own words: ``commentary.csv`` (bullets that replace or add to the generated
ones) and ``signoff.csv`` (who signed a service area's narrative off, for which period).

The shape of both files is checked in :mod:`cyps_analysis.dataset._schemas`; what their values
mean (known indicators and service areas, real periods and dates, one replacement per
bullet, one sign-off per service area and period) here. :func:`apply_commentary` puts
the analysts' bullets among the generated ones and marks what is still a draft.
See ``docs/narrative.md``.
"""

from __future__ import annotations

import pandas as pd

from cyps_analysis.exceptions import Problem
from cyps_analysis.rules.periods import PERIOD_FORMS

_PERIOD_FIX = f"Write the reporting period the text belongs to: {PERIOD_FORMS}"


def period_labels(periods: pd.Series) -> pd.Series:
    """Each text as the reporting period's label (``2024-25-Q4``), NA where it is not a
    reporting period. Each distinct text is read once."""
    from cyps_analysis.exceptions import PeriodError
    from cyps_analysis.rules.periods import parse_period

    distinct = periods.dropna().unique()
    labels: dict[str, str] = {}
    for text in distinct:  # a few distinct periods, however many rows
        try:
            label = parse_period(str(text)).label
        except PeriodError:
            continue
        labels[text] = label
    return periods.map(labels).astype("string")


def check_commentary(
    frame: pd.DataFrame, usable: pd.Series, ids: set[str], file: str
) -> list[Problem]:
    """Every meaning problem in ``commentary.csv``."""
    from cyps_analysis.dataset._checks import problems_at as _problems

    problems = _problems(
        frame,
        frame["indicator"].notna() & ~frame["indicator"].isin(ids),
        file,
        "indicator",
        lambda r: f"{r['indicator']!r} is not an indicator id",
        "Use an id from indicators.csv",
    )
    problems += _problems(
        frame,
        usable & frame["indicator"].isna() & frame["section"].isin(["working_well", "challenges"]),
        file,
        "indicator",
        lambda r: f"a bullet in {r['section']} needs the indicator it is about",
        "Give the indicator's id, or use section summary for a line about the whole service",
    )
    label = period_labels(frame["period"])
    problems += _period_problems(frame, label, file)
    f = frame[usable & label.notna() & frame["indicator"].isin(ids)].assign(_label=label)
    replace = f[(f["mode"] == "replace") & (f["section"] != "summary")]
    dup = replace.duplicated(["indicator", "_label"], keep="first")
    first = replace[~dup].set_index(["indicator", "_label"])["_row"]
    problems += _problems(
        replace,
        dup,
        file,
        "mode",
        lambda r: (
            f"{r['indicator']} already has a replacement for {r['_label']} "
            f"(row {first[(r['indicator'], r['_label'])]})"
        ),
        "Keep one replace row per indicator and period; give further bullets mode add",
    )
    return problems


def _period_problems(frame: pd.DataFrame, label: pd.Series, file: str) -> list[Problem]:
    """A row whose period cannot be read as a reporting period."""
    from cyps_analysis.dataset._checks import problems_at

    return problems_at(
        frame,
        frame["period"].notna() & label.isna(),
        file,
        "period",
        lambda r: f"{r['period']!r} is not a reporting period",
        _PERIOD_FIX,
    )


def check_signoff(
    frame: pd.DataFrame, usable: pd.Series, service_areas: tuple[str, ...], file: str
) -> list[Problem]:
    """Every meaning problem in ``signoff.csv``."""
    from cyps_analysis.dataset._checks import problems_at as _problems

    problems = _problems(
        frame,
        frame["service_area"].notna() & ~frame["service_area"].isin(list(service_areas)),
        file,
        "service_area",
        lambda r: f"{r['service_area']!r} is not a service area",
        f"Use one of: {', '.join(service_areas)}",
    )
    label = period_labels(frame["period"])
    problems += _period_problems(frame, label, file)
    dates = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    problems += _problems(
        frame,
        frame["date"].notna() & dates.isna(),
        file,
        "date",
        lambda r: f"{r['date']!r} is not a date",
        "Write the date it was signed off as YYYY-MM-DD, e.g. 2025-04-22",
    )
    f = frame[usable & label.notna()].assign(_label=label)
    dup = f.duplicated(["service_area", "_label"], keep="first")
    first = f[~dup].set_index(["service_area", "_label"])["_row"]
    problems += _problems(
        f,
        dup,
        file,
        "service_area",
        lambda r: (
            f"{r['service_area']} is already signed off for {r['_label']} "
            f"(row {first[(r['service_area'], r['_label'])]})"
        ),
        "Keep one sign-off per service area and period",
    )
    return problems
